"""The shared state of one generation run: dates, random draws and the rows being built."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

import numpy as np

from trappen.core.models import UnitKind
from trappen.core.synthetic import rates
from trappen.core.synthetic.dates import ONE_DAY, age_on, days, years_before
from trappen.core.synthetic.organisation import Org
from trappen.core.synthetic.people import People


@dataclass
class Rows:
    """Unsaved model instances in insertion order (parents before children)."""

    assessments: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    assignments: list = field(default_factory=list)
    investigations: list = field(default_factory=list)
    interventions: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    movements: list = field(default_factory=list)
    conversations: list = field(default_factory=list)
    areas: list = field(default_factory=list)  # InvestigationArea
    plans: list = field(default_factory=list)  # ChildPlan
    goals: list = field(default_factory=list)
    # Described now, written as values after the rows they point at (writer.Deferred)
    events: list = field(default_factory=list)
    sibling_links: list = field(default_factory=list)
    goal_links: list = field(default_factory=list)  # (goal, intervention): childplans.link_row
    scores: list = field(default_factory=list)  # childplans.score_row
    # The child's voice and the network (voice.py), after the history and the network persons
    decisions: list = field(default_factory=list)  # CaseDecision
    network_roles: list = field(default_factory=list)  # (intervention, person, part, by)
    meetings: list = field(default_factory=list)  # NetworkMeeting
    participants: list = field(default_factory=list)  # (meeting, person)
    conferences: list = field(default_factory=list)  # FamilyGroupConference
    invited: list = field(default_factory=list)  # (conference, person)
    plan_items: list = field(default_factory=list)  # (conference, what, who, person, by, done)
    # Early detection (early.py), after the history: what was shared with the outreach social
    # worker, the consultation slots and anonymous consultations, early help and its consents
    rounds: list = field(default_factory=list)  # (child index, [assessments], early case day)
    sharings: list = field(default_factory=list)  # InformationSharing
    slots: list = field(default_factory=list)  # ConsultationSlot
    consultations: list = field(default_factory=list)  # early.consultation_row's values
    early_help: list = field(default_factory=list)  # EarlyHelp
    consents: list = field(default_factory=list)  # (early help, guardian)


@dataclass
class Sim:
    org: Org
    people: People
    today: datetime.date
    years: int
    rng: np.random.Generator
    # The details of the case work (texts, plans, goals, scores) draw from their own stream, so
    # they do not shift the history's draws (streams.CASEWORK).
    detail: random.Random = field(default_factory=lambda: random.Random(0))
    rows: Rows = field(default_factory=Rows)

    @property
    def yesterday(self) -> datetime.date:
        """The last day on which anything has happened: history never reaches `today`."""
        return self.today - ONE_DAY

    @property
    def start(self) -> datetime.date:
        return years_before(self.today, self.years)

    def unit_at(self, i: int, day: datetime.date):
        """The universal unit that knew child i on `day`: health visitor, daycare or school."""
        child = self.people.children[i]
        age = age_on(child.birth_date, day)
        d = int(self.people.district[i])
        if age < rates.DAYCARE_FROM_AGE:
            return self.org.health[d]
        kind, units, pick = (
            (UnitKind.DAYCARE, self.org.daycares[d], self.people.past_daycare[i])
            if age < rates.SCHOOL_FROM_AGE
            else (UnitKind.SCHOOL, self.org.schools[d], self.people.past_school[i])
        )
        if child.unit is not None and child.unit.kind == kind:
            return child.unit
        return units[int(pick) % len(units)]

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def between(self, low: int, high: int) -> int:
        """A whole number from low to high inclusive."""
        return int(self.rng.integers(low, high + 1)) if high > low else int(low)

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + days(self.between(0, (last - first).days))

    def pick(self, items):
        return items[int(self.rng.integers(len(items)))]

    def draw(self, table: dict | tuple):
        """A key of `table` drawn with the values as probabilities (a tuple: (key, p) pairs)."""
        pairs = list(table.items()) if isinstance(table, dict) else list(table)
        total = sum(p for _, p in pairs)
        roll, acc = self.rng.random() * total, 0.0
        for key, p in pairs:
            acc += p
            if roll < acc:
                return key
        return pairs[-1][0]
