"""What the notification's detail page shows: countdowns, timeline, repeat history, next step.

Reads only; the page's writes are in `decisions`. The history read is logged (one audit event
per earlier notification shown), as every read of personal data is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from trappen.cases.models import Case
from trappen.core import audit, calendar
from trappen.core.home_services import remaining_days, remaining_time
from trappen.core.models import AuditAction, Role, User
from trappen.core.vocabulary import ConcernArea
from trappen.notifications.decisions import is_professional_report
from trappen.notifications.models import (
    Decision,
    Notification,
    NotificationEvent,
    NotificationReason,
    NotificationStatus,
)

HISTORY_MONTHS = 12  # a repeat notification: the same child (or a sibling) within 12 months
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class Countdown:
    label: str
    due: datetime.datetime | datetime.date | None
    text: str
    state: str  # "done", "late" (met after the deadline), "open", "overdue", "none"

    @property
    def has_time(self) -> bool:
        return isinstance(self.due, datetime.datetime)

    @property
    def alarming(self) -> bool:
        return self.state in ("late", "overdue")


@dataclass(frozen=True)
class HistoryItem:
    notification: Notification
    about_sibling: bool


@dataclass
class NotificationDetail:
    notification: Notification
    role: Role
    countdowns: list[Countdown] = field(default_factory=list)
    events: list[NotificationEvent] = field(default_factory=list)
    history: list[HistoryItem] = field(default_factory=list)
    open_case: Case | None = None

    @property
    def area_labels(self) -> list[str]:
        return _labels(ConcernArea, self.notification.areas)

    @property
    def reason_labels(self) -> list[str]:
        return _labels(NotificationReason, self.notification.reasons)

    @property
    def professional_report(self) -> bool:
        return is_professional_report(self.notification)

    @property
    def can_assess(self) -> bool:
        return self.notification.status == NotificationStatus.NEW

    @property
    def can_decide(self) -> bool:
        return self.notification.status == NotificationStatus.ASSESSED

    @property
    def can_send_feedback(self) -> bool:
        n = self.notification
        return (
            n.status == NotificationStatus.DECIDED
            and n.feedback_sent_at is None
            and n.decision != Decision.FORWARD
            and is_professional_report(n)
        )


def _labels(choices, values) -> list[str]:
    known = dict(choices.choices)
    return [known.get(value, str(value)) for value in values or []]


def notification_detail(
    notification: Notification,
    user: User,
    role: Role,
    now: datetime.datetime,
    *,
    purpose: str = "",
) -> NotificationDetail:
    """Everything the page shows. Logs the history read, and the notification's own read when
    `purpose` is given (one audit write for both)."""
    detail = NotificationDetail(notification, role, countdowns=countdowns(notification, now))
    detail.events = list(notification.events.select_related("actor"))
    detail.history = repeat_history(notification)
    log_reads(user, role, notification if purpose else None, purpose, detail.history)
    if notification.child_id is not None and detail.can_decide:
        detail.open_case = open_case_of(notification)
    return detail


def open_case_of(n: Notification) -> Case | None:
    return (
        Case.objects.filter(
            municipality_id=n.municipality_id, child_id=n.child_id, closed_on__isnull=True
        )
        .select_related("team")
        .first()
    )


# --- countdowns -------------------------------------------------------------------------------


def countdowns(n: Notification, now: datetime.datetime) -> list[Countdown]:
    return [assessment_countdown(n, now), receipt_countdown(n, now), feedback_countdown(n, now)]


def assessment_countdown(n: Notification, now: datetime.datetime) -> Countdown:
    label, due = "Vurdering inden for 24 timer", n.assessment_due_at
    if n.assessed_at is not None:
        late = n.assessed_at > due
        when = calendar.to_local(n.assessed_at)
        text = f"Vurderet {when:%d.%m.%Y kl. %H.%M}" + (" (efter fristen)" if late else "")
        return Countdown(label, due, text, "late" if late else "done")
    return Countdown(label, due, remaining_time(due, now), "overdue" if due < now else "open")


def receipt_countdown(n: Notification, now: datetime.datetime) -> Countdown:
    return _date_countdown(
        "Kvittering til fagperson (6 hverdage)", n.receipt_due_on, n.receipt_sent_at, now
    )


def feedback_countdown(n: Notification, now: datetime.datetime) -> Countdown:
    label = "Tilbagemelding til fagperson"
    if n.feedback_sent_at is None and n.decision == Decision.FORWARD:
        return Countdown(label, None, "Gives af den kommune, underretningen er sendt til", "none")
    if n.feedback_due_on is None and n.feedback_sent_at is None and is_professional_report(n):
        return Countdown(label, None, "Sendes, når der er truffet en beslutning", "none")
    return _date_countdown(label, n.feedback_due_on, n.feedback_sent_at, now)


def _date_countdown(label, due_on, sent_at, now) -> Countdown:
    if sent_at is not None:
        sent_on = calendar.local_date(sent_at)
        late = due_on is not None and sent_on > due_on
        text = f"Sendt {sent_on:%d.%m.%Y}" + (" (efter fristen)" if late else "")
        return Countdown(label, due_on, text, "late" if late else "done")
    if due_on is None:
        return Countdown(
            label, None, "Ikke relevant: underretteren er ikke en kendt fagperson", "none"
        )
    today = calendar.local_date(now)
    return Countdown(
        label, due_on, remaining_days(due_on, today), "overdue" if due_on < today else "open"
    )


# --- repeat history ---------------------------------------------------------------------------


def repeat_history(n: Notification) -> list[HistoryItem]:
    """Earlier notifications about the child or its siblings (the household, and the siblings
    the notifier named) in the 12 months before this one, newest first."""
    if n.child_id is None:
        return []
    since_day = calendar.add_months(n.received_at, -HISTORY_MONTHS)
    since = datetime.datetime.combine(since_day, datetime.time(), tzinfo=calendar.COPENHAGEN)
    family = Q(child_id=n.child_id) | Q(child__in=n.siblings.values("pk"))
    if n.child.household_id is not None:
        family |= Q(child__household_id=n.child.household_id)
    earlier = (
        Notification.objects.filter(
            family,
            municipality_id=n.municipality_id,
            received_at__gte=since,
            received_at__lt=n.received_at,
        )
        .exclude(pk=n.pk)
        .select_related("child")
        .order_by("-received_at", "-pk")[:HISTORY_LIMIT]
    )
    return [HistoryItem(e, about_sibling=e.child_id != n.child_id) for e in earlier]


def log_reads(user, role, notification, purpose: str, history: list[HistoryItem]) -> None:
    entries = (
        [audit.entry_for(notification, AuditAction.VIEW, purpose=purpose)] if notification else []
    )
    entries += [
        audit.AuditEntry(
            AuditAction.VIEW,
            "notifications.notification",
            str(item.notification.pk),
            item.notification.child_id,
            "Tidligere underretninger (historik)",
        )
        for item in history
    ]
    audit.record_many(user, entries, role=role)
