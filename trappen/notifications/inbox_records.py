"""The inbox's rows read with one hand-written statement around the ORM's scope.

Who sees which notification, and the filters, stay the ORM's (`triage._filtered`, built on
`access.visible_notifications`): that queryset is compiled once per request, to the ids of the
notifications in scope, and placed in the WHERE of two statements written here:

- the count, `SELECT COUNT(*) FROM (<scope>)`;
- the page: the scope's ids sorted by the inbox's order and cut to the page (only the ids and
  the order's columns go through the sort), then those notifications joined to their child and
  caseworker, in the same order.

Compiling the same through the ORM (a values_list with two joins and the order's CASE, and the
COUNT beside it) cost about 3 ms a request, and SQLite joined the child and the caseworker of
every notification in scope before sorting; see bench/README.md.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import QuerySet

from trappen.core.models import User
from trappen.notifications.models import Notification
from trappen.people.models import Child

# The order of triage._inbox_order: awaiting the assessment first, then by its deadline, the
# receipt's deadline (none last), the moment received, the id. Written out with literal 0 and 1.
ORDER = (
    "CASE WHEN {n}.{assessed_at} IS NULL THEN 0 ELSE 1 END",
    "{n}.{assessment_due_at}",
    "{n}.{receipt_due_on} IS NULL",
    "{n}.{receipt_due_on}",
    "{n}.{received_at}",
    "{n}.{id}",
)
# The columns of an InboxRecord, in its order: (table key, field name).
COLUMNS = (
    ("n", "id"),
    ("n", "received_at"),
    ("n", "reporter_kind"),
    ("n", "child"),
    ("c", "first_name"),
    ("c", "last_name"),
    ("n", "child_name"),
    ("n", "child_birth_date"),
    ("n", "is_repeat"),
    ("n", "level"),
    ("n", "acute"),
    ("n", "danger"),
    ("n", "team"),
    ("n", "assigned_to"),
    ("u", "first_name"),
    ("u", "last_name"),
    ("u", "username"),
    ("n", "status"),
    ("n", "assessment_due_at"),
    ("n", "assessed_at"),
    ("n", "receipt_due_on"),
    ("n", "receipt_sent_at"),
)
MODELS = {"n": Notification, "c": Child, "u": User}
_PAGE = (
    "SELECT {columns} FROM ({{scope}} ORDER BY {order} LIMIT %s OFFSET %s) shown"
    " INNER JOIN {n} ON {n}.{id} = shown.{id}"
    " LEFT OUTER JOIN {c_table} c ON c.{c_pk} = {n}.{child}"
    " LEFT OUTER JOIN {u_table} u ON u.{u_pk} = {n}.{assigned_to}"
    " ORDER BY {order}"
)
_statements: dict[str, str] = {}


def _page_sql() -> str:
    """The page's statement for this database, built once from the models' names."""
    if connection.vendor not in _statements:
        qn, meta = connection.ops.quote_name, Notification._meta
        names = {
            "n": qn(meta.db_table),
            "c_table": qn(Child._meta.db_table),
            "u_table": qn(User._meta.db_table),
            "c_pk": qn(Child._meta.pk.column),
            "u_pk": qn(User._meta.pk.column),
        }
        names.update((f.name, qn(f.column)) for f in meta.concrete_fields)
        names["id"] = qn(meta.pk.column)
        columns = ", ".join(
            f"{names['n'] if key == 'n' else key}.{qn(MODELS[key]._meta.get_field(name).column)}"
            for key, name in COLUMNS
        )
        order = ", ".join(part.format(**names) for part in ORDER)
        _statements[connection.vendor] = _PAGE.format(**names, columns=columns, order=order)
    return _statements[connection.vendor]


def _datetime(value):
    """SQLite answers the stored UTC time, naive (or as text where it lost the column's
    type); PostgreSQL an aware datetime already."""
    if value is None:
        return value
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _flag(value):
    return value if value is None else bool(value)


# Per column of an InboxRecord: how the database's value becomes the record's (None: as is).
_CONVERT = tuple(
    {
        "received_at": _datetime,
        "assessment_due_at": _datetime,
        "assessed_at": _datetime,
        "receipt_sent_at": _datetime,
        "child_birth_date": _date,
        "receipt_due_on": _date,
        "is_repeat": _flag,
        "acute": _flag,
        "danger": _flag,
    }.get(name)
    if key == "n"
    else None
    for key, name in COLUMNS
)


def _row(values: tuple) -> tuple:
    return tuple(v if f is None else f(v) for f, v in zip(_CONVERT, values, strict=True))


class InboxRows:
    """The notifications in scope, in the inbox's order, read a slice at a time (what a
    Paginator needs: `count()` and slicing), as tuples of InboxRecord's columns."""

    def __init__(self, scope: QuerySet):
        query = scope.order_by().values("id").query  # its column is named "id", unaliased
        self.scope_sql, self.scope_params = query.sql_with_params()

    def count(self) -> int:
        sql = f"SELECT COUNT(*) FROM ({self.scope_sql}) scope"  # noqa: S608 (compiled by the ORM)
        with connection.cursor() as cursor:
            cursor.execute(sql, self.scope_params)
            return cursor.fetchone()[0]

    def __getitem__(self, window: slice) -> list[tuple]:
        start = window.start or 0
        stop = window.stop if window.stop is not None else 2**62
        sql = _page_sql().replace("{scope}", self.scope_sql)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.scope_params, stop - start, start])
            return [_row(values) for values in cursor.fetchall()]
