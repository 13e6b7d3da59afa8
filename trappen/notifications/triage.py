"""The caseworker team's inbox of notifications: who sees which, the filters, assignment, claiming.

- `visible_notifications(user)` (from notifications/access.py, the one place that decides who
  may work on a notification): a caseworker sees the notifications of the own teams and those
  assigned to him or her; a team leader those of the teams led and the untriaged ones; nobody
  else any (a professional sees the own submissions on another page).
- `inbox(user, filters)`: the visible ones, filtered, with the deadline that comes next first.
- `assign(...)` (bulk, one POST) and `claim(...)` ("Tag sagen") are the two writes. A claim locks
  the row, so of two caseworkers claiming at once exactly one wins.

The deadlines are stored on the notification when it is received (core.calendar): the
assessment within 24 hours and the receipt to a professional notifier within 6 working days,
both Barnets Lov § 136 (docs/legal.md).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import ClassVar, NamedTuple

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from trappen.core import audit, calendar
from trappen.core.access import team_ids_led_by
from trappen.core.models import AuditAction, Role, User
from trappen.core.vocabulary import ConcernLevel
from trappen.notifications.access import visible_notifications
from trappen.notifications.inbox_records import InboxRows
from trappen.notifications.models import (
    EventKind,
    Notification,
    NotificationEvent,
    NotificationStatus,
    ReporterKind,
)

PAGE_SIZE = 50
ASSESSMENT_SOON = datetime.timedelta(hours=4)
RECEIPT_SOON = datetime.timedelta(days=1)
LIST_PURPOSE = "Underretningsliste"
# What a row shows (loading the whole record, sixty columns, costs more than the page renders).
ROW_FIELDS = (
    "received_at",
    "reporter_kind",
    "child_id",
    "child__first_name",
    "child__last_name",
    "child_name",
    "child_birth_date",
    "is_repeat",
    "level",
    "acute",
    "danger",
    "team_id",
    "assigned_to_id",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__username",
    "status",
    "assessment_due_at",
    "assessed_at",
    "receipt_due_on",
    "receipt_sent_at",
)
REPORTER_LABELS = dict(ReporterKind.choices)
STATUS_LABELS = dict(NotificationStatus.choices)
LEVEL_LABELS = dict(ConcernLevel.choices)
GETS_RECEIPT = frozenset(ReporterKind.professional())


class AssignmentRefused(ValueError):
    """An assignment that breaks a rule; the message is Danish, for the user."""


# --- who sees what --------------------------------------------------------------------------


def may_triage(user: User) -> bool:
    """Caseworkers and team leaders work the inbox."""
    return user.is_authenticated and bool(
        user.has_role(Role.CASEWORKER) or user.has_role(Role.TEAM_LEADER)
    )


def triage_team_ids(user: User) -> list[int]:
    """The teams whose notifications `user` may assign: own caseworker teams and teams led."""
    return sorted(set(user.unit_ids(Role.CASEWORKER)) | set(team_ids_led_by(user)))


def reading_role(user: User) -> str:
    return Role.CASEWORKER if user.has_role(Role.CASEWORKER) else Role.TEAM_LEADER


def assigning_role(user: User) -> str:
    return Role.TEAM_LEADER if team_ids_led_by(user) else Role.CASEWORKER


def caseworker_choices(user: User) -> QuerySet:
    """The caseworkers `user` may assign notifications to: those of the user's teams."""
    return _caseworkers_of(user.municipality_id, triage_team_ids(user))


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
    """(pk, name) of `caseworker_choices`, for the assignment form's select. The statement
    depends on the teams and the municipality only, so it is compiled once per those (the
    ORM's compiling of the join cost more than running it)."""
    sql, params = _options_sql(
        connection.vendor, user.municipality_id, tuple(triage_team_ids(user))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = cursor.fetchall()
    return [(pk, _user_label(first, last, username)) for pk, first, last, username in names]


@functools.lru_cache(maxsize=256)
def _options_sql(
    vendor: str, municipality_id: int | None, team_ids: tuple[int, ...]
) -> tuple[str, tuple]:
    """The compiled statement (`vendor`: the database's, part of the cache's key only)."""
    names = _caseworkers_of(municipality_id, list(team_ids)).values_list(
        "pk", "first_name", "last_name", "username"
    )
    sql, params = names.query.sql_with_params()
    return sql, tuple(params)


# --- filters and order ----------------------------------------------------------------------


@dataclass(frozen=True)
class InboxFilters:
    """The inbox's filters; each narrows the list, and they combine (all must hold)."""

    new: bool = False
    mine: bool = False
    breached: bool = False
    repeat: bool = False
    acute: bool = False
    include_decided: bool = False

    # Query parameter names (Danish, they show in the address bar) and labels.
    PARAMS: ClassVar[dict[str, tuple[str, str]]] = {
        "new": ("ny", "Nye (ikke vurderet)"),
        "mine": ("mine", "Fordelt til mig"),
        "breached": ("overskredet", "Overskredet frist"),
        "repeat": ("gentagen", "Gentagne underretninger"),
        "acute": ("akut", "Akutte"),
        "include_decided": ("afgjorte", "Vis også afgjorte"),
    }

    @classmethod
    def from_query(cls, query: Mapping) -> InboxFilters:
        """Parse GET or POST parameters; anything but a clear "on" is off, nothing is an error."""
        values = {}
        for f in fields(cls):
            raw = query.get(cls.PARAMS[f.name][0], "")
            values[f.name] = isinstance(raw, str) and raw.strip().lower() in {"1", "on", "true"}
        return cls(**values)

    def as_params(self) -> dict[str, str]:
        return {self.PARAMS[f.name][0]: "1" for f in fields(self) if getattr(self, f.name)}

    def choices(self) -> list[tuple[str, str, bool]]:
        """(parameter, label, checked) per filter, for the filter form."""
        return [(*self.PARAMS[f.name], getattr(self, f.name)) for f in fields(self)]


def breached_q(now: datetime.datetime) -> Q:
    """A deadline has passed and was not met: still not done, or done after it."""
    today = calendar.local_date(now)
    assessment = Q(assessed_at__isnull=True, assessment_due_at__lt=now) | Q(
        assessed_at__gt=F("assessment_due_at")
    )
    receipt = Q(receipt_sent_at__isnull=True, receipt_due_on__lt=today) | Q(
        receipt_sent_at__date__gt=F("receipt_due_on")
    )
    feedback = Q(feedback_sent_at__isnull=True, feedback_due_on__lt=today) | Q(
        feedback_sent_at__date__gt=F("feedback_due_on")
    )
    return assessment | receipt | feedback


def inbox(user: User, filters: InboxFilters, *, now: datetime.datetime | None = None) -> QuerySet:
    """The user's inbox: notifications awaiting the 24-hour assessment first, each group by its
    assessment deadline, then by the receipt deadline."""
    return (
        _filtered(user, filters, now or timezone.now())
        .select_related("child", "assigned_to")
        .only(*ROW_FIELDS)
        .order_by(*_inbox_order())
    )


def _filtered(user: User, filters: InboxFilters, now: datetime.datetime) -> QuerySet:
    """The notifications `user` may work on that pass the filters, in no order."""
    qs = visible_notifications(user)
    if not filters.include_decided:
        qs = qs.exclude(status=NotificationStatus.DECIDED)
    if filters.new:
        qs = qs.filter(status=NotificationStatus.NEW)
    if filters.mine:
        qs = qs.filter(assigned_to=user)
    if filters.breached:
        qs = qs.filter(breached_q(now))
    if filters.repeat:
        qs = qs.filter(is_repeat=True)
    if filters.acute:
        qs = qs.filter(Q(acute=True) | Q(danger=True))
    return qs


def _inbox_order() -> tuple:
    awaiting_assessment = Case(
        When(assessed_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        awaiting_assessment,
        "assessment_due_at",
        F("receipt_due_on").asc(nulls_last=True),
        "received_at",
        "pk",
    )


# --- the count-down -------------------------------------------------------------------------


class ClockState(StrEnum):
    OK = "ok"
    SOON = "soon"
    BREACHED = "breached"


BADGES = {ClockState.OK: "badge-info", ClockState.SOON: "badge-warning"}


@dataclass(frozen=True)
class TimeLeft:
    text: str  # "om 3 t 20 min", "overskredet med 2 t"
    state: ClockState
    due: datetime.datetime

    @property
    def badge(self) -> str:
        """The DKFDS badge class for the state."""
        return BADGES.get(self.state, "badge-error")

    @property
    def due_iso(self) -> str:
        return self.due.isoformat()

    @property
    def due_text(self) -> str:
        local = calendar.to_local(self.due)
        return f"{local.day}.{local.month}. {local:%H:%M}"


def time_left(
    due: datetime.datetime, now: datetime.datetime, *, soon: datetime.timedelta = ASSESSMENT_SOON
) -> TimeLeft:
    """How long until `due`, in Danish, and whether it is ok, soon or breached."""
    remaining = due - now
    if remaining < datetime.timedelta(0):
        return TimeLeft(f"overskredet med {_duration(-remaining)}", ClockState.BREACHED, due)
    state = ClockState.SOON if remaining <= soon else ClockState.OK
    return TimeLeft(f"om {_duration(remaining)}", state, due)


def _duration(span: datetime.timedelta) -> str:
    minutes = int(span.total_seconds()) // 60
    hours, mins = divmod(minutes, 60)
    if hours >= 48:
        return f"{hours // 24} dage"
    if hours:
        return f"{hours} t {mins} min" if mins else f"{hours} t"
    return f"{mins} min" if mins else "under 1 min"


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of a Copenhagen calendar day: a deadline "on" a date ends then."""
    next_day = day + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time.min, tzinfo=calendar.COPENHAGEN)


# --- the page -------------------------------------------------------------------------------

LEVEL_BADGES = {1: "badge-success", 2: "badge-warning", 3: "badge-warning"}


class InboxRecord(NamedTuple):
    """The columns of one inbox row, read as a tuple (`values_list(*ROW_FIELDS)` with the pk
    first): for 50 rows, model instances of the notification, its child and its caseworker cost
    more than the rest of the row. Attribute names as on Notification where they exist."""

    pk: int
    received_at: datetime.datetime
    reporter_kind: str
    child_id: int | None
    child_first_name: str | None
    child_last_name: str | None
    child_name: str
    child_birth_date: datetime.date | None
    is_repeat: bool
    level: int | None
    acute: bool
    danger: bool | None
    team_id: int | None
    assigned_to_id: int | None
    assigned_first_name: str | None
    assigned_last_name: str | None
    assigned_username: str | None
    status: str
    assessment_due_at: datetime.datetime
    assessed_at: datetime.datetime | None
    receipt_due_on: datetime.date | None
    receipt_sent_at: datetime.datetime | None

    @classmethod
    def of(cls, n: Notification) -> InboxRecord:
        """The record of a loaded notification (its child and caseworker are read if set)."""
        child = n.child if n.child_id is not None else None
        worker = n.assigned_to if n.assigned_to_id is not None else None
        return cls(
            n.pk,
            n.received_at,
            n.reporter_kind,
            n.child_id,
            child and child.first_name,
            child and child.last_name,
            n.child_name,
            n.child_birth_date,
            n.is_repeat,
            n.level,
            n.acute,
            n.danger,
            n.team_id,
            n.assigned_to_id,
            worker and worker.first_name,
            worker and worker.last_name,
            worker and worker.username,
            n.status,
            n.assessment_due_at,
            n.assessed_at,
            n.receipt_due_on,
            n.receipt_sent_at,
        )


@dataclass(frozen=True, slots=True)
class InboxRow:
    """A notification as the inbox shows it, its texts ready (the page renders fast)."""

    n: InboxRecord
    child_label: str
    received: str
    reporter: str
    status: str
    assigned_to: str
    assessment: TimeLeft | None  # None once assessed
    assessed: str  # "Vurderet 12.3.2025 10:00", once assessed
    assessed_late: bool
    gets_receipt: bool
    receipt: TimeLeft | None  # None when sent, or when the notifier gets no receipt
    receipt_due: str
    receipt_sent: str
    can_claim: bool

    @property
    def level_badge(self) -> str:
        return LEVEL_BADGES.get(self.n.level, "badge-error")

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.n.level, "") if self.n.level else ""


def _date(value: datetime.date | None) -> str:
    return f"{value.day}.{value.month}.{value.year}" if value else ""


def _moment(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    local = calendar.to_local(value)
    return f"{_date(local)} {local:%H:%M}"


def child_label(n: InboxRecord) -> str:
    """The child's name, or what the notifier told when the child is not matched; never a CPR."""
    if n.child_id is not None:
        return f"{n.child_first_name} {n.child_last_name}"  # as Child.full_name
    name = n.child_name or "uden navn"
    born = f"født {_date(n.child_birth_date)}" if n.child_birth_date else "fødselsdato ukendt"
    return f"Ukendt barn: {name}, {born}"


def _user_label(first_name: str, last_name: str, username: str) -> str:
    """As str(User): the full name, else the username."""
    return f"{first_name} {last_name}".strip() or username


def inbox_row(
    n: InboxRecord | Notification, now: datetime.datetime, claim_teams: set[int]
) -> InboxRow:
    if isinstance(n, Notification):
        n = InboxRecord.of(n)
    gets_receipt = n.reporter_kind in GETS_RECEIPT and n.receipt_due_on is not None
    receipt = None
    if gets_receipt and n.receipt_sent_at is None:
        receipt = time_left(end_of_day(n.receipt_due_on), now, soon=RECEIPT_SOON)
    assessed_at = n.assessed_at
    return InboxRow(
        n=n,
        child_label=child_label(n),
        received=_moment(n.received_at),
        reporter=REPORTER_LABELS.get(n.reporter_kind, n.reporter_kind),
        status=STATUS_LABELS.get(n.status, n.status),
        assigned_to=_user_label(n.assigned_first_name, n.assigned_last_name, n.assigned_username)
        if n.assigned_to_id
        else "",
        assessment=None if assessed_at else time_left(n.assessment_due_at, now),
        assessed=f"Vurderet {_moment(assessed_at)}" if assessed_at else "",
        assessed_late=bool(assessed_at and assessed_at > n.assessment_due_at),
        gets_receipt=gets_receipt,
        receipt=receipt,
        receipt_due=f"senest {_date(n.receipt_due_on)}" if n.receipt_due_on else "",
        receipt_sent=f"Sendt {_date(calendar.local_date(n.receipt_sent_at))}"
        if n.receipt_sent_at
        else "",
        can_claim=n.assigned_to_id is None and n.team_id in claim_teams,
    )


@dataclass(frozen=True)
class InboxPage:
    page: Page
    rows: list[InboxRow]
    filters: InboxFilters


def inbox_page(
    user: User,
    filters: InboxFilters,
    page_number: object = 1,
    *,
    now: datetime.datetime | None = None,
) -> InboxPage:
    """One page of the inbox, its rows ready to show; the read is logged (one audit call)."""
    now = now or timezone.now()
    # The page's rows through one hand-written statement around the ORM's scope (inbox_records).
    page = Paginator(InboxRows(_filtered(user, filters, now)), PAGE_SIZE).get_page(page_number)
    page.object_list = [InboxRecord._make(values) for values in page.object_list]
    claim_teams = set(user.unit_ids(Role.CASEWORKER))
    rows = [inbox_row(n, now, claim_teams) for n in page.object_list]
    log_list(user, page.object_list)
    return InboxPage(page, rows, filters)


def log_list(user: User, notifications: list[InboxRecord]) -> None:
    """One audit event per notification shown (one lock, one insert)."""
    audit.record_many(
        user,
        [_entry(n, AuditAction.VIEW, LIST_PURPOSE) for n in notifications],
        role=reading_role(user),
    )


def _entry(n: Notification | InboxRecord, action: str, purpose: str) -> audit.AuditEntry:
    return audit.AuditEntry(action, "notifications.notification", str(n.pk), n.child_id, purpose)


# --- the writes -----------------------------------------------------------------------------


def assign(
    notification_ids: Iterable[int],
    caseworker: User,
    *,
    acting_user: User,
    now: datetime.datetime | None = None,
) -> int:
    """Assign the notifications to `caseworker`, who must be a caseworker of each one's team.

    All or nothing; a constant number of queries however many rows. Returns how many changed
    hands (rows already with `caseworker` are left alone).
    """
    ids = set(notification_ids)
    if not may_triage(acting_user):
        raise PermissionDenied
    if not ids:
        raise AssignmentRefused("Vælg mindst én underretning.")
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update()
            .filter(_assignable_q(acting_user), pk__in=ids)
            .only("pk", "team_id", "child_id", "assigned_to_id")
        )
        if len(rows) != len(ids):
            raise AssignmentRefused(
                "En eller flere af de valgte underretninger findes ikke, "
                "eller du kan ikke fordele dem."
            )
        team_for_untriaged = _check_caseworker_of(caseworker, rows, acting_user)
        changed = [n for n in rows if n.assigned_to_id != caseworker.pk or n.team_id is None]
        changed_ids = [n.pk for n in changed]
        Notification.objects.filter(pk__in=changed_ids).update(
            assigned_to=caseworker, assigned_at=now
        )
        if team_for_untriaged is not None:
            Notification.objects.filter(pk__in=changed_ids, team__isnull=True).update(
                team_id=team_for_untriaged
            )
        note = f"Fordelt til {caseworker}"
        NotificationEvent.objects.bulk_create(
            NotificationEvent(
                notification=n,
                occurred_at=now,
                kind=EventKind.ASSIGNED,
                actor=acting_user,
                note=note,
            )
            for n in changed
        )
        audit.record_many(
            acting_user,
            [_entry(n, AuditAction.UPDATE, "Underretning fordelt") for n in changed],
            role=assigning_role(acting_user),
        )
    return len(changed)


def _assignable_q(user: User) -> Q:
    """The notifications `user` may assign: those of the own teams; for a team leader also the
    untriaged ones (no team yet)."""
    q = Q(team_id__in=triage_team_ids(user))
    if team_ids_led_by(user):
        q |= Q(team__isnull=True)
    return q & Q(municipality_id=user.municipality_id)


def _check_caseworker_of(
    caseworker: User, rows: list[Notification], acting_user: User
) -> int | None:
    """Refuse unless `caseworker` is a caseworker of every row's team. Untriaged rows go to the
    caseworker's team that the acting team leader leads; returns that team's id, if needed."""
    teams = set(
        caseworker.role_assignments.filter(role=Role.CASEWORKER).values_list("unit_id", flat=True)
    )
    team_ids = {n.team_id for n in rows if n.team_id is not None}
    if caseworker.municipality_id != acting_user.municipality_id or not team_ids <= teams:
        raise AssignmentRefused(
            f"{caseworker} er ikke rådgiver i teamet for alle de valgte underretninger. "
            "Intet er fordelt."
        )
    if all(n.team_id is not None for n in rows):
        return None
    shared = sorted(teams & set(team_ids_led_by(acting_user)))
    if not shared:
        raise AssignmentRefused(
            f"{caseworker} er ikke rådgiver i et team, du er leder af. Intet er fordelt."
        )
    return shared[0]


def claim(notification_id: int, *, acting_user: User, now: datetime.datetime | None = None) -> bool:
    """Claim ("Tag sagen"): assign an unassigned notification of the own team to oneself.

    True when the notification is now the caller's, False when someone else holds it (also
    when that someone won a simultaneous claim: the row is locked, so exactly one wins).
    """
    if not acting_user.is_authenticated or not acting_user.has_role(Role.CASEWORKER):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        n = _lock_for_claim(acting_user, notification_id)
        if n is None:
            raise Http404("Underretningen findes ikke, eller du har ikke adgang.")
        if n.assigned_to_id is not None:
            return n.assigned_to_id == acting_user.pk
        Notification.objects.filter(pk=n.pk).update(assigned_to=acting_user, assigned_at=now)
        NotificationEvent.objects.create(
            notification=n,
            occurred_at=now,
            kind=EventKind.ASSIGNED,
            actor=acting_user,
            note=f"Taget af {acting_user}",
        )
        audit.record_many(
            acting_user, [_entry(n, AuditAction.UPDATE, "Underretning taget")], role=Role.CASEWORKER
        )
    return True


def _lock_for_claim(user: User, notification_id: int) -> Notification | None:
    """The notification, row-locked until the transaction ends, if it is of the user's teams."""
    own = Q(team_id__in=user.unit_ids(Role.CASEWORKER)) | Q(assigned_to=user)
    return (
        Notification.objects.select_for_update()
        .filter(own, pk=notification_id, municipality_id=user.municipality_id)
        .only("pk", "team_id", "child_id", "assigned_to_id")
        .first()
    )


def holder_name(notification_id: int) -> str:
    """Who holds the notification now (for the message to the one who lost a claim)."""
    n = Notification.objects.select_related("assigned_to").filter(pk=notification_id).first()
    return str(n.assigned_to) if n is not None and n.assigned_to else "en anden rådgiver"
