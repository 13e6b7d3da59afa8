"""The caseload: the next deadline as a traffic light, scope, filters, order, the page."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.cases.caseload import CaseloadFilters, Light, caseload, light_for
from trappen.cases.tests.factories import ChildPlanFactory
from trappen.core.models import AuditEvent, User
from trappen.core.tests.factories import (
    CaseFactory,
    ChildFactory,
    FollowUpFactory,
    InterventionFactory,
    InvestigationFactory,
)

URL = reverse("cases:caseload")


def test_the_traffic_light_boundaries():
    today = datetime.date(2026, 3, 10)
    day = datetime.timedelta(days=1)
    assert light_for(today - day, today) == Light.RED
    assert light_for(today, today) == Light.YELLOW
    assert light_for(today + 14 * day, today) == Light.YELLOW
    assert light_for(today + 15 * day, today) == Light.GREEN
    assert light_for(None, today) == Light.NONE


@pytest.fixture
def scene(world):
    """Team A's four open cases, one per light, plus cases that must not show.

    Anna (alice): investigation due yesterday -> red; also a follow-up in 30 days; step 2.
    Ditte (bob): follow-up in 14 days -> yellow (a held follow-up and a completed
      investigation, both overdue, do not count); step 4 active, step 5 ended.
    Carl (alice): a needed plan due in 20 days -> green (a plan judged not needed and a
      completed one, both overdue, do not count); no active intervention.
    Bent (no caseworker): no deadline.
    """
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    alice, bob = world.personas["alice"], world.personas["bob"]
    # names that sort the same whatever the factories' sequence numbers are
    User.objects.filter(pk=alice.pk).update(first_name="Alice", last_name="Andersen")
    User.objects.filter(pk=bob.pk).update(first_name="Bob", last_name="Berg")
    InvestigationFactory(case=world.anna_case, due_on=today - day)
    FollowUpFactory(intervention=world.anna_intervention, due_on=today + 30 * day)

    def case(name, caseworker, opened_days_ago):
        child = ChildFactory(municipality=world.municipality, first_name=name)
        return CaseFactory(
            child=child,
            team=world.team_a,
            caseworker=caseworker,
            opened_on=today - opened_days_ago * day,
        )

    ditte = case("Ditte", bob, 5)
    step4 = InterventionFactory(case=ditte, step=4)
    InterventionFactory(case=ditte, step=5, start_on=today - 40 * day, end_on=today - day)
    FollowUpFactory(intervention=step4, due_on=today + 14 * day)
    FollowUpFactory(intervention=step4, due_on=today - 5 * day, held_on=today - 5 * day)
    InvestigationFactory(case=ditte, due_on=today - 10 * day, completed_on=today - 11 * day)

    carl = case("Carl", alice, 100)
    ChildPlanFactory(case=carl, due_on=today + 20 * day)
    ChildPlanFactory(case=carl, due_on=today - 3 * day, is_needed=False)
    ChildPlanFactory(case=carl, due_on=today - 3 * day, completed_on=today - 4 * day)

    bent = case("Bent", None, 50)
    closed = case("Lukket", alice, 200)
    closed.closed_on = today - day
    closed.save(update_fields=["closed_on"])
    InvestigationFactory(case=closed, due_on=today - 30 * day)
    return SimpleNamespace(anna=world.anna_case, ditte=ditte, carl=carl, bent=bent)


def _names(user, **query):
    filters = CaseloadFilters.from_query(query, user)
    return [r.child_first_name for r in caseload(user, filters)]


def test_the_next_deadline_and_its_light_per_case(world, scene):
    leader = world.personas["team_leader"]
    rows = {r.pk: r for r in caseload(leader, CaseloadFilters(scope="team"))}
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    fields = ("investigation_due", "follow_up_due", "plan_due", "next_due", "current_step")
    values = {pk: tuple(getattr(r, f) for f in fields) for pk, r in rows.items()}
    assert values == {
        scene.anna.pk: (today - day, today + 30 * day, None, today - day, 2),
        scene.ditte.pk: (None, today + 14 * day, None, today + 14 * day, 4),
        scene.carl.pk: (None, None, today + 20 * day, today + 20 * day, None),
        scene.bent.pk: (None, None, None, None, None),
    }  # not the closed case, not team B's


def test_scope_order_and_filters(world, scene):
    leader, alice = world.personas["team_leader"], world.personas["alice"]
    assert _names(leader) == ["Anna", "Ditte", "Carl", "Bent"]  # next deadline, none last
    assert _names(leader, visning="mine") == ["Anna", "Ditte", "Carl", "Bent"]  # leader: team
    assert _names(alice) == ["Anna", "Carl"]  # a caseworker: own cases first
    assert _names(alice, visning="team") == ["Anna", "Ditte", "Carl", "Bent"]
    assert _names(world.personas["charlie"], visning="team") == ["Bertram"]

    assert _names(leader, sorter="barn") == ["Anna", "Bent", "Carl", "Ditte"]
    assert _names(leader, sorter="raadgiver") == ["Anna", "Carl", "Ditte", "Bent"]
    assert _names(leader, sorter="oprettet") == ["Ditte", "Anna", "Bent", "Carl"]

    assert _names(leader, lys="roed") == ["Anna"]
    assert _names(leader, lys="gul") == ["Ditte"]
    assert _names(leader, lys="groen") == ["Carl"]
    assert _names(leader, lys="ingen") == ["Bent"]
    assert _names(leader, trin="4") == ["Ditte"]
    assert _names(leader, trin="ingen") == ["Carl", "Bent"]
    assert _names(leader, raadgiver=str(world.personas["bob"].pk)) == ["Ditte"]
    assert _names(leader, raadgiver="ingen") == ["Bent"]
    assert _names(leader, raadgiver=str(alice.pk), lys="groen") == ["Carl"]
    # nonsense is ignored, never an error
    assert _names(leader, lys="lilla", trin="99", raadgiver="x" * 500, sorter="pk") == [
        "Anna",
        "Ditte",
        "Carl",
        "Bent",
    ]


def test_the_page_shows_the_lights_logs_the_children_and_pins_its_queries(
    world, scene, client, django_assert_max_num_queries
):
    client.force_login(world.personas["team_leader"])
    before = AuditEvent.objects.count()
    with django_assert_max_num_queries(15):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Anna") < html.index("Ditte") < html.index("Carl") < html.index("Bent")
    assert "Overskredet" in html and "Børnefaglig undersøgelse" in html
    assert "Inden for 14 dage" in html and "Opfølgning" in html
    assert "Barnets plan" in html and "Ingen frist" in html
    assert "4: Anbringelse i plejefamilie" in html
    assert 'name="ids"' in html  # the leader may reassign
    logged = AuditEvent.objects.filter(seq__gt=before, purpose="Sagsoversigt")
    assert sorted(logged.values_list("child_id", flat=True)) == sorted(
        [scene.anna.child_id, scene.ditte.child_id, scene.carl.child_id, scene.bent.child_id]
    )
    assert "Lukket" not in html and "Bertram" not in html
    case_url = reverse("cases:detail", kwargs={"case_id": scene.ditte.pk})
    assert f'<a href="{case_url}">Ditte Testesen</a>' in html


def test_a_caseworker_gets_the_table_alone_for_htmx_and_no_reassignment(world, scene, client):
    client.force_login(world.personas["alice"])
    response = client.get(URL, {"visning": "team", "lys": "gul"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="caseload-table">') and "<html" not in html
    assert "Ditte" in html and "Anna" not in html
    assert 'name="ids"' not in html


@pytest.mark.parametrize(
    "query",
    [
        {"side": "-1"},
        {"side": "9" * 40},
        {"lys": "x" * 10000, "trin": "٣", "raadgiver": "1" * 30, "visning": "\x00"},
        {"sorter": "'; drop table cases_case; --"},
    ],
)
def test_any_query_is_answered_without_an_error(world, client, query):
    client.force_login(world.personas["team_leader"])
    assert client.get(URL, query).status_code == 200


def test_the_query_count_does_not_grow_with_the_cases(world, client, django_assert_max_num_queries):
    today = timezone.localdate()
    for i in range(30):
        case = CaseFactory(
            child=ChildFactory(municipality=world.municipality),
            team=world.team_a,
            caseworker=world.personas["bob" if i % 2 else "alice"],
        )
        intervention = InterventionFactory(case=case, step=i % 6)
        FollowUpFactory(intervention=intervention, due_on=today + datetime.timedelta(days=i - 5))
    client.force_login(world.personas["alice"])
    with django_assert_max_num_queries(15):
        response = client.get(URL, {"visning": "team"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 31
