"""Siblings of a placed child (barnets lov § 21, stk. 2–3).

When a child is placed because of insufficient care or abuse, the municipality investigates the
siblings under 15 in the household, unless it is obviously not needed (stk. 3: in special cases,
recorded with a reason). Trappen cannot tell the ground of a placement, so every placement
(an intervention on a placement step, `Step.is_placement`) flags the siblings; a placement on
other grounds is recorded as "not needed" with that reason.

- `flag_siblings_for_placement`: every child of the same municipality in the placed child's
  household (people.Child.household), under 15 on the day the placement starts, gets one
  `SiblingAssessment` and a flag (CaseAlert SIBLINGS) to the placed child's caseworker and the
  team leaders. Idempotent; may be called inside the caller's transaction (the interventions
  service calls it when a placement starts).
- `decide_sibling_assessment`: "investigate" opens the sibling's case if it has none (same team,
  source "caseworker") and starts an investigation triggered by the assessment; "not needed"
  needs a reason.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from trappen.cases import case_alerts
from trappen.cases.access import acting_role, case_role
from trappen.cases.investigations import (
    REASON_MAX,
    InvestigationError,
    open_investigation,
    require_case_role,
    start_investigation,
)
from trappen.cases.models import (
    Case,
    CaseAlertKind,
    CaseAlertLevel,
    CaseSource,
    CaseworkerAssignment,
    Intervention,
    Investigation,
    SiblingAssessment,
    SiblingOutcome,
)
from trappen.core import audit, calendar
from trappen.core.models import AuditAction, Role, User
from trappen.core.vocabulary import Step
from trappen.people.models import Child

SIBLING_AGE_LIMIT = 15  # § 21, stk. 2: siblings in the household under 15


def is_placement(intervention: Intervention) -> bool:
    return intervention.step is not None and Step(intervention.step).is_placement


def siblings_to_assess(placement: Intervention) -> list[Child]:
    """The children of the placed child's household (same municipality) under 15 on the day the
    placement starts; the placed child itself and unborn children are not included."""
    child = placement.case.child
    if child.household_id is None:
        return []
    on = placement.start_on
    rows = (
        Child.objects.filter(
            household_id=child.household_id,
            municipality_id=placement.case.municipality_id,
            birth_date__lte=on,
        )
        .exclude(pk=child.pk)
        .order_by("birth_date", "pk")
    )
    return [s for s in rows if s.age_on(on) < SIBLING_AGE_LIMIT]


def flag_siblings_for_placement(
    placement_intervention: Intervention,
    *,
    acting_user: User | None,
    now: datetime.datetime | None = None,
) -> list[SiblingAssessment]:
    """Flag the siblings under 15 of a child whose placement starts (§ 21, stk. 2); returns the
    new assessments (none when called again). Not a placement: nothing happens."""
    if not is_placement(placement_intervention):
        return []
    now = now or timezone.now()
    with transaction.atomic():
        # One flagging at a time per placement: a second caller waits here, then finds the rows.
        placement = (
            Intervention.objects.select_for_update(of=("self",))
            .select_related("case__child", "case__caseworker")
            .get(pk=placement_intervention.pk)
        )
        case = placement.case
        done = set(
            SiblingAssessment.objects.filter(placement=placement).values_list(
                "sibling_id", flat=True
            )
        )
        today = calendar.local_date(now)
        new = [
            SiblingAssessment.objects.create(
                placed_case=case, placement=placement, sibling=sibling, flagged_on=today
            )
            for sibling in siblings_to_assess(placement)
            if sibling.pk not in done
        ]
        if not new:
            return []
        audit.record_many(
            acting_user,
            [
                audit.AuditEntry(
                    AuditAction.CREATE,
                    "cases.siblingassessment",
                    str(a.pk),
                    a.sibling_id,
                    "Søskende markeret til vurdering ved anbringelse (barnets lov § 21)",
                )
                for a in new
            ],
            role=acting_role(acting_user, case),
            municipality=case.municipality,
        )
        case_alerts.raise_alerts(
            (
                case_alerts.NewAlert(case, CaseAlertKind.SIBLINGS, a.pk, CaseAlertLevel.FLAG)
                for a in new
            ),
            now=now,
            actor=acting_user,
        )
    return new


def decide_sibling_assessment(
    assessment: SiblingAssessment,
    outcome: SiblingOutcome | str,
    reason: str,
    acting_user: User,
    *,
    now: datetime.datetime | None = None,
) -> tuple[SiblingAssessment, Investigation | None]:
    """Decide one sibling assessment; returns it and the sibling's investigation (if any).

    "investigate": the sibling's open case is used, or one is opened in the placed child's team
    (source "caseworker"); an investigation is started there, due 4 months after the sibling was
    flagged, unless one is running already (it is kept). The sibling's existing case must be one
    the acting user may work on. "not_needed" (§ 21, stk. 3: obviously not needed) needs a reason.
    """
    role = require_case_role(acting_user, assessment.placed_case)
    now = now or timezone.now()
    today = calendar.local_date(now)
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    errors: dict[str | None, list[str]] = {}
    if outcome not in SiblingOutcome.values:
        errors["outcome"] = ["Vælg, om søskende skal undersøges."]
    elif outcome == SiblingOutcome.NOT_NEEDED and not reason:
        errors["reason"] = ["Skriv, hvorfor det er åbenbart, at en undersøgelse ikke er nødvendig."]
    if len(reason) > REASON_MAX:
        errors["reason"] = [f"Begrundelsen må højst være på {REASON_MAX} tegn."]
    if errors:
        raise InvestigationError(errors)
    with transaction.atomic():
        locked = (
            SiblingAssessment.objects.select_for_update(of=("self",))
            .select_related("placed_case", "sibling")
            .get(pk=assessment.pk)
        )
        if locked.decided_on is not None:
            raise InvestigationError(
                {None: ["Der er allerede taget stilling til søskendes undersøgelse."]}
            )
        investigation = None
        if outcome == SiblingOutcome.INVESTIGATE:
            investigation = _investigate(locked, acting_user, role, reason, today)
        locked.outcome, locked.reason = outcome, reason
        locked.decided_on, locked.decided_by = today, acting_user
        locked.save(update_fields=["outcome", "reason", "decided_on", "decided_by"])
        audit.record(
            acting_user,
            AuditAction.UPDATE,
            object_type="cases.siblingassessment",
            object_id=str(locked.pk),
            child_id=locked.sibling_id,
            role=role,
            purpose=f"Søskendevurdering: {SiblingOutcome(outcome).label} (barnets lov § 21)",
        )
    for name in ("outcome", "reason", "decided_on", "decided_by"):
        setattr(assessment, name, getattr(locked, name))
    return assessment, investigation


def _investigate(assessment, acting_user, role_on_placed_case, reason, today) -> Investigation:
    placed = assessment.placed_case
    case = _open_case(assessment.sibling, placed.municipality_id) or _new_case(
        assessment, acting_user, role_on_placed_case, today
    )
    role = case_role(acting_user, case)
    if role is None:
        raise InvestigationError(
            {
                None: [
                    f"Søskende har en åben sag i {case.team.name}, som du ikke kan arbejde med. "
                    "Bed teamet om at starte undersøgelsen."
                ]
            }
        )
    running = open_investigation(case)
    if running is not None:
        return running
    return start_investigation(
        case,
        aware_on=assessment.flagged_on,
        acting_user=acting_user,
        reason=reason or "Søskende til et anbragt barn (barnets lov § 21, stk. 2).",
        role=role,
        started_on=today,
        triggered_by_sibling=assessment,
    )


def _open_case(child: Child, municipality_id: int) -> Case | None:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("team")
        .filter(municipality_id=municipality_id, child=child, closed_on__isnull=True)
        .first()
    )


def _new_case(assessment, acting_user: User, role: str, today) -> Case:
    """The sibling's case in the placed child's team; a concurrent one wins the race."""
    placed = assessment.placed_case
    caseworker = acting_user if role == Role.CASEWORKER else placed.caseworker
    try:
        with transaction.atomic():
            case = Case.objects.create(
                municipality_id=placed.municipality_id,
                child=assessment.sibling,
                team_id=placed.team_id,
                caseworker=caseworker,
                source=CaseSource.CASEWORKER,
                opened_on=today,
                opened_by=acting_user,
                is_synthetic=assessment.sibling.is_synthetic,
            )
    except IntegrityError:  # one open case per child
        return _open_case(assessment.sibling, placed.municipality_id)
    if caseworker is not None:
        CaseworkerAssignment.objects.create(
            case=case,
            caseworker=caseworker,
            started_on=today,
            assigned_by=acting_user,
            reason="Søskendeundersøgelse (barnets lov § 21)",
        )
    audit.record(
        acting_user,
        AuditAction.CREATE,
        case,
        role=role,
        purpose="Sag oprettet: søskende til et anbragt barn (barnets lov § 21)",
    )
    return case
