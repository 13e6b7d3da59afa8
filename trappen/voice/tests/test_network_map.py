"""The network map's SVG (trappen/voice/network_map.py): each person on the circle of their
closeness, the names escaped, the labels apart, the accessible name."""

import math
import re

import pytest

from trappen.voice.network_map import CHAR_WIDTH, MapPerson, network_map

CENTRE = 380
DOT = re.compile(
    r'<g class="network-person" data-closeness="(\d)"><title>([^<]*)</title>'
    r'<circle cx="([\d.]+)" cy="([\d.]+)"'
)


def _dots(svg: str) -> list[tuple[int, str, float, float]]:
    return [(int(c), t, float(x), float(y)) for c, t, x, y in DOT.findall(svg)]


def test_each_person_sits_on_the_circle_of_their_closeness():
    persons = [MapPerson(f"Person {n}", closeness) for n, closeness in enumerate([1, 2, 3, 1, 3])]
    dots = _dots(network_map("Anna", persons).svg)
    assert len(dots) == 5
    # The circles by hand: 90, 165 and 240 units from the centre (380, 380).
    expected = {1: 90, 2: 165, 3: 240}
    for closeness, _, x, y in dots:
        assert math.hypot(x - CENTRE, y - CENTRE) == pytest.approx(expected[closeness], abs=0.15)
    assert 'r="90"' in network_map("Anna", []).svg and 'r="240"' in network_map("Anna", []).svg


def test_one_person_is_at_twelve_o_clock_and_four_are_spread_evenly():
    (dot,) = _dots(network_map("Anna", [MapPerson("Mormor", 2)]).svg)
    assert (dot[2], dot[3]) == (380.0, 215.0)  # 165 straight up
    # Two on each inner circle: the arc of 280° starts at 220° (clockwise from 12 o'clock), so
    # the four slots are 255°, 325°, 35° and 105°; each circle's own persons alternate.
    persons = [MapPerson("A", 1), MapPerson("B", 1), MapPerson("C", 2), MapPerson("D", 2)]
    layout = network_map("Anna", persons)
    assert [(p.person.name, p.angle) for p in layout.placed] == [
        ("A", 255.0),
        ("C", 325.0),
        ("B", 35.0),
        ("D", 105.0),
    ]
    a = layout.placed[0]
    # 90 · sin 255° = -86.93, 90 · cos 255° = -23.29
    assert (a.x, a.y) == (293.1, 403.3)
    assert a.anchor == "end"  # left half: the name is turned to read left to right


def test_names_are_escaped_and_there_is_no_script():
    svg = network_map(
        'Anna "<b>"', [MapPerson("<script>alert(1)</script>", 1, relation="Mor & far")]
    ).svg
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "Mor &amp; far" in svg


def test_the_map_has_an_accessible_name_and_the_circles_are_labelled():
    persons = [MapPerson("Mormor", 1), MapPerson("Nabo", 3), MapPerson("Træner", 3)]
    svg = network_map("Anna Testesen", persons).svg
    assert 'role="img"' in svg
    assert (
        'aria-label="Netværkskort for Anna Testesen. Anna Testesens netværk: 3 personer; '
        '1 tæt på barnet, 0 nogen kontakt, 2 længere væk."' in svg
    )
    assert '<title id="netvaerkskort-title">Netværkskort for Anna Testesen</title>' in svg
    for label in ("Tæt på barnet", "Nogen kontakt", "Længere væk"):
        assert f">{label}</text>" in svg
    assert "style=" not in svg and "<script" not in svg and "on" + "load" not in svg


def _segment(p):
    """The label as a segment from its start along the ray, its estimated length long."""
    rad = math.radians(p.angle)
    dx, dy = math.sin(rad), -math.cos(rad)
    return (p.label_x, p.label_y), (p.label_x + dx * p.label_width, p.label_y + dy * p.label_width)


def _distance(a, b) -> float:
    """Smallest distance between two segments (they do not cross: checked separately)."""

    def point_segment(p, s):
        (x1, y1), (x2, y2) = s
        vx, vy = x2 - x1, y2 - y1
        if vx == vy == 0:
            return math.hypot(p[0] - x1, p[1] - y1)
        t = max(0.0, min(1.0, ((p[0] - x1) * vx + (p[1] - y1) * vy) / (vx * vx + vy * vy)))
        return math.hypot(p[0] - (x1 + t * vx), p[1] - (y1 + t * vy))

    return min(
        point_segment(a[0], b),
        point_segment(a[1], b),
        point_segment(b[0], a),
        point_segment(b[1], a),
    )


def test_fifteen_long_names_have_labels_apart_and_inside_the_map():
    for rings in ([1] * 15, [1, 2, 3] * 5, [3] * 15, [1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3]):
        persons = [MapPerson(f"Fornavn Efternavnesen {n}", c) for n, c in enumerate(rings)]
        placed = network_map("Anna", persons).placed
        segments = [_segment(p) for p in placed]
        for i in range(len(placed)):
            for j in range(i + 1, len(placed)):
                # a label is 13 high: its middle lines must be more than 13 apart
                assert _distance(segments[i], segments[j]) > 13, (rings, i, j)
                # and no label runs over another person's dot (radius 6)
                dot = (placed[j].x, placed[j].y)
                assert _distance((dot, dot), segments[i]) > 6 + 7
        for (x1, y1), (x2, y2) in segments:
            assert all(0 <= v <= 760 for v in (x1, y1, x2, y2))
        assert len({p.angle for p in placed}) == 15


def test_a_name_too_long_for_its_room_is_shortened():
    name = "Anne-Marie Kristine Vestergaard-Christensen"
    (p,) = network_map("Anna", [MapPerson(name, 3)]).placed
    # Straight up from 250 to the edge at 372: 122 units, 15 characters of 7.8.
    assert int(122 // CHAR_WIDTH) == 15
    assert p.label == "Anne-Marie Kri…" and len(p.label) == 15
    assert f"<title>{name}</title>" in network_map("Anna", [MapPerson(name, 3)]).svg
