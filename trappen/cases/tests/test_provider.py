"""The provider's pages: my interventions, one intervention, progress notes and goal scores.

A provider sees the interventions their own units deliver and nothing else: not another
provider's intervention, not the case file, not the child's other interventions.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trappen.cases.models import GoalScore, ProgressNote
from trappen.cases.provider import ProviderError, record_goal_scores
from trappen.cases.tests.factories import ChildPlanFactory, GoalFactory, GoalScoreFactory
from trappen.core.models import AuditAction, AuditEvent, Role
from trappen.core.tests.factories import (
    FollowUpFactory,
    InterventionFactory,
    InvestigationFactory,
    NotificationFactory,
)

LIST = "/udfoerer/"  # cases:provider_list


def page_url(intervention) -> str:
    return reverse("cases:provider_intervention", kwargs={"intervention_id": intervention.pk})


def note_url(intervention) -> str:
    return reverse("cases:provider_note", kwargs={"intervention_id": intervention.pk})


def scores_url(intervention) -> str:
    return reverse("cases:provider_scores", kwargs={"intervention_id": intervention.pk})


@pytest.fixture
def anna(world):
    """Anna's intervention at provider A with two goals, scores from several sources, follow-ups;
    and a second intervention of Anna's at provider B, with its own goal."""
    today = timezone.localdate()
    family = world.anna_intervention
    family.purpose = "Styrke forældrenes samarbejde"
    family.save(update_fields=["purpose"])
    plan = ChildPlanFactory(case=world.anna_case, overall_purpose="PLANENS FORMÅL")
    school = GoalFactory(plan=plan, text="Kommer i skole hver dag", baseline=3, target=8)
    own = GoalFactory(
        plan=plan, text="En ven i klassen", set_by="child", childs_own_words="Jeg vil have en ven"
    )
    school.interventions.add(family)
    own.interventions.add(family)
    held = FollowUpFactory(
        intervention=family,
        due_on=today - datetime.timedelta(days=20),
        held_on=today - datetime.timedelta(days=19),
        reason="OPFØLGNINGENS BEGRUNDELSE",
    )
    FollowUpFactory(intervention=family, due_on=today + datetime.timedelta(days=30))
    GoalScoreFactory(goal=school, source="caseworker", score=9, follow_up=held)  # not shown
    GoalScoreFactory(
        goal=school, source="provider", score=4, recorded_on=today - datetime.timedelta(days=40)
    )
    GoalScoreFactory(
        goal=school, source="provider", score=6, recorded_on=today - datetime.timedelta(days=10)
    )
    other = InterventionFactory(
        case=world.anna_case, title="Ungehusets samtaler", provider=world.provider_b
    )
    secret = GoalFactory(plan=plan, text="ANDEN UDFØRERS MÅL")
    secret.interventions.add(other)
    InvestigationFactory(case=world.anna_case)
    NotificationFactory(child=world.anna, concern="UNDERRETNINGENS INDHOLD")
    return {"family": family, "school": school, "own": own, "other": other, "secret": secret}


# --- the list ---------------------------------------------------------------------------------


def test_the_list_shows_my_units_interventions_with_goals_and_next_follow_up(world, anna, client):
    client.force_login(world.personas["provider"])
    response = client.get(LIST)
    assert response.status_code == 200
    (row,) = response.context["listing"].rows
    assert row.intervention_id == anna["family"].pk
    assert row.child_name == "Anna T."
    assert sorted(row.goals) == ["En ven i klassen", "Kommer i skole hver dag"]
    assert row.next_follow_up == timezone.localdate() + datetime.timedelta(days=30)
    html = response.content.decode()
    assert page_url(anna["family"]) in html
    assert "Ungehusets samtaler" not in html and "ANDEN UDFØRERS MÅL" not in html


def test_the_other_provider_lists_only_their_own(world, anna, client):
    client.force_login(world.personas["provider_other"])
    rows = client.get(LIST).context["listing"].rows
    assert [r.intervention_id for r in rows] == [anna["other"].pk]


def test_active_interventions_come_before_ended_ones(world, client):
    today = timezone.localdate()
    ended = InterventionFactory(
        case=world.anna_case,
        provider=world.provider_a,
        title="Afsluttet forløb",
        start_on=today - datetime.timedelta(days=300),
        end_on=today - datetime.timedelta(days=100),
    )
    client.force_login(world.personas["provider"])
    rows = client.get(LIST).context["listing"].rows
    assert [(r.intervention_id, r.active) for r in rows] == [
        (world.anna_intervention.pk, True),
        (ended.pk, False),
    ]


@pytest.mark.parametrize("persona", ["alice", "team_leader", "parent", "professional", "analyst"])
def test_the_list_is_for_providers_only(world, client, persona):
    client.force_login(world.personas[persona])
    assert client.get(LIST).status_code == 403


def test_the_list_logs_each_intervention_shown_and_pins_its_queries(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.personas["provider"])
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(20):
        intervention = InterventionFactory(case=world.anna_case, provider=world.provider_a)
        FollowUpFactory(intervention=intervention)
        GoalFactory(plan=ChildPlanFactory(case=world.anna_case)).interventions.add(intervention)
    before = AuditEvent.objects.count()
    with django_assert_max_num_queries(15):
        response = client.get(LIST)
    assert len(response.context["listing"].rows) == 21
    events = AuditEvent.objects.order_by("seq")[before:]
    assert {(e.action, e.object_type, e.role) for e in events} == {
        (AuditAction.VIEW, "cases.intervention", Role.PROVIDER)
    }
    assert len(events) == 21
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)


# --- one intervention -------------------------------------------------------------------------


def test_the_page_shows_goals_my_scores_follow_up_dates_and_notes(world, anna, client):
    ProgressNote.objects.create(
        intervention=anna["family"],
        author=world.personas["provider"],
        written_at=timezone.now(),
        text="Mor og far taler bedre sammen.",
    )
    client.force_login(world.personas["provider"])
    response = client.get(page_url(anna["family"]))
    assert response.status_code == 200
    page = response.context["page"]
    goals = {g.text: g for g in page.goals}
    assert sorted(goals) == ["En ven i klassen", "Kommer i skole hver dag"]
    school = goals["Kommer i skole hver dag"]
    assert (school.baseline, school.target) == (3, 8)
    assert [s.score for s in school.scores] == [4, 6]  # the provider's only, oldest first
    assert school.latest.score == 6
    assert goals["En ven i klassen"].scores == []
    assert goals["En ven i klassen"].set_by == "Barnet selv"
    assert [f.held_on is not None for f in page.follow_ups] == [True, False]
    assert page.next_follow_up.due_on == timezone.localdate() + datetime.timedelta(days=30)
    html = response.content.decode()
    assert "Mor og far taler bedre sammen." in html
    assert "Styrke forældrenes samarbejde" in html
    assert "Jeg vil have en ven" in html


def test_the_page_shows_nothing_of_the_case_file(world, anna, client):
    client.force_login(world.personas["provider"])
    html = client.get(page_url(anna["family"])).content.decode()
    for secret in (
        "ANDEN UDFØRERS MÅL",  # another provider's goal
        "Ungehusets samtaler",  # the child's other intervention
        "PLANENS FORMÅL",  # the plan
        "OPFØLGNINGENS BEGRUNDELSE",  # the follow-up's decision and reason
        "UNDERRETNINGENS INDHOLD",  # notifications
        "Børnefaglig undersøgelse",  # investigations
        world.anna.cpr_display,
        "Testesen",  # the child's last name: first name and initial only
    ):
        assert secret not in html, secret
    assert ">9 (" not in html  # the caseworker's score


def test_a_provider_cannot_read_another_providers_intervention(world, anna, client):
    client.force_login(world.personas["provider_other"])
    for url in (page_url(anna["family"]),):
        response = client.get(url)
        assert response.status_code == 404
        assert b"Anna" not in response.content
    client.force_login(world.personas["provider"])
    assert client.get(page_url(anna["other"])).status_code == 404


def test_a_provider_cannot_read_any_case_file(world, client):
    for persona in ("provider", "provider_other"):
        client.force_login(world.personas[persona])
        case_page = reverse("cases:detail", kwargs={"case_id": world.anna_case.pk})
        assert client.get(case_page).status_code == 404
        investigation = InvestigationFactory(case=world.anna_case)
        detail = reverse(
            "cases:investigation_detail",
            kwargs={"case_id": world.anna_case.pk, "investigation_id": investigation.pk},
        )
        assert client.get(detail).status_code == 404


@pytest.mark.parametrize("persona", ["alice", "team_leader", "parent", "outsider"])
def test_the_intervention_page_is_404_for_non_providers(world, client, persona):
    client.force_login(world.personas[persona])
    assert client.get(page_url(world.anna_intervention)).status_code == 404


def test_the_page_read_is_logged_and_its_queries_pinned(
    world, anna, client, django_assert_max_num_queries
):
    client.force_login(world.personas["provider"])
    before = AuditEvent.objects.count()
    with django_assert_max_num_queries(15):
        assert client.get(page_url(anna["family"])).status_code == 200
    (event,) = AuditEvent.objects.order_by("seq")[before:]
    assert (event.action, event.object_type, event.object_id) == (
        AuditAction.VIEW,
        "cases.intervention",
        str(anna["family"].pk),
    )
    assert (event.child_id, event.role) == (world.anna.pk, Role.PROVIDER)


def test_a_missing_intervention_is_404(world, client):
    client.force_login(world.personas["provider"])
    response = client.get("/udfoerer/indsatser/99999999/")
    assert response.status_code == 404


# --- progress notes -----------------------------------------------------------------------------


def test_it_saves_a_note_and_logs_it(world, anna, client):
    client.force_login(world.personas["provider"])
    response = client.post(note_url(anna["family"]), {"notat-text": "  Godt forløb.  "})
    assert response.status_code == 302 and response["Location"] == page_url(anna["family"])
    (note,) = ProgressNote.objects.all()
    assert (note.text, note.author, note.intervention) == (
        "Godt forløb.",
        world.personas["provider"],
        anna["family"],
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_type, event.object_id, event.child_id) == (
        AuditAction.CREATE,
        "cases.progressnote",
        str(note.pk),
        world.anna.pk,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Skriv notatet."), ("   ", "Skriv notatet."), ("x" * 5001, "højst være på 5000 tegn")],
)
def test_a_bad_note_is_answered_in_danish_and_nothing_is_saved(world, anna, client, text, message):
    client.force_login(world.personas["provider"])
    response = client.post(note_url(anna["family"]), {"notat-text": text})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgressNote.objects.exists()


def test_another_provider_cannot_write_a_note(world, anna, client):
    client.force_login(world.personas["provider_other"])
    response = client.post(note_url(anna["family"]), {"notat-text": "Forsøg"})
    assert response.status_code == 404
    assert not ProgressNote.objects.exists()


# --- goal scores --------------------------------------------------------------------------------


def test_it_records_provider_scores_outside_any_follow_up(world, anna, client):
    client.force_login(world.personas["provider"])
    data = {f"score-maal_{anna['school'].pk}": "7", f"score-maal_{anna['own'].pk}": ""}
    response = client.post(scores_url(anna["family"]), data)
    assert response.status_code == 302
    (score,) = GoalScore.objects.filter(recorded_by=world.personas["provider"])
    assert (score.goal, score.score, score.source) == (anna["school"], 7, "provider")
    assert score.follow_up is None and score.recorded_on == timezone.localdate()
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_type, event.object_id) == (
        AuditAction.CREATE,
        "cases.goalscore",
        str(score.pk),
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11", "Skriv et helt tal fra 0 til 10."),
        ("-1", "Skriv et helt tal fra 0 til 10."),
        ("syv", "Skriv et helt tal fra 0 til 10."),
        ("9" * 6000, "Skriv et helt tal fra 0 til 10."),
        ("", "Giv mindst ét mål en score."),
    ],
)
def test_bad_scores_are_answered_in_danish_and_nothing_is_saved(
    world, anna, client, value, message
):
    client.force_login(world.personas["provider"])
    count = GoalScore.objects.count()
    response = client.post(scores_url(anna["family"]), {f"score-maal_{anna['school'].pk}": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert GoalScore.objects.count() == count


def test_a_goal_of_another_intervention_cannot_be_scored(world, anna, client):
    client.force_login(world.personas["provider"])
    count = GoalScore.objects.count()
    response = client.post(scores_url(anna["family"]), {f"score-maal_{anna['secret'].pk}": "5"})
    assert response.status_code == 200  # not a field of this form: "give at least one"
    assert GoalScore.objects.count() == count
    with pytest.raises(ProviderError):
        record_goal_scores(
            anna["family"],
            scores={anna["secret"].pk: 5},
            acting_user=world.personas["provider"],
            today=timezone.localdate(),
        )
    assert GoalScore.objects.count() == count


def test_another_provider_cannot_record_scores(world, anna, client):
    client.force_login(world.personas["provider_other"])
    count = GoalScore.objects.count()
    response = client.post(scores_url(anna["family"]), {f"score-maal_{anna['school'].pk}": "5"})
    assert response.status_code == 404
    assert GoalScore.objects.count() == count


# --- the start page ---------------------------------------------------------------------------


def test_the_providers_start_page_links_to_the_intervention_pages(world, client):
    client.force_login(world.personas["provider"])
    html = client.get(reverse("core:home")).content.decode()
    assert page_url(world.anna_intervention) in html
    assert LIST in html
