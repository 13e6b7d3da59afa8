"""Recording follow-ups (§ 95): scores per goal and source, the decision, the next follow-ups
across holidays, the child's explanation, and the no-progress flag."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from trappen.cases.follow_ups import record_follow_up, shows_no_progress
from trappen.cases.interventions import grant_intervention
from trappen.cases.models import (
    CaseAlert,
    CaseAlertKind,
    CaseAlertLevel,
    FollowUp,
    FollowUpDecision,
    GoalScore,
    ScoreSource,
    StepMovement,
)
from trappen.cases.plans import PlanError
from trappen.cases.tests.factories import ChildPlanFactory, GoalFactory
from trappen.cases.tests.factories_plan import OfferFactory, support_terms, team_a_case
from trappen.core.tests.factories import FollowUpFactory
from trappen.voice.tests.factories import heard

pytestmark = pytest.mark.django_db
D = datetime.date
START = D(2026, 1, 5)
CW, PROVIDER, PARENTS, CHILD = (
    ScoreSource.CASEWORKER,
    ScoreSource.PROVIDER,
    ScoreSource.GUARDIANS,
    ScoreSource.CHILD,
)


@pytest.fixture
def setup(world):
    """A § 32 intervention from 5 January 2026 on a fresh team A case, with two goals."""
    case = team_a_case(world)
    plan = ChildPlanFactory(case=case)
    goals = [
        GoalFactory(plan=plan, text="Kommer i skole", baseline=3),
        GoalFactory(plan=plan, text="Sover om natten", baseline=2),
    ]
    offer = OfferFactory(municipality=world.municipality)
    item = grant_intervention(
        case,
        offer=offer,
        start_on=START,
        acting_user=world.personas["alice"],
        goals=goals,
        child_heard=heard(case),
        **support_terms(START),
    )
    return world, item, goals


def _first(item) -> FollowUp:
    return item.follow_ups.get(is_first=True)


def _record(world, follow_up, held_on, scores=(), **kwargs):
    kwargs.setdefault("decision", FollowUpDecision.CONTINUE)
    kwargs.setdefault("reason", "Det går fremad.")
    kwargs.setdefault("schedule_explained_to_child", True)
    user = world.personas[kwargs.pop("user", "alice")]
    if kwargs["decision"] != FollowUpDecision.CONTINUE and isinstance(held_on, D):
        # a decision at the follow-up: the child was heard the same day (barnets lov § 5)
        kwargs.setdefault("child_heard", heard(follow_up.intervention.case, held_on))
    return record_follow_up(follow_up, held_on=held_on, scores=scores, acting_user=user, **kwargs)


def _pending(item) -> list[D]:
    return list(
        FollowUp.objects.filter(intervention=item, held_on__isnull=True).values_list(
            "due_on", flat=True
        )
    )


def _errors(excinfo) -> dict:
    return excinfo.value.errors


# --- what is recorded -------------------------------------------------------------------------


def test_scores_from_all_four_sources_are_tied_to_the_follow_up(setup):
    world, item, (school, sleep) = setup
    first = _first(item)
    # 5 January + 3 months = Easter Sunday 5 April 2026; Saturday, Good Friday and Maundy
    # Thursday before it are closed too: the meeting is Wednesday 1 April.
    assert first.due_on == D(2026, 4, 1)
    scores = [(school, CW, 4), (school, PROVIDER, 5), (school, PARENTS, 6), (school, CHILD, 7)]
    scores += [(sleep, CW, 3)]
    _record(world, first, D(2026, 4, 2), scores, progress=5, schedule_note="Tegnet en kalender")
    first.refresh_from_db()
    assert (first.held_on, first.held_by, first.decision) == (
        D(2026, 4, 2),
        world.personas["alice"],
        FollowUpDecision.CONTINUE,
    )
    assert (first.reason, first.progress, first.schedule_explained_to_child) == (
        "Det går fremad.",
        5,
        True,
    )
    assert first.schedule_note == "Tegnet en kalender"
    stored = GoalScore.objects.filter(follow_up=first)
    assert sorted((s.goal_id, s.source, s.score) for s in stored) == sorted(
        (g.pk, source, score) for g, source, score in scores
    )
    assert {s.recorded_on for s in stored} == {D(2026, 4, 2)}


def test_the_next_follow_up_defaults_to_the_municipalitys_interval(setup):
    world, item, _ = setup
    _record(world, _first(item), D(2026, 4, 2))
    assert _pending(item) == [D(2026, 7, 2)]  # 3 months, a Thursday


def test_a_shorter_strategy_interval_is_the_default(setup):
    world, item, _ = setup
    world.municipality.follow_up_interval_months = 1
    world.municipality.save(update_fields=["follow_up_interval_months"])
    item.case.municipality.refresh_from_db()
    _record(world, _first(item), D(2026, 4, 2))
    assert _pending(item) == [D(2026, 5, 1)]  # 2 May 2026 is a Saturday → Friday 1 May


def test_the_next_follow_up_before_christmas(setup):
    world, item, _ = setup
    first = _first(item)
    _record(world, first, D(2026, 4, 2), next_dates=[D(2026, 12, 25), D(2026, 6, 5)])
    # Juledag and the closing day before it → 23 Dec; Grundlovsdag (Friday) → Thursday 4 June
    assert _pending(item) == [D(2026, 6, 4), D(2026, 12, 23)]


def test_an_interval_across_easter_2027(setup):
    world, item, _ = setup
    later = FollowUpFactory(intervention=item, due_on=D(2026, 10, 1))
    _record(world, _first(item), D(2026, 4, 2), next_dates=[D(2026, 9, 29)])
    assert _pending(item) == [D(2026, 9, 29)]  # the new schedule replaced the 1 October one
    assert not FollowUp.objects.filter(pk=later.pk).exists()
    second = FollowUp.objects.get(intervention=item, due_on=D(2026, 9, 29))
    _record(world, second, D(2026, 9, 29), interval_months=6)
    assert _pending(item) == [D(2027, 3, 24)]  # 29 March 2027 is Easter Monday


def test_the_schedule_is_explained_to_the_child_at_the_first_follow_up(setup):
    world, item, _ = setup
    with pytest.raises(PlanError) as excinfo:
        _record(world, _first(item), D(2026, 4, 2), schedule_explained_to_child=False)
    assert _errors(excinfo) == {
        "schedule_explained_to_child": [
            "Ved den første opfølgning skal planen for de næste opfølgninger forklares for "
            "barnet (§ 95, stk. 3)."
        ]
    }
    _record(world, _first(item), D(2026, 4, 2))
    second = FollowUp.objects.get(intervention=item, held_on__isnull=True)
    _record(world, second, D(2026, 7, 2), schedule_explained_to_child=False)
    second.refresh_from_db()
    assert second.held_on == D(2026, 7, 2)


def test_end_ends_the_intervention_and_schedules_nothing(setup):
    world, item, _ = setup
    _record(
        world,
        _first(item),
        D(2026, 4, 2),
        decision=FollowUpDecision.END,
        reason="Målene er nået.",
        schedule_explained_to_child=False,
    )
    item.refresh_from_db()
    assert item.end_on == D(2026, 4, 2)
    assert item.end_reason == "Afsluttet ved opfølgning: Målene er nået."
    assert _pending(item) == []
    moves = StepMovement.objects.filter(case=item.case).values_list(
        "from_step", "to_step", "moved_on"
    )
    assert list(moves) == [(None, 2, START), (2, None, D(2026, 4, 3))]


def test_step_down_is_recorded_as_a_decision_only(setup):
    world, item, _ = setup
    _record(world, _first(item), D(2026, 4, 2), decision=FollowUpDecision.STEP_DOWN)
    item.refresh_from_db()
    assert item.end_on is None
    assert StepMovement.objects.filter(case=item.case).count() == 1


# --- validation ---------------------------------------------------------------------------------


def test_reason_decision_and_dates_are_required_in_danish(setup):
    world, item, _ = setup
    with pytest.raises(PlanError) as excinfo:
        _record(world, _first(item), None, decision="maybe", reason=" ")
    assert _errors(excinfo) == {
        "held_on": ["Skriv datoen for opfølgningen."],
        "decision": ["Vælg en beslutning."],
        "reason": ["Begrund beslutningen."],
    }
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(PlanError) as excinfo:
        _record(world, _first(item), tomorrow)
    assert _errors(excinfo)["held_on"] == ["Opfølgningen kan ikke være holdt i fremtiden."]
    with pytest.raises(PlanError) as excinfo:
        _record(world, _first(item), D(2026, 1, 4))
    assert _errors(excinfo)["held_on"] == [
        "Opfølgningen kan ikke være holdt, før indsatsen startede."
    ]


@pytest.mark.parametrize("score", [11, -1, "5", 4.5, True, None])
def test_a_score_outside_0_to_10_is_refused(setup, score):
    world, item, (school, _) = setup
    with pytest.raises(PlanError) as excinfo:
        _record(world, _first(item), D(2026, 4, 2), [(school, CW, score)])
    assert _errors(excinfo) == {"scores": ["En score skal være et helt tal fra 0 til 10."]}
    assert not GoalScore.objects.exists()


def test_scores_for_other_goals_twice_or_from_nobody_are_refused(setup):
    world, item, (school, _) = setup
    foreign = GoalFactory()
    cases = [
        ([(foreign, CW, 5)], "Scor kun mål, som indsatsen skal hjælpe med."),
        ([(school, "teacher", 5)], "Vælg, hvem scoren kommer fra."),
        ([(school, CW, 5), (school, CW, 6)], "Hvert mål kan kun have én score fra hver."),
        ([("x",)], "En score kunne ikke læses."),
    ]
    for scores, message in cases:
        with pytest.raises(PlanError) as excinfo:
            _record(world, _first(item), D(2026, 4, 2), scores)
        assert _errors(excinfo) == {"scores": [message]}


def test_schedule_errors(setup):
    world, item, _ = setup
    first = _first(item)
    with pytest.raises(PlanError) as excinfo:
        _record(world, first, D(2026, 4, 2), next_dates=[D(2026, 6, 1)], interval_months=2)
    assert _errors(excinfo) == {"next_dates": ["Angiv enten datoer eller et interval, ikke begge."]}
    with pytest.raises(PlanError) as excinfo:
        _record(world, first, D(2026, 4, 2), next_dates=[D(2026, 4, 4)])  # Saturday → 2 April
    assert _errors(excinfo) == {"next_dates": ["De næste opfølgninger skal ligge efter denne."]}
    with pytest.raises(PlanError) as excinfo:
        _record(world, first, D(2026, 4, 2), interval_months=0)
    assert _errors(excinfo) == {
        "interval_months": ["Intervallet skal være et helt antal måneder fra 1 til 24."]
    }
    with pytest.raises(PlanError) as excinfo:
        _record(world, first, D(2026, 4, 2), decision=FollowUpDecision.END, interval_months=3)
    assert _errors(excinfo) == {
        "next_dates": ["Når indsatsen afsluttes, planlægges der ikke flere opfølgninger."]
    }


def test_a_follow_up_is_recorded_once_and_only_by_the_cases_workers(setup):
    world, item, _ = setup
    with pytest.raises(PlanError):
        _record(world, _first(item), D(2026, 4, 2), user="charlie")
    _record(world, _first(item), D(2026, 4, 2), user="team_leader")
    with pytest.raises(PlanError) as excinfo:
        _record(world, _first(item), D(2026, 4, 3))
    assert _errors(excinfo)[None] == ["Opfølgningen er allerede registreret."]


# --- the no-progress flag ---------------------------------------------------------------------


def _two_follow_ups(world, item, first_scores, second_scores, **second):
    first = _first(item)
    _record(world, first, D(2026, 4, 2), first_scores)
    follow_up = FollowUp.objects.get(intervention=item, held_on__isnull=True)
    _record(world, follow_up, D(2026, 7, 2), second_scores, **second)
    item.refresh_from_db()
    return first, follow_up


def _alerts(item):
    return CaseAlert.objects.filter(kind=CaseAlertKind.NO_PROGRESS, subject_id=item.pk)


def test_two_flat_follow_ups_flag_the_caseworker_and_the_team_leader(setup):
    world, item, (school, sleep) = setup
    # caseworker means: (4 + 6) / 2 = 5, then (5 + 5) / 2 = 5: no progress. The provider's
    # rising scores do not count.
    first, _ = _two_follow_ups(
        world,
        item,
        [(school, CW, 4), (sleep, CW, 6), (school, PROVIDER, 3)],
        [(school, CW, 5), (sleep, CW, 5), (school, PROVIDER, 9)],
    )
    assert item.no_progress_since == first.held_on == D(2026, 4, 2)
    alerts = _alerts(item)
    assert {a.recipient for a in alerts} == {world.personas["alice"], world.personas["team_leader"]}
    assert {(a.level, a.case_id, a.seen_at) for a in alerts} == {
        (CaseAlertLevel.FLAG, item.case_id, None)
    }


def test_falling_scores_are_no_progress_either(setup):
    world, item, (school, _) = setup
    _two_follow_ups(world, item, [(school, CW, 6)], [(school, CW, 4)])
    assert item.no_progress_since == D(2026, 4, 2)


def test_rising_scores_raise_no_flag(setup):
    world, item, (school, sleep) = setup
    _two_follow_ups(
        world, item, [(school, CW, 4), (sleep, CW, 6)], [(school, CW, 5), (sleep, CW, 6)]
    )
    assert item.no_progress_since is None
    assert not _alerts(item).exists()
    assert shows_no_progress(item) is None


def test_one_follow_up_or_missing_scores_give_no_verdict(setup):
    world, item, (school, _) = setup
    _record(world, _first(item), D(2026, 4, 2), [(school, CW, 4)])
    item.refresh_from_db()
    assert item.no_progress_since is None
    second = FollowUp.objects.get(intervention=item, held_on__isnull=True)
    _record(world, second, D(2026, 7, 2), [(school, PROVIDER, 2)])
    item.refresh_from_db()
    assert item.no_progress_since is None


def test_without_goals_the_progress_field_decides(world):
    case = team_a_case(world)
    item = grant_intervention(
        case,
        offer=OfferFactory(municipality=world.municipality),
        start_on=START,
        acting_user=world.personas["alice"],
        child_heard=heard(case),
        **support_terms(START),
    )
    _two_follow_ups(world, item, [], [], progress=3)  # first has no progress value: no verdict
    assert item.no_progress_since is None
    third = FollowUp.objects.get(intervention=item, held_on__isnull=True)
    _record(world, third, D(2026, 10, 1), progress=3)
    item.refresh_from_db()
    assert item.no_progress_since == D(2026, 7, 2)


def test_adjust_clears_the_flag_and_a_new_flag_raises_the_alerts_again(setup):
    world, item, (school, _) = setup
    _two_follow_ups(world, item, [(school, CW, 4)], [(school, CW, 4)])
    assert item.no_progress_since is not None
    third = FollowUp.objects.get(intervention=item, held_on__isnull=True)
    _record(world, third, D(2026, 10, 1), [(school, CW, 4)], decision=FollowUpDecision.ADJUST)
    item.refresh_from_db()
    assert item.no_progress_since is None
    assert all(a.seen_at is not None for a in _alerts(item))
    fourth = FollowUp.objects.get(intervention=item, held_on__isnull=True)
    _record(world, fourth, D(2026, 11, 2), [(school, CW, 3)])
    item.refresh_from_db()
    assert item.no_progress_since == D(2026, 10, 1)
    assert _alerts(item).count() == 2
    assert all(a.seen_at is None for a in _alerts(item))


def test_progress_after_a_flag_clears_it(setup):
    world, item, (school, _) = setup
    _two_follow_ups(world, item, [(school, CW, 4)], [(school, CW, 4)])
    third = FollowUp.objects.get(intervention=item, held_on__isnull=True)
    _record(world, third, D(2026, 10, 1), [(school, CW, 6)])
    item.refresh_from_db()
    assert item.no_progress_since is None
