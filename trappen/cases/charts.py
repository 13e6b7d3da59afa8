"""The child's path on the staircase as a server-side SVG chart, with its data table.

`staircase_chart` is a pure function: a hand-built path in, coordinates, tick labels, the SVG
markup and the table rows out. One code path for the web page and for print (DESIGN.md:
"server-side SVG, each chart with its data table"). x is time, y the step 0–5; the line is a
step line: it stays at a step until the next change. A point with step None means the child had
no active intervention (off the staircase): the line breaks there, and the table says so.

Accessibility: the page wraps the SVG in a <figure> with a <figcaption>; the SVG itself has
role="img", a <title> and a <desc> naming what the chart shows, and the data table beside it is
the text alternative (every change, its date, the step and the reason).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

from trappen.cases.services import current_step
from trappen.core.vocabulary import Step

# Geometry (SVG user units). The labels of the steps sit left of the plot area.
WIDTH = 760
HEIGHT = 290
PLOT_LEFT = 250
PLOT_RIGHT = 740
PLOT_TOP = 20
PLOT_BOTTOM = 240
TOP_STEP = 5
STEP_HEIGHT = (PLOT_BOTTOM - PLOT_TOP) / TOP_STEP  # 44 units per step
STEP_LABELS: Mapping[int, str] = {int(s.value): f"{s.value} {s.label}" for s in Step}
LINE_COLOUR = "#0059b3"  # DKFDS primary blue; 7:1 on white
GRID_COLOUR = "#d8d8d8"
TEXT_COLOUR = "#1a1a1a"


@dataclass(frozen=True)
class StepPoint:
    """From `day` on, the child stood on `step` (None: no active intervention)."""

    day: datetime.date
    step: int | None
    reason: str = ""


@dataclass(frozen=True)
class Segment:
    """A horizontal piece of the line: `step` from x1 to x2, at height y."""

    x1: float
    x2: float
    y: float
    step: int


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class TableRow:
    day: datetime.date
    until: datetime.date | None  # None: still so at the chart's end
    step: int | None
    label: str
    reason: str


@dataclass
class StairChart:
    title: str
    desc: str
    segments: list[Segment] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    svg: SafeString = SafeString("")
    table_html: SafeString = SafeString("")  # the data table's rows (<tr>...), escaped

    @property
    def is_empty(self) -> bool:
        return not self.rows


def x_for(day: datetime.date, start: datetime.date, end: datetime.date) -> float:
    """The x of `day` on a time axis from `start` to `end` (clamped to the plot area)."""
    span = max((end - start).days, 1)
    days = min(max((day - start).days, 0), span)
    return round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * days / span, 1)


def y_for(step: int) -> float:
    """The y of a step: 5 at the top of the plot area, 0 at the bottom."""
    return round(PLOT_BOTTOM - STEP_HEIGHT * step, 1)


def staircase_chart(
    points: Sequence[StepPoint],
    *,
    start: datetime.date,
    end: datetime.date,
    title: str,
    labels: Mapping[int, str] = STEP_LABELS,
    chart_id: str = "trappen-chart",
) -> StairChart:
    """The chart of a path: `points` in any order (sorted here by day; of several on one day the
    last given wins), drawn from `start` (or the first point, if earlier) to `end`."""
    path = _normalised(points)
    if path and path[0].day < start:
        start = path[0].day
    if end < start:
        end = start
    chart = StairChart(title=title, desc=_describe(path, labels, end))
    for i, point in enumerate(path):
        until = path[i + 1].day if i + 1 < len(path) else None
        label = labels.get(point.step, str(point.step)) if point.step is not None else ""
        chart.rows.append(
            TableRow(point.day, until, point.step, label or "Ingen aktiv indsats", point.reason)
        )
        if point.step is not None:
            x2 = x_for(until or end, start, end)
            chart.segments.append(
                Segment(x_for(point.day, start, end), x2, y_for(point.step), point.step)
            )
    chart.y_ticks = [Tick(y_for(step), labels.get(step, str(step))) for step in range(6)]
    chart.x_ticks = _time_ticks(start, end)
    chart.svg = _svg(chart, chart_id)
    chart.table_html = _table_rows(chart.rows)
    return chart


def path_from_movements(movements) -> list[StepPoint]:
    """The path as recorded: one point per step movement (`moved_on`, `to_step`, `reason`)."""
    return [StepPoint(m.moved_on, m.to_step, m.reason) for m in movements]


def path_from_interventions(interventions) -> list[StepPoint]:
    """The path derived from the interventions when no movement was recorded: on each day an
    intervention starts or the day after one ends, the child's step is the highest active one
    (`services.current_step`, the one rule for it)."""
    days = set()
    for i in interventions:
        days.add(i.start_on)
        if i.end_on is not None:
            days.add(i.end_on + datetime.timedelta(days=1))
    return [StepPoint(day, current_step(interventions, day)) for day in sorted(days)]


def _normalised(points: Sequence[StepPoint]) -> list[StepPoint]:
    """Sorted by day, one point per day (the last), and repeats of the same step dropped."""
    by_day: dict[datetime.date, StepPoint] = {}
    for point in points:
        by_day[point.day] = point
    path: list[StepPoint] = []
    for day in sorted(by_day):
        point = by_day[day]
        if path and path[-1].step == point.step:
            continue
        path.append(point)
    return path


def _describe(path: list[StepPoint], labels: Mapping[int, str], end: datetime.date) -> str:
    if not path:
        return "Barnet har ingen registrerede trin på indsatstrappen."
    steps = [p.step for p in path if p.step is not None]
    last = path[-1]
    now = labels.get(last.step, "") if last.step is not None else "ingen aktiv indsats"
    if not steps:
        return f"Ingen trin registreret fra {path[0].day:%d.%m.%Y} til {end:%d.%m.%Y}."
    return (
        f"Fra {path[0].day:%d.%m.%Y} til {end:%d.%m.%Y}: {len(path)} ændringer, "
        f"højeste trin {max(steps)}, laveste trin {min(steps)}; "
        f"senest fra {last.day:%d.%m.%Y}: {now}."
    )


def _time_ticks(start: datetime.date, end: datetime.date) -> list[Tick]:
    """One tick per 1 January inside the range (every second year past 8 years); a short range
    without a new year gets its first and last day."""
    years = list(range(start.year + 1, end.year + 1))
    stride = 2 if len(years) > 8 else 1
    ticks = [
        Tick(x_for(datetime.date(y, 1, 1), start, end), str(y))
        for y in years
        if (y - years[0]) % stride == 0
    ]
    if not ticks:
        ticks = [
            Tick(x_for(start, start, end), f"{start:%d.%m.%Y}"),
            Tick(x_for(end, start, end), f"{end:%d.%m.%Y}"),
        ]
    return ticks


X_LABEL_HALF_WIDTH = 40  # half a date label ("23.11.2026") at font size 12


def x_label_anchor(at: float) -> str:
    """Centre a date label on its tick, unless half of it would spill past the chart's edge."""
    return "end" if at + X_LABEL_HALF_WIDTH > WIDTH else "middle"


def _svg(chart: StairChart, chart_id: str) -> SafeString:
    """The markup; every text is escaped, numbers are formatted here (no inline styles: CSP)."""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%"'
        f' role="img" aria-labelledby="{title_id} {desc_id}" class="trappen-chart"'
        f' font-family="inherit" font-size="12">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.desc)}</desc>',
    ]
    for tick in chart.y_ticks:
        parts.append(
            f'<line x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{tick.at}" y2="{tick.at}"'
            f' stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{PLOT_LEFT - 8}" y="{tick.at}" dy="4" text-anchor="end"'
            f' fill="{TEXT_COLOUR}">{escape(tick.label)}</text>'
        )
    for tick in chart.x_ticks:
        parts.append(
            f'<line x1="{tick.at}" x2="{tick.at}" y1="{PLOT_BOTTOM}" y2="{PLOT_BOTTOM + 6}"'
            f' stroke="{TEXT_COLOUR}" stroke-width="1"/>'
            f'<text x="{tick.at}" y="{PLOT_BOTTOM + 22}" text-anchor="{x_label_anchor(tick.at)}"'
            f' fill="{TEXT_COLOUR}">{escape(tick.label)}</text>'
        )
    parts.append(
        f'<line x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{PLOT_BOTTOM}" y2="{PLOT_BOTTOM}"'
        f' stroke="{TEXT_COLOUR}" stroke-width="1"/>'
    )
    parts.append(f'<g fill="none" stroke="{LINE_COLOUR}" stroke-width="3">')
    for path in _polylines(chart.segments):
        points = " ".join(f"{x},{y}" for x, y in path)
        parts.append(f'<polyline points="{points}"/>')
    parts.append("</g>")
    parts.append(f'<g fill="{LINE_COLOUR}">')
    for segment in chart.segments:
        parts.append(f'<circle cx="{segment.x1}" cy="{segment.y}" r="4"/>')
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 (numbers and escaped text only)


def _table_rows(rows: list[TableRow]) -> SafeString:
    """The data table's rows: from, to ("nu" while it lasts), the step and the reason."""
    html = "".join(
        f"<tr><td>{_day(r.day)}</td><td>{_day(r.until) if r.until else 'nu'}</td>"
        f"<td>{escape(r.label)}</td><td>{escape(r.reason) or '–'}</td></tr>"
        for r in rows
    )
    return mark_safe(html)  # noqa: S308 (dates formatted here, texts escaped)


def _day(value: datetime.date) -> str:
    return f"{value.day}.{value.month}.{value.year}"


def _polylines(segments: list[Segment]) -> list[list[tuple[float, float]]]:
    """Join segments that meet (one ends where the next begins) into one step line each."""
    lines: list[list[tuple[float, float]]] = []
    for segment in segments:
        if lines and lines[-1][-1][0] == segment.x1:
            lines[-1].append((segment.x1, segment.y))
        else:
            lines.append([(segment.x1, segment.y)])
        lines[-1].append((segment.x2, segment.y))
    return lines
