"""The child's plan: decide on a plan for a case, the plan page with its goals (the child's own
goals in their own column), adding a goal (htmx) and marking the plan made.

Thin: every page goes through `get_case_for_user` (404 to outsiders, the read logged), parses a
form and calls `cases.plans`, whose Danish errors go back on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from trappen.cases.access import get_case_for_user
from trappen.cases.models import ChildPlan, Goal, GoalSetter, PlanKind
from trappen.cases.plan_forms import CompletePlanForm, GoalForm, PlanForm
from trappen.cases.plans import PlanError, add_goal, complete_plan, create_plan

PLAN_NOT_FOUND = "Planen findes ikke, eller du har ikke adgang."


# --- shared by the plan, intervention and follow-up views -------------------------------------


def case_url(case) -> str:
    """The case page."""
    return reverse("cases:detail", kwargs={"case_id": case.pk})


def add_errors(form, error: PlanError) -> None:
    """Put the service's Danish messages on the form's fields (or the form itself)."""
    for field, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def is_htmx(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


# --- a new plan -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request, case_id: int):
    case, _ = get_case_for_user(request.user, case_id, purpose="Ny plan for barnet")
    initial = {"decided_on": timezone.localdate(), "kind": PlanKind.SUPPORT}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = create_plan(
                case,
                kind=data["kind"],
                decided_on=data["decided_on"],
                is_needed=data["is_needed"],
                not_needed_reason=data["not_needed_reason"],
                overall_purpose=data["overall_purpose"],
                acting_user=request.user,
            )
        except PlanError as error:
            add_errors(form, error)
        else:
            if plan.is_needed:
                messages.success(
                    request,
                    f"Planen er oprettet. Den skal være udarbejdet senest {plan.due_on:%d.%m.%Y}.",
                )
            else:
                messages.success(request, "Afgørelsen om, at der ikke skal være en plan, er gemt.")
            return redirect("cases:plan", case_id=case.pk, plan_id=plan.pk)
    return render(
        request, "cases/plan_new.html", {"case": case, "case_url": case_url(case), "form": form}
    )


# --- the plan page ----------------------------------------------------------------------------


def _plan(case, plan_id: int) -> ChildPlan:
    plan = ChildPlan.objects.filter(pk=plan_id, case=case).first()
    if plan is None:
        raise Http404(PLAN_NOT_FOUND)
    plan.case = case
    return plan


def _case_interventions(case) -> list:
    return list(case.interventions.order_by("start_on", "pk"))


def _goals(plan, interventions: list) -> list[Goal]:
    """The plan's goals, each with `serving` (the interventions it is linked to), in one query:
    one row per goal and linked intervention (LEFT JOIN), grouped here."""
    by_pk = {i.pk: i for i in interventions}
    goals: dict[int, Goal] = {}
    rows = Goal.objects.filter(plan=plan).annotate(serving_id=F("interventions__id"))
    for row in rows.order_by("pk"):
        goal = goals.setdefault(row.pk, row)
        if not hasattr(goal, "serving"):
            goal.serving = []
        if row.serving_id in by_pk:
            goal.serving.append(by_pk[row.serving_id])
    return list(goals.values())


def _goal_form(interventions: list, data=None) -> GoalForm:
    return GoalForm(data, interventions=interventions)


def _render_plan(request, case, plan, *, goal_form=None, complete_form=None, partial=False):
    interventions = _case_interventions(case)
    goals = _goals(plan, interventions)
    context = {
        "case": case,
        "case_url": case_url(case),
        "plan": plan,
        "goal_form": goal_form or _goal_form(interventions),
        "complete_form": complete_form
        or CompletePlanForm(initial={"completed_on": timezone.localdate()}),
        "writable": case.is_open,
        "childs_goals": [g for g in goals if g.set_by == GoalSetter.CHILD],
        "other_goals": [g for g in goals if g.set_by != GoalSetter.CHILD],
    }
    template = "cases/plan_goals.html" if partial else "cases/plan.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET"])
def plan_detail(request, case_id: int, plan_id: int):
    case, _ = get_case_for_user(request.user, case_id, purpose="Barnets plan")
    return _render_plan(request, case, _plan(case, plan_id))


@login_required
@require_POST
def plan_goal(request, case_id: int, plan_id: int):
    """Add a goal; htmx swaps the goals section, without htmx the page reloads."""
    case, _ = get_case_for_user(request.user, case_id, purpose="Nyt mål i barnets plan")
    plan = _plan(case, plan_id)
    form = _goal_form(_case_interventions(case), request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_goal(
                plan,
                text=data["text"],
                set_by=data["set_by"],
                childs_own_words=data["childs_own_words"],
                baseline=data["baseline"],
                target=data["target"],
                interventions=form.chosen_interventions(),
                acting_user=request.user,
            )
        except PlanError as error:
            add_errors(form, error)
        else:
            if not is_htmx(request):
                messages.success(request, "Målet er tilføjet.")
                return redirect("cases:plan", case_id=case.pk, plan_id=plan.pk)
            form = None
    return _render_plan(request, case, plan, goal_form=form, partial=is_htmx(request))


@login_required
@require_POST
def plan_complete(request, case_id: int, plan_id: int):
    case, _ = get_case_for_user(request.user, case_id, purpose="Barnets plan udarbejdet")
    plan = _plan(case, plan_id)
    form = CompletePlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            complete_plan(
                plan,
                data["made_with_child"],
                data["made_with_guardians"],
                request.user,
                completed_on=data["completed_on"],
            )
        except PlanError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Planen er markeret som udarbejdet.")
            return redirect("cases:plan", case_id=case.pk, plan_id=plan.pk)
    return _render_plan(request, case, plan, complete_form=form)
