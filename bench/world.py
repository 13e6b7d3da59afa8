"""A small synthetic municipality for the benchmarks, built with the test factories.

One caseworker team with a caseworker holding 40 cases (interventions on several steps,
follow-ups, investigations), and one child with a fuller file: guardians, a sibling, network
persons, notifications and wellbeing assessments. Deterministic; synthetic people only.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from trappen.core.models import Role, UnitKind
from trappen.core.tests import factories as f
from trappen.people.models import NetworkPerson

CASES = 40


def build() -> SimpleNamespace:
    today = timezone.localdate()
    m = f.MunicipalityFactory(slug="norddjurs", name="Norddjurs Kommune")
    team = f.UnitFactory(municipality=m, name="Team Børn og Familie", kind=UnitKind.CASEWORKER_TEAM)
    school = f.UnitFactory(municipality=m, name="Grenaa Skole", kind=UnitKind.SCHOOL)
    provider = f.UnitFactory(municipality=m, name="Familiehuset", kind=UnitKind.PROVIDER)
    caseworker = f.user_with_role(Role.CASEWORKER, team, username="bench-raadgiver")
    professional = f.user_with_role(Role.PROFESSIONAL, school, username="bench-fagperson")

    household = f.HouseholdFactory(municipality=m)
    children = [
        f.ChildFactory(
            municipality=m,
            unit=school,
            household=household if i < 2 else None,
            birth_date=datetime.date(2008 + i % 10, 1 + i % 12, 1 + i % 28),
        )
        for i in range(CASES)
    ]
    for i, child in enumerate(children):
        case = f.CaseFactory(
            child=child,
            team=team,
            caseworker=caseworker,
            opened_on=today - datetime.timedelta(days=30 + 9 * i),
        )
        for step in range(i % 3 + 1):
            intervention = f.InterventionFactory(
                case=case, step=step, provider=provider if step in (1, 2) else None
            )
            f.FollowUpFactory(
                intervention=intervention, due_on=today + datetime.timedelta(days=i - 10)
            )
        if i % 4 == 0:
            f.InvestigationFactory(case=case, due_on=today + datetime.timedelta(days=i))

    child = children[0]
    for _ in range(2):
        f.link_guardian(child, f.GuardianFactory(municipality=m, household=household))
    NetworkPerson.objects.bulk_create(
        NetworkPerson(child=child, name=f"Netværksperson {k}", relation="moster", is_synthetic=True)
        for k in range(4)
    )
    for k in range(5):
        f.NotificationFactory(
            child=child,
            team=team,
            reporter_user=professional,
            received_at=timezone.now() - datetime.timedelta(days=60 * k + 1),
        )
        f.WellbeingAssessmentFactory(child=child, author=professional, level=2 + k % 3)
    return SimpleNamespace(municipality=m, caseworker=caseworker, child=child, team=team)
