"""A child's whole case history read in one query.

The case page shows everything about a child: cases, caseworkers, investigations, plans, goals
and their scores, interventions, follow-ups, step movements, notes, notifications, letters and
conversations, over ten years or more. One query per kind of record would be 14 queries before
the page has logged its read; with the session, the login and the audit write that is far past
the 15 a page may use (DESIGN.md, "Query counts"). So every kind is read as one branch of a
single UNION ALL: each branch selects the record's kind, id and its own columns, placed in
shared typed slots (dates, date-times, numbers, texts, flags; a branch leaves the slots it does
not use NULL, cast to the slot's type so PostgreSQL and SQLite agree on the column types), and
`read_history` turns every row back into a `Record` with the kind's own attribute names.

Read-only and scoped to one child in one municipality; the caller checks access and logs the
read. The query's cost grows with the rows, never the number of statements.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from types import SimpleNamespace

from django.db import connections, models
from django.db.models import BigIntegerField, F, Q, Value, Window
from django.db.models.functions import Cast, RowNumber
from django.utils.dateparse import parse_date, parse_datetime

from trappen.cases.models import (
    Case,
    CaseworkerAssignment,
    ChildPlan,
    FollowUp,
    Goal,
    GoalScore,
    Intervention,
    Investigation,
    ProgressNote,
    StepMovement,
)
from trappen.core.models import Letter
from trappen.notifications.models import Notification
from trappen.voice.models import ChildConversation


class Record(SimpleNamespace):
    """One row of the history: `kind`, `id` and the kind's own attributes."""


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model]
    scope: str  # the path from the model to the case ("" for a case, a letter, a notification)
    columns: dict[str, str | Cast]  # attribute -> ORM path (or an expression with its type)
    # a further condition on the kind's rows, given the child and the municipality
    only: Callable[[int, int], Q] | None = None


def _latest_score(child_id: int, municipality_id: int) -> Q:
    """Only each goal's latest score from each source (by date, then id): the page shows no
    other, and a child with ten years of follow-ups has hundreds. Numbered in one pass over
    the child's scores (an anti-join per score compared every score with every other of its
    goal)."""
    newest_first = Window(
        RowNumber(),
        partition_by=[F("goal_id"), F("source")],
        order_by=[F("recorded_on").desc(), F("pk").desc()],
    )
    latest = (
        GoalScore.objects.filter(
            goal__plan__case__child_id=child_id, goal__plan__case__municipality_id=municipality_id
        )
        .order_by()
        .annotate(n=newest_first)
        .filter(n=1)
        .values("pk")
    )
    return Q(pk__in=latest)


WORKER = {"first_name": "caseworker__first_name", "last_name": "caseworker__last_name"}

KINDS: tuple[Kind, ...] = (
    Kind(
        "case",
        Case,
        "",
        {
            "opened_on": "opened_on",
            "closed_on": "closed_on",
            "source": "source",
            "closing_reason": "closing_reason",
            "team_id": "team_id",
            "team_name": "team__name",
            "caseworker_id": "caseworker_id",
            **WORKER,
        },
    ),
    Kind(
        "assignment",
        CaseworkerAssignment,
        "case__",
        {
            "case_id": "case_id",
            "caseworker_id": "caseworker_id",
            "started_on": "started_on",
            "ended_on": "ended_on",
            "reason": "reason",
            **WORKER,
        },
    ),
    Kind(
        "investigation",
        Investigation,
        "case__",
        {
            "case_id": "case_id",
            "aware_on": "aware_on",
            "started_on": "started_on",
            "due_on": "due_on",
            "completed_on": "completed_on",
            "preliminary_assessed_on": "preliminary_assessed_on",
            "expected_completion_on": "expected_completion_on",
            "recommended_step": "recommended_step",
            "conclusion": "conclusion",
            "recommendation": "recommendation",
        },
    ),
    Kind(
        "plan",
        ChildPlan,
        "case__",
        {
            "case_id": "case_id",
            "plan_kind": "kind",
            "decided_on": "decided_on",
            "due_on": "due_on",
            "completed_on": "completed_on",
            "is_needed": "is_needed",
            "not_needed_reason": "not_needed_reason",
            "made_with_child": "made_with_child",
            "made_with_guardians": "made_with_guardians",
            "overall_purpose": "overall_purpose",
        },
    ),
    Kind(
        "goal",
        Goal,
        "plan__case__",
        {
            "plan_id": "plan_id",
            "text": "text",
            "set_by": "set_by",
            "childs_own_words": "childs_own_words",
            "baseline": "baseline",
            "target": "target",
            "created_on": "created_on",
            "achieved_on": "achieved_on",
        },
    ),
    Kind(
        "goal_link",
        Goal.interventions.through,
        "goal__plan__case__",
        {"goal_id": "goal_id", "intervention_id": "intervention_id"},
    ),
    Kind(
        "score",
        GoalScore,
        "goal__plan__case__",
        {
            "goal_id": "goal_id",
            "follow_up_id": "follow_up_id",
            "source": "source",
            "score": "score",
            "recorded_on": "recorded_on",
        },
        only=_latest_score,
    ),
    Kind(
        "intervention",
        Intervention,
        "case__",
        {
            "case_id": "case_id",
            "title": "title",
            "legal_basis": "legal_basis",
            "step": "step",
            "provider_id": "provider_id",
            "provider_name": "provider__name",
            "is_immediate": "is_immediate",
            "granted_on": "granted_on",
            "start_on": "start_on",
            "end_on": "end_on",
            "expected_end_on": "expected_end_on",
            "no_progress_since": "no_progress_since",
            "end_reason": "end_reason",
            # whole kroner (decimal_places=0); a number slot keeps the columns few
            "monthly_cost": Cast(F("monthly_cost"), BigIntegerField()),
        },
    ),
    Kind(
        "follow_up",
        FollowUp,
        "intervention__case__",
        {
            "intervention_id": "intervention_id",
            "due_on": "due_on",
            "held_on": "held_on",
            "decision": "decision",
            "progress": "progress",
            "is_first": "is_first",
            "reason": "reason",
        },
    ),
    Kind(
        "movement",
        StepMovement,
        "case__",
        {
            "case_id": "case_id",
            "from_step": "from_step",
            "to_step": "to_step",
            "moved_on": "moved_on",
            "reason": "reason",
            "intervention_id": "intervention_id",
        },
    ),
    Kind(
        "note",
        ProgressNote,
        "intervention__case__",
        {
            "intervention_id": "intervention_id",
            "written_at": "written_at",
            "text": "text",
            "first_name": "author__first_name",
            "last_name": "author__last_name",
        },
    ),
    Kind(
        "notification",
        Notification,
        "",
        {
            "received_at": "received_at",
            "reporter_kind": "reporter_kind",
            "status": "status",
            "acute": "acute",
            "level": "level",
            "case_id": "case_id",
            "team_id": "team_id",
            "assigned_to_id": "assigned_to_id",
        },
    ),
    Kind(
        "letter",
        Letter,
        "",
        {
            "case_id": "case_id",
            "created_at": "created_at",
            "sent_at": "sent_at",
            "subject": "subject",
            "recipient_name": "recipient_name",
            "status": "status",
        },
    ),
    Kind(
        "conversation",
        ChildConversation,
        "case__",
        {
            "case_id": "case_id",
            "held_on": "held_on",
            "place": "place",
            "first_name": "held_by__first_name",
            "last_name": "held_by__last_name",
            "told_of_support_person": "told_of_support_person",
        },
    ),
)

# The slot types: every column of the union is one of these.
SLOT_FIELDS: dict[str, type[models.Field]] = {
    "dt": models.DateTimeField,
    "d": models.DateField,
    "b": models.BooleanField,
    "n": BigIntegerField,
    "s": models.TextField,
}


def _field(model: type[models.Model], path: str) -> models.Field:
    """The model field at the end of an ORM path ("caseworker__first_name", "team_id")."""
    *relations, last = path.split("__")
    for name in relations:
        model = model._meta.get_field(name).related_model
    field = model._meta.get_field(last)
    return field.target_field if field.is_relation else field


def _slot_type(column: str | Cast, model: type[models.Model]) -> str:
    field = column.output_field if isinstance(column, Cast) else _field(model, column)
    if isinstance(field, models.DateTimeField):
        return "dt"
    if isinstance(field, models.DateField):
        return "d"
    if isinstance(field, models.BooleanField):
        return "b"
    if isinstance(field, models.IntegerField):
        return "n"
    if isinstance(field, models.CharField | models.TextField):
        return "s"
    raise TypeError(f"no history slot for {model.__name__}.{column}")


def _layout() -> tuple[list[str], dict[str, dict[str, str]]]:
    """The union's slot columns, and per kind which slot holds which attribute."""
    counts: dict[str, int] = defaultdict(int)
    slots_of: dict[str, dict[str, str]] = {}
    for kind in KINDS:
        used: dict[str, int] = defaultdict(int)
        slots_of[kind.name] = {}
        for attribute, column in kind.columns.items():
            slot_type = _slot_type(column, kind.model)
            slots_of[kind.name][attribute] = f"h_{slot_type}{used[slot_type]}"
            used[slot_type] += 1
        for slot_type, n in used.items():
            counts[slot_type] = max(counts[slot_type], n)
    slots = [f"h_{t}{i}" for t in SLOT_FIELDS for i in range(counts[t])]
    return slots, slots_of


SLOTS, SLOTS_OF = _layout()


def _branch(kind: Kind, child_id: int, municipality_id: int):
    own = {slot: attribute for attribute, slot in SLOTS_OF[kind.name].items()}
    select = {"h_kind": Value(kind.name, output_field=models.TextField()), "h_id": F("pk")}
    for slot in SLOTS:
        if slot in own:
            column = kind.columns[own[slot]]
            select[slot] = column if isinstance(column, Cast) else F(column)
        else:
            select[slot] = Cast(Value(None), SLOT_FIELDS[slot[2:].rstrip("0123456789")]())
    scope = {f"{kind.scope}child_id": child_id, f"{kind.scope}municipality_id": municipality_id}
    rows = kind.model.objects.filter(**scope)
    if kind.only is not None:
        rows = rows.filter(kind.only(child_id, municipality_id))
    return rows.order_by().annotate(**select).values(*select)


def history_query(child_id: int, municipality_id: int):
    """The one UNION ALL query (not yet run) over every kind of record about the child."""
    first, *rest = (_branch(kind, child_id, municipality_id) for kind in KINDS)
    return first.union(*rest, all=True)


# Compiling fourteen branches of twenty-odd columns costs far more than running them, and the
# statement never changes but for the child and the municipality: it is compiled once per
# database with two sentinel ids, whose places in the parameters are then filled per call.
_CHILD, _MUNICIPALITY = -7_654_321_001, -7_654_321_002
_compiled: dict[str, tuple[str, list, list[int], list[int]]] = {}


def _compiled_sql(using: str) -> tuple[str, list, list[int], list[int]]:
    if using not in _compiled:
        query = history_query(_CHILD, _MUNICIPALITY).query
        sql, params = query.get_compiler(using).as_sql()
        child_at = [i for i, p in enumerate(params) if p == _CHILD]
        municipality_at = [i for i, p in enumerate(params) if p == _MUNICIPALITY]
        # every branch is scoped once, the scores' branch twice
        expected = len(KINDS) + 1
        assert len(child_at) == len(municipality_at) == expected  # noqa: S101 (a bug if not)
        _compiled[using] = (sql, list(params), child_at, municipality_at)
    return _compiled[using]


def _to_date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return parse_date(value)


def _to_datetime(value):
    """SQLite gives the stored UTC text; PostgreSQL an aware datetime already."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    try:
        parsed = datetime.datetime.fromisoformat(value)  # fast; parse_datetime for the rest
    except ValueError:
        parsed = parse_datetime(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _to_bool(value):
    return value if value is None else bool(value)


_CONVERT = {"dt": _to_datetime, "d": _to_date, "b": _to_bool}


def read_history(child_id: int, municipality_id: int, using: str = "default") -> dict:
    """Every record about the child in the municipality, by kind (in no particular order):
    {kind name: [Record, ...]}."""
    sql, params, child_at, municipality_at = _compiled_sql(using)
    params = list(params)
    for i in child_at:
        params[i] = child_id
    for i in municipality_at:
        params[i] = municipality_id
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    kind_at, id_at = columns.index("h_kind"), columns.index("h_id")
    readers = _readers(tuple(columns))
    history: dict[str, list[Record]] = {kind.name: [] for kind in KINDS}
    for row in rows:
        name = row[kind_at]
        names, take, conversions = readers[name]
        values = dict(zip(names, take(row), strict=True))
        for attribute, convert in conversions:
            values[attribute] = convert(values[attribute])
        values["kind"], values["id"] = name, row[id_at]
        history[name].append(Record(**values))
    return history


_reader_cache: dict[tuple, dict] = {}


def _readers(columns: tuple[str, ...]) -> dict:
    """Per kind: its attribute names, a getter of their values from a row (one C call), and
    the converters for its date, date-time and flag slots."""
    if columns not in _reader_cache:
        readers = {}
        for name, slots in SLOTS_OF.items():
            names = tuple(slots)
            at = [columns.index(slots[a]) for a in names]
            take = itemgetter(*at) if len(at) > 1 else (lambda row, i=at[0]: (row[i],))
            conversions = tuple(
                (a, _CONVERT[kind])
                for a in names
                if (kind := slots[a][2:].rstrip("0123456789")) in _CONVERT
            )
            readers[name] = (names, take, conversions)
        _reader_cache[columns] = readers
    return _reader_cache[columns]
