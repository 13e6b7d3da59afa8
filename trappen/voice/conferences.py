"""The family group conference (familierådslagning) as a state machine over `ConferencePhase`
(docs/voice-meetings.md).

    refer ──> start_preparation ──> hold_meeting ──> hold_follow_up
    REFERRED     PREPARATION           MEETING          FOLLOW_UP
       └────────────┴──── cancel ─────────┴──> CANCELLED

- `refer`: the question the family is to answer, the independent coordinator (required: the
  method rests on a coordinator who is not the caseworker) and the referral date.
- `start_preparation`: the coordinator prepares the family and the network; the persons invited
  come from the child's network map.
- `hold_meeting`: the meeting in its three parts: the professionals' information, the family's
  private time (the family and the network alone; a meeting without it is refused) and the
  family's plan (at least one line: what, who, by when), which the caseworker accepts. The
  follow-up meeting is due `FOLLOW_UP_MONTHS` months later unless another date is given.
- `mark_plan_item_done`: a line of the plan is done (between the meeting and the follow-up).
- `hold_follow_up`: the follow-up meeting (date, note) and the plan's lines done by then.
- `cancel`: from any open phase (referred, preparation, meeting), with a reason.

Each step locks the conference (`select_for_update`) and checks the phase under the lock, so two
clicks cannot both advance it. A step out of order is refused with a Danish message naming the
phase the conference is in and the step that must come first. Dates must follow each other;
none of the held dates may lie in the future. Every write is audited in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

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
from trappen.core import calendar
from trappen.core.models import AuditAction, User
from trappen.people.models import NetworkPerson
from trappen.voice.meetings import check_past, check_persons
from trappen.voice.models import ConferencePhase, FamilyGroupConference, FamilyPlanItem

# The follow-up meeting is held some months after the conference, when the family has had time
# to carry out its plan; Trappen's default is three months (the seeds name no interval, and the
# law none). The caseworker may choose another date at the meeting.
FOLLOW_UP_MONTHS = 3
MAX_PLAN_ITEMS = 30
WHAT_MAX, WHO_MAX, NAME_MAX, TEXT_MAX = 300, 200, 200, 5000
PURPOSE = "Familierådslagning"

Phase = ConferencePhase
ORDER = [Phase.REFERRED, Phase.PREPARATION, Phase.MEETING, Phase.FOLLOW_UP]
OPEN = frozenset({Phase.REFERRED, Phase.PREPARATION, Phase.MEETING})


@dataclass(frozen=True)
class Step:
    """A step of the conference: the phase it leads to, and how the messages name it."""

    phase: ConferencePhase
    name: str  # "forberedelsen af familie og netværk"
    to_take: str  # "begynde" / "holdes": "<name> skal <to_take>"
    done: str  # "begyndt" / "holdt": "<name> er allerede <done>"


PREPARE = Step(Phase.PREPARATION, "forberedelsen af familie og netværk", "begynde", "begyndt")
MEETING = Step(Phase.MEETING, "rådslagningen", "holdes", "holdt")
FOLLOW_UP = Step(Phase.FOLLOW_UP, "opfølgningsmødet", "holdes", "holdt")
STEPS = {s.phase: s for s in (PREPARE, MEETING, FOLLOW_UP)}

# The phases' short names on the pages (the stepper, the phase line, the list) and in the
# messages. The model's choice labels stay as they are (no migration).
PHASE_NAMES = {
    Phase.REFERRED: "Henvisning og koordinator",
    Phase.PREPARATION: "Forberedelse",
    Phase.MEETING: "Rådslagning",
    Phase.FOLLOW_UP: "Opfølgningsmøde",
    Phase.CANCELLED: "Afbrudt",
}


def phase_label(phase: str) -> str:
    return PHASE_NAMES[ConferencePhase(phase)]


def next_step(conference: FamilyGroupConference) -> Step | None:
    """The step the conference waits for, or None when it is finished or cancelled."""
    if conference.phase not in OPEN:
        return None
    return STEPS[ORDER[ORDER.index(conference.phase) + 1]]


def out_of_order(conference: FamilyGroupConference, step: Step) -> str:
    """The Danish refusal of `step` in the conference's phase, or "" when the step may be taken."""
    phase = conference.phase
    if phase == Phase.CANCELLED:
        return (
            f"Familierådslagningen er afbrudt ({conference.cancelled_on:%d.%m.%Y}). "
            "Der kan ikke registreres mere på den."
        )
    here = f"Familierådslagningen er i fasen »{phase_label(phase)}«."
    wanted, current = ORDER.index(step.phase), ORDER.index(phase)
    if current == wanted - 1:
        return ""
    if current >= wanted:
        return f"{here} {step.name.capitalize()} er allerede {step.done}."
    first = STEPS[ORDER[current + 1]]
    return (
        f"{here} Først skal {first.name} {first.to_take}, "
        f"før {step.name} kan {'begynde' if step is PREPARE else 'holdes'}."
    )


def item_done_refusal(conference: FamilyGroupConference) -> str:
    """Why a plan line cannot be marked done now, or "" (only while the plan runs)."""
    if conference.phase == Phase.MEETING:
        return ""
    return (
        f"Familierådslagningen er i fasen »{phase_label(conference.phase)}«. Punkter i planen "
        "markeres som gjort, mens planen løber: efter rådslagningen og før opfølgningsmødet."
    )


def cancel_refusal(conference: FamilyGroupConference) -> str:
    """Why the conference cannot be cancelled, or "" (it can in every open phase)."""
    if conference.phase == Phase.CANCELLED:
        return "Familierådslagningen er allerede afbrudt."
    if conference.phase == Phase.FOLLOW_UP:
        return "Familierådslagningen er afsluttet med opfølgningsmødet og kan ikke afbrydes."
    return ""


def _locked(conference: FamilyGroupConference, step: Step | None, errors: Errors):
    """Lock the conference's row, refresh its phase and refuse a step out of order."""
    fresh = FamilyGroupConference.objects.select_for_update().get(pk=conference.pk)
    for field in ("phase", "cancelled_on", "preparation_started_on", "meeting_held_on"):
        setattr(conference, field, getattr(fresh, field))
    if step is not None:
        message = out_of_order(conference, step)
        if message:
            raise PlanError({None: [message]})
    errors.raise_if_any()


# --- referral ----------------------------------------------------------------------------------


def refer(
    case: Case,
    *,
    question: str,
    coordinator_name: str,
    referred_on: datetime.date,
    acting_user: User,
    coordinator_contact: str = "",
) -> FamilyGroupConference:
    """Refer the family to a family group conference with an independent coordinator."""
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    text = clean_text(
        question,
        "question",
        errors,
        required="Skriv det spørgsmål, familien og netværket skal svare på.",
    )
    name = clean_text(
        coordinator_name,
        "coordinator_name",
        errors,
        limit=NAME_MAX,
        required="Skriv navnet på den uafhængige koordinator.",
    )
    contact = clean_text(coordinator_contact, "coordinator_contact", errors, limit=NAME_MAX)
    check_past(
        referred_on,
        "referred_on",
        errors,
        "Skriv datoen for henvisningen.",
        "Henvisningen kan ikke ligge i fremtiden.",
    )
    errors.raise_if_any()
    with transaction.atomic():
        conference = FamilyGroupConference.objects.create(
            case=case,
            phase=Phase.REFERRED,
            question=text,
            referred_on=referred_on,
            referred_by=acting_user,
            coordinator_name=name,
            coordinator_contact=contact,
        )
        log(acting_user, AuditAction.CREATE, [conference], case, role, f"{PURPOSE}: henvist")
    return conference


# --- preparation ------------------------------------------------------------------------------


def start_preparation(
    conference: FamilyGroupConference,
    *,
    started_on: datetime.date,
    acting_user: User,
    invited: Iterable[NetworkPerson] = (),
    meeting_planned_on: datetime.date | None = None,
) -> FamilyGroupConference:
    """The coordinator begins preparing the family and the network (the invited persons come
    from the child's network map); optionally the planned date of the conference."""
    case = conference.case
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    started = check_past(
        started_on,
        "started_on",
        errors,
        "Skriv datoen, forberedelsen begyndte.",
        "Forberedelsen kan ikke være begyndt i fremtiden.",
    )
    people = check_persons(case, invited, "invited", errors)
    if started and started_on < conference.referred_on:
        errors.add(
            "started_on",
            f"Forberedelsen kan ikke begynde før henvisningen ({conference.referred_on:%d.%m.%Y}).",
        )
    if meeting_planned_on is not None:
        ok = check_date(meeting_planned_on, "meeting_planned_on", errors, "Skriv en gyldig dato.")
        if ok and started and meeting_planned_on < started_on:
            errors.add("meeting_planned_on", "Rådslagningen kan ikke planlægges før forberedelsen.")
    with transaction.atomic():
        _locked(conference, PREPARE, errors)
        conference.phase = Phase.PREPARATION
        conference.preparation_started_on = started_on
        conference.meeting_planned_on = meeting_planned_on
        conference.save(update_fields=["phase", "preparation_started_on", "meeting_planned_on"])
        if people:
            conference.invited.set(people)
        log(acting_user, AuditAction.UPDATE, [conference], case, role, f"{PURPOSE}: forberedelse")
    return conference


# --- the meeting and the family's plan --------------------------------------------------------


@dataclass(frozen=True)
class PlanLine:
    """A line of the family's plan as entered: what, who (a name, or a person of the network map
    whose name is then used when `who` is empty), by when."""

    what: str
    who: str
    by_when: datetime.date | None
    person: NetworkPerson | None = None


def _check_lines(
    case: Case, lines: Sequence[PlanLine], held_on, errors: Errors
) -> list[FamilyPlanItem]:
    if not lines:
        errors.add("plan", "Familiens plan skal have mindst ét punkt: hvad, hvem og hvornår.")
        return []
    if len(lines) > MAX_PLAN_ITEMS:
        errors.add("plan", f"Familiens plan kan højst have {MAX_PLAN_ITEMS} punkter.")
        return []
    items = []
    for n, line in enumerate(lines, start=1):
        line_errors = Errors()
        what = clean_text(
            line.what, "what", line_errors, limit=WHAT_MAX, required="Skriv, hvad der skal ske."
        )
        person = line.person
        if person is not None:
            check_persons(case, [person], "person", line_errors)
        who = clean_text(line.who, "who", line_errors, limit=WHO_MAX)
        if not who and isinstance(person, NetworkPerson):
            who = person.name[:WHO_MAX]
        if not who:
            line_errors.add("who", "Skriv, hvem der gør det.")
        ok = check_date(line.by_when, "by_when", line_errors, "Skriv, hvornår det skal ske.")
        if ok and isinstance(held_on, datetime.date) and line.by_when < held_on:
            line_errors.add("by_when", "Datoen kan ikke ligge før rådslagningen.")
        for messages in line_errors.values():
            for message in messages:
                errors.add("plan", f"Punkt {n}: {message}")
        if not line_errors:
            items.append(FamilyPlanItem(what=what, who=who, person=person, by_when=line.by_when))
    return items


def hold_meeting(
    conference: FamilyGroupConference,
    *,
    held_on: datetime.date,
    information_given: str,
    private_time_held: bool,
    plan: Sequence[PlanLine],
    plan_accepted: bool,
    acting_user: User,
    follow_up_due_on: datetime.date | None = None,
) -> FamilyGroupConference:
    """The conference is held: the professionals' information, the family's private time and the
    family's plan, accepted by the caseworker. The follow-up meeting is due by
    `follow_up_due_on`, by default `FOLLOW_UP_MONTHS` months after the meeting."""
    case = conference.case
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    held = check_past(
        held_on,
        "held_on",
        errors,
        "Skriv datoen, rådslagningen blev holdt.",
        "Rådslagningen kan ikke være holdt i fremtiden.",
    )
    info = clean_text(
        information_given,
        "information_given",
        errors,
        required="Skriv, hvilken information fagpersonerne gav familien og netværket.",
    )
    if private_time_held is not True:
        errors.add(
            "private_time_held",
            "Familiens egen tid skal holdes: familien og netværket laver planen alene, uden "
            "fagpersoner. Rådslagningen kan ikke registreres uden.",
        )
    if plan_accepted is not True:
        errors.add(
            "plan_accepted",
            "Rådgiveren skal godkende familiens plan. Kan planen ikke godkendes, arbejder "
            "familien videre med den i sin egen tid, før rådslagningen registreres.",
        )
    items = _check_lines(case, list(plan), held_on if held else None, errors)
    if follow_up_due_on is None and held:
        follow_up_due_on = calendar.add_months(held_on, FOLLOW_UP_MONTHS)
    elif follow_up_due_on is not None:
        ok = check_date(follow_up_due_on, "follow_up_due_on", errors, "Skriv en gyldig dato.")
        if ok and held and follow_up_due_on <= held_on:
            errors.add("follow_up_due_on", "Opfølgningsmødet skal ligge efter rådslagningen.")
    with transaction.atomic():
        _locked(conference, MEETING, errors)
        if held_on < conference.preparation_started_on:
            raise PlanError(
                {
                    "held_on": [
                        "Rådslagningen kan ikke holdes før forberedelsen begyndte "
                        f"({conference.preparation_started_on:%d.%m.%Y})."
                    ]
                }
            )
        conference.phase = Phase.MEETING
        conference.meeting_held_on = held_on
        conference.information_given = info
        conference.private_time_held = True
        conference.plan_accepted = True
        conference.follow_up_due_on = follow_up_due_on
        conference.save(
            update_fields=[
                "phase",
                "meeting_held_on",
                "information_given",
                "private_time_held",
                "plan_accepted",
                "follow_up_due_on",
            ]
        )
        for item in items:
            item.conference = conference
        FamilyPlanItem.objects.bulk_create(items)
        log(
            acting_user,
            AuditAction.UPDATE,
            [conference],
            case,
            role,
            f"{PURPOSE}: rådslagning og familiens plan",
        )
    return conference


def mark_plan_item_done(
    item: FamilyPlanItem, *, done_on: datetime.date, acting_user: User
) -> FamilyPlanItem:
    """A line of the family's plan is done (while the plan runs: after the meeting, before the
    follow-up meeting, which marks the rest)."""
    conference = item.conference
    case = conference.case
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    check_past(
        done_on,
        "done_on",
        errors,
        "Skriv datoen, punktet blev gjort.",
        "Datoen kan ikke ligge i fremtiden.",
    )
    with transaction.atomic():
        _locked(conference, None, errors)
        refusal = item_done_refusal(conference)
        if refusal:
            raise PlanError({None: [refusal]})
        if done_on < conference.meeting_held_on:
            raise PlanError({"done_on": ["Punktet kan ikke være gjort før rådslagningen."]})
        fresh = FamilyPlanItem.objects.select_for_update().get(pk=item.pk)
        if fresh.done_on is not None:
            raise PlanError({None: ["Punktet er allerede markeret som gjort."]})
        item.done_on = done_on
        item.save(update_fields=["done_on"])
        log(acting_user, AuditAction.UPDATE, [item], case, role, f"{PURPOSE}: punkt i planen")
    return item


# --- the follow-up meeting --------------------------------------------------------------------


def hold_follow_up(
    conference: FamilyGroupConference,
    *,
    held_on: datetime.date,
    note: str,
    acting_user: User,
    done_items: Iterable[int] = (),
) -> FamilyGroupConference:
    """The follow-up meeting is held: how the plan went, and which of its lines are done (those
    not done before are marked done on the follow-up's date)."""
    case = conference.case
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    held = check_past(
        held_on,
        "held_on",
        errors,
        "Skriv datoen, opfølgningsmødet blev holdt.",
        "Opfølgningsmødet kan ikke være holdt i fremtiden.",
    )
    text = clean_text(note, "note", errors, required="Skriv, hvordan det er gået med planen.")
    done = set()
    for pk in done_items:
        if isinstance(pk, bool) or not isinstance(pk, int):
            errors.add("done_items", "Vælg kun punkter fra familiens plan.")
            break
        done.add(pk)
    with transaction.atomic():
        _locked(conference, FOLLOW_UP, errors)
        if held and held_on < conference.meeting_held_on:
            raise PlanError(
                {
                    "held_on": [
                        "Opfølgningsmødet kan ikke ligge før rådslagningen "
                        f"({conference.meeting_held_on:%d.%m.%Y})."
                    ]
                }
            )
        items = {i.pk: i for i in conference.plan_items.select_for_update()}
        if done - set(items):
            raise PlanError({"done_items": ["Vælg kun punkter fra familiens plan."]})
        conference.phase = Phase.FOLLOW_UP
        conference.follow_up_held_on = held_on
        conference.follow_up_note = text
        conference.save(update_fields=["phase", "follow_up_held_on", "follow_up_note"])
        newly = [items[pk] for pk in sorted(done) if items[pk].done_on is None]
        for item in newly:
            item.done_on = held_on
        FamilyPlanItem.objects.bulk_update(newly, ["done_on"])
        log(
            acting_user,
            AuditAction.UPDATE,
            [conference, *newly],
            case,
            role,
            f"{PURPOSE}: opfølgningsmøde",
        )
    return conference


# --- cancel -----------------------------------------------------------------------------------


def cancel(
    conference: FamilyGroupConference,
    *,
    cancelled_on: datetime.date,
    reason: str,
    acting_user: User,
) -> FamilyGroupConference:
    """Stop the conference in any open phase (referred, preparation, meeting), with a reason."""
    case = conference.case
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    on = check_past(
        cancelled_on,
        "cancelled_on",
        errors,
        "Skriv datoen for afbrydelsen.",
        "Afbrydelsen kan ikke ligge i fremtiden.",
    )
    text = clean_text(reason, "reason", errors, required="Begrund, hvorfor forløbet afbrydes.")
    with transaction.atomic():
        _locked(conference, None, errors)
        refusal = cancel_refusal(conference)
        if refusal:
            raise PlanError({None: [refusal]})
        latest = max(
            d
            for d in (
                conference.referred_on,
                conference.preparation_started_on,
                conference.meeting_held_on,
            )
            if d is not None
        )
        if on and cancelled_on < latest:
            raise PlanError(
                {"cancelled_on": [f"Afbrydelsen kan ikke ligge før {latest:%d.%m.%Y}."]}
            )
        conference.phase = Phase.CANCELLED
        conference.cancelled_on = cancelled_on
        conference.cancelled_reason = text
        conference.save(update_fields=["phase", "cancelled_on", "cancelled_reason"])
        log(acting_user, AuditAction.UPDATE, [conference], case, role, f"{PURPOSE}: afbrudt")
    return conference
