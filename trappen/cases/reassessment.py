"""Barnets lov § 137, stk. 1: a new notification about a child who already has a supporting
measure (§ 32) or is placed means the case is re-assessed.

`flag_reassessment` is called by intake (`notifications.services.submit_notification`) once the
notification is matched to the child's open case. When that case has an active measure on step 2
(the home-based supporting measures of § 32) or a placement step (3–5) on the day of receipt, the
caseworker and the team leaders get a flag (CaseAlert REASSESSMENT, subject: the notification).
The re-assessment itself is the caseworker's work on the case. Youth-crime measures (also named by
§ 137, stk. 1) are not registered in Trappen, so they raise no flag.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from trappen.cases import case_alerts
from trappen.cases.models import Case, CaseAlert, CaseAlertKind, CaseAlertLevel
from trappen.cases.services import active_intervention_q
from trappen.core import calendar
from trappen.core.vocabulary import Step

# Step 2 holds the § 32 supporting measures; steps 3-5 are placements (§§ 46, 47).
REASSESSMENT_FROM_STEP = Step.HOME_BASED


def needs_reassessment(case: Case, on: datetime.date) -> bool:
    """Whether the open case has a § 32 measure or a placement running on `on`."""
    return (
        case.closed_on is None
        and case.interventions.filter(
            active_intervention_q(on), step__gte=REASSESSMENT_FROM_STEP
        ).exists()
    )


def flag_reassessment(notification, *, now: datetime.datetime | None = None) -> list[CaseAlert]:
    """Flag the notification's case for re-assessment (§ 137) if it has a measure; returns the
    new alerts (none when called again for the same notification). Raised by the system."""
    if notification.case_id is None:
        return []
    case = (
        Case.objects.select_related("caseworker")
        .filter(pk=notification.case_id, closed_on__isnull=True)
        .first()
    )
    if case is None or not needs_reassessment(case, calendar.local_date(notification.received_at)):
        return []
    return case_alerts.raise_alerts(
        [
            case_alerts.NewAlert(
                case, CaseAlertKind.REASSESSMENT, notification.pk, CaseAlertLevel.FLAG
            )
        ],
        now=now or timezone.now(),
        actor=None,
    )
