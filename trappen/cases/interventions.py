"""Interventions on the staircase: granting one from the offer catalogue, ending it, and the
child's step movements that follow.

- `grant_intervention`: an offer of the case's municipality gives the title, legal basis, step,
  and the default provider and monthly cost. A § 32 measure states its purpose and expected
  duration (§ 32, stk. 3). The intervention is an immediate one when it starts without a completed
  investigation (`is_immediate_start`). The first follow-up is scheduled at once (§ 95, stk. 2,
  moved to a working day by `calendar.follow_up_meeting_date`). A placement (step 3 or higher)
  flags the siblings for assessment (§ 21, `siblings.flag_siblings_for_placement`).
- `end_intervention`: the last day of the intervention and why it ended; follow-ups not yet held
  and due after the end are dropped.
- Both are decisions on the case and need the child heard first (barnets lov § 5,
  `voice.decisions`): a `ChildHeard` with a conversation of the case within the municipality's
  window, or the exceptional reason and a note. The `CaseDecision` (INTERVENTION, PLACEMENT
  from step 3, END) is recorded in the same transaction, so a refused guard saves nothing.
- `record_step_change`: the child's step (the highest active step, `services.current_step`) on a
  day against the day before; one `StepMovement` per day on which the step changes.

Step movements (docs/casework.md): an intervention is active from `start_on` to `end_on`
inclusive, so a movement dated d records the step in force from d on: a start moves the child on
`start_on`, an end on `end_on` + 1 day (the rule of the synthetic history, `synthetic.staircase`).
Movements are recorded when the intervention is granted or ended, so one that starts or ends in the
future gives a movement dated in the future (a planned move; figures count `moved_on <= today`).
A day has at most one movement, from the step on the day before to the step on the day: when a
second change falls on the same day, that day's movement is corrected (or removed when the child
ends where it started), so the movements always chain and count each move once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trappen.cases import services
from trappen.cases.access import acting_role
from trappen.cases.models import (
    Case,
    FollowUp,
    Goal,
    Intervention,
    StepMovement,
)
from trappen.cases.plans import (
    Errors,
    PlanError,
    check_date,
    check_open,
    clean_text,
    log,
    require_case_role,
)
from trappen.cases.siblings import flag_siblings_for_placement
from trappen.core import audit, calendar
from trappen.core.models import AuditAction, OrganisationalUnit, User
from trappen.offers.models import Offer
from trappen.voice.decisions import ChildHeard, check_child_heard, record_decision
from trappen.voice.models import DecisionKind

ONE_DAY = datetime.timedelta(days=1)
REASON_MAX = 500
MOVEMENT_REASON_MAX = 300
COST_MAX = Decimal("9999999999")
SUPPORT_PARAGRAPH = "§ 32"

# --- the rules --------------------------------------------------------------------------------


def is_immediate_start(case: Case, start_on: datetime.date) -> bool:
    """An immediate intervention (straks-indsats) is one started without a full investigation:
    no investigation (børnefaglig undersøgelse, § 20) of the case was completed on or before the
    day the intervention starts. An investigation still running, or completed after the start,
    does not count: the intervention then runs alongside it (§ 32, stk. 4)."""
    return not case.investigations.filter(completed_on__lte=start_on).exists()


def is_support_measure(legal_basis: str) -> bool:
    """A supporting measure under barnets lov § 32 ("§ 32", "§ 32, stk. 1, nr. 3", ...)."""
    basis = " ".join((legal_basis or "").split())
    return basis == SUPPORT_PARAGRAPH or basis.startswith(SUPPORT_PARAGRAPH + ",")


def investigation_alongside_end(case: Case, start_on: datetime.date) -> datetime.date | None:
    """The end of an investigation running alongside an intervention starting on `start_on`
    (§ 95, stk. 2, nr. 1): the completion day of one completed on or after the start, or the
    expected end (else the deadline) of one still open, if not before the start. The earliest,
    or None."""
    ends = []
    rows = case.investigations.filter(
        Q(completed_on__gte=start_on) | Q(completed_on__isnull=True)
    ).values_list("completed_on", "expected_completion_on", "due_on")
    for completed_on, expected_on, due_on in rows:
        end = completed_on or expected_on or due_on
        if end is not None and end >= start_on:
            ends.append(end)
    return min(ends) if ends else None


def first_follow_up_date(case: Case, start_on: datetime.date) -> datetime.date:
    """The first follow-up's meeting day: the earlier of the alongside investigation's end and
    3 months after the start (§ 95, stk. 2), moved back to a working day if needed."""
    due = calendar.first_follow_up_due(start_on, investigation_alongside_end(case, start_on))
    return calendar.follow_up_meeting_date(due, case.municipality_id)


# --- step movements ---------------------------------------------------------------------------


def record_step_change(
    case: Case,
    day: datetime.date,
    reason: str,
    intervention: Intervention | None,
    acting_user: User | None,
) -> StepMovement | None:
    """Record the child's step movement on `day`, if the step changed on that day.

    Compares the step on the day before with the step on `day` (the highest step among the
    interventions active on each day, as stored now). When they differ, the day's movement is
    recorded, or corrected if one is there already (its reason gains `reason`); when they are
    equal, a movement left on that day by an earlier change is removed. Returns the day's
    movement, or None. Call it after saving the intervention's change.
    """
    spans = list(case.interventions.only("step", "start_on", "end_on"))
    before = services.current_step(spans, day - ONE_DAY)
    after = services.current_step(spans, day)
    existing = list(StepMovement.objects.filter(case=case, moved_on=day).order_by("pk"))
    role = acting_role(acting_user, case)
    purpose = "Trinskift på indsatstrappen"
    if before == after:
        if existing:
            log(acting_user, AuditAction.DELETE, existing, case, role, purpose)
            StepMovement.objects.filter(pk__in=[m.pk for m in existing]).delete()
        return None
    reason = (reason or "").strip()
    if not existing:
        movement = StepMovement.objects.create(
            case=case,
            from_step=before,
            to_step=after,
            moved_on=day,
            reason=reason[:MOVEMENT_REASON_MAX],
            intervention=intervention,
            recorded_by=acting_user,
        )
        log(acting_user, AuditAction.CREATE, [movement], case, role, purpose)
        return movement
    movement, extra = existing[-1], existing[:-1]
    if extra:
        log(acting_user, AuditAction.DELETE, extra, case, role, purpose)
        StepMovement.objects.filter(pk__in=[m.pk for m in extra]).delete()
    reasons = [m.reason for m in existing if m.reason]
    if reason and reason not in reasons:
        reasons.append(reason)
    movement.from_step, movement.to_step = before, after
    movement.reason = "; ".join(reasons)[:MOVEMENT_REASON_MAX]
    movement.intervention = intervention or movement.intervention
    movement.recorded_by = acting_user or movement.recorded_by
    movement.save(update_fields=["from_step", "to_step", "reason", "intervention", "recorded_by"])
    log(acting_user, AuditAction.UPDATE, [movement], case, role, purpose)
    return movement


def _reconcile_steps(
    case: Case,
    intervention: Intervention,
    boundaries: dict[datetime.date, str],
    acting_user: User,
    until: datetime.date | None,
) -> None:
    """Record the movements on the days where the intervention's change can move the child:
    `boundaries` (day -> reason), and, up to `until` (None: for ever), every later day on which
    the step could change (a start or the day after an end of any of the case's interventions,
    or a movement already recorded): the change may hide or reveal those."""
    lo = min(boundaries)
    days = dict(boundaries)
    movements = StepMovement.objects.filter(case=case, moved_on__gt=lo)
    candidates = set(movements.values_list("moved_on", flat=True))
    for start_on, end_on in case.interventions.values_list("start_on", "end_on"):
        candidates.add(start_on)
        if end_on is not None:
            candidates.add(end_on + ONE_DAY)
    for day in candidates:
        if day > lo and (until is None or day <= until):
            days.setdefault(day, f"Rettet: {intervention.title}")
    for day in sorted(days):
        record_step_change(case, day, days[day], intervention, acting_user)


# --- granting ---------------------------------------------------------------------------------


def grant_intervention(
    case: Case,
    *,
    offer: Offer,
    start_on: datetime.date,
    acting_user: User,
    end_on: datetime.date | None = None,
    monthly_cost: Decimal | int | None = None,
    provider: OrganisationalUnit | None = None,
    purpose: str = "",
    expected_end_on: datetime.date | None = None,
    goals: Iterable[Goal] = (),
    child_heard: ChildHeard | None = None,
) -> Intervention:
    """Grant an intervention from the offer catalogue; see the module docstring."""
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    if not isinstance(offer, Offer) or offer.municipality_id != case.municipality_id:
        errors.add("offer", "Vælg et tilbud fra kommunens tilbudsvifte.")
        offer = None
    dates_ok = check_date(start_on, "start_on", errors, "Skriv startdatoen.")
    for field, value in (("end_on", end_on), ("expected_end_on", expected_end_on)):
        if value is not None and check_date(value, field, errors, "Skriv en gyldig dato."):
            if dates_ok and value < start_on:
                errors.add(field, "Datoen kan ikke ligge før startdatoen.")
    if dates_ok and start_on < case.opened_on:
        errors.add("start_on", "Indsatsen kan ikke starte, før sagen blev oprettet.")
    cost = _clean_cost(monthly_cost, offer, errors)
    provider = _clean_provider(provider, offer, case, errors)
    purpose = clean_text(purpose, "purpose", errors)
    if offer is not None and is_support_measure(offer.legal_basis):
        if not purpose:
            errors.add("purpose", "Skriv formålet med indsatsen (§ 32, stk. 3).")
        if expected_end_on is None and "expected_end_on" not in errors:
            errors.add("expected_end_on", "Skriv den forventede varighed (§ 32, stk. 3).")
    goals = list(goals)
    plan_ids = set(case.plans.values_list("pk", flat=True)) if goals else set()
    if any(not isinstance(g, Goal) or g.plan_id not in plan_ids for g in goals):
        errors.add("goals", "Vælg kun mål fra barnets egen plan.")
    decided_on = timezone.localdate()
    heard = check_child_heard(case, child_heard, decided_on, errors)
    errors.raise_if_any()

    with transaction.atomic():
        intervention = Intervention.objects.create(
            case=case,
            offer=offer,
            title=offer.name,
            legal_basis=offer.legal_basis,
            step=offer.step,
            provider=provider,
            is_immediate=is_immediate_start(case, start_on),
            granted_on=decided_on,
            start_on=start_on,
            end_on=end_on,
            monthly_cost=cost,
            purpose=purpose,
            expected_end_on=expected_end_on,
            decided_by=acting_user,
        )
        for goal in goals:
            goal.interventions.add(intervention)
        audit.record(
            acting_user, AuditAction.CREATE, intervention, role=role, purpose="Indsats bevilget"
        )
        placement = intervention.step >= 3
        record_decision(
            case,
            kind=DecisionKind.PLACEMENT if placement else DecisionKind.INTERVENTION,
            summary=f"{'Anbringelse' if placement else 'Bevilget'}: {intervention.title}",
            decided_on=decided_on,
            acting_user=acting_user,
            conversation=heard.conversation,
            no_conversation_reason=heard.no_conversation_reason,
            no_conversation_note=heard.no_conversation_note,
            intervention=intervention,
        )
        boundaries = {start_on: f"Bevilget: {intervention.title}"}
        until = None
        if end_on is not None:
            until = end_on + ONE_DAY
            boundaries[until] = f"Slutter: {intervention.title}"
        _reconcile_steps(case, intervention, boundaries, acting_user, until)
        _schedule_first_follow_up(case, intervention, acting_user, role)
        if placement:  # § 21, the siblings under 15 are assessed
            flag_siblings_for_placement(intervention, acting_user=acting_user)
    return intervention


def _clean_cost(value, offer: Offer | None, errors: Errors) -> Decimal:
    if value is None or value == "":
        return offer.monthly_cost if offer is not None else Decimal(0)
    try:
        cost = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        errors.add("monthly_cost", "Skriv prisen pr. måned som et beløb i hele kroner.")
        return Decimal(0)
    if not cost.is_finite() or cost < 0 or cost > COST_MAX or cost != cost.to_integral_value():
        errors.add("monthly_cost", "Skriv prisen pr. måned som et beløb i hele kroner.")
        return Decimal(0)
    return cost


def _clean_provider(provider, offer: Offer | None, case: Case, errors: Errors):
    if provider is None:
        return offer.provider if offer is not None else None
    if (
        not isinstance(provider, OrganisationalUnit)
        or provider.municipality_id != case.municipality_id
    ):
        errors.add("provider", "Vælg en udfører i kommunen.")
        return None
    return provider


def _schedule_first_follow_up(case, intervention, acting_user, role) -> FollowUp:
    follow_up = FollowUp.objects.create(
        intervention=intervention,
        due_on=first_follow_up_date(case, intervention.start_on),
        is_first=True,
    )
    log(acting_user, AuditAction.CREATE, [follow_up], case, role, "Første opfølgning (§ 95)")
    return follow_up


# --- ending -----------------------------------------------------------------------------------


def end_intervention(
    intervention: Intervention,
    *,
    end_on: datetime.date,
    reason: str,
    acting_user: User,
    child_heard: ChildHeard | None = None,
    follow_up: FollowUp | None = None,
) -> Intervention:
    """End the intervention on `end_on` (its last day) with a reason; see the module docstring.

    The decision is recorded as END, decided today; when the intervention ends by a decision at
    a held `follow_up` (`follow_ups.record_follow_up`), it is that follow-up's decision (END with
    the follow-up set, decided on the day it was held) and no second one is recorded.
    """
    case = intervention.case
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    if intervention.end_reason:
        errors.add(None, "Indsatsen er allerede afsluttet.")
    if check_date(end_on, "end_on", errors, "Skriv slutdatoen."):
        if end_on < intervention.start_on:
            errors.add("end_on", "Slutdatoen kan ikke ligge før startdatoen.")
    reason = clean_text(
        reason, "reason", errors, limit=REASON_MAX, required="Skriv, hvorfor indsatsen slutter."
    )
    at_follow_up = follow_up is not None and follow_up.held_on is not None
    if follow_up is not None and (not at_follow_up or follow_up.intervention_id != intervention.pk):
        errors.add(None, "Opfølgningen hører ikke til indsatsen.")
    decided_on = follow_up.held_on if at_follow_up else timezone.localdate()
    heard = check_child_heard(case, child_heard, decided_on, errors)
    errors.raise_if_any()
    with transaction.atomic():
        locked = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if locked.end_reason:
            raise PlanError({None: ["Indsatsen er allerede afsluttet."]})
        old_end = locked.end_on
        intervention.end_on, intervention.end_reason = end_on, reason
        intervention.save(update_fields=["end_on", "end_reason"])
        audit.record(
            acting_user, AuditAction.UPDATE, intervention, role=role, purpose="Indsats afsluttet"
        )
        record_decision(
            case,
            kind=DecisionKind.END,
            summary=f"{intervention.title} afsluttet: {reason}"[:300],
            decided_on=decided_on,
            acting_user=acting_user,
            conversation=heard.conversation,
            no_conversation_reason=heard.no_conversation_reason,
            no_conversation_note=heard.no_conversation_note,
            intervention=intervention,
            follow_up=follow_up if at_follow_up else None,
        )
        dropped = list(
            FollowUp.objects.filter(
                intervention=intervention, held_on__isnull=True, due_on__gt=end_on
            )
        )
        if dropped:
            log(acting_user, AuditAction.DELETE, dropped, case, role, "Opfølgning efter slut")
            FollowUp.objects.filter(pk__in=[f.pk for f in dropped]).delete()
        boundaries = {end_on + ONE_DAY: f"Afsluttet: {intervention.title}: {reason}"}
        until = None  # an open intervention may have hidden any later change
        if old_end is not None:
            until = max(old_end, end_on) + ONE_DAY
            boundaries.setdefault(old_end + ONE_DAY, f"Slutdato ændret: {intervention.title}")
        _reconcile_steps(case, intervention, boundaries, acting_user, until)
    return intervention
