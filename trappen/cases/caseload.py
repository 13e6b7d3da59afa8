"""The caseload: every open case of a caseworker or a team, with its next deadline as a light.

- Who: a caseworker sees the own cases (or, toggled, the whole team's); a team leader the
  cases of the teams led. The base is `cases.access.visible_cases`, the one access rule.
- The next deadline of a case is the earliest of: an investigation not completed (its `due_on`,
  barnets lov § 20), a follow-up not held (`due_on`, § 95), a child's plan that is needed and
  not completed (`due_on`, §§ 91–92). Its traffic light: red when the day has passed, yellow
  within 14 days (today included), green later, none without a deadline.
- The deadlines are stored on the case (`next_deadline`, kept after every change of an
  investigation, a follow-up or a plan), so the database filters, sorts and pages the cases:
  one COUNT and one query for the page's 50 rows, whatever the number of cases. The current
  step (which changes with the calendar, not only with writes) is read for those rows only,
  and the step filter is an EXISTS on the active interventions.
- `reassign` (team leaders): gives one or several cases to another caseworker of the team
  through `case_services.change_caseworker`, one set of letters per case, all or nothing.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from trappen.cases.access import visible_cases
from trappen.cases.case_services import CaseError, change_caseworker
from trappen.cases.models import Case, Intervention
from trappen.cases.services import active_intervention_q
from trappen.core import audit
from trappen.core.models import AuditAction, Role, User
from trappen.core.vocabulary import Step
from trappen.people.models import Child

PAGE_SIZE = 50
SOON_DAYS = 14
LIST_PURPOSE = "Sagsoversigt"
NONE = "ingen"
STEP_LABELS = dict(Step.choices)


class Light(StrEnum):
    RED = "roed"
    YELLOW = "gul"
    GREEN = "groen"
    NONE = NONE

    @property
    def label(self) -> str:
        return LIGHT_LABELS[self]

    @property
    def badge(self) -> str:
        return LIGHT_BADGES[self]


LIGHT_VALUES = frozenset(light.value for light in Light)
LIGHT_LABELS = {
    Light.RED: "Overskredet",
    Light.YELLOW: f"Inden for {SOON_DAYS} dage",
    Light.GREEN: "Senere",
    Light.NONE: "Ingen frist",
}
LIGHT_BADGES = {
    Light.RED: "badge-error",
    Light.YELLOW: "badge-warning",
    Light.GREEN: "badge-success",
    Light.NONE: "",
}


def light_for(due: datetime.date | None, today: datetime.date) -> Light:
    if due is None:
        return Light.NONE
    if due < today:
        return Light.RED
    if due <= today + datetime.timedelta(days=SOON_DAYS):
        return Light.YELLOW
    return Light.GREEN


# --- who -------------------------------------------------------------------------------------


def may_view(user: User) -> bool:
    return user.is_authenticated and (
        user.has_role(Role.CASEWORKER) or user.has_role(Role.TEAM_LEADER)
    )


def may_reassign(user: User) -> bool:
    return user.is_authenticated and bool(user.unit_ids(Role.TEAM_LEADER))


def caseload_team_ids(user: User) -> list[int]:
    return sorted(set(user.unit_ids(Role.CASEWORKER)) | set(user.unit_ids(Role.TEAM_LEADER)))


def reading_role(user: User) -> str:
    return Role.CASEWORKER if user.has_role(Role.CASEWORKER) else Role.TEAM_LEADER


def caseworker_choices(user: User) -> QuerySet:
    """The caseworkers of the user's teams (the filter's and the reassignment's choices)."""
    return _caseworkers_of(user.municipality_id, caseload_team_ids(user))


def _caseworkers_of(municipality_id: int | None, team_ids: list[int]) -> QuerySet:
    return (
        User.objects.filter(
            role_assignments__role=Role.CASEWORKER,
            role_assignments__unit_id__in=team_ids,
            municipality_id=municipality_id,
            is_active=True,
        )
        .distinct()
        .only("first_name", "last_name", "username")
        .order_by("first_name", "last_name", "pk")
    )


def caseworker_options(user: User) -> list[tuple[int, str]]:
    """(id, name) of `caseworker_choices`, for the filter's and the reassignment's selects.

    The statement depends on the teams and the municipality only, so it is compiled once per
    those (the ORM's compiling of the join cost more than running it).
    """
    sql, params = _choices_sql(
        connection.vendor, user.municipality_id, tuple(caseload_team_ids(user))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, _user_label(*names)) for pk, *names in cursor.fetchall()]


@functools.lru_cache(maxsize=256)
def _choices_sql(
    vendor: str, municipality_id: int | None, team_ids: tuple[int, ...]
) -> tuple[str, tuple]:
    """The compiled statement (`vendor`: the database's, part of the cache's key only)."""
    qs = _caseworkers_of(municipality_id, list(team_ids))
    qs = qs.values_list("pk", "first_name", "last_name", "username")
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def _user_label(first_name: str, last_name: str, username: str) -> str:
    """As str(User): the full name, else the username."""
    return f"{first_name} {last_name}".strip() or username


# --- filters and order -----------------------------------------------------------------------

SORTS = {
    "frist": "Næste frist",
    "barn": "Barn",
    "raadgiver": "Rådgiver",
    "oprettet": "Oprettet (nyeste først)",
}
SCOPES = {"mine": "Mine sager", "team": "Hele teamet"}


@dataclass(frozen=True)
class CaseloadFilters:
    """What the GET (or a POST's hidden fields) asks for; anything unknown falls back quietly."""

    scope: str = "team"
    sort: str = "frist"
    caseworker: int | str | None = None  # a user id, NONE (no caseworker) or None (all)
    light: Light | None = None
    step: int | str | None = None  # 0-5, NONE (no active intervention) or None (all)

    @classmethod
    def from_query(cls, query: Mapping, user: User) -> CaseloadFilters:
        is_caseworker = user.has_role(Role.CASEWORKER)
        scope = _text(query, "visning")
        if scope not in SCOPES or not is_caseworker:
            scope = "mine" if is_caseworker else "team"
        sort = _text(query, "sorter")
        light = _text(query, "lys")
        return cls(
            scope=scope,
            sort=sort if sort in SORTS else "frist",
            caseworker=_id_or_none(_text(query, "raadgiver")),
            light=Light(light) if light in LIGHT_VALUES else None,
            step=_step(_text(query, "trin")),
        )

    def as_params(self) -> dict[str, str]:
        params = {"visning": self.scope, "sorter": self.sort}
        if self.caseworker is not None:
            params["raadgiver"] = str(self.caseworker)
        if self.light is not None:
            params["lys"] = self.light.value
        if self.step is not None:
            params["trin"] = str(self.step)
        return params

    @property
    def narrowed(self) -> bool:
        return any(v is not None for v in (self.caseworker, self.light, self.step))


def _text(query: Mapping, name: str) -> str:
    value = query.get(name, "")
    return value.strip()[:20] if isinstance(value, str) else ""


def _id_or_none(value: str) -> int | str | None:
    if value == NONE:
        return NONE
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _step(value: str) -> int | str | None:
    if value == NONE:
        return NONE
    if value.isascii() and value.isdigit() and int(value) in STEP_LABELS:
        return int(value)
    return None


# --- the query -------------------------------------------------------------------------------


CASE_FIELDS = (
    "pk",
    "opened_on",
    "child_id",
    "child__first_name",
    "child__last_name",
    "child__birth_date",
    "caseworker_id",
    "caseworker__first_name",
    "caseworker__last_name",
    "caseworker__username",
)


class CaseRecord(NamedTuple):
    """One open case as the caseload shows it (`CASE_FIELDS`, then its stored deadlines, its
    current step and its stored next deadline)."""

    pk: int
    opened_on: datetime.date
    child_id: int
    child_first_name: str
    child_last_name: str
    child_birth_date: datetime.date
    caseworker_id: int | None
    caseworker_first_name: str | None
    caseworker_last_name: str | None
    caseworker_username: str | None
    investigation_due: datetime.date | None
    follow_up_due: datetime.date | None
    plan_due: datetime.date | None
    current_step: int | None
    next_due: datetime.date | None


def scoped_cases(user: User, filters: CaseloadFilters) -> QuerySet:
    """The open cases `user` sees in the chosen scope and of the chosen caseworker."""
    qs = visible_cases(user).filter(closed_on__isnull=True)
    if filters.scope == "mine":
        qs = qs.filter(caseworker=user)
    else:
        qs = qs.filter(team_id__in=caseload_team_ids(user))
    if filters.caseworker == NONE:
        qs = qs.filter(caseworker__isnull=True)
    elif filters.caseworker is not None:
        qs = qs.filter(caseworker_id=filters.caseworker)
    return qs


def _step_q(step: int | str | None, today: datetime.date) -> Q | None:
    """The step filter as a condition on the case: its current step (the highest step of its
    active interventions, `services.current_step`) is `step`, or it has none (NONE)."""
    if step is None:
        return None
    active = Intervention.objects.filter(active_intervention_q(today), case=OuterRef("pk"))
    if step == NONE:
        return ~Exists(active)
    return Exists(active.filter(step=step)) & ~Exists(active.filter(step__gt=step))


def _light_q(light: Light | None, today: datetime.date) -> Q | None:
    """The light filter as a range of the stored next deadline (the rule of `light_for`)."""
    soon = today + datetime.timedelta(days=SOON_DAYS)
    return {
        None: None,
        Light.RED: Q(next_due_on__lt=today),
        Light.YELLOW: Q(next_due_on__gte=today, next_due_on__lte=soon),
        Light.GREEN: Q(next_due_on__gt=soon),
        Light.NONE: Q(next_due_on__isnull=True),
    }[light]


def filtered_cases(user: User, filters: CaseloadFilters, today: datetime.date) -> QuerySet:
    """The scope's open cases that pass the light and step filters, in no order."""
    qs = scoped_cases(user, filters)
    for condition in (_light_q(filters.light, today), _step_q(filters.step, today)):
        if condition is not None:
            qs = qs.filter(condition)
    return qs


# The orders, as the database sorts them: the next deadline (none last), the child's name, the
# caseworker's name (none last), or the newest first; the case's id last, so the order is total.
# Names are compared in lower case; "x IS NULL" first puts the NULLs last on every database.
ORDERS = {
    "frist": (
        "{case}.{next_due} IS NULL",
        "{case}.{next_due}",
        "LOWER({child}.{first_name})",
        "LOWER({child}.{last_name})",
        "{case}.{id}",
    ),
    "barn": ("LOWER({child}.{first_name})", "LOWER({child}.{last_name})", "{case}.{id}"),
    "raadgiver": (
        "{case}.{caseworker_fk} IS NULL",
        "LOWER({worker}.{first_name})",
        "LOWER({worker}.{last_name})",
        "{case}.{next_due} IS NULL",
        "{case}.{next_due}",
        "{case}.{id}",
    ),
    "oprettet": ("{case}.{opened_on} DESC", "{case}.{id}"),
}


def _names() -> dict[str, str]:
    """Quoted table and column names for the hand-written statement, from the models."""
    qn = connection.ops.quote_name
    names = {
        "case": qn(Case._meta.db_table),
        "child": qn(Child._meta.db_table),
        "intervention": qn(Intervention._meta.db_table),
        "user_table": qn(User._meta.db_table),
        "worker": "worker",  # the caseworker's alias: first and last names as the child's
        "child_pk": qn(Child._meta.pk.column),
        "user_pk": qn(User._meta.pk.column),
        "case_fk": qn(Intervention._meta.get_field("case").column),
        "next_due": qn(Case._meta.get_field("next_due_on").column),
        "child_fk": qn(Case._meta.get_field("child").column),
        "caseworker_fk": qn(Case._meta.get_field("caseworker").column),
    }
    for model, fields in (
        (Case, ("id", "opened_on")),
        (Case, ("investigation_due_on", "follow_up_due_on", "plan_due_on")),
        (Child, ("first_name", "last_name", "birth_date")),
        (User, ("username",)),
        (Intervention, ("step", "start_on", "end_on")),
    ):
        names.update((name, qn(model._meta.get_field(name).column)) for name in fields)
    return names


# The page's columns, in the order of CaseRecord. The current step changes with the calendar
# (an intervention starts or ends on a day, not with a write), so it is not stored: a scalar
# subquery reads it for the rows read, the rule of `active_intervention_q` (started on or before
# today, not ended before it) and `services.current_step` (the highest step).
_PAGE_SQL = (
    "SELECT {case}.{id}, {case}.{opened_on}, {case}.{child_fk}, {child}.{first_name},"
    " {child}.{last_name}, {child}.{birth_date}, {case}.{caseworker_fk}, {worker}.{first_name},"
    " {worker}.{last_name}, {worker}.{username}, {case}.{investigation_due_on},"
    " {case}.{follow_up_due_on}, {case}.{plan_due_on},"
    " (SELECT MAX(i.{step}) FROM {intervention} i WHERE i.{case_fk} = {case}.{id}"
    " AND i.{start_on} <= %s AND (i.{end_on} IS NULL OR i.{end_on} >= %s)),"
    " {case}.{next_due}"
    " FROM {case} INNER JOIN {child} ON {child}.{child_pk} = {case}.{child_fk}"
    " LEFT OUTER JOIN {user_table} {worker} ON {worker}.{user_pk} = {case}.{caseworker_fk}"
    " WHERE {case}.{id} IN ({scope}) ORDER BY {order}"
)
_statements: dict[tuple[str, str], str] = {}


def _page_sql(sort: str) -> str:
    """The page's statement for `sort`, built once ({scope} left to fill)."""
    key = (connection.vendor, sort)
    if key not in _statements:
        names = _names()
        order = ", ".join(part.format(**names) for part in ORDERS[sort])
        _statements[key] = _PAGE_SQL.format(**names, order=order, scope="{scope}")
    return _statements[key]


_DATES = (1, 5, 10, 11, 12, 14)  # the date columns of a CaseRecord


def _record(row: tuple) -> CaseRecord:
    """A row as a CaseRecord; SQLite answers dates as ISO text, PostgreSQL as dates."""
    values = list(row)
    for i in _DATES:
        if isinstance(values[i], str):
            values[i] = datetime.date.fromisoformat(values[i])
    return CaseRecord._make(values)


class CaseRecords:
    """The scope's cases in the chosen order, read a slice at a time (what Paginator needs:
    `count()` and slicing), as `CaseRecord`s.

    The scope is the ORM's (`filtered_cases`: the access rule, the scope and the filters),
    compiled once and placed in the WHERE of a hand-written statement that reads the page's
    columns in order. Compiling the same through the ORM, with the joins, the order and the
    step subquery, and the COUNT beside it, cost about 3 ms a request: more than running all of
    the page's queries.
    """

    def __init__(self, filtered: QuerySet, sort: str, today: datetime.date):
        query = filtered.order_by().values("pk").query
        self.scope_sql, self.scope_params = query.sql_with_params()
        self.sort = sort if sort in ORDERS else "frist"
        self.today = connection.ops.adapt_datefield_value(today)

    def count(self) -> int:
        with connection.cursor() as cursor:
            sql = f"SELECT COUNT(*) FROM ({self.scope_sql}) scope"  # noqa: S608 (compiled by the ORM)
            cursor.execute(sql, self.scope_params)
            return cursor.fetchone()[0]

    def __getitem__(self, window: slice) -> list[CaseRecord]:
        sql = _page_sql(self.sort).replace("{scope}", self.scope_sql)
        params = [self.today, self.today, *self.scope_params]
        if window.stop is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [window.stop - (window.start or 0), window.start or 0]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [_record(row) for row in cursor.fetchall()]


def caseload(
    user: User, filters: CaseloadFilters, *, today: datetime.date | None = None
) -> list[CaseRecord]:
    """Every open case `user` sees with `filters`, in the chosen order (the page reads only
    its own rows; see `caseload_page`)."""
    today = today or timezone.localdate()
    return CaseRecords(filtered_cases(user, filters, today), filters.sort, today)[0:None]


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    case: CaseRecord
    child: str
    age: int
    caseworker: str
    step: str
    light: Light
    deadline_kind: str  # "Børnefaglig undersøgelse", "Opfølgning", "Barnets plan" or ""


DEADLINE_KINDS = (
    ("investigation_due", "Børnefaglig undersøgelse"),
    ("follow_up_due", "Opfølgning"),
    ("plan_due", "Barnets plan"),
)


def _age(birth: datetime.date, today: datetime.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def caseload_row(record: CaseRecord, today: datetime.date) -> CaseloadRow:
    kind = next(
        (label for name, label in DEADLINE_KINDS if getattr(record, name) == record.next_due),
        "",
    )
    worker = ""
    if record.caseworker_id:  # as str(User): the full name, else the username
        full = f"{record.caseworker_first_name} {record.caseworker_last_name}".strip()
        worker = full or record.caseworker_username or ""
    step = record.current_step
    return CaseloadRow(
        case=record,
        child=f"{record.child_first_name} {record.child_last_name}",
        age=_age(record.child_birth_date, today),
        caseworker=worker,
        step=f"{step}: {STEP_LABELS[step]}" if step is not None else "",
        light=light_for(record.next_due, today),
        deadline_kind=kind if record.next_due else "",
    )


@dataclass(frozen=True)
class CaseloadPage:
    page: Page
    rows: list[CaseloadRow]
    filters: CaseloadFilters


def caseload_page(
    user: User,
    filters: CaseloadFilters,
    page_number: object = 1,
    *,
    today: datetime.date | None = None,
) -> CaseloadPage:
    """One page of the caseload, ready to show; the children shown are logged (one write)."""
    today = today or timezone.localdate()
    records = CaseRecords(filtered_cases(user, filters, today), filters.sort, today)
    page = Paginator(records, PAGE_SIZE).get_page(page_number)
    rows = [caseload_row(r, today) for r in page.object_list]
    audit.record_many(
        user,
        [
            audit.AuditEntry(AuditAction.VIEW, "cases.case", str(r.pk), r.child_id, LIST_PURPOSE)
            for r in page.object_list
        ],
        role=reading_role(user),
    )
    return CaseloadPage(page, rows, filters)


# --- reassignment ------------------------------------------------------------------------------


def reassign(
    case_ids: Iterable[int], new_caseworker: User, *, acting_user: User, reason: str = ""
) -> int:
    """Give the cases to `new_caseworker` (a team leader's bulk reassignment); how many changed.

    Only open cases of teams `acting_user` leads. All or nothing: when one case cannot go to
    the caseworker (not of its team), none does. Each changed case sends its own letters.
    """
    if not may_reassign(acting_user):
        raise PermissionDenied
    ids = set(case_ids)
    if not ids:
        raise CaseError("Vælg mindst én sag.")
    with transaction.atomic():
        cases = list(
            Case.objects.filter(
                pk__in=ids,
                team_id__in=acting_user.unit_ids(Role.TEAM_LEADER),
                municipality_id=acting_user.municipality_id,
                closed_on__isnull=True,
            ).order_by("pk")
        )
        if len(cases) != len(ids):
            raise CaseError(
                "En eller flere af de valgte sager findes ikke, er lukket, "
                "eller du kan ikke fordele dem. Intet er ændret."
            )
        changed = 0
        for case in cases:
            try:
                result = change_caseworker(
                    case, new_caseworker, acting_user=acting_user, reason=reason
                )
            except CaseError as refused:
                raise CaseError(f"{refused} Intet er ændret.") from None
            changed += result is not None
    return changed
