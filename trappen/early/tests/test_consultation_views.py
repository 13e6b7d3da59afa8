"""The consultation pages: the professional's booking, receipt and list, and the outreach
worker's overview, slots and outcomes (trappen/early/views/consultations.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.core.models import AuditEvent, Role, RoleAssignment, UnitKind
from trappen.core.tests.factories import ChildFactory, UnitFactory, user_with_role
from trappen.early.models import Consultation, ConsultationSlot, ConsultationStatus
from trappen.early.redaction import REMOVED
from trappen.early.tests.factories import (
    ConsultationFactory,
    ConsultationSlotFactory,
    EarlyHelpFactory,
)

TOKEN = "v" * 40


def _later(days: int = 2, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def slot(world):
    return ConsultationSlotFactory(
        unit=world.school_a,
        outreach_worker=world.personas["outreach"],
        starts_at=_later(),
        place="Lærerværelset",
    )


@pytest.fixture
def professional(world, client):
    client.force_login(world.personas["professional"])
    return world.personas["professional"]


@pytest.fixture
def outreach(world, client):
    client.force_login(world.personas["outreach"])
    return world.personas["outreach"]


def _post(slot, **fields):
    data = {
        "form_token": TOKEN,
        "age_band": "6_9",
        "level": "3",
        "areas": ["family"],
        "concern": "Virker trist om morgenen.",
    }
    data.update(fields)
    return data


# --- the professional ---


def test_the_booking_page_lists_free_slots_of_own_units_only(
    world, client, professional, slot, django_assert_max_num_queries
):
    ConsultationSlotFactory(unit=world.school_b, place="Sydskolens kontor", starts_at=_later())
    taken = ConsultationSlotFactory(
        unit=world.school_a, place="Det bookede lokale", starts_at=_later(3)
    )
    ConsultationFactory(unit=world.school_a, slot=taken)

    with django_assert_max_num_queries(15):
        response = client.get(
            reverse("early:consultation_book") + "?alder=6_9&niveau=3&omraade=family&omraade=bad"
        )

    html = response.content.decode()
    assert "Lærerværelset" in html
    assert "Sydskolens kontor" not in html and "Det bookede lokale" not in html
    assert "Skriv ikke barnets navn, CPR-nummer eller adresse" in html
    # the prefill travels to the form; an unknown area is dropped
    assert f'?tid={slot.pk}&amp;alder=6_9&amp;niveau=3&amp;omraade=family"' in html


def test_the_form_is_prefilled_from_the_query(client, professional, slot):
    url = reverse("early:consultation_new") + f"?tid={slot.pk}&alder=10_13&niveau=4&omraade=school"

    response = client.get(url)

    form = response.context["form"]
    assert (form["age_band"].value(), form["level"].value(), form["areas"].value()) == (
        "10_13",
        4,
        ["school"],
    )
    assert "Lærerværelset" in response.content.decode()


def test_a_slot_of_another_school_or_already_taken_sends_back_to_the_list(
    world, client, professional
):
    other = ConsultationSlotFactory(unit=world.school_b, starts_at=_later())

    response = client.get(reverse("early:consultation_new") + f"?tid={other.pk}")

    assert response.status_code == 302
    assert response.url == reverse("early:consultation_book")
    assert client.get(reverse("early:consultation_new") + "?tid=abc").status_code == 404


def test_identifying_text_comes_back_cleaned_and_nothing_is_stored(client, professional, slot):
    url = reverse("early:consultation_new") + f"?tid={slot.pk}"
    typed = "Anna i 2.b har CPR 140315-1234 og bor på Møllevænget 7."

    response = client.post(url, _post(slot, concern=typed))

    assert response.status_code == 200
    assert not Consultation.objects.exists()
    html = response.content.decode()
    assert f"{REMOVED} i 2.b har CPR {REMOVED} og bor på {REMOVED}." in html
    assert "140315" not in html and "Møllevænget" not in html
    assert "et CPR-nummer, et navn og en adresse" in html

    cleaned = response.context["form"]["concern"].value()
    response = client.post(url, _post(slot, concern=cleaned))

    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("early:consultation_detail", args=[consultation.pk])
    assert consultation.concern == cleaned


def test_a_retried_post_returns_the_first_booking(client, professional, slot):
    url = reverse("early:consultation_new") + f"?tid={slot.pk}"

    first = client.post(url, _post(slot))
    again = client.post(url, _post(slot))

    assert Consultation.objects.count() == 1
    assert first.url == again.url


def test_a_call_back_request_names_one_of_the_own_units(world, client, professional):
    url = reverse("early:consultation_new")

    refused = client.post(url, _post(None, unit=str(world.school_b.pk)))
    assert refused.status_code == 200
    assert "Vælg en af dine egne enheder." in refused.content.decode()

    client.post(url, _post(None, unit=str(world.school_a.pk)))
    assert Consultation.objects.get().slot is None


def test_bad_input_answers_in_danish(client, professional, slot):
    url = reverse("early:consultation_new") + f"?tid={slot.pk}"

    response = client.post(url, {"form_token": "x", "level": "9", "concern": ""})

    assert response.status_code == 200
    html = response.content.decode()
    for message in ("Vælg barnets alder.", "Vælg kun blandt mulighederne", "Beskriv kort"):
        assert message in html


def test_own_consultations_show_the_outcome_once_held(
    world, client, professional, slot, django_assert_max_num_queries
):
    held = ConsultationFactory(
        unit=world.school_a,
        requester=professional,
        status="held",
        outcome="parent_meeting",
        held_on=timezone.localdate(),
    )
    ConsultationFactory(unit=world.school_a, requester=world.personas["professional_other_school"])

    with django_assert_max_num_queries(15):
        response = client.get(reverse("early:consultation_list"))

    rows = response.context["rows"]
    assert [c.pk for c in rows] == [held.pk]
    assert "Møde med forældrene" in response.content.decode()


def test_the_receipt_and_the_cancel_button(world, client, professional, slot):
    c = ConsultationFactory(unit=world.school_a, slot=slot, requester=professional)

    receipt = client.get(reverse("early:consultation_detail", args=[c.pk]))
    assert "Lærerværelset" in receipt.content.decode()

    response = client.post(reverse("early:consultation_cancel", args=[c.pk]))

    c.refresh_from_db()
    assert response.status_code == 302 and c.status == ConsultationStatus.CANCELLED


# --- the outreach social worker ---


def test_the_outreach_page(world, client, outreach, slot, django_assert_max_num_queries):
    daycare = UnitFactory(municipality=world.municipality, name="Børnehuset", kind=UnitKind.DAYCARE)
    RoleAssignment.objects.create(user=outreach, role=Role.OUTREACH, unit=daycare)
    team = UnitFactory(municipality=world.municipality, kind=UnitKind.OUTREACH_TEAM, name="Teamet")
    RoleAssignment.objects.create(user=outreach, role=Role.OUTREACH, unit=team)
    for _ in range(2):  # Nordskolen: anna, asger + 2 = 4 children; Børnehuset 4 children
        ChildFactory(municipality=world.municipality, unit=world.school_a)
    for _ in range(4):
        ChildFactory(municipality=world.municipality, unit=daycare)
    for _ in range(3):
        ConsultationFactory(unit=world.school_a)
    booked = ConsultationFactory(
        unit=world.school_a,
        requester_kind="parent",
        callback_phone="12345678",
        slot=ConsultationSlotFactory(
            unit=world.school_a, outreach_worker=outreach, starts_at=_later(5)
        ),
    )
    ConsultationFactory(
        unit=world.school_a,
        slot=ConsultationSlotFactory(
            unit=world.school_a, outreach_worker=outreach, starts_at=_later(20)
        ),
    )
    help_ = EarlyHelpFactory(child=world.anna_sibling, unit=world.school_a, title="Læsegruppe")

    with django_assert_max_num_queries(15):
        response = client.get(reverse("early:outreach"))

    rows = {row.unit.name: row for row in response.context["rows"]}
    assert set(rows) == {"Nordskolen", "Børnehuset"}  # not the outreach team itself
    # 4 professional consultations (3 call-backs, 1 in 20 days) per 4 children = 100;
    # 0 at Børnehuset; median 50: above 75 often, below 25 seldom
    assert (rows["Nordskolen"].children, rows["Nordskolen"].professional) == (4, 4)
    assert rows["Nordskolen"].per_hundred == 100.0
    assert rows["Nordskolen"].label == "spørger ofte"
    assert rows["Børnehuset"].label == "spørger sjældent"
    assert rows["Nordskolen"].parents == 1
    upcoming = [c.pk for c in response.context["upcoming"]]
    assert booked.pk in upcoming and len(upcoming) == 4  # 3 call-backs + 1 within 14 days
    assert [h.pk for h in response.context["early_help"]] == [help_.pk]
    assert [s.pk for s in response.context["slots"]] == [slot.pk]
    html = response.content.decode()
    assert "12345678" in html and "Læsegruppe" in html
    logged = AuditEvent.objects.filter(action="view", role="outreach")
    assert set(logged.values_list("object_type", "object_id")) == {
        ("early.earlyhelp", str(help_.pk)),
        ("early.consultation", str(booked.pk)),
    }
    assert logged.get(object_type="early.earlyhelp").child_id == world.anna_sibling.pk


def test_the_professional_cannot_reach_the_outreach_pages(client, professional):
    assert client.get(reverse("early:outreach")).status_code == 403
    assert client.get(reverse("early:slot_new")).status_code == 403


def test_slots_are_created_from_the_form(world, client, outreach):
    day = timezone.localdate() + datetime.timedelta(days=7)
    data = {
        "unit": world.school_a.pk,
        "day": day.isoformat(),
        "at": "13:30",
        "minutes": "30",
        "place": "Kontoret",
        "open_to_parents": "on",
        "repeat_weeks": "1",
    }

    response = client.post(reverse("early:slot_new"), data)

    assert response.status_code == 302
    slots = ConsultationSlot.objects.order_by("starts_at")
    assert [timezone.localtime(s.starts_at).date() for s in slots] == [
        day,
        day + datetime.timedelta(weeks=1),
    ]
    assert all(s.open_to_parents for s in slots)


def test_the_slot_form_answers_bad_input_in_danish(world, client, outreach):
    response = client.post(
        reverse("early:slot_new"),
        {"unit": world.school_b.pk, "day": "i morgen", "at": "25:99", "minutes": "5", "place": ""},
    )

    assert response.status_code == 200
    html = response.content.decode()
    for message in (
        "Vælg en af dine enheder.",
        "Skriv en gyldig dato",
        "Skriv et klokkeslæt",
        "mindst 10 minutter",
        "Skriv, hvor sparringen foregår.",
    ):
        assert message in html
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("early:slot_new"),
        {"unit": world.school_a.pk, "day": past, "at": "10:00", "minutes": "30", "place": "X"},
    )
    assert "passeret" in response.content.decode()


def test_cancelling_a_slot(world, client, outreach, slot):
    response = client.post(reverse("early:slot_cancel", args=[slot.pk]))

    slot.refresh_from_db()
    assert response.status_code == 302 and slot.cancelled_at is not None


def test_the_outcome_form_clears_the_phone_and_links_to_early_help(world, client, outreach, slot):
    c = ConsultationFactory(
        unit=world.school_a, slot=slot, requester_kind="parent", callback_phone="12345678"
    )
    url = reverse("early:consultation_outcome", args=[c.pk])

    page = client.get(url)
    assert "12345678" in page.content.decode()
    assert AuditEvent.objects.filter(
        action="view", object_type="early.consultation", object_id=str(c.pk)
    ).exists()

    refused = client.post(
        url,
        {
            "outcome": "early_help",
            "outcome_note": "Mor hedder Mette.",
            "held_on": timezone.localdate().isoformat(),
        },
    )
    assert refused.status_code == 200
    assert f"Mor hedder {REMOVED}." in refused.content.decode()

    response = client.post(
        url,
        {
            "outcome": "early_help",
            "outcome_note": "Forældrekursus.",
            "held_on": timezone.localdate().isoformat(),
        },
    )

    c.refresh_from_db()
    assert response.status_code == 302
    assert (c.status, c.outcome, c.callback_phone) == ("held", "early_help", "")
    page = client.get(url)
    assert f"?sparring={c.pk}" in page.content.decode()


def test_an_outreach_worker_of_another_unit_gets_404(world, client, slot):
    c = ConsultationFactory(unit=world.school_a, slot=slot)
    client.force_login(user_with_role(Role.OUTREACH, world.school_b))

    assert client.get(reverse("early:consultation_outcome", args=[c.pk])).status_code == 404
    assert client.post(reverse("early:slot_cancel", args=[slot.pk])).status_code == 404
