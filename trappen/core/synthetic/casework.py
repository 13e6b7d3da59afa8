"""One case's history: caseworkers, investigation, interventions on the staircase, follow-ups,
conversations with the child and the step movements derived from the interventions; then the
details of the case work (investigations.py: the investigation's findings; childplans.py: the
child's plan, goals and scores), drawn from their own stream (`sim.detail`).

Invariants kept here (and tested in test_seed.py): interventions lie inside the case's lifetime;
a closed case has no running intervention; nothing has happened after yesterday except planned
follow-ups; the first follow-up and the investigation's due day come from the calendar service.
"""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from trappen.cases.models import (
    Case,
    CaseworkerAssignment,
    FollowUp,
    Intervention,
    Investigation,
    StepMovement,
)
from trappen.core import calendar
from trappen.core.synthetic import rates, texts
from trappen.core.synthetic.childplans import build_child_plans
from trappen.core.synthetic.dates import ONE_DAY, age_on, days
from trappen.core.synthetic.investigations import finish_investigation
from trappen.core.synthetic.sim import Rows, Sim
from trappen.core.synthetic.staircase import Span, movements
from trappen.voice.models import ChildConversation

CASE_ROWS = (
    "cases",
    "assignments",
    "investigations",
    "interventions",
    "follow_ups",
    "movements",
    "conversations",
    "areas",
    "plans",
    "goals",
    "goal_links",
    "scores",
)
UP_FROM_HOME = {3: 0.30, 4: 0.45, 5: 0.25}
TRANSITION_DECISION = {"end": "end", "down": "step_down", "up": "step_up", "same": "adjust"}


@dataclass
class CaseDraft:
    case: Case
    marks: dict[str, int]
    investigation: Investigation | None = None
    starts: list[datetime.date] = field(default_factory=list)
    workers: list = field(default_factory=list)

    def discard(self, rows: Rows) -> None:
        """Remove this case's rows (they are the newest in every list)."""
        for name, length in self.marks.items():
            del getattr(rows, name)[length:]

    @property
    def closed_on(self) -> datetime.date | None:
        return self.case.closed_on

    def covers(self, day: datetime.date) -> bool:
        return self.case.closed_on is None or day <= self.case.closed_on

    def caseworker_on(self, day: datetime.date):
        i = bisect.bisect_right(self.starts, day) - 1
        return self.workers[max(i, 0)]


@dataclass
class Plan:
    """An intervention being drafted, with the transition that ended it."""

    item: Intervention
    transition: str = ""


def open_case(
    sim: Sim,
    i: int,
    opened: datetime.date,
    source: str,
    aware_on: datetime.date,
    *,
    acute: bool = False,
) -> CaseDraft:
    child = sim.people.children[i]
    case = Case(
        municipality=sim.org.municipality,
        child=child,
        team=_team(sim, i, opened),
        source=source,
        opened_on=opened,
        is_synthetic=True,
    )
    marks = {name: len(getattr(sim.rows, name)) for name in CASE_ROWS}
    draft = CaseDraft(case, marks)
    risk = int(sim.people.risk[i])
    investigation = None
    if source == "notification" and sim.chance(rates.INVESTIGATION_P):
        investigation = draft.investigation = _investigation(sim, case, aware_on)
    plans = _plans(sim, draft, risk, investigation, acute)
    _close(sim, case, plans, investigation)
    _assign(sim, draft)
    schedules = [(plan, _follow_ups(sim, plan, investigation, draft)) for plan in plans]
    held = [row for _, rows in schedules for row in rows if row.held_on]
    talks = _conversations(sim, draft, investigation, plans, held)
    _movements(sim, case, plans)
    for plan in plans:
        plan.item.decided_by = draft.caseworker_on(plan.item.granted_on or plan.item.start_on)
    if investigation is not None:
        finish_investigation(sim, investigation, [p.item for p in plans], talks)
    build_child_plans(sim, draft, schedules)
    sim.rows.cases.append(case)
    return draft


def _team(sim: Sim, i: int, day: datetime.date):
    org = sim.org
    youth = org.youth_team
    if youth is not None and age_on(sim.people.children[i].birth_date, day) >= 14:
        return org.teams[youth]
    return org.teams[org.team_of_district[int(sim.people.district[i])]]


def _investigation(sim: Sim, case: Case, aware_on: datetime.date) -> Investigation:
    started = min(case.opened_on + days(sim.between(0, 7)), sim.yesterday)
    due = calendar.investigation_due(aware_on)
    room = max((due - started).days, 20)
    if sim.chance(rates.INVESTIGATION_LATE_P):
        length = room + sim.between(3, 110)
    else:
        length = sim.between(min(30, room), room)
    completed = started + days(length)
    item = Investigation(
        case=case,
        aware_on=aware_on,
        started_on=started,
        due_on=due,
        completed_on=completed if completed <= sim.yesterday else None,
    )
    if item.completed_on:
        item.conclusion = texts.INVESTIGATION_CONCLUSION
    sim.rows.investigations.append(item)
    return item


def _plans(sim: Sim, draft: CaseDraft, risk: int, inv, acute: bool) -> list[Plan]:
    case = draft.case
    if case.source == "early":
        start = case.opened_on + days(sim.between(3, 21))
        first = 0 if sim.chance(0.4) else 1
        return _chain(sim, case, start, first, sim.chance(rates.EARLY_IMMEDIATE_P), max_len=1)
    if inv is not None:
        if sim.chance(rates.IMMEDIATE_P + (0.3 if acute else 0.0)):
            start = case.opened_on + days(sim.between(0, 7))
            step = sim.draw({4: 0.6, 5: 0.4}) if acute and sim.chance(0.3) else sim.pick((1, 2, 2))
            return _chain(sim, case, start, step, True)
        if inv.completed_on and sim.chance(rates.MEASURE_AFTER_INVESTIGATION_P[risk]):
            start = inv.completed_on + days(sim.between(7, 45))
            return _chain(sim, case, start, sim.draw(rates.FIRST_STEP_P[risk]), False)
        return []
    if sim.chance(0.45):  # afdækning (§ 19) leading to lighter help
        start = case.opened_on + days(sim.between(14, 60))
        return _chain(sim, case, start, sim.draw(rates.FIRST_STEP_P[0]), False)
    return []


def _chain(
    sim: Sim,
    case: Case,
    start: datetime.date,
    step: int,
    immediate: bool,
    max_len: int = rates.MAX_CHAIN,
) -> list[Plan]:
    """Consecutive interventions, each starting the day after the last ended, moving on the
    staircase as the transitions say; a lighter one sometimes runs alongside."""
    plans: list[Plan] = []
    for n in range(max_len):
        if start > sim.yesterday:
            break
        low, high = rates.DURATION_DAYS[step]
        end = start + days(sim.between(low, high) - 1)
        plan = Plan(_intervention(sim, case, step, start, end, immediate and n == 0))
        plans.append(plan)
        if step >= 2 and sim.chance(rates.PARALLEL_P):
            plans.append(_parallel(sim, case, plan.item))
        if plan.item.end_on is None:
            break
        plan.transition = _transition(sim, step, n == max_len - 1)
        if plan.transition == "end":
            break
        step = _next_step(sim, step, plan.transition)
        start = end + ONE_DAY
    return plans


def _transition(sim: Sim, step: int, must_end: bool) -> str:
    if must_end:
        return "end"
    return sim.draw(rates.TRANSITIONS[step])


def _next_step(sim: Sim, step: int, transition: str) -> int:
    if transition == "down":
        return step - 1
    if transition == "up":
        return sim.draw(UP_FROM_HOME) if step == 2 else min(step + 1, 5)
    return step


def _intervention(sim: Sim, case: Case, step: int, start, end, immediate: bool) -> Intervention:
    org = sim.org
    offers = org.offers_by_step[step]
    offer = offers[int(sim.rng.choice(len(offers), p=org.offer_weights[step]))]
    factor = sim.rng.uniform(*rates.COST_FACTOR)
    granted = start if immediate else max(case.opened_on, start - days(sim.between(0, 14)))
    item = Intervention(
        case=case,
        offer=offer,
        title=offer.name,
        legal_basis=offer.legal_basis,
        step=step,
        provider=offer.provider,
        is_immediate=immediate,
        granted_on=granted,
        start_on=start,
        end_on=end if end <= sim.yesterday else None,
        monthly_cost=Decimal(int(round(offer.monthly_cost * factor, -2))),
        is_synthetic=True,
    )
    if offer.legal_basis.startswith("§ 32"):  # § 32, stk. 3: purpose and expected duration
        pool = texts.INTERVENTION_PURPOSES
        item.purpose = sim.detail.choice(pool.get(offer.name, pool["default"]))
        length = ((end - start).days + 1) * sim.detail.uniform(*rates.EXPECTED_LENGTH_FACTOR)
        item.expected_end_on = start + days(round(length))
    sim.rows.interventions.append(item)
    return item


def _parallel(sim: Sim, case: Case, main: Intervention) -> Plan:
    start = main.start_on + days(sim.between(0, 60))
    start = min(start, main.end_on or sim.yesterday, sim.yesterday)
    low, high = rates.DURATION_DAYS[1]
    end = start + days(sim.between(low, high) - 1)
    if main.end_on is not None:
        end = min(end, main.end_on)
    item = _intervention(sim, case, sim.pick((0, 1, 1)), start, end, False)
    return Plan(item, "end")


def _close(sim: Sim, case: Case, plans: list[Plan], inv) -> None:
    """Close the case some weeks after its last intervention or its investigation ended."""
    items = [p.item for p in plans]
    if any(it.end_on is None for it in items):
        return
    if items:
        last = max(it.end_on for it in items) + ONE_DAY
    elif inv is not None:
        if inv.completed_on is None:
            return
        last = inv.completed_on
    else:
        last = case.opened_on + days(sim.between(20, 90))
    closed = last + days(sim.between(0, 60))
    if closed <= sim.yesterday:
        case.closed_on = closed


def _assign(sim: Sim, draft: CaseDraft) -> None:
    """The first caseworker of the team, then a change now and then (an indicator counts them)."""
    case = draft.case
    pool = next(
        w for t, w in zip(sim.org.teams, sim.org.caseworkers, strict=True) if t is case.team
    )
    end = case.closed_on or sim.yesterday
    length = (end - case.opened_on).days
    changes = int(sim.rng.poisson(rates.CASEWORKER_CHANGES_PER_YEAR * length / 365))
    offsets = sorted({sim.between(1, length) for _ in range(changes)}) if length > 1 else []
    leader = next(
        u for t, u in zip(sim.org.teams, sim.org.team_leaders, strict=True) if t is case.team
    )
    worker = sim.pick(pool)
    draft.starts, draft.workers = [case.opened_on], [worker]
    reasons = [texts.FIRST_ASSIGNMENT_REASON]
    for offset in offsets:
        others = [w for w in pool if w is not worker] or pool
        worker = sim.pick(others)
        draft.starts.append(case.opened_on + days(offset))
        draft.workers.append(worker)
        reasons.append(sim.detail.choice(texts.ASSIGNMENT_REASONS))
    case.caseworker = worker
    ends = [*draft.starts[1:], case.closed_on]
    for w, s, e, why in zip(draft.workers, draft.starts, ends, reasons, strict=True):
        sim.rows.assignments.append(
            CaseworkerAssignment(
                case=case, caseworker=w, started_on=s, ended_on=e, reason=why, assigned_by=leader
            )
        )


def _follow_ups(sim: Sim, plan: Plan, inv, draft: CaseDraft) -> list[FollowUp]:
    """The first follow-up from the calendar service (§ 95), then half-yearly; most are held on
    time, some late; the latest one of a running intervention is sometimes still not held
    (overdue now); the next one after yesterday is planned. A held one is held by the case's
    caseworker of that day; its reason is written in childplans.py, with the goal scores."""
    item = plan.item
    alongside = None
    if inv is not None and item.is_immediate:
        end = inv.completed_on
        alongside = end if end is not None and end >= item.start_on else None
    due = calendar.first_follow_up_due(item.start_on, alongside)
    rows = []
    while item.end_on is None or due <= item.end_on:
        row = FollowUp(intervention=item, due_on=due)
        rows.append(row)
        if due > sim.yesterday:
            break
        after = calendar.add_months(due, rates.FOLLOW_UP_MONTHS)
        overdue_now = item.end_on is None and after > sim.yesterday
        if not (overdue_now and sim.chance(rates.FOLLOW_UP_OVERDUE_P)):
            _hold(sim, row, item)
        due = after
    if rows:
        rows[0].is_first = True
    held = [r for r in rows if r.held_on]
    for r in held:
        r.decision, r.progress = ("adjust" if sim.chance(0.15) else "continue"), sim.between(3, 8)
        r.held_by = draft.caseworker_on(r.held_on)
    if held and plan.transition and item.end_on is not None:
        held[-1].decision = TRANSITION_DECISION[plan.transition]
        held[-1].progress = {"end": 8, "step_down": 7, "step_up": 2}.get(held[-1].decision, 5)
    sim.rows.follow_ups.extend(rows)
    return rows


def _hold(sim: Sim, row: FollowUp, item: Intervention) -> None:
    """Held on time (up to two weeks early) or late, but never after yesterday or the end."""
    if sim.chance(rates.FOLLOW_UP_LATE_P):
        held = row.due_on + days(sim.between(1, 40))
    else:
        held = max(row.due_on - days(sim.between(0, 14)), item.start_on)
    row.held_on = min(held, item.end_on or sim.yesterday, sim.yesterday)


def _conversations(
    sim: Sim, draft: CaseDraft, inv, plans: list[Plan], held: list
) -> list[ChildConversation]:
    """Conversations with the child (§ 5): in the investigation, before a decision on a supporting
    measure or placement, and at some follow-ups; none with children under 3. In date order."""
    case, child = draft.case, draft.case.child
    moments = []
    if inv is not None:
        last = min(inv.completed_on or sim.yesterday, sim.yesterday)
        moments += [sim.day_between(inv.started_on, last) for _ in range(sim.between(1, 2))]
    for plan in plans:
        item = plan.item
        if item.step >= 2 and not item.is_immediate and item.granted_on:
            moments.append(max(case.opened_on, item.granted_on - days(sim.between(1, 10))))
    for row in held:
        if sim.chance(0.45):
            moments.append(row.held_on)
    talks = []
    for day in sorted(moments):
        if age_on(child.birth_date, day) < 3 or day > sim.yesterday:
            continue
        talks.append(
            ChildConversation(
                case=case,
                held_on=day,
                held_by=draft.caseworker_on(day),
                place=sim.pick(texts.CONVERSATION_PLACES),
                childs_views=sim.pick(texts.CHILD_VIEWS),
                is_synthetic=True,
            )
        )
    sim.rows.conversations.extend(talks)
    return talks


def _movements(sim: Sim, case: Case, plans: list[Plan]) -> None:
    spans = [Span(p.item.step, p.item.start_on, p.item.end_on, p.item.title, p.item) for p in plans]
    for move in movements(spans, sim.today):
        sim.rows.movements.append(
            StepMovement(
                case=case,
                from_step=move.from_step,
                to_step=move.to_step,
                moved_on=move.moved_on,
                reason=move.reason,
                intervention=move.intervention,
            )
        )
