"""The child's plan (barnets plan, barnets lov §§ 91–92): whether one is needed, its goals, and
when it was made with the child and the custody holders.

- `create_plan`: for a supporting measure (§ 32) the caseworker decides whether a plan is
  needed (§ 91, stk. 1); "not needed" requires a reason and gives no deadline. A placement
  (§§ 46–47) always has a plan (§ 91, stk. 2). The plan is due 3 months after the decision
  (`calendar.child_plan_due`).
- `add_goal`: a concrete goal (§ 92) with who set it (the caseworker, the parents or the child:
  the child's own goals are kept beside the others, and the pages show them in their own column),
  a baseline and a target on the 0–10 scale, and the interventions that serve it.
- `complete_plan`: the plan is made, with or without the child and the custody holders.

Every write is atomic with its audit row. Refusals raise `PlanError` with Danish messages per
form field; the interventions and follow-ups (`interventions`, `follow_ups`) use it too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from trappen.cases.access import case_role
from trappen.cases.models import Case, ChildPlan, Goal, GoalSetter, Intervention, PlanKind
from trappen.core import audit, calendar
from trappen.core.models import AuditAction, Role, User

TEXT_MAX = 5000
GOAL_MAX = 500
SCALE = range(0, 11)
FIRST_DAY, LAST_DAY = datetime.date(1990, 1, 1), datetime.date(2199, 12, 31)


class PlanError(ValueError):
    """A step on the plan, an intervention or a follow-up cannot be taken.

    `errors` maps a form field (None: the whole form) to Danish messages.
    """

    def __init__(self, errors: dict[str | None, list[str]]):
        super().__init__(" ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


class Errors(dict):
    """Collects messages per field; `raise_if_any` raises them together."""

    def add(self, field: str | None, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise PlanError(dict(self))


def require_case_role(user: User, case: Case) -> Role:
    """The role in which `user` may write on `case` (the same rule as the pages: `case_role`)."""
    role = case_role(user, case)
    if role is None:
        raise PlanError({None: ["Du har ikke adgang til at arbejde på denne sag."]})
    return role


def log(user: User, action: str, objects: Iterable, case: Case, role: Role, purpose: str) -> None:
    """One audit row per object, each naming the case's child (a goal or a score has no child
    of its own for `audit.entry_for` to find)."""
    entries = [
        audit.AuditEntry(
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            child_id=case.child_id,
            purpose=purpose,
        )
        for obj in objects
    ]
    audit.record_many(user, entries, role=role)


def check_open(case: Case, errors: Errors) -> None:
    if not case.is_open:
        errors.add(None, "Sagen er lukket.")


def is_scale_value(value) -> bool:
    """A whole number from 0 to 10 (True/False are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and value in SCALE


def clean_text(value, field: str, errors: Errors, *, limit: int = TEXT_MAX, required: str = ""):
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        errors.add(field, "Teksten kunne ikke læses.")
        return ""
    if required and not text:
        errors.add(field, required)
    if len(text) > limit:
        errors.add(field, f"Teksten må højst være på {limit} tegn.")
    return text


def check_date(value, field: str, errors: Errors, message: str) -> bool:
    """A plain date within the years case work can mean (month arithmetic stays in range)."""
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors.add(field, message)
        return False
    if not FIRST_DAY <= value <= LAST_DAY:
        errors.add(field, f"Datoen skal ligge mellem {FIRST_DAY.year} og {LAST_DAY.year}.")
        return False
    return True


# --- the plan ---------------------------------------------------------------------------------


def create_plan(
    case: Case,
    *,
    kind: PlanKind | str,
    decided_on: datetime.date,
    acting_user: User,
    is_needed: bool = True,
    not_needed_reason: str = "",
    overall_purpose: str = "",
) -> ChildPlan:
    """Record the decision on the child's plan (§ 91) and, when one is needed, its deadline."""
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    if kind not in PlanKind.values:
        errors.add("kind", "Vælg, om planen hører til en støttende indsats eller en anbringelse.")
    if check_date(decided_on, "decided_on", errors, "Skriv datoen for afgørelsen."):
        if decided_on > timezone.localdate():
            errors.add("decided_on", "Afgørelsen kan ikke være truffet i fremtiden.")
    if not isinstance(is_needed, bool):
        errors.add("is_needed", "Svar på, om der skal udarbejdes en plan.")
    reason = clean_text(not_needed_reason, "not_needed_reason", errors)
    purpose = clean_text(overall_purpose, "overall_purpose", errors)
    if kind == PlanKind.PLACEMENT and is_needed is False:
        errors.add(
            "is_needed", "Ved en anbringelse skal der altid udarbejdes en plan (§ 91, stk. 2)."
        )
    if kind == PlanKind.SUPPORT and is_needed is False and not reason:
        errors.add("not_needed_reason", "Begrund, hvorfor der ikke skal udarbejdes en plan.")
    errors.raise_if_any()
    with transaction.atomic():
        plan = ChildPlan.objects.create(
            case=case,
            kind=kind,
            decided_on=decided_on,
            is_needed=is_needed,
            not_needed_reason="" if is_needed else reason,
            due_on=calendar.child_plan_due(decided_on) if is_needed else None,
            overall_purpose=purpose,
            created_by=acting_user,
        )
        audit.record(
            acting_user,
            AuditAction.CREATE,
            plan,
            role=role,
            purpose="Barnets plan (barnets lov § 91)",
        )
    return plan


def add_goal(
    plan: ChildPlan,
    *,
    text: str,
    set_by: GoalSetter | str,
    baseline: int,
    target: int,
    acting_user: User,
    childs_own_words: str = "",
    interventions: Iterable[Intervention] = (),
) -> Goal:
    """Add a concrete goal (§ 92) on the 0–10 scale, with who set it and what serves it."""
    role = require_case_role(acting_user, plan.case)
    errors = Errors()
    check_open(plan.case, errors)
    if not plan.is_needed:
        errors.add(None, "Der er truffet afgørelse om, at der ikke skal udarbejdes en plan.")
    goal_text = clean_text(
        text, "text", errors, limit=GOAL_MAX, required="Skriv målet, fx hvad barnet skal kunne."
    )
    own_words = clean_text(childs_own_words, "childs_own_words", errors)
    if set_by not in GoalSetter.values:
        errors.add("set_by", "Vælg, hvem der har sat målet.")
    if not is_scale_value(baseline):
        errors.add("baseline", "Udgangspunktet skal være et helt tal fra 0 til 10.")
    if not is_scale_value(target):
        errors.add("target", "Målet på skalaen skal være et helt tal fra 0 til 10.")
    elif is_scale_value(baseline) and target < baseline:
        errors.add("target", "Målet på skalaen kan ikke være lavere end udgangspunktet.")
    serving = list(interventions)
    if any(i.case_id != plan.case_id for i in serving):
        errors.add("interventions", "Vælg kun indsatser i barnets egen sag.")
    errors.raise_if_any()
    with transaction.atomic():
        goal = Goal.objects.create(
            plan=plan,
            text=goal_text,
            set_by=set_by,
            childs_own_words=own_words,
            baseline=baseline,
            target=target,
            created_on=timezone.localdate(),
        )
        if serving:
            goal.interventions.set(serving)
        log(acting_user, AuditAction.CREATE, [goal], plan.case, role, "Mål i barnets plan (§ 92)")
    return goal


def complete_plan(
    plan: ChildPlan,
    made_with_child: bool,
    made_with_guardians: bool,
    acting_user: User,
    *,
    completed_on: datetime.date | None = None,
) -> ChildPlan:
    """The plan is made (§ 92: with the child and the custody holders as far as possible)."""
    role = require_case_role(acting_user, plan.case)
    completed_on = completed_on or timezone.localdate()
    errors = Errors()
    check_open(plan.case, errors)
    if not plan.is_needed:
        errors.add(None, "Der er truffet afgørelse om, at der ikke skal udarbejdes en plan.")
    elif plan.completed_on is not None:
        errors.add(None, "Planen er allerede udarbejdet.")
    elif not plan.goals.exists():
        errors.add(None, "Planen skal have mindst ét konkret mål (§ 92), før den er udarbejdet.")
    if check_date(completed_on, "completed_on", errors, "Skriv datoen, planen blev udarbejdet."):
        if completed_on < plan.decided_on:
            errors.add("completed_on", "Planen kan ikke være udarbejdet før afgørelsen.")
        if completed_on > timezone.localdate():
            errors.add("completed_on", "Datoen kan ikke ligge i fremtiden.")
    for field, value in (
        ("made_with_child", made_with_child),
        ("made_with_guardians", made_with_guardians),
    ):
        if not isinstance(value, bool):
            errors.add(field, "Svar ja eller nej.")
    errors.raise_if_any()
    with transaction.atomic():
        plan.completed_on = completed_on
        plan.made_with_child = made_with_child
        plan.made_with_guardians = made_with_guardians
        plan.save(update_fields=["completed_on", "made_with_child", "made_with_guardians"])
        audit.record(
            acting_user,
            AuditAction.UPDATE,
            plan,
            role=role,
            purpose="Barnets plan udarbejdet (barnets lov § 92)",
        )
    return plan
