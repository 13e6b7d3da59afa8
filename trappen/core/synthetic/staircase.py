"""Step movements derived from a case's interventions: the child's step is the highest active one.

An intervention is active from `start_on` to `end_on` inclusive (no end: still running). A
movement dated d records the step in force from d on: an intervention ending on e moves the child
on e + 1. `from_step` None means the child enters the staircase; `to_step` None that no
intervention is active any more. A movement names the intervention whose start (a step up, or the
first) or end (a step down, or leaving) caused it, when the spans carry one (`Span.item`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from trappen.core.synthetic.dates import ONE_DAY
from trappen.core.synthetic.texts import STEP_REASONS


@dataclass(frozen=True)
class Span:
    step: int
    start_on: datetime.date
    end_on: datetime.date | None
    title: str = ""
    item: object = field(default=None, compare=False)  # the intervention, if any


@dataclass(frozen=True)
class Move:
    from_step: int | None
    to_step: int | None
    moved_on: datetime.date
    reason: str
    intervention: object = field(default=None, compare=False)


def step_on(spans: Iterable[Span], day: datetime.date) -> int | None:
    """The highest step among the spans active on `day`, or None."""
    active = [s.step for s in spans if s.start_on <= day and (s.end_on is None or day <= s.end_on)]
    return max(active) if active else None


def movements(spans: list[Span], today: datetime.date) -> list[Move]:
    """Every change of the highest active step, up to and including `today`."""
    change_days = sorted(
        {s.start_on for s in spans} | {s.end_on + ONE_DAY for s in spans if s.end_on is not None}
    )
    moves, current = [], None
    for day in change_days:
        if day > today:
            break
        new = step_on(spans, day)
        if new != current:
            reason = _reason(spans, current, new, day)
            moves.append(Move(current, new, day, reason, _cause(spans, current, new, day)))
            current = new
    return moves


def _cause(spans: list[Span], old: int | None, new: int | None, day: datetime.date):
    """The intervention that started on `day` at the new step (entering, a step up, or the next
    one of a chain a step down), else the one that ended the day before at the old step (a step
    down or leaving); None if neither fits."""
    started = [s.item for s in spans if s.start_on == day and s.step == new]
    ended = [s.item for s in spans if s.end_on is not None and s.end_on + ONE_DAY == day]
    ended_at_old = [
        s.item
        for s in spans
        if s.end_on is not None and s.end_on + ONE_DAY == day and s.step == old
    ]
    found = started or ended_at_old or ended
    return found[0] if found else None


def _reason(spans: list[Span], old: int | None, new: int | None, day: datetime.date) -> str:
    if new is None:
        return STEP_REASONS["none"]
    top = next(
        s
        for s in spans
        if s.step == new and s.start_on <= day and (s.end_on is None or day <= s.end_on)
    )
    key = "first" if old is None else ("up" if new > old else "down")
    return STEP_REASONS[key].format(title=top.title)[:300]
