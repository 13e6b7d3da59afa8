"""Network meetings and stormøder (docs/voice-meetings.md): who took part, what was agreed and
the follow-up.

- `record_meeting`: a held meeting (not in the future) with the participants from the child's
  network map (`people.NetworkPerson` of the case's child, not removed from the map, consent
  not refused), the professionals present, whether the child took part, the agreements
  (required) and, optionally, the date by which the agreements are followed up (after the
  meeting).
- `record_meeting_follow_up`: the follow-up of the agreements (its date and a note), once.

Reminders about a follow-up that is due come from `voice.reminders`. Every write is atomic with
its audit row; refusals raise `cases.plans.PlanError` with Danish messages per form field.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from trappen.cases.models import Case
from trappen.cases.plans import (
    Errors,
    PlanError,
    check_date,
    check_open,
    clean_text,
    log,
    require_case_role,
)
from trappen.core.models import AuditAction, User
from trappen.people.models import NetworkConsent, NetworkPerson
from trappen.voice.models import NetworkMeeting, NetworkMeetingKind

TEXT_MAX = 5000
PURPOSE = "Netværksmøde"


def network_of(case: Case) -> QuerySet:
    """The persons on the child's network map (those removed from the map are left out)."""
    return NetworkPerson.objects.filter(child_id=case.child_id, removed_on__isnull=True)


def check_persons(case: Case, persons: Iterable, field: str, errors: Errors) -> list[NetworkPerson]:
    """The persons, if every one is on the case's child's network map and consent to involving
    them is not refused (as `voice.network.add_role`); else an error. A person not yet asked may
    be chosen: asking is part of preparing the meeting."""
    chosen = list(persons)
    if any(
        not isinstance(p, NetworkPerson) or p.child_id != case.child_id or p.removed_on
        for p in chosen
    ):
        errors.add(field, "Vælg kun personer fra barnets netværkskort.")
        return chosen
    for person in chosen:
        if person.consent == NetworkConsent.REFUSED:
            errors.add(field, consent_refused(person))
    return chosen


def consent_refused(person: NetworkPerson) -> str:
    return (
        f"Der er ikke samtykke til at inddrage {person.name}: samtykket er nægtet. "
        "Ret samtykket på netværkskortet først."
    )


def shown_persons(*groups: Iterable[NetworkPerson]) -> list[NetworkPerson]:
    """The network persons a page shows, each once (for its audit write)."""
    seen: dict[int, NetworkPerson] = {}
    for group in groups:
        for person in group:
            seen.setdefault(person.pk, person)
    return list(seen.values())


def check_past(value, field: str, errors: Errors, missing: str, future: str) -> bool:
    """A valid date that is not in the future."""
    if not check_date(value, field, errors, missing):
        return False
    if value > timezone.localdate():
        errors.add(field, future)
        return False
    return True


def record_meeting(
    case: Case,
    *,
    kind: NetworkMeetingKind | str,
    held_on: datetime.date,
    agreements: str,
    acting_user: User,
    participants: Iterable[NetworkPerson] = (),
    professionals: str = "",
    child_took_part: bool = False,
    follow_up_on: datetime.date | None = None,
) -> NetworkMeeting:
    """Record a held network meeting or stormøde with its participants and agreements."""
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    if kind not in NetworkMeetingKind.values:
        errors.add("kind", "Vælg, om det var et netværksmøde eller et stormøde.")
    held = check_past(
        held_on,
        "held_on",
        errors,
        "Skriv datoen, mødet blev holdt.",
        "Mødet kan ikke være holdt i fremtiden.",
    )
    people = check_persons(case, participants, "participants", errors)
    pros = clean_text(professionals, "professionals", errors)
    agreed = clean_text(
        agreements, "agreements", errors, required="Skriv, hvad der blev aftalt på mødet."
    )
    if not isinstance(child_took_part, bool):
        errors.add("child_took_part", "Svar på, om barnet deltog.")
    if follow_up_on is not None:
        ok = check_date(follow_up_on, "follow_up_on", errors, "Skriv en gyldig dato.")
        if ok and held and follow_up_on <= held_on:
            errors.add("follow_up_on", "Opfølgningen skal ligge efter mødet.")
    errors.raise_if_any()
    with transaction.atomic():
        meeting = NetworkMeeting.objects.create(
            case=case,
            kind=kind,
            held_on=held_on,
            professionals=pros,
            child_took_part=child_took_part,
            agreements=agreed,
            follow_up_on=follow_up_on,
            recorded_by=acting_user,
        )
        if people:
            meeting.participants.set(people)
        log(acting_user, AuditAction.CREATE, [meeting], case, role, PURPOSE)
    return meeting


def record_meeting_follow_up(
    meeting: NetworkMeeting,
    *,
    held_on: datetime.date,
    note: str,
    acting_user: User,
) -> NetworkMeeting:
    """Record that the meeting's agreements were followed up (once; the meeting is locked so two
    submissions cannot both record it)."""
    case = meeting.case
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    held = check_past(
        held_on,
        "held_on",
        errors,
        "Skriv datoen for opfølgningen.",
        "Opfølgningen kan ikke være holdt i fremtiden.",
    )
    text = clean_text(note, "note", errors, required="Skriv, hvordan aftalerne er fulgt op.")
    if held and held_on < meeting.held_on:
        errors.add("held_on", "Opfølgningen kan ikke ligge før mødet.")
    errors.raise_if_any()
    with transaction.atomic():
        locked = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.follow_up_held_on is not None:
            raise PlanError({None: ["Opfølgningen på mødet er allerede registreret."]})
        meeting.follow_up_held_on = held_on
        meeting.follow_up_note = text
        meeting.save(update_fields=["follow_up_held_on", "follow_up_note"])
        log(acting_user, AuditAction.UPDATE, [meeting], case, role, f"{PURPOSE}: opfølgning")
    return meeting
