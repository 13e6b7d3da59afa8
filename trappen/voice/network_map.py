"""The child's network map as a server-side SVG (docs/voice-network.md).

`network_map` is a pure function: the child's name and the persons (name, relation, closeness)
in, the layout and the SVG markup out; every text is escaped, and there are no inline scripts or
styles (the Content-Security-Policy allows neither). The table beside the map is the text
alternative: the SVG has role="img", an aria-label counting the persons per circle, a <title>
and a <desc>, and each dot carries the person's full name in its own <title>.

Layout. The child is in the centre; three concentric circles (`RADII`) are the closeness
(`people.Closeness`: 1 "Tæt på barnet", 2 "Nogen kontakt", 3 "Længere væk"), each labelled below
its line at the bottom of the map. Each person is a dot on the circle of their closeness, and
the name is written along the ray from the centre through the dot, outwards (turned over on the
left half so it reads left to right). The persons share one arc of 280° (the bottom 80° is kept
for the circles' labels): each circle's persons are spread evenly over it (person i of n at
(i + ½)/n), and then all persons, in that order, get their own angle, evenly spaced. So no two
persons share an angle, labels of one ray never cross another ray, and two neighbouring labels
are at least (r₁ + 10)·sin(280°/N) apart: 32 units for 15 persons (a label is 13 high), and
still more than 14 for 40. A name longer than the room to the edge of the map is shortened
with "…" (the dot's <title> and the table have it in full).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

from trappen.people.models import Closeness

SIZE = 760
CENTRE = SIZE / 2
RADII = {Closeness.CLOSE: 90, Closeness.SOME: 165, Closeness.DISTANT: 240}
RING_LABELS = {int(c.value): c.label for c in Closeness}
DOT_RADIUS = 6
CHILD_RADIUS = 22
LABEL_GAP = 10  # from the circle to the start of the name
FONT_SIZE = 13
CHAR_WIDTH = 0.6 * FONT_SIZE  # a generous average width of a character, for the room a name needs
EDGE_MARGIN = 8
MAX_LABEL_CHARS = 30
KEPT_SECTOR = 80  # degrees at the bottom of the map, for the circles' labels
ARC_START = 180 + KEPT_SECTOR / 2  # degrees clockwise from 12 o'clock
ARC = 360 - KEPT_SECTOR
DOT_COLOUR = "#0059b3"  # DKFDS primary blue; 7:1 on white
RING_COLOUR = "#8a8a8a"
CHILD_FILL = "#e5eef8"
TEXT_COLOUR = "#1a1a1a"
HALO = 'stroke="#ffffff" stroke-width="3" paint-order="stroke"'  # names stay legible on a line


@dataclass(frozen=True)
class MapPerson:
    name: str
    closeness: int
    relation: str = ""


@dataclass(frozen=True)
class PlacedPerson:
    """A person on the map: the dot at (x, y) on its circle at `angle` (degrees clockwise from
    12 o'clock), and the label written from (label_x, label_y) along the ray, `label_width`
    units long (estimated from its characters)."""

    person: MapPerson
    angle: float
    radius: float
    x: float
    y: float
    label: str
    label_x: float
    label_y: float
    rotation: float
    anchor: str
    label_width: float


@dataclass
class NetworkMap:
    title: str
    description: str
    placed: list[PlacedPerson] = field(default_factory=list)
    svg: SafeString = SafeString("")


def network_map(
    child_name: str, persons: Sequence[MapPerson], *, map_id: str = "netvaerkskort"
) -> NetworkMap:
    """The map of `persons` around the child. A person whose closeness is not 1–3 is drawn on
    the outer circle (the services never store one)."""
    persons = [p if p.closeness in RADII else _outermost(p) for p in persons]
    result = NetworkMap(
        title=f"Netværkskort for {child_name}", description=_describe(child_name, persons)
    )
    order = _angle_order(persons)
    count = len(order)
    for slot, person in enumerate(order):
        angle = (ARC_START + (slot + 0.5) * ARC / count) % 360
        result.placed.append(_place(person, angle))
    result.svg = _svg(result, child_name, map_id)
    return result


def _outermost(person: MapPerson) -> MapPerson:
    return MapPerson(person.name, int(Closeness.DISTANT), person.relation)


def _angle_order(persons: list[MapPerson]) -> list[MapPerson]:
    """Each circle's persons spread evenly over the arc, then merged by where they would sit."""
    keyed = []
    for closeness in RADII:
        ring = [p for p in persons if p.closeness == closeness]
        for i, person in enumerate(ring):
            keyed.append(((i + 0.5) / len(ring), closeness, i, person))
    keyed.sort(key=lambda item: item[:3])
    return [item[3] for item in keyed]


def point(radius: float, angle: float) -> tuple[float, float]:
    """The point at `radius` from the centre, `angle` degrees clockwise from 12 o'clock."""
    rad = math.radians(angle)
    return CENTRE + radius * math.sin(rad), CENTRE - radius * math.cos(rad)


def room_to_edge(start: float, angle: float) -> float:
    """How far a label starting `start` from the centre may run along the ray to the map's edge."""
    rad = math.radians(angle)
    half = CENTRE - EDGE_MARGIN
    limits = [half / abs(f) for f in (math.sin(rad), math.cos(rad)) if abs(f) > 1e-9]
    return min(limits) - start


def shorten(name: str, room: float) -> str:
    most = max(1, min(MAX_LABEL_CHARS, int(room // CHAR_WIDTH)))
    name = " ".join(name.split())
    if len(name) <= most:
        return name
    return name[: most - 1].rstrip() + "…"


def _place(person: MapPerson, angle: float) -> PlacedPerson:
    radius = RADII[person.closeness]
    x, y = point(radius, angle)
    start = radius + LABEL_GAP
    label = shorten(person.name, room_to_edge(start, angle))
    lx, ly = point(start, angle)
    left = math.sin(math.radians(angle)) < -1e-9
    rotation = angle - 270 if left else angle - 90
    return PlacedPerson(
        person=person,
        angle=round(angle, 2),
        radius=radius,
        x=round(x, 1),
        y=round(y, 1),
        label=label,
        label_x=round(lx, 1),
        label_y=round(ly, 1),
        rotation=round(rotation, 2),
        anchor="end" if left else "start",
        label_width=len(label) * CHAR_WIDTH,
    )


def _describe(child_name: str, persons: list[MapPerson]) -> str:
    if not persons:
        return f"Der er ingen personer på {child_name}s netværkskort endnu."
    counts = {c: sum(1 for p in persons if p.closeness == c) for c in RADII}
    parts = [f"{counts[c]} {RING_LABELS[c].lower()}" for c in RADII]
    total = len(persons)
    noun = "person" if total == 1 else "personer"
    return f"{child_name}s netværk: {total} {noun}; {', '.join(parts)}."


def _svg(result: NetworkMap, child_name: str, map_id: str) -> SafeString:
    title_id, desc_id = f"{map_id}-title", f"{map_id}-desc"
    label = f"{result.title}. {result.description}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="100%"'
        f' role="img" aria-label="{escape(label)}" aria-describedby="{desc_id}"'
        f' class="trappen-chart trappen-network-map" id="{escape(map_id)}"'
        f' font-family="inherit" font-size="{FONT_SIZE}">',
        f'<title id="{title_id}">{escape(result.title)}</title>',
        f'<desc id="{desc_id}">{escape(result.description)}</desc>',
    ]
    for closeness, radius in RADII.items():
        parts.append(
            f'<circle class="network-ring" data-closeness="{int(closeness)}" cx="{CENTRE}"'
            f' cy="{CENTRE}" r="{radius}" fill="none" stroke="{RING_COLOUR}" stroke-width="1"/>'
            f'<text class="network-ring-label" x="{CENTRE}" y="{CENTRE + radius + 16}"'
            f' text-anchor="middle" font-size="12" fill="{TEXT_COLOUR}">'
            f"{escape(RING_LABELS[int(closeness)])}</text>"
        )
    child_label = shorten(child_name, 2 * (RADII[Closeness.CLOSE] - 14))
    parts.append(
        f'<circle class="network-child" cx="{CENTRE}" cy="{CENTRE}" r="{CHILD_RADIUS}"'
        f' fill="{CHILD_FILL}" stroke="{DOT_COLOUR}" stroke-width="2"/>'
        f'<text x="{CENTRE}" y="{CENTRE + CHILD_RADIUS + 18}" text-anchor="middle"'
        f' font-weight="bold" fill="{TEXT_COLOUR}">{escape(child_label)}</text>'
    )
    for placed in result.placed:
        person = placed.person
        full = f"{person.name} ({person.relation})" if person.relation else person.name
        parts.append(
            f'<g class="network-person" data-closeness="{person.closeness}">'
            f"<title>{escape(full)}</title>"
            f'<circle cx="{placed.x}" cy="{placed.y}" r="{DOT_RADIUS}" fill="{DOT_COLOUR}"/>'
            f'<text x="{placed.label_x}" y="{placed.label_y}" dy="4"'
            f' transform="rotate({placed.rotation} {placed.label_x} {placed.label_y})"'
            f' text-anchor="{placed.anchor}" fill="{TEXT_COLOUR}" {HALO}>'
            f"{escape(placed.label)}</text>"
            "</g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (numbers and escaped text only)
