"""Reminders about the network's meetings (run with the case deadline check: by the worker task
`notifications.tasks.check_deadlines_task` and by `manage.py deadlines`).

`raise_network_reminders` raises `cases.CaseAlert`s on open cases for:

- a family group conference whose follow-up meeting is due (`follow_up_due_on`) and not held;
- a line of the family's plan past its date (`by_when`) and not marked done, while the plan runs
  (the conference is in the phase MEETING: after the meeting, before the follow-up meeting);
- a network meeting whose follow-up (`follow_up_on`) is not recorded.

Levels: a REMINDER from `REMINDER_DAYS` calendar days before the date (to the caseworker, else
the team leaders), an ESCALATION once the date has passed (to the team leaders), as
`cases.case_alerts.recipients` decides. A check that first runs after the date raises only the
escalation. The dates are the family's and the network's agreements, not legal deadlines, so the
window counts calendar days (Trappen's choice, docs/voice-meetings.md).

Kinds and subjects: `CaseAlertKind.NETWORK_MEETING` with the meeting's id;
`CaseAlertKind.CONFERENCE` with the conference's id for the follow-up meeting, and for a plan line
`plan_item_subject(conference_id, item_id)`: the conference's id in the high bits and the line's
id in the low 32, so a line's alert neither collides with its conference's (CaseAlert is unique
per kind, subject, level and recipient) nor needs a query to find the conference it links to.
Running the check again raises nothing new.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from trappen.cases import case_alerts
from trappen.cases.deadlines import CaseDeadlineSummary
from trappen.cases.models import CaseAlertKind, CaseAlertLevel
from trappen.core import calendar
from trappen.core.models import Municipality
from trappen.voice.models import (
    ConferencePhase,
    FamilyGroupConference,
    FamilyPlanItem,
    NetworkMeeting,
)

REMINDER_DAYS = 7
PLAN_ITEM_SHIFT = 32
PLAN_ITEM_BASE = 1 << PLAN_ITEM_SHIFT


def plan_item_subject(conference_id: int, item_id: int) -> int:
    """The alert subject of a line of the family's plan (see the module docstring)."""
    if not 0 < item_id < PLAN_ITEM_BASE or conference_id < 1:
        raise ValueError("plan item or conference id out of range")
    return (conference_id << PLAN_ITEM_SHIFT) | item_id


def is_plan_item_subject(subject_id: int) -> bool:
    return subject_id >= PLAN_ITEM_BASE


def conference_of_subject(subject_id: int) -> int:
    """The conference a CONFERENCE alert is about (its follow-up meeting, or a plan line)."""
    return subject_id >> PLAN_ITEM_SHIFT if is_plan_item_subject(subject_id) else subject_id


def alert_url(alert) -> str:
    """The page a CONFERENCE or NETWORK_MEETING alert links to."""
    if alert.kind == CaseAlertKind.NETWORK_MEETING:
        kwargs = {"case_id": alert.case_id, "meeting_id": alert.subject_id}
        return reverse("voice:meeting", kwargs=kwargs)
    kwargs = {"case_id": alert.case_id, "conference_id": conference_of_subject(alert.subject_id)}
    return reverse("voice:conference", kwargs=kwargs)


def alert_note(alert) -> str:
    """What the start page shows under the alert's kind."""
    if alert.kind == CaseAlertKind.CONFERENCE and is_plan_item_subject(alert.subject_id):
        return "Et punkt i familiens plan er ikke markeret som gjort"
    return ""


def open_alert_q() -> Q:
    """The network alerts still worth acting on (`cases.case_alerts.open_case_alert_q`): the
    follow-up not held, the plan line not done, the conference not finished or cancelled."""
    subject = OuterRef("subject_id")
    running = ConferencePhase.MEETING
    return (
        (
            Q(kind=CaseAlertKind.CONFERENCE, subject_id__lt=PLAN_ITEM_BASE)
            & Exists(FamilyGroupConference.objects.filter(pk=subject, phase=running))
        )
        | (
            Q(kind=CaseAlertKind.CONFERENCE, subject_id__gte=PLAN_ITEM_BASE)
            & Exists(
                FamilyPlanItem.objects.filter(
                    pk=subject % PLAN_ITEM_BASE, done_on__isnull=True, conference__phase=running
                )
            )
        )
        | (
            Q(kind=CaseAlertKind.NETWORK_MEETING)
            & Exists(NetworkMeeting.objects.filter(pk=subject, follow_up_held_on__isnull=True))
        )
    )


def raise_network_reminders(
    today: datetime.date | None = None,
    *,
    now: datetime.datetime | None = None,
    municipality: Municipality | None = None,
) -> CaseDeadlineSummary:
    """Raise the network reminders and escalations due on `today` (all municipalities, or one).

    In one transaction with the conferences, plan lines and meetings concerned locked; three
    queries for the subjects, one for what was raised before, one for the team leaders.
    """
    now = now or timezone.now()
    today = today or calendar.local_date(now)
    summary = CaseDeadlineSummary(checked_at=now)
    with transaction.atomic():
        wanted = list(_due(today, None if municipality is None else municipality.pk))
        alerts = case_alerts.raise_alerts(wanted, now=now, actor=None)
        summary.raised.update((a.kind, a.level) for a in alerts)
    return summary


def _level(today: datetime.date, due_on: datetime.date) -> CaseAlertLevel:
    # Overdue once the day itself is over.
    return CaseAlertLevel.ESCALATION if today > due_on else CaseAlertLevel.REMINDER


def _with_case(queryset, path: str, municipality_id: int | None):
    if municipality_id is not None:
        queryset = queryset.filter(**{f"{path}__municipality_id": municipality_id})
    return (
        queryset.filter(**{f"{path}__closed_on__isnull": True})
        .select_related(path)
        .annotate(caseworker_active=F(f"{path}__caseworker__is_active"))
        .order_by("pk")
        .select_for_update(of=("self",))
    )


def _due(today: datetime.date, municipality_id: int | None):
    horizon = today + datetime.timedelta(days=REMINDER_DAYS)
    conferences = _with_case(
        FamilyGroupConference.objects.filter(
            phase=ConferencePhase.MEETING,
            follow_up_held_on__isnull=True,
            follow_up_due_on__lte=horizon,
        ),
        "case",
        municipality_id,
    )
    for c in conferences:
        c.case.caseworker_active = c.caseworker_active
        level = _level(today, c.follow_up_due_on)
        yield case_alerts.NewAlert(
            c.case, CaseAlertKind.CONFERENCE, c.pk, level, c.follow_up_due_on
        )

    items = _with_case(
        FamilyPlanItem.objects.filter(
            conference__phase=ConferencePhase.MEETING,
            done_on__isnull=True,
            by_when__lte=horizon,
        ),
        "conference__case",
        municipality_id,
    )
    for item in items:
        case = item.conference.case
        case.caseworker_active = item.caseworker_active
        subject = plan_item_subject(item.conference_id, item.pk)
        level = _level(today, item.by_when)
        yield case_alerts.NewAlert(case, CaseAlertKind.CONFERENCE, subject, level, item.by_when)

    meetings = _with_case(
        NetworkMeeting.objects.filter(
            follow_up_on__isnull=False,
            follow_up_held_on__isnull=True,
            follow_up_on__lte=horizon,
        ),
        "case",
        municipality_id,
    )
    for m in meetings:
        m.case.caseworker_active = m.caseworker_active
        level = _level(today, m.follow_up_on)
        yield case_alerts.NewAlert(
            m.case, CaseAlertKind.NETWORK_MEETING, m.pk, level, m.follow_up_on
        )
