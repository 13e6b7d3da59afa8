"""Y years of history per child: wellbeing assessments, notifications and the cases they open.

Yearly chances are drawn for all children at once with NumPy (year k is the 365 days ending
365·k days before yesterday); each child's events are then played through in date order, so a
child never has two open cases and a notification about a child with an open case joins it.
A notification's own content and its timeline are built in notifications.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import numpy as np

from trappen.core import calendar
from trappen.core.synthetic import rates, texts
from trappen.core.synthetic.casework import CaseDraft, open_case
from trappen.core.synthetic.dates import ONE_DAY, age_on, at, days, midnight
from trappen.core.synthetic.notifications import (
    concern_areas,
    finish_notifications,
    is_waiting,
    new_notification,
)
from trappen.core.synthetic.sim import Sim
from trappen.early.models import WellbeingAssessment
from trappen.notifications.models import Notification

LEVEL_STEP = ((-1, 0.35), (0, 0.45), (1, 0.20))


def build_history(sim: Sim, tick: Callable[[int], None] = lambda n: None) -> set[int]:
    """Generate every child's history into `sim.rows`; return the children with a case."""
    notified, rounds = _yearly_draws(sim)
    with_case: set[int] = set()
    for i in range(len(sim.people.children)):
        triggers = _assessments(sim, i, rounds.get(i, ()))
        triggers += _notifications(sim, i, notified.get(i, ()))
        triggers += _existing_case(sim, i)
        if _play(sim, i, triggers):
            with_case.add(i)
        if i % 500 == 499:
            tick(500)
    tick(len(sim.people.children) % 500)
    finish_notifications(sim)
    return with_case


# --- yearly chances for all children at once ---


def _yearly_draws(sim: Sim):
    children = sim.people.children
    n = len(children)
    births = np.array([c.birth_date.toordinal() for c in children])
    risk = sim.people.risk
    notify_p = np.array([p for _, p in rates.RISK_CLASSES])[risk]
    round_p = np.array(rates.ASSESSMENT_ROUND_P)[risk]
    notified: dict[int, list] = {}
    rounds: dict[int, list] = {}
    for k in range(sim.years):
        last = (sim.yesterday - days(365 * k)).toordinal()
        first = last - 364
        begin = np.maximum(first, births + 14)
        exposure = np.clip((last - begin + 1) / 365, 0, 1)
        age = (((begin + last) // 2) - births) / 365.25
        p = np.minimum(notify_p * _age_factor(age) * exposure, 0.95)
        hit = sim.rng.random(n) < p
        count = 1 + sim.rng.poisson(rates.EXTRA_NOTIFICATIONS_MEAN, n)
        when = begin + (sim.rng.random(n) * np.maximum(last - begin + 1, 1)).astype(int)
        for i in np.flatnonzero(hit):
            notified.setdefault(int(i), []).append((int(when[i]), int(last), int(count[i])))
        begin = np.maximum(first, births + 60)
        exposure = np.clip((last - begin + 1) / 365, 0, 1)
        hit = sim.rng.random(n) < round_p * exposure
        when = begin + (sim.rng.random(n) * np.maximum(last - begin + 1, 1)).astype(int)
        for i in np.flatnonzero(hit):
            rounds.setdefault(int(i), []).append(int(when[i]))
    return notified, rounds


def _age_factor(age: np.ndarray) -> np.ndarray:
    factor = np.ones_like(age)
    for from_age, f in sorted(rates.AGE_FACTOR.items()):
        factor[age >= from_age] = f
    return factor


# --- wellbeing assessments ---


def _assessments(sim: Sim, i: int, starts) -> list:
    """Rounds of repeated assessments; a round reaching level 3 may start early help."""
    triggers = []
    for start in starts:
        day = datetime.date.fromordinal(start)
        level = sim.draw(
            tuple(zip(range(1, 6), rates.ASSESSMENT_LEVEL_P[int(sim.people.risk[i])], strict=True))
        )
        n = sim.draw(
            tuple(zip(rates.ASSESSMENTS_PER_ROUND, rates.ASSESSMENTS_PER_ROUND_P, strict=True))
        )
        top = 0
        made = []
        for k in range(n):
            if day > sim.yesterday:
                break
            last = k == n - 1 or day + days(30) > sim.yesterday
            made.append(_assessment(sim, i, day, level, last))
            top = max(top, level)
            day += days(sim.between(30, 90))
            level = min(5, max(1, level + sim.draw(LEVEL_STEP)))
        early = None
        if top >= 3 and sim.chance(rates.EARLY_CASE_P):
            early = datetime.date.fromordinal(start) + days(sim.between(3, 20))
            if early <= sim.yesterday:
                triggers.append((early, 1, "early", None))
            else:
                early = None
        if made:  # for the sharing and early help of early.py (no draws here)
            sim.rows.rounds.append((i, made, early))
    return triggers


def _assessment(
    sim: Sim, i: int, day, level: int, last: bool, areas=None, agreed=""
) -> WellbeingAssessment:
    """The assessment's level, areas and dates; early.py fills in its group, with whom it was
    agreed, who follows up and why the parents were not informed (its own stream)."""
    unit = sim.unit_at(i, day)
    if areas is None:
        areas = concern_areas(sim, "default" if unit.kind != "school" else "school", level)
    item = WellbeingAssessment(
        child=sim.people.children[i],
        unit=unit,
        author=sim.org.professional_of_unit.get(unit.pk),
        assessed_on=day,
        level=level,
        areas=areas,
        agreed=agreed or (sim.pick(texts.AGREED) if level >= 2 else ""),
        parents_informed=sim.chance(0.93),
        look_again_on=day + days(sim.between(42, 90)) if last and level >= 2 else None,
        is_synthetic=True,
    )
    sim.rows.assessments.append(item)
    return item


# --- notifications ---


def _notifications(sim: Sim, i: int, years) -> list:
    """The year's notifications: the first on the drawn day, repeats within the next months."""
    triggers = []
    birth = sim.people.children[i].birth_date
    for first, last, count in years:
        ordinals = [first] + [
            first + sim.between(0, min(rates.REPEAT_WINDOW_DAYS, last - first))
            for _ in range(count - 1)
        ]
        for ordinal in sorted(ordinals):
            kind = _reporter(sim, i, datetime.date.fromordinal(ordinal))
            day = _on_a_working_day(sim, datetime.date.fromordinal(ordinal), kind, birth)
            triggers.append((day, 2, "notification", _notification(sim, i, day, kind)))
    return triggers


def _notification(sim: Sim, i: int, day, kind: str) -> Notification:
    """The notification, and for most from a school or daycare at level 4+, the professional's
    wellbeing assessment at its level a few days before."""
    note = new_notification(sim, i, day, kind)
    unit = note.reporter_unit
    if unit is not None and kind in ("school", "daycare") and note.level >= 4 and sim.chance(0.7):
        birth = sim.people.children[i].birth_date
        before = max(day - days(sim.between(1, 14)), birth + ONE_DAY)
        _assessment(
            sim, i, before, note.level, True, note.areas, "Underretning sendt til kommunen."
        )
    return note


def _reporter(sim: Sim, i: int, day) -> str:
    kind = sim.draw(rates.REPORTERS)
    age = age_on(sim.people.children[i].birth_date, day)
    if kind == "school" and age < rates.SCHOOL_FROM_AGE:
        kind = "daycare" if age >= rates.DAYCARE_FROM_AGE else "health"
    elif kind == "daycare" and age >= rates.SCHOOL_FROM_AGE:
        kind = "school"
    elif kind == "daycare" and age < rates.DAYCARE_FROM_AGE:
        kind = "health"
    if kind == "health" and age < 1 and sim.chance(rates.HEALTH_VISITOR_UNDER_1_P):
        kind = "health_visitor"
    return kind


def _on_a_working_day(sim: Sim, day, kind: str, birth) -> datetime.date:
    """Professionals other than the police write on weekdays; citizens any day."""
    if kind == "police" or kind not in rates.PROFESSIONAL_REPORTERS or day.weekday() < 5:
        return day
    friday = day - days(day.weekday() - 4)
    if friday > birth:
        return friday
    monday = day + days(7 - day.weekday())
    return monday if monday <= sim.yesterday else day


# --- playing a child's events through ---


def _existing_case(sim: Sim, i: int) -> list:
    """A case already running when the history begins (placements often last years)."""
    birth = sim.people.children[i].birth_date
    room = (sim.start - birth).days - 30
    if room < 60 or not sim.chance(rates.EXISTING_CASE_P[int(sim.people.risk[i])]):
        return []
    opened = sim.start - days(sim.between(30, min(room, 1100)))
    return [(opened, 0, "existing", None)]


def _play(sim: Sim, i: int, triggers: list) -> bool:
    draft: CaseDraft | None = None
    opened_any = False
    for day, _, kind, note in sorted(triggers, key=lambda t: (t[0], t[1])):
        if draft is not None and draft.covers(day):
            if note is not None:
                _decide(sim, i, note, draft, "existing_case")
            continue
        if kind == "existing":
            draft = open_case(sim, i, day, "notification", day)
            if draft.closed_on is not None and draft.closed_on < sim.start:
                draft.discard(sim.rows)  # closed before the history begins: left out
                draft = None
        elif kind == "early":
            draft = open_case(sim, i, day, "early", day)
        else:
            draft = _screen(sim, i, note) or draft
        opened_any |= draft is not None
    return opened_any


def _screen(sim: Sim, i: int, note: Notification) -> CaseDraft | None:
    """Screening (§ 18): no further action, or a case with afdækning or an investigation."""
    received_on = calendar.local_date(note.received_at)
    decided = received_on + days(sim.between(0, 3) if note.acute else sim.between(1, 12))
    if decided > sim.yesterday or note.assessed_at is None:
        _route(sim, i, note, None)  # not decided yet
        return None
    p = rates.CASE_FROM_NOTIFICATION_P[note.level] + rates.CASE_P_BY_CLASS[int(sim.people.risk[i])]
    if not sim.chance(p + (0.25 if note.acute else 0.0)):
        _decide(sim, i, note, None, "no_action", decided)
        return None
    draft = open_case(sim, i, decided, "notification", received_on, acute=note.acute)
    decision = "investigation" if draft.investigation is not None else "clarification"
    _decide(sim, i, note, draft, decision, decided)
    return draft


def _decide(sim: Sim, i: int, note: Notification, draft, decision: str, day=None) -> None:
    """Record the decision on the notification, unless it lies after yesterday."""
    _route(sim, i, note, draft)
    if day is None:
        day = calendar.local_date(note.received_at) + days(sim.between(0, 5))
        if draft is not None:
            day = max(day, draft.case.opened_on)
    if day > sim.yesterday or note.assessed_at is None:
        return
    moment = max(at(day, sim.between(9, 15), sim.between(0, 59)), note.assessed_at)
    if moment < midnight(sim.today):
        note.decided_at, note.decision, note.status = moment, decision, "decided"


def _route(sim: Sim, i: int, note: Notification, draft: CaseDraft | None) -> None:
    """The team and caseworker handling the notification: the case's (the child's case open at
    receipt or by the decision, or the one its screening opened), or the child's team's; a few
    of the last weeks' waiting notifications are not yet assigned to anyone."""
    if draft is not None:
        note.team, note.case = draft.case.team, draft.case
        note.assigned_to = draft.caseworker_on(calendar.local_date(note.received_at))
        return
    org = sim.org
    t = org.team_of_district[int(sim.people.district[i])]
    age = age_on(note.child.birth_date, calendar.local_date(note.received_at))
    if org.youth_team is not None and age >= 14:
        t = org.youth_team
    note.team = org.teams[t]
    if is_waiting(sim, note) and sim.chance(rates.UNASSIGNED_P):
        return
    note.assigned_to = sim.pick(org.caseworkers[t])
