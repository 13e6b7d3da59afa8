"""The pages of the child's plan, interventions and follow-ups: forms, Danish errors, htmx,
redirects to the case page, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trappen.cases.follow_ups import record_follow_up
from trappen.cases.interventions import grant_intervention
from trappen.cases.models import (
    ChildPlan,
    FollowUp,
    FollowUpDecision,
    GoalScore,
    GoalSetter,
    Intervention,
    StepMovement,
)
from trappen.cases.plans import add_goal, create_plan
from trappen.cases.tests.factories import ChildPlanFactory, GoalFactory
from trappen.cases.tests.factories_plan import OfferFactory, support_terms
from trappen.core.tests.factories import FollowUpFactory
from trappen.voice.tests.factories import ChildConversationFactory, heard

pytestmark = pytest.mark.django_db
D = datetime.date
MAX_QUERIES = 15


@pytest.fixture
def alice(world, client):
    client.force_login(world.personas["alice"])
    return client


def _case_page(world) -> str:
    return reverse("cases:detail", kwargs={"case_id": world.anna_case.pk})


def _plan_url(name, plan, **extra) -> str:
    return reverse(f"cases:{name}", kwargs={"case_id": plan.case_id, "plan_id": plan.pk, **extra})


# --- the plan ---------------------------------------------------------------------------------


def test_a_new_plan_is_created_and_shows_its_deadline(world, alice):
    url = reverse("cases:plan_new", kwargs={"case_id": world.anna_case.pk})
    assert "Ny plan for barnet" in alice.get(url).content.decode()
    response = alice.post(
        url, {"kind": "support", "decided_on": "31-08-2026", "is_needed": "ja"}, follow=True
    )
    plan = ChildPlan.objects.get(case=world.anna_case)
    assert response.redirect_chain[-1][0] == _plan_url("plan", plan)
    assert "Den skal være udarbejdet senest 30.11.2026." in response.content.decode()


def test_a_plan_not_needed_needs_a_reason_on_the_form(world, alice):
    url = reverse("cases:plan_new", kwargs={"case_id": world.anna_case.pk})
    response = alice.post(url, {"kind": "support", "decided_on": "2026-08-31", "is_needed": "nej"})
    assert response.status_code == 200
    assert "Begrund, hvorfor der ikke skal udarbejdes en plan." in response.content.decode()
    assert not ChildPlan.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "x", "decided_on": "2026-08-31", "is_needed": "ja"}, "Vælg en af mulighederne."),
        (
            {"kind": "support", "decided_on": "31-02-2026", "is_needed": "ja"},
            "Skriv en gyldig dato",
        ),
        (
            {"kind": "support", "decided_on": "99999-01-01", "is_needed": "ja"},
            "Skriv en gyldig dato",
        ),
        (
            {"kind": "support", "decided_on": "1900-01-01", "is_needed": "ja"},
            "Datoen skal ligge mellem 1990 og 2199.",
        ),
        (
            {
                "kind": "support",
                "decided_on": "2026-08-31",
                "is_needed": "ja",
                "overall_purpose": "x" * 6000,
            },
            "Teksten må højst være på 5000 tegn.",
        ),
    ],
)
def test_bad_plan_input_is_answered_in_danish(world, alice, data, message):
    url = reverse("cases:plan_new", kwargs={"case_id": world.anna_case.pk})
    response = alice.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_plan_page_keeps_the_childs_goals_in_their_own_column(
    world, alice, django_assert_max_num_queries
):
    plan = create_plan(
        world.anna_case,
        kind="support",
        decided_on=D(2026, 8, 31),
        acting_user=world.personas["alice"],
    )
    for n in range(3):
        GoalFactory(plan=plan, text=f"Rådgivers mål {n}", set_by=GoalSetter.CASEWORKER)
    add_goal(
        plan,
        text="Jeg vil sove i min egen seng",
        set_by=GoalSetter.CHILD,
        childs_own_words="Uden at vågne",
        baseline=2,
        target=8,
        interventions=[world.anna_intervention],
        acting_user=world.personas["alice"],
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        page = alice.get(_plan_url("plan", plan)).content.decode()
    own, others = page.split("Barnets egne mål", 1)[1].split("Mål fra rådgiver og forældre", 1)
    assert "Jeg vil sove i min egen seng" in own and "Uden at vågne" in own
    assert "Rådgivers mål" not in own
    assert "Rådgivers mål 2" in others.split("Tilføj et mål")[0]
    assert "Indsatser: Familiebehandling" in own


def test_a_goal_added_with_htmx_returns_the_goals_section(world, alice):
    plan = ChildPlanFactory(case=world.anna_case)
    data = {
        "maal-text": "Jeg vil have en ven",
        "maal-set_by": "child",
        "maal-baseline": "2",
        "maal-target": "7",
        "maal-interventions": [str(world.anna_intervention.pk)],
    }
    response = alice.post(_plan_url("plan_goal", plan), data, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="plan-goals">') and "<html" not in body
    assert "Jeg vil have en ven" in body.split("Mål fra rådgiver og forældre")[0]
    goal = plan.goals.get()
    assert list(goal.interventions.all()) == [world.anna_intervention]


def test_goal_errors_come_back_in_the_section(world, alice):
    plan = ChildPlanFactory(case=world.anna_case)
    data = {"maal-text": "", "maal-set_by": "child", "maal-baseline": "8", "maal-target": "3"}
    body = alice.post(
        _plan_url("plan_goal", plan), data, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Skriv målet, fx hvad barnet skal kunne." in body
    data["maal-text"] = "Et mål"
    body = alice.post(
        _plan_url("plan_goal", plan), data, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Målet på skalaen kan ikke være lavere end udgangspunktet." in body
    data["maal-baseline"] = "11"
    body = alice.post(
        _plan_url("plan_goal", plan), data, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Vælg et tal fra 0 til 10." in body
    assert not plan.goals.exists()


def test_a_goal_without_htmx_redirects_to_the_plan(world, alice):
    plan = ChildPlanFactory(case=world.anna_case)
    data = {
        "maal-text": "Et mål",
        "maal-set_by": "guardians",
        "maal-baseline": "3",
        "maal-target": "6",
    }
    response = alice.post(_plan_url("plan_goal", plan), data)
    assert response.status_code == 302 and response["Location"] == _plan_url("plan", plan)
    assert plan.goals.get().set_by == "guardians"


def test_a_plan_of_another_case_is_not_found(world, alice):
    other = ChildPlanFactory()
    url = reverse("cases:plan", kwargs={"case_id": world.anna_case.pk, "plan_id": other.pk})
    assert alice.get(url).status_code == 404


def test_completing_the_plan(world, alice):
    plan = ChildPlanFactory(case=world.anna_case, decided_on=D(2026, 8, 1))
    url = _plan_url("plan_complete", plan)
    body = alice.post(url, {"udarbejdet-completed_on": "2026-10-01"}).content.decode()
    assert "Planen skal have mindst ét konkret mål (§ 92)" in body
    GoalFactory(plan=plan)
    data = {"udarbejdet-completed_on": "2026-10-01", "udarbejdet-made_with_child": "on"}
    assert alice.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert (plan.completed_on, plan.made_with_child, plan.made_with_guardians) == (
        D(2026, 10, 1),
        True,
        False,
    )


# --- interventions ----------------------------------------------------------------------------


def test_the_grant_form_lists_the_catalogue_by_step(world, alice):
    OfferFactory(municipality=world.municipality, name="Familiebehandling Nord", step=2)
    OfferFactory(municipality=world.other_municipality, name="Fremmed tilbud")
    url = reverse("cases:intervention_new", kwargs={"case_id": world.anna_case.pk})
    body = alice.get(url).content.decode()
    assert '<optgroup label="Trin 2: Hjemmebaserede indsatser">' in body
    assert "Trin 2: Familiebehandling Nord (§ 32, stk. 1, nr. 3)" in body
    assert "18.000 kr./md." in body
    assert "Fremmed tilbud" not in body


def test_granting_redirects_to_the_case_page_with_the_first_follow_up(world, alice):
    offer = OfferFactory(municipality=world.municipality, name="Kontaktperson")
    world.anna_case.opened_on = D(2026, 9, 1)
    world.anna_case.save(update_fields=["opened_on"])
    url = reverse("cases:intervention_new", kwargs={"case_id": world.anna_case.pk})
    data = {
        "offer": str(offer.pk),
        "start_on": "2026-09-25",
        "purpose": "Anna får en voksen at tale med.",
        "expected_end_on": "2027-03-31",
        "conversation": str(ChildConversationFactory(case=world.anna_case).pk),
    }
    response = alice.post(url, data)
    assert response.status_code == 302 and response["Location"] == _case_page(world)
    item = Intervention.objects.get(offer=offer)
    assert item.follow_ups.get().due_on == D(2026, 12, 23)
    assert item.is_immediate


def test_grant_errors_are_danish(world, alice):
    offer = OfferFactory(municipality=world.municipality)
    foreign = OfferFactory(municipality=world.other_municipality)
    url = reverse("cases:intervention_new", kwargs={"case_id": world.anna_case.pk})
    body = alice.post(url, {"offer": str(foreign.pk), "start_on": "2026-09-25"}).content.decode()
    assert "Vælg et tilbud." in body
    body = alice.post(url, {"offer": str(offer.pk), "start_on": "2026-09-25"}).content.decode()
    assert "Skriv formålet med indsatsen (§ 32, stk. 3)." in body
    assert "Skriv den forventede varighed (§ 32, stk. 3)." in body
    body = alice.post(
        url, {"offer": "x", "start_on": "i går", "monthly_cost": "-5", "provider": "abc"}
    ).content.decode()
    assert "Vælg et tilbud." in body and "Skriv en gyldig dato" in body
    assert "Prisen kan ikke være negativ." in body
    assert Intervention.objects.filter(case=world.anna_case).count() == 1  # Anna's own only


def test_the_intervention_page_and_ending_it(world, alice, django_assert_max_num_queries):
    item = world.anna_intervention
    for n in range(4):
        FollowUpFactory(intervention=item, due_on=D(2027, 1, 4) + datetime.timedelta(days=30 * n))
    url = reverse(
        "cases:intervention", kwargs={"case_id": world.anna_case.pk, "intervention_id": item.pk}
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        body = alice.get(url).content.decode()
    assert "Trin 2: Hjemmebaserede indsatser" in body and "Afslut indsatsen" in body
    end_url = reverse(
        "cases:intervention_end", kwargs={"case_id": world.anna_case.pk, "intervention_id": item.pk}
    )
    body = alice.post(end_url, {"end_on": "2026-11-20", "reason": ""}).content.decode()
    assert "Skriv, hvorfor indsatsen slutter." in body
    conversation = ChildConversationFactory(case=world.anna_case)
    data = {"end_on": "2026-11-20", "reason": "Målene er nået", "conversation": conversation.pk}
    response = alice.post(end_url, data)
    assert response.status_code == 302 and response["Location"] == _case_page(world)
    item.refresh_from_db()
    assert (item.end_on, item.end_reason) == (D(2026, 11, 20), "Målene er nået")
    move = StepMovement.objects.get(case=world.anna_case)
    assert (move.from_step, move.to_step, move.moved_on) == (2, None, D(2026, 11, 21))


# --- follow-ups -------------------------------------------------------------------------------


@pytest.fixture
def follow_up_setup(world):
    plan = ChildPlanFactory(case=world.anna_case)
    goals = [GoalFactory(plan=plan, text=f"Mål {n}") for n in range(3)]
    case = world.anna_case
    case.opened_on = D(2025, 12, 1)
    case.save(update_fields=["opened_on"])
    item = grant_intervention(
        case,
        offer=OfferFactory(municipality=world.municipality),
        start_on=D(2026, 1, 5),
        acting_user=world.personas["alice"],
        goals=goals,
        child_heard=heard(case),
        **support_terms(D(2026, 1, 5)),
    )
    return item, goals, item.follow_ups.get()


def _heard_before_the_follow_up(world) -> str:
    """A conversation a week before the follow-up of 1 April 2026 (barnets lov § 5)."""
    return str(ChildConversationFactory(case=world.anna_case, held_on=D(2026, 3, 25)).pk)


def _follow_up_url(follow_up) -> str:
    return reverse("cases:follow_up", kwargs={"follow_up_id": follow_up.pk})


def test_the_follow_up_form_has_a_score_grid(
    world, alice, follow_up_setup, django_assert_max_num_queries
):
    _, goals, first = follow_up_setup
    with django_assert_max_num_queries(MAX_QUERIES):
        body = alice.get(_follow_up_url(first)).content.decode()
    assert "den første opfølgning" in body
    for goal in goals:
        for source in ("caseworker", "provider", "guardians", "child"):
            assert f'name="score_{goal.pk}_{source}"' in body
    assert '<th scope="col">Udfører</th>' in body


def test_recording_a_follow_up_through_the_form(world, alice, follow_up_setup):
    item, goals, first = follow_up_setup
    data = {
        "held_on": "2026-04-01",
        f"score_{goals[0].pk}_caseworker": "4",
        f"score_{goals[0].pk}_child": "7",
        f"score_{goals[1].pk}_provider": "",
        "progress": "5",
        "decision": "continue",
        "reason": "Det går fremad.",
        "schedule": "datoer",
        "next_date_1": "2026-12-25",
        "next_date_2": "2026-06-05",
        "schedule_explained_to_child": "on",
        "schedule_note": "Vi tegnede en kalender.",
    }
    response = alice.post(_follow_up_url(first), data)
    assert response.status_code == 302 and response["Location"] == _case_page(world)
    first.refresh_from_db()
    assert (first.held_on, first.decision, first.progress) == (D(2026, 4, 1), "continue", 5)
    assert sorted(GoalScore.objects.filter(follow_up=first).values_list("source", "score")) == [
        ("caseworker", 4),
        ("child", 7),
    ]
    pending = FollowUp.objects.filter(intervention=item, held_on__isnull=True)
    assert sorted(pending.values_list("due_on", flat=True)) == [D(2026, 6, 4), D(2026, 12, 23)]
    body = alice.get(_follow_up_url(first)).content.decode()
    assert "Vi tegnede en kalender." in body and "<td>7</td>" in body


def test_the_interval_is_used_when_chosen(world, alice, follow_up_setup):
    item, _, first = follow_up_setup
    data = {
        "held_on": "2026-04-01",
        "decision": "adjust",
        "reason": "Mere støtte om morgenen.",
        "schedule": "interval",
        "interval_months": "2",
        "schedule_explained_to_child": "on",
        "conversation": _heard_before_the_follow_up(world),
    }
    assert alice.post(_follow_up_url(first), data).status_code == 302
    pending = FollowUp.objects.filter(intervention=item, held_on__isnull=True)
    assert list(pending.values_list("due_on", flat=True)) == [D(2026, 6, 1)]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"held_on": "31-02-2026"}, "Skriv en gyldig dato"),
        ({"decision": "later"}, "Vælg en af mulighederne."),
        ({"reason": ""}, "Begrund beslutningen."),
        ({"reason": "x" * 6000}, "Teksten må højst være på 5000 tegn."),
        ({"score": "11"}, "Vælg et tal fra 0 til 10."),
        ({"interval_months": "abc"}, "Skriv et helt antal måneder."),
        ({"interval_months": "99"}, "Intervallet kan højst være 24 måneder."),
        ({"schedule": "datoer"}, "Skriv mindst én dato for den næste opfølgning."),
        ({"schedule_explained_to_child": ""}, "skal planen for de næste opfølgninger forklares"),
        ({"held_on": "2099-01-01"}, "Opfølgningen kan ikke være holdt i fremtiden."),
    ],
)
def test_bad_follow_up_input_is_answered_in_danish(world, alice, follow_up_setup, change, message):
    _, goals, first = follow_up_setup
    data = {
        "held_on": "2026-04-01",
        "decision": "continue",
        "reason": "Begrundelse",
        "schedule": "interval",
        "interval_months": "3",
        "schedule_explained_to_child": "on",
    }
    if "score" in change:
        data[f"score_{goals[0].pk}_caseworker"] = change.pop("score")
    data.update(change)
    response = alice.post(_follow_up_url(first), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    first.refresh_from_db()
    assert first.held_on is None


def test_end_at_a_follow_up_ends_the_intervention(world, alice, follow_up_setup):
    item, _, first = follow_up_setup
    data = {
        "held_on": "2026-04-01",
        "decision": "end",
        "reason": "Målene er nået.",
        "schedule": "datoer",
        "conversation": _heard_before_the_follow_up(world),
    }
    assert alice.post(_follow_up_url(first), data).status_code == 302
    item.refresh_from_db()
    assert item.end_on == D(2026, 4, 1)
    assert not FollowUp.objects.filter(intervention=item, held_on__isnull=True).exists()


def test_a_follow_up_that_does_not_exist_is_404(alice):
    assert alice.get(reverse("cases:follow_up", kwargs={"follow_up_id": 987654})).status_code == 404


def test_a_held_follow_up_shows_what_was_recorded(world, alice, follow_up_setup):
    _, goals, first = follow_up_setup
    record_follow_up(
        first,
        held_on=D(2026, 4, 1),
        scores=[(goals[1], "guardians", 6)],
        decision=FollowUpDecision.CONTINUE,
        reason="Stabilt.",
        schedule_explained_to_child=True,
        acting_user=world.personas["bob"],
    )
    body = alice.get(_follow_up_url(first)).content.decode()
    assert "Stabilt." in body and "Gem opfølgningen" not in body
    assert "<td>6</td>" in body


# --- no 500 on any input ----------------------------------------------------------------------

HUGE = 10**30


def test_huge_ids_are_not_found(world, alice):
    case_id = world.anna_case.pk
    urls = [
        reverse("cases:follow_up", kwargs={"follow_up_id": HUGE}),
        reverse("cases:plan", kwargs={"case_id": case_id, "plan_id": HUGE}),
        reverse("cases:intervention", kwargs={"case_id": case_id, "intervention_id": HUGE}),
        reverse("cases:plan_new", kwargs={"case_id": HUGE}),
    ]
    for url in urls:
        assert alice.get(url).status_code == 404, url


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANY_TEXT = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        ["", " ", "\x00", "-1", "11", "99999999999999999999", "2026-02-31", "0001-01-01"]
    ),
)


@FUZZ
@given(
    value=ANY_TEXT,
    field=st.sampled_from(
        [
            "held_on",
            "decision",
            "reason",
            "schedule",
            "interval_months",
            "next_date_1",
            "progress",
            "schedule_note",
            "score",
            "conversation",
            "no_conversation_reason",
            "no_conversation_note",
        ]
    ),
)
def test_the_follow_up_form_never_fails(world, alice, follow_up_setup, value, field):
    _, goals, first = follow_up_setup
    data = {
        "held_on": "2026-04-01",
        "decision": "continue",
        "reason": "R",
        "schedule": "datoer",
        "next_date_1": "2026-07-01",
    }
    data[f"score_{goals[0].pk}_child" if field == "score" else field] = value
    response = alice.post(_follow_up_url(first), data)
    assert response.status_code in (200, 302)
    GoalScore.objects.filter(follow_up=first).delete()  # so the next example may record again
    FollowUp.objects.filter(pk=first.pk).update(held_on=None)


@FUZZ
@given(
    value=ANY_TEXT,
    field=st.sampled_from(
        [
            "offer",
            "start_on",
            "end_on",
            "expected_end_on",
            "purpose",
            "provider",
            "monthly_cost",
            "goals",
            "conversation",
            "no_conversation_reason",
            "no_conversation_note",
        ]
    ),
)
def test_the_grant_form_never_fails(world, alice, value, field):
    offer = OfferFactory(municipality=world.municipality, legal_basis="§ 30")
    conversation = ChildConversationFactory(case=world.anna_case)
    data = {"offer": str(offer.pk), "start_on": "2026-11-02", "conversation": conversation.pk}
    data[field] = value
    url = reverse("cases:intervention_new", kwargs={"case_id": world.anna_case.pk})
    assert alice.post(url, data).status_code in (200, 302)
