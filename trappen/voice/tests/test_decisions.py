"""No decision without the child (barnets lov § 5): the guard on granting, ending and deciding at
a follow-up; the exception with its reason, the leader's alert and the count; the team leader's
review ("Gennemgået"); the decisions on the case page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from trappen.cases.case_alerts import unseen_case_alerts
from trappen.cases.follow_ups import record_follow_up
from trappen.cases.interventions import end_intervention, grant_intervention
from trappen.cases.models import (
    Case,
    CaseAlert,
    CaseAlertKind,
    CaseAlertLevel,
    FollowUp,
    FollowUpDecision,
    GoalScore,
    Intervention,
    StepMovement,
)
from trappen.cases.plans import PlanError
from trappen.cases.tests.factories_plan import (
    OfferFactory,
    placement_offer,
    support_terms,
    team_a_case,
)
from trappen.core.home_services import case_alert_rows
from trappen.core.models import AuditAction, AuditEvent, Role
from trappen.core.navigation import navigation_for
from trappen.core.tests.factories import CaseFactory, ChildFactory, user_with_role
from trappen.notifications.tasks import check_deadlines_task
from trappen.voice.decisions import (
    NO_CONVERSATION,
    ChildHeard,
    counts_by_team,
    decisions_in_period,
    decisions_to_review,
    decisions_without_conversation,
    eligible_conversations,
    raise_promised_conversation_reminders,
    recently_reviewed,
    record_decision,
    review_decision,
)
from trappen.voice.models import CaseDecision, DecisionKind, NoConversationReason
from trappen.voice.tests.factories import (
    CaseDecisionFactory,
    ChildConversationFactory,
    days_ago,
    heard,
)

pytestmark = pytest.mark.django_db
D = datetime.date
START = D(2026, 3, 2)
NOTE = "Anna er indlagt akut; samtalen holdes, så snart hun er udskrevet."
ASKED = "Vælg den børnesamtale, der gik forud for afgørelsen"
URGENT = ChildHeard(no_conversation_reason=NoConversationReason.URGENT, no_conversation_note=NOTE)


def _grant(world, case, child_heard, offer=None, user="alice"):
    offer = offer or OfferFactory(municipality=world.municipality)
    return grant_intervention(
        case,
        offer=offer,
        start_on=START,
        acting_user=world.personas[user],
        child_heard=child_heard,
        **support_terms(START),
    )


def _nothing_saved(case) -> None:
    """A refused decision leaves no intervention, step movement, follow-up or decision."""
    assert not Intervention.objects.filter(case=case).exists()
    assert not StepMovement.objects.filter(case=case).exists()
    assert not FollowUp.objects.filter(intervention__case=case).exists()
    assert not CaseDecision.objects.filter(case=case).exists()


def _not_heard_alerts(decision) -> set[tuple]:
    return set(
        CaseAlert.objects.filter(kind=CaseAlertKind.NOT_HEARD, subject_id=decision.pk).values_list(
            "level", "recipient_id", "seen_at"
        )
    )


# --- which conversations count ------------------------------------------------------------------


def test_the_window_counts_back_from_the_decision_day(world):
    case = world.anna_case
    on = D(2026, 6, 30)  # 90 days back: 1 April 2026
    edge = ChildConversationFactory(case=case, held_on=D(2026, 4, 1))
    same_day = ChildConversationFactory(case=case, held_on=on)
    ChildConversationFactory(case=case, held_on=D(2026, 3, 31))  # 91 days before
    ChildConversationFactory(case=case, held_on=D(2026, 7, 1))  # after the decision
    ChildConversationFactory(held_on=D(2026, 6, 1))  # another case
    assert list(eligible_conversations(case, on)) == [same_day, edge]
    case.municipality.child_conversation_window_days = 30
    assert list(eligible_conversations(case, on)) == [same_day]


# --- granting ---------------------------------------------------------------------------------


def test_a_conversation_in_the_window_lets_the_grant_through(world):
    case = team_a_case(world)
    conversation = ChildConversationFactory(case=case, held_on=days_ago(90))
    item = _grant(world, case, ChildHeard(conversation=conversation))
    decision = CaseDecision.objects.get(case=case)
    assert (decision.kind, decision.intervention, decision.conversation) == (
        DecisionKind.INTERVENTION,
        item,
        conversation,
    )
    assert (decision.decided_on, decision.decided_by) == (
        timezone.localdate(),
        world.personas["alice"],
    )
    assert decision.summary == f"Bevilget: {item.title}"
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="voice.casedecision", object_id=str(decision.pk)
    ).exists()
    assert not CaseAlert.objects.filter(kind=CaseAlertKind.NOT_HEARD).exists()


def test_a_placement_is_recorded_as_a_placement(world):
    case = team_a_case(world)
    item = _grant(world, case, heard(case), offer=placement_offer(world.municipality))
    assert CaseDecision.objects.get(case=case).kind == DecisionKind.PLACEMENT
    assert item.step == 4


def test_a_conversation_outside_the_window_is_refused_and_nothing_saved(world):
    case = team_a_case(world)
    old = ChildConversationFactory(case=case, held_on=days_ago(91))
    with pytest.raises(PlanError) as excinfo:
        _grant(world, case, ChildHeard(conversation=old))
    assert excinfo.value.errors == {
        "conversation": [
            "Børnesamtalen er mere end 90 dage gammel. Hold en ny samtale med barnet før "
            "afgørelsen (barnets lov § 5)."
        ]
    }
    _nothing_saved(case)


def test_a_conversation_of_another_case_is_refused(world):
    case = team_a_case(world)
    other = ChildConversationFactory(case=world.anna_case, held_on=days_ago(5))
    with pytest.raises(PlanError) as excinfo:
        _grant(world, case, ChildHeard(conversation=other))
    assert excinfo.value.errors["conversation"] == ["Vælg en børnesamtale fra barnets egen sag."]
    _nothing_saved(case)


def test_neither_a_conversation_nor_a_reason_is_refused_and_nothing_saved(world):
    case = team_a_case(world)
    for child_heard in (None, ChildHeard()):
        with pytest.raises(PlanError) as excinfo:
            _grant(world, case, child_heard)
        assert excinfo.value.errors == {"conversation": [NO_CONVERSATION.format(days=90)]}
        _nothing_saved(case)


@pytest.mark.parametrize(
    "child_heard, field, message",
    [
        (
            ChildHeard(no_conversation_reason=NoConversationReason.URGENT),
            "no_conversation_note",
            "Begrund med mindst en hel sætning",
        ),
        (
            ChildHeard(no_conversation_reason="travlhed", no_conversation_note=NOTE),
            "no_conversation_reason",
            "Vælg undtagelsen efter barnets lov § 5, stk. 4.",
        ),
        (
            ChildHeard(
                no_conversation_reason=NoConversationReason.DECLINED,
                no_conversation_note="Ville ikke.",  # 11 characters: not a real sentence
            ),
            "no_conversation_note",
            "Begrund med mindst en hel sætning",
        ),
    ],
)
def test_a_reason_needs_a_real_note_and_a_reason_of_the_law(world, child_heard, field, message):
    case = team_a_case(world)
    with pytest.raises(PlanError) as excinfo:
        _grant(world, case, child_heard)
    assert excinfo.value.errors[field][0].startswith(message)
    _nothing_saved(case)


def test_a_conversation_and_an_exception_together_are_refused(world):
    case = team_a_case(world)
    both = ChildHeard(
        conversation=ChildConversationFactory(case=case),
        no_conversation_reason=NoConversationReason.URGENT,
        no_conversation_note=NOTE,
    )
    with pytest.raises(PlanError) as excinfo:
        _grant(world, case, both)
    assert excinfo.value.errors == {
        "no_conversation_reason": ["Vælg enten en børnesamtale eller en undtagelse, ikke begge."]
    }
    _nothing_saved(case)


def test_a_recorded_reason_is_accepted_alerted_to_the_leader_and_counted(world):
    case = team_a_case(world)
    item = _grant(world, case, URGENT)
    decision = CaseDecision.objects.get(case=case)
    assert decision.conversation is None
    assert (decision.no_conversation_reason, decision.no_conversation_note) == ("urgent", NOTE)
    assert decision.intervention == item
    # the flag goes to the team's leader only, not to the caseworker who decided
    assert _not_heard_alerts(decision) == {
        (CaseAlertLevel.FLAG, world.personas["team_leader"].pk, None)
    }
    today = timezone.localdate()
    year = (today - datetime.timedelta(days=364), today)
    CaseDecisionFactory(case=case)  # one with a conversation
    assert decisions_without_conversation(world.team_a, year) == 1
    assert decisions_in_period(world.team_a, year) == 2
    assert decisions_without_conversation(world.municipality, year) == 1
    assert decisions_without_conversation(world.team_b, year) == 0
    assert decisions_without_conversation(world.other_municipality, year) == 0
    before = (today - datetime.timedelta(days=30), today - datetime.timedelta(days=1))
    assert decisions_without_conversation(world.team_a, before) == 0
    assert counts_by_team(world.personas["team_leader"], year) == [("Team A", 1, 2)]
    assert list(decisions_to_review(world.personas["team_leader"])) == [decision]


# --- ending -----------------------------------------------------------------------------------


def test_ending_is_a_decision_too(world):
    case = team_a_case(world)
    item = _grant(world, case, heard(case))
    with pytest.raises(PlanError) as excinfo:
        end_intervention(
            item, end_on=D(2026, 6, 30), reason="Målene er nået", acting_user=world.personas["bob"]
        )
    assert excinfo.value.errors == {"conversation": [NO_CONVERSATION.format(days=90)]}
    item.refresh_from_db()
    assert (item.end_on, item.end_reason) == (None, "")
    assert StepMovement.objects.filter(case=case).count() == 1
    end_intervention(
        item,
        end_on=D(2026, 6, 30),
        reason="Målene er nået",
        acting_user=world.personas["bob"],
        child_heard=heard(case),
    )
    end = CaseDecision.objects.get(case=case, kind=DecisionKind.END)
    assert (end.intervention, end.decided_by) == (item, world.personas["bob"])
    assert end.summary == f"{item.title} afsluttet: Målene er nået"


# --- follow-ups -------------------------------------------------------------------------------


@pytest.fixture
def follow_up(world):
    case = team_a_case(world)
    item = _grant(world, case, heard(case))
    return item.follow_ups.get()


def _record(world, follow_up, decision, child_heard=None):
    return record_follow_up(
        follow_up,
        held_on=D(2026, 6, 1),
        scores=[],
        decision=decision,
        reason="Familien klarer sig med mindre.",
        progress=6,
        schedule_explained_to_child=True,
        acting_user=world.personas["alice"],
        child_heard=child_heard,
    )


def test_a_step_change_at_a_follow_up_without_the_child_saves_nothing(world, follow_up):
    case = follow_up.intervention.case
    too_old = ChildConversationFactory(case=case, held_on=D(2026, 3, 2))  # 91 days before
    for child_heard in (None, ChildHeard(conversation=too_old)):
        with pytest.raises(PlanError):
            _record(world, follow_up, FollowUpDecision.STEP_DOWN, child_heard)
        follow_up.refresh_from_db()
        assert follow_up.held_on is None
        assert FollowUp.objects.filter(intervention=follow_up.intervention).count() == 1
        assert not GoalScore.objects.filter(follow_up=follow_up).exists()
        assert CaseDecision.objects.filter(case=case).count() == 1  # the grant's only


def test_a_step_change_with_a_conversation_before_the_follow_up(world, follow_up):
    case = follow_up.intervention.case
    conversation = ChildConversationFactory(case=case, held_on=D(2026, 5, 20))
    _record(world, follow_up, FollowUpDecision.STEP_DOWN, ChildHeard(conversation=conversation))
    decision = CaseDecision.objects.get(follow_up=follow_up)
    assert (decision.kind, decision.decided_on, decision.conversation) == (
        DecisionKind.STEP_CHANGE,
        D(2026, 6, 1),
        conversation,
    )
    assert decision.intervention == follow_up.intervention


def test_continue_needs_no_decision_and_adjust_is_a_follow_up_decision(world, follow_up):
    _record(world, follow_up, FollowUpDecision.CONTINUE)
    assert not CaseDecision.objects.filter(follow_up=follow_up).exists()
    following = FollowUp.objects.get(intervention=follow_up.intervention, held_on__isnull=True)
    following.due_on = D(2026, 6, 1)
    following.save(update_fields=["due_on"])
    _record(world, following, FollowUpDecision.ADJUST, URGENT)
    decision = CaseDecision.objects.get(follow_up=following)
    assert decision.kind == DecisionKind.FOLLOW_UP and decision.no_conversation_reason == "urgent"
    assert _not_heard_alerts(decision) == {
        (CaseAlertLevel.FLAG, world.personas["team_leader"].pk, None)
    }


def test_ending_at_a_follow_up_is_one_end_decision(world, follow_up):
    case = follow_up.intervention.case
    _record(world, follow_up, FollowUpDecision.END, heard(case, D(2026, 6, 1)))
    follow_up.intervention.refresh_from_db()
    assert follow_up.intervention.end_on == D(2026, 6, 1)
    decisions = CaseDecision.objects.filter(case=case).exclude(kind=DecisionKind.INTERVENTION)
    assert list(decisions.values_list("kind", "follow_up_id", "decided_on")) == [
        (DecisionKind.END, follow_up.pk, D(2026, 6, 1))
    ]


def test_record_decision_checks_its_links(world):
    case = team_a_case(world)
    with pytest.raises(PlanError) as excinfo:
        record_decision(
            case,
            kind="whim",
            summary=" ",
            decided_on=timezone.localdate(),
            acting_user=world.personas["alice"],
            intervention=world.anna_intervention,
        )
    errors = excinfo.value.errors
    assert errors["kind"] == ["Vælg, hvilken slags afgørelse der er truffet."]
    assert errors["summary"] == ["Skriv, hvad der blev besluttet."]
    assert errors["intervention"] == ["Indsatsen hører ikke til sagen."]
    with pytest.raises(PlanError):
        record_decision(
            case,
            kind=DecisionKind.INTERVENTION,
            summary="Bevilget",
            decided_on=timezone.localdate(),
            acting_user=world.personas["charlie"],
            **URGENT.__dict__,
        )
    assert not CaseDecision.objects.exists()


# --- through the views --------------------------------------------------------------------------


@pytest.fixture
def alice(world, client):
    client.force_login(world.personas["alice"])
    return client


def _grant_url(case) -> str:
    return reverse("cases:intervention_new", kwargs={"case_id": case.pk})


def _grant_data(world, **extra) -> dict:
    offer = OfferFactory(municipality=world.municipality, name="Kontaktperson")
    return {
        "offer": str(offer.pk),
        "start_on": timezone.localdate().isoformat(),
        "purpose": "Anna får en voksen at tale med.",
        "expected_end_on": "2027-03-31",
        **extra,
    }


def test_the_grant_form_offers_recent_conversations_newest_first(world, alice):
    case = world.anna_case
    OfferFactory(municipality=world.municipality)
    ChildConversationFactory(case=case, held_on=days_ago(40), childs_views="Jeg vil bo hjemme.")
    newest = ChildConversationFactory(case=case, held_on=days_ago(3), childs_views="x" * 120)
    ChildConversationFactory(case=case, held_on=days_ago(91), childs_views="Gammel samtale")
    body = alice.get(_grant_url(case)).content.decode()
    assert "Jeg vil bo hjemme." in body and "Gammel samtale" not in body
    assert f"Børnesamtale {days_ago(3):%d.%m.%Y}: »{'x' * 79}…«" in body
    assert f'value="{newest.pk}" checked' in body
    assert "Undtagelse (barnets lov § 5, stk. 4)" not in body


def test_the_grant_form_without_a_conversation_asks_for_the_exception(world, alice):
    case = world.anna_case
    OfferFactory(municipality=world.municipality)
    url = _grant_url(case)
    body = alice.get(url).content.decode()
    assert "Undtagelse (barnets lov § 5, stk. 4)" in body
    assert reverse("voice:conversation_new", kwargs={"case_id": case.pk}) in body
    response = alice.post(url, _grant_data(world))
    assert response.status_code == 200
    assert ASKED in response.content.decode()
    assert Intervention.objects.filter(case=case).count() == 1  # Anna's own only
    data = _grant_data(world, no_conversation_reason="urgent", no_conversation_note=NOTE)
    response = alice.post(url, data)
    assert response.status_code == 302
    decision = CaseDecision.objects.get(case=case)
    assert decision.intervention.title == "Kontaktperson"
    assert _not_heard_alerts(decision) == {
        (CaseAlertLevel.FLAG, world.personas["team_leader"].pk, None)
    }


def test_the_grant_form_refuses_another_cases_conversation(world, alice):
    other = ChildConversationFactory(held_on=days_ago(2))
    ChildConversationFactory(case=world.anna_case, held_on=days_ago(2))
    response = alice.post(_grant_url(world.anna_case), _grant_data(world, conversation=other.pk))
    assert response.status_code == 200
    assert "Vælg en af barnets samtaler fra listen." in response.content.decode()
    assert not CaseDecision.objects.exists()
    assert Intervention.objects.filter(case=world.anna_case).count() == 1


def test_the_end_form_and_the_follow_up_form_keep_the_guard(world, alice):
    item = world.anna_intervention
    end_url = reverse(
        "cases:intervention_end", kwargs={"case_id": world.anna_case.pk, "intervention_id": item.pk}
    )
    response = alice.post(end_url, {"end_on": "2026-11-20", "reason": "Målene er nået"})
    assert response.status_code == 200 and ASKED in response.content.decode()
    item.refresh_from_db()
    assert item.end_reason == ""
    follow_up = FollowUp.objects.create(intervention=item, due_on=days_ago(1))
    data = {
        "held_on": days_ago(1).isoformat(),
        "decision": "step_up",
        "reason": "Mere støtte er nødvendig.",
        "schedule": "interval",
        "interval_months": "3",
    }
    url = reverse("cases:follow_up", kwargs={"follow_up_id": follow_up.pk})
    response = alice.post(url, data)
    assert response.status_code == 200 and ASKED in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.held_on is None
    conversation = ChildConversationFactory(case=world.anna_case, held_on=days_ago(5))
    assert alice.post(url, {**data, "conversation": conversation.pk}).status_code == 302
    assert CaseDecision.objects.get(follow_up=follow_up).kind == DecisionKind.STEP_CHANGE


# --- the team leader's review -------------------------------------------------------------------


def _exception(case, **kwargs) -> CaseDecision:
    return CaseDecisionFactory(
        case=case,
        conversation=None,
        no_conversation_reason=NoConversationReason.MATURITY,
        no_conversation_note="Barnet er 8 måneder gammelt og kan ikke udtrykke sig.",
        **kwargs,
    )


def test_the_leader_reviews_and_the_alert_is_seen(world):
    case = team_a_case(world)
    _grant(world, case, URGENT)
    decision = CaseDecision.objects.get(case=case)
    leader = world.personas["team_leader"]
    with pytest.raises(PlanError):
        review_decision(decision, acting_user=world.personas["alice"])
    review_decision(decision, acting_user=leader)
    decision.refresh_from_db()
    assert decision.reviewed_by == leader and decision.reviewed_at is not None
    assert CaseAlert.objects.get(subject_id=decision.pk, kind="not_heard").seen_at is not None
    assert list(decisions_to_review(leader)) == []
    assert list(recently_reviewed(leader)) == [decision]
    later = timezone.now() + datetime.timedelta(days=31)
    assert list(recently_reviewed(leader, later)) == []
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="voice.casedecision", object_id=str(decision.pk)
    ).exists()


def test_the_review_page_lists_the_teams_exceptions(world, client, django_assert_max_num_queries):
    leader = world.personas["team_leader"]
    own = [_exception(world.anna_case) for _ in range(3)]
    CaseDecisionFactory(case=world.anna_case)  # with a conversation: not listed
    bertram_case = Case.objects.get(child=world.bertram)
    _exception(bertram_case)  # team B: not this leader's
    client.force_login(leader)
    url = reverse("voice:decision_review")
    client.get(url)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    body = response.content.decode()
    assert body.count("Gennemgået</button>") == 3
    assert "Bertram" not in body and "Anna" in body
    assert "Team A:</strong> 3 af 4 afgørelser uden børnesamtale" in body
    assert "Barnets alder eller modenhed taler afgørende imod" in body
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="voice.casedecision")
    assert set(views.values_list("object_id", flat=True)) == {str(d.pk) for d in own}

    reviewed_url = reverse("voice:decision_reviewed", kwargs={"decision_id": own[0].pk})
    assert client.get(reviewed_url).status_code == 405
    response = client.post(reviewed_url)
    assert response.status_code == 302 and response["Location"] == url
    body = client.get(url).content.decode()
    assert body.count("Gennemgået</button>") == 2
    assert "Gennemgået de seneste 30 dage" in body and f"af {escape(str(leader))}" in body
    assert client.post(reviewed_url).status_code == 302  # again: nothing changes


def test_only_the_leader_of_the_cases_team_reaches_the_review(world, client):
    decision = _exception(world.anna_case)
    leader_b = user_with_role(Role.TEAM_LEADER, world.team_b)
    reviewed_url = reverse("voice:decision_reviewed", kwargs={"decision_id": decision.pk})
    client.force_login(leader_b)
    assert "Anna" not in client.get(reverse("voice:decision_review")).content.decode()
    assert client.post(reviewed_url).status_code == 404
    client.force_login(world.personas["alice"])
    assert client.get(reverse("voice:decision_review")).status_code == 404
    assert client.post(reviewed_url).status_code == 404
    decision.refresh_from_db()
    assert decision.reviewed_at is None


def test_the_menu_shows_the_review_to_team_leaders_only(world):
    label = "Uden børnesamtale"
    assert label in [i.label for i in navigation_for(world.personas["team_leader"])]
    assert label not in [i.label for i in navigation_for(world.personas["alice"])]


# --- on the case page ---------------------------------------------------------------------------


def test_the_case_page_shows_the_childs_voice_for_each_decision(world, alice):
    case = world.anna_case
    conversation = ChildConversationFactory(case=case, held_on=D(2026, 10, 1))
    CaseDecisionFactory(case=case, conversation=conversation, summary="Bevilget: Kontaktperson")
    _exception(case, summary="Anbringelse: Plejefamilie")
    ChildConversationFactory(case=CaseFactory(child=ChildFactory(municipality=world.municipality)))
    body = alice.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert "Barnets stemme" in body
    link = reverse(
        "voice:conversation", kwargs={"case_id": case.pk, "conversation_id": conversation.pk}
    )
    assert f'<a href="{link}">Børnesamtale 1.10.2026</a>' in body
    assert "Uden børnesamtale:</strong> Barnets alder eller modenhed taler afgørende imod." in body


# --- the forms agree with the service -------------------------------------------------------------


def test_the_grant_form_refuses_a_conversation_and_an_exception_together(world, alice):
    case = world.anna_case
    conversation = ChildConversationFactory(case=case, held_on=days_ago(3))
    data = _grant_data(
        world,
        conversation=conversation.pk,
        no_conversation_reason="urgent",
        no_conversation_note=NOTE,
    )
    response = alice.post(_grant_url(case), data)
    assert response.status_code == 200
    assert "Vælg enten en børnesamtale eller en undtagelse, ikke begge." in (
        response.content.decode()
    )
    assert not CaseDecision.objects.exists()
    assert Intervention.objects.filter(case=case).count() == 1  # Anna's own only


def test_a_late_follow_up_held_today_can_use_a_conversation_after_its_due_date(world, alice):
    item = world.anna_intervention
    item.start_on = days_ago(60)
    item.save(update_fields=["start_on"])
    follow_up = FollowUp.objects.create(intervention=item, due_on=days_ago(20))
    conversation = ChildConversationFactory(case=world.anna_case, held_on=days_ago(5))
    url = reverse("cases:follow_up", kwargs={"follow_up_id": follow_up.pk})
    page = alice.get(url).content.decode()
    assert f"Børnesamtale {days_ago(5):%d.%m.%Y}" in page  # offered on today, not the due date
    assert f'value="{timezone.localdate().isoformat()}"' in page  # held today by default
    data = {
        "held_on": timezone.localdate().isoformat(),
        "decision": "step_up",
        "reason": "Mere støtte er nødvendig.",
        "schedule": "interval",
        "interval_months": "3",
        "conversation": conversation.pk,
    }
    assert alice.post(url, data).status_code == 302
    decision = CaseDecision.objects.get(follow_up=follow_up)
    assert (decision.decided_on, decision.conversation) == (timezone.localdate(), conversation)


def test_the_follow_up_form_offers_the_conversations_of_the_day_posted(world, alice):
    item = world.anna_intervention
    item.start_on = days_ago(60)
    item.save(update_fields=["start_on"])
    follow_up = FollowUp.objects.create(intervention=item, due_on=days_ago(20))
    conversation = ChildConversationFactory(case=world.anna_case, held_on=days_ago(5))
    url = reverse("cases:follow_up", kwargs={"follow_up_id": follow_up.pk})
    data = {
        "held_on": days_ago(20).isoformat(),  # held on the due date: the conversation came later
        "decision": "step_up",
        "reason": "Mere støtte er nødvendig.",
        "schedule": "interval",
        "interval_months": "3",
        "conversation": conversation.pk,
    }
    response = alice.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vælg en af barnets samtaler fra listen." in body
    assert f"Børnesamtale {days_ago(5):%d.%m.%Y}" not in body
    for held_on in ("0001-01-01", "31-02-2026", "9999-12-31"):  # the form's own errors, no 500
        assert alice.post(url, {**data, "held_on": held_on}).status_code == 200
    assert not CaseDecision.objects.filter(follow_up=follow_up).exists()


# --- the conversation promised after an urgent decision ---------------------------------------


def _urgent(case, decided_on, **kwargs) -> CaseDecision:
    return CaseDecisionFactory(
        case=case,
        conversation=None,
        no_conversation_reason=NoConversationReason.URGENT,
        no_conversation_note=NOTE,
        decided_on=decided_on,
        **kwargs,
    )


def _reminders(decision) -> set[tuple]:
    return set(
        CaseAlert.objects.filter(
            kind=CaseAlertKind.NOT_HEARD, level=CaseAlertLevel.REMINDER, subject_id=decision.pk
        ).values_list("recipient_id", "due_on")
    )


def test_an_urgent_decision_reminds_the_caseworker_of_the_promised_conversation(world):
    alice, leader = world.personas["alice"], world.personas["team_leader"]
    case = team_a_case(world)
    decision = _urgent(case, D(2026, 5, 4))  # the conversation is due by 11 May 2026
    ChildConversationFactory(case=case, held_on=D(2026, 5, 3))  # before: not the promised one
    unassigned = _urgent(team_a_case(world, caseworker=None), D(2026, 5, 4))
    _exception(team_a_case(world), decided_on=D(2026, 5, 4))  # maturity: nothing promised
    _urgent(team_a_case(world, closed_on=D(2026, 5, 10)), D(2026, 5, 4))  # closed case
    answered = _urgent(team_a_case(world), D(2026, 5, 4))
    ChildConversationFactory(case=answered.case, held_on=D(2026, 5, 11))  # on the last day
    CaseDecisionFactory(case=team_a_case(world), decided_on=D(2026, 5, 4))  # with a conversation

    assert raise_promised_conversation_reminders(D(2026, 5, 11)).reminders == 0  # still in time
    assert raise_promised_conversation_reminders(D(2026, 5, 12)).reminders == 2
    assert _reminders(decision) == {(alice.pk, D(2026, 5, 11))}
    assert _reminders(unassigned) == {(leader.pk, D(2026, 5, 11))}  # no caseworker: the leader
    assert raise_promised_conversation_reminders(D(2026, 5, 12)).reminders == 0  # idempotent
    assert raise_promised_conversation_reminders(D(2026, 6, 1)).reminders == 0
    reminders = CaseAlert.objects.filter(kind=CaseAlertKind.NOT_HEARD)
    assert reminders.count() == 2
    alert = reminders.get(subject_id=decision.pk)
    assert list(unseen_case_alerts(alice)) == [alert]
    assert AuditEvent.objects.filter(
        object_type="cases.casealert", object_id=str(alert.pk)
    ).exists()

    ChildConversationFactory(case=case, held_on=D(2026, 5, 14))  # held late, recorded now
    assert list(unseen_case_alerts(alice)) == []
    assert raise_promised_conversation_reminders(D(2026, 5, 15)).reminders == 0


def test_the_reminder_and_the_leaders_flag_live_side_by_side(world):
    alice, leader = world.personas["alice"], world.personas["team_leader"]
    case = team_a_case(world)
    _grant(world, case, URGENT)  # decided today; the flag goes to the leader at once
    decision = CaseDecision.objects.get(case=case)
    today = timezone.localdate()
    assert raise_promised_conversation_reminders(today + datetime.timedelta(days=7)).reminders == 0
    assert raise_promised_conversation_reminders(today + datetime.timedelta(days=8)).reminders == 1
    assert _not_heard_alerts(decision) == {
        (CaseAlertLevel.FLAG, leader.pk, None),
        (CaseAlertLevel.REMINDER, alice.pk, None),
    }
    assert _reminders(decision) == {(alice.pk, today + datetime.timedelta(days=7))}
    review_decision(decision, acting_user=leader)  # the review marks the leader's flag only
    flag = CaseAlert.objects.get(subject_id=decision.pk, level=CaseAlertLevel.FLAG)
    reminder = CaseAlert.objects.get(subject_id=decision.pk, level=CaseAlertLevel.REMINDER)
    assert flag.seen_at is not None and reminder.seen_at is None
    (row,) = case_alert_rows(alice, timezone.now())
    assert row.alert_id == reminder.pk
    assert row.url == reverse("voice:conversation_new", kwargs={"case_id": case.pk})
    assert row.note == "Akut afgørelse: hold den lovede samtale med barnet"


def test_the_deadline_command_raises_the_promised_conversation_reminder(world):
    case = team_a_case(world)
    decision = _urgent(case, days_ago(8))
    call_command("deadlines", stdout=io.StringIO())
    assert _reminders(decision) == {(world.personas["alice"].pk, days_ago(1))}
    check_deadlines_task.call()
    assert CaseAlert.objects.filter(kind=CaseAlertKind.NOT_HEARD).count() == 1
