"""Bulk insertion of the generated rows, parents before children, in batches."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from trappen.cases.models import (
    Case,
    CaseworkerAssignment,
    FollowUp,
    Intervention,
    Investigation,
    StepMovement,
)
from trappen.core.synthetic.notifications import SiblingLink, event_row, sibling_row
from trappen.core.synthetic.people import People
from trappen.core.synthetic.sim import Rows
from trappen.early.models import WellbeingAssessment
from trappen.notifications.models import Notification, NotificationEvent
from trappen.people.models import Child, ChildGuardian, Guardian, Household, NetworkPerson
from trappen.voice.models import ChildConversation

BATCH = 2000


def plan(people: People, rows: Rows) -> list[tuple[str, type, list]]:
    """(label, model, rows) in insertion order; the labels are the summary's Danish names."""
    return [
        ("husstande", Household, people.households),
        ("børn", Child, people.children),
        ("forældremyndighedsindehavere", Guardian, people.guardians),
        ("forælder-barn-relationer", ChildGuardian, people.links),
        ("netværkspersoner", NetworkPerson, people.network),
        ("trivselsvurderinger", WellbeingAssessment, rows.assessments),
        ("sager", Case, rows.cases),
        ("rådgiverskift", CaseworkerAssignment, rows.assignments),
        ("undersøgelser", Investigation, rows.investigations),
        ("indsatser", Intervention, rows.interventions),
        ("opfølgninger", FollowUp, rows.follow_ups),
        ("trinskift", StepMovement, rows.movements),
        ("børnesamtaler", ChildConversation, rows.conversations),
        ("underretninger", Notification, rows.notifications),  # after the cases they point at
        ("underretningshændelser", NotificationEvent, Deferred(rows.events, event_row)),
        ("søskende på underretninger", SiblingLink, Deferred(rows.sibling_links, sibling_row)),
    ]


class Deferred(Sequence):
    """Rows described before writing and built slice by slice as they are written, when the
    rows they point at have their ids (cheaper than model instances holding related objects)."""

    def __init__(self, specs: list, build: Callable):
        self.specs, self.build = specs, build

    def __len__(self) -> int:
        return len(self.specs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.build(spec) for spec in self.specs[index]]
        return self.build(self.specs[index])


def write(steps: list[tuple[str, type, list]], tick: Callable[[int], None]) -> dict[str, int]:
    counts = {}
    for label, model, objs in steps:
        for start in range(0, len(objs), BATCH):
            chunk = objs[start : start + BATCH]
            model.objects.bulk_create(chunk)
            tick(len(chunk))
        counts[label] = len(objs)
    return counts
