"""The børnefaglig undersøgelse (barnets lov §§ 20–22): start, findings, preliminary assessment,
conclusion.

The flow (docs/legal.md has the rules, docs/casework.md the story):

1. `start_investigation`: due 4 months after the municipality became aware that the child may
   need special support (§ 20, stk. 3; `calendar.investigation_due`). One open investigation per
   case. Started from a notification's screening decision (`notifications.decisions`), by a
   caseworker on the case page, or for a sibling after a placement (§ 21, `cases.siblings`).
2. `record_area`: what the investigation found in one of the ten ICS dimensions, resources and
   concerns (§ 22, stk. 1: challenges and resources of the child, the family and the network).
   `link_child_conversation`: the conversation with the child (voice.ChildConversation).
3. `record_preliminary_assessment`: when the 4 months exceptionally cannot be kept, a preliminary
   assessment, and the investigation is finished as soon as possible after (§ 20, stk. 3).
4. `complete_investigation`: the conclusion and recommendation (§ 22, stk. 6: a reasoned position
   on whether there are grounds for support under §§ 32, 46 or 47, and which), with the
   recommended step on the staircase. Needs a conclusion and at least one area.

Only the case's caseworkers and team leaders (`cases.access.case_role`) may write. Every write is
atomic with its audit event. Refusals raise `InvestigationError` with Danish messages per field.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from trappen.cases.access import case_role
from trappen.cases.models import Case, Investigation, InvestigationArea, SiblingAssessment
from trappen.core import audit, calendar
from trappen.core.models import AuditAction, Role, User
from trappen.core.vocabulary import IcsDimension, Step

TEXT_MAX = 10_000
REASON_MAX = 5_000
# The investigation page shows the preliminary-assessment form prominently from this many days
# before the due date (Trappen's choice, not the law's).
PRELIMINARY_WINDOW_DAYS = 14


class InvestigationError(ValueError):
    """The step cannot be taken. `errors` maps a form field (None: the whole form) to messages."""

    def __init__(self, errors: dict[str | None, list[str]]):
        super().__init__(" ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


def _refuse(message: str, field: str | None = None) -> InvestigationError:
    return InvestigationError({field: [message]})


def require_case_role(user: User | None, case: Case) -> Role:
    role = case_role(user, case) if user is not None else None
    if role is None:
        raise _refuse("Du kan ikke arbejde med denne sag.")
    return role


def _today(now: datetime.datetime | None = None) -> datetime.date:
    return calendar.local_date(now or timezone.now())


def _text(value, field: str, limit: int, label: str, errors: dict) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        errors.setdefault(field, []).append(f"{label} skal være tekst.")
        return ""
    if len(text) > limit:
        errors.setdefault(field, []).append(f"{label} må højst være på {limit} tegn.")
    return text


def _lock(investigation: Investigation) -> Investigation:
    return (
        Investigation.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=investigation.pk)
    )


def _check_open(investigation: Investigation) -> None:
    if investigation.completed_on is not None:
        raise _refuse("Undersøgelsen er afsluttet og kan ikke ændres.")


# --- 1. start ---------------------------------------------------------------------------------


def open_investigation(case: Case) -> Investigation | None:
    """The investigation running on the case, if any."""
    return (
        case.investigations.filter(completed_on__isnull=True).order_by("started_on", "pk").first()
    )


def start_investigation(
    case: Case,
    *,
    aware_on: datetime.date,
    acting_user: User | None,
    reason: str = "",
    role: str | None = None,
    started_on: datetime.date | None = None,
    triggered_by_sibling: SiblingAssessment | None = None,
) -> Investigation:
    """Start a børnefaglig undersøgelse on an open case, due 4 months after `aware_on` (§ 20,
    stk. 3). Refused when one is already running on the case.

    `role`: the caller has already established the acting user's right to work on the case (the
    notification's screening decision); otherwise it is checked here.
    """
    role = role or require_case_role(acting_user, case)
    started_on = started_on or _today()
    errors: dict[str | None, list[str]] = {}
    reason = _text(reason, "reason", REASON_MAX, "Begrundelsen", errors)
    if not isinstance(aware_on, datetime.date) or isinstance(aware_on, datetime.datetime):
        errors.setdefault("aware_on", []).append("Skriv datoen, hvor kommunen blev opmærksom.")
    elif aware_on > started_on:
        errors.setdefault("aware_on", []).append(
            "Datoen, hvor kommunen blev opmærksom, kan ikke ligge efter i dag."
        )
    if errors:
        raise InvestigationError(errors)
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if locked.closed_on is not None:
            raise _refuse("Sagen er lukket. Der kan ikke startes en undersøgelse på en lukket sag.")
        running = open_investigation(locked)
        if running is not None:
            raise _refuse(
                "Der er allerede en børnefaglig undersøgelse i gang på sagen "
                f"(frist {running.due_on:%d.%m.%Y}). Afslut den, før en ny startes."
            )
        investigation = Investigation.objects.create(
            case=locked,
            aware_on=aware_on,
            started_on=started_on,
            due_on=calendar.investigation_due(aware_on),
            reason=reason,
            triggered_by_sibling=triggered_by_sibling,
        )
        audit.record(
            acting_user,
            AuditAction.CREATE,
            investigation,
            role=role,
            purpose="Børnefaglig undersøgelse sat i gang (barnets lov § 20)",
        )
    investigation.case = case
    return investigation


# --- 2. findings per ICS dimension and the child conversation ----------------------------------


def record_area(
    investigation: Investigation,
    dimension: IcsDimension | str,
    resources: str,
    concerns: str,
    acting_user: User,
) -> InvestigationArea:
    """Record (or replace) what the investigation found in one ICS dimension."""
    role = require_case_role(acting_user, investigation.case)
    errors: dict[str | None, list[str]] = {}
    if dimension not in IcsDimension.values:
        errors.setdefault("dimension", []).append("Vælg et af områderne.")
    resources = _text(resources, "resources", TEXT_MAX, "Ressourcerne", errors)
    concerns = _text(concerns, "concerns", TEXT_MAX, "Bekymringerne", errors)
    if not errors and not resources and not concerns:
        errors[None] = ["Skriv ressourcer eller bekymringer for området (eller begge)."]
    if errors:
        raise InvestigationError(errors)
    with transaction.atomic():
        locked = _lock(investigation)
        _check_open(locked)
        area, created = InvestigationArea.objects.update_or_create(
            investigation=locked,
            dimension=dimension,
            defaults={"resources": resources, "concerns": concerns},
        )
        label = IcsDimension(dimension).label
        audit.record(
            acting_user,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="cases.investigationarea",
            object_id=str(area.pk),
            child_id=locked.case.child_id,
            role=role,
            purpose=f"Børnefaglig undersøgelse: område »{label}« (barnets lov § 22)",
        )
    return area


def link_child_conversation(
    investigation: Investigation, conversation, acting_user: User
) -> Investigation:
    """Link the conversation with the child (a ChildConversation of the same case), or unlink
    it with None."""
    role = require_case_role(acting_user, investigation.case)
    if conversation is not None and conversation.case_id != investigation.case_id:
        raise _refuse("Børnesamtalen hører ikke til denne sag.", "conversation")
    with transaction.atomic():
        locked = _lock(investigation)
        _check_open(locked)
        locked.child_conversation = conversation
        locked.save(update_fields=["child_conversation"])
        audit.record(
            acting_user,
            AuditAction.UPDATE,
            locked,
            role=role,
            purpose="Børnesamtale knyttet til børnefaglig undersøgelse",
        )
    investigation.child_conversation = conversation
    return investigation


# --- 3. the preliminary assessment (§ 20, stk. 3) ----------------------------------------------


def preliminary_assessment_due_soon(investigation: Investigation, today: datetime.date) -> bool:
    """Whether the page should offer the preliminary assessment prominently: the investigation
    is open and due within `PRELIMINARY_WINDOW_DAYS` days, or overdue."""
    if investigation.completed_on is not None:
        return False
    return investigation.due_on - today <= datetime.timedelta(days=PRELIMINARY_WINDOW_DAYS)


def record_preliminary_assessment(
    investigation: Investigation,
    text: str,
    expected_completion_on: datetime.date,
    acting_user: User,
    *,
    today: datetime.date | None = None,
) -> Investigation:
    """Barnets lov § 20, stk. 3: the 4 months exceptionally cannot be kept, so a preliminary
    assessment, and the date by which the investigation is expected to be finished (as soon as
    possible after the deadline). Recording it again replaces it (the audit log keeps each)."""
    role = require_case_role(acting_user, investigation.case)
    today = today or _today()
    errors: dict[str | None, list[str]] = {}
    text = _text(text, "text", TEXT_MAX, "Den foreløbige vurdering", errors)
    if not text and "text" not in errors:
        errors["text"] = ["Skriv den foreløbige vurdering."]
    if not isinstance(expected_completion_on, datetime.date):
        errors["expected_completion_on"] = ["Skriv den dato, undersøgelsen forventes afsluttet."]
    elif expected_completion_on < today:
        errors["expected_completion_on"] = ["Den forventede afslutning kan ikke ligge før i dag."]
    elif expected_completion_on <= investigation.due_on:
        errors["expected_completion_on"] = [
            "Kan undersøgelsen afsluttes inden fristen "
            f"({investigation.due_on:%d.%m.%Y}), er der ikke brug for en foreløbig vurdering."
        ]
    if errors:
        raise InvestigationError(errors)
    fields = ["preliminary_assessment", "preliminary_assessed_on", "expected_completion_on"]
    with transaction.atomic():
        locked = _lock(investigation)
        _check_open(locked)
        locked.preliminary_assessment = text
        locked.preliminary_assessed_on = today
        locked.expected_completion_on = expected_completion_on
        locked.save(update_fields=fields)
        audit.record(
            acting_user,
            AuditAction.UPDATE,
            locked,
            role=role,
            purpose="Foreløbig vurdering (barnets lov § 20, stk. 3)",
        )
    for name in fields:
        setattr(investigation, name, getattr(locked, name))
    return investigation


# --- 4. the conclusion -------------------------------------------------------------------------


def complete_investigation(
    investigation: Investigation,
    conclusion: str,
    recommendation: str,
    recommended_step: int | None,
    acting_user: User,
    completed_on: datetime.date | None = None,
) -> Investigation:
    """Finish the investigation with its conclusion, recommendation and recommended step.

    Needs a conclusion and at least one ICS area. `completed_on` defaults to today; it cannot
    lie in the future nor before the investigation started."""
    role = require_case_role(acting_user, investigation.case)
    today = _today()
    completed_on = completed_on or today
    errors: dict[str | None, list[str]] = {}
    conclusion = _text(conclusion, "conclusion", TEXT_MAX, "Konklusionen", errors)
    recommendation = _text(recommendation, "recommendation", TEXT_MAX, "Anbefalingen", errors)
    if not conclusion and "conclusion" not in errors:
        errors["conclusion"] = ["Skriv undersøgelsens konklusion."]
    if recommended_step is not None and recommended_step not in Step.values:
        errors["recommended_step"] = ["Vælg et trin på indsatstrappen."]
    if not isinstance(completed_on, datetime.date):
        errors["completed_on"] = ["Skriv datoen, undersøgelsen blev afsluttet."]
    elif completed_on > today:
        errors["completed_on"] = ["Afslutningsdatoen kan ikke ligge i fremtiden."]
    elif completed_on < investigation.started_on:
        errors["completed_on"] = [
            f"Afslutningsdatoen kan ikke ligge før undersøgelsen startede "
            f"({investigation.started_on:%d.%m.%Y})."
        ]
    if errors:
        raise InvestigationError(errors)
    fields = ["completed_on", "conclusion", "recommendation", "recommended_step"]
    with transaction.atomic():
        locked = _lock(investigation)
        _check_open(locked)
        if not locked.areas.exists():
            raise _refuse(
                "Beskriv mindst ét område (ressourcer og bekymringer), før undersøgelsen afsluttes."
            )
        locked.completed_on = completed_on
        locked.conclusion, locked.recommendation = conclusion, recommendation
        locked.recommended_step = recommended_step
        locked.save(update_fields=fields)
        audit.record(
            acting_user,
            AuditAction.UPDATE,
            locked,
            role=role,
            purpose="Børnefaglig undersøgelse afsluttet (barnets lov § 22)",
        )
    for name in fields:
        setattr(investigation, name, getattr(locked, name))
    return investigation
