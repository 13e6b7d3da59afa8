"""The unit's overview (early/overview.py, early/views/overview.py) on hand-built data.

Dates are counted back from TODAY (the pages read today's date), except the quarter tests, which
pass a fixed day (15 May 2025) and dates of their own, so every expectation can be checked by
hand; the municipality's interval is the default 183 days unless a test sets it.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trappen.core.models import AuditEvent, Role, RoleAssignment, UnitKind
from trappen.core.navigation import navigation_for
from trappen.core.tests.factories import (
    ChildFactory,
    UnitFactory,
    WellbeingAssessmentFactory,
    user_with_role,
)
from trappen.core.vocabulary import ConcernLevel
from trappen.early.overview import (
    overdue_reason,
    quarter_ends,
    unit_aggregates,
    unit_overview,
    unit_totals,
)
from trappen.early.trends import Trend
from trappen.early.views.overview import AUDIT_PURPOSE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MAY_15 = datetime.date(2025, 5, 15)


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def assess(child, levels_and_days, unit=None, **kwargs):
    """Assessments of `child` at `unit` (default: the child's unit): (level, days before TODAY)."""
    for level, days in levels_and_days:
        WellbeingAssessmentFactory(
            child=child, unit=unit or child.unit, level=level, assessed_on=ago(days), **kwargs
        )


def by_name(overview):
    return {row.name.split()[0]: row for row in overview.rows}


# --- the professional's overview: who is shown ---


def test_a_professional_sees_only_the_own_units_children(world):
    professional = world.personas["professional"]
    overview = unit_overview(professional, world.school_a, today=TODAY)
    assert set(by_name(overview)) == {"Anna", "Asger"}
    # Sydskolen's professional has no assignment at Nordskolen: nobody, even if asked directly
    other = world.personas["professional_other_school"]
    assert unit_overview(other, world.school_a, today=TODAY).rows == []
    assert set(by_name(unit_overview(other, world.school_b, today=TODAY))) == {"Bertram"}


def test_a_group_bound_professional_sees_only_the_group(world):
    a1 = ChildFactory(municipality=world.municipality, first_name="Alma", unit=world.school_a)
    a1.group_name = "3.a"
    a1.save(update_fields=["group_name"])
    b1 = ChildFactory(municipality=world.municipality, first_name="Bo", unit=world.school_a)
    b1.group_name = "3.b"
    b1.save(update_fields=["group_name"])
    teacher = user_with_role(Role.PROFESSIONAL, None, municipality=world.municipality)
    RoleAssignment.objects.filter(user=teacher).delete()
    RoleAssignment.objects.create(
        user=teacher, role=Role.PROFESSIONAL, unit=world.school_a, group_name="3.a"
    )

    overview = unit_overview(teacher, world.school_a, today=TODAY)
    assert set(by_name(overview)) == {"Alma"}
    assert overview.groups == ["3.a"]
    # asking for another class shows nothing of it: the filter is unknown to this teacher
    asked = unit_overview(teacher, world.school_a, "3.b", today=TODAY)
    assert asked.unknown_group and set(by_name(asked)) == {"Alma"}

    # the whole-unit professional can filter on either class
    professional = world.personas["professional"]
    whole = unit_overview(professional, world.school_a, today=TODAY)
    assert whole.groups == ["3.a", "3.b"]
    assert set(by_name(whole)) == {"Anna", "Asger", "Alma", "Bo"}
    only_b = unit_overview(professional, world.school_a, "3.b", today=TODAY)
    assert set(by_name(only_b)) == {"Bo"} and only_b.group == "3.b"


def test_a_professional_of_a_class_and_of_a_health_service_sees_only_the_class(world):
    # Through the health service the user may see Bo (served there), but on Nordskolen's
    # overview only class 3.a counts.
    health = UnitFactory(municipality=world.municipality, kind=UnitKind.HEALTH_SERVICE)
    alma = ChildFactory(municipality=world.municipality, first_name="Alma", unit=world.school_a)
    bo = ChildFactory(
        municipality=world.municipality, first_name="Bo", unit=world.school_a, health_unit=health
    )
    for child, group in ((alma, "3.a"), (bo, "3.b")):
        child.group_name = group
        child.save(update_fields=["group_name"])
    user = user_with_role(Role.PROFESSIONAL, health)
    RoleAssignment.objects.create(
        user=user, role=Role.PROFESSIONAL, unit=world.school_a, group_name="3.a"
    )
    assert set(by_name(unit_overview(user, world.school_a, today=TODAY))) == {"Alma"}
    assert set(by_name(unit_overview(user, health, today=TODAY))) == {"Bo"}


# --- the professional's overview: levels, trends, the list of children not assessed ---


def test_rows_show_the_latest_level_and_the_trend_of_the_last_three(world):
    professional = world.personas["professional"]
    # Anna: [5, 5, 1, 1, 2] oldest first; the last three [1, 1, 2] give slope 0.5 → rising
    assess(world.anna, [(5, 400), (5, 300), (1, 100), (1, 60), (2, 10)])
    # Asger: [4, 2, 2] → slope (2 - 4) / 2 = -1 → falling; to look again in 20 days
    assess(world.anna_sibling, [(4, 90), (2, 50)])
    WellbeingAssessmentFactory(
        child=world.anna_sibling, level=2, assessed_on=ago(5), look_again_on=TODAY + _days(20)
    )
    rows = by_name(unit_overview(professional, world.school_a, today=TODAY))

    anna, asger = rows["Anna"], rows["Asger"]
    assert anna.level == ConcernLevel.DECLINING and anna.assessed_on == ago(10)
    assert anna.trend == Trend.RISING and anna.highlighted
    assert asger.level == ConcernLevel.DECLINING and asger.assessed_on == ago(5)
    assert asger.trend == Trend.FALLING and not asger.highlighted
    assert asger.look_again_on == TODAY + _days(20)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def test_only_assessments_made_at_the_unit_count(world):
    # The health visitor's assessment (another unit) neither sets the level nor the trend.
    health = UnitFactory(municipality=world.municipality, kind=UnitKind.HEALTH_SERVICE)
    assess(world.anna, [(1, 30)])
    assess(world.anna, [(5, 3)], unit=health)
    row = by_name(unit_overview(world.personas["professional"], world.school_a, today=TODAY))
    assert row["Anna"].level == ConcernLevel.THRIVING
    assert row["Anna"].trend == Trend.FIRST


def test_same_day_assessments_are_ordered_by_when_they_were_recorded(world):
    # Two assessments on one day: the one recorded later is the latest ([3, 1] → falling).
    early = timezone.now() - datetime.timedelta(days=2)
    WellbeingAssessmentFactory(child=world.anna, level=1, assessed_on=ago(14), recorded_at=early)
    WellbeingAssessmentFactory(
        child=world.anna, level=3, assessed_on=ago(14), recorded_at=early - _days(1)
    )
    row = by_name(unit_overview(world.personas["professional"], world.school_a, today=TODAY))
    assert row["Anna"].level == ConcernLevel.THRIVING and row["Anna"].trend == Trend.FALLING


def test_the_not_assessed_list(world):
    m = world.municipality
    names = ("Never", "Old", "Edge", "Passed", "DueToday", "Fresh")
    kids = {n: ChildFactory(municipality=m, first_name=n, unit=world.school_a) for n in names}
    assess(kids["Old"], [(2, 184)])  # 184 > 183 days: listed
    assess(kids["Edge"], [(2, 183)])  # exactly 183 days: still in time
    assess(kids["Passed"], [(3, 30)], look_again_on=ago(1))  # the date to look again passed
    assess(kids["DueToday"], [(3, 30)], look_again_on=TODAY)  # due today: not yet passed
    assess(kids["Fresh"], [(1, 10)])
    assess(world.anna, [(1, 10)])
    assess(world.anna_sibling, [(1, 10)])

    overview = unit_overview(world.personas["professional"], world.school_a, today=TODAY)
    listed = [(row.name.split()[0], row.overdue) for row in overview.not_assessed]
    # never assessed first, then the oldest assessment first
    assert listed == [
        ("Never", "Aldrig vurderet"),
        ("Old", "Sidst vurderet for 184 dage siden"),
        ("Passed", f"Skulle vurderes igen {ago(1):%d.%m.%Y}"),
    ]

    # a municipality that assesses every 90 days lists "Edge" (183 days) too
    m.assessment_interval_days = 90
    m.save(update_fields=["assessment_interval_days"])
    world.school_a.municipality.refresh_from_db()
    overview = unit_overview(world.personas["professional"], world.school_a, today=TODAY)
    assert {row.name.split()[0] for row in overview.not_assessed} == {
        "Never",
        "Old",
        "Edge",
        "Passed",
    }


def test_overdue_reason_boundaries():
    from trappen.early.overview import Seen

    assert overdue_reason(None, TODAY, 183) == "Aldrig vurderet"
    assert overdue_reason(Seen(ago(183), 2, None), TODAY, 183) is None
    assert (
        overdue_reason(Seen(ago(184), 2, None), TODAY, 183) == "Sidst vurderet for 184 dage siden"
    )
    assert overdue_reason(Seen(ago(10), 2, TODAY), TODAY, 183) is None
    assert overdue_reason(Seen(ago(10), 2, ago(1)), TODAY, 183) is not None


# --- the leader's aggregates ---


def _child(world, name, group, unit=None):
    child = ChildFactory(
        municipality=world.municipality, first_name=name, unit=unit or world.school_a
    )
    child.group_name = group
    child.save(update_fields=["group_name"])
    return child


def test_unit_aggregates_count_per_group_and_level(world):
    # Anna and Asger have no group ("Uden stue/klasse"): Anna level 3, Asger never assessed.
    assess(world.anna, [(1, 100), (3, 20)])
    # 3.a: level 2, level 4, never assessed
    assess(_child(world, "A1", "3.a"), [(2, 10)])
    assess(_child(world, "A2", "3.a"), [(5, 40), (4, 10)])
    _child(world, "A3", "3.a")
    # 3.b: level 1 and an overdue level 3 (200 days old)
    assess(_child(world, "B1", "3.b"), [(1, 10)])
    assess(_child(world, "B2", "3.b"), [(3, 200)])
    # Sydskolen's child does not count
    assess(world.bertram, [(5, 1)])

    agg = unit_aggregates(world.school_a, today=TODAY)
    got = {g.group: (g.by_level, g.never, g.overdue, g.children) for g in agg.groups}
    assert got == {
        "": ((0, 0, 1, 0, 0), 1, 0, 2),
        "3.a": ((0, 1, 0, 1, 0), 1, 0, 3),
        "3.b": ((1, 0, 1, 0, 0), 0, 1, 2),
    }
    assert agg.total.by_level == (1, 1, 2, 1, 0)
    assert (agg.total.never, agg.total.overdue, agg.total.children) == (2, 1, 7)


def test_quarter_ends_are_hand_checked():
    # 15 May 2025 is in 2025 K2; the four quarters are 2024 K3 … 2025 K2 (up to today)
    assert quarter_ends(MAY_15) == [
        ("2024 K3", datetime.date(2024, 9, 30)),
        ("2024 K4", datetime.date(2024, 12, 31)),
        ("2025 K1", datetime.date(2025, 3, 31)),
        ("2025 K2 (til dato)", MAY_15),
    ]
    assert quarter_ends(datetime.date(2025, 1, 1))[0] == ("2024 K2", datetime.date(2024, 6, 30))


def test_unit_distribution_per_quarter(world):
    d = datetime.date
    # Anna: level 2 on 1.8.2024, level 4 on 1.2.2025.
    #   K3 (30.9.2024): latest 2 (60 days old) → level 2; K4 (31.12.2024): 2 (152 days) → 2;
    #   K1 (31.3.2025): 4 → 4; K2 (15.5.2025): 4 (103 days) → 4.
    WellbeingAssessmentFactory(child=world.anna, level=2, assessed_on=d(2024, 8, 1))
    WellbeingAssessmentFactory(child=world.anna, level=4, assessed_on=d(2025, 2, 1))
    # Leaver: assessed at Nordskolen on 1.10.2024 (level 3), since moved to Sydskolen.
    #   K3: nothing yet; K4: 3 (91 days); K1: 3 (181 days ≤ 183); K2: 226 days → not counted.
    leaver = ChildFactory(municipality=world.municipality, first_name="Leo", unit=world.school_b)
    WellbeingAssessmentFactory(
        child=leaver, unit=world.school_a, level=3, assessed_on=d(2024, 10, 1)
    )
    # Asger: level 1 on 1.1.2024: 273 days old at K3's end → never counted; and an assessment
    #   at Sydskolen is not Nordskolen's.
    WellbeingAssessmentFactory(child=world.anna_sibling, level=1, assessed_on=d(2024, 1, 1))
    WellbeingAssessmentFactory(
        child=world.anna_sibling, unit=world.school_b, level=5, assessed_on=d(2025, 4, 1)
    )

    quarters = unit_aggregates(world.school_a, today=MAY_15).quarters
    assert [(q.label, q.by_level) for q in quarters] == [
        ("2024 K3", (0, 1, 0, 0, 0)),
        ("2024 K4", (0, 1, 1, 0, 0)),
        ("2025 K1", (0, 0, 1, 1, 0)),
        ("2025 K2 (til dato)", (0, 0, 0, 1, 0)),
    ]
    assert [q.assessed for q in quarters] == [1, 2, 2, 1]


def test_the_aggregates_hold_no_names_and_no_child_ids(world):
    assess(world.anna, [(3, 10)])
    agg = unit_aggregates(world.school_a, today=TODAY)
    text = repr(agg.groups) + repr(agg.total) + repr(agg.quarters)
    assert "Anna" not in text and "Asger" not in text
    assert not any(hasattr(g, "child_id") or hasattr(g, "child_ids") for g in agg.groups)


def test_unit_totals_for_several_units(world):
    assess(world.anna, [(3, 10)])
    assess(world.bertram, [(5, 10), (1, 300)], unit=world.school_b)
    # Nordskolen: Anna at 3, Asger never assessed; Sydskolen: Bertram's latest is 5 (10 days)
    totals = unit_totals([world.school_a, world.school_b], today=TODAY, interval=183)
    assert [(t.group, t.by_level, t.never, t.overdue) for t in totals] == [
        ("Nordskolen", (0, 0, 1, 0, 0), 1, 0),
        ("Sydskolen", (0, 0, 0, 0, 1), 0, 0),
    ]
    assert unit_totals([], today=TODAY, interval=183) == []


# --- the pages ---


def url(unit) -> str:
    return reverse("early:unit_overview", kwargs={"unit_id": unit.pk})


def get(client, user, address):
    client.force_login(user)
    return client.get(address)


def test_it_shows_the_professional_the_children_with_level_text_and_trend(world, client):
    assess(world.anna, [(1, 60), (1, 30), (2, 10)])  # rising
    response = get(client, world.personas["professional"], url(world.school_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna" in html and "Asger" in html and "Bertram" not in html
    # the level as colour and text, the trend as arrow and text, the rising row highlighted
    assert 'class="trappen-level trappen-level--gul">2 Faldende trivsel</span>' in html
    assert "<strong>Stigende bekymring</strong>" in html
    assert html.count('class="trappen-rising"') == 1
    assert "Ikke vurderet længe (1)" in html  # Asger, never assessed
    assert "Aldrig vurderet" in html


def test_it_links_to_the_childs_assessments_and_a_new_one(world, client):
    html = get(client, world.personas["professional"], url(world.school_a)).content.decode()
    try:
        history = reverse("early:child_assessments", kwargs={"child_id": world.anna.pk})
        new = reverse("early:assessment_new", kwargs={"child_id": world.anna.pk})
    except Exception:  # the assessments pages are built by another part of issue 6
        pytest.skip("early:child_assessments is not there yet")
    assert f'href="{history}"' in html and f'href="{new}"' in html


def test_it_filters_on_a_group_and_survives_a_strange_one(world, client):
    _child(world, "Alma", "3.a")
    _child(world, "Bo", "3.b")
    professional = world.personas["professional"]
    html = get(client, professional, url(world.school_a) + "?gruppe=3.a").content.decode()
    assert "Alma" in html and "Bo" not in html and "Anna" not in html
    response = get(client, professional, url(world.school_a) + "?gruppe=" + "x" * 500)
    assert response.status_code == 200
    assert "Stuen eller klassen findes ikke" in response.content.decode()


def test_another_units_professional_gets_404(world, client):
    response = get(client, world.personas["professional_other_school"], url(world.school_a))
    assert response.status_code == 404
    assert b"Anna" not in response.content
    # a unit id that does not exist
    response = get(client, world.personas["professional"], "/tidlig-opsporing/enheder/999999/")
    assert response.status_code == 404


def test_others_are_refused(world, client):
    for persona in ("outreach", "alice", "analyst", "parent"):
        response = get(client, world.personas[persona], reverse("early:units"))
        assert response.status_code == 403, persona


def test_the_leader_sees_counts_and_no_names(world, client):
    assess(world.anna, [(4, 10)])
    response = get(client, world.personas["unit_leader"], url(world.school_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna" not in html and "Asger" not in html
    assert "trivsel i tal" in html
    # total row for the one group: level 4 → 1, never → 1 (Asger), children 2
    row = "<td>0</td><td>0</td><td>0</td><td>1</td><td>0</td><td>1</td><td>0</td><td>2</td>"
    assert row in html
    # no children shown: nothing logged
    assert not AuditEvent.objects.filter(purpose=AUDIT_PURPOSE).exists()
    # Sydskolen is not this leader's
    assert get(client, world.personas["unit_leader"], url(world.school_b)).status_code == 404


def test_a_leader_who_is_also_a_professional_can_see_the_children(world, client):
    leader = world.personas["unit_leader"]
    RoleAssignment.objects.create(user=leader, role=Role.PROFESSIONAL, unit=world.school_a)
    html = get(client, leader, url(world.school_a)).content.decode()
    assert "trivsel i tal" in html and "Anna" not in html
    html = get(client, leader, url(world.school_a) + "?visning=boern").content.decode()
    assert "Anna" in html
    # a leader who is not a professional there cannot switch
    other = user_with_role(Role.UNIT_LEADER, world.school_a)
    html = get(client, other, url(world.school_a) + "?visning=boern").content.decode()
    assert "Anna" not in html


def test_the_units_list(world, client):
    html = get(client, world.personas["professional"], reverse("early:units")).content.decode()
    assert "Nordskolen" in html and "Sydskolen" not in html and "Fagperson (hele enheden)" in html
    html = get(client, world.personas["unit_leader"], reverse("early:units")).content.decode()
    assert "Nordskolen" in html and "Leder" in html


def test_the_children_shown_are_logged_in_one_write(world, client):
    before = AuditEvent.objects.count()
    get(client, world.personas["professional"], url(world.school_a))
    logged = AuditEvent.objects.filter(purpose=AUDIT_PURPOSE)
    assert set(logged.values_list("child_id", flat=True)) == {world.anna.pk, world.anna_sibling.pk}
    assert set(logged.values_list("role", flat=True)) == {Role.PROFESSIONAL}
    assert AuditEvent.objects.count() - before == 2


# --- query counts: the same number of queries for 5 children as for 60 ---


def _fill(world, n):
    for i in range(n):
        child = _child(world, f"Fyld{i}", "3.a" if i % 2 else "3.b")
        assess(child, [(1 + i % 5, 300), (2, 100), (1 + (i + 1) % 5, 30), (3, 5)])


def _count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["professional", "unit_leader"])
def test_the_query_count_does_not_grow_with_the_children(
    world, client, persona, django_assert_max_num_queries
):
    client.force_login(world.personas[persona])
    _fill(world, 5)
    few = _count_queries(client, url(world.school_a))
    _fill(world, 55)
    with django_assert_max_num_queries(15):
        client.get(url(world.school_a))
    assert _count_queries(client, url(world.school_a)) == few


def test_the_units_list_query_count(world, client, django_assert_max_num_queries):
    client.force_login(world.personas["professional"])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("early:units")).status_code == 200


# --- the start page and the menu ---


def test_the_leaders_start_page_shows_the_units_levels(
    world, client, django_assert_max_num_queries
):
    assess(world.anna, [(4, 10)])
    client.force_login(world.personas["unit_leader"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("core:home"))
    html = response.content.decode()
    assert ">Trivsel i min enhed</h2>" in html
    assert "Anna" not in html and "Asger" not in html
    assert f'href="{url(world.school_a)}">Nordskolen</a>' in html
    row = "<td>0</td><td>0</td><td>0</td><td>1</td><td>0</td><td>1</td><td>0</td>"
    assert row in html


def test_the_professionals_start_page_links_to_the_overview(world, client):
    html = get(client, world.personas["professional"], reverse("core:home")).content.decode()
    assert f'href="{reverse("early:units")}"' in html


def test_the_menu_shows_min_enhed_to_professionals_and_leaders(world):
    for persona, shown in (
        ("professional", True),
        ("unit_leader", True),
        ("alice", False),
        ("outreach", False),
    ):
        labels = [item.label for item in navigation_for(world.personas[persona])]
        assert ("Min enhed" in labels) is shown, persona
