"""Anonymous consultations (anonym sparring): the outreach social worker's bookable slots, the
booking by a professional or a parent, cancelling, and the outcome.

Every write is an action: atomic, with the audit event in the same transaction. A consultation
holds no personal data about the child (age band, level, areas and a cleaned text), so its
events name `early.consultation` without a child. The free text is cleaned by
`early.redaction.clean` with the names of the unit's children as known names, and the service
*refuses* text that would change when cleaned (`NeedsRedaction`, carrying the cleaned text): the
page shows the cleaned text and asks the writer to send it again, so nothing identifying is ever
stored, also when the service is called directly.

A booking is idempotent on its form token: a retried POST returns the first booking (the token
is unique in the database; a concurrent duplicate fails on the constraint and is answered with
the row that won). A slot holds at most one live booking (`one_live_booking_per_slot`).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from trappen.core import audit
from trappen.core.models import UNIVERSAL_KINDS, AuditAction, OrganisationalUnit, Role, User
from trappen.core.vocabulary import ConcernArea, ConcernLevel
from trappen.early import redaction
from trappen.early.models import (
    AgeBand,
    Consultation,
    ConsultationOutcome,
    ConsultationSlot,
    ConsultationStatus,
    RequesterKind,
)
from trappen.people.models import Child

MIN_MINUTES, MAX_MINUTES = 10, 240
MAX_REPEAT_WEEKS = 26
MAX_CONCERN = 2000
MAX_NOTE = 2000
MAX_PLACE = 200
PHONE_DIGITS = (8, 15)
OFTEN, SELDOM, USUAL = "spørger ofte", "spørger sjældent", "som de fleste"
OFTEN_FACTOR, SELDOM_FACTOR = 1.5, 0.5


class ConsultationError(ValueError):
    """A rule was broken; `errors` maps a field name (or "" for the form) to Danish messages."""

    def __init__(self, errors: dict[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {"": [errors]}
        self.errors = errors
        super().__init__("; ".join(m for ms in errors.values() for m in ms))


class NeedsRedaction(ConsultationError):
    """The text holds something identifying: `cleaned` is what may be stored instead."""

    def __init__(self, field: str, cleaned: redaction.Cleaned):
        self.field = field
        self.cleaned = cleaned
        super().__init__(
            {
                field: [
                    f"Teksten indeholdt {cleaned.summary()}, som vi har fjernet. Læs teksten "
                    "igen, og send den, hvis den er i orden."
                ]
            }
        )


@dataclass(frozen=True)
class Booking:
    consultation: Consultation
    created: bool


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ConsultationError(errors)


def _same_municipality(user: User | None, unit: OrganisationalUnit) -> bool:
    return user is None or user.municipality_id == unit.municipality_id


# --- the free text ------------------------------------------------------------------------


def unit_child_names(unit: OrganisationalUnit) -> list[str]:
    """First and last names of the children enrolled in or served by `unit`."""
    rows = Child.objects.filter(Q(unit=unit) | Q(health_unit=unit)).values_list(
        "first_name", "last_name"
    )
    return [name for pair in rows for name in pair]


def clean_text(text: str, unit: OrganisationalUnit) -> redaction.Cleaned:
    return redaction.clean(text or "", known_names=unit_child_names(unit))


def require_clean(field: str, text: str, unit: OrganisationalUnit) -> None:
    """Refuse `text` if cleaning would change it (NeedsRedaction carries the cleaned text)."""
    cleaned = clean_text(text, unit)
    if cleaned.changed:
        raise NeedsRedaction(field, cleaned)


# --- slots --------------------------------------------------------------------------------


def is_outreach_at(user: User, unit: OrganisationalUnit) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.municipality_id == unit.municipality_id
        and unit.pk in user.unit_ids(Role.OUTREACH)
    )


def live_booking() -> QuerySet:
    return Consultation.objects.filter(slot=OuterRef("pk")).exclude(
        status=ConsultationStatus.CANCELLED
    )


def free_slots(now: datetime.datetime | None = None) -> QuerySet:
    """Slots in the future, not cancelled, without a live booking."""
    now = now or timezone.now()
    return ConsultationSlot.objects.filter(starts_at__gt=now, cancelled_at__isnull=True).filter(
        ~Exists(live_booking())
    )


def _slot_times(
    day: datetime.date, at: datetime.time, repeat_weeks: int
) -> list[datetime.datetime]:
    """The local start times, weekly, DST-safe (the same wall-clock time every week)."""
    zone = timezone.get_current_timezone()
    return [
        timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(weeks=n), at), zone)
        for n in range(repeat_weeks + 1)
    ]


def _overlaps(a_start, a_minutes, b_start, b_minutes) -> bool:
    return a_start < b_start + datetime.timedelta(
        minutes=b_minutes
    ) and b_start < a_start + datetime.timedelta(minutes=a_minutes)


@transaction.atomic
def create_slots(
    *,
    unit: OrganisationalUnit,
    starts_at: datetime.datetime,
    minutes: int,
    place: str,
    open_to_parents: bool,
    repeat_weeks: int = 0,
    acting_user: User,
    now: datetime.datetime | None = None,
) -> list[ConsultationSlot]:
    """Slots at `unit` for the acting outreach worker: one at `starts_at`, and the same time in
    each of the next `repeat_weeks` weeks. Refused in the past, or overlapping own slots."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if not is_outreach_at(acting_user, unit) or unit.kind not in UNIVERSAL_KINDS:
        _add(
            errors,
            "unit",
            "Du kan kun oprette tider på en skole eller et dagtilbud, du er "
            "fremskudt socialrådgiver for.",
        )
    if not (MIN_MINUTES <= minutes <= MAX_MINUTES):
        _add(
            errors,
            "minutes",
            f"Varigheden skal være mellem {MIN_MINUTES} og {MAX_MINUTES} minutter.",
        )
    if not (0 <= repeat_weeks <= MAX_REPEAT_WEEKS):
        _add(errors, "repeat_weeks", f"Gentag højst {MAX_REPEAT_WEEKS} uger.")
    place = (place or "").strip()
    if not place:
        _add(errors, "place", "Skriv, hvor sparringen foregår, fx skolens mødelokale.")
    elif len(place) > MAX_PLACE:
        _add(errors, "place", f"Stedet må højst være på {MAX_PLACE} tegn.")
    if timezone.is_naive(starts_at):
        _add(errors, "starts_at", "Tidspunktet mangler en tidszone.")
    elif starts_at <= now:
        _add(
            errors, "starts_at", "Tidspunktet er allerede passeret. Vælg et tidspunkt frem i tiden."
        )
    _raise(errors)
    local = timezone.localtime(starts_at)
    times = _slot_times(local.date(), local.time().replace(tzinfo=None), repeat_weeks)
    window = datetime.timedelta(minutes=MAX_MINUTES)
    own = list(
        ConsultationSlot.objects.select_for_update()
        .filter(
            outreach_worker=acting_user,
            cancelled_at__isnull=True,
            starts_at__gte=times[0] - window,
            starts_at__lt=times[-1] + datetime.timedelta(minutes=minutes),
        )
        .only("starts_at", "minutes")
    )
    for start in times:
        clash = next((s for s in own if _overlaps(start, minutes, s.starts_at, s.minutes)), None)
        if clash is not None:
            when = timezone.localtime(clash.starts_at)
            raise ConsultationError(
                {"starts_at": [f"Tiden overlapper en af dine tider: {when:%d.%m.%Y kl. %H.%M}."]}
            )
    slots = ConsultationSlot.objects.bulk_create(
        ConsultationSlot(
            municipality_id=unit.municipality_id,
            unit=unit,
            outreach_worker=acting_user,
            starts_at=start,
            minutes=minutes,
            place=place,
            open_to_parents=open_to_parents,
            is_synthetic=unit.municipality.is_synthetic,
        )
        for start in times
    )
    audit.record_many(
        acting_user,
        [audit.entry_for(s, AuditAction.CREATE, purpose="Sparringstid oprettet") for s in slots],
        role=Role.OUTREACH,
    )
    return slots


@transaction.atomic
def cancel_slot(
    slot: ConsultationSlot, *, acting_user: User, now: datetime.datetime | None = None
) -> Consultation | None:
    """Cancel the acting outreach worker's slot; a live booking on it is cancelled too (and its
    phone number cleared). Returns that booking, if any."""
    now = now or timezone.now()
    slot = ConsultationSlot.objects.select_for_update().select_related("unit").get(pk=slot.pk)
    if slot.outreach_worker_id != acting_user.pk and not is_outreach_at(acting_user, slot.unit):
        raise ConsultationError("Du kan kun aflyse dine egne tider.")
    if slot.cancelled_at is not None:
        return None
    booking = slot.consultations.exclude(status=ConsultationStatus.CANCELLED).first()
    if booking is not None and booking.status == ConsultationStatus.HELD:
        raise ConsultationError("Sparringen er holdt; tiden kan ikke aflyses.")
    slot.cancelled_at = now
    slot.save(update_fields=["cancelled_at"])
    entries = [audit.entry_for(slot, AuditAction.UPDATE, purpose="Sparringstid aflyst")]
    if booking is not None:
        booking.status = ConsultationStatus.CANCELLED
        booking.callback_phone = ""
        booking.save(update_fields=["status", "callback_phone"])
        entries.append(audit.entry_for(booking, AuditAction.UPDATE, purpose="Sparring aflyst"))
    audit.record_many(acting_user, entries, role=Role.OUTREACH)
    return booking


# --- booking ------------------------------------------------------------------------------


def normalise_phone(raw: str) -> str:
    """A phone number to be called back on, or ValueError: 8 to 15 digits, + and spaces."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    digits = "".join(ch for ch in raw if ch.isdigit())
    allowed = set("0123456789+ -()")
    low, high = PHONE_DIGITS
    if not set(raw) <= allowed or not (low <= len(digits) <= high) or not raw.isascii():
        raise ValueError("Skriv telefonnummeret med 8 cifre, fx 12 34 56 78.")
    return " ".join(raw.split())[:30]


def _by_token(form_token: str) -> Consultation | None:
    return Consultation.objects.filter(form_token=form_token).first()


def _check_request(
    *,
    slot: ConsultationSlot | None,
    unit: OrganisationalUnit,
    requester_kind: str,
    requester: User | None,
    age_band: str,
    level: int | None,
    areas: Iterable[str],
    concern: str,
    callback_phone: str,
    now: datetime.datetime,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if requester_kind == RequesterKind.PROFESSIONAL:
        if requester is None or not _same_municipality(requester, unit):
            _add(errors, "unit", "Vælg en af dine egne enheder.")
        elif unit.pk not in requester.unit_ids(Role.PROFESSIONAL):
            _add(errors, "unit", "Du kan kun bede om sparring til en enhed, du arbejder i.")
        if callback_phone:
            _add(errors, "callback_phone", "Fagpersoner ringes op på deres eget nummer.")
    elif requester_kind == RequesterKind.PARENT:
        if requester is not None:
            _add(errors, "", "Forældres rådgivning er anonym.")
    else:
        _add(errors, "requester_kind", "Ukendt afsender.")
    if slot is not None:
        if slot.unit_id != unit.pk:
            _add(errors, "slot", "Tiden hører til en anden enhed.")
        if slot.cancelled_at is not None:
            _add(errors, "slot", "Tiden er aflyst. Vælg en anden tid.")
        elif slot.starts_at <= now:
            _add(errors, "slot", "Tiden er passeret. Vælg en anden tid.")
        if requester_kind == RequesterKind.PARENT and not slot.open_to_parents:
            _add(errors, "slot", "Tiden kan kun bookes af fagpersoner. Vælg en anden tid.")
    elif requester_kind == RequesterKind.PARENT and not callback_phone:
        _add(
            errors, "callback_phone", "Vælg en tid, eller skriv et telefonnummer, vi kan ringe til."
        )
    if age_band not in AgeBand.values:
        _add(errors, "age_band", "Vælg barnets alder.")
    if level is not None and level not in ConcernLevel.values:
        _add(errors, "level", "Vælg et niveau på trivselslinealen.")
    if requester_kind == RequesterKind.PROFESSIONAL and level is None:
        _add(errors, "level", "Vælg, hvor bekymret du er, på trivselslinealen.")
    if any(a not in ConcernArea.values for a in areas):
        _add(errors, "areas", "Vælg kun blandt områderne på listen.")
    if requester_kind == RequesterKind.PROFESSIONAL and not (concern or "").strip():
        _add(errors, "concern", "Beskriv kort, hvad du er bekymret for.")
    if len(concern or "") > MAX_CONCERN:
        _add(errors, "concern", f"Teksten må højst være på {MAX_CONCERN} tegn.")
    if callback_phone:
        try:
            normalise_phone(callback_phone)
        except ValueError as error:
            _add(errors, "callback_phone", str(error))
    return errors


@transaction.atomic
def book_consultation(
    *,
    slot: ConsultationSlot | None = None,
    unit: OrganisationalUnit,
    requester_kind: str,
    requester: User | None = None,
    age_band: str,
    level: int | None,
    areas: Iterable[str],
    concern: str,
    callback_phone: str = "",
    form_token: str,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book `slot` (or, with no slot, ask to be called back) for an anonymous consultation.

    A second call with the same `form_token` returns the first booking (created=False). The
    concern must already be clean (`NeedsRedaction` otherwise)."""
    now = now or timezone.now()
    if not form_token or len(form_token) > 64:
        raise ConsultationError({"": ["Formularen var udløbet. Send den igen."]})
    if slot is not None:  # queue concurrent bookings of the slot behind this one
        slot = ConsultationSlot.objects.select_for_update().get(pk=slot.pk)
    first = _by_token(form_token)
    if first is not None:
        return _repeat(first, requester_kind, requester)
    areas = list(dict.fromkeys(areas or ()))
    _raise(
        _check_request(
            slot=slot,
            unit=unit,
            requester_kind=requester_kind,
            requester=requester,
            age_band=age_band,
            level=level,
            areas=areas,
            concern=concern,
            callback_phone=callback_phone,
            now=now,
        )
    )
    concern = (concern or "").strip()
    require_clean("concern", concern, unit)
    if (
        slot is not None
        and slot.consultations.exclude(status=ConsultationStatus.CANCELLED).exists()
    ):
        raise ConsultationError({"slot": ["Tiden er lige blevet booket. Vælg en anden tid."]})
    try:
        with transaction.atomic():
            consultation = Consultation.objects.create(
                municipality_id=unit.municipality_id,
                unit=unit,
                slot=slot,
                requester_kind=requester_kind,
                requester=requester,
                age_band=age_band,
                level=level,
                areas=areas,
                concern=concern,
                callback_phone=normalise_phone(callback_phone),
                booking_code=secrets.token_urlsafe(16),
                form_token=form_token,
                created_at=now,
                is_synthetic=unit.municipality.is_synthetic,
            )
    except IntegrityError:
        first = _by_token(form_token)
        if first is not None:  # a concurrent retry of the same form won
            return _repeat(first, requester_kind, requester)
        raise ConsultationError(
            {"slot": ["Tiden er lige blevet booket. Vælg en anden tid."]}
        ) from None
    audit.record(
        requester,
        AuditAction.CREATE,
        consultation,
        role=Role.PROFESSIONAL if requester is not None else "",
        purpose="Anonym sparring booket",
        municipality=unit.municipality,
    )
    return Booking(consultation, created=True)


def _repeat(first: Consultation, requester_kind: str, requester: User | None) -> Booking:
    same = first.requester_kind == requester_kind and first.requester_id == (
        requester.pk if requester is not None else None
    )
    if not same:
        raise ConsultationError({"": ["Formularen var udløbet. Send den igen."]})
    return Booking(first, created=False)


def can_cancel(consultation: Consultation, user: User | None) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and consultation.requester_id is not None
        and consultation.requester_id == user.pk
    )


@transaction.atomic
def cancel_booking(
    consultation: Consultation, *, by_code: str = "", acting_user: User | None = None
) -> bool:
    """Cancel a booking, by its code (a parent) or by the professional who booked it. The phone
    number is cleared. Returns False when it was already cancelled; a held one cannot be."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    by_code_ok = bool(by_code) and secrets.compare_digest(
        by_code.encode(), consultation.booking_code.encode()
    )
    if not by_code_ok and not can_cancel(consultation, acting_user):
        raise ConsultationError("Du kan ikke aflyse denne booking.")
    if consultation.status == ConsultationStatus.CANCELLED:
        return False
    if consultation.status == ConsultationStatus.HELD:
        raise ConsultationError("Sparringen er holdt og kan ikke aflyses.")
    consultation.status = ConsultationStatus.CANCELLED
    consultation.callback_phone = ""
    consultation.save(update_fields=["status", "callback_phone"])
    actor = acting_user if acting_user is not None and acting_user.is_authenticated else None
    audit.record(
        actor,
        AuditAction.UPDATE,
        consultation,
        role=Role.PROFESSIONAL if actor is not None else "",
        purpose="Sparring aflyst",
        municipality=consultation.unit.municipality if actor is None else None,
    )
    return True


# --- the outcome --------------------------------------------------------------------------


def may_handle(user: User, consultation: Consultation) -> bool:
    """The slot's outreach worker, or an outreach worker of the consultation's unit."""
    if user is None or not user.is_authenticated:
        return False
    if user.municipality_id != consultation.municipality_id:
        return False
    slot_owner = consultation.slot is not None and consultation.slot.outreach_worker_id == user.pk
    return slot_owner or consultation.unit_id in user.unit_ids(Role.OUTREACH)


@transaction.atomic
def record_outcome(
    consultation: Consultation,
    *,
    outcome: str,
    outcome_note: str,
    held_on: datetime.date,
    acting_user: User,
) -> Consultation:
    """Record that the consultation was held, with its outcome; the phone number is cleared."""
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("slot", "unit")
        .get(pk=consultation.pk)
    )
    if not may_handle(acting_user, consultation):
        raise ConsultationError("Kun enhedens fremskudte socialrådgiver kan registrere udfaldet.")
    errors: dict[str, list[str]] = {}
    if consultation.status == ConsultationStatus.CANCELLED:
        _add(errors, "", "Sparringen er aflyst.")
    if outcome not in ConsultationOutcome.values:
        _add(errors, "outcome", "Vælg udfaldet af sparringen.")
    today = timezone.localdate()
    if held_on is None:
        _add(errors, "held_on", "Skriv, hvornår sparringen blev holdt.")
    elif held_on > today:
        _add(errors, "held_on", "Datoen kan ikke ligge i fremtiden.")
    elif held_on < timezone.localdate(consultation.created_at):
        _add(errors, "held_on", "Sparringen kan ikke være holdt, før den blev booket.")
    outcome_note = (outcome_note or "").strip()
    if len(outcome_note) > MAX_NOTE:
        _add(errors, "outcome_note", f"Teksten må højst være på {MAX_NOTE} tegn.")
    _raise(errors)
    require_clean("outcome_note", outcome_note, consultation.unit)
    consultation.status = ConsultationStatus.HELD
    consultation.outcome = outcome
    consultation.outcome_note = outcome_note
    consultation.held_on = held_on
    consultation.handled_by = acting_user
    consultation.callback_phone = ""
    consultation.save(
        update_fields=[
            "status",
            "outcome",
            "outcome_note",
            "held_on",
            "handled_by",
            "callback_phone",
        ]
    )
    audit.record(
        acting_user,
        AuditAction.UPDATE,
        consultation,
        role=Role.OUTREACH,
        purpose="Udfald af sparring registreret",
    )
    return consultation


# --- which units ask often or seldom ------------------------------------------------------


def ask_labels(rates: dict[int, float | None]) -> dict[int, str]:
    """A label per unit from its consultations per 100 children, against the median of the
    units with children: above 1.5 × the median "spørger ofte", below 0.5 × the median
    "spørger sjældent", else "som de fleste". No label ("") for a unit without children, or
    when fewer than two units have children (nothing to compare with)."""
    known = [r for r in rates.values() if r is not None]
    if len(known) < 2:
        return {unit: "" for unit in rates}
    mid = median(known)
    labels = {}
    for unit, rate in rates.items():
        if rate is None:
            labels[unit] = ""
        elif rate > OFTEN_FACTOR * mid:
            labels[unit] = OFTEN
        elif rate < SELDOM_FACTOR * mid:
            labels[unit] = SELDOM
        else:
            labels[unit] = USUAL
    return labels


def per_hundred(count: int, children: int) -> float | None:
    return None if children == 0 else round(count * 100 / children, 1)


def _count(queryset) -> Coalesce:
    """A correlated COUNT(*) subquery of `queryset` (0 when empty)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted), 0)


def with_counts(units: QuerySet, since: datetime.datetime) -> QuerySet:
    """`units` annotated with `children` (enrolled or served), and the consultations since
    `since` that were not cancelled: `professional` (asked by professionals) and `parents`."""
    live = Consultation.objects.filter(unit=OuterRef("pk"), created_at__gte=since).exclude(
        status=ConsultationStatus.CANCELLED
    )
    children = Child.objects.filter(Q(unit=OuterRef("pk")) | Q(health_unit=OuterRef("pk")))
    return units.annotate(
        children=_count(children),
        professional=_count(live.filter(requester_kind=RequesterKind.PROFESSIONAL)),
        parents=_count(live.filter(requester_kind=RequesterKind.PARENT)),
    )
