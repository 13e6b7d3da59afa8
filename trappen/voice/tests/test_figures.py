"""The voice and network figures (trappen/voice/figures.py) on hand-built data.

The period is March 2025 (both days included). Each test builds rows on and just outside the
period's edges, in two teams of the municipality and in another municipality, and checks the
hand-counted numerator and denominator, the team filter and the query count.
"""

from __future__ import annotations

import datetime

import pytest

from trappen.cases.tests.factories import ChildPlanFactory, GoalFactory
from trappen.core.models import UnitKind
from trappen.core.tests.factories import (
    CaseFactory,
    ChildFactory,
    MunicipalityFactory,
    UnitFactory,
)
from trappen.voice.figures import (
    MeetingsHeld,
    Share,
    network_meetings_and_conferences_held,
    share_of_cases_with_network_map,
    share_of_decisions_with_conversation,
    share_of_plans_with_childs_own_goals,
)
from trappen.voice.models import ConferencePhase, NetworkMeetingKind
from trappen.voice.tests.factories import (
    CaseDecisionFactory,
    FamilyGroupConferenceFactory,
    NetworkMeetingFactory,
    NetworkPersonFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 3, 1)
END = datetime.date(2025, 3, 31)
BEFORE = START - datetime.timedelta(days=1)
AFTER = END + datetime.timedelta(days=1)
MID = datetime.date(2025, 3, 15)
LONG_AGO = datetime.date(2024, 1, 10)


@pytest.fixture
def world():
    m = MunicipalityFactory()
    other = MunicipalityFactory()
    team_a = UnitFactory(municipality=m, kind=UnitKind.CASEWORKER_TEAM, name="Team A")
    team_b = UnitFactory(municipality=m, kind=UnitKind.CASEWORKER_TEAM, name="Team B")
    team_o = UnitFactory(municipality=other, kind=UnitKind.CASEWORKER_TEAM)

    def case(team, **kwargs):
        child = ChildFactory(municipality=team.municipality)
        return CaseFactory(child=child, team=team, opened_on=LONG_AGO, **kwargs)

    class World:
        pass

    w = World()
    w.m, w.other, w.team_a, w.team_b, w.team_o, w.case = m, other, team_a, team_b, team_o, case
    return w


def without_conversation(case, day):
    return CaseDecisionFactory(
        case=case,
        decided_on=day,
        conversation=None,
        no_conversation_reason="urgent",
        no_conversation_note="Akut anbringelse om natten; samtalen holdes i morgen.",
    )


# --- decisions preceded by a conversation ------------------------------------------------------


def test_decisions_with_a_conversation_count_inside_the_period_only(
    world, django_assert_num_queries
):
    a, b, o = world.case(world.team_a), world.case(world.team_b), world.case(world.team_o)
    CaseDecisionFactory(case=a, decided_on=START)  # counted, with a conversation
    without_conversation(a, END)  # counted in the denominator only
    CaseDecisionFactory(case=a, decided_on=BEFORE)  # outside
    CaseDecisionFactory(case=a, decided_on=AFTER)  # outside
    CaseDecisionFactory(case=b, decided_on=MID)  # team B, with a conversation
    CaseDecisionFactory(case=o, decided_on=MID)  # another municipality
    with django_assert_num_queries(1):
        share = share_of_decisions_with_conversation(world.m, START, END)
    assert (share.numerator, share.denominator) == (2, 3)
    assert share.value == pytest.approx(2 / 3)
    team_a = share_of_decisions_with_conversation(world.m, START, END, team=world.team_a)
    assert (team_a.numerator, team_a.denominator, team_a.value) == (1, 2, 0.5)
    team_b = share_of_decisions_with_conversation(world.m, START, END, team=world.team_b)
    assert (team_b.numerator, team_b.denominator, team_b.value) == (1, 1, 1.0)


def test_a_single_day_period_includes_that_day(world):
    a = world.case(world.team_a)
    without_conversation(a, MID)
    share = share_of_decisions_with_conversation(world.m, MID, MID)
    assert (share.numerator, share.denominator, share.value) == (0, 1, 0.0)


# --- plans holding the child's own goals -------------------------------------------------------


def test_plans_with_the_childs_own_goals(world, django_assert_num_queries):
    a, b, o = world.case(world.team_a), world.case(world.team_b), world.case(world.team_o)
    with_child = ChildPlanFactory(case=a, decided_on=START)
    GoalFactory(plan=with_child, set_by="child", childs_own_words="Jeg vil spille fodbold.")
    GoalFactory(plan=with_child, set_by="caseworker")
    caseworkers_only = ChildPlanFactory(case=a, decided_on=END)
    GoalFactory(plan=caseworkers_only, set_by="caseworker")
    GoalFactory(plan=caseworkers_only, set_by="guardians")
    ChildPlanFactory(case=a, decided_on=MID)  # decided, not made yet: no goals
    ChildPlanFactory(case=a, decided_on=MID, is_needed=False, not_needed_reason="Kort forløb.")
    early = ChildPlanFactory(case=a, decided_on=BEFORE)
    GoalFactory(plan=early, set_by="child")
    two_own = ChildPlanFactory(case=b, decided_on=MID)  # counted once, not twice
    GoalFactory(plan=two_own, set_by="child")
    GoalFactory(plan=two_own, set_by="child")
    elsewhere = ChildPlanFactory(case=o, decided_on=MID)
    GoalFactory(plan=elsewhere, set_by="child")
    with django_assert_num_queries(1):
        share = share_of_plans_with_childs_own_goals(world.m, START, END)
    assert (share.numerator, share.denominator, share.value) == (2, 4, 0.5)
    team_a = share_of_plans_with_childs_own_goals(world.m, START, END, team=world.team_a)
    assert (team_a.numerator, team_a.denominator) == (1, 3)
    team_b = share_of_plans_with_childs_own_goals(world.m, START, END, team=world.team_b)
    assert (team_b.numerator, team_b.denominator, team_b.value) == (1, 1, 1.0)


# --- cases with a network map ------------------------------------------------------------------


def test_open_cases_at_the_end_with_a_network_map(world, django_assert_num_queries):
    on_map = world.case(world.team_a)
    NetworkPersonFactory(child=on_map.child, added_on=None)
    closed_on_end = world.case(world.team_a, closed_on=END)  # open on its closing day
    NetworkPersonFactory(child=closed_on_end.child, added_on=LONG_AGO, removed_on=END)
    removed_later = world.case(world.team_a)
    NetworkPersonFactory(child=removed_later.child, added_on=LONG_AGO, removed_on=AFTER)
    closed_before = world.case(world.team_a, closed_on=END - datetime.timedelta(days=1))
    NetworkPersonFactory(child=closed_before.child, added_on=LONG_AGO)
    opened_after = world.case(world.team_a)
    opened_after.opened_on = AFTER
    opened_after.save(update_fields=["opened_on"])
    NetworkPersonFactory(child=opened_after.child, added_on=LONG_AGO)
    added_after = world.case(world.team_a)
    NetworkPersonFactory(child=added_after.child, added_on=AFTER)
    world.case(world.team_b)  # open, no network
    elsewhere = world.case(world.team_o)
    NetworkPersonFactory(child=elsewhere.child, added_on=LONG_AGO)
    with django_assert_num_queries(1):
        share = share_of_cases_with_network_map(world.m, START, END)
    assert (share.numerator, share.denominator, share.value) == (2, 5, 0.4)
    team_a = share_of_cases_with_network_map(world.m, START, END, team=world.team_a)
    assert (team_a.numerator, team_a.denominator, team_a.value) == (2, 4, 0.5)
    team_b = share_of_cases_with_network_map(world.m, START, END, team=world.team_b)
    assert (team_b.numerator, team_b.denominator, team_b.value) == (0, 1, 0.0)


def test_several_network_persons_count_the_case_once(world):
    case = world.case(world.team_a)
    NetworkPersonFactory(child=case.child, added_on=None)
    NetworkPersonFactory(child=case.child, added_on=LONG_AGO)
    share = share_of_cases_with_network_map(world.m, START, END)
    assert (share.numerator, share.denominator) == (1, 1)


# --- network meetings and family group conferences held ----------------------------------------


def test_meetings_and_conferences_held_in_the_period(world, django_assert_num_queries):
    a, b, o = world.case(world.team_a), world.case(world.team_b), world.case(world.team_o)
    NetworkMeetingFactory(case=a, kind=NetworkMeetingKind.NETWORK, held_on=START)
    NetworkMeetingFactory(case=a, kind=NetworkMeetingKind.LARGE, held_on=END)
    NetworkMeetingFactory(case=a, kind=NetworkMeetingKind.NETWORK, held_on=BEFORE)
    NetworkMeetingFactory(case=a, kind=NetworkMeetingKind.LARGE, held_on=AFTER)
    NetworkMeetingFactory(case=b, kind=NetworkMeetingKind.NETWORK, held_on=MID)
    NetworkMeetingFactory(case=o, kind=NetworkMeetingKind.NETWORK, held_on=MID)
    FamilyGroupConferenceFactory(case=a, phase=ConferencePhase.MEETING, meeting_held_on=START)
    FamilyGroupConferenceFactory(
        case=a,
        phase=ConferencePhase.CANCELLED,
        meeting_held_on=END,
        cancelled_on=AFTER,
        cancelled_reason="Familien trak sig efter rådslagningen.",
    )
    FamilyGroupConferenceFactory(case=a, phase=ConferencePhase.REFERRED)  # no meeting
    FamilyGroupConferenceFactory(case=a, phase=ConferencePhase.MEETING, meeting_held_on=AFTER)
    FamilyGroupConferenceFactory(case=o, phase=ConferencePhase.MEETING, meeting_held_on=MID)
    with django_assert_num_queries(2):
        held = network_meetings_and_conferences_held(world.m, START, END)
    assert held == MeetingsHeld(START, END, 2, 1, 2)
    assert held.total == 5
    team_a = network_meetings_and_conferences_held(world.m, START, END, team=world.team_a)
    assert (team_a.network_meetings, team_a.large_meetings, team_a.conferences_held) == (1, 1, 2)
    team_b = network_meetings_and_conferences_held(world.m, START, END, team=world.team_b)
    assert (team_b.network_meetings, team_b.large_meetings, team_b.conferences_held) == (1, 0, 0)


# --- empty denominators and bad input ----------------------------------------------------------


def test_empty_denominators_give_no_value(world):
    world.case(world.team_b, closed_on=LONG_AGO)  # closed long before: not open at the end
    for figure in (
        share_of_decisions_with_conversation,
        share_of_plans_with_childs_own_goals,
        share_of_cases_with_network_map,
    ):
        share = figure(world.m, START, END)
        assert share == Share(START, END, 0, 0), figure.__name__
        assert share.value is None
    assert network_meetings_and_conferences_held(world.m, START, END).total == 0


@pytest.mark.parametrize(
    "figure",
    [
        share_of_decisions_with_conversation,
        share_of_plans_with_childs_own_goals,
        share_of_cases_with_network_map,
        network_meetings_and_conferences_held,
    ],
)
def test_it_refuses_a_reversed_period_and_another_municipalitys_team(world, figure):
    with pytest.raises(ValueError, match="slutter, før den begynder"):
        figure(world.m, END, START)
    with pytest.raises(ValueError, match="hører ikke til kommunen"):
        figure(world.m, START, END, team=world.team_o)
