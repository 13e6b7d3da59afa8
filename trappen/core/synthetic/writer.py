"""Bulk insertion of the generated rows, parents before children, in batches."""

from __future__ import annotations

from collections.abc import Callable

from trappen.cases.models import (
    Case,
    CaseworkerAssignment,
    FollowUp,
    Intervention,
    Investigation,
    StepMovement,
)
from trappen.core.synthetic.people import People
from trappen.core.synthetic.sim import Rows
from trappen.early.models import WellbeingAssessment
from trappen.notifications.models import Notification
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
        ("underretninger", Notification, rows.notifications),
        ("sager", Case, rows.cases),
        ("rådgiverskift", CaseworkerAssignment, rows.assignments),
        ("undersøgelser", Investigation, rows.investigations),
        ("indsatser", Intervention, rows.interventions),
        ("opfølgninger", FollowUp, rows.follow_ups),
        ("trinskift", StepMovement, rows.movements),
        ("børnesamtaler", ChildConversation, rows.conversations),
    ]


def write(steps: list[tuple[str, type, list]], tick: Callable[[int], None]) -> dict[str, int]:
    counts = {}
    for label, model, objs in steps:
        for start in range(0, len(objs), BATCH):
            chunk = objs[start : start + BATCH]
            model.objects.bulk_create(chunk)
            tick(len(chunk))
        counts[label] = len(objs)
    return counts
