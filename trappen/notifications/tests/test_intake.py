"""The intake service (services.py): validation, matching, idempotency, the receipt, audit.

The legal clock has its own module (test_clock.py); concurrency on PostgreSQL is in
test_intake_concurrency.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import fields, replace

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from trappen.core import cpr
from trappen.core.calendar import COPENHAGEN
from trappen.core.models import AuditAction, AuditEvent, Letter, Role, UnitKind
from trappen.core.tests.factories import (
    ChildFactory,
    HouseholdFactory,
    NotificationFactory,
    UnitFactory,
    WellbeingAssessmentFactory,
    synthetic_cpr,
)
from trappen.notifications import services
from trappen.notifications.models import (
    Channel,
    EventKind,
    Notification,
    NotificationEvent,
    ReporterKind,
)
from trappen.notifications.services import (
    IdempotencyConflict,
    InvalidNotification,
    NotificationInput,
    validate_notification,
)
from trappen.notifications.tests.factories import (
    anonymous_input,
    api_client,
    api_input,
    new_key,
    professional_input,
    public_input,
    submit,
)
from trappen.people.models import Child

pytestmark = pytest.mark.django_db

INPUT_FIELDS = {f.name for f in fields(NotificationInput)}
TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=COPENHAGEN)


def errors_of(world, data, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(InvalidNotification) as caught:
        submit(world, data, now=NOW, **kwargs)
    return caught.value.errors


def years_before(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year - years)


# --- validation, field by field ----------------------------------------------------------------


def test_a_complete_professional_submission_is_valid(world):
    validate_notification(world.municipality, professional_input(world))


RULES = [
    # (builder, changes, field, words the Danish message must hold)
    ("professional", {"concern": ""}, "concern", "Beskriv din bekymring"),
    ("professional", {"concern": "   \n "}, "concern", "Beskriv din bekymring"),
    ("professional", {"concern": "x" * 20_001}, "concern", "højst være 20.000 tegn"),
    ("professional", {"concern": "a\x00b"}, "concern", "ugyldige tegn"),
    ("professional", {"reporter_kind": "teacher"}, "reporter_kind", "hvem der underretter"),
    ("professional", {"areas": ("school", "moon")}, "areas", "bekymringsområder"),
    ("professional", {"areas": "school"}, "areas", "Ugyldig værdi"),
    ("professional", {"reasons": ("nope",)}, "reasons", "årsager"),
    ("professional", {"level": 0}, "level", "fra 1 til 5"),
    ("professional", {"level": 6}, "level", "fra 1 til 5"),
    ("professional", {"level": "3"}, "level", "Ugyldig værdi"),
    ("professional", {"acute": "ja"}, "acute", "Ugyldig værdi"),
    ("professional", {"child_cpr": "12345"}, "child_cpr", "10 cifre"),
    ("professional", {"child_cpr": "010190-1234"}, "child_cpr", "fiktive CPR-numre"),
    ("professional", {"child_cpr": "6113901234"}, "child_cpr", "gyldig fødselsdato"),
    ("professional", {"child_name": ""}, "child_name", "barnets navn"),
    ("professional", {"child_name": "x" * 201}, "child_name", "højst være 200 tegn"),
    ("professional", {"child_name": "Anna \ud800"}, "child_name", "ugyldige tegn"),
    ("professional", {"child_cpr": ""}, "child_birth_date", "fødselsdato eller CPR"),
    ("professional", {"reporter_user": None}, "reporter_user", "logget ind"),
    ("professional", {"reporter_unit": None}, "reporter_unit", "enhed"),
    ("professional", {"reporter_kind": "citizen"}, "reporter_kind", "arbejdssted"),
    ("professional", {"is_anonymous": True}, "is_anonymous", "offentlige formular"),
    ("professional", {"reporter_email": "ikke-en-adresse"}, "reporter_email", "gyldig e-mail"),
    ("professional", {"reporter_phone": "ring mig"}, "reporter_phone", "telefonnummer"),
    ("professional", {"reporter_phone": "1234"}, "reporter_phone", "telefonnummer"),
    ("professional", {"wellbeing_assessment_id": 999_999}, "wellbeing_assessment_id", "findes"),
    ("professional", {"wellbeing_assessment_id": True}, "wellbeing_assessment_id", "Ugyldig"),
    ("public", {"child_birth_date": None, "child_address": ""}, "child_birth_date", "adresse"),
    ("public", {"reporter_name": ""}, "reporter_name", "dit navn"),
    ("public", {"reporter_kind": "health", "reporter_phone": ""}, "reporter_email", "kvittering"),
    ("public", {"reporter_kind": "anonymous"}, "is_anonymous", "anonymt"),
    (
        "public",
        {"child_birth_date": dt.datetime(2016, 1, 1, tzinfo=COPENHAGEN)},
        "child_birth_date",
        "gyldig dato",
    ),
    ("anonymous", {"reporter_name": "Nabo"}, "reporter_name", "anonym"),
    ("anonymous", {"reporter_email": "nabo@example.org"}, "reporter_email", "anonym"),
    ("anonymous", {"reporter_kind": "school"}, "is_anonymous", "skærpet underretningspligt"),
    ("api", {"api_client": None}, "api_client", "API-klient"),
]


@pytest.mark.parametrize(("builder", "changes", "field", "words"), RULES)
def test_each_rule_names_its_field_in_danish(world, builder, changes, field, words):
    base = {
        "professional": professional_input,
        "public": public_input,
        "anonymous": anonymous_input,
    }.get(builder)
    data = base(world) if base else api_input(world, api_client(world, unit=world.school_a))
    errors = errors_of(world, replace(data, **changes))
    assert field in errors, errors
    assert any(words in message for message in errors[field]), errors[field]
    assert set(errors) <= INPUT_FIELDS
    assert not Notification.objects.exists()


def test_every_broken_field_is_named_at_once(world):
    data = professional_input(world, concern="", reporter_kind="teacher", level=9, child_name="")
    assert set(errors_of(world, data)) == {"concern", "reporter_kind", "level", "child_name"}


def test_the_longest_allowed_concern_is_accepted(world):
    result = submit(world, professional_input(world, concern="x" * 20_000), now=NOW)
    assert len(result.notification.concern) == 20_000


def test_a_child_of_18_is_refused_and_one_day_younger_is_accepted(world):
    eighteen = years_before(TODAY, 18)
    data = public_input(world, child_birth_date=eighteen)
    assert "under 18 år" in errors_of(world, data)["child_birth_date"][0]
    result = submit(world, replace(data, child_birth_date=eighteen + dt.timedelta(days=1)), now=NOW)
    assert result.created


def test_a_cpr_number_of_an_adult_is_refused(world):
    adult = synthetic_cpr(years_before(TODAY, 19))
    assert (
        "under 18 år"
        in errors_of(world, professional_input(world, child_cpr=adult))["child_cpr"][0]
    )


def test_a_birth_date_in_the_future_is_refused(world):
    data = public_input(world, child_birth_date=TODAY + dt.timedelta(days=1))
    assert "fremtiden" in errors_of(world, data)["child_birth_date"][0]


def test_a_birth_date_that_contradicts_the_cpr_number_is_refused(world):
    data = professional_input(world, child_birth_date=dt.date(2015, 3, 15))  # Anna: 14 March
    assert "passer ikke" in errors_of(world, data)["child_birth_date"][0]


def test_a_professional_cannot_notify_from_another_unit(world):
    data = professional_input(world, reporter_unit=world.school_b)
    assert "tilknyttet" in errors_of(world, data)["reporter_unit"][0]


def test_a_user_or_unit_of_another_municipality_is_refused(world):
    data = professional_input(world, reporter_user=world.personas["outsider"])
    assert "kommunen" in errors_of(world, data)["reporter_user"][0]
    foreign_unit = UnitFactory(municipality=world.other_municipality)
    data = public_input(world, reporter_kind="school", reporter_unit=foreign_unit)
    assert "kommunen" in errors_of(world, data)["reporter_unit"][0]


def test_an_api_client_needs_a_unit_or_a_named_reporter_and_must_be_active(world):
    client = api_client(world, unit=None)
    assert "reporter_name" in errors_of(world, api_input(world, client))
    assert submit(world, api_input(world, client, reporter_name="Politikommissær P"), now=NOW)
    client.is_active = False
    client.save()
    data = api_input(world, client, reporter_name="Politikommissær P")
    assert "adgang" in errors_of(world, data)["api_client"][0]


def test_a_wellbeing_assessment_of_another_unit_cannot_be_attached(world):
    other = WellbeingAssessmentFactory(child=world.bertram)  # Sydskolen's assessment
    data = professional_input(world, wellbeing_assessment_id=other.pk)
    assert "wellbeing_assessment_id" in errors_of(world, data)
    own = WellbeingAssessmentFactory(child=world.anna)  # Nordskolen's assessment
    result = submit(world, professional_input(world, wellbeing_assessment_id=own.pk), now=NOW)
    assert result.notification.wellbeing_assessment_id == own.pk


def test_the_public_form_accepts_an_address_instead_of_a_birth_date(world):
    result = submit(world, public_input(world, child_birth_date=None), now=NOW)
    assert result.notification.child_address == "Testvej 1"
    assert result.notification.child_birth_date is None


def test_an_unborn_child_needs_no_name_cpr_or_birth_date(world):
    data = anonymous_input(
        world, reasons=("unborn",), child_name="", child_birth_date=None, child_address=""
    )
    notification = submit(world, data, now=NOW).notification
    assert notification.child_name == "Ufødt barn"
    assert notification.child is None


def test_an_unborn_childs_expected_date_may_lie_up_to_300_days_ahead(world):
    data = public_input(world, reasons=("unborn",), child_name="")
    ahead = replace(data, child_birth_date=TODAY + dt.timedelta(days=300))
    assert submit(world, ahead, now=NOW).created
    too_far = replace(data, child_birth_date=TODAY + dt.timedelta(days=301))
    assert "10 måneder" in errors_of(world, too_far)["child_birth_date"][0]


def test_an_overlong_idempotency_key_is_refused_by_name(world):
    errors = errors_of(world, professional_input(world), idempotency_key="k" * 151)
    assert list(errors) == ["idempotency_key"]


# --- hypothesis: any input is stored or refused with field errors, never anything else ----------

ANY_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="0123456789-– ", max_size=14),
    st.sampled_from(["", " ", "\x00", "\ud800", "6113901234", "<script>", "x" * 20_001]),
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


MAYBE_TEXT = st.one_of(st.none(), ANY_TEXT)  # None: keep the builder's (valid) value


def fuzzed(data: NotificationInput, **values) -> NotificationInput:
    return replace(data, **{k: v for k, v in values.items() if v is not None})


@FUZZ
@given(
    builder=st.sampled_from(["professional", "public", "anonymous", "api"]),
    concern=MAYBE_TEXT,
    child_cpr=MAYBE_TEXT,
    child_name=MAYBE_TEXT,
    born=st.one_of(st.none(), st.dates()),
    address=MAYBE_TEXT,
    email=MAYBE_TEXT,
    phone=MAYBE_TEXT,
    kind=st.one_of(st.none(), st.sampled_from([*ReporterKind.values, "x"])),
    channel=st.one_of(st.none(), st.sampled_from([*Channel.values, "fax"])),
    reasons=st.one_of(st.none(), st.lists(st.sampled_from(["unborn", "neglect", "x"]), max_size=2)),
)
def test_any_submission_is_stored_or_refused_with_danish_field_errors(
    world, builder, concern, child_cpr, child_name, born, address, email, phone, kind, channel,
    reasons
):  # fmt: skip
    if builder == "api":
        data = api_input(world, api_client(world, unit=world.school_a))
    else:
        builders = {"professional": professional_input, "public": public_input}
        data = builders.get(builder, anonymous_input)(world)
    data = fuzzed(
        data,
        concern=concern,
        child_cpr=child_cpr,
        child_name=child_name,
        child_birth_date=born,
        child_address=address,
        reporter_email=email,
        reporter_phone=phone,
        reporter_kind=kind,
        channel=channel,
        reasons=tuple(reasons) if reasons is not None else None,
    )
    try:
        result = submit(world, data, now=NOW)
    except InvalidNotification as exc:
        event("refused")
        assert exc.errors and set(exc.errors) <= INPUT_FIELDS
        assert all(isinstance(m, str) and m for ms in exc.errors.values() for m in ms)
    else:
        event("stored")
        assert result.created
        assert Notification.objects.filter(pk=result.notification.pk).exists()


@FUZZ
@given(born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2036, 12, 31)))
def test_any_synthetic_cpr_number_is_matched_or_refused_for_age(world, born):
    number = cpr.synthetic_number(born, 7)
    try:
        result = submit(world, professional_input(world, child_cpr=number), now=NOW)
    except InvalidNotification as exc:
        assert list(exc.errors) == ["child_cpr"]
        assert not (years_before(TODAY, 18) < born <= TODAY)
    else:
        assert result.notification.child.birth_date == born
        assert years_before(TODAY, 18) < born <= TODAY


# --- matching ------------------------------------------------------------------------------------


def test_a_known_cpr_number_links_the_child_its_open_case_team_and_siblings(world):
    notification = submit(world, professional_input(world), now=NOW).notification
    assert notification.child == world.anna
    assert notification.case == world.anna_case
    assert notification.team == world.team_a
    assert list(notification.siblings.all()) == [world.anna_sibling]
    assert notification.child_birth_date == world.anna.birth_date
    kinds = list(notification.events.values_list("kind", flat=True))
    assert kinds == [EventKind.RECEIVED, EventKind.MATCHED, EventKind.RECEIPT_SENT]


def test_a_cpr_number_written_with_a_dash_matches_the_same_child(world):
    digits = world.anna.cpr
    data = professional_input(world, child_cpr=f"{digits[:6]}-{digits[6:]}")
    assert submit(world, data, now=NOW).notification.child == world.anna


def test_an_unknown_cpr_number_creates_the_child_with_its_birth_date(world):
    number = synthetic_cpr(dt.date(2019, 8, 30))
    data = professional_input(world, child_cpr=number, child_name="Mads Peter Nielsen")
    notification = submit(world, data, now=NOW).notification
    child = notification.child
    assert (child.first_name, child.last_name) == ("Mads Peter", "Nielsen")
    assert child.birth_date == dt.date(2019, 8, 30)
    assert child.municipality == world.municipality
    assert child.is_synthetic and child.cpr == number
    assert notification.case is None
    assert notification.team == world.team_a  # no district: the first caseworker team by name
    created = AuditEvent.objects.filter(object_type="people.child", action=AuditAction.CREATE)
    assert list(created.values_list("object_id", flat=True)) == [str(child.pk)]


def test_a_child_of_another_municipality_is_never_linked(world):
    data = professional_input(world, child_cpr=world.xena.cpr, child_name="Xena Testesen")
    notification = submit(world, data, now=NOW).notification
    assert notification.child != world.xena
    assert notification.child.municipality == world.municipality
    assert Child.objects.filter(cpr_hash=world.xena.cpr_hash).count() == 2


def test_without_cpr_a_single_name_and_birth_date_match_is_left_for_the_caseworker(world):
    data = public_input(world, child_name="anna  TESTESEN", child_birth_date=world.anna.birth_date)
    notification = submit(world, data, now=NOW).notification
    assert notification.child is None and notification.case is None
    assert not notification.siblings.exists()
    received = notification.events.get(kind=EventKind.RECEIVED)
    assert "1 barn/børn i kommunen har samme navn og fødselsdato" in received.note
    assert not notification.events.filter(kind=EventKind.MATCHED).exists()


def test_without_cpr_and_without_a_namesake_the_timeline_mentions_no_match(world):
    notification = submit(world, public_input(world), now=NOW).notification
    assert "samme navn" not in notification.events.get(kind=EventKind.RECEIVED).note


def test_a_closed_case_is_not_linked_and_the_district_team_gets_it(world):
    world.anna_case.closed_on = TODAY - dt.timedelta(days=10)
    world.anna_case.save()
    world.anna.district = "Syd"
    world.anna.save()
    team_syd = UnitFactory(
        municipality=world.municipality,
        name="Team Syd",
        kind=UnitKind.CASEWORKER_TEAM,
        district="Syd",
    )
    notification = submit(world, professional_input(world), now=NOW).notification
    assert notification.case is None
    assert notification.team == team_syd


def test_a_district_without_its_own_team_falls_back_to_the_first_team_by_name(world):
    child = ChildFactory(municipality=world.municipality, district="Øst", unit=world.school_a)
    data = professional_input(world, child_cpr=child.cpr, child_name=child.full_name)
    assert submit(world, data, now=NOW).notification.team == world.team_a


@pytest.mark.parametrize(
    ("earlier", "repeat"),
    [
        (dt.datetime(2026, 1, 10, 9, 0, tzinfo=COPENHAGEN), True),  # about 10 months before
        (
            dt.datetime(2025, 11, 23, 10, 0, tzinfo=COPENHAGEN),
            True,
        ),  # exactly 12 months before: inside
        (
            dt.datetime(2025, 11, 23, 9, 59, tzinfo=COPENHAGEN),
            False,
        ),  # a minute more than 12 months
        (dt.datetime(2025, 10, 23, 10, 0, tzinfo=COPENHAGEN), False),  # 13 months before
        (dt.datetime(2026, 11, 23, 11, 0, tzinfo=COPENHAGEN), False),  # received after this one
    ],
)
def test_a_repeat_is_another_notification_about_the_child_within_12_months(world, earlier, repeat):
    NotificationFactory(child=world.anna, received_at=earlier)
    notification = submit(world, professional_input(world), now=NOW).notification
    assert notification.is_repeat is repeat


def test_a_notification_about_a_sibling_within_12_months_makes_a_repeat(world):
    NotificationFactory(child=world.anna_sibling, received_at=NOW - dt.timedelta(days=200))
    NotificationFactory(child=world.bertram, received_at=NOW - dt.timedelta(days=20))
    assert submit(world, professional_input(world), now=NOW).notification.is_repeat


def test_a_notification_about_another_family_is_no_repeat(world):
    NotificationFactory(child=world.bertram, received_at=NOW - dt.timedelta(days=20))
    assert not submit(world, professional_input(world), now=NOW).notification.is_repeat


def test_siblings_are_the_other_children_of_the_household(world):
    household = HouseholdFactory(municipality=world.municipality)
    older = ChildFactory(municipality=world.municipality, household=household)
    younger = ChildFactory(municipality=world.municipality, household=household)
    ChildFactory(municipality=world.municipality)  # another household
    data = professional_input(world, child_cpr=older.cpr, child_name=older.full_name)
    notification = submit(world, data, now=NOW).notification
    assert list(notification.siblings.all()) == [younger]


# --- idempotency ---------------------------------------------------------------------------------


def counts() -> tuple[int, ...]:
    return (
        Notification.objects.count(),
        NotificationEvent.objects.count(),
        AuditEvent.objects.count(),
        Letter.objects.count(),
        Child.objects.count(),
    )


def test_a_retry_with_the_same_key_returns_the_first_and_creates_nothing(world):
    key = new_key()
    data = professional_input(
        world, child_cpr=synthetic_cpr(dt.date(2018, 2, 2)), child_name="Ny Nysen"
    )
    first = submit(world, data, idempotency_key=key, now=NOW)
    before = counts()
    retry = submit(world, data, idempotency_key=key, now=NOW + dt.timedelta(minutes=5))
    assert first.created and not retry.created
    assert retry.notification.pk == first.notification.pk
    assert counts() == before


def test_the_same_cpr_number_written_differently_is_the_same_content(world):
    key, digits = new_key(), world.anna.cpr
    first = submit(world, professional_input(world), idempotency_key=key, now=NOW)
    dashed = professional_input(world, child_cpr=f"{digits[:6]}-{digits[6:]}")
    assert submit(world, dashed, idempotency_key=key, now=NOW).notification == first.notification


def test_the_same_key_with_other_content_is_a_conflict_and_stores_nothing(world):
    key = new_key()
    submit(world, professional_input(world), idempotency_key=key, now=NOW)
    before = counts()
    with pytest.raises(IdempotencyConflict, match="allerede brugt"):
        submit(world, professional_input(world, concern="Noget andet."), idempotency_key=key)
    assert counts() == before


def test_without_a_key_two_equal_submissions_are_two_notifications(world):
    submit(world, public_input(world), now=NOW)
    submit(world, public_input(world), now=NOW)
    assert Notification.objects.count() == 2


def test_the_submission_hash_holds_the_cpr_number_only_through_the_keyed_hash(world):
    data = professional_input(world)
    number = cpr.parse(data.child_cpr)
    first = services.submission_hash(world.municipality, data, number)
    assert first == services.submission_hash(
        world.municipality, replace(data, areas=("family", "school")), number
    )  # order of choices does not matter
    with override_settings(TRAPPEN_LOOKUP_KEY="another-lookup-key"):
        assert services.submission_hash(world.municipality, data, number) != first


# --- the receipt ---------------------------------------------------------------------------------


def test_a_professional_gets_a_receipt_letter_without_the_child_or_the_case(world):
    notification = submit(world, professional_input(world), now=NOW).notification
    letter = Letter.objects.get()
    assert letter.template == "notification_receipt"
    assert letter.notification == notification
    assert letter.recipient_user == world.personas["professional"]
    assert letter.child is None and letter.case is None
    assert f"U-{notification.pk}" in letter.body_html
    assert "den 23. november 2026 har modtaget din underretning." in letter.body_html
    assert "kl. 10.00" in letter.body_html
    for secret in ("Anna", world.anna.cpr, world.anna.cpr[:6], "trist og træt", "Team A"):
        assert secret not in letter.body_html
    notification.refresh_from_db()
    assert notification.receipt_sent_at == NOW
    assert notification.events.filter(kind=EventKind.RECEIPT_SENT).count() == 1


def test_an_api_notification_from_a_unit_gets_the_receipt_addressed_to_the_unit(world):
    client = api_client(world, unit=world.school_b)
    notification = submit(world, api_input(world, client), now=NOW).notification
    letter = Letter.objects.get()
    assert notification.reporter_unit == world.school_b
    assert (letter.recipient_name, letter.recipient_user) == ("Sydskolen", None)


def test_a_professional_on_the_public_form_gets_the_receipt_by_name(world):
    data = public_input(
        world,
        reporter_kind=ReporterKind.HEALTH,
        reporter_name="Læge Lis",
        reporter_organisation="Lægehuset",
        reporter_email="lis@example.org",
    )
    submit(world, data, now=NOW)
    assert Letter.objects.get().recipient_name == "Læge Lis, Lægehuset"


@pytest.mark.parametrize("builder", [public_input, anonymous_input])
def test_private_and_anonymous_notifiers_get_no_receipt(world, builder):
    notification = submit(world, builder(world), now=NOW).notification
    assert not Letter.objects.exists()
    assert notification.receipt_due_on is None and notification.feedback_due_on is None
    assert notification.receipt_sent_at is None


def test_a_failing_letter_never_loses_the_notification_and_the_receipt_can_be_retried(
    world, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the PDF renderer is down")

    monkeypatch.setattr(services, "create_letter", broken)
    notification = submit(world, professional_input(world), now=NOW).notification
    notification.refresh_from_db()
    assert notification.receipt_sent_at is None
    assert not Letter.objects.exists()

    monkeypatch.undo()
    letter = services.send_receipt(notification)
    assert letter is not None and notification.receipt_sent_at is not None
    assert services.send_receipt(notification) == letter  # idempotent
    assert Letter.objects.count() == 1
    assert notification.events.filter(kind=EventKind.RECEIPT_SENT).count() == 1


def test_send_receipt_does_nothing_for_a_private_notifier(world):
    notification = submit(world, public_input(world), now=NOW).notification
    assert services.send_receipt(notification) is None
    assert not Letter.objects.exists()


# --- audit and the timeline ----------------------------------------------------------------------


def test_the_notification_is_audited_as_created_by_the_reporter(world):
    notification = submit(world, professional_input(world), now=NOW).notification
    event = AuditEvent.objects.get(object_type="notifications.notification")
    assert event.action == AuditAction.CREATE
    assert event.actor == world.personas["professional"]
    assert event.role == Role.PROFESSIONAL
    assert event.child_id == world.anna.pk
    assert event.object_id == str(notification.pk)


def test_an_anonymous_notification_is_audited_without_an_actor(world):
    submit(world, anonymous_input(world), now=NOW)
    event = AuditEvent.objects.get(object_type="notifications.notification")
    assert event.actor is None and event.actor_label == "" and event.child_id is None


def test_no_cpr_number_reaches_the_audit_log_the_timeline_or_the_letters(world):
    unknown = synthetic_cpr(dt.date(2020, 1, 1))
    submit(world, professional_input(world), now=NOW)
    submit(world, professional_input(world, child_cpr=unknown, child_name="Ny Nysen"), now=NOW)
    numbers = {world.anna.cpr, unknown}
    pattern = re.compile(r"\d{6}-?\d{4}")
    rows = [
        *AuditEvent.objects.values_list("purpose", "object_id", "actor_label"),
        *NotificationEvent.objects.values_list("note", flat=True),
        *Letter.objects.values_list("body_html", "recipient_name"),
    ]
    text = repr(rows)
    assert not any(n in text or n[:6] in text for n in numbers)
    assert not pattern.search(text)
    hashes = repr(list(Notification.objects.values_list("submission_hash", "idempotency_key")))
    assert not any(n in hashes for n in numbers)


def test_an_acute_notification_warns_the_notifier_to_call(world):
    result = submit(world, professional_input(world, acute=True), now=NOW)
    assert result.warnings and "112" in result.warnings[0]
    assert submit(world, professional_input(world), now=NOW).warnings == []
