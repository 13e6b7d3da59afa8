"""A small synthetic municipality for the benchmarks, built with the test factories.

One caseworker team with a caseworker holding 40 cases (interventions on several steps,
follow-ups, investigations), and one child with a fuller file: guardians, a sibling, network
persons, notifications and wellbeing assessments. `build_inbox` adds a reception team with
2,000 open notifications for the inbox benchmark. Deterministic; synthetic people only.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from trappen.core.models import Role, UnitKind
from trappen.core.tests import factories as f
from trappen.notifications.models import Notification, NotificationStatus, ReporterKind
from trappen.people.models import Child, NetworkPerson

CASES = 40
INBOX_NOTIFICATIONS = 2000
INBOX_CHILDREN = 800


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


def build_inbox(municipality, n: int = INBOX_NOTIFICATIONS) -> SimpleNamespace:
    """A reception team with `n` open notifications (bulk inserts) and two caseworkers.

    A mix as the inbox meets it: most matched to a child, some not; new and assessed; a third
    assigned; professional notifiers with receipt deadlines; acute and repeat flags.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    team = f.UnitFactory(
        municipality=municipality, name="Modtagelsen", kind=UnitKind.CASEWORKER_TEAM
    )
    caseworker = f.user_with_role(Role.CASEWORKER, team, username="bench-modtagelse")
    colleague = f.user_with_role(Role.CASEWORKER, team, username="bench-modtagelse-2")
    children = []
    for i in range(INBOX_CHILDREN):
        child = Child(
            municipality=municipality,
            first_name=f"Barn{i}",
            last_name="Indbakkesen",
            birth_date=datetime.date(2008 + i % 16, 1 + i % 12, 1 + i % 28),
            is_synthetic=True,
        )
        child.set_cpr(f.synthetic_cpr(child.birth_date))
        children.append(child)
    children = Child.objects.bulk_create(children)
    kinds = list(ReporterKind.values)
    rows = []
    for i in range(n):
        received = now - datetime.timedelta(hours=i % 200, minutes=i % 60)
        assessed = i % 3 == 0
        kind = kinds[i % len(kinds)]
        rows.append(
            Notification(
                municipality=municipality,
                received_at=received,
                reporter_kind=kind,
                child=None if i % 10 == 0 else children[i % len(children)],
                child_name=f"Ukendt {i}" if i % 10 == 0 else "",
                child_birth_date=datetime.date(2015, 1, 1) if i % 10 == 0 else None,
                concern="Syntetisk bekymring til benchmark.",
                level=1 + i % 5,
                acute=i % 17 == 0,
                is_repeat=i % 4 == 0,
                team=team,
                assigned_to=(caseworker, colleague, None)[i % 3],
                assigned_at=now if i % 3 != 2 else None,
                status=NotificationStatus.ASSESSED if assessed else NotificationStatus.NEW,
                assessed_at=received + datetime.timedelta(hours=3) if assessed else None,
                danger=(i % 7 == 0) if assessed else None,
                assessment_due_at=received + datetime.timedelta(hours=24),
                receipt_due_on=(
                    today + datetime.timedelta(days=i % 9 - 2)
                    if kind in ReporterKind.professional()
                    else None
                ),
                is_synthetic=True,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=500)
    return SimpleNamespace(team=team, caseworker=caseworker, notifications=n)
