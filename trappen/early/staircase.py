"""The staircase with early help: a child's step on a day is the highest step among
- its active interventions (granted in a case; `cases.services.active_intervention_q`: started on
  or before the day, not ended before it; in a case not closed on or before the day), and
- its active early help (`started_on <= day <= ended_on`, or not ended).

Early help is always at step 0 or 1, so it places a child without a case on the staircase and
never lifts a child with a § 32 measure (step 2+). `steps_on` is set-based: two grouped queries
(the highest step per child of each kind) merged per child id in Python, then counted.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Max, Q

from trappen.cases.models import Intervention
from trappen.cases.services import active_intervention_q
from trappen.early.models import EarlyHelp
from trappen.people.models import Child


def active_early_help_q(day: datetime.date, prefix: str = "") -> Q:
    """Early help running on `day` (its last day, `ended_on`, included)."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": day})
    )


def _case_open_on(day: datetime.date, prefix: str = "case__") -> Q:
    return Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day})


def highest_steps_on(municipality_id: int, day: datetime.date) -> dict[int, int]:
    """Each child's step on `day` (child id → step), for children on the staircase that day."""
    steps: dict[int, int] = dict(
        Intervention.objects.filter(
            active_intervention_q(day),
            _case_open_on(day),
            case__municipality_id=municipality_id,
        )
        .order_by()
        .values("case__child_id")
        .annotate(step=Max("step"))
        .values_list("case__child_id", "step")
    )
    early = (
        EarlyHelp.objects.filter(active_early_help_q(day), municipality_id=municipality_id)
        .order_by()
        .values("child_id")
        .annotate(step=Max("step"))
        .values_list("child_id", "step")
    )
    for child_id, step in early:
        if steps.get(child_id, -1) < step:
            steps[child_id] = step
    return steps


def steps_on(municipality_id: int, day: datetime.date) -> Counter:
    """How many children stand on each step on `day` (step → children); a child counts once, at
    its highest active step."""
    return Counter(highest_steps_on(municipality_id, day).values())


def child_step_on(child: Child, day: datetime.date) -> int | None:
    """One child's step on `day`, or None when it has no active intervention or early help."""
    intervention = Intervention.objects.filter(
        active_intervention_q(day), _case_open_on(day), case__child=child
    ).aggregate(step=Max("step"))["step"]
    early = EarlyHelp.objects.filter(active_early_help_q(day), child=child).aggregate(
        step=Max("step")
    )["step"]
    found = [s for s in (intervention, early) if s is not None]
    return max(found) if found else None
