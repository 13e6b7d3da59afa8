"""The investigation's content (barnets lov §§ 20 and 22), once the case's interventions and
conversations with the child are known (casework.open_case).

- `reason` always; `recommendation` and `recommended_step` on completed ones: the step of the
  first intervention that started after it, else the highest one running when it ended, else 0
  (help in the universal services).
- 2–5 ICS dimensions (`InvestigationArea`) with a resource and a concern each.
- `child_conversation`: the first of the case's conversations held during the investigation.
- A late one (completed after `due_on`, or still open when `due_on` has passed) has the
  preliminary assessment of § 20, stk. 3: text, the day it was made (at most two weeks before the
  deadline, never after yesterday) and the expected completion.

Draws come from `sim.detail`, so the history's own draws are unchanged.
"""

from __future__ import annotations

import datetime

from trappen.cases.models import Intervention, Investigation, InvestigationArea
from trappen.core.synthetic import rates, texts
from trappen.core.synthetic.dates import days
from trappen.core.synthetic.sim import Sim
from trappen.core.vocabulary import IcsDimension
from trappen.voice.models import ChildConversation

DIMENSIONS = tuple(IcsDimension.values)


def finish_investigation(
    sim: Sim, inv: Investigation, items: list[Intervention], talks: list[ChildConversation]
) -> None:
    r = sim.detail
    inv.reason = r.choice(texts.INVESTIGATION_REASONS)
    if inv.completed_on is not None:
        inv.recommended_step = recommended_step(inv.completed_on, items)
        inv.recommendation = r.choice(texts.RECOMMENDATIONS[inv.recommended_step])
    end = inv.completed_on or sim.yesterday
    inv.child_conversation = next((t for t in talks if inv.started_on <= t.held_on <= end), None)
    _areas(sim, inv)
    late = inv.completed_on > inv.due_on if inv.completed_on else inv.due_on < sim.today
    if late:
        _preliminary(sim, inv)


def recommended_step(completed_on: datetime.date, items: list[Intervention]) -> int:
    after = sorted((i for i in items if i.start_on >= completed_on), key=lambda i: i.start_on)
    if after:
        return after[0].step
    running = [
        i.step
        for i in items
        if i.start_on <= completed_on and (i.end_on is None or completed_on <= i.end_on)
    ]
    return max(running, default=0)


def _areas(sim: Sim, inv: Investigation) -> None:
    r = sim.detail
    chosen = sorted(r.sample(range(len(DIMENSIONS)), r.randint(*rates.INVESTIGATION_AREAS)))
    for k in chosen:
        dimension = DIMENSIONS[k]
        resources, concerns = r.choice(texts.ICS_FINDINGS[dimension])
        sim.rows.areas.append(
            InvestigationArea(
                investigation=inv, dimension=dimension, resources=resources, concerns=concerns
            )
        )


def _preliminary(sim: Sim, inv: Investigation) -> None:
    r = sim.detail
    made = inv.due_on - days(r.randint(*rates.PRELIMINARY_DAYS_BEFORE_DUE))
    inv.preliminary_assessed_on = min(max(made, inv.started_on), sim.yesterday)
    inv.preliminary_assessment = r.choice(texts.PRELIMINARY_ASSESSMENTS)
    inv.expected_completion_on = inv.due_on + days(r.randint(*rates.EXPECTED_COMPLETION_DAYS))
