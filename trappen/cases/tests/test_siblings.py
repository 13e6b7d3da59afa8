"""§ 21: when a child is placed, the siblings under 15 in the household are flagged for an
investigation, and the caseworker decides: investigate, or (with a reason) obviously not needed."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from trappen.cases.case_alerts import unseen_case_alerts
from trappen.cases.investigations import InvestigationError
from trappen.cases.models import (
    Case,
    CaseAlert,
    CaseAlertKind,
    CaseAlertLevel,
    CaseSource,
    SiblingAssessment,
    SiblingOutcome,
)
from trappen.cases.siblings import decide_sibling_assessment, flag_siblings_for_placement
from trappen.core.calendar import COPENHAGEN
from trappen.core.tests.factories import (
    CaseFactory,
    ChildFactory,
    HouseholdFactory,
    InterventionFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
START = D(2026, 3, 2)  # the placement starts Monday 2 March 2026
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=COPENHAGEN)


def _placement(world, step=4, **kwargs):
    return InterventionFactory(
        case=world.anna_case, title="Plejefamilie", step=step, start_on=START, **kwargs
    )


def _sibling(world, born: datetime.date, **kwargs):
    kwargs.setdefault("household", world.anna.household)
    kwargs.setdefault("municipality", world.municipality)
    return ChildFactory(birth_date=born, **kwargs)


def _flag(world, placement, user="alice"):
    return flag_siblings_for_placement(placement, acting_user=world.personas[user], now=NOW)


@pytest.mark.smoke
def test_siblings_under_15_in_the_household_are_flagged_and_no_one_else(world):
    # Asger (world.anna_sibling) is born 14 March 2015: 10 years old on 2 March 2026.
    fourteen = _sibling(world, D(2011, 3, 3))  # 15 only tomorrow: flagged
    _sibling(world, D(2011, 3, 2))  # 15 today: not under 15
    _sibling(world, D(2026, 6, 1))  # not born yet
    ChildFactory(
        municipality=world.municipality,
        household=HouseholdFactory(municipality=world.municipality),
        birth_date=D(2018, 1, 1),
    )  # another household
    _sibling(world, D(2018, 1, 1), municipality=world.other_municipality)  # another municipality

    new = _flag(world, _placement(world))

    assert {a.sibling for a in new} == {world.anna_sibling, fourteen}
    assert all(a.placed_case == world.anna_case and a.flagged_on == START for a in new)
    alerts = CaseAlert.objects.filter(kind=CaseAlertKind.SIBLINGS)
    assert sorted(
        (a.subject_id, a.recipient.username, a.level, a.case_id) for a in alerts
    ) == sorted(
        (a.pk, user.username, CaseAlertLevel.FLAG, world.anna_case.pk)
        for a in new
        for user in (world.personas["alice"], world.personas["team_leader"])
    )


def test_flagging_again_changes_nothing(world):
    placement = _placement(world)
    assert len(_flag(world, placement)) == 1
    assert _flag(world, placement, user="bob") == []
    assert SiblingAssessment.objects.count() == 1
    assert CaseAlert.objects.count() == 2  # alice and the team leader, once


def test_a_measure_that_is_no_placement_flags_no_one(world):
    assert _flag(world, _placement(world, step=2)) == []
    assert not SiblingAssessment.objects.exists() and not CaseAlert.objects.exists()


def test_a_child_without_a_household_has_no_siblings_to_flag(world):
    world.anna.household = None
    world.anna.save(update_fields=["household"])
    assert _flag(world, _placement(world)) == []


def test_it_can_run_inside_the_callers_transaction(world):
    with transaction.atomic():
        placement = _placement(world, step=5)
        new = _flag(world, placement)
    assert [a.sibling for a in new] == [world.anna_sibling]


def test_a_case_without_caseworker_flags_the_team_leaders_only(world):
    world.anna_case.caseworker = None
    world.anna_case.save(update_fields=["caseworker"])
    _flag(world, _placement(world))
    assert [a.recipient for a in CaseAlert.objects.all()] == [world.personas["team_leader"]]


# --- the decision ---


def test_not_needed_requires_a_reason_and_ends_the_flag(world):
    [assessment] = _flag(world, _placement(world))
    alice = world.personas["alice"]
    with pytest.raises(InvestigationError) as caught:
        decide_sibling_assessment(assessment, SiblingOutcome.NOT_NEEDED, "  ", alice)
    assert caught.value.errors == {
        "reason": ["Skriv, hvorfor det er åbenbart, at en undersøgelse ikke er nødvendig."]
    }
    assert list(unseen_case_alerts(alice)) != []
    decide_sibling_assessment(
        assessment, SiblingOutcome.NOT_NEEDED, "Anbragt pga. egen adfærd, ikke omsorgssvigt", alice
    )
    assessment.refresh_from_db()
    assert (assessment.outcome, assessment.decided_by) == (SiblingOutcome.NOT_NEEDED, alice)
    assert list(unseen_case_alerts(alice)) == []  # decided: the flag needs no action
    with pytest.raises(InvestigationError, match="allerede taget stilling"):
        decide_sibling_assessment(assessment, SiblingOutcome.INVESTIGATE, "", alice)


def test_investigate_opens_the_siblings_case_and_starts_the_investigation(world):
    [assessment] = _flag(world, _placement(world))
    bob = world.personas["bob"]
    _, investigation = decide_sibling_assessment(
        assessment,
        SiblingOutcome.INVESTIGATE,
        "",
        bob,
        now=datetime.datetime(2026, 3, 10, 9, 0, tzinfo=COPENHAGEN),
    )
    case = Case.objects.get(child=world.anna_sibling)
    assert (case.team, case.caseworker, case.source, case.opened_by) == (
        world.team_a,
        bob,
        CaseSource.CASEWORKER,
        bob,
    )
    assert case.assignments.get().caseworker == bob
    assert investigation.case == case and investigation.triggered_by_sibling == assessment
    # aware when the sibling was flagged, 2 March: due 2 July 2026
    assert (investigation.aware_on, investigation.due_on) == (START, D(2026, 7, 2))
    assert investigation.started_on == D(2026, 3, 10)


def test_investigate_keeps_an_investigation_already_running_on_the_siblings_case(world):
    sibling_case = CaseFactory(child=world.anna_sibling, team=world.team_a)
    running = sibling_case.investigations.create(started_on=START, due_on=D(2026, 6, 1))
    [assessment] = _flag(world, _placement(world))
    _, investigation = decide_sibling_assessment(
        assessment, SiblingOutcome.INVESTIGATE, "", world.personas["alice"]
    )
    assert investigation == running and sibling_case.investigations.count() == 1


def test_a_siblings_case_in_another_team_is_left_to_that_team(world):
    CaseFactory(child=world.anna_sibling, team=world.team_b)
    [assessment] = _flag(world, _placement(world))
    with pytest.raises(InvestigationError, match="åben sag i Team B"):
        decide_sibling_assessment(
            assessment, SiblingOutcome.INVESTIGATE, "", world.personas["alice"]
        )
    assessment.refresh_from_db()
    assert assessment.decided_on is None


def test_only_the_placed_childs_team_decides(world):
    [assessment] = _flag(world, _placement(world))
    with pytest.raises(InvestigationError, match="kan ikke arbejde med denne sag"):
        decide_sibling_assessment(
            assessment, SiblingOutcome.NOT_NEEDED, "Nej", world.personas["charlie"]
        )


def test_the_decision_page(world, client):
    [assessment] = _flag(world, _placement(world))
    url = reverse(
        "cases:sibling_assessment",
        kwargs={"case_id": world.anna_case.pk, "assessment_id": assessment.pk},
    )
    client.force_login(world.personas["charlie"])
    assert client.get(url).status_code == 404
    client.force_login(world.personas["team_leader"])
    html = client.get(url).content.decode()
    assert "Asger" in html and "Skal søskende undersøges?" in html
    response = client.post(url, {"outcome": "not_needed", "reason": ""})
    assert response.status_code == 200
    assert "åbenbart, at en undersøgelse ikke er nødvendig" in response.content.decode()
    response = client.post(url, {"outcome": "investigate", "reason": "x" * 5001})
    assert response.status_code == 200 and "højst være på 5000 tegn" in response.content.decode()
    response = client.post(url, {"outcome": "investigate"})
    investigation = Case.objects.get(child=world.anna_sibling).investigations.get()
    assert response["Location"] == reverse(
        "cases:investigation_detail",
        kwargs={"case_id": investigation.case_id, "investigation_id": investigation.pk},
    )
