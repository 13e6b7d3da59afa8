"""The child's plan (§§ 91–92): whether one is needed, its deadline, goals and completion."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from trappen.cases.models import GoalSetter, PlanKind
from trappen.cases.plans import PlanError, add_goal, complete_plan, create_plan
from trappen.cases.tests.factories_plan import team_a_case
from trappen.core.models import AuditAction, AuditEvent
from trappen.core.tests.factories import InterventionFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _plan(world, case=None, **kwargs):
    kwargs.setdefault("kind", PlanKind.SUPPORT)
    kwargs.setdefault("decided_on", D(2026, 8, 31))
    return create_plan(
        case or world.anna_case, acting_user=world.personas[kwargs.pop("user", "alice")], **kwargs
    )


def _goal(world, plan, **kwargs):
    defaults = {"text": "Anna kommer i skole hver dag", "set_by": GoalSetter.CASEWORKER}
    defaults.update(baseline=3, target=8)
    return add_goal(plan, acting_user=world.personas["alice"], **{**defaults, **kwargs})


def test_a_needed_plan_is_due_three_months_after_the_decision(world):
    plan = _plan(world, decided_on=D(2026, 8, 31))
    assert (plan.is_needed, plan.due_on) == (True, D(2026, 11, 30))  # clamped to 30 November
    assert plan.created_by == world.personas["alice"]
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="cases.childplan", child_id=world.anna.pk
    ).exists()


def test_a_support_plan_not_needed_has_a_reason_and_no_deadline(world):
    with pytest.raises(PlanError) as excinfo:
        _plan(world, is_needed=False, not_needed_reason="  ")
    assert excinfo.value.errors == {
        "not_needed_reason": ["Begrund, hvorfor der ikke skal udarbejdes en plan."]
    }
    plan = _plan(world, is_needed=False, not_needed_reason="Kort rådgivningsforløb.")
    assert (plan.is_needed, plan.due_on, plan.not_needed_reason) == (
        False,
        None,
        "Kort rådgivningsforløb.",
    )


def test_a_placement_always_has_a_plan(world):
    with pytest.raises(PlanError) as excinfo:
        _plan(world, kind=PlanKind.PLACEMENT, is_needed=False, not_needed_reason="x")
    assert excinfo.value.errors == {
        "is_needed": ["Ved en anbringelse skal der altid udarbejdes en plan (§ 91, stk. 2)."]
    }


def test_plan_input_errors_are_danish(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(PlanError) as excinfo:
        _plan(world, kind="other", decided_on=tomorrow, overall_purpose="x" * 5001)
    assert excinfo.value.errors == {
        "kind": ["Vælg, om planen hører til en støttende indsats eller en anbringelse."],
        "decided_on": ["Afgørelsen kan ikke være truffet i fremtiden."],
        "overall_purpose": ["Teksten må højst være på 5000 tegn."],
    }
    with pytest.raises(PlanError) as excinfo:
        _plan(world, decided_on="2026-08-31")
    assert excinfo.value.errors == {"decided_on": ["Skriv datoen for afgørelsen."]}


def test_only_the_cases_workers_make_plans(world):
    _plan(world, user="bob")
    _plan(world, user="team_leader")
    for outsider in ("charlie", "provider", "parent"):
        with pytest.raises(PlanError):
            _plan(world, user=outsider)
    assert world.anna_case.plans.count() == 2


def test_goals_keep_who_set_them_and_the_childs_own_words(world):
    plan = _plan(world)
    own = _goal(
        world,
        plan,
        text="Jeg vil have en ven i klassen",
        set_by=GoalSetter.CHILD,
        childs_own_words="Én at lege med i frikvarteret",
        baseline=2,
        target=7,
        interventions=[world.anna_intervention],
    )
    own.refresh_from_db()
    assert (own.set_by, own.childs_own_words, own.baseline, own.target) == (
        GoalSetter.CHILD,
        "Én at lege med i frikvarteret",
        2,
        7,
    )
    assert list(own.interventions.all()) == [world.anna_intervention]
    assert AuditEvent.objects.filter(
        object_type="cases.goal", object_id=str(own.pk), child_id=world.anna.pk
    ).exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("baseline", 11, "Udgangspunktet skal være et helt tal fra 0 til 10."),
        ("baseline", -1, "Udgangspunktet skal være et helt tal fra 0 til 10."),
        ("baseline", "3", "Udgangspunktet skal være et helt tal fra 0 til 10."),
        ("target", 10.5, "Målet på skalaen skal være et helt tal fra 0 til 10."),
        ("target", 2, "Målet på skalaen kan ikke være lavere end udgangspunktet."),
        ("set_by", "teacher", "Vælg, hvem der har sat målet."),
        ("text", " ", "Skriv målet, fx hvad barnet skal kunne."),
        ("text", "x" * 501, "Teksten må højst være på 500 tegn."),
    ],
)
def test_goal_errors_are_danish(world, field, value, message):
    plan = _plan(world)
    with pytest.raises(PlanError) as excinfo:
        _goal(world, plan, **{field: value})
    assert excinfo.value.errors == {field: [message]}
    assert not plan.goals.exists()


def test_a_goal_serves_only_the_childs_own_interventions(world):
    plan = _plan(world)
    other = InterventionFactory(case=team_a_case(world))
    with pytest.raises(PlanError) as excinfo:
        _goal(world, plan, interventions=[other])
    assert excinfo.value.errors == {"interventions": ["Vælg kun indsatser i barnets egen sag."]}


def test_no_goals_on_a_plan_decided_not_needed(world):
    plan = _plan(world, is_needed=False, not_needed_reason="Kort forløb")
    with pytest.raises(PlanError) as excinfo:
        _goal(world, plan)
    assert excinfo.value.errors == {
        None: ["Der er truffet afgørelse om, at der ikke skal udarbejdes en plan."]
    }


def test_completing_a_plan_needs_a_goal_and_happens_once(world):
    plan = _plan(world)
    alice = world.personas["alice"]
    with pytest.raises(PlanError) as excinfo:
        complete_plan(plan, True, True, alice)
    assert excinfo.value.errors == {
        None: ["Planen skal have mindst ét konkret mål (§ 92), før den er udarbejdet."]
    }
    _goal(world, plan)
    complete_plan(plan, True, False, alice, completed_on=D(2026, 10, 1))
    plan.refresh_from_db()
    assert (plan.completed_on, plan.made_with_child, plan.made_with_guardians) == (
        D(2026, 10, 1),
        True,
        False,
    )
    with pytest.raises(PlanError) as excinfo:
        complete_plan(plan, True, True, alice)
    assert excinfo.value.errors == {None: ["Planen er allerede udarbejdet."]}


def test_a_plan_is_not_completed_before_its_decision(world):
    plan = _plan(world)
    _goal(world, plan)
    with pytest.raises(PlanError) as excinfo:
        complete_plan(plan, True, True, world.personas["alice"], completed_on=D(2026, 8, 30))
    assert excinfo.value.errors == {
        "completed_on": ["Planen kan ikke være udarbejdet før afgørelsen."]
    }
