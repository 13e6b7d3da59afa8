"""The staircase chart: coordinates, ticks, table rows and markup for hand-built paths.

Geometry (charts.py): the plot runs from x=250 to x=740 (490 units) and from y=240 (step 0) up
to y=20 (step 5), 44 units per step. 1 Jan 2020 to 1 Jan 2022 is 731 days (2020 is a leap year).
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from trappen.cases.charts import (
    StepPoint,
    path_from_interventions,
    path_from_movements,
    staircase_chart,
    x_for,
    y_for,
)

D = datetime.date
START, END = D(2020, 1, 1), D(2022, 1, 1)

PATH = [
    StepPoint(D(2021, 10, 1), 2, "Tilbage i hjemmet"),  # given out of order on purpose
    StepPoint(D(2020, 1, 1), 1, "Forældrekursus"),
    StepPoint(D(2021, 1, 1), 3, "Anbragt i netværk"),
    StepPoint(D(2021, 7, 2), None, "Anbringelsen ophørte"),
]


def chart():
    return staircase_chart(PATH, start=START, end=END, title="Annas vej", chart_id="c")


def test_x_and_y_are_computed_from_the_dates_and_steps():
    assert x_for(START, START, END) == 250
    assert x_for(END, START, END) == 740
    assert x_for(D(2021, 1, 1), START, END) == 495.3  # 250 + 490 * 366 / 731
    assert x_for(D(2021, 7, 2), START, END) == 617.3  # 250 + 490 * 548 / 731
    assert x_for(D(2019, 1, 1), START, END) == 250  # clamped
    assert [y_for(s) for s in range(6)] == [240, 196, 152, 108, 64, 20]


@pytest.mark.smoke
def test_the_line_is_a_step_line_broken_where_no_intervention_was_active():
    segments = [(s.x1, s.x2, s.y, s.step) for s in chart().segments]
    assert segments == [
        (250, 495.3, 196, 1),
        (495.3, 617.3, 108, 3),
        (678.3, 740, 152, 2),  # 1 Oct 2021: 250 + 490 * 639 / 731
    ]
    svg = str(chart().svg)
    assert '<polyline points="250.0,196.0 495.3,196.0 495.3,108.0 617.3,108.0"/>' in svg
    assert '<polyline points="678.3,152.0 740.0,152.0"/>' in svg


def test_the_axes_carry_the_step_labels_and_the_years():
    c = chart()
    assert [t.label for t in c.y_ticks] == [
        "0 Indsatser i almenområdet",
        "1 Forebyggende indsatser",
        "2 Hjemmebaserede indsatser",
        "3 Anbringelse i slægt eller netværk",
        "4 Anbringelse i plejefamilie",
        "5 Anbringelse på institution",
    ]
    assert [(t.at, t.label) for t in c.x_ticks] == [(495.3, "2021"), (740, "2022")]


def test_a_short_range_without_a_new_year_is_labelled_by_its_first_and_last_day():
    c = staircase_chart(
        [StepPoint(D(2024, 2, 1), 2)], start=D(2024, 2, 1), end=D(2024, 5, 1), title="t"
    )
    assert [(t.at, t.label) for t in c.x_ticks] == [(250, "01.02.2024"), (740, "01.05.2024")]


def test_a_long_range_labels_every_second_year():
    c = staircase_chart(
        [StepPoint(D(2010, 6, 1), 1)], start=D(2010, 6, 1), end=D(2025, 6, 1), title="t"
    )
    assert [t.label for t in c.x_ticks] == [str(y) for y in range(2011, 2026, 2)]


def test_the_table_is_the_text_alternative():
    rows = [(r.day, r.until, r.step, r.label, r.reason) for r in chart().rows]
    assert rows == [
        (D(2020, 1, 1), D(2021, 1, 1), 1, "1 Forebyggende indsatser", "Forældrekursus"),
        (
            D(2021, 1, 1),
            D(2021, 7, 2),
            3,
            "3 Anbringelse i slægt eller netværk",
            "Anbragt i netværk",
        ),
        (D(2021, 7, 2), D(2021, 10, 1), None, "Ingen aktiv indsats", "Anbringelsen ophørte"),
        (D(2021, 10, 1), None, 2, "2 Hjemmebaserede indsatser", "Tilbage i hjemmet"),
    ]
    assert chart().desc == (
        "Fra 01.01.2020 til 01.01.2022: 4 ændringer, højeste trin 3, laveste trin 1; "
        "senest fra 01.10.2021: 2 Hjemmebaserede indsatser."
    )


def test_the_svg_is_labelled_for_screen_readers_and_escapes_text():
    c = staircase_chart(PATH, start=START, end=END, title="<b>Anna & co</b>", chart_id="c")
    svg = str(c.svg)
    assert svg.startswith("<svg ") and 'role="img"' in svg
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">&lt;b&gt;Anna &amp; co&lt;/b&gt;</title>' in svg
    assert '<desc id="c-desc">Fra 01.01.2020' in svg
    assert "style=" not in svg  # Content-Security-Policy: no inline styles
    assert svg.count("<circle") == 3


def test_same_day_points_keep_the_last_and_repeats_are_dropped():
    c = staircase_chart(
        [
            StepPoint(D(2020, 1, 1), 1),
            StepPoint(D(2020, 1, 1), 2, "rettet"),
            StepPoint(D(2020, 6, 1), 2, "igen trin 2"),
        ],
        start=START,
        end=END,
        title="t",
    )
    assert [(r.day, r.step, r.reason) for r in c.rows] == [(D(2020, 1, 1), 2, "rettet")]


def test_an_earlier_point_widens_the_range_and_an_empty_path_says_so():
    c = staircase_chart([StepPoint(D(2019, 1, 1), 0)], start=START, end=END, title="t")
    assert c.segments[0].x1 == 250 and c.x_ticks[0].label == "2020"
    empty = staircase_chart([], start=START, end=END, title="t")
    assert empty.is_empty and empty.segments == []
    assert empty.desc == "Barnet har ingen registrerede trin på indsatstrappen."


def test_paths_from_movements_and_from_interventions():
    moves = [SimpleNamespace(moved_on=D(2020, 1, 1), to_step=2, reason="Start")]
    assert path_from_movements(moves) == [StepPoint(D(2020, 1, 1), 2, "Start")]
    interventions = [
        SimpleNamespace(step=1, start_on=D(2020, 1, 1), end_on=D(2020, 12, 31)),
        SimpleNamespace(step=2, start_on=D(2020, 6, 1), end_on=None),
        SimpleNamespace(step=4, start_on=D(2021, 3, 1), end_on=D(2021, 3, 31)),
    ]
    assert path_from_interventions(interventions) == [
        StepPoint(D(2020, 1, 1), 1),
        StepPoint(D(2020, 6, 1), 2),  # the highest active step
        StepPoint(D(2021, 1, 1), 2),  # step 1 ended: still 2 (dropped from the chart as a repeat)
        StepPoint(D(2021, 3, 1), 4),
        StepPoint(D(2021, 4, 1), 2),
    ]


def test_date_labels_stay_inside_the_chart():
    from trappen.cases.charts import PLOT_LEFT, PLOT_RIGHT, x_label_anchor

    assert x_label_anchor(PLOT_RIGHT) == "end"  # the last tick: centred it would be cut off
    assert x_label_anchor(PLOT_LEFT) == "middle"
    assert x_label_anchor((PLOT_LEFT + PLOT_RIGHT) / 2) == "middle"
