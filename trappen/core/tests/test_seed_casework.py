"""The case work the generator fills in (issue 4): the investigation's content, the child's plan,
goals and their scores at follow-ups, the no-progress flag, the follow-ups' details, step
movements naming their intervention, and the caseworker history's reasons.

One 1,500-child, 4-year municipality with demo users is generated for the module; determinism
and the purge get their own small runs.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest

from trappen.cases.models import (
    Case,
    CaseworkerAssignment,
    ChildPlan,
    FollowUp,
    Goal,
    GoalScore,
    Intervention,
    Investigation,
    InvestigationArea,
    StepMovement,
)
from trappen.core import calendar
from trappen.core.models import Municipality, Role, RoleAssignment, User
from trappen.core.synthetic import texts
from trappen.core.synthetic.childplans import _progress_check
from trappen.core.synthetic.generator import SeedOptions, generate
from trappen.core.synthetic.purge import purge
from trappen.core.vocabulary import IcsDimension

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 2)
YESTERDAY = TODAY - datetime.timedelta(days=1)
ONE_DAY = datetime.timedelta(days=1)
WORLD = SeedOptions("hjorring", children=1500, years=4, seed=4, today=TODAY)
GoalLink = Goal.interventions.through


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        municipality = generate(WORLD).municipality
        try:
            yield municipality
        finally:
            purge(municipality)
            User.objects.filter(municipality=municipality).delete()
            municipality.delete()


def caseworker_on(assignments: list, day: datetime.date):
    """The caseworker of the assignment in force on `day` (the latest started by then)."""
    current = [a for a in assignments if a.started_on <= day]
    return max(current, key=lambda a: a.started_on).caseworker_id


# --- the child's plan ------------------------------------------------------------------------


def test_every_case_with_a_measure_or_placement_has_a_plan_from_its_first_grant(world):
    cases = Case.objects.filter(municipality=world).prefetch_related("interventions", "plans")
    checked = with_two = 0
    for case in cases:
        heavy = sorted(
            (i for i in case.interventions.all() if i.step >= 2),
            key=lambda i: (i.granted_on, i.start_on),
        )
        plans = sorted(case.plans.all(), key=lambda p: p.decided_on)
        if not heavy:
            assert plans == []
            continue
        first_day = heavy[0].granted_on
        placed = any(i.step >= 3 for i in heavy if i.granted_on == first_day)
        expected = [("placement" if placed else "support", first_day)]
        placement = next((i for i in heavy if i.step >= 3), None)
        if not placed and placement is not None:
            expected.append(("placement", placement.granted_on))
        assert [(p.kind, p.decided_on) for p in plans] == expected
        checked += 1
        with_two += len(plans) == 2
    assert checked > 50 and with_two > 0


def test_plan_deadlines_come_from_the_calendar_service(world):
    plans = ChildPlan.objects.filter(case__municipality=world)
    for plan in plans:
        assert plan.is_synthetic
        if not plan.is_needed:
            # Only a § 32 measure may do without a plan, with the reason recorded (§ 91).
            assert plan.kind == "support" and plan.not_needed_reason
            assert plan.due_on is None and plan.completed_on is None
            continue
        assert plan.due_on == calendar.child_plan_due(plan.decided_on)
        assert plan.completed_on is None or plan.decided_on < plan.completed_on <= YESTERDAY
        assert plan.overall_purpose
    needed = [p for p in plans if p.is_needed]
    made = [p for p in needed if p.completed_on]
    on_time = sum(p.completed_on <= p.due_on for p in made)
    assert 0.70 <= on_time / len(made) <= 0.95  # most within 3 months, some late
    assert len(made) < len(needed)  # some not yet made
    support = [p for p in plans if p.kind == "support"]
    assert 0.04 <= sum(not p.is_needed for p in support) / len(support) <= 0.30


def test_plans_are_made_with_children_from_7_only(world):
    plans = ChildPlan.objects.filter(case__municipality=world, is_needed=True).select_related(
        "case__child"
    )
    with_child = [p for p in plans if p.made_with_child]
    assert with_child
    for plan in with_child:
        assert plan.case.child.age_on(plan.decided_on) >= 7
    older = [p for p in plans if p.case.child.age_on(p.decided_on) >= 7]
    assert len(with_child) / len(older) >= 0.7  # mostly


def test_made_plans_have_two_to_four_goals_serving_the_cases_interventions(world):
    plans = ChildPlan.objects.filter(case__municipality=world).prefetch_related(
        "goals__interventions"
    )
    for plan in plans:
        goals = list(plan.goals.all())
        if plan.completed_on is None:
            assert goals == []
            continue
        assert 2 <= len(goals) <= 4
        for goal in goals:
            assert 1 <= goal.baseline <= 5 and 7 <= goal.target <= 9
            assert goal.created_on == plan.completed_on
            served = list(goal.interventions.all())
            assert served and all(i.case_id == plan.case_id for i in served)
            assert any(i.step >= 2 for i in served)


def test_the_childs_own_goals_are_in_the_childs_words(world):
    goals = Goal.objects.filter(plan__case__municipality=world).select_related("plan")
    setters = Counter(g.set_by for g in goals)
    assert setters["child"] > 10 and setters["guardians"] > 10 and setters["caseworker"] > 50
    for goal in goals:
        if goal.set_by == "child":
            assert goal.plan.made_with_child
            assert goal.childs_own_words.startswith("Jeg ")
        else:
            assert goal.childs_own_words == ""
    child_goals = Goal.objects.filter(plan__case__municipality=world, set_by="child")
    plans_with_child = ChildPlan.objects.filter(
        case__municipality=world, made_with_child=True, completed_on__isnull=False
    )
    # "At least one often set by the child": most plans made with the child have one.
    assert child_goals.values("plan").distinct().count() / plans_with_child.count() >= 0.6


# --- goal scores and the no-progress flag ------------------------------------------------------


def test_goal_scores_are_0_to_10_at_held_follow_ups_of_the_goals_interventions(world):
    scores = GoalScore.objects.filter(goal__plan__case__municipality=world).select_related(
        "follow_up__intervention", "goal__plan__case__child"
    )
    links = set(
        GoalLink.objects.filter(goal__plan__case__municipality=world).values_list(
            "goal_id", "intervention_id"
        )
    )
    providers = set(
        RoleAssignment.objects.filter(role__in=[Role.PROVIDER, Role.OUTREACH]).values_list(
            "user_id", flat=True
        )
    )
    by_visit = defaultdict(set)
    for s in scores:
        row = s.follow_up
        assert 0 <= s.score <= 10
        assert row.held_on is not None and s.recorded_on == row.held_on
        assert s.recorded_on >= s.goal.created_on
        assert (s.goal_id, row.intervention_id) in links
        if s.source == "child":
            assert s.goal.plan.case.child.age_on(s.recorded_on) >= 7
        if s.source == "provider":
            assert s.recorded_by_id in providers
        else:
            assert s.recorded_by_id == row.held_by_id
        by_visit[(row.pk, s.goal_id)].add(s.source)
    assert all("caseworker" in sources for sources in by_visit.values())  # always
    sources = Counter(s.source for s in scores)
    total = sources["caseworker"]
    assert 0.5 <= sources["provider"] / total <= 0.95  # often
    assert 0.4 <= sources["guardians"] / total <= 0.8  # often
    assert 0.1 <= sources["child"] / total <= 0.5  # sometimes


def test_scores_drift_upward_from_the_baseline_with_some_flat_runs(world):
    scores = GoalScore.objects.filter(
        goal__plan__case__municipality=world, source="caseworker"
    ).select_related("goal")
    last: dict[int, tuple] = {}
    for s in scores.order_by("recorded_on", "pk"):
        last[s.goal_id] = (s.goal, s.score)
    rises = [score - goal.baseline for goal, score in last.values()]
    assert sum(r > 0 for r in rises) / len(rises) >= 0.6  # most rise
    assert any(r <= 0 for r in rises)  # a few flat or declining runs
    achieved = Goal.objects.filter(plan__case__municipality=world, achieved_on__isnull=False)
    assert achieved.exists()
    for goal in achieved:
        first = (
            scores.filter(goal=goal, score__gte=goal.target).order_by("recorded_on", "pk").first()
        )
        assert first is not None and first.recorded_on == goal.achieved_on


def test_no_progress_is_flagged_when_two_held_follow_ups_show_no_rise(world):
    """Recomputed from the stored scores: no rise in the mean caseworker score since the last
    scored follow-up (goals not reached) flags the intervention from that follow-up's day; a
    decision other than "continue", or a rise, clears it."""
    scores = GoalScore.objects.filter(
        goal__plan__case__municipality=world, source="caseworker"
    ).select_related("goal", "follow_up")
    visits = defaultdict(lambda: defaultdict(list))
    for s in scores:
        visits[s.follow_up.intervention_id][s.follow_up].append((s.score, s.goal.target))
    items = Intervention.objects.filter(case__municipality=world)
    flagged = 0
    for item in items:
        expected, before = None, None
        for row in sorted(visits.get(item.pk, {}), key=lambda r: (r.held_on, r.due_on)):
            pairs = visits[item.pk][row]
            mean = sum(s for s, _ in pairs) / len(pairs)
            target = sum(t for _, t in pairs) / len(pairs)
            stuck = before is not None and mean <= before[1] and mean < target
            if stuck and expected is None:
                expected = before[0]
            if row.decision != "continue" or not stuck:
                expected = None
            before = (row.held_on, mean)
            assert row.progress == round(mean)
        assert item.no_progress_since == expected, item.pk
        flagged += expected is not None
    assert flagged >= 1
    adjusted = FollowUp.objects.filter(
        intervention__case__municipality=world, reason__startswith="Ingen fremskridt"
    )
    assert adjusted.exists() and set(adjusted.values_list("decision", flat=True)) == {"adjust"}


class Draws:
    """A stand-in for the detail stream: random() gives `roll`, choice() the first item."""

    def __init__(self, roll: float):
        self.roll = roll

    def random(self) -> float:
        return self.roll

    def choice(self, items):
        return items[0]


def visit(day: int, decision: str = "continue") -> FollowUp:
    return FollowUp(
        due_on=datetime.date(2024, 1, day), held_on=datetime.date(2024, 1, day), decision=decision
    )


def test_the_flag_stays_while_flat_and_clears_on_a_rise():
    sim, item = SimpleNamespace(detail=Draws(0.99)), SimpleNamespace(no_progress_since=None)
    works = {id(item): False}
    steps = [(visit(1), None, 4.0), (visit(2), (visit(1).held_on, 4.0), 4.0)]
    steps += [(visit(3), (visit(2).held_on, 4.0), 3.5), (visit(4), (visit(3).held_on, 3.5), 5.0)]
    seen = []
    for row, before, mean in steps:
        _progress_check(sim, item, row, before, mean, 8.0, works, False)
        seen.append(item.no_progress_since)
    day1 = datetime.date(2024, 1, 1)
    assert seen == [None, day1, day1, None]  # flagged since the first of the two flat ones
    assert steps[1][0].decision == "continue" and steps[1][0].reason.startswith("Scorerne")


def test_the_caseworker_adjusting_clears_the_flag_and_the_intervention_then_works():
    sim, item = SimpleNamespace(detail=Draws(0.1)), SimpleNamespace(no_progress_since=None)
    works = {id(item): False}
    row = visit(2)
    _progress_check(sim, item, row, (datetime.date(2024, 1, 1), 4.0), 3.0, 8.0, works, False)
    assert row.decision == "adjust" and row.reason.startswith("Ingen fremskridt")
    assert item.no_progress_since is None and works[id(item)] is True


def test_no_flag_once_the_goals_are_reached_or_at_the_ending_follow_up():
    sim, item = SimpleNamespace(detail=Draws(0.99)), SimpleNamespace(no_progress_since=None)
    works = {id(item): True}
    _progress_check(sim, item, visit(2), (datetime.date(2024, 1, 1), 8.0), 8.0, 8.0, works, False)
    assert item.no_progress_since is None  # flat at the target is not "no progress"
    ending = visit(3, "end")
    _progress_check(sim, item, ending, (datetime.date(2024, 1, 2), 5.0), 4.0, 8.0, works, True)
    assert ending.decision == "end" and item.no_progress_since is None


# --- follow-ups, interventions, step movements, assignments -------------------------------------


def test_follow_ups_name_the_first_and_the_caseworker_who_held_them(world):
    items = Intervention.objects.filter(case__municipality=world).prefetch_related(
        "follow_ups", "case__assignments"
    )
    explained = 0
    for item in items:
        rows = sorted(item.follow_ups.all(), key=lambda r: r.due_on)
        if not rows:
            continue
        assert [r.is_first for r in rows] == [True] + [False] * (len(rows) - 1)
        assignments = list(item.case.assignments.all())
        for row in rows:
            if row.held_on is None:
                assert row.held_by_id is None and row.reason == ""
                continue
            assert row.held_by_id == caseworker_on(assignments, row.held_on)
            assert row.reason and row.decision
        if rows[0].schedule_explained_to_child:
            assert rows[0].held_on and rows[0].schedule_note
            assert item.case.child.age_on(rows[0].held_on) >= 7
            explained += 1
    assert explained > 10


def test_supporting_measures_have_a_purpose_and_an_expected_end(world):
    items = Intervention.objects.filter(case__municipality=world).prefetch_related(
        "case__assignments"
    )
    for item in items:
        if item.legal_basis.startswith("§ 32"):
            assert item.purpose and item.expected_end_on > item.start_on
        else:
            assert item.purpose == "" and item.expected_end_on is None
        granted = item.granted_on or item.start_on
        assert item.decided_by_id == caseworker_on(list(item.case.assignments.all()), granted)


def test_step_movements_name_the_intervention_that_caused_them(world):
    moves = StepMovement.objects.filter(case__municipality=world).select_related("intervention")
    assert moves.exists()
    for move in moves:
        item = move.intervention
        assert item is not None and item.case_id == move.case_id
        if item.start_on == move.moved_on:
            assert item.step == move.to_step  # it started: entering, a step up or down a chain
        else:
            assert item.end_on + ONE_DAY == move.moved_on and item.step == move.from_step


def test_caseworker_changes_have_a_reason_and_the_team_leader(world):
    rows = CaseworkerAssignment.objects.filter(case__municipality=world).select_related("case")
    leaders = dict(
        RoleAssignment.objects.filter(role=Role.TEAM_LEADER).values_list("user_id", "unit_id")
    )
    reasons = Counter()
    for row in rows:
        assert leaders[row.assigned_by_id] == row.case.team_id
        if row.started_on == row.case.opened_on:
            assert row.reason == texts.FIRST_ASSIGNMENT_REASON
        else:
            assert row.reason in texts.ASSIGNMENT_REASONS
            reasons[row.reason] += 1
    assert "Omfordeling i teamet" in reasons and "Ny rådgiver efter barsel" in reasons


# --- the investigation -----------------------------------------------------------------------


def test_investigations_have_their_content_and_a_preliminary_assessment_when_late(world):
    items = Investigation.objects.filter(case__municipality=world).select_related(
        "child_conversation"
    )
    areas = defaultdict(list)
    for area in InvestigationArea.objects.filter(investigation__case__municipality=world):
        areas[area.investigation_id].append(area)
    late = 0
    for inv in items:
        assert inv.aware_on is not None and inv.due_on == calendar.investigation_due(inv.aware_on)
        assert inv.reason
        found = areas[inv.pk]
        assert 2 <= len(found) <= 5 and len({a.dimension for a in found}) == len(found)
        assert all(a.dimension in IcsDimension.values and a.resources and a.concerns for a in found)
        if inv.completed_on is not None:
            assert inv.recommendation and inv.recommended_step is not None
        else:
            assert inv.recommendation == "" and inv.recommended_step is None
        talk = inv.child_conversation
        if talk is not None:
            assert talk.case_id == inv.case_id
            assert inv.started_on <= talk.held_on <= (inv.completed_on or YESTERDAY)
        is_late = inv.completed_on > inv.due_on if inv.completed_on else inv.due_on < TODAY
        if is_late:
            late += 1
            assert inv.preliminary_assessment
            assert inv.started_on <= inv.preliminary_assessed_on <= min(inv.due_on, YESTERDAY)
            assert inv.expected_completion_on > inv.due_on
        else:
            assert inv.preliminary_assessment == "" and inv.preliminary_assessed_on is None
    assert late > 5
    assert items.filter(child_conversation__isnull=False).count() > items.count() / 2


# --- determinism and the purge -----------------------------------------------------------------


def casework_digest(municipality) -> tuple[dict[str, int], str]:
    """Counts and a hash of the case work's natural content (no ids)."""
    m = municipality
    rows = {
        "plans": ChildPlan.objects.filter(case__municipality=m).values_list(
            "case__child__cpr_hash",
            "kind",
            "decided_on",
            "is_needed",
            "due_on",
            "completed_on",
            "made_with_child",
            "made_with_guardians",
            "overall_purpose",
        ),
        "goals": Goal.objects.filter(plan__case__municipality=m).values_list(
            "plan__case__child__cpr_hash",
            "text",
            "set_by",
            "childs_own_words",
            "baseline",
            "target",
            "achieved_on",
        ),
        "links": GoalLink.objects.filter(goal__plan__case__municipality=m).values_list(
            "goal__text", "intervention__title", "intervention__start_on"
        ),
        "scores": GoalScore.objects.filter(goal__plan__case__municipality=m).values_list(
            "goal__text", "follow_up__due_on", "source", "score", "recorded_by__username"
        ),
        "areas": InvestigationArea.objects.filter(investigation__case__municipality=m).values_list(
            "investigation__due_on", "dimension", "resources", "concerns"
        ),
        "investigations": Investigation.objects.filter(case__municipality=m).values_list(
            "aware_on",
            "reason",
            "recommended_step",
            "preliminary_assessed_on",
            "expected_completion_on",
            "child_conversation__held_on",
        ),
        "follow_ups": FollowUp.objects.filter(intervention__case__municipality=m).values_list(
            "due_on", "is_first", "held_by__username", "decision", "progress", "reason"
        ),
        "interventions": Intervention.objects.filter(case__municipality=m).values_list(
            "start_on", "purpose", "expected_end_on", "no_progress_since"
        ),
        "movements": StepMovement.objects.filter(case__municipality=m).values_list(
            "moved_on", "to_step", "intervention__title"
        ),
        "assignments": CaseworkerAssignment.objects.filter(case__municipality=m).values_list(
            "started_on", "reason", "assigned_by__username"
        ),
    }
    counts, h = {}, hashlib.sha256()
    for name, queryset in rows.items():
        values = sorted(map(repr, queryset))
        counts[name] = len(values)
        h.update("\n".join(values).encode())
    return counts, h.hexdigest()


SMALL = SeedOptions("kalundborg", children=400, years=3, seed=2, today=TODAY, demo_users=False)


def test_the_same_seed_gives_the_same_case_work():
    first = casework_digest(generate(SMALL).municipality)
    again = casework_digest(
        generate(SeedOptions(**{**SMALL.__dict__, "replace": True})).municipality
    )
    assert again == first
    assert first[0]["plans"] > 0 and first[0]["scores"] > 0 and first[0]["links"] > 0
    other = casework_digest(
        generate(SeedOptions(**{**SMALL.__dict__, "replace": True, "seed": 3})).municipality
    )
    assert other[1] != first[1]


def test_purge_removes_the_case_work():
    municipality = generate(SMALL).municipality
    m = municipality
    made = {
        ChildPlan: ChildPlan.objects.filter(case__municipality=m),
        Goal: Goal.objects.filter(plan__case__municipality=m),
        GoalLink: GoalLink.objects.filter(goal__plan__case__municipality=m),
        GoalScore: GoalScore.objects.filter(goal__plan__case__municipality=m),
        InvestigationArea: InvestigationArea.objects.filter(investigation__case__municipality=m),
        Investigation: Investigation.objects.filter(case__municipality=m),
        FollowUp: FollowUp.objects.filter(intervention__case__municipality=m),
        StepMovement: StepMovement.objects.filter(case__municipality=m),
        CaseworkerAssignment: CaseworkerAssignment.objects.filter(case__municipality=m),
    }
    ids = {model: list(qs.values_list("pk", flat=True)) for model, qs in made.items()}
    assert all(ids.values()), {model.__name__: len(v) for model, v in ids.items()}
    purge(municipality)
    for model, pks in ids.items():
        assert not model.objects.filter(pk__in=pks).exists(), model.__name__
    assert Municipality.objects.filter(pk=m.pk).exists()
