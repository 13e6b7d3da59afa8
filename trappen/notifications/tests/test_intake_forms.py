"""The web ways in: the professional's form, the public form, and the notifier's own view."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trappen.core.letters.service import create_letter
from trappen.core.models import AuditEvent
from trappen.core.tests.factories import NotificationFactory, WellbeingAssessmentFactory
from trappen.notifications import services
from trappen.notifications.forms import (
    CHOICE_MESSAGE,
    MESSAGES,
    PublicNotificationForm,
    new_form_token,
)
from trappen.notifications.models import Channel, Notification, ReporterKind
from trappen.notifications.views import intake

pytestmark = pytest.mark.django_db

NEW = reverse("notifications:new")
PUBLIC = reverse("notifications:public_new")
MINE = reverse("notifications:submitted")
TOKEN_INPUT = re.compile(rb'name="form_token" value="([A-Za-z0-9_-]+)"')
SCRIPT = "<script>alert(1)</script>"


def token_in(response) -> str:
    return TOKEN_INPUT.search(response.content).group(1).decode()


def professional_post(world, **overrides) -> dict:
    data = {
        "form_token": new_form_token(),
        "reporter_unit": str(world.school_a.pk),
        "reporter_profession": "Lærer",
        "reporter_phone": "12 34 56 78",
        "child_cpr": world.anna.cpr,
        "child_name": "Anna Testesen",
        "concern": "Anna kommer sulten i skole og har blå mærker på armene.",
        "areas": ["family", "health"],
        "level": "4",
        "reasons": ["neglect"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def public_post(world, **overrides) -> dict:
    data = {
        "form_token": new_form_token(),
        "municipality": str(world.municipality.pk),
        "identity": "navn",
        "reporter_kind": "citizen",
        "reporter_name": "Nina Nabo",
        "reporter_phone": "87 65 43 21",
        "reporter_email": "nina@example.dk",
        "child_name": "Lille Ole",
        "child_birth_date": "2018-05-02",
        "child_address": "Testvej 1",
        "concern": "Jeg hører råb og gråd fra lejligheden hver aften.",
        "reasons": ["domestic_conflict"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def login(client, world, persona="professional"):
    client.force_login(world.personas[persona])


# --- the professional's form: rendering and prefill ---


def test_it_prefills_unit_and_profession_and_tells_to_call_112(world, client):
    professional = world.personas["professional"]
    professional.title = "Pædagog"
    professional.save(update_fields=["title"])
    login(client, world)
    response = client.get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["reporter_profession"] == "Pædagog"
    assert list(form.fields["reporter_unit"].queryset) == [world.school_a]  # own units only
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token_in(response))
    page = response.content.decode()
    assert "ring <strong>112</strong>" in page
    assert "Sydskolen" not in page
    assert response["Cache-Control"] == "no-store"


def test_each_render_gets_its_own_token(world, client):
    login(client, world)
    assert token_in(client.get(NEW)) != token_in(client.get(NEW))


def test_it_prefills_from_a_red_assessment_without_the_cpr_number(world, client):
    assessment = WellbeingAssessmentFactory(
        child=world.anna, unit=world.school_a, level=4, areas=["family", "school"]
    )
    login(client, world)
    response = client.get(NEW, {"vurdering": assessment.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["level"] == 4
    assert form.initial["areas"] == ["family", "school"]
    assert "child_cpr" not in form.fields  # the child comes from the assessment
    page = response.content.decode()
    assert "Anna Testesen" in page
    assert "du har pligt til at underrette" in page
    assert re.search(r'name="level" value="4"[^>]* checked>', page)
    assert re.search(r'name="areas" value="school"[^>]* checked>', page)
    assert not re.search(r'name="areas" value="health"[^>]* checked>', page)
    assert world.anna.cpr not in page
    assert AuditEvent.objects.filter(
        object_type="early.wellbeingassessment", object_id=str(assessment.pk)
    ).exists()


@pytest.mark.parametrize("which", ["other_school", "missing", "garbage"])
def test_it_refuses_an_assessment_the_user_may_not_see(world, client, which):
    other = WellbeingAssessmentFactory(child=world.bertram, unit=world.school_b, level=5)
    value = {"other_school": str(other.pk), "missing": "999999", "garbage": "1 OR 1=1"}[which]
    login(client, world)
    response = client.get(NEW, {"vurdering": value})
    assert response.status_code == 404
    assert b"Bertram" not in response.content


def test_it_refuses_an_assessment_of_another_unit_about_a_child_the_user_sees(world, client):
    """Anna is in the professional's school; a health visitor's assessment of her is not theirs."""
    from trappen.core.models import UnitKind
    from trappen.core.tests.factories import UnitFactory

    health = UnitFactory(municipality=world.municipality, kind=UnitKind.HEALTH_SERVICE)
    assessment = WellbeingAssessmentFactory(child=world.anna, unit=health, level=4)
    login(client, world)
    assert client.get(NEW, {"vurdering": assessment.pk}).status_code == 404


def test_only_professionals_reach_the_form(world, client):
    login(client, world, "alice")
    assert client.get(NEW).status_code == 403


# --- the professional's form: field errors in Danish (the form's own checks) ---


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("concern", "", "Beskriv din bekymring for barnet."),
        ("concern", "x" * 20_001, "Teksten må højst være på 20000 tegn (den er på 20001)."),
        ("reporter_profession", "", "Skriv din faggruppe, fx lærer eller pædagog."),
        ("reporter_profession", "x" * 101, "Teksten må højst være på 100 tegn"),
        ("reporter_phone", "1" * 31, "Teksten må højst være på 30 tegn"),
        ("reporter_unit", "", "Vælg den enhed, du underretter fra."),
        ("child_name", "x" * 201, "Teksten må højst være på 200 tegn"),
        ("child_address", "x" * 301, "Teksten må højst være på 300 tegn"),
        ("child_birth_date", "32-13-2015", "Skriv fødselsdatoen som dd-mm-åååå, fx 14-03-2015."),
        ("siblings_note", "x" * 5001, "Teksten må højst være på 5000 tegn"),
        ("level", "", "Vælg, hvor bekymret du er, på trivselslinealen."),
        ("level", "9", CHOICE_MESSAGE),
        ("areas", ["family", "moon"], CHOICE_MESSAGE),
        ("reasons", ["neglect", "aliens"], CHOICE_MESSAGE),
        ("form_token", "short", MESSAGES["token"]),
    ],
)
def test_each_field_answers_in_danish(world, client, field, value, message):
    login(client, world)
    response = client.post(NEW, professional_post(world, **{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert message.split(" (")[0] in response.content.decode()
    assert not Notification.objects.exists()


def test_a_unit_the_professional_does_not_belong_to_is_refused(world, client):
    login(client, world)
    response = client.post(NEW, professional_post(world, reporter_unit=str(world.school_b.pk)))
    assert response.context["form"].errors["reporter_unit"] == ["Vælg en af dine egne enheder."]


def test_a_broken_token_is_replaced_so_the_next_send_can_succeed(world, client):
    login(client, world)
    response = client.post(NEW, professional_post(world, form_token="!!"))
    assert MESSAGES["token"] in response.content.decode()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token_in(response))


def test_service_errors_land_on_the_fields_they_name(world, client, monkeypatch):
    def refuse(*args, **kwargs):
        raise services.InvalidNotification(
            {
                "child_cpr": ["CPR-nummeret skal have 10 cifre."],
                "child": ["Skriv barnets CPR-nummer eller navn og fødselsdato."],
                "channel": ["Ukendt indgang."],
            }
        )

    monkeypatch.setattr(intake, "submit_notification", refuse)
    login(client, world)
    response = client.post(NEW, professional_post(world))
    form = response.context["form"]
    assert form.errors["child_cpr"] == [
        "CPR-nummeret skal have 10 cifre.",
        "Skriv barnets CPR-nummer eller navn og fødselsdato.",
    ]
    assert form.non_field_errors() == ["Ukendt indgang."]


def test_the_cpr_number_is_never_echoed_into_the_page(world, client, monkeypatch):
    monkeypatch.setattr(
        intake,
        "submit_notification",
        lambda *a, **k: (_ for _ in ()).throw(
            services.InvalidNotification({"child_cpr": ["CPR-nummeret findes ikke."]})
        ),
    )
    login(client, world)
    number = world.anna.cpr
    response = client.post(NEW, professional_post(world, child_cpr=number))
    page = response.content.decode()
    assert "CPR-nummeret findes ikke." in page
    assert number not in page
    assert f"{number[:6]}-{number[6:]}" not in page


# --- the professional's form: the full flow through the service ---


def test_a_professional_files_a_notification_and_is_sent_to_its_receipt(world, client):
    login(client, world)
    response = client.post(NEW, professional_post(world))
    notification = Notification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:submitted_detail", args=[notification.pk])
    assert world.anna.cpr not in response["Location"]
    assert notification.channel == Channel.PROFESSIONAL_FORM
    assert notification.reporter_user == world.personas["professional"]
    assert notification.reporter_unit == world.school_a
    assert notification.reporter_kind == ReporterKind.SCHOOL
    assert notification.reporter_profession == "Lærer"
    assert notification.child == world.anna
    assert notification.level == 4
    assert sorted(notification.areas) == ["family", "health"]
    assert notification.reasons == ["neglect"]
    page = client.get(response["Location"]).content.decode()
    assert "Tak. Kommunen har modtaget din underretning." in page
    receipt = notification.letters.get(template="notification_receipt")  # sent at once
    assert receipt.recipient_user == world.personas["professional"]
    assert reverse("core:letter_detail", args=[receipt.pk]) in page


def test_a_notification_from_an_assessment_names_the_assessment_and_its_child(world, client):
    assessment = WellbeingAssessmentFactory(child=world.anna, unit=world.school_a, level=5)
    login(client, world)
    url = f"{NEW}?vurdering={assessment.pk}"
    data = professional_post(world, child_cpr=None, child_name=None, level="5")
    response = client.post(url, data)
    assert response.status_code == 302
    notification = Notification.objects.get()
    assert notification.child == world.anna
    assert notification.wellbeing_assessment == assessment


def test_a_double_click_stores_one_notification_and_shows_the_first_receipt(world, client):
    login(client, world)
    data = professional_post(world)
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert Notification.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    page = client.get(second["Location"]).content.decode()
    assert "Underretningen var allerede modtaget. Den er ikke sendt to gange." in page


def test_a_used_token_with_other_content_gets_a_new_token_and_no_duplicate(world, client):
    login(client, world)
    data = professional_post(world)
    client.post(NEW, data)
    response = client.post(NEW, {**data, "concern": "En helt anden bekymring om et andet barn."})
    assert response.status_code == 200
    assert MESSAGES["token_reused"] in response.content.decode()
    assert token_in(response) != data["form_token"]
    assert Notification.objects.count() == 1


def test_an_acute_notification_repeats_the_112_instruction(world, client):
    login(client, world)
    response = client.post(NEW, professional_post(world, acute="on"), follow=True)
    assert Notification.objects.get().acute is True
    assert "ring 112, hvis der er fare for liv" in response.content.decode()


def test_script_is_stored_as_text_and_shown_escaped(world, client):
    login(client, world)
    response = client.post(NEW, professional_post(world, concern=SCRIPT, siblings_note=SCRIPT))
    notification = Notification.objects.get()
    assert notification.concern == SCRIPT
    page = client.get(response["Location"]).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- the professional's own notifications ---


def test_the_list_shows_only_own_notifications(world, client):
    mine = NotificationFactory(child=world.anna, reporter_user=world.personas["professional"])
    theirs = NotificationFactory(
        child=world.bertram, reporter_user=world.personas["professional_other_school"]
    )
    login(client, world)
    page = client.get(MINE).content.decode()
    assert f"U-{mine.pk}<" in page
    assert f"U-{theirs.pk}<" not in page
    assert AuditEvent.objects.filter(
        object_type="notifications.notification", object_id=str(mine.pk), purpose__contains="Mine"
    ).exists()


def test_the_list_never_shows_a_name_looked_up_from_the_cpr_number(world, client):
    """A notifier who only typed a CPR number sees the birth date, not the matched child's name."""
    NotificationFactory(
        child=world.anna, child_name="", reporter_user=world.personas["professional"]
    )
    login(client, world)
    page = client.get(MINE).content.decode()
    assert "Anna" not in page
    assert f"Barn født {world.anna.birth_date:%d.%m.%Y}" in page


def test_another_professionals_notification_is_not_found(world, client):
    theirs = NotificationFactory(
        child=world.bertram, reporter_user=world.personas["professional_other_school"]
    )
    login(client, world)
    url = reverse("notifications:submitted_detail", args=[theirs.pk])
    assert client.get(url).status_code == 404


def test_the_detail_shows_status_receipt_and_feedback_but_no_case_content(world, client):
    professional = world.personas["professional"]
    notification = NotificationFactory(
        child=world.anna,
        child_name="Anna Testesen",
        reporter_user=professional,
        team=world.team_a,
        status="decided",
        assessment_note="HEMMELIG VURDERING",
        decision="investigation",
        decision_reason="HEMMELIG BEGRUNDELSE",
        receipt_sent_at=datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC),
    )
    letters = {}
    for template, context in (
        ("notification_receipt", {"notification": notification}),
        (
            "notification_feedback",
            {
                "notification": notification,
                "investigation_started": True,
                "support_started": False,
                "placement_started": False,
            },
        ),
    ):
        letters[template] = create_letter(
            template=template,
            context=context,
            municipality=world.municipality,
            recipient_name=str(professional),
            recipient_user=professional,
            notification=notification,
        )
    login(client, world)
    response = client.get(reverse("notifications:submitted_detail", args=[notification.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Færdigbehandlet" in page
    for letter in letters.values():
        assert reverse("core:letter_detail", args=[letter.pk]) in page
        assert letter.subject in page
    receipt = client.get(reverse("core:letter_detail", args=[letters["notification_receipt"].pk]))
    assert "Tak for din underretning" in receipt.content.decode()  # the notifier may read it
    for secret in ("HEMMELIG VURDERING", "HEMMELIG BEGRUNDELSE", world.anna.cpr):
        assert secret not in page
    assert reverse("core:child_detail", args=[world.anna.pk]) not in page
    assert response["Cache-Control"] == "no-store"


def test_the_list_query_count_does_not_grow_with_the_notifications(
    world, client, django_assert_max_num_queries
):
    professional = world.personas["professional"]
    NotificationFactory.create_batch(3, child=world.anna, reporter_user=professional)
    login(client, world)
    client.get(MINE)  # warm up
    with CaptureQueriesContext(connection) as few:
        client.get(MINE)
    NotificationFactory.create_batch(27, child=world.anna, reporter_user=professional)
    with django_assert_max_num_queries(15):
        response = client.get(MINE)
    assert len(response.context["rows"]) == 30
    with CaptureQueriesContext(connection) as many:
        client.get(MINE)
    assert len(many) == len(few)


def test_the_detail_query_count_is_pinned(world, client, django_assert_max_num_queries):
    notification = NotificationFactory(
        child=world.anna, reporter_user=world.personas["professional"]
    )
    login(client, world)
    url = reverse("notifications:submitted_detail", args=[notification.pk])
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_the_form_query_count_is_pinned(world, client, django_assert_max_num_queries):
    assessment = WellbeingAssessmentFactory(child=world.anna, unit=world.school_a, level=4)
    login(client, world)
    with django_assert_max_num_queries(15):
        assert client.get(NEW, {"vurdering": assessment.pk}).status_code == 200


# --- the public form ---


def test_the_public_form_needs_no_login_and_is_not_cached(world, client):
    response = client.get(PUBLIC)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Du kan underrette anonymt" in page
    assert "du får ingen kvittering" in page
    assert "ring <strong>112</strong>" in page
    assert "Du kan ikke vedhæfte filer" in page
    assert 'type="file"' not in page


def test_with_one_municipality_the_public_form_asks_for_none(world):
    form = PublicNotificationForm(municipalities=[world.municipality])
    assert "municipality" not in form.fields


def test_an_anonymous_public_notification_stores_no_contact_data(world, client):
    response = client.post(PUBLIC, public_post(world, identity="anonym"))
    assert response.status_code == 302
    notification = Notification.objects.get()
    assert notification.is_anonymous is True
    assert notification.reporter_kind == ReporterKind.ANONYMOUS
    assert notification.channel == Channel.PUBLIC_FORM
    assert notification.reporter_user is None
    for field in ("reporter_name", "reporter_phone", "reporter_email", "reporter_organisation"):
        assert getattr(notification, field) == "", field
    assert "Nina" not in str(Notification.objects.values().get())


def test_an_anonymous_notifier_may_leave_the_contact_fields_broken(world, client):
    data = public_post(world, identity="anonym", reporter_email="ikke en e-mail")
    assert client.post(PUBLIC, data).status_code == 302


def test_a_named_public_notification_keeps_the_contact_data(world, client):
    assert client.post(PUBLIC, public_post(world)).status_code == 302
    notification = Notification.objects.get()
    assert notification.is_anonymous is False
    assert notification.reporter_kind == ReporterKind.CITIZEN
    assert notification.reporter_name == "Nina Nabo"
    assert notification.reporter_email == "nina@example.dk"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reporter_kind", "", "Vælg, hvordan du kender barnet, eller vælg at være anonym."),
        ("reporter_kind", "police", CHOICE_MESSAGE),
        ("reporter_email", "ikke en e-mail", "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."),
        ("reporter_name", "x" * 201, "Teksten må højst være på 200 tegn"),
        ("municipality", "", "Vælg den kommune, barnet bor i."),
        ("municipality", "999999", "Vælg en kommune på listen."),
        ("identity", "maybe", CHOICE_MESSAGE),
        ("reasons", ["unborn"], CHOICE_MESSAGE),  # not in the public form's simpler list
        ("concern", "", "Beskriv din bekymring for barnet."),
    ],
)
def test_each_public_field_answers_in_danish(world, client, field, value, message):
    response = client.post(PUBLIC, public_post(world, **{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert not Notification.objects.exists()


def test_the_honeypot_stores_nothing(world, client):
    response = client.post(PUBLIC, public_post(world, website="http://spam.example"))
    assert response.status_code == 200
    assert MESSAGES["bot"] in response.content.decode()
    assert "spam.example" not in response.content.decode()
    assert not Notification.objects.exists()


def test_a_public_retry_returns_the_first_receipt(world, client):
    data = public_post(world)
    first = client.post(PUBLIC, data)
    second = client.post(PUBLIC, data)
    assert Notification.objects.count() == 1
    first_id = intake.notification_id_from_receipt_token(first["Location"].split("/")[-2])
    second_id = intake.notification_id_from_receipt_token(second["Location"].split("/")[-2])
    assert first_id == second_id == Notification.objects.get().pk


def test_the_public_form_escapes_script(world, client):
    response = client.post(PUBLIC, public_post(world, concern=SCRIPT, child_name=SCRIPT))
    notification = Notification.objects.get()
    assert notification.concern == SCRIPT
    assert SCRIPT.encode() not in client.get(response["Location"]).content


def test_the_csrf_token_is_required(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(PUBLIC, public_post(world)).status_code == 403
    assert not Notification.objects.exists()


# --- the public receipt page ---


def test_the_receipt_page_shows_a_reference_and_no_personal_data(world, client):
    response = client.post(PUBLIC, public_post(world))
    notification = Notification.objects.get()
    assert "Lille" not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert f"U-{notification.pk}" in text
    assert "Kommunen kan kontakte dig" in text
    for personal in ("Lille Ole", "Nina", "Testvej", "råb og gråd", "02.05.2018", "2. maj 2018"):
        assert personal not in text


def test_the_anonymous_receipt_page_says_there_is_no_receipt(world, client):
    response = client.post(PUBLIC, public_post(world, identity="anonym"))
    text = client.get(response["Location"]).content.decode()
    assert "Du har underrettet anonymt" in text
    assert "du får ingen kvittering" in text


@pytest.mark.parametrize("kind", ["tampered", "other_salt", "garbage", "too_long"])
def test_a_bad_receipt_token_is_not_found(world, client, kind):
    notification = NotificationFactory(child=None, municipality=world.municipality)
    good = intake.receipt_token(notification)
    token = {
        "tampered": good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
        "other_salt": signing.dumps(notification.pk, salt="something-else"),
        "garbage": "abc",
        "too_long": "a" * 500,
    }[kind]
    response = client.get(reverse("notifications:public_received", args=[token]))
    assert response.status_code == 404
    assert f"U-{notification.pk}" not in response.content.decode()


def test_the_receipt_token_expires_after_an_hour(world, client, monkeypatch):
    notification = NotificationFactory(child=None, municipality=world.municipality)
    url = reverse("notifications:public_received", args=[intake.receipt_token(notification)])
    assert client.get(url).status_code == 200
    later = signing.time.time() + intake.RECEIPT_MAX_AGE + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(url)
    assert response.status_code == 404
    assert "Siden kan ikke vises længere" in response.content.decode()


def test_the_receipt_page_query_count_is_pinned(world, client, django_assert_max_num_queries):
    notification = NotificationFactory(child=None, municipality=world.municipality)
    url = reverse("notifications:public_received", args=[intake.receipt_token(notification)])
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200


# --- no input answers 500 ---

ANY_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="0123456789- ", max_size=14),
    st.sampled_from(["", " ", "\x00", "6113901234", SCRIPT, "' OR 1=1 --", "2015-02-30", "-1"]),
)
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFESSIONAL_FIELDS = [
    "form_token",
    "reporter_unit",
    "reporter_profession",
    "reporter_phone",
    "child_cpr",
    "child_name",
    "child_birth_date",
    "child_address",
    "siblings_note",
    "concern",
    "areas",
    "level",
    "reasons",
    "acute",
]
PUBLIC_FIELDS = [
    "form_token",
    "municipality",
    "identity",
    "reporter_kind",
    "reporter_name",
    "reporter_phone",
    "reporter_email",
    "child_cpr",
    "child_name",
    "child_birth_date",
    "child_address",
    "siblings_note",
    "concern",
    "areas",
    "level",
    "reasons",
    "acute",
    "website",
]


@FUZZ
@given(field=st.sampled_from(PROFESSIONAL_FIELDS), value=ANY_TEXT)
def test_bad_input_in_any_professional_field_never_fails(world, client, field, value):
    login(client, world)
    response = client.post(NEW, professional_post(world, **{field: value}))
    assert response.status_code in (200, 302)
    assert SCRIPT.encode() not in response.content


@FUZZ
@given(field=st.sampled_from(PUBLIC_FIELDS), value=ANY_TEXT)
def test_bad_input_in_any_public_field_never_fails(world, client, field, value):
    response = client.post(PUBLIC, public_post(world, **{field: value}))
    assert response.status_code in (200, 302)
    assert SCRIPT.encode() not in response.content


@FUZZ
@given(value=ANY_TEXT)
def test_bad_input_in_the_urls_never_fails(world, client, value):
    login(client, world)
    assert client.get(NEW, {"vurdering": value}).status_code in (200, 404)
    assert client.get(MINE, {"side": value}).status_code == 200
    if value and "/" not in value:
        url = reverse("notifications:public_received", args=[value])
        assert client.get(url).status_code == 404
