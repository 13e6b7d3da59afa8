"""The case work's reminders and escalations (run with the notifications' deadline check, by the
worker task and by `manage.py deadlines`).

`check_case_deadlines` looks at three deadlines on open cases:

- the børnefaglig undersøgelse (4 months, barnets lov § 20, stk. 3): a reminder 10 working days
  before its due date, an escalation to the team leaders once the due date has passed. An
  investigation with a preliminary assessment (§ 20, stk. 3) is still escalated once (the law's
  main rule is broken all the same); the alert shows that the preliminary assessment exists;
- the child's plan (3 months, § 91) when a plan is needed and not made yet: a reminder 10 working
  days before, an escalation after;
- a follow-up not held (§ 95): a reminder 5 working days before, an escalation after (the
  intervention must still run on the follow-up's date).

Each alert is a `CaseAlert`, unique per kind, subject, level and recipient, so the check can run
as often as it likes. Who gets what is in `cases.case_alerts` (as for notifications: reminders to
the caseworker, else the team leaders; escalations to the team leaders only). The reminder
windows are Trappen's choices, not the law's (docs/legal.md).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from trappen.cases import case_alerts
from trappen.cases.models import (
    CaseAlertKind,
    CaseAlertLevel,
    ChildPlan,
    FollowUp,
    Investigation,
)
from trappen.core import calendar
from trappen.core.models import Municipality
from trappen.notifications.deadlines import TeamLeaders

INVESTIGATION_REMINDER_WORKING_DAYS = 10
PLAN_REMINDER_WORKING_DAYS = 10
FOLLOW_UP_REMINDER_WORKING_DAYS = 5


@dataclass(frozen=True)
class Deadline:
    """One kind of case deadline: its records, the path from a record to its case, its window."""

    kind: CaseAlertKind
    reminder_working_days: int
    case_path: str  # from the record to its case, e.g. "intervention__case"

    def records(self) -> QuerySet:
        if self.kind == CaseAlertKind.INVESTIGATION:
            return Investigation.objects.filter(completed_on__isnull=True)
        if self.kind == CaseAlertKind.PLAN:
            return ChildPlan.objects.filter(
                is_needed=True, completed_on__isnull=True, due_on__isnull=False
            )
        return FollowUp.objects.filter(held_on__isnull=True).filter(
            Q(intervention__end_on__isnull=True) | Q(intervention__end_on__gte=F("due_on"))
        )


DEADLINES = (
    Deadline(CaseAlertKind.INVESTIGATION, INVESTIGATION_REMINDER_WORKING_DAYS, "case"),
    Deadline(CaseAlertKind.PLAN, PLAN_REMINDER_WORKING_DAYS, "case"),
    Deadline(CaseAlertKind.FOLLOW_UP, FOLLOW_UP_REMINDER_WORKING_DAYS, "intervention__case"),
)


@dataclass
class CaseDeadlineSummary:
    checked_at: datetime.datetime
    raised: Counter = field(default_factory=Counter)  # (kind, level) -> count

    @property
    def reminders(self) -> int:
        return sum(n for (_, lvl), n in self.raised.items() if lvl == CaseAlertLevel.REMINDER)

    @property
    def escalations(self) -> int:
        return sum(n for (_, lvl), n in self.raised.items() if lvl == CaseAlertLevel.ESCALATION)

    def as_dict(self) -> dict:
        return {
            "checked_at": self.checked_at.isoformat(),
            "reminders": self.reminders,
            "escalations": self.escalations,
        }


def check_case_deadlines(
    now: datetime.datetime | None = None, municipality: Municipality | None = None
) -> CaseDeadlineSummary:
    """Raise the case reminders and escalations due at `now` (all municipalities, or one).

    In one transaction with the records concerned locked (so two concurrent runs cannot both
    raise an alert). One query per deadline kind, plus one for what was raised before and one
    for the team leaders.
    """
    now = now or timezone.now()
    today = calendar.local_date(now)
    summary = CaseDeadlineSummary(checked_at=now)
    if municipality is not None:
        municipality_ids = [municipality.pk]
    else:
        municipality_ids = list(Municipality.objects.values_list("pk", flat=True))
    with transaction.atomic():
        wanted = list(_open_deadlines(today, municipality_ids))
        if wanted:
            leaders = TeamLeaders.load({w.case.municipality_id for w in wanted})
            alerts = case_alerts.raise_alerts(wanted, now=now, actor=None, leaders=leaders)
            summary.raised.update((a.kind, a.level) for a in alerts)
    return summary


def _near_q(path: str, today: datetime.date, days: int, municipality_ids: Iterable[int]) -> Q:
    """Due within `days` working days of today (or overdue), by each municipality's calendar.

    A date d is at most n working days away exactly when it is before the (n + 1)-th working day
    after today (as in notifications.deadlines); municipalities sharing closing days share one
    condition.
    """
    by_limit: dict[datetime.date, list[int]] = defaultdict(list)
    for pk in municipality_ids:
        by_limit[calendar.add_working_days(today, days + 1, pk)].append(pk)
    condition = Q(pk__in=[])
    for limit, ids in by_limit.items():
        condition |= Q(**{f"{path}__municipality_id__in": ids, "due_on__lt": limit})
    return condition


def _open_deadlines(
    today: datetime.date, municipality_ids: list[int]
) -> Iterable[case_alerts.NewAlert]:
    for deadline in DEADLINES:
        path = deadline.case_path
        rows = (
            deadline.records()
            .filter(
                _near_q(path, today, deadline.reminder_working_days, municipality_ids),
                **{f"{path}__closed_on__isnull": True},
            )
            .select_related(path)
            .annotate(caseworker_active=F(f"{path}__caseworker__is_active"))
            .order_by("pk")
            .select_for_update(of=("self",))
        )
        for record in rows:
            case = record.case if path == "case" else record.intervention.case
            case.caseworker_active = record.caseworker_active
            # Breached once the due day is over (Copenhagen time).
            level = CaseAlertLevel.ESCALATION if today > record.due_on else CaseAlertLevel.REMINDER
            yield case_alerts.NewAlert(case, deadline.kind, record.pk, level, record.due_on)
