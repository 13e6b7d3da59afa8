"""Granting and ending interventions: the offer's terms, § 32's purpose and duration, the
immediate flag, the first follow-up across holidays, step movements, and the sibling flag."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from trappen.cases.interventions import (
    end_intervention,
    grant_intervention,
    is_immediate_start,
    is_support_measure,
    record_step_change,
)
from trappen.cases.models import FollowUp, SiblingAssessment, StepMovement
from trappen.cases.plans import PlanError
from trappen.cases.tests.factories import ChildPlanFactory, GoalFactory
from trappen.cases.tests.factories_plan import (
    OfferFactory,
    placement_offer,
    preventive_offer,
    support_terms,
    team_a_case,
)
from trappen.core.models import AuditAction, AuditEvent, UnitKind
from trappen.core.tests.factories import (
    FollowUpFactory,
    InvestigationFactory,
    MunicipalityFactory,
    UnitFactory,
)
from trappen.voice.tests.factories import heard

pytestmark = pytest.mark.django_db
D = datetime.date
START = D(2026, 3, 2)


def _grant(world, case, offer=None, start_on=START, user="alice", **kwargs):
    offer = offer or OfferFactory(municipality=world.municipality)
    if is_support_measure(offer.legal_basis):
        for key, value in support_terms(start_on).items():
            kwargs.setdefault(key, value)
    kwargs.setdefault("child_heard", heard(case))
    return grant_intervention(
        case, offer=offer, start_on=start_on, acting_user=world.personas[user], **kwargs
    )


def _moves(case):
    return [
        (m.from_step, m.to_step, m.moved_on)
        for m in StepMovement.objects.filter(case=case).order_by("moved_on", "pk")
    ]


def _errors(excinfo) -> dict:
    return excinfo.value.errors


# --- the offer's terms ------------------------------------------------------------------------


def test_the_offer_gives_title_basis_step_provider_and_cost(world):
    case = team_a_case(world)
    offer = OfferFactory(municipality=world.municipality, name="Familiebehandling", step=2)
    item = _grant(world, case, offer)
    item.refresh_from_db()
    assert (item.title, item.legal_basis, item.step) == ("Familiebehandling", offer.legal_basis, 2)
    assert item.provider_id == offer.provider_id
    assert item.monthly_cost == 18000
    assert item.decided_by == world.personas["alice"]
    assert item.granted_on == timezone.localdate()
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="cases.intervention", object_id=str(item.pk)
    ).exists()


def test_provider_and_cost_may_differ_from_the_offer(world):
    case = team_a_case(world)
    item = _grant(world, case, provider=world.provider_b, monthly_cost=12500)
    assert item.provider == world.provider_b
    assert item.monthly_cost == 12500


def test_an_offer_or_provider_of_another_municipality_is_refused(world):
    case = team_a_case(world)
    foreign = OfferFactory(municipality=world.other_municipality)
    with pytest.raises(PlanError) as excinfo:
        _grant(world, case, foreign, purpose="x", expected_end_on=D(2026, 9, 1))
    assert _errors(excinfo)["offer"] == ["Vælg et tilbud fra kommunens tilbudsvifte."]
    other_unit = UnitFactory(municipality=MunicipalityFactory(), kind=UnitKind.PROVIDER)
    with pytest.raises(PlanError) as excinfo:
        _grant(world, case, provider=other_unit)
    assert _errors(excinfo)["provider"] == ["Vælg en udfører i kommunen."]
    assert not case.interventions.exists()


@pytest.mark.parametrize("cost", ["-1", "1.5", "abc", "99999999999", "NaN"])
def test_a_bad_monthly_cost_is_refused_in_danish(world, cost):
    with pytest.raises(PlanError) as excinfo:
        _grant(world, team_a_case(world), monthly_cost=cost)
    assert _errors(excinfo)["monthly_cost"] == [
        "Skriv prisen pr. måned som et beløb i hele kroner."
    ]


def test_a_section_32_measure_states_purpose_and_expected_duration(world):
    case = team_a_case(world)
    offer = OfferFactory(municipality=world.municipality, legal_basis="§ 32, stk. 1, nr. 3")
    with pytest.raises(PlanError) as excinfo:
        grant_intervention(
            case,
            offer=offer,
            start_on=D(2026, 3, 2),
            acting_user=world.personas["alice"],
            child_heard=heard(case),
        )
    assert _errors(excinfo) == {
        "purpose": ["Skriv formålet med indsatsen (§ 32, stk. 3)."],
        "expected_end_on": ["Skriv den forventede varighed (§ 32, stk. 3)."],
    }


def test_a_section_30_offer_needs_no_purpose(world):
    case = team_a_case(world)
    item = grant_intervention(
        case,
        offer=preventive_offer(world.municipality),
        start_on=D(2026, 3, 2),
        acting_user=world.personas["alice"],
        child_heard=heard(case),
    )
    assert item.step == 1 and item.purpose == "" and item.expected_end_on is None


@pytest.mark.smoke
def test_support_measure_recognises_the_paragraph_only():
    assert is_support_measure("§ 32")
    assert is_support_measure("§  32, stk. 1, nr. 5")
    assert not is_support_measure("§ 30")
    assert not is_support_measure("§ 320")
    assert not is_support_measure("")


def test_dates_before_the_start_are_refused(world):
    case = team_a_case(world)
    with pytest.raises(PlanError) as excinfo:
        _grant(world, case, end_on=D(2026, 3, 1), expected_end_on=D(2026, 2, 1))
    assert _errors(excinfo)["end_on"] == ["Datoen kan ikke ligge før startdatoen."]
    assert _errors(excinfo)["expected_end_on"] == ["Datoen kan ikke ligge før startdatoen."]
    with pytest.raises(PlanError) as excinfo:
        _grant(world, case, start_on=D(2024, 12, 31))
    assert _errors(excinfo)["start_on"] == ["Indsatsen kan ikke starte, før sagen blev oprettet."]


def test_only_the_cases_workers_may_grant(world):
    case = team_a_case(world)
    _grant(world, case, user="bob")
    _grant(world, case, user="team_leader", start_on=D(2026, 4, 1))
    with pytest.raises(PlanError):
        _grant(world, case, user="charlie")
    assert case.interventions.count() == 2


def test_a_closed_case_gets_no_intervention(world):
    case = team_a_case(world, closed_on=D(2026, 2, 1))
    with pytest.raises(PlanError) as excinfo:
        _grant(world, case)
    assert _errors(excinfo)[None] == ["Sagen er lukket."]


def test_goals_from_the_childs_plan_are_linked(world):
    case = team_a_case(world)
    goal = GoalFactory(plan=ChildPlanFactory(case=case))
    foreign_goal = GoalFactory()
    item = _grant(world, case, goals=[goal])
    assert list(item.goals.all()) == [goal]
    with pytest.raises(PlanError) as excinfo:
        _grant(world, case, goals=[foreign_goal])
    assert _errors(excinfo)["goals"] == ["Vælg kun mål fra barnets egen plan."]


# --- the immediate flag -----------------------------------------------------------------------


def test_an_intervention_without_an_investigation_is_immediate(world):
    assert _grant(world, team_a_case(world)).is_immediate


def test_an_investigation_completed_on_or_before_the_start_makes_it_ordinary(world):
    case = team_a_case(world)
    InvestigationFactory(case=case, started_on=D(2026, 1, 5), completed_on=D(2026, 3, 2))
    assert not is_immediate_start(case, D(2026, 3, 2))
    assert is_immediate_start(case, D(2026, 3, 1))
    assert not _grant(world, case, start_on=D(2026, 3, 2)).is_immediate


def test_an_investigation_running_alongside_keeps_it_immediate(world):
    case = team_a_case(world)
    InvestigationFactory(
        case=case, started_on=D(2026, 2, 1), due_on=D(2026, 6, 1), completed_on=None
    )
    InvestigationFactory(
        case=case, started_on=D(2026, 2, 1), due_on=D(2026, 6, 1), completed_on=D(2026, 4, 1)
    )
    assert _grant(world, case, start_on=D(2026, 3, 2)).is_immediate


# --- the first follow-up (§ 95, stk. 2) across holidays ----------------------------------------


def test_first_follow_up_three_months_after_start_moves_before_christmas(world):
    case = team_a_case(world)
    item = _grant(world, case, start_on=D(2026, 9, 25))
    first = item.follow_ups.get()
    # 25 Dec 2026 is Juledag (a Friday), 24 Dec a closing day: the meeting is Wednesday 23 Dec.
    assert (first.due_on, first.is_first, first.held_on) == (D(2026, 12, 23), True, None)


def test_first_follow_up_before_easter_2027(world):
    case = team_a_case(world)
    item = _grant(world, case, start_on=D(2026, 12, 29))
    # 29 Mar 2027 is Easter Monday; 28 Easter Sunday, 27 Saturday, 26 Good Friday, 25 Maundy
    # Thursday: the meeting is Wednesday 24 March 2027.
    assert item.follow_ups.get().due_on == D(2027, 3, 24)


def test_first_follow_up_at_the_end_of_an_investigation_alongside(world):
    case = team_a_case(world)
    InvestigationFactory(
        case=case,
        started_on=D(2026, 2, 1),
        due_on=D(2026, 6, 1),
        expected_completion_on=D(2026, 4, 19),  # a Sunday
    )
    item = _grant(world, case, start_on=D(2026, 3, 2))
    assert item.follow_ups.get().due_on == D(2026, 4, 17)  # the Friday before


def test_an_investigation_completed_after_the_start_ends_alongside(world):
    case = team_a_case(world)
    InvestigationFactory(
        case=case, started_on=D(2026, 2, 1), due_on=D(2026, 6, 1), completed_on=D(2026, 3, 20)
    )
    item = _grant(world, case, start_on=D(2026, 3, 2))
    assert item.is_immediate
    assert item.follow_ups.get().due_on == D(2026, 3, 20)


def test_an_overdue_open_investigation_does_not_pull_the_follow_up_before_the_start(world):
    case = team_a_case(world)
    InvestigationFactory(case=case, started_on=D(2025, 9, 1), due_on=D(2026, 1, 1))
    item = _grant(world, case, start_on=D(2026, 3, 2))
    assert item.follow_ups.get().due_on == D(2026, 6, 2)


# --- step movements ---------------------------------------------------------------------------


def test_step_events_when_interventions_start_and_end(world):
    case = team_a_case(world)
    home = _grant(world, case, start_on=D(2026, 3, 2))
    assert _moves(case) == [(None, 2, D(2026, 3, 2))]
    foster = _grant(world, case, placement_offer(world.municipality), start_on=D(2026, 5, 1))
    assert _moves(case)[-1] == (2, 4, D(2026, 5, 1))
    end_intervention(
        foster,
        child_heard=heard(foster.case),
        end_on=D(2026, 8, 31),
        reason="Hjem igen",
        acting_user=world.personas["alice"],
    )
    assert _moves(case)[-1] == (4, 2, D(2026, 9, 1))
    end_intervention(
        home,
        child_heard=heard(home.case),
        end_on=D(2026, 10, 15),
        reason="Målene er nået",
        acting_user=world.personas["alice"],
    )
    assert _moves(case) == [
        (None, 2, D(2026, 3, 2)),
        (2, 4, D(2026, 5, 1)),
        (4, 2, D(2026, 9, 1)),
        (2, None, D(2026, 10, 16)),
    ]
    last = StepMovement.objects.filter(case=case).last()
    assert last.intervention == home
    assert last.recorded_by == world.personas["alice"]
    assert "Målene er nået" in last.reason


def test_a_lower_intervention_alongside_moves_nothing(world):
    case = team_a_case(world)
    _grant(world, case, start_on=D(2026, 3, 2))
    _grant(world, case, preventive_offer(world.municipality), start_on=D(2026, 4, 1))
    assert _moves(case) == [(None, 2, D(2026, 3, 2))]


def test_a_step_down_on_one_day_is_one_movement_whatever_the_order(world):
    case = team_a_case(world)
    alice = world.personas["alice"]
    home = _grant(world, case, start_on=D(2026, 3, 2))
    end_intervention(
        home,
        child_heard=heard(home.case),
        end_on=D(2026, 6, 30),
        reason="Trin ned",
        acting_user=alice,
    )
    assert _moves(case)[-1] == (2, None, D(2026, 7, 1))
    course = _grant(world, case, preventive_offer(world.municipality), start_on=D(2026, 7, 1))
    assert _moves(case) == [(None, 2, D(2026, 3, 2)), (2, 1, D(2026, 7, 1))]
    day = StepMovement.objects.get(case=case, moved_on=D(2026, 7, 1))
    assert day.intervention == course
    assert "Afsluttet: " in day.reason and "Bevilget: Forældrekursus" in day.reason


def test_a_planned_end_moves_the_child_the_day_after(world):
    case = team_a_case(world)
    _grant(world, case, start_on=D(2026, 3, 2), end_on=D(2026, 5, 31))
    assert _moves(case) == [(None, 2, D(2026, 3, 2)), (2, None, D(2026, 6, 1))]


def test_a_future_start_is_recorded_on_its_start_day(world):
    case = team_a_case(world)
    start = timezone.localdate() + datetime.timedelta(days=20)
    _grant(world, case, start_on=start)
    assert _moves(case) == [(None, 2, start)]


def test_a_backdated_placement_hides_a_later_step_down(world):
    case = team_a_case(world)
    alice = world.personas["alice"]
    home = _grant(world, case, start_on=D(2026, 1, 5))
    end_intervention(
        home, child_heard=heard(home.case), end_on=D(2026, 3, 31), reason="Slut", acting_user=alice
    )
    assert _moves(case) == [(None, 2, D(2026, 1, 5)), (2, None, D(2026, 4, 1))]
    _grant(world, case, placement_offer(world.municipality, step=3), start_on=D(2026, 3, 1))
    assert _moves(case) == [(None, 2, D(2026, 1, 5)), (2, 3, D(2026, 3, 1))]


def test_ending_a_placement_reveals_a_step_down_it_hid(world):
    case = team_a_case(world)
    foster = _grant(world, case, placement_offer(world.municipality), start_on=D(2026, 1, 5))
    _grant(world, case, start_on=D(2026, 2, 2), end_on=D(2026, 6, 30))
    assert _moves(case) == [(None, 4, D(2026, 1, 5))]
    end_intervention(
        foster,
        child_heard=heard(foster.case),
        end_on=D(2026, 3, 31),
        reason="Hjem",
        acting_user=world.personas["alice"],
    )
    assert _moves(case) == [
        (None, 4, D(2026, 1, 5)),
        (4, 2, D(2026, 4, 1)),
        (2, None, D(2026, 7, 1)),
    ]


def test_moving_the_end_corrects_the_movement(world):
    case = team_a_case(world)
    item = _grant(world, case, start_on=D(2026, 3, 2), end_on=D(2026, 9, 30))
    end_intervention(
        item,
        child_heard=heard(item.case),
        end_on=D(2026, 6, 30),
        reason="Før tid",
        acting_user=world.personas["alice"],
    )
    assert _moves(case) == [(None, 2, D(2026, 3, 2)), (2, None, D(2026, 7, 1))]


def test_record_step_change_records_nothing_without_a_change(world):
    case = team_a_case(world)
    item = _grant(world, case, start_on=D(2026, 3, 2))
    assert record_step_change(case, D(2026, 4, 1), "intet", item, world.personas["alice"]) is None
    again = record_step_change(case, D(2026, 3, 2), "igen", item, world.personas["alice"])
    assert (again.from_step, again.to_step) == (None, 2)
    assert StepMovement.objects.filter(case=case).count() == 1


# --- ending -----------------------------------------------------------------------------------


def test_ending_needs_a_reason_and_a_day_not_before_the_start(world):
    item = _grant(world, team_a_case(world), start_on=D(2026, 3, 2))
    with pytest.raises(PlanError) as excinfo:
        end_intervention(
            item,
            child_heard=heard(item.case),
            end_on=D(2026, 3, 1),
            reason="  ",
            acting_user=world.personas["alice"],
        )
    assert _errors(excinfo) == {
        "end_on": ["Slutdatoen kan ikke ligge før startdatoen."],
        "reason": ["Skriv, hvorfor indsatsen slutter."],
    }


def test_an_intervention_ends_once_and_drops_later_follow_ups(world):
    item = _grant(world, team_a_case(world), start_on=D(2026, 3, 2))
    later = FollowUpFactory(intervention=item, due_on=D(2026, 9, 1))
    end_intervention(
        item,
        child_heard=heard(item.case),
        end_on=D(2026, 5, 31),
        reason="Slut",
        acting_user=world.personas["alice"],
    )
    item.refresh_from_db()
    assert (item.end_on, item.end_reason) == (D(2026, 5, 31), "Slut")
    # the first follow-up (due 2 June) and the one on 1 September both fall after the end
    assert later.pk and not FollowUp.objects.filter(intervention=item).exists()
    with pytest.raises(PlanError) as excinfo:
        end_intervention(
            item,
            child_heard=heard(item.case),
            end_on=D(2026, 6, 30),
            reason="Igen",
            acting_user=world.personas["alice"],
        )
    assert _errors(excinfo)[None] == ["Indsatsen er allerede afsluttet."]


# --- siblings (§ 21) --------------------------------------------------------------------------


def test_a_placement_flags_the_siblings_under_15(world):
    _grant(
        world, world.anna_case, placement_offer(world.municipality), start_on=timezone.localdate()
    )
    assert list(SiblingAssessment.objects.values_list("sibling_id", flat=True)) == [
        world.anna_sibling.pk
    ]


def test_support_at_home_flags_no_siblings(world):
    _grant(world, world.anna_case, start_on=timezone.localdate())
    assert not SiblingAssessment.objects.exists()
