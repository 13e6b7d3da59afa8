"""Factories for the child's plan, interventions and follow-ups (test_plan*, test_interventions,
test_follow_ups, routes_plan)."""

from __future__ import annotations

import datetime

import factory

from trappen.core.models import UnitKind
from trappen.core.tests.factories import (
    CaseFactory,
    ChildFactory,
    MunicipalityFactory,
    UnitFactory,
)
from trappen.offers.models import Offer


class OfferFactory(factory.django.DjangoModelFactory):
    """An offer of the catalogue; by default a § 32 family treatment on step 2."""

    class Meta:
        model = Offer

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Familiebehandling {n}")
    step = 2
    legal_basis = "§ 32, stk. 1, nr. 3"
    provider = factory.SubFactory(
        UnitFactory,
        municipality=factory.SelfAttribute("..municipality"),
        kind=UnitKind.PROVIDER,
    )
    monthly_cost = 18000


def preventive_offer(municipality, **kwargs) -> Offer:
    """A § 30 offer on step 1 (no purpose or expected end required)."""
    defaults = {"name": "Forældrekursus", "step": 1, "legal_basis": "§ 30", "monthly_cost": 3000}
    return OfferFactory(municipality=municipality, **{**defaults, **kwargs})


def placement_offer(municipality, **kwargs) -> Offer:
    defaults = {"name": "Plejefamilie", "step": 4, "legal_basis": "§ 43", "monthly_cost": 39000}
    return OfferFactory(municipality=municipality, **{**defaults, **kwargs})


def support_terms(start_on: datetime.date) -> dict:
    """What a § 32 decision states (§ 32, stk. 3): purpose and expected duration."""
    return {
        "purpose": "Familien får ro i hverdagen, og Anna kommer i skole.",
        "expected_end_on": start_on + datetime.timedelta(days=180),
    }


def team_a_case(world, *, opened_on: datetime.date = datetime.date(2025, 1, 1), **kwargs):
    """A fresh open case in team A (caseworker alice) with no interventions yet."""
    child = ChildFactory(municipality=world.municipality, first_name="Carla")
    kwargs.setdefault("caseworker", world.personas["alice"])
    return CaseFactory(child=child, team=world.team_a, opened_on=opened_on, **kwargs)
