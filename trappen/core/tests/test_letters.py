"""Letters: rendering (HTML and PDF), the template registry, delivery through a channel, the outbox.

Uses the named personas of `trappen/conftest.py` (`world`): `alice` is Anna's caseworker in team A,
`charlie` works in team B (Bertram), `parent` holds custody of Anna (and her sibling Asger).
"""

from __future__ import annotations

import datetime
import re
import threading
import time
import zlib

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trappen.core.letters import service
from trappen.core.letters.channels import (
    DeliveryError,
    DeliveryRejected,
    DeliveryResult,
    DigitalPostChannel,
    message_id,
)
from trappen.core.letters.service import LetterError, create_letter, deliver
from trappen.core.letters.tasks import deliver_letter
from trappen.core.models import AuditAction, AuditEvent, Letter, LetterStatus, Role
from trappen.core.tests.factories import (
    ChildFactory,
    GuardianFactory,
    LetterFactory,
    NotificationFactory,
    link_guardian,
    synthetic_cpr,
    user_with_role,
)
from trappen.notifications.models import Decision

pytestmark = pytest.mark.django_db

MONTHS_DA = (
    "januar februar marts april maj juni juli august september oktober november december"
).split()


def danish_date(day: datetime.date) -> str:
    return f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}"


# --- helpers ------------------------------------------------------------------------------------


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream unpacked (WeasyPrint packs objects in streams)."""
    parts = [pdf]
    for match in re.finditer(rb"(?<!end)stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_title(pdf: bytes) -> str:
    match = re.search(rb"/Title\s*(<[0-9a-fA-F]+>|\((?:[^()\\]|\\.)*\))", pdf_objects(pdf))
    assert match, "the PDF has no /Title"
    raw = match.group(1)
    if raw.startswith(b"<"):
        return bytes.fromhex(raw[1:-1].decode()).decode("utf-16")
    return raw[1:-1].decode("latin-1")


def staff_names(world):
    alice = world.personas["alice"]
    alice.first_name, alice.last_name = "Alice", "Rådgivesen"
    alice.title, alice.phone, alice.email = "Socialrådgiver", "59 53 44 01", "alice@example.invalid"
    alice.save()
    world.team_a.phone = "59 53 40 00"
    world.team_a.save()
    return alice


def guardian_of_anna(world):
    return world.anna.guardian_links.get(guardian__user=world.personas["parent"]).guardian


def letter_to_parent(world, **kwargs):
    kwargs.setdefault("acting_user", world.personas["alice"])
    return create_letter(
        template="caseworker_changed",
        context={"child": world.anna, "caseworker": world.personas["alice"]},
        municipality=world.municipality,
        recipient_name="Forælder Testesen",
        case=world.anna_case,
        recipient_guardian=guardian_of_anna(world),
        **kwargs,
    )


class RecordingChannel:
    """A real channel that keeps what it was given (a test double for a remote system)."""

    name = "recording"
    sent: list[int] = []
    failures_left = 0
    failure: type[Exception] = DeliveryError

    def send(self, letter):
        if RecordingChannel.failures_left:
            RecordingChannel.failures_left -= 1
            raise RecordingChannel.failure("midlertidig fejl")
        RecordingChannel.sent.append(letter.pk)
        return DeliveryResult(reference=f"REC-{len(RecordingChannel.sent)}")


@pytest.fixture
def recording_channel(settings):
    settings.TRAPPEN_LETTER_CHANNEL = "trappen.core.tests.test_letters.RecordingChannel"
    RecordingChannel.sent = []
    RecordingChannel.failures_left = 0
    RecordingChannel.failure = DeliveryError
    return RecordingChannel


def events(action: str, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("seq"))


# --- rendering ----------------------------------------------------------------------------------


def test_caseworker_changed_letter_to_a_parent_holds_the_new_caseworker_and_how_to_reach_them(
    world,
):
    staff_names(world)
    letter = letter_to_parent(world)

    html = letter.body_html
    assert letter.subject == "Du har fået en ny rådgiver"
    assert re.search(r"<h1[^>]*>Du har fået en ny rådgiver</h1>", html)
    assert "Kære Forælder Testesen" in html
    assert "Testkommune" in html  # the sender
    assert danish_date(timezone.localdate()) in html
    assert "sagen om Anna" in html
    assert "Alice Rådgivesen" in html
    assert "59 53 44 01" in html and "alice@example.invalid" in html
    assert "Team A på telefon 59 53 40 00" in html  # the team, when the caseworker is away
    assert "bisidder" not in html  # the child's rights are told to the child
    assert letter.template == "caseworker_changed"
    assert (letter.child, letter.case) == (world.anna, world.anna_case)
    assert letter.status == LetterStatus.QUEUED and letter.channel == "outbox"


def test_caseworker_changed_letter_to_a_child_from_10_speaks_to_the_child(world):
    staff_names(world)
    asger = world.anna_sibling  # born 2015, so 10 or older
    assert asger.age_on(timezone.localdate()) >= 10

    letter = create_letter(
        template="caseworker_changed",
        context={"child": asger, "caseworker": world.personas["alice"]},
        municipality=world.municipality,
        recipient_name=asger.full_name,
        child=asger,
        recipient_child=asger,
    )

    assert "Kære Asger" in letter.body_html
    assert "Din nye rådgiver hedder Alice Rådgivesen" in letter.body_html
    assert "bisidder" in letter.body_html  # Barnets Lov § 6: the child is told of the right
    assert "116 111" in letter.body_html
    assert "sagen om" not in letter.body_html  # not the parents' wording


def test_a_caseworker_change_writes_to_each_custody_holder_and_the_child_from_10(world):
    staff_names(world)
    link_guardian(world.anna, GuardianFactory(municipality=world.municipality), custody=False)
    previous = world.personas["bob"]

    letters = service.send_caseworker_changed(
        world.anna_case, previous_caseworker=previous, acting_user=world.personas["team_leader"]
    )

    parent_guardian = guardian_of_anna(world)
    assert [(x.recipient_guardian, x.recipient_child) for x in letters] == [
        (parent_guardian, None),
        (None, world.anna),
    ]
    assert all(x.case == world.anna_case and x.child == world.anna for x in letters)
    assert f"{previous} er ikke længere rådgiver på sagen" in letters[0].body_html
    assert "Kære Anna</p>" in letters[1].body_html
    assert letters[1].recipient_name == "Anna Testesen"


def test_no_caseworker_change_letter_for_a_case_without_a_caseworker(world):
    world.anna_case.caseworker = None
    with pytest.raises(LetterError, match="ingen rådgiver"):
        service.send_caseworker_changed(world.anna_case)
    assert not Letter.objects.exists()


def test_notification_receipt_names_the_date_received(world):
    received = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    notification = NotificationFactory(child=world.anna, received_at=received, team=world.team_a)
    letter = create_letter(
        template="notification_receipt",
        context={"notification": notification},
        municipality=world.municipality,
        recipient_name="Lærer på Nordskolen",
        child=world.anna,
    )
    assert letter.subject == "Kvittering for modtaget underretning"
    assert "den 2. marts 2026 har modtaget din underretning om Anna Testesen" in letter.body_html
    assert "Team A" in letter.body_html


def test_values_from_the_context_are_escaped(world):
    alice = world.personas["alice"]
    alice.title = "<script>alert(1)</script>"
    alice.save()
    letter = letter_to_parent(world)
    assert "<script>" not in letter.body_html
    assert "&lt;script&gt;" in letter.body_html


def test_the_pdf_is_a_real_a4_pdf_with_the_subject_and_embedded_dejavu(world):
    letter = letter_to_parent(world)

    pdf = bytes(letter.pdf)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert pdf_title(pdf) == "Du har fået en ny rådgiver"
    objects = pdf_objects(pdf)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", objects)) >= 1
    assert b"+DejaVu-Sans" in objects and b"/FontFile" in objects  # embedded: prints the same
    # A4 is 595 x 842 points
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", objects)
    assert box and round(float(box.group(1))) == 595 and round(float(box.group(2))) == 842


# --- the registry refuses what it does not know -------------------------------------------------


def test_an_unknown_template_is_refused_and_nothing_is_stored(world):
    with pytest.raises(LetterError, match="Ukendt brevskabelon: 'afslag'"):
        create_letter(
            template="afslag",
            context={},
            municipality=world.municipality,
            recipient_name="X",
            child=world.anna,
        )
    assert not Letter.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_a_missing_context_key_is_refused_by_name(world):
    with pytest.raises(LetterError, match="mangler oplysninger i konteksten: caseworker"):
        create_letter(
            template="caseworker_changed",
            context={"child": world.anna},
            municipality=world.municipality,
            recipient_name="X",
            child=world.anna,
        )
    assert not Letter.objects.exists()


def test_every_registered_template_has_a_file_and_renders(world):
    notification = NotificationFactory(child=world.anna)
    contexts = {
        "caseworker_changed": {"child": world.anna, "caseworker": world.personas["alice"]},
        "notification_receipt": {"notification": notification},
        "notification_feedback": {
            "notification": notification,
            "investigation_started": True,
            "support_started": False,
            "placement_started": False,
        },
        "notification_decision_guardian": {
            "notification": notification,
            "decision": Decision.INVESTIGATION,
            "caseworker": world.personas["alice"],
        },
    }
    from trappen.cases.tests.factories import ChildPlanFactory  # letters to the child (voice)
    from trappen.voice.child_letters import BANDS
    from trappen.voice.tests.factories import CaseDecisionFactory

    sources = {"plan": ChildPlanFactory(case=world.anna_case)}
    sources["decision"] = CaseDecisionFactory(case=world.anna_case)
    for (kind, source), band in ((item, b) for item in sources.items() for b in BANDS):
        contexts[f"child_{kind}_{band.key}"] = {
            "child": world.anna,
            kind: source,
            "caseworker": world.personas["alice"],
            "band": band,
        }
    assert set(contexts) == set(service.TEMPLATES)
    for name, context in contexts.items():
        letter = create_letter(
            template=name,
            context=context,
            municipality=world.municipality,
            recipient_name="Modtager",
            child=world.anna,
        )
        assert letter.subject in letter.body_html


def test_a_guardian_without_custody_cannot_receive_the_childs_letter(world):
    stranger = GuardianFactory(municipality=world.municipality)
    link_guardian(world.anna, stranger, custody=False)
    with pytest.raises(LetterError, match="forældremyndighed"):
        create_letter(
            template="caseworker_changed",
            context={"child": world.anna, "caseworker": world.personas["alice"]},
            municipality=world.municipality,
            recipient_name="X",
            child=world.anna,
            recipient_guardian=stranger,
        )


def test_a_child_under_10_cannot_be_the_recipient(world):
    small = ChildFactory(
        municipality=world.municipality, birth_date=timezone.localdate().replace(year=2020)
    )
    with pytest.raises(LetterError, match="fra 10 år"):
        create_letter(
            template="caseworker_changed",
            context={"child": small, "caseworker": world.personas["alice"]},
            municipality=world.municipality,
            recipient_name="X",
            child=small,
            recipient_child=small,
        )


def test_a_letter_cannot_mix_municipalities(world):
    with pytest.raises(LetterError, match="samme kommune"):
        create_letter(
            template="caseworker_changed",
            context={"child": world.xena, "caseworker": world.personas["alice"]},
            municipality=world.municipality,
            recipient_name="X",
            child=world.xena,
        )


# --- delivery -----------------------------------------------------------------------------------


def test_delivery_runs_after_commit_and_marks_the_letter_sent(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = letter_to_parent(world)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.QUEUED  # nothing is sent before the commit
    assert len(callbacks) == 1

    callbacks[0]()

    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert letter.channel_reference == f"UDBAKKE-{letter.pk}"
    assert letter.sent_at is not None and letter.sent_at <= timezone.now()


def test_a_letter_is_sent_exactly_once_even_if_the_task_runs_twice(
    world, recording_channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_to_parent(world)
    first = deliver_letter.enqueue(letter.pk)  # the worker picked it up again

    assert recording_channel.sent == [letter.pk]
    assert first.return_value == "already_sent"
    assert deliver(letter.pk) == "already_sent"
    letter.refresh_from_db()
    assert (letter.status, letter.channel, letter.channel_reference) == (
        "sent",
        "recording",
        "REC-1",
    )
    assert len(events(AuditAction.SEND, object_id=str(letter.pk))) == 1


def test_a_passing_failure_is_retried_until_it_succeeds(
    world, recording_channel, django_capture_on_commit_callbacks
):
    recording_channel.failures_left = 2
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_to_parent(world)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert recording_channel.sent == [letter.pk]  # attempt 3 got through


def test_delivery_gives_up_after_the_last_attempt(
    world, recording_channel, django_capture_on_commit_callbacks
):
    recording_channel.failures_left = service.MAX_ATTEMPTS + 3
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_to_parent(world)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED
    assert recording_channel.failures_left == 3  # tried MAX_ATTEMPTS times, then stopped
    assert not letter.channel_reference and letter.sent_at is None
    assert not events(AuditAction.SEND)


def test_a_permanent_rejection_fails_at_once(world, recording_channel):
    recording_channel.failures_left = 1
    recording_channel.failure = DeliveryRejected
    letter = letter_to_parent(world)
    assert deliver(letter.pk) == "failed"
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED
    assert recording_channel.failures_left == 0


def test_digital_post_without_an_integration_never_pretends_to_send(world, settings):
    settings.TRAPPEN_LETTER_CHANNEL = "trappen.core.letters.channels.DigitalPostChannel"
    settings.TRAPPEN_DIGITAL_POST_CLIENT = ""
    letter = letter_to_parent(world)

    assert deliver(letter.pk) == "failed"
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED
    assert letter.sent_at is None and letter.channel_reference == ""
    assert not events(AuditAction.SEND)


class RecordingDigitalPostClient:
    """Keeps the messages; answers a repeated message id with the first reference."""

    messages: list = []

    def send(self, message):
        RecordingDigitalPostClient.messages.append(message)
        return f"DP-{message.message_id}"


def test_digital_post_receives_the_contracted_message(world, settings):
    settings.TRAPPEN_LETTER_CHANNEL = "trappen.core.letters.channels.DigitalPostChannel"
    settings.TRAPPEN_DIGITAL_POST_CLIENT = (
        "trappen.core.tests.test_letters.RecordingDigitalPostClient"
    )
    RecordingDigitalPostClient.messages = []
    guardian = guardian_of_anna(world)
    guardian.set_cpr(synthetic_cpr(datetime.date(1988, 5, 17)))
    guardian.save()
    world.municipality.code = "326"
    world.municipality.save()
    letter = letter_to_parent(world)

    assert deliver(letter.pk) == "sent"
    assert deliver(letter.pk) == "already_sent"

    [message] = RecordingDigitalPostClient.messages
    assert (
        message.message_id
        == message_id(letter)
        == f"trappen-{world.municipality.pk}-brev-{letter.pk}"
    )
    assert (message.recipient_kind, message.recipient_id) == ("guardian", guardian.pk)
    assert message.municipality_code == "326"
    assert message.subject == letter.subject
    assert message.pdf == bytes(letter.pdf)
    assert message.filename == f"brev-{letter.pk}.pdf"
    assert len(guardian.cpr) == 10 and guardian.cpr not in repr(
        message
    )  # the integration looks the CPR number up itself
    letter.refresh_from_db()
    assert (letter.channel, letter.channel_reference) == (
        "digital_post",
        f"DP-{message.message_id}",
    )


def test_digital_post_refuses_a_letter_with_no_digital_recipient(world):
    letter = LetterFactory(child=world.anna)  # addressed by name only (e.g. a professional)
    with pytest.raises(DeliveryRejected):
        DigitalPostChannel(client=RecordingDigitalPostClient()).send(letter)


def test_letters_left_queued_are_queued_again(world, recording_channel):
    old = LetterFactory(child=world.anna)
    Letter.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    LetterFactory(child=world.anna)  # new: its own task is still on its way

    assert service.enqueue_queued_letters() == 1
    assert recording_channel.sent == [old.pk]


# --- audit ----------------------------------------------------------------------------------------


def test_create_send_view_and_download_are_audited(
    world, client, django_capture_on_commit_callbacks
):
    alice = world.personas["alice"]
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_to_parent(world)

    [created] = events(AuditAction.CREATE, object_type="core.letter")
    assert (created.actor, created.role, created.child_id) == (alice, "caseworker", world.anna.pk)
    assert created.object_id == str(letter.pk)
    [sent] = events(AuditAction.SEND)
    assert (sent.actor, sent.object_id, sent.child_id) == (None, str(letter.pk), world.anna.pk)
    assert sent.municipality == world.municipality

    client.force_login(alice)
    client.get(reverse("core:outbox"))
    client.get(reverse("core:letter_detail", args=[letter.pk]))
    client.get(reverse("core:letter_pdf", args=[letter.pk]))

    views = events(AuditAction.VIEW, object_type="core.letter", actor=alice)
    assert [v.purpose for v in views] == ["Brevliste", "Brev læst"]
    assert {v.child_id for v in views} == {world.anna.pk}
    [export] = events(AuditAction.EXPORT, object_type="core.letter")
    assert (export.actor, export.object_id, export.role) == (alice, str(letter.pk), "caseworker")
    for event in AuditEvent.objects.all():
        assert "Anna" not in event.purpose and "Testesen" not in event.purpose


# --- the outbox and who may read which letter ---------------------------------------------------


@pytest.fixture
def letters(world):
    """Anna's letter to her parent, Bertram's to his, and one to Anna's other custody holder."""
    other_holder = GuardianFactory(
        municipality=world.municipality,
        user=user_with_role(Role.CITIZEN, None, municipality=world.municipality),
    )
    link_guardian(world.anna, other_holder)
    bertram_guardian = world.bertram.guardian_links.get().guardian
    return {
        "anna": LetterFactory(child=world.anna, recipient_guardian=guardian_of_anna(world)),
        "anna_other": LetterFactory(child=world.anna, recipient_guardian=other_holder),
        "bertram": LetterFactory(child=world.bertram, recipient_guardian=bertram_guardian),
        "xena": LetterFactory(child=world.xena),
    }


def outbox_ids(client, user) -> set[int]:
    client.force_login(user)
    response = client.get(reverse("core:outbox"))
    assert response.status_code == 200
    return {letter.pk for letter in response.context["page"]}


def test_caseworkers_and_leaders_see_the_letters_of_their_teams_children_only(
    world, client, letters
):
    anna_letters = {letters["anna"].pk, letters["anna_other"].pk}
    assert outbox_ids(client, world.personas["alice"]) == anna_letters
    assert outbox_ids(client, world.personas["team_leader"]) == anna_letters
    assert outbox_ids(client, world.personas["charlie"]) == {letters["bertram"].pk}
    assert outbox_ids(client, world.personas["outsider"]) == {letters["xena"].pk}  # other town


def test_citizens_see_only_letters_addressed_to_them(world, client, letters):
    assert outbox_ids(client, world.personas["parent"]) == {letters["anna"].pk}
    assert outbox_ids(client, world.personas["other_parent"]) == {letters["bertram"].pk}


def test_a_child_with_a_login_sees_letters_addressed_to_the_child(world, client, letters):
    asger = world.anna_sibling
    asger.user = user_with_role(Role.CITIZEN, None, municipality=world.municipality)
    asger.save()
    to_asger = LetterFactory(child=asger, recipient_child=asger)
    assert outbox_ids(client, asger.user) == {to_asger.pk}


@pytest.mark.parametrize(
    "persona", ["professional", "outreach", "provider", "analyst", "administrator"]
)
def test_roles_without_letters_get_403(world, client, letters, persona):
    client.force_login(world.personas[persona])
    response = client.get(reverse("core:outbox"))
    assert response.status_code == 403
    assert b"Anna" not in response.content


def test_the_pdf_of_another_teams_letter_is_404(world, client, letters):
    client.force_login(world.personas["charlie"])
    for name in ("letter_pdf", "letter_detail"):
        response = client.get(reverse(f"core:{name}", args=[letters["anna"].pk]))
        assert response.status_code == 404
    client.force_login(world.personas["parent"])  # addressed to the other custody holder
    response = client.get(reverse("core:letter_pdf", args=[letters["anna_other"].pk]))
    assert response.status_code == 404
    assert not events(AuditAction.EXPORT)


def test_the_pdf_download_is_an_attachment_named_without_personal_data(world, client):
    letter = letter_to_parent(world)
    client.force_login(world.personas["parent"])
    response = client.get(reverse("core:letter_pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="brev-{letter.pk}.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response.content == bytes(letter.pdf)


def test_the_letter_page_shows_the_letter(world, client):
    staff_names(world)
    letter = letter_to_parent(world)
    client.force_login(world.personas["parent"])
    response = client.get(reverse("core:letter_detail", args=[letter.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alice Rådgivesen" in body and "Kære Forælder Testesen" in body
    assert reverse("core:letter_pdf", args=[letter.pk]) in body
    assert "I kø til afsendelse" in body
    assert "Afsendt via" not in body  # technical details are for staff


def test_the_outbox_pages_by_50_and_logs_only_the_page_shown(world, client):
    LetterFactory.create_batch(51, child=world.anna)
    client.force_login(world.personas["alice"])

    first = client.get(reverse("core:outbox"))
    assert len(first.context["page"]) == 50
    assert len(events(AuditAction.VIEW, object_type="core.letter")) == 50
    second = client.get(reverse("core:outbox"), {"side": 2})
    assert len(second.context["page"]) == 1


def test_the_outbox_query_count_does_not_grow_with_the_letters(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.personas["alice"])
    url = reverse("core:outbox")
    LetterFactory.create_batch(3, child=world.anna)
    client.get(url)  # warm up (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    LetterFactory.create_batch(27, child=world.anna)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert len(response.context["page"]) == 30
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_letter_page_query_count_is_pinned(world, client, django_assert_max_num_queries):
    letter = LetterFactory(child=world.anna)
    client.force_login(world.personas["alice"])
    with django_assert_max_num_queries(15):
        assert client.get(reverse("core:letter_detail", args=[letter.pk])).status_code == 200


class SlowChannel:
    """Holds each send a moment, so two workers overlap if nothing stops them."""

    name = "slow"
    sent: list[int] = []

    def send(self, letter):
        time.sleep(0.3)
        SlowChannel.sent.append(letter.pk)
        return DeliveryResult(reference="SLOW")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_workers_at_once_send_a_letter_once(settings):
    settings.TRAPPEN_LETTER_CHANNEL = "trappen.core.tests.test_letters.SlowChannel"
    SlowChannel.sent = []
    letter = LetterFactory()
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def worker():
        try:
            start.wait()
            outcomes.append(deliver(letter.pk))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(outcomes) == ["already_sent", "sent"]
    assert SlowChannel.sent == [letter.pk]
    assert AuditEvent.objects.filter(action=AuditAction.SEND).count() == 1
