"""Case alerts: who gets a reminder, an escalation or a flag about a case, and what is still open.

A `CaseAlert` is unique per kind, subject, level and recipient, so raising the same alert again
changes nothing (the deadline check and the flags rely on it). Who is alerted follows the
notifications' deadline check (trappen/notifications/deadlines.py):

- a reminder goes to the case's caseworker; a case without one (or whose caseworker has left)
  reminds the team leaders instead;
- an escalation goes to the team leaders, and to no one else;
- a flag (siblings to assess, § 21; a new notification on a case with a measure, § 137) goes to
  the caseworker and the team leaders;
- "the team leaders" are the active team leaders of the case's team; when the team has none,
  every team leader of the municipality, so an alert always reaches someone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from trappen.cases.models import (
    Case,
    CaseAlert,
    CaseAlertKind,
    CaseAlertLevel,
    ChildPlan,
    FollowUp,
    Investigation,
    SiblingAssessment,
)
from trappen.core import audit
from trappen.core.alerts import mark_own_alert_seen
from trappen.core.models import AuditAction, Municipality, User
from trappen.notifications.deadlines import TeamLeaders


@dataclass(frozen=True)
class NewAlert:
    """An alert to raise: the case, what it is about, and when that is due (if it has a date)."""

    case: Case
    kind: CaseAlertKind
    subject_id: int
    level: CaseAlertLevel
    due_on: datetime.date | None = None


def recipients(case: Case, level: CaseAlertLevel, leaders: TeamLeaders) -> list[int]:
    """The user ids an alert of `level` about `case` goes to (see the module docstring).

    `case.caseworker_active` may be annotated; otherwise `case.caseworker` is read.
    """
    has_caseworker = case.caseworker_id is not None and _caseworker_active(case)
    team_leaders = leaders.of(case)
    if level == CaseAlertLevel.REMINDER:
        return [case.caseworker_id] if has_caseworker else team_leaders
    if level == CaseAlertLevel.ESCALATION:
        return team_leaders
    own = [case.caseworker_id] if has_caseworker else []
    return own + [pk for pk in team_leaders if pk not in own]


def _caseworker_active(case: Case) -> bool:
    active = getattr(case, "caseworker_active", None)
    if active is None:
        active = case.caseworker.is_active
    return bool(active)


def raise_alerts(
    wanted: Iterable[NewAlert],
    *,
    now: datetime.datetime,
    actor: User | None = None,
    leaders: TeamLeaders | None = None,
) -> list[CaseAlert]:
    """Create the alerts not raised before (one per recipient) and log them; returns the new.

    Call inside the transaction that holds the subjects locked, so two runs cannot both create
    the same alert (the unique constraint would stop the second anyway).
    """
    wanted = list(wanted)
    if not wanted:
        return []
    if leaders is None:
        leaders = TeamLeaders.load({w.case.municipality_id for w in wanted})
    raised = _already_raised(wanted)
    alerts = []
    for w in wanted:
        for recipient_id in recipients(w.case, w.level, leaders):
            key = (w.kind, w.subject_id, w.level, recipient_id)
            if key in raised:
                continue
            raised.add(key)
            alerts.append(
                CaseAlert(
                    case=w.case,
                    kind=w.kind,
                    subject_id=w.subject_id,
                    level=w.level,
                    recipient_id=recipient_id,
                    due_on=w.due_on,
                    created_at=now,
                )
            )
    if alerts:
        CaseAlert.objects.bulk_create(alerts)
        _log(alerts, actor)
    return alerts


def _already_raised(wanted: list[NewAlert]) -> set[tuple]:
    condition = Q(pk__in=[])
    by_kind: dict[tuple, set[int]] = {}
    for w in wanted:
        by_kind.setdefault((w.kind, w.level), set()).add(w.subject_id)
    for (kind, level), subject_ids in by_kind.items():
        condition |= Q(kind=kind, level=level, subject_id__in=subject_ids)
    rows = CaseAlert.objects.filter(condition).values_list(
        "kind", "subject_id", "level", "recipient_id"
    )
    return set(rows)


def _log(alerts: list[CaseAlert], actor: User | None) -> None:
    per_municipality: dict[int, list[audit.AuditEntry]] = {}
    for a in alerts:
        per_municipality.setdefault(a.case.municipality_id, []).append(
            audit.AuditEntry(
                AuditAction.CREATE,
                "cases.casealert",
                str(a.pk) if a.pk else "",
                a.case.child_id,
                f"{a.get_level_display()}: {a.get_kind_display()}",
            )
        )
    for municipality_id, entries in per_municipality.items():
        audit.record_many(actor, entries, municipality=Municipality(pk=municipality_id))


# --- what a user sees, and marking it seen ---


def open_case_alert_q() -> Q:
    """Alerts still worth acting on: the case is open and the subject is not dealt with yet.

    A met deadline (investigation completed, plan made, follow-up held) or a decided sibling
    assessment needs no action; flags without a state of their own stay until seen.
    """
    from trappen.voice.decisions import NOT_HEARD_REMINDER, open_reminder_q
    from trappen.voice.reminders import open_alert_q  # voice builds on cases

    subject = OuterRef("subject_id")
    return Q(case__closed_on__isnull=True) & (
        open_alert_q()  # network meetings and family group conferences
        | open_reminder_q()  # the conversation promised after an urgent decision (§ 5)
        | (
            Q(kind=CaseAlertKind.INVESTIGATION)
            & Exists(Investigation.objects.filter(pk=subject, completed_on__isnull=True))
        )
        | (
            Q(kind=CaseAlertKind.PLAN)
            & Exists(ChildPlan.objects.filter(pk=subject, completed_on__isnull=True))
        )
        | (
            Q(kind=CaseAlertKind.FOLLOW_UP)
            & Exists(FollowUp.objects.filter(pk=subject, held_on__isnull=True))
        )
        | (
            Q(kind=CaseAlertKind.SIBLINGS)
            & Exists(SiblingAssessment.objects.filter(pk=subject, decided_on__isnull=True))
        )
        | ~Q(
            kind__in=[
                CaseAlertKind.INVESTIGATION,
                CaseAlertKind.PLAN,
                CaseAlertKind.FOLLOW_UP,
                CaseAlertKind.SIBLINGS,
                CaseAlertKind.CONFERENCE,
                CaseAlertKind.NETWORK_MEETING,
            ]
        )
        & ~NOT_HEARD_REMINDER
    )


def unseen_case_alerts(user: User) -> QuerySet:
    """The user's unseen, still open case alerts in the user's municipality, earliest first."""
    preliminary = Investigation.objects.filter(pk=OuterRef("subject_id")).values(
        "preliminary_assessed_on"
    )[:1]
    return (
        CaseAlert.objects.filter(
            open_case_alert_q(),
            recipient=user,
            seen_at__isnull=True,
            case__municipality_id=user.municipality_id,
        )
        .select_related("case__child", "case__caseworker")
        .annotate(  # only an investigation has a preliminary assessment (§ 20, stk. 3)
            preliminary_on=models.Case(
                models.When(kind=CaseAlertKind.INVESTIGATION, then=Subquery(preliminary)),
                default=None,
                output_field=models.DateField(),
            )
        )
        .order_by(F("due_on").asc(nulls_last=True), "created_at", "pk")
    )


def mark_case_alert_seen(alert_id: int, *, acting_user: User) -> CaseAlert:
    """Mark one of the user's own case alerts seen (`core.alerts.mark_own_alert_seen`)."""
    return mark_own_alert_seen(
        CaseAlert.objects.select_related("case"),
        alert_id,
        acting_user=acting_user,
        child_id_of=lambda alert: alert.case.child_id,
        purpose="Sagsbesked markeret som set",
    )
