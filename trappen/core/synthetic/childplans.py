"""The child's plan (barnets lov §§ 91–92), its goals and their scores at the follow-ups.

For each case (casework.open_case, after its interventions and follow-ups are drawn):

- **Plans.** A case with a § 32 measure (step 2) or a placement (step 3+) gets a `ChildPlan`
  decided on the first such intervention's `granted_on`, of kind placement if a placement was
  granted that day, else support; when a support plan is followed by a placement, the
  placement gets a plan of its own (mandatory, § 91). For some support plans the caseworker
  decides no plan is needed (`is_needed` False, with a reason, no deadline). A needed plan is
  due at `calendar.child_plan_due(decided_on)` and made on time by most, late by some, not yet
  when the day it would be made lies after yesterday; with the child (from 7) and the custody
  holders mostly.
- **Goals.** A made plan has 2–4 goals from the day it was made: the child's own (in its own
  words) when the plan was made with the child, sometimes one from the custody holders, the rest
  the caseworker's; baseline 1–5, target 7–9. Each goal serves the plan's interventions (those
  granted while the plan is the case's latest, and those running when the first was decided):
  all of step 2+, lighter ones sometimes.
- **Scores.** At each held follow-up of a goal's intervention: the caseworker always, the
  provider, the custody holders and the child (from 7) sometimes. A latent value per goal starts
  at the baseline and moves towards the target while the intervention works, stays flat or falls
  when it does not (mostly those later replaced by a step up). A goal is achieved when the
  caseworker's score first reaches its target.
- **No progress.** When the mean caseworker score at a held follow-up does not rise above the one
  before and lies below the goals' mean target, the intervention is flagged (`no_progress_since`,
  the earlier follow-up's day). At that follow-up the caseworker often adjusts the intervention
  (which then works); any decision other than "continue", and a rise, clear the flag.
- **Follow-ups.** Every held one gets a reason fitting its decision, and its `progress` is the
  rounded mean caseworker score where goals were scored; the first one of an intervention
  explains the schedule to a child from 7 mostly (§ 95, stk. 3).

The scores and the goals' links to interventions are described as tuples and built by the
writer once goals and follow-ups have ids (`score_row`, `link_row`). Draws come from
`sim.detail`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from trappen.cases.models import ChildPlan, FollowUp, Goal, Intervention
from trappen.core import calendar
from trappen.core.synthetic import rates, texts
from trappen.core.synthetic.dates import age_on, days
from trappen.core.synthetic.sim import Sim

GoalLink = Goal.interventions.through
OTHER_SOURCES = ("provider", "guardians", "child")


def build_child_plans(sim: Sim, draft, schedules: list) -> None:
    """`schedules`: (casework.Plan, its follow-ups) for each of the case's interventions."""
    items = [plan.item for plan, _ in schedules]
    follow_ups = {id(plan.item): rows for plan, rows in schedules}
    works = {
        id(plan.item): sim.detail.random() < rates.WORKS_P[plan.transition] for plan, _ in schedules
    }
    deciding = {  # the held follow-up carrying the decision that ended the intervention
        id(held[-1])
        for plan, rows in schedules
        if _is_transition(plan) and (held := [r for r in rows if r.held_on])
    }
    for child_plan, members in _plans(sim, draft, items):
        if child_plan.completed_on is None:
            continue  # not made yet: no goals
        served = _goals(sim, draft, child_plan, members)
        _score(sim, draft, served, members, follow_ups, works, deciding)
    _finish_follow_ups(sim, draft, schedules)


def _is_transition(plan) -> bool:
    return bool(plan.transition) and plan.item.end_on is not None


# --- plans ---


def _plans(sim: Sim, draft, items: list[Intervention]) -> list[tuple[ChildPlan, list]]:
    qualifying = sorted((i for i in items if i.step >= 2), key=lambda i: (i.granted_on, i.start_on))
    if not qualifying:
        return []
    first_day = qualifying[0].granted_on
    placed = any(i.step >= 3 for i in qualifying if i.granted_on == first_day)
    plans = [_plan(sim, draft, "placement" if placed else "support", first_day)]
    placement = next((i for i in qualifying if i.step >= 3), None)
    if not placed and placement is not None:
        plans.append(_plan(sim, draft, "placement", placement.granted_on))
    members: dict[int, list] = {id(p): [] for p in plans}
    for item in items:
        owner = None
        for p in plans:
            if p.decided_on <= item.granted_on:
                owner = p
        if owner is None and (item.end_on is None or item.end_on >= plans[0].decided_on):
            owner = plans[0]
        if owner is not None:
            members[id(owner)].append(item)
    return [(p, members[id(p)]) for p in plans]


def _plan(sim: Sim, draft, kind: str, decided: datetime.date) -> ChildPlan:
    r = sim.detail
    case = draft.case
    plan = ChildPlan(
        case=case,
        kind=kind,
        decided_on=decided,
        created_by=draft.caseworker_on(decided),
        is_synthetic=True,
    )
    sim.rows.plans.append(plan)
    if kind == "support" and r.random() < rates.PLAN_NOT_NEEDED_P:
        plan.is_needed = False
        plan.not_needed_reason = r.choice(texts.PLAN_NOT_NEEDED_REASONS)
        return plan
    plan.due_on = calendar.child_plan_due(decided)
    if r.random() < rates.PLAN_LATE_P:
        made = plan.due_on + days(r.randint(*rates.PLAN_LATE_DAYS))
    else:
        room = (plan.due_on - decided).days
        made = decided + days(r.randint(min(rates.PLAN_EARLIEST_DAYS, room), room))
    if case.closed_on is not None:
        made = min(made, case.closed_on)
    plan.completed_on = made if made <= sim.yesterday else None
    age = age_on(case.child.birth_date, decided)
    plan.made_with_child = (
        age >= rates.PLAN_WITH_CHILD_FROM_AGE and r.random() < rates.PLAN_WITH_CHILD_P
    )
    plan.made_with_guardians = r.random() < rates.PLAN_WITH_GUARDIANS_P
    plan.overall_purpose = r.choice(texts.PLAN_PURPOSES[kind])
    return plan


# --- goals ---


def _goals(sim: Sim, draft, plan: ChildPlan, members: list) -> list[tuple[Goal, list]]:
    """The plan's goals, each with the interventions serving it."""
    r = sim.detail
    setters = []
    if plan.made_with_child and r.random() < rates.CHILD_GOAL_P:
        setters.append("child")
    if plan.made_with_guardians and r.random() < rates.GUARDIAN_GOAL_P:
        setters.append("guardians")
    n = max(r.randint(*rates.GOALS_PER_PLAN), len(setters) + 1)
    own = r.sample(texts.GOALS_CASEWORKER[plan.kind], n - len(setters))
    age = age_on(draft.case.child.birth_date, plan.completed_on)
    goals = []
    for setter in setters + ["caseworker"] * len(own):
        words = ""
        if setter == "child":
            text, words = r.choice(texts.GOALS_CHILD["young" if age >= 13 else "child"])
        elif setter == "guardians":
            text = r.choice(texts.GOALS_GUARDIANS)
        else:
            text = own.pop()
        goal = Goal(
            plan=plan,
            text=text,
            set_by=setter,
            childs_own_words=words,
            baseline=r.randint(*rates.GOAL_BASELINE),
            target=r.randint(*rates.GOAL_TARGET),
            created_on=plan.completed_on,
        )
        served = [i for i in members if i.step >= 2 or r.random() < rates.LIGHT_INTERVENTION_GOAL_P]
        sim.rows.goal_links.extend((goal, item) for item in served)
        sim.rows.goals.append(goal)
        goals.append((goal, served))
    return goals


# --- scores at the follow-ups, and the no-progress flag ---


def _score(sim: Sim, draft, goals, members, follow_ups, works, deciding) -> None:
    r = sim.detail
    birth = draft.case.child.birth_date
    made = goals[0][0].created_on
    served_by = defaultdict(list)  # intervention -> its goals
    for goal, served in goals:
        for item in served:
            served_by[id(item)].append(goal)
    events = sorted(
        (
            (row.held_on, n, item, row)
            for n, item in enumerate(members)
            if served_by[id(item)]
            for row in follow_ups[id(item)]
            if row.held_on is not None and row.held_on >= made
        ),
        key=lambda e: (e[0], e[1]),
    )
    latent = {id(g): float(g.baseline) for g, _ in goals}
    last: dict[int, tuple[datetime.date, float]] = {}  # intervention -> last scored (day, mean)
    for day, _, item, row in events:
        scored = served_by[id(item)]
        child_scores = age_on(birth, day) >= rates.CHILD_SCORES_FROM_AGE
        provider_user = sim.org.provider_staff.get(item.provider.pk) if item.provider else None
        caseworker_scores = []
        for goal in scored:
            value = _move(r, latent[id(goal)], goal.target, works[id(item)])
            latent[id(goal)] = value
            score = _clamp(value)
            caseworker_scores.append(score)
            sim.rows.scores.append((goal, row, "caseworker", score, day, row.held_by))
            if goal.achieved_on is None and score >= goal.target:
                goal.achieved_on = day
            for source in OTHER_SOURCES:
                if source == "child" and not child_scores:
                    continue
                if r.random() < rates.SCORE_SOURCE_P[source]:
                    mean, sd = rates.SCORE_OFFSET[source]
                    by = provider_user if source == "provider" else row.held_by
                    other = _clamp(value + r.gauss(mean, sd))
                    sim.rows.scores.append((goal, row, source, other, day, by))
        mean = sum(caseworker_scores) / len(caseworker_scores)
        row.progress = round(mean)
        target = sum(g.target for g in scored) / len(scored)
        before = last.get(id(item))
        last[id(item)] = (day, mean)
        _progress_check(sim, item, row, before, mean, target, works, id(row) in deciding)


def _move(r, value: float, target: int, works: bool) -> float:
    if works:
        step = (target - value) * r.uniform(*rates.GOAL_GAP_SHARE) + r.gauss(0, rates.GOAL_NOISE_SD)
    else:
        step = r.gauss(*rates.GOAL_FLAT)
    return min(10.0, max(0.0, value + step))


def _clamp(value: float) -> int:
    return min(10, max(0, round(value)))


def _progress_check(sim: Sim, item, row: FollowUp, before, mean, target, works, deciding):
    """Flag the intervention when the mean caseworker score did not rise since the last scored
    follow-up (`before`: its day and mean) and the goals are not reached; the caseworker reacts
    at this follow-up unless it is the one that ended the intervention."""
    r = sim.detail
    stuck = before is not None and mean <= before[1] and mean < target
    if stuck and item.no_progress_since is None:
        item.no_progress_since = before[0]
    if stuck and not deciding:
        if r.random() < rates.NO_PROGRESS_ADJUST_P:
            row.decision = "adjust"
            row.reason = r.choice(texts.FOLLOW_UP_REASONS["no_progress_adjust"])
            works[id(item)] = True  # the changed intervention works
        else:
            row.decision = "continue"
            row.reason = r.choice(texts.FOLLOW_UP_REASONS["no_progress_continue"])
    if row.decision != "continue" or not stuck:
        item.no_progress_since = None


# --- follow-ups: reasons and the schedule explained to the child ---


def _finish_follow_ups(sim: Sim, draft, schedules: list) -> None:
    r = sim.detail
    birth = draft.case.child.birth_date
    for _, rows in schedules:
        first = rows[0] if rows else None
        if (
            first is not None
            and first.held_on is not None
            and age_on(birth, first.held_on) >= rates.SCHEDULE_EXPLAINED_FROM_AGE
            and r.random() < rates.SCHEDULE_EXPLAINED_P
        ):
            first.schedule_explained_to_child = True
            first.schedule_note = r.choice(texts.SCHEDULE_NOTES)
        for row in rows:
            if row.held_on is not None and not row.reason:
                row.reason = r.choice(texts.FOLLOW_UP_REASONS[row.decision])


# --- rows built by the writer once their parents have ids ---


SCORE_COLUMNS = ("goal_id", "follow_up_id", "source", "score", "recorded_on", "recorded_by_id")
LINK_COLUMNS = ("goal_id", "intervention_id")


def score_row(spec: tuple) -> tuple:
    goal, row, source, score, day, by = spec
    return (goal.pk, row.pk, source, score, day, by.pk if by is not None else None)


def link_row(spec: tuple) -> tuple:
    goal, item = spec
    return (goal.pk, item.pk)
