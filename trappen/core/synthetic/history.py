"""Y years of history per child: wellbeing assessments, notifications and the cases they open.

Yearly chances are drawn for all children at once with NumPy (year k is the 365 days ending
365·k days before yesterday); each child's events are then played through in date order, so a
child never has two open cases and a notification about a child with an open case joins it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import numpy as np

from trappen.core import calendar
from trappen.core.models import UnitKind
from trappen.core.synthetic import rates, texts
from trappen.core.synthetic.casework import CaseDraft, open_case
from trappen.core.synthetic.dates import ONE_DAY, age_on, at, days, midnight
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


# --- where the child was ---


def unit_at(sim: Sim, i: int, day: datetime.date):
    """The universal unit that knew the child on `day`: health visitor, daycare or school."""
    child = sim.people.children[i]
    age = age_on(child.birth_date, day)
    d = int(sim.people.district[i])
    if age < rates.DAYCARE_FROM_AGE:
        return sim.org.health[d]
    kind, units, pick = (
        (UnitKind.DAYCARE, sim.org.daycares[d], sim.people.past_daycare[i])
        if age < rates.SCHOOL_FROM_AGE
        else (UnitKind.SCHOOL, sim.org.schools[d], sim.people.past_school[i])
    )
    if child.unit is not None and child.unit.kind == kind:
        return child.unit
    return units[int(pick) % len(units)]


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
        for k in range(n):
            if day > sim.yesterday:
                break
            last = k == n - 1 or day + days(30) > sim.yesterday
            _assessment(sim, i, day, level, last)
            top = max(top, level)
            day += days(sim.between(30, 90))
            level = min(5, max(1, level + sim.draw(LEVEL_STEP)))
        if top >= 3 and sim.chance(rates.EARLY_CASE_P):
            early = datetime.date.fromordinal(start) + days(sim.between(3, 20))
            if early <= sim.yesterday:
                triggers.append((early, 1, "early", None))
    return triggers


def _assessment(sim: Sim, i: int, day, level: int, last: bool, areas=None, agreed="") -> None:
    unit = unit_at(sim, i, day)
    if areas is None:
        areas = _areas(sim, "default" if unit.kind != "school" else "school", level)
    sim.rows.assessments.append(
        WellbeingAssessment(
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
    )


def _areas(sim: Sim, reporter: str, level: int) -> list[str]:
    if level <= 1:
        return []
    pool = texts.AREAS_BY_REPORTER.get(reporter, texts.AREAS_BY_REPORTER["default"])
    first = pool[0] if sim.chance(0.6) else sim.pick(pool)
    second = sim.pick(pool) if sim.chance(0.5) else first
    return list(dict.fromkeys((first, second)))


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


def _reporter(sim: Sim, i: int, day) -> str:
    kind = sim.draw(rates.REPORTERS)
    age = age_on(sim.people.children[i].birth_date, day)
    if kind == "school" and age < rates.SCHOOL_FROM_AGE:
        kind = "daycare" if age >= rates.DAYCARE_FROM_AGE else "health"
    elif kind == "daycare" and age >= rates.SCHOOL_FROM_AGE:
        kind = "school"
    elif kind == "daycare" and age < rates.DAYCARE_FROM_AGE:
        kind = "health"
    return kind


def _on_a_working_day(sim: Sim, day, kind: str, birth) -> datetime.date:
    """Professionals other than the police write on weekdays."""
    if kind == "police" or day.weekday() < 5:
        return day
    friday = day - days(day.weekday() - 4)
    if friday > birth:
        return friday
    monday = day + days(7 - day.weekday())
    return monday if monday <= sim.yesterday else day


def _notification(sim: Sim, i: int, day, kind: str) -> Notification:
    child = sim.people.children[i]
    hour = (
        sim.between(0, 23)
        if kind == "police"
        else (sim.between(8, 15) if kind in rates.PROFESSIONAL_REPORTERS else sim.between(7, 21))
    )
    received = at(day, hour, sim.between(0, 59))
    level = sim.draw(rates.NOTIFICATION_LEVELS)
    unit = _reporter_unit(sim, i, day, kind)
    note = Notification(
        municipality=sim.org.municipality,
        child=child,
        received_at=received,
        reporter_kind=kind,
        reporter_unit=unit,
        reporter_user=sim.org.professional_of_unit.get(unit.pk) if unit else None,
        concern=sim.pick(texts.CONCERNS.get(kind, texts.CONCERNS["default"])),
        areas=_areas(sim, kind, max(level, 2)),
        level=level,
        acute=level == 5 and sim.chance(rates.ACUTE_P_AT_LEVEL_5),
        assessment_due_at=calendar.notification_assessment_due(received),
        is_synthetic=True,
    )
    sim.rows.notifications.append(note)
    _assess(sim, note)
    if kind in rates.PROFESSIONAL_REPORTERS:
        _receipt(sim, note)
    if unit is not None and kind in ("school", "daycare") and level >= 4 and sim.chance(0.7):
        before = max(day - days(sim.between(1, 14)), child.birth_date + ONE_DAY)
        _assessment(sim, i, before, level, True, note.areas, "Underretning sendt til kommunen.")
    return note


def _reporter_unit(sim: Sim, i: int, day, kind: str):
    if kind in ("school", "daycare"):
        return unit_at(sim, i, day)
    if kind == "health":
        young = age_on(sim.people.children[i].birth_date, day) < 2
        if young or sim.chance(0.3):
            return sim.org.health[int(sim.people.district[i])]
    return None


def _assess(sim: Sim, note: Notification) -> None:
    """The 24-hour assessment: most on time, some late, the newest not yet done."""
    if note.acute:
        hours = sim.rng.uniform(0.2, 3)
    elif sim.chance(rates.ASSESSED_LATE_P):
        hours = sim.rng.uniform(25, 72)
    else:
        hours = sim.rng.uniform(0.5, 22)
    assessed = calendar.add_hours(note.received_at, float(hours))
    if assessed < midnight(sim.today):
        note.assessed_at, note.status = assessed, "assessed"


def _receipt(sim: Sim, note: Notification) -> None:
    """The receipt to a professional notifier: due in 6 working days (calendar service)."""
    note.receipt_due_on = calendar.notification_receipt_due(note.received_at, sim.org.cal)
    received_on = calendar.local_date(note.received_at)
    if sim.chance(rates.RECEIPT_LATE_P):
        sent = note.receipt_due_on + days(sim.between(1, 10))
    else:
        sent = sim.day_between(received_on + ONE_DAY, note.receipt_due_on)
    if sent <= sim.yesterday:
        note.receipt_sent_at = at(sent, sim.between(9, 15), sim.between(0, 59))


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
    """The team and caseworker handling the notification: the case's, or the child's team's."""
    if draft is not None:
        note.team = draft.case.team
        note.assigned_to = draft.caseworker_on(calendar.local_date(note.received_at))
        return
    org = sim.org
    t = org.team_of_district[int(sim.people.district[i])]
    age = age_on(note.child.birth_date, calendar.local_date(note.received_at))
    if org.youth_team is not None and age >= 14:
        t = org.youth_team
    note.team = org.teams[t]
    note.assigned_to = sim.pick(org.caseworkers[t])
