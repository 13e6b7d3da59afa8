"""The legal clock's reminders and escalations (run by the worker and by `manage.py deadlines`).

`check_deadlines` looks at every open deadline of a notification (the 24-hour assessment, the
receipt and the feedback to a professional notifier), raises a reminder shortly before it falls
due and escalates it to the team leaders once it has passed. Each alert is a `DeadlineAlert`
row, unique per notification, deadline, level and recipient, so the check can run as often as
it likes: a second run raises nothing new. Each new alert also writes one timeline event and
one audit event (actor None: the system).

Who is alerted:
- a reminder goes to the notification's caseworker. A notification nobody owns (no caseworker,
  or one who has left) reminds the team leaders instead, since triage is theirs;
- an escalation goes to the team leaders of the notification's team, and to no one else;
- "the team leaders" are the active users with the team-leader role on the notification's team;
  when the notification has no team, or the team has no leader, every team leader of the
  notification's municipality, so a breached deadline always reaches someone.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from trappen.core import audit, calendar
from trappen.core.alerts import mark_own_alert_seen
from trappen.core.models import AuditAction, Municipality, Role, RoleAssignment, User
from trappen.notifications import services
from trappen.notifications.models import (
    AlertLevel,
    DeadlineAlert,
    DeadlineKind,
    EventKind,
    Notification,
    NotificationEvent,
)

logger = logging.getLogger(__name__)

# When a reminder is raised. These are Trappen's choices, not the law's (docs/legal.md):
# - the 24-hour assessment (barnets lov § 136): 4 hours before, so there is time to act on it
#   even when it falls due outside office hours;
ASSESSMENT_REMINDER = datetime.timedelta(hours=4)
# - the receipt to a professional notifier (6 working days, § 136): on the working day before
#   the last day, one day to send it by hand when the automatic letter failed;
RECEIPT_REMINDER_WORKING_DAYS = 1
# - the feedback to a professional notifier: 10 working days (two weeks) before its date.
FEEDBACK_REMINDER_WORKING_DAYS = 10

EVENT_KIND = {AlertLevel.REMINDER: EventKind.REMINDER, AlertLevel.ESCALATION: EventKind.ESCALATED}
DATE_DEADLINES = {DeadlineKind.RECEIPT: "receipt", DeadlineKind.FEEDBACK: "feedback"}
REMINDER_WORKING_DAYS = {
    DeadlineKind.RECEIPT: RECEIPT_REMINDER_WORKING_DAYS,
    DeadlineKind.FEEDBACK: FEEDBACK_REMINDER_WORKING_DAYS,
}


@dataclass(frozen=True)
class OpenDeadline:
    notification: Notification
    kind: DeadlineKind
    due_at: datetime.datetime  # the moment the deadline is breached
    breached: bool


@dataclass
class DeadlineCheckSummary:
    checked_at: datetime.datetime
    raised: Counter = field(default_factory=Counter)  # (DeadlineKind, AlertLevel) -> count
    receipts_retried: int = 0
    receipts_sent: int = 0
    receipts_failed: int = 0

    @property
    def reminders(self) -> int:
        return sum(n for (_, level), n in self.raised.items() if level == AlertLevel.REMINDER)

    @property
    def escalations(self) -> int:
        return sum(n for (_, level), n in self.raised.items() if level == AlertLevel.ESCALATION)

    def as_dict(self) -> dict:
        """A JSON-friendly summary (the task's return value)."""
        return {
            "checked_at": self.checked_at.isoformat(),
            "reminders": self.reminders,
            "escalations": self.escalations,
            "receipts_retried": self.receipts_retried,
            "receipts_sent": self.receipts_sent,
            "receipts_failed": self.receipts_failed,
        }


def check_deadlines(
    now: datetime.datetime | None = None, municipality: Municipality | None = None
) -> DeadlineCheckSummary:
    """Raise the reminders and escalations due at `now` (all municipalities, or one).

    First retries the receipt letter of every professional notifier whose receipt is near or
    overdue and not sent (`services.send_receipt` is idempotent), then, in one transaction with
    the notifications concerned locked (so two concurrent runs cannot both raise an alert),
    raises the alerts not raised before. Costs one query per deadline kind, not per notification
    (a receipt retry costs its own queries; receipts are normally sent at intake).
    """
    now = now or timezone.now()
    summary = DeadlineCheckSummary(checked_at=now)
    scope = _scope_for(now, municipality)
    _retry_receipts(now, scope, summary)
    with transaction.atomic():
        deadlines = list(_open_deadlines(now, scope))
        if deadlines:
            alerts = _new_alerts(deadlines, now, scope)
            _save(alerts, now)
            summary.raised.update((a.deadline, a.level) for a in alerts)
    return summary


# --- which deadlines are open and near ---


@dataclass(frozen=True)
class Scope:
    """The notifications to look at: one municipality or all, and how near counts as near."""

    base: QuerySet
    date_windows: dict[DeadlineKind, Q]
    assessment_window: Q


def _scope_for(now: datetime.datetime, municipality: Municipality | None) -> Scope:
    base = Notification.objects.all()
    if municipality is not None:
        base = base.filter(municipality=municipality)
        municipality_ids = [municipality.pk]
    else:
        municipality_ids = list(Municipality.objects.values_list("pk", flat=True))
    today = calendar.local_date(now)
    date_windows = {
        kind: _near_date_q(f"{field}_due_on", today, REMINDER_WORKING_DAYS[kind], municipality_ids)
        for kind, field in DATE_DEADLINES.items()
    }
    assessment_window = Q(
        assessed_at__isnull=True, assessment_due_at__lte=now + ASSESSMENT_REMINDER
    )
    return Scope(base, date_windows, assessment_window)


def _near_date_q(field: str, today: datetime.date, days: int, municipality_ids) -> Q:
    """Due within `days` working days of today (or overdue), by each municipality's calendar.

    A date d is at most n working days away exactly when it is before the (n + 1)-th working
    day after today; municipalities with the same closing days share one condition.
    """
    by_limit: dict[datetime.date, list[int]] = defaultdict(list)
    for pk in municipality_ids:
        by_limit[calendar.add_working_days(today, days + 1, pk)].append(pk)
    condition = Q(pk__in=[])
    for limit, ids in by_limit.items():
        condition |= Q(municipality_id__in=ids, **{f"{field}__lt": limit})
    return condition


def _open_q(kind: DeadlineKind, prefix: str = "") -> Q:
    """The deadline is not met yet (`prefix`: the path to the notification, e.g. from an alert)."""
    if kind == DeadlineKind.ASSESSMENT:
        return Q(**{f"{prefix}assessed_at__isnull": True})
    field = f"{prefix}{DATE_DEADLINES[kind]}"
    return Q(**{f"{field}_due_on__isnull": False, f"{field}_sent_at__isnull": True})


def _near_q(kind: DeadlineKind, scope: Scope) -> Q:
    if kind == DeadlineKind.ASSESSMENT:
        return scope.assessment_window
    return _open_q(kind) & scope.date_windows[kind]


NEEDED_FIELDS = (
    "municipality",
    "team",
    "assigned_to",
    "child",
    "assessment_due_at",
    "receipt_due_on",
    "feedback_due_on",
)


def _open_deadlines(now: datetime.datetime, scope: Scope) -> Iterable[OpenDeadline]:
    for kind in DeadlineKind:
        rows = (
            scope.base.filter(_near_q(kind, scope))
            .annotate(assignee_active=F("assigned_to__is_active"))
            .only(*NEEDED_FIELDS)
            .order_by("pk")
            .select_for_update(of=("self",))
        )
        for notification in rows:
            due_at = _breach_moment(notification, kind)
            yield OpenDeadline(notification, kind, due_at, breached=now >= due_at)


def _breach_moment(notification: Notification, kind: DeadlineKind) -> datetime.datetime:
    """When the deadline is breached: the due time, or the end of the due day (Copenhagen)."""
    if kind == DeadlineKind.ASSESSMENT:
        return notification.assessment_due_at
    due_on = getattr(notification, f"{DATE_DEADLINES[kind]}_due_on")
    next_day = due_on + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time(0), tzinfo=calendar.COPENHAGEN)


# --- the receipt letter, retried ---


def _retry_receipts(now: datetime.datetime, scope: Scope, summary: DeadlineCheckSummary) -> None:
    """Try again to make the receipt letters not made yet; one failure stops no other."""
    pending = scope.base.filter(_near_q(DeadlineKind.RECEIPT, scope)).order_by("pk")
    for notification in pending:
        summary.receipts_retried += 1
        try:
            services.send_receipt(notification, now=now)
        except Exception:  # a letter error must not stop the deadline check for the others
            summary.receipts_failed += 1
            logger.exception("Receipt retry failed for notification %s", notification.pk)
        else:
            summary.receipts_sent += notification.receipt_sent_at is not None


# --- who gets which alert ---


def _new_alerts(
    deadlines: list[OpenDeadline], now: datetime.datetime, scope: Scope
) -> list[DeadlineAlert]:
    leaders = TeamLeaders.load({d.notification.municipality_id for d in deadlines})
    raised = _already_raised(scope)
    alerts = []
    for d in deadlines:
        level = AlertLevel.ESCALATION if d.breached else AlertLevel.REMINDER
        for recipient_id in _recipients(d.notification, level, leaders):
            key = (d.notification.pk, d.kind, level, recipient_id)
            if key in raised:
                continue
            raised.add(key)
            alerts.append(
                DeadlineAlert(
                    notification=d.notification,
                    deadline=d.kind,
                    level=level,
                    recipient_id=recipient_id,
                    due_at=d.due_at,
                    created_at=now,
                )
            )
    return alerts


def _already_raised(scope: Scope) -> set[tuple]:
    """The alerts raised before for the deadlines now near, in one query."""
    condition = Q(pk__in=[])
    for kind in DeadlineKind:
        near = scope.base.filter(_near_q(kind, scope)).values("pk")
        condition |= Q(deadline=kind, notification_id__in=near)
    rows = DeadlineAlert.objects.filter(condition).values_list(
        "notification_id", "deadline", "level", "recipient_id"
    )
    return set(rows)


@dataclass
class TeamLeaders:
    by_team: dict[int, list[int]]
    by_municipality: dict[int, list[int]]

    @classmethod
    def load(cls, municipality_ids: set[int]) -> TeamLeaders:
        rows = (
            RoleAssignment.objects.filter(
                role=Role.TEAM_LEADER,
                user__is_active=True,
                unit__municipality_id__in=municipality_ids,
                user__municipality_id=F("unit__municipality_id"),
            )
            .order_by("user_id")
            .values_list("unit_id", "unit__municipality_id", "user_id")
        )
        by_team, by_municipality = defaultdict(list), defaultdict(list)
        for unit_id, municipality_id, user_id in rows:
            by_team[unit_id].append(user_id)
            if user_id not in by_municipality[municipality_id]:
                by_municipality[municipality_id].append(user_id)
        return cls(by_team, by_municipality)

    def of(self, notification: Notification) -> list[int]:
        return self.by_team.get(notification.team_id) or self.by_municipality.get(
            notification.municipality_id, []
        )


def _recipients(notification: Notification, level: AlertLevel, leaders: TeamLeaders) -> list[int]:
    owned = notification.assigned_to_id is not None and notification.assignee_active
    if level == AlertLevel.REMINDER and owned:
        return [notification.assigned_to_id]
    return leaders.of(notification)


# --- writing the alerts, the timeline and the audit log ---


def _save(alerts: list[DeadlineAlert], now: datetime.datetime) -> None:
    if not alerts:
        return
    DeadlineAlert.objects.bulk_create(alerts)
    names = {
        u.pk: str(u)
        for u in User.objects.filter(pk__in={a.recipient_id for a in alerts}).only(
            "username", "first_name", "last_name"
        )
    }
    NotificationEvent.objects.bulk_create(
        NotificationEvent(
            notification=a.notification,
            occurred_at=now,
            kind=EVENT_KIND[a.level],
            actor=None,
            note=_event_note(a, names.get(a.recipient_id, "")),
        )
        for a in alerts
    )
    per_municipality = defaultdict(list)
    for a in alerts:
        per_municipality[a.notification.municipality_id].append(
            audit.AuditEntry(
                AuditAction.CREATE,
                "notifications.deadlinealert",
                str(a.pk),
                a.notification.child_id,
                f"Fristkontrol: {a.get_level_display().lower()} ({a.get_deadline_display()})",
            )
        )
    for municipality_id, entries in per_municipality.items():
        audit.record_many(None, entries, municipality=Municipality(pk=municipality_id))


def _event_note(alert: DeadlineAlert, recipient: str) -> str:
    due = calendar.to_local(alert.due_at)
    if alert.deadline == DeadlineKind.ASSESSMENT:
        when = f"frist {due:%d.%m.%Y kl. %H:%M}"
    else:
        when = f"frist {due.date() - datetime.timedelta(days=1):%d.%m.%Y}"
    return f"{alert.get_level_display()} til {recipient}: {alert.get_deadline_display()}, {when}."


# --- what a user sees, and marking it seen ---


def open_alert_q() -> Q:
    """Alerts whose deadline is still not met (a met deadline's alert needs no action)."""
    condition = Q(pk__in=[])
    for kind in DeadlineKind:
        condition |= Q(deadline=kind) & _open_q(kind, prefix="notification__")
    return condition


def unseen_alerts(user: User) -> QuerySet:
    """The user's unseen alerts on deadlines still open, in the user's municipality."""
    return (
        DeadlineAlert.objects.filter(
            open_alert_q(),
            recipient=user,
            seen_at__isnull=True,
            notification__municipality_id=user.municipality_id,
        )
        .select_related("notification", "notification__assigned_to")
        .order_by("due_at", "pk")
    )


def mark_alert_seen(alert_id: int, *, acting_user: User) -> DeadlineAlert:
    """Mark one of the user's own alerts seen (`core.alerts.mark_own_alert_seen`)."""
    return mark_own_alert_seen(
        DeadlineAlert.objects.select_related("notification"),
        alert_id,
        acting_user=acting_user,
        child_id_of=lambda alert: alert.notification.child_id,
        purpose="Påmindelse markeret som set",
    )
