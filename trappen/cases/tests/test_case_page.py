"""The case page (cases:detail): everything about the child on one page, with its timeline and
the path on the staircase; who may see it; what the read logs; how many queries it takes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trappen.cases.case_page import OptionalUrls, build_case_page, load_case_page
from trappen.cases.models import (
    Case,
    CaseworkerAssignment,
    GoalScore,
    ProgressNote,
    StepMovement,
)
from trappen.cases.tests.factories import ChildPlanFactory, GoalFactory, GoalScoreFactory
from trappen.cases.tests.factories_casepage import build_history
from trappen.core.models import AuditAction, AuditEvent, Role
from trappen.core.services import grant_break_glass
from trappen.core.tests.factories import (
    CaseFactory,
    FollowUpFactory,
    InterventionFactory,
    InvestigationFactory,
    LetterFactory,
    NotificationFactory,
    UnitFactory,
)
from trappen.voice.models import ChildConversation

D = datetime.date
TODAY = D(2026, 6, 15)


def url(case) -> str:
    return reverse("cases:detail", kwargs={"case_id": case.pk})


@pytest.fixture
def anna_file(world):
    """Anna's file, hand-built around 15 June 2026 (the day the page is built for)."""
    p = world.personas
    case = world.anna_case
    case.opened_on = D(2025, 1, 10)
    case.save(update_fields=["opened_on"])
    earlier = CaseFactory(
        child=world.anna,
        team=world.team_b,
        caseworker=p["charlie"],
        opened_on=D(2022, 3, 1),
        closed_on=D(2023, 2, 28),
        closing_reason="Familien klarer sig",
    )
    old = InterventionFactory(
        case=earlier, title="Forældrekursus", step=1, start_on=D(2022, 4, 1), end_on=D(2022, 12, 31)
    )
    CaseworkerAssignment.objects.create(
        case=case, caseworker=p["bob"], started_on=D(2025, 1, 10), ended_on=D(2025, 8, 31)
    )
    CaseworkerAssignment.objects.create(
        case=case, caseworker=p["alice"], started_on=D(2025, 9, 1), reason="Bob fik nyt team"
    )
    investigation = InvestigationFactory(
        case=case, started_on=D(2026, 1, 5), due_on=D(2026, 5, 5), aware_on=D(2026, 1, 5)
    )
    family = world.anna_intervention  # provider_a, step 2
    family.start_on, family.is_immediate = D(2025, 2, 1), True
    family.no_progress_since = D(2026, 3, 1)
    family.save(update_fields=["start_on", "is_immediate", "no_progress_since"])
    ended = InterventionFactory(
        case=case,
        title="Kontaktperson",
        step=3,
        start_on=D(2025, 3, 1),
        end_on=D(2025, 12, 31),
        end_reason="Målet nået",
    )
    held = FollowUpFactory(intervention=family, due_on=D(2026, 3, 1), held_on=D(2026, 3, 2))
    held.decision = "continue"
    held.save(update_fields=["decision"])
    FollowUpFactory(intervention=family, due_on=D(2026, 6, 1))  # not held: overdue
    FollowUpFactory(intervention=family, due_on=D(2026, 9, 1))
    plan = ChildPlanFactory(case=case, decided_on=D(2025, 4, 1), completed_on=D(2025, 5, 1))
    own = GoalFactory(plan=plan, text="Jeg vil have en ven", set_by="child", baseline=2, target=7)
    school = GoalFactory(plan=plan, text="Kommer i skole", set_by="caseworker")
    school.interventions.add(family)
    own.interventions.add(family, ended)
    GoalScoreFactory(goal=own, source="child", score=4, recorded_on=D(2026, 1, 1))
    GoalScoreFactory(goal=own, source="child", score=6, recorded_on=D(2026, 3, 2))
    GoalScoreFactory(goal=own, source="provider", score=5, recorded_on=D(2026, 2, 1))
    StepMovement.objects.bulk_create(
        [
            StepMovement(case=earlier, from_step=None, to_step=1, moved_on=D(2022, 4, 1)),
            StepMovement(case=earlier, from_step=1, to_step=None, moved_on=D(2022, 12, 31)),
            StepMovement(case=case, from_step=None, to_step=2, moved_on=D(2025, 2, 1)),
            StepMovement(case=case, from_step=2, to_step=3, moved_on=D(2025, 3, 1)),
            StepMovement(
                case=case, from_step=3, to_step=2, moved_on=D(2026, 1, 1), reason="Trin ned"
            ),
        ]
    )
    at = datetime.datetime(2026, 4, 10, 7, 0, tzinfo=datetime.UTC)
    team_notification = NotificationFactory(
        child=world.anna, team=world.team_a, received_at=at, status="decided"
    )
    other_team = NotificationFactory(
        child=world.anna, team=world.team_b, received_at=at - datetime.timedelta(days=400)
    )
    letter = LetterFactory(child=world.anna, municipality=world.municipality, case=case)
    ChildConversation.objects.create(case=case, held_on=D(2026, 2, 3), place="Skolen")
    ProgressNote.objects.create(
        intervention=family, author=p["provider"], written_at=at, text="Det går bedre."
    )
    return {
        "case": case,
        "earlier": earlier,
        "old": old,
        "family": family,
        "ended": ended,
        "investigation": investigation,
        "plan": plan,
        "own": own,
        "school": school,
        "team_notification": team_notification,
        "other_team": other_team,
        "letter": letter,
    }


def page_for(world, persona="alice", today=TODAY):
    case = Case.objects.select_related("child", "team", "caseworker").get(pk=world.anna_case.pk)
    return build_case_page(case, Role.CASEWORKER, world.personas[persona], today)


# --- what the page holds -----------------------------------------------------------------------


def test_it_shows_the_facts_and_the_current_step(world, anna_file):
    page = page_for(world)
    assert page.age == 11  # born 14 March 2015
    assert (page.step, page.step_label) == (2, "Hjemmebaserede indsatser")
    assert [a.first_name for a in page.assignments] == [
        world.personas["alice"].first_name,
        world.personas["bob"].first_name,
    ]
    assert [a.last_name for a in page.assignments][0] == world.personas["alice"].last_name
    assert [c.id for c in page.cases] == [anna_file["case"].pk, anna_file["earlier"].pk]


def test_the_open_investigation_counts_down_and_asks_for_the_preliminary_assessment(
    world, anna_file
):
    page = page_for(world)
    assert page.investigation.id == anna_file["investigation"].pk
    assert page.clock.text == "overskredet med 41 dage"  # 5 May -> 15 June
    assert page.clock.overdue and page.clock.needs_preliminary
    before = page_for(world, today=D(2026, 5, 1))
    assert before.clock.text == "om 4 dage" and not before.clock.needs_preliminary


def test_plans_keep_the_childs_own_goals_beside_the_others_with_the_latest_scores(world, anna_file):
    (plan,) = page_for(world).plans
    assert [g.goal.text for g in plan.childs_goals] == ["Jeg vil have en ven"]
    assert [g.goal.text for g in plan.other_goals] == ["Kommer i skole"]
    own = plan.childs_goals[0]
    # the child's latest (6 on 2 March, not 4), the provider's 5; newest overall is the child's
    assert own.latest == {"Udfører": 5, "Barnet": 6}
    assert own.latest_score == 6
    assert own.interventions == ["Familiebehandling", "Kontaktperson"]


def test_interventions_show_flags_follow_ups_and_goals(world, anna_file):
    page = page_for(world)
    rows = {v.intervention.title: v for v in page.interventions}
    family, ended = rows["Familiebehandling"], rows["Kontaktperson"]
    assert [v.intervention.title for v in page.interventions] == [
        "Familiebehandling",
        "Kontaktperson",
    ]
    assert family.active and not ended.active
    assert family.intervention.is_immediate and family.no_progress
    assert family.next_follow_up == D(2026, 6, 1)
    assert family.intervention.provider_name == "Familiehuset"
    assert family.intervention.monthly_cost == 20000
    assert sorted(family.goals) == ["Jeg vil have en ven", "Kommer i skole"]
    assert [v.intervention.title for v in page.earlier_interventions] == ["Forældrekursus"]
    # links to pages of this case; none into team B's earlier case, which alice cannot open
    assert family.url == reverse(
        "cases:intervention",
        kwargs={"case_id": anna_file["case"].pk, "intervention_id": anna_file["family"].pk},
    )
    assert page.earlier_interventions[0].url == ""
    follow_ups = [(f.due_on, f.held_on, f.overdue) for f in page.follow_ups]
    assert follow_ups == [
        (D(2026, 6, 1), None, True),
        (D(2026, 9, 1), None, False),
        (D(2026, 3, 1), D(2026, 3, 2), False),
    ]


def test_notifications_link_only_where_the_user_may_open_them(world, anna_file):
    page = page_for(world)
    links = {n.id: n.url for n in page.notifications}
    team_a = anna_file["team_notification"].pk
    assert links[team_a] == reverse("notifications:detail", kwargs={"notification_id": team_a})
    assert links[anna_file["other_team"].pk] == ""  # team B's: alice would get 404
    assert [x.id for x in page.letters] == [anna_file["letter"].pk]
    assert [c.place for c in page.conversations] == ["Skolen"]


def test_the_timeline_holds_every_event_newest_first(world, anna_file):
    page = page_for(world)
    days = [e.day for e in page.timeline]
    assert days == sorted(days, reverse=True)
    kinds = {e.kind for e in page.timeline}
    assert kinds >= {
        "Sag",
        "Rådgiver",
        "Undersøgelse",
        "Barnets plan",
        "Indsats",
        "Opfølgning",
        "Trin",
        "Statusnotat",
        "Underretning",
        "Brev",
        "Børnesamtale",
    }
    texts = [e.text for e in page.timeline]
    assert "Fra Anbringelse i slægt eller netværk til Hjemmebaserede indsatser (Trin ned)" in texts
    assert "Indsats slut: Kontaktperson: Målet nået" in texts
    assert "Sag lukket: Familien klarer sig" in texts
    first = page.timeline[-1]
    assert (first.day, first.text) == (D(2022, 3, 1), "Sag oprettet (Underretning), Team B")
    letter = next(e for e in page.timeline if e.kind == "Brev")
    assert letter.url == reverse("core:letter_detail", kwargs={"letter_id": anna_file["letter"].pk})
    investigation = next(e for e in page.timeline if e.kind == "Undersøgelse")
    assert investigation.url == reverse(
        "cases:investigation_detail",
        kwargs={"case_id": anna_file["case"].pk, "investigation_id": anna_file["investigation"].pk},
    )


def test_the_path_on_the_staircase_comes_from_the_step_movements(world, anna_file):
    chart = page_for(world).chart
    assert [(r.day, r.step) for r in chart.rows] == [
        (D(2022, 4, 1), 1),
        (D(2022, 12, 31), None),
        (D(2025, 2, 1), 2),
        (D(2025, 3, 1), 3),
        (D(2026, 1, 1), 2),
    ]
    assert chart.rows[1].label == "Ingen aktiv indsats"
    assert chart.rows[-1].reason == "Trin ned" and chart.rows[-1].until is None
    assert 'role="img"' in chart.svg and "<title" in chart.svg


def test_without_movements_the_path_is_derived_from_the_interventions(world):
    world.anna_intervention.start_on = D(2026, 1, 1)
    world.anna_intervention.save(update_fields=["start_on"])
    InterventionFactory(case=world.anna_case, step=4, start_on=D(2026, 2, 1), end_on=D(2026, 3, 31))
    chart = page_for(world).chart
    assert [(r.day, r.step) for r in chart.rows] == [
        (D(2026, 1, 1), 2),
        (D(2026, 2, 1), 4),
        (D(2026, 4, 1), 2),
    ]


def test_action_links_appear_only_for_urls_that_exist(world, anna_file):
    page = page_for(world)
    actions = {a.label: a.url for a in page.actions}
    new_investigation = reverse("cases:investigation_new", kwargs={"case_id": anna_file["case"].pk})
    assert actions["Start børnefaglig undersøgelse"] == new_investigation
    urls = OptionalUrls()
    assert urls("cases:no_such_page", case_id=1) == ""
    assert urls("cases:investigation_detail", investigation_id=7, case_id=3) == reverse(
        "cases:investigation_detail", kwargs={"case_id": 3, "investigation_id": 7}
    )


def test_a_closed_case_offers_no_actions(world):
    world.anna_case.closed_on = D(2026, 1, 1)
    world.anna_case.save(update_fields=["closed_on"])
    assert page_for(world).actions == []


# --- the page through the client ----------------------------------------------------------------


def test_it_renders_the_page_with_chart_table_and_timeline(world, anna_file, client):
    client.force_login(world.personas["alice"])
    response = client.get(url(anna_file["case"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<figure>" in html and 'role="img"' in html
    assert "Anna" in html and "Jeg vil have en ven" in html and "Straks-indsats" in html
    assert "Ingen fremskridt siden 1.3.2026" in html
    assert "Tidslinje" in html and "Trinskift" in html
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("persona", ["alice", "bob", "team_leader"])
def test_it_lets_the_team_in(world, client, persona):
    client.force_login(world.personas[persona])
    assert client.get(url(world.anna_case)).status_code == 200


@pytest.mark.parametrize(
    "persona", ["charlie", "provider", "parent", "professional", "analyst", "outsider"]
)
def test_it_answers_404_to_everyone_else(world, client, persona):
    client.force_login(world.personas[persona])
    response = client.get(url(world.anna_case))
    assert response.status_code == 404
    assert b"Anna" not in response.content


def test_it_lets_another_team_in_with_break_the_glass(world, client):
    charlie = world.personas["charlie"]
    grant_break_glass(acting_user=charlie, child=world.anna, reason="Akut henvendelse")
    client.force_login(charlie)
    assert client.get(url(world.anna_case)).status_code == 200


def test_it_answers_404_to_a_missing_case_and_405_to_a_post(world, client):
    client.force_login(world.personas["alice"])
    assert client.get("/sager/999999/").status_code == 404
    assert client.post(url(world.anna_case)).status_code == 405


def test_reading_the_page_logs_one_event_for_the_case_with_the_child(world, anna_file, client):
    client.force_login(world.personas["alice"])
    before = AuditEvent.objects.count()
    assert client.get(url(anna_file["case"])).status_code == 200
    (event,) = AuditEvent.objects.order_by("seq")[before:]
    assert (event.action, event.object_type, event.object_id) == (
        AuditAction.VIEW,
        "cases.case",
        str(anna_file["case"].pk),
    )
    assert (event.child_id, event.role, event.purpose) == (
        world.anna.pk,
        Role.CASEWORKER,
        "Sagens side",
    )


def test_the_timeline_is_shown_fifty_at_a_time_and_by_kind(world, anna_file):
    alice = world.personas["alice"]
    everything = load_case_page(alice, anna_file["case"].pk, today=TODAY)
    assert everything.shown.events == everything.timeline[:50]
    assert everything.shown.total == len(everything.timeline)
    letters = load_case_page(alice, anna_file["case"].pk, today=TODAY, timeline_kind="brev")
    assert [e.kind for e in letters.shown.events] == ["Brev"]
    assert letters.shown.counts["brev"] == 1 and letters.shown.counts["trin"] == 5
    for kind, number in (("<script>", "x"), ("", "-3"), ("", "9" * 40)):
        shown = load_case_page(
            alice, anna_file["case"].pk, timeline_kind=kind, timeline_page=number
        ).shown
        assert shown.kind == "" and shown.number == 1


def test_the_timeline_pages_through_many_events(world, client):
    day = datetime.date(2020, 1, 1)
    StepMovement.objects.bulk_create(
        StepMovement(case=world.anna_case, to_step=n % 3, moved_on=day + datetime.timedelta(n))
        for n in range(120)
    )
    client.force_login(world.personas["alice"])
    first = client.get(url(world.anna_case)).context["page"].shown
    assert (first.number, first.pages, len(first.events)) == (1, 3, 50)
    last = client.get(url(world.anna_case) + "?type=trin&side=3").context["page"].shown
    assert (last.number, last.pages, len(last.events)) == (3, 3, 20)
    assert last.events[-1].day == day  # the oldest, last
    assert client.get(url(world.anna_case) + "?side=abc&type=%00").status_code == 200


def test_the_child_page_links_to_the_case_for_the_team_only(world, client):
    target = url(world.anna_case)
    child_url = reverse("core:child_detail", kwargs={"child_id": world.anna.pk})
    client.force_login(world.personas["alice"])
    assert target in client.get(child_url).content.decode()
    client.force_login(world.personas["parent"])
    assert target not in client.get(child_url).content.decode()


# --- ten years in at most 15 queries ------------------------------------------------------------


def test_ten_years_of_history_take_at_most_15_queries_and_as_many_as_one_year(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.personas["alice"])
    target = url(world.anna_case)
    client.get(target)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    provider = UnitFactory(municipality=world.municipality, name="Udfører X", kind="provider")
    history = build_history(
        child=world.anna,
        team=world.team_a,
        caseworkers=[world.personas["alice"], world.personas["bob"]],
        provider=provider,
        today=timezone.localdate(),
        open_case=world.anna_case,
    )
    assert len(history.cases) == 3 and len(history.interventions) >= 25
    assert len(history.notifications) == 40
    assert GoalScore.objects.filter(goal__plan__case__child=world.anna).count() > 100
    with django_assert_max_num_queries(15):
        response = client.get(target)
    assert response.status_code == 200
    assert len(response.context["page"].timeline) > 300
    with CaptureQueriesContext(connection) as many:
        client.get(target)
    assert len(many) == len(few)


def test_the_history_reads_only_each_sources_latest_score_the_later_id_on_a_tie(world, anna_file):
    from trappen.cases.child_history import read_history

    own = anna_file["own"]
    tie = GoalScoreFactory(goal=own, source="child", score=8, recorded_on=D(2026, 3, 2))
    scores = read_history(world.anna.pk, world.municipality.pk)["score"]
    # of the child's three scores (4, 6 and 8, the last two on 2 March) only the later id's 8
    assert sorted((s.source, s.score) for s in scores) == [("child", 8), ("provider", 5)]
    assert [s.id for s in scores if s.source == "child"] == [tie.pk]
    view = page_for(world).plans[0].childs_goals[0]
    assert view.latest == {"Udfører": 5, "Barnet": 8}


def test_the_pages_decisions_are_voices_case_decisions_in_one_query(world):
    from trappen.voice import decisions
    from trappen.voice.tests.factories import CaseDecisionFactory

    case = world.anna_case
    first = CaseDecisionFactory(case=case, decided_on=D(2026, 1, 5))
    second = CaseDecisionFactory(case=case, decided_on=D(2026, 3, 5))
    third = CaseDecisionFactory(case=case, decided_on=D(2026, 3, 5))
    CaseDecisionFactory(decided_on=D(2026, 2, 1))  # another case's
    expected = list(decisions.case_decisions_query(case.pk))
    with CaptureQueriesContext(connection) as queries:
        got = decisions.case_decisions(case)
        held = [d.conversation.held_on for d in got]
    assert len(queries) == 1
    assert [d.pk for d in got] == [d.pk for d in expected] == [third.pk, second.pk, first.pk]
    assert held == [d.conversation.held_on for d in expected]
    assert [d.decided_on for d in got] == [D(2026, 3, 5), D(2026, 3, 5), D(2026, 1, 5)]
