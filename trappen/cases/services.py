"""The staircase: which interventions are active, and a child's current step."""

from __future__ import annotations

import datetime

from django.db.models import Q


def active_intervention_q(today: datetime.date, prefix: str = "") -> Q:
    """Interventions running on `today` (started, and not ended before it)."""
    return Q(**{f"{prefix}start_on__lte": today}) & (
        Q(**{f"{prefix}end_on__isnull": True}) | Q(**{f"{prefix}end_on__gte": today})
    )


def is_active(intervention, today: datetime.date) -> bool:
    """The same rule as `active_intervention_q`, for interventions already in memory."""
    started = intervention.start_on <= today
    return started and (intervention.end_on is None or intervention.end_on >= today)


def current_step(interventions, today: datetime.date) -> int | None:
    """A child's current step is the highest step among its active interventions."""
    steps = [i.step for i in interventions if is_active(i, today)]
    return max(steps) if steps else None
