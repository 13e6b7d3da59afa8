"""The public, anonymous counselling for parents (trappen/early/views/public.py): no login, a
form token against double bookings, a honeypot, cleaned free text, a receipt behind the code."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.core.models import UnitKind
from trappen.core.tests.factories import UnitFactory
from trappen.early.models import Consultation, ConsultationStatus
from trappen.early.redaction import REMOVED
from trappen.early.tests.factories import ConsultationFactory, ConsultationSlotFactory

TOKEN = "p" * 40


def _later(days: int = 2, hour: int = 16) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def slot(world):
    return ConsultationSlotFactory(
        unit=world.school_a,
        outreach_worker=world.personas["outreach"],
        starts_at=_later(),
        place="Skolens bibliotek",
    )


def _data(**fields):
    data = {"form_token": TOKEN, "age_band": "3_5", "concern": "", "callback_phone": ""}
    data.update(fields)
    return data


def test_the_start_page_lists_schools_and_daycares_with_free_slots(
    world, client, slot, django_assert_max_num_queries
):
    UnitFactory(municipality=world.municipality, name="Børnehaven Solsikken", kind="daycare")
    closed = ConsultationSlotFactory(unit=world.school_b, starts_at=_later(), open_to_parents=False)

    with django_assert_max_num_queries(15):
        response = client.get(
            reverse("early:public_counselling") + f"?kommune={world.municipality.pk}"
        )

    assert response.status_code == 200
    units = {u.name: u.free for u in response.context["units"]}
    # schools and daycares, not caseworker teams or providers; a slot closed to parents not
    assert units == {"Nordskolen": 1, "Sydskolen": 0, "Børnehaven Solsikken": 0}
    assert closed.unit.name in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert client.get(reverse("early:public_counselling") + "?kommune=x").status_code == 200


def test_the_units_page_shows_only_free_slots_open_to_parents(world, client, slot):
    ConsultationSlotFactory(
        unit=world.school_a, starts_at=_later(3), open_to_parents=False, place="Kun fagfolk"
    )
    taken = ConsultationSlotFactory(unit=world.school_a, starts_at=_later(4), place="Optaget")
    ConsultationFactory(unit=world.school_a, slot=taken)

    response = client.get(reverse("early:public_slots", args=[world.school_a.pk]))

    assert [s.pk for s in response.context["slots"]] == [slot.pk]
    team = UnitFactory(municipality=world.municipality, kind=UnitKind.CASEWORKER_TEAM)
    assert client.get(reverse("early:public_slots", args=[team.pk])).status_code == 404


def test_a_parent_books_and_gets_a_receipt_with_time_and_place(world, client, slot):
    response = client.post(
        reverse("early:public_book", args=[slot.pk]),
        _data(concern="Min søn sover dårligt.", callback_phone="+45 12 34 56 78"),
    )

    c = Consultation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("early:public_booking", args=[c.booking_code])
    assert (c.requester_kind, c.requester, c.age_band, c.callback_phone) == (
        "parent",
        None,
        "3_5",
        "+45 12 34 56 78",
    )
    receipt = client.get(response.url)
    html = receipt.content.decode()
    assert "Skolens bibliotek" in html and "Nordskolen" in html
    assert "12 34 56 78" not in html  # the number is not shown back
    assert "no-cache" in receipt["Cache-Control"] or "no-store" in receipt["Cache-Control"]


def test_a_retried_post_returns_the_first_booking(client, slot):
    url = reverse("early:public_book", args=[slot.pk])

    first = client.post(url, _data())
    again = client.post(url, _data())

    assert Consultation.objects.count() == 1
    assert first.url == again.url


def test_a_second_parent_cannot_take_a_booked_slot(client, slot):
    url = reverse("early:public_book", args=[slot.pk])
    client.post(url, _data())

    gone = client.get(url)
    assert gone.status_code == 302
    refused = client.post(url, _data(form_token="q" * 40))
    assert refused.status_code == 200
    assert "Tiden er lige blevet booket" in refused.content.decode()
    assert Consultation.objects.count() == 1


def test_the_honeypot_stores_nothing(client, slot):
    response = client.post(
        reverse("early:public_book", args=[slot.pk]), _data(website="http://spam")
    )

    assert response.status_code == 200
    assert not Consultation.objects.exists()


def test_identifying_text_is_shown_cleaned_and_not_stored(client, slot):
    url = reverse("early:public_book", args=[slot.pk])

    response = client.post(url, _data(concern="Min datter Mette (140315-1234) er ked af det."))

    assert response.status_code == 200
    assert not Consultation.objects.exists()
    html = response.content.decode()
    assert f"Min datter {REMOVED} ({REMOVED}) er ked af det." in html
    assert "140315" not in html


def test_a_slot_closed_to_parents_cannot_be_booked(world, client):
    closed = ConsultationSlotFactory(unit=world.school_a, starts_at=_later(), open_to_parents=False)
    url = reverse("early:public_book", args=[closed.pk])

    assert client.get(url).status_code == 302
    assert client.post(url, _data()).status_code == 302
    assert not Consultation.objects.exists()


def test_bad_input_answers_in_danish(client, slot):
    response = client.post(
        reverse("early:public_book", args=[slot.pk]),
        _data(age_band="", callback_phone="ring til mig"),
    )

    html = response.content.decode()
    assert "Vælg barnets alder." in html and "Skriv telefonnummeret med 8 cifre" in html


def test_a_wrong_code_gives_a_danish_404(db, client):
    for code in ("x" * 22, "<script>", "a" * 200):
        response = client.get(reverse("early:public_booking", args=[code]))
        assert response.status_code == 404
        assert "Siden findes ikke" in response.content.decode()
        assert client.post(reverse("early:public_cancel", args=[code])).status_code == 404


def test_a_parent_cancels_and_the_phone_is_cleared(world, client, slot):
    c = ConsultationFactory(
        unit=world.school_a, slot=slot, requester_kind="parent", callback_phone="12345678"
    )
    url = reverse("early:public_cancel", args=[c.booking_code])

    assert client.post(url).status_code == 302
    again = client.post(url, follow=True)

    c.refresh_from_db()
    assert (c.status, c.callback_phone) == (ConsultationStatus.CANCELLED, "")
    assert "allerede aflyst" in again.content.decode()
    # the slot is free again
    assert client.get(reverse("early:public_book", args=[slot.pk])).status_code == 200


def test_a_professionals_booking_has_no_public_receipt(world, client, slot):
    c = ConsultationFactory(
        unit=world.school_a, slot=slot, requester=world.personas["professional"]
    )

    assert client.get(reverse("early:public_booking", args=[c.booking_code])).status_code == 404
