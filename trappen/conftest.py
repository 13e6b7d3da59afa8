"""Named test personas in one small world (DESIGN.md: "Named test personas").

Two schools, two caseworker teams, two providers, an outreach worker (who helped `anna` earlier:
an ended early help at her school), a team leader, a school leader, an analyst,
an administrator, a custody holder with a login, and a caseworker of another municipality. The
child `anna` has an open case in team A (caseworker `alice`), an intervention by provider P1 and
a custody holder `parent`; `bertram` has a case in team B; `xena` lives in another municipality.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from trappen.core.models import Role, UnitKind
from trappen.core.tests.factories import (
    CaseFactory,
    ChildFactory,
    GuardianFactory,
    HouseholdFactory,
    InterventionFactory,
    MunicipalityFactory,
    UnitFactory,
    link_guardian,
    user_with_role,
)
from trappen.early.tests.factories import EarlyHelpFactory, days_ago


@dataclass
class World:
    municipality: object
    other_municipality: object
    school_a: object
    school_b: object
    team_a: object
    team_b: object
    provider_a: object
    provider_b: object
    anna: object
    anna_sibling: object
    bertram: object
    xena: object
    anna_case: object
    anna_intervention: object
    personas: dict


PERSONAS = (
    "professional",
    "professional_other_school",
    "outreach",
    "alice",
    "bob",
    "charlie",
    "provider",
    "provider_other",
    "team_leader",
    "unit_leader",
    "analyst",
    "administrator",
    "parent",
    "other_parent",
    "outsider",
)


@pytest.fixture
def world(db) -> World:
    m = MunicipalityFactory(slug="testkommune", name="Testkommune")
    m2 = MunicipalityFactory(slug="andenkommune", name="Anden Kommune")
    school_a = UnitFactory(municipality=m, name="Nordskolen", kind=UnitKind.SCHOOL)
    school_b = UnitFactory(municipality=m, name="Sydskolen", kind=UnitKind.SCHOOL)
    team_a = UnitFactory(municipality=m, name="Team A", kind=UnitKind.CASEWORKER_TEAM)
    team_b = UnitFactory(municipality=m, name="Team B", kind=UnitKind.CASEWORKER_TEAM)
    provider_a = UnitFactory(municipality=m, name="Familiehuset", kind=UnitKind.PROVIDER)
    provider_b = UnitFactory(municipality=m, name="Ungehuset", kind=UnitKind.PROVIDER)
    team_other = UnitFactory(municipality=m2, name="Team X", kind=UnitKind.CASEWORKER_TEAM)

    household = HouseholdFactory(municipality=m)
    anna = ChildFactory(municipality=m, first_name="Anna", unit=school_a, household=household)
    sibling = ChildFactory(municipality=m, first_name="Asger", unit=school_a, household=household)
    bertram = ChildFactory(municipality=m, first_name="Bertram", unit=school_b)
    xena = ChildFactory(municipality=m2, first_name="Xena")

    p = {
        "professional": user_with_role(Role.PROFESSIONAL, school_a),
        "professional_other_school": user_with_role(Role.PROFESSIONAL, school_b),
        "outreach": user_with_role(Role.OUTREACH, school_a),
        "alice": user_with_role(Role.CASEWORKER, team_a, username="alice"),
        "bob": user_with_role(Role.CASEWORKER, team_a, username="bob"),
        "charlie": user_with_role(Role.CASEWORKER, team_b, username="charlie"),
        "provider": user_with_role(Role.PROVIDER, provider_a),
        "provider_other": user_with_role(Role.PROVIDER, provider_b),
        "team_leader": user_with_role(Role.TEAM_LEADER, team_a),
        "unit_leader": user_with_role(Role.UNIT_LEADER, school_a),
        "analyst": user_with_role(Role.ANALYST, None, municipality=m),
        "administrator": user_with_role(Role.ADMINISTRATOR, None, municipality=m, is_staff=True),
        "parent": user_with_role(Role.CITIZEN, None, municipality=m),
        "other_parent": user_with_role(Role.CITIZEN, None, municipality=m),
        "outsider": user_with_role(Role.CASEWORKER, team_other),
    }
    guardian = GuardianFactory(municipality=m, household=household, user=p["parent"])
    link_guardian(anna, guardian)
    link_guardian(sibling, guardian)
    other_guardian = GuardianFactory(municipality=m, user=p["other_parent"])
    link_guardian(bertram, other_guardian)

    anna_case = CaseFactory(child=anna, team=team_a, caseworker=p["alice"])
    intervention = InterventionFactory(case=anna_case, provider=provider_a)
    # The outreach worker helped Anna earlier (ended early help at Nordskolen), so sees her.
    EarlyHelpFactory(
        child=anna,
        unit=school_a,
        started_by=p["outreach"],
        started_on=days_ago(300),
        ended_on=days_ago(200),
        end_reason="goal_met",
    )
    CaseFactory(child=bertram, team=team_b, caseworker=p["charlie"])
    CaseFactory(child=xena, team=team_other, caseworker=p["outsider"])
    return World(
        m,
        m2,
        school_a,
        school_b,
        team_a,
        team_b,
        provider_a,
        provider_b,
        anna,
        sibling,
        bertram,
        xena,
        anna_case,
        intervention,
        p,
    )
