"""Browser tests: Playwright (sync API) drives Debian's Chromium against the live server.

Never a downloaded browser: the tests launch /usr/bin/chromium. The demo users (one per role) are
built with the test factories in a small, fixed synthetic world, so the start pages and the
README's screenshots show real content without running the seed command.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from types import SimpleNamespace

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously there (fixtures), which Django would otherwise refuse.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.utils import timezone  # noqa: E402
from faker import Faker  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
# Screenshots for the README are rewritten only on request, so ordinary runs leave docs/ alone.
ARTIFACT_DIR = REPO / "test-results" / "screenshots"  # git-ignored
SCREENSHOT_DIR = (
    REPO / "docs" / "screenshots"
    if os.environ.get("TRAPPEN_UPDATE_SCREENSHOTS") == "1"
    else ARTIFACT_DIR
)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open_page(browser, **context_options):
    context = browser.new_context(
        locale="da-DK", timezone_id="Europe/Copenhagen", **context_options
    )
    page = context.new_page()
    page.problems = []  # console errors (e.g. a Content-Security-Policy refusal) and JS errors
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return context, page


@pytest.fixture
def page(browser):
    context, page = _open_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context, page = _open_page(
        browser,
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    """Where the README's screenshots go (docs/screenshots with TRAPPEN_UPDATE_SCREENSHOTS=1)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture
def artifact_dir() -> Path:
    """Screenshots for looking at after a run; never committed."""
    ARTIFACT_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACT_DIR


@pytest.fixture
def demo_site(live_server, settings, transactional_db):
    """The live server in demo mode, with the demo users and a little synthetic history."""
    settings.DEMO = True
    users = build_small_demo_world()
    return SimpleNamespace(url=live_server.url, users=users)


def build_small_demo_world() -> list:
    """One demo user per role in a small synthetic municipality (names from Faker da_DK)."""
    from trappen.core.models import Role, RoleAssignment, UnitKind, User  # noqa: PLC0415
    from trappen.core.services import grant_administrator_permissions  # noqa: PLC0415
    from trappen.core.tests import factories as f  # noqa: PLC0415

    fake = Faker("da_DK")
    fake.seed_instance(2024)
    today, now = timezone.localdate(), timezone.now()
    m = f.MunicipalityFactory(slug="thisted", name="Thisted Kommune")

    def unit(name, kind, **extra):
        return f.UnitFactory(municipality=m, name=name, kind=kind, **extra)

    team = unit(
        "Børn og Familie, Team Nord",
        UnitKind.CASEWORKER_TEAM,
        phone="99 17 10 00",
        email="boernogfamilie@thisted.example",
    )
    school = unit("Tingstrup Skole", UnitKind.SCHOOL)
    daycare = unit("Børnehuset Solsikken", UnitKind.DAYCARE)
    provider_unit = unit("Familiehuset", UnitKind.PROVIDER)

    def demo(role, unit_, username, first, last, title=""):
        return f.user_with_role(
            role,
            unit_,
            municipality=m,
            username=username,
            first_name=first,
            last_name=last,
            title=title,
            is_demo=True,
            phone="99 17 10 12",
            email=f"{username}@thisted.example",
        )

    caseworker = demo(Role.CASEWORKER, team, "demo-raadgiver", "Mette", "Kjær", "Socialrådgiver")
    demo(Role.TEAM_LEADER, team, "demo-teamleder", "Lars", "Holm", "Teamleder")
    professional = demo(Role.PROFESSIONAL, school, "demo-fagperson", "Sofie", "Lund", "Lærer")
    outreach = demo(Role.OUTREACH, school, "demo-fremskudt", "Anders", "Vestergaard")
    demo(Role.UNIT_LEADER, school, "demo-skoleleder", "Inge", "Bro", "Skoleleder")
    RoleAssignment.objects.create(user=outreach, role=Role.OUTREACH, unit=daycare)
    demo(Role.PROVIDER, provider_unit, "demo-udfoerer", "Karin", "Bach")
    demo(Role.ANALYST, None, "demo-analytiker", "Peter", "Dam")
    admin = demo(Role.ADMINISTRATOR, None, "demo-administrator", "Hanne", "Friis")
    grant_administrator_permissions(admin)
    citizen = demo(Role.CITIZEN, None, "demo-borger", "Camilla", "Nørgaard")

    children = [
        f.ChildFactory(
            municipality=m,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            birth_date=datetime.date(2010 + i, 1 + i, 3 + 2 * i),
            unit=school if i < 6 else daycare,
        )
        for i in range(9)
    ]
    guardian = f.GuardianFactory(
        municipality=m, first_name="Camilla", last_name="Nørgaard", user=citizen
    )
    for child in children[:2]:
        f.link_guardian(child, guardian)

    steps = [2, 1, 3, 2, 0, 1]
    for i, child in enumerate(children[:6]):
        case = f.CaseFactory(
            child=child,
            team=team,
            caseworker=caseworker,
            opened_on=today - datetime.timedelta(days=40 + 30 * i),
        )
        intervention = f.InterventionFactory(
            case=case,
            step=steps[i],
            title=[
                "Familiebehandling",
                "Forældrekursus",
                "Netværksanbringelse",
                "Kontaktperson",
                "Ekstra støtte i skolen",
                "Samtalegruppe",
            ][i],
            provider=provider_unit if steps[i] in (1, 2) else None,
            start_on=today - datetime.timedelta(days=20 + 25 * i),
        )
        f.FollowUpFactory(
            intervention=intervention, due_on=today + datetime.timedelta(days=4 * i - 3)
        )
    f.InvestigationFactory(case=children[0].cases.get(), due_on=today + datetime.timedelta(days=12))
    f.InvestigationFactory(case=children[3].cases.get(), due_on=today - datetime.timedelta(days=2))
    f.NotificationFactory(
        child=children[6],
        team=team,
        assigned_to=caseworker,
        reporter_kind="school",
        reporter_user=professional,
        received_at=now - datetime.timedelta(hours=19),
        assessment_due_at=now + datetime.timedelta(hours=5, minutes=12),
        receipt_due_on=today + datetime.timedelta(days=6),
    )
    f.NotificationFactory(
        child=children[7],
        team=team,
        reporter_kind="health",
        received_at=now - datetime.timedelta(hours=3),
        assessment_due_at=now + datetime.timedelta(hours=21),
    )
    f.NotificationFactory(
        child=children[8],
        team=team,
        reporter_kind="daycare",
        reporter_user=professional,
        status="assessed",
        received_at=now - datetime.timedelta(days=9),
        assessment_due_at=now - datetime.timedelta(days=8),
        assessed_at=now - datetime.timedelta(days=8, hours=4),
        receipt_sent_at=now - datetime.timedelta(days=6),
    )
    for child, level in zip(children[:4], (3, 4, 2, 3), strict=True):
        f.WellbeingAssessmentFactory(child=child, level=level, author=professional)
    return list(User.objects.filter(is_demo=True).order_by("pk"))
