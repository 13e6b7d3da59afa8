"""A child's levels on the shared scale over time, as a small server-side SVG.

`level_chart(points, title=...)` is a pure function: (day, level) pairs in, the SVG markup out
(DESIGN.md: server-side SVG; the page shows the data table beside it, which is the text
alternative). x is time from the first to the last assessment, y the level 1 (bottom) to 5
(top); each assessment is a dot in its level's colour joined by a line. The SVG has role="img",
a <title> and a <desc> that says the same in words.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from trappen.core.vocabulary import ConcernLevel

WIDTH, HEIGHT = 520, 190
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 150, 500, 15, 165
LEVEL_HEIGHT = (PLOT_BOTTOM - PLOT_TOP) / 4  # from level 1 to level 5
LINE_COLOUR = "#0059b3"
GRID_COLOUR = "#d8d8d8"
TEXT_COLOUR = "#1a1a1a"
# The scale's colours (grøn, gul, orange, rød, mørkerød), dark enough to see on white.
LEVEL_COLOURS = {1: "#358000", 2: "#b38600", 3: "#d35400", 4: "#c0392b", 5: "#7b1010"}


def x_for(day: datetime.date, start: datetime.date, end: datetime.date) -> float:
    """The x of `day` between `start` (left) and `end` (right); one day: the middle."""
    span = (end - start).days
    if span <= 0:
        return (PLOT_LEFT + PLOT_RIGHT) / 2
    return round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (day - start).days / span, 1)


def y_for(level: int) -> float:
    """The y of a level: 5 at the top of the plot area, 1 at the bottom."""
    return round(PLOT_BOTTOM - LEVEL_HEIGHT * (level - 1), 1)


def describe(points: Sequence[tuple[datetime.date, int]]) -> str:
    if not points:
        return "Barnet er ikke vurderet endnu."
    first, last = points[0], points[-1]
    return (
        f"{len(points)} vurderinger fra {first[0]:%d.%m.%Y} til {last[0]:%d.%m.%Y}; "
        f"højeste niveau {max(p[1] for p in points)}, laveste {min(p[1] for p in points)}; "
        f"senest {ConcernLevel(last[1]).label}."
    )


def level_chart(
    points: Sequence[tuple[datetime.date, int]], *, title: str, chart_id: str = "niveauer"
) -> SafeString:
    """The SVG of the levels (points in any order; sorted here by day, stable)."""
    points = sorted(points, key=lambda p: p[0])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="trappen-level-chart" '
        f'width="100%" style="max-width:{WIDTH}px">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(points))}</desc>',
    ]
    for level in ConcernLevel:
        y = y_for(level.value)
        parts.append(
            f'<line x1="{PLOT_LEFT}" y1="{y}" x2="{PLOT_RIGHT}" y2="{y}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{PLOT_LEFT - 8}" y="{y + 4}" text-anchor="end" font-size="12" '
            f'fill="{TEXT_COLOUR}">{escape(level.label)}</text>'
        )
    if points:
        start, end = points[0][0], points[-1][0]
        coords = [(x_for(day, start, end), y_for(level)) for day, level in points]
        if len(coords) > 1:
            line = " ".join(f"{x},{y}" for x, y in coords)
            parts.append(
                f'<polyline points="{line}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2"/>'
            )
        for (x, y), (day, level) in zip(coords, points, strict=True):
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="5" fill="{LEVEL_COLOURS[level]}" '
                f'stroke="#ffffff" stroke-width="1.5"><title>{day:%d.%m.%Y}: '
                f"{escape(ConcernLevel(level).label)}</title></circle>"
            )
        parts.append(
            f'<text x="{PLOT_LEFT}" y="{HEIGHT - 5}" font-size="12" fill="{TEXT_COLOUR}">'
            f"{start:%d.%m.%Y}</text>"
        )
        if end != start:
            parts.append(
                f'<text x="{PLOT_RIGHT}" y="{HEIGHT - 5}" text-anchor="end" font-size="12" '
                f'fill="{TEXT_COLOUR}">{end:%d.%m.%Y}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
