"""Anonymous consultations: slots, bookings, cancelling, outcomes (trappen/early/consultations.py).

The rule that matters most: a consultation never stores a CPR number, a name or an address, even
when one is typed into the free text and the service is called directly."""

import datetime
import re
import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone

from trappen.core.models import AuditEvent, OrganisationalUnit, Role
from trappen.core.tests.factories import ChildFactory, UnitFactory, user_with_role
from trappen.early import consultations as service
from trappen.early.models import Consultation, ConsultationSlot, ConsultationStatus
from trappen.early.redaction import REMOVED
from trappen.early.tests.factories import ConsultationFactory, ConsultationSlotFactory

TOKEN = "t" * 40


def _local(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def slot(world):
    return ConsultationSlotFactory(
        unit=world.school_a, outreach_worker=world.personas["outreach"], starts_at=_local(3, 10)
    )


def _book(world, slot, **kwargs):
    values = {
        "slot": slot,
        "unit": world.school_a,
        "requester_kind": "professional",
        "requester": world.personas["professional"],
        "age_band": "6_9",
        "level": 3,
        "areas": ["family", "school"],
        "concern": "Virker trist og træt om morgenen.",
        "form_token": TOKEN,
    }
    values.update(kwargs)
    return service.book_consultation(**values)


# --- slots ---


def test_create_slots_repeats_weekly_at_the_same_wall_clock_time(world):
    # across the end of summer time (the last Sunday of October)
    year = timezone.localdate().year + 1
    start = timezone.make_aware(
        datetime.datetime.combine(datetime.date(year, 10, 20), datetime.time(14, 0))
    )

    slots = service.create_slots(
        unit=world.school_a,
        starts_at=start,
        minutes=45,
        place="Mødelokale 2",
        open_to_parents=False,
        repeat_weeks=2,
        acting_user=world.personas["outreach"],
    )

    local = [timezone.localtime(s.starts_at) for s in slots]
    assert [(t.day, t.month, t.hour, t.minute) for t in local] == [
        (20, 10, 14, 0),
        (27, 10, 14, 0),
        (3, 11, 14, 0),
    ]
    assert {(s.unit_id, s.minutes, s.open_to_parents) for s in slots} == {
        (world.school_a.pk, 45, False)
    }
    events = AuditEvent.objects.filter(object_type="early.consultationslot")
    assert events.count() == 3 and set(events.values_list("role", flat=True)) == {"outreach"}


def test_a_slot_overlapping_an_own_slot_is_refused_but_one_just_after_is_fine(world, slot):
    outreach = world.personas["outreach"]
    args = {"unit": world.school_a, "minutes": 30, "place": "Kontoret", "open_to_parents": True}

    with pytest.raises(service.ConsultationError) as refused:
        service.create_slots(starts_at=_local(3, 10, 15), acting_user=outreach, **args)
    assert "overlapper" in refused.value.errors["starts_at"][0]

    after = service.create_slots(starts_at=_local(3, 10, 30), acting_user=outreach, **args)
    assert len(after) == 1


def test_slots_in_the_past_or_outside_the_workers_units_are_refused(world):
    args = {"minutes": 30, "place": "Kontoret", "open_to_parents": True}
    past = timezone.now() - datetime.timedelta(minutes=1)

    with pytest.raises(service.ConsultationError) as error:
        service.create_slots(
            unit=world.school_a, starts_at=past, acting_user=world.personas["outreach"], **args
        )
    assert "passeret" in error.value.errors["starts_at"][0]
    for user, unit in [
        (world.personas["outreach"], world.school_b),  # not assigned there
        (world.personas["professional"], world.school_a),  # not an outreach worker
    ]:
        with pytest.raises(service.ConsultationError) as error:
            service.create_slots(unit=unit, starts_at=_local(2, 9), acting_user=user, **args)
        assert "unit" in error.value.errors
    assert not ConsultationSlot.objects.exists()


def test_cancelling_a_slot_cancels_its_booking_and_clears_the_phone(world, slot):
    booking = _book(
        world,
        slot,
        requester_kind="parent",
        requester=None,
        level=None,
        concern="",
        callback_phone="12 34 56 78",
    ).consultation

    service.cancel_slot(slot, acting_user=world.personas["outreach"])

    booking.refresh_from_db()
    slot.refresh_from_db()
    assert slot.cancelled_at is not None
    assert (booking.status, booking.callback_phone) == (ConsultationStatus.CANCELLED, "")


# --- nothing identifying is stored ---


@pytest.mark.parametrize(
    ("typed", "finding"),
    [
        ("Barnet har CPR 140315-1234 og er ked af det.", "et CPR-nummer"),
        ("Zorbalina er ked af det.", "et navn"),
        ("Familien bor på Møllevænget 7 og er ked af det.", "en adresse"),
    ],
)
def test_identifying_text_is_refused_even_in_a_direct_service_call(world, slot, typed, finding):
    ChildFactory(municipality=world.municipality, unit=world.school_a, first_name="Zorbalina")

    with pytest.raises(service.NeedsRedaction) as refused:
        _book(world, slot, concern=typed)

    assert not Consultation.objects.exists()
    assert refused.value.cleaned.findings == [finding]
    assert REMOVED in refused.value.cleaned.text
    assert finding in refused.value.errors["concern"][0]


def test_the_cleaned_text_is_what_is_stored_and_it_holds_no_cpr_name_or_address(world, slot):
    ChildFactory(
        municipality=world.municipality,
        unit=world.school_a,
        first_name="Zorbalina",
        last_name="Kvistgaard",
    )
    typed = "Zorbalina Kvistgaard (140315-1234) fra Møllevænget 7 er ked af det."
    with pytest.raises(service.NeedsRedaction) as refused:
        _book(world, slot, concern=typed)

    consultation = _book(world, slot, concern=refused.value.cleaned.text).consultation

    stored = Consultation.objects.get(pk=consultation.pk)
    assert stored.concern == f"{REMOVED} {REMOVED} ({REMOVED}) fra {REMOVED} er ked af det."
    assert not re.search(r"\d", stored.concern)
    assert "Zorbalina" not in stored.concern and "Møllevænget" not in stored.concern


def test_only_the_units_children_are_known_names(world):
    ChildFactory(municipality=world.municipality, unit=world.school_a, last_name="Kvistgaard")
    other_slot = ConsultationSlotFactory(
        unit=world.school_b, outreach_worker=world.personas["outreach"], starts_at=_local(3, 12)
    )

    booking = _book(
        world,
        other_slot,
        unit=world.school_b,
        requester=world.personas["professional_other_school"],
        concern="Familien minder om Kvistgaard-sagen fra avisen.",
    )

    assert booking.consultation.concern == "Familien minder om Kvistgaard-sagen fra avisen."


# --- booking rules ---


def test_a_booking_is_stored_with_a_code_and_logged_without_a_child(world, slot):
    booking = _book(world, slot)

    c = booking.consultation
    assert booking.created
    assert (c.unit_id, c.slot_id, c.requester_kind, c.level) == (
        world.school_a.pk,
        slot.pk,
        "professional",
        3,
    )
    assert c.areas == ["family", "school"] and len(c.booking_code) >= 16
    event = AuditEvent.objects.get(object_type="early.consultation", action="create")
    assert (event.object_id, event.child_id, event.role) == (str(c.pk), None, "professional")


def test_a_second_booking_of_the_same_slot_is_refused(world, slot):
    _book(world, slot)

    with pytest.raises(service.ConsultationError) as refused:
        _book(world, slot, form_token="u" * 40)

    assert "booket" in refused.value.errors["slot"][0]
    assert Consultation.objects.count() == 1


def test_a_cancelled_booking_frees_the_slot(world, slot):
    first = _book(world, slot).consultation
    service.cancel_booking(first, acting_user=world.personas["professional"])

    second = _book(world, slot, form_token="u" * 40)

    assert second.created
    assert Consultation.objects.filter(slot=slot).count() == 2


def test_a_retried_booking_returns_the_first(world, slot):
    first = _book(world, slot)
    again = _book(world, slot, concern="Noget helt andet.")

    assert (again.created, again.consultation.pk) == (False, first.consultation.pk)
    assert Consultation.objects.count() == 1


def test_a_concurrent_retry_that_loses_on_the_constraint_gets_the_first(world):
    # a call-back request has no slot to lock: the unique token decides
    first = _book(world, None).consultation
    real = service._by_token
    # the retry's first look-up ran before the first booking committed
    with mock.patch.object(service, "_by_token", side_effect=[None, real(TOKEN)]):
        again = _book(world, None)

    assert (again.created, again.consultation.pk) == (False, first.pk)
    assert Consultation.objects.count() == 1


def test_someone_elses_token_is_not_answered_with_their_booking(world, slot):
    _book(world, slot)

    with pytest.raises(service.ConsultationError):
        _book(world, slot, requester_kind="parent", requester=None, level=None)


def test_a_parent_cannot_book_a_slot_not_open_to_parents(world, slot):
    slot.open_to_parents = False
    slot.save()

    with pytest.raises(service.ConsultationError) as refused:
        _book(world, slot, requester_kind="parent", requester=None, level=None, concern="")

    assert "fagpersoner" in refused.value.errors["slot"][0]
    assert not Consultation.objects.exists()


def test_a_professional_books_only_the_own_units_slots(world, slot):
    with pytest.raises(service.ConsultationError) as refused:
        _book(world, slot, requester=world.personas["professional_other_school"])
    assert "unit" in refused.value.errors


def test_past_and_cancelled_slots_cannot_be_booked(world, slot):
    past = ConsultationSlotFactory(
        unit=world.school_a,
        outreach_worker=world.personas["outreach"],
        starts_at=timezone.now() - datetime.timedelta(hours=1),
    )
    slot.cancelled_at = timezone.now()
    slot.save()

    for s in (past, slot):
        with pytest.raises(service.ConsultationError) as refused:
            _book(world, s, form_token=f"retry-token-{s.pk:08d}")
        assert "slot" in refused.value.errors


def test_a_professional_may_ask_to_be_called_back_without_a_slot(world):
    booking = _book(world, None)

    assert booking.consultation.slot is None
    assert booking.consultation.status == ConsultationStatus.BOOKED


def test_a_parent_without_a_slot_must_leave_a_phone_number(world):
    with pytest.raises(service.ConsultationError) as refused:
        _book(world, None, requester_kind="parent", requester=None, level=None)
    assert "callback_phone" in refused.value.errors


def test_a_bad_phone_number_is_refused(world, slot):
    with pytest.raises(service.ConsultationError) as refused:
        _book(world, slot, requester_kind="parent", requester=None, callback_phone="ring mig")
    assert "8 cifre" in refused.value.errors["callback_phone"][0]


# --- cancelling ---


def test_a_parent_cancels_by_code_and_the_phone_is_cleared(world, slot):
    c = _book(
        world, slot, requester_kind="parent", requester=None, level=None, callback_phone="12345678"
    ).consultation

    with pytest.raises(service.ConsultationError):
        service.cancel_booking(c, by_code="wrong-code-wrong-code")
    assert service.cancel_booking(c, by_code=c.booking_code) is True
    assert service.cancel_booking(c, by_code=c.booking_code) is False

    c.refresh_from_db()
    assert (c.status, c.callback_phone) == (ConsultationStatus.CANCELLED, "")


def test_only_the_professional_who_booked_may_cancel(world, slot):
    c = _book(world, slot).consultation

    with pytest.raises(service.ConsultationError):
        service.cancel_booking(c, acting_user=world.personas["professional_other_school"])


# --- the outcome ---


def test_the_outcome_is_recorded_and_the_phone_cleared(world, slot):
    c = _book(
        world, slot, requester_kind="parent", requester=None, level=None, callback_phone="12345678"
    ).consultation
    today = timezone.localdate()

    service.record_outcome(
        c,
        outcome="parent_meeting",
        outcome_note="Forælderen tager en snak med lærerne.",
        held_on=today,
        acting_user=world.personas["outreach"],
    )

    c.refresh_from_db()
    assert (c.status, c.outcome, c.held_on, c.callback_phone) == (
        ConsultationStatus.HELD,
        "parent_meeting",
        today,
        "",
    )
    assert c.handled_by == world.personas["outreach"]


def test_the_outcome_note_is_refused_when_it_identifies(world, slot):
    c = _book(world, slot).consultation

    with pytest.raises(service.NeedsRedaction):
        service.record_outcome(
            c,
            outcome="advice",
            outcome_note="Ring til mor på 12345678.",
            held_on=timezone.localdate(),
            acting_user=world.personas["outreach"],
        )
    c.refresh_from_db()
    assert c.status == ConsultationStatus.BOOKED


def test_only_an_outreach_worker_of_the_unit_records_the_outcome(world, slot):
    c = _book(world, slot).consultation
    other = user_with_role(Role.OUTREACH, world.school_b)

    for user in (other, world.personas["professional"]):
        with pytest.raises(service.ConsultationError):
            service.record_outcome(
                c, outcome="advice", outcome_note="", held_on=timezone.localdate(), acting_user=user
            )


def test_an_outcome_in_the_future_or_before_the_booking_is_refused(world, slot):
    c = _book(world, slot).consultation
    today = timezone.localdate()
    for held_on in (today + datetime.timedelta(days=1), today - datetime.timedelta(days=1)):
        with pytest.raises(service.ConsultationError) as refused:
            service.record_outcome(
                c,
                outcome="advice",
                outcome_note="",
                held_on=held_on,
                acting_user=world.personas["outreach"],
            )
        assert "held_on" in refused.value.errors


# --- which units ask often or seldom ---


def test_ask_labels_against_the_median_of_the_units():
    # known rates 10, 4, 1, 5: median 4.5; above 6.75 often, below 2.25 seldom
    labels = service.ask_labels({1: 10.0, 2: 4.0, 3: 1.0, 4: None, 5: 5.0})

    assert labels == {
        1: service.OFTEN,
        2: service.USUAL,
        3: service.SELDOM,
        4: "",
        5: service.USUAL,
    }


def test_no_label_without_at_least_two_units_to_compare():
    assert service.ask_labels({1: 3.0, 2: None}) == {1: "", 2: ""}


def test_per_hundred_children():
    assert service.per_hundred(3, 200) == 1.5
    assert service.per_hundred(1, 0) is None


def test_units_are_counted_by_children_and_consultations_of_the_last_twelve_months(world):
    school = world.school_a  # anna and asger
    ChildFactory(municipality=world.municipality, unit=world.school_b, health_unit=school)
    ChildFactory(municipality=world.municipality, unit=school, health_unit=school)  # once
    ConsultationFactory(unit=school)
    ConsultationFactory(unit=school, requester_kind="parent")
    ConsultationFactory(unit=school, status="cancelled")
    ConsultationFactory(unit=school, created_at=timezone.now() - datetime.timedelta(days=400))
    ConsultationFactory(unit=world.school_b)

    units = service.with_counts(
        OrganisationalUnit.objects.filter(pk__in=[school.pk, world.school_b.pk]),
        timezone.now() - datetime.timedelta(days=365),
    )

    counts = {u.pk: (u.children, u.professional, u.parents) for u in units}
    assert counts == {school.pk: (4, 1, 1), world.school_b.pk: (2, 1, 0)}  # bertram too


# --- concurrency (PostgreSQL: real row locks and a real unique constraint) ---


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_bookings_of_one_slot_and_retries_of_one_form_store_one_booking():
    school = UnitFactory(kind="school")
    professional = user_with_role(Role.PROFESSIONAL, school)
    worker = user_with_role(Role.OUTREACH, school)
    slot = ConsultationSlotFactory(unit=school, outreach_worker=worker, starts_at=_local(3, 10))
    results, errors = [], []
    barrier = threading.Barrier(6)

    def book(token):
        try:
            barrier.wait()
            booking = service.book_consultation(
                slot=slot,
                unit=school,
                requester_kind="professional",
                requester=professional,
                age_band="6_9",
                level=3,
                areas=[],
                concern="Virker trist.",
                form_token=token,
            )
            results.append((token, booking.consultation.pk))
        except service.ConsultationError as error:
            errors.append((token, error))
        finally:
            connections.close_all()

    # three retries of one form, three other forms, all at once
    tokens = ["a" * 40] * 3 + ["b" * 40, "c" * 40, "d" * 40]
    threads = [threading.Thread(target=book, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert Consultation.objects.count() == 1
    winner = Consultation.objects.get()
    assert {pk for _, pk in results} == {winner.pk}
    # every retry of the winning form got the booking; every other form was refused
    assert sorted(t for t, _ in results) == [winner.form_token] * sum(
        1 for t in tokens if t == winner.form_token
    )
    assert len(results) + len(errors) == 6
