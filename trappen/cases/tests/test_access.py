"""The case access rule: the list query and the per-case rule agree, and outsiders get 404."""

import pytest
from django.http import Http404

from trappen.cases.access import (
    case_role,
    get_case_for_user,
    get_intervention_for_provider,
    provider_interventions,
    visible_cases,
)
from trappen.cases.models import Case
from trappen.core.models import AuditEvent, BreakGlassGrant, Role
from trappen.core.tests.factories import InterventionFactory


def test_every_persona_lists_exactly_the_cases_it_may_open(world):
    cases = list(Case.objects.all())
    for name, user in world.personas.items():
        listed = set(visible_cases(user).values_list("pk", flat=True))
        allowed = {c.pk for c in cases if case_role(user, c) is not None}
        assert listed == allowed, name


def test_team_a_and_its_leader_reach_annas_case_and_no_one_else(world):
    roles = {name: case_role(u, world.anna_case) for name, u in world.personas.items()}
    assert roles.pop("alice") == Role.CASEWORKER
    assert roles.pop("bob") == Role.CASEWORKER
    assert roles.pop("team_leader") == Role.TEAM_LEADER
    assert set(roles.values()) == {None}


def test_break_the_glass_opens_the_case_to_another_teams_caseworker(world):
    charlie = world.personas["charlie"]
    assert case_role(charlie, world.anna_case) is None
    BreakGlassGrant.objects.create(user=charlie, child=world.anna, reason="Akut henvendelse")
    assert case_role(charlie, world.anna_case) == Role.CASEWORKER
    assert world.anna_case.pk in set(visible_cases(charlie).values_list("pk", flat=True))


def test_reading_a_case_is_logged_and_an_outsider_gets_404(world):
    alice, charlie = world.personas["alice"], world.personas["charlie"]
    get_case_for_user(alice, world.anna_case.pk, purpose="Sagen")
    event = AuditEvent.objects.latest("seq")
    assert (event.actor, event.child_id, event.role) == (alice, world.anna.pk, Role.CASEWORKER)
    with pytest.raises(Http404):
        get_case_for_user(charlie, world.anna_case.pk, purpose="Sagen")
    with pytest.raises(Http404):
        get_case_for_user(alice, 10**12, purpose="Sagen")


def test_a_provider_reaches_only_its_own_units_interventions(world):
    provider, other = world.personas["provider"], world.personas["provider_other"]
    theirs = InterventionFactory(case=world.anna_case, provider=world.provider_b)
    assert list(provider_interventions(provider)) == [world.anna_intervention]
    assert get_intervention_for_provider(provider, world.anna_intervention.pk, purpose="x")
    with pytest.raises(Http404):
        get_intervention_for_provider(provider, theirs.pk, purpose="x")
    with pytest.raises(Http404):
        get_intervention_for_provider(other, world.anna_intervention.pk, purpose="x")
    with pytest.raises(Http404):
        get_intervention_for_provider(world.personas["alice"], theirs.pk, purpose="x")
