"""Bulk insertion of the generated rows, parents before children, in batches.

Rows other rows point at are written with `bulk_create` (which gives them their ids). Rows
nothing points at and that only hold ids and plain values (timeline events, sibling links, goal
scores, goal-intervention links, the network's roles on interventions, meeting participants,
conference invitations, the family's plan lines, anonymous consultations, the custody holders'
consents to early help) are described as tuples and written as plain values (`Deferred`): with
`COPY` on PostgreSQL and one `executemany` INSERT per batch elsewhere, without building model
instances or compiling Django's INSERT statements.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connections, router

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
from trappen.core.synthetic.childplans import (
    LINK_COLUMNS,
    SCORE_COLUMNS,
    GoalLink,
    link_row,
    score_row,
)
from trappen.core.synthetic.early import (
    CONSENT_COLUMNS,
    CONSULTATION_COLUMNS,
    Consent,
    consent_row,
    consultation_row,
)
from trappen.core.synthetic.notifications import (
    EVENT_COLUMNS,
    SIBLING_COLUMNS,
    SiblingLink,
    event_row,
    sibling_row,
)
from trappen.core.synthetic.people import People
from trappen.core.synthetic.sim import Rows
from trappen.core.synthetic.voice import (
    INVITED_COLUMNS,
    PARTICIPANT_COLUMNS,
    PLAN_ITEM_COLUMNS,
    ROLE_COLUMNS,
    pair_row,
    plan_item_row,
    role_row,
)
from trappen.early.models import (
    Consultation,
    ConsultationSlot,
    EarlyHelp,
    InformationSharing,
    WellbeingAssessment,
)
from trappen.notifications.models import Notification, NotificationEvent
from trappen.people.models import Child, ChildGuardian, Guardian, Household, NetworkPerson
from trappen.voice.models import (
    CaseDecision,
    ChildConversation,
    FamilyGroupConference,
    FamilyPlanItem,
    InterventionNetworkRole,
    NetworkMeeting,
)

BATCH = 2000
Participant = NetworkMeeting.participants.through
Invited = FamilyGroupConference.invited.through


def plan(people: People, rows: Rows) -> list[tuple[str, type, list]]:
    """(label, model, rows) in insertion order; the labels are the summary's Danish names."""
    return [
        ("husstande", Household, people.households),
        ("børn", Child, people.children),
        ("forældremyndighedsindehavere", Guardian, people.guardians),
        ("forælder-barn-relationer", ChildGuardian, people.links),
        ("netværkspersoner", NetworkPerson, people.network),
        ("trivselsvurderinger", WellbeingAssessment, rows.assessments),
        ("delinger med fremskudt rådgiver", InformationSharing, rows.sharings),
        ("sparringstider", ConsultationSlot, rows.slots),
        (
            "anonyme sparringer",
            Consultation,
            Deferred(rows.consultations, consultation_row, CONSULTATION_COLUMNS),
        ),
        ("tidlige indsatser", EarlyHelp, rows.early_help),
        (
            "samtykker til tidlige indsatser",
            Consent,
            Deferred(rows.consents, consent_row, CONSENT_COLUMNS),
        ),
        ("sager", Case, rows.cases),
        ("rådgiverskift", CaseworkerAssignment, rows.assignments),
        ("børnesamtaler", ChildConversation, rows.conversations),  # before the investigations
        ("undersøgelser", Investigation, rows.investigations),
        ("undersøgelsesområder", InvestigationArea, rows.areas),
        ("indsatser", Intervention, rows.interventions),
        ("opfølgninger", FollowUp, rows.follow_ups),
        ("trinskift", StepMovement, rows.movements),
        ("barnets planer", ChildPlan, rows.plans),
        ("mål", Goal, rows.goals),
        ("mål-indsats-koblinger", GoalLink, Deferred(rows.goal_links, link_row, LINK_COLUMNS)),
        ("målscorer", GoalScore, Deferred(rows.scores, score_row, SCORE_COLUMNS)),
        ("afgørelser", CaseDecision, rows.decisions),
        (
            "netværkets dele af indsatser",
            InterventionNetworkRole,
            Deferred(rows.network_roles, role_row, ROLE_COLUMNS),
        ),
        ("netværksmøder", NetworkMeeting, rows.meetings),
        (
            "deltagere i netværksmøder",
            Participant,
            Deferred(rows.participants, pair_row, PARTICIPANT_COLUMNS),
        ),
        ("familierådslagninger", FamilyGroupConference, rows.conferences),
        ("inviterede", Invited, Deferred(rows.invited, pair_row, INVITED_COLUMNS)),
        (
            "punkter i familiernes planer",
            FamilyPlanItem,
            Deferred(rows.plan_items, plan_item_row, PLAN_ITEM_COLUMNS),
        ),
        ("underretninger", Notification, rows.notifications),  # after the cases they point at
        (
            "underretningshændelser",
            NotificationEvent,
            Deferred(rows.events, event_row, EVENT_COLUMNS),
        ),
        (
            "søskende på underretninger",
            SiblingLink,
            Deferred(rows.sibling_links, sibling_row, SIBLING_COLUMNS),
        ),
    ]


class Deferred(Sequence):
    """Rows described before writing and built slice by slice as they are written, when the
    rows they point at have their ids: `build(spec)` gives the values of `columns` (attnames);
    the model's other fields get their defaults."""

    def __init__(self, specs: list, build: Callable, columns: tuple[str, ...]):
        self.specs, self.build, self.columns = specs, build, columns

    def __len__(self) -> int:
        return len(self.specs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.build(spec) for spec in self.specs[index]]
        return self.build(self.specs[index])


def write(steps: list[tuple[str, type, list]], tick: Callable[[int], None]) -> dict[str, int]:
    counts = {}
    for label, model, objs in steps:
        insert = (
            values_inserter(model, objs.columns)
            if isinstance(objs, Deferred)
            else model.objects.bulk_create
        )
        for start in range(0, len(objs), BATCH):
            chunk = objs[start : start + BATCH]
            insert(chunk)
            tick(len(chunk))
        counts[label] = len(objs)
    return counts


DATE_TYPES = frozenset({"DateField", "DateTimeField"})


def values_inserter(model, columns: tuple[str, ...]) -> Callable[[list[tuple]], None]:
    """A function writing tuples of `columns` values as rows of `model`; the other concrete
    fields (but the automatic primary key) get their defaults. Dates and times are prepared as
    their fields would prepare them (UTC for aware times on SQLite)."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    by_name = {f.attname: f for f in fields}
    unknown = set(columns) - set(by_name)
    if unknown:
        raise ValueError(f"{meta.label} has no columns {sorted(unknown)}")
    named = [by_name[c] for c in columns]
    rest = [f for f in fields if f.attname not in columns]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    preps = [f.get_db_prep_save if f.get_internal_type() in DATE_TYPES else None for f in named]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = ", ".join(quote(f.column) for f in named + rest)

    def prepared(row: tuple) -> tuple:
        values = tuple(
            v if p is None or v is None else p(v, connection)
            for p, v in zip(preps, row, strict=True)
        )
        return values + defaults

    if connection.vendor == "postgresql":

        def insert(rows: list[tuple]) -> None:
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(prepared(row))

        return insert

    marks = ", ".join(["%s"] * (len(named) + len(rest)))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names from the model)

    def insert(rows: list[tuple]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(sql, [prepared(row) for row in rows])

    return insert
