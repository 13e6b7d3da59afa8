"""The caseworker's notification workflow in Chromium: the inbox and its filters, "Tag sagen",
the 24-hour assessment and the screening decision (Barnets Lov §§ 136 and 18) on the detail
page; and the inbox without JavaScript (a plain GET filter form and a plain POST assignment)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trappen.core import calendar
from trappen.core.models import Role, UnitKind
from trappen.core.tests import factories as f
from trappen.notifications.models import EventKind, Notification, NotificationStatus

from .test_demo_logins import demo_login

pytestmark = pytest.mark.browser

ACUTE_CHILD = ("Freja", "Akutsen")
CALM_CHILD = ("Oskar", "Roligsen")
ASSESSMENT_NOTE = "Ingen akut fare; skolen følger barnet dagligt."
REASON = "Læreren beskriver vedvarende fravær og et barn, der ikke får mad med hjemmefra."


def _demo_user(site, role: Role):
    return next(u for u in site.users if u.role_assignments.filter(role=role).exists())


def _demo_team(caseworker):
    return caseworker.role_assignments.get(
        role=Role.CASEWORKER, unit__kind=UnitKind.CASEWORKER_TEAM
    ).unit


def _unassigned_notification(team, name, *, acute: bool, hours_ago: int, professional=None):
    child = f.ChildFactory(municipality=team.municipality, first_name=name[0], last_name=name[1])
    received = timezone.now() - datetime.timedelta(hours=hours_ago)
    return f.NotificationFactory(
        child=child,
        team=team,
        acute=acute,
        reporter_kind="school",
        reporter_user=professional,
        received_at=received,
        assessment_due_at=calendar.notification_assessment_due(received),
        receipt_due_on=calendar.notification_receipt_due(received, team.municipality),
        concern="Syntetisk bekymring: barnet kommer sultent i skole og er ofte fraværende.",
    )


@pytest.fixture
def workflow(demo_site):
    """The demo world plus two unassigned notifications for the demo caseworker's team."""
    caseworker = _demo_user(demo_site, Role.CASEWORKER)
    team = _demo_team(caseworker)
    professional = _demo_user(demo_site, Role.PROFESSIONAL)
    acute = _unassigned_notification(
        team, ACUTE_CHILD, acute=True, hours_ago=2, professional=professional
    )
    calm = _unassigned_notification(team, CALM_CHILD, acute=False, hours_ago=1)
    return demo_site, caseworker, acute, calm


def _rows(page):
    return page.locator("#inbox-table tbody tr")


def test_caseworker_filters_claims_assesses_and_decides(page, workflow, artifact_dir):
    site, caseworker, acute, calm = workflow
    demo_login(page, site, caseworker)
    page.get_by_role("navigation", name="Hovedmenu").first.get_by_role(
        "link", name="Underretninger", exact=True
    ).click()
    page.wait_for_url(f"{site.url}/underretninger/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Underretninger")
    expect(_rows(page).filter(has_text=" ".join(CALM_CHILD))).to_have_count(1)
    assert _rows(page).count() == 5  # the demo world's three undecided + the two made here

    # The filter is swapped in by htmx: only the table changes, the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Akutte").check()
    page.wait_for_url(f"{site.url}/underretninger/?akut=1")
    expect(_rows(page)).to_have_count(1)
    row = _rows(page).first
    expect(row).to_contain_text(" ".join(ACUTE_CHILD))
    expect(row.locator(".badge", has_text="Akut")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    expect(page.get_by_label("Akutte")).to_be_checked()

    # "Tag sagen": the table comes back with the notification now the caseworker's.
    row.get_by_role("button", name="Tag sagen").click()
    expect(page.locator("#inbox-table")).to_contain_text("Underretningen er nu fordelt til dig.")
    expect(_rows(page).first).to_contain_text(str(caseworker))
    expect(_rows(page).first.get_by_role("button", name="Tag sagen")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True
    acute.refresh_from_db()
    assert acute.assigned_to == caseworker
    calm.refresh_from_db()
    assert calm.assigned_to is None  # the filtered-out one was left alone
    page.screenshot(path=artifact_dir / "notification-inbox-claimed.png", full_page=True)

    # The detail page: the 24-hour assessment, then the decision.
    _rows(page).first.get_by_role("link", name=" ".join(ACUTE_CHILD)).click()
    page.wait_for_url(f"{site.url}/underretninger/{acute.pk}/")
    expect(
        page.get_by_role("heading", level=2, name="Vurdering inden for 24 timer")
    ).to_be_visible()
    expect(page.get_by_text("Vurdér underretningen (24-timersvurderingen)")).to_be_visible()
    page.get_by_role("group", name="Er barnets sundhed eller udvikling i fare?").get_by_label(
        "Nej"
    ).check()
    page.get_by_role("group", name="Er der sat akutte foranstaltninger i gang?").get_by_label(
        "Nej"
    ).check()
    page.get_by_label("Vurdering", exact=True).fill(
        "Ingen akut fare; skolen følger barnet dagligt."
    )
    page.get_by_role("button", name="Gem vurderingen").click()
    page.wait_for_url(f"{site.url}/underretninger/{acute.pk}/")
    expect(page.get_by_role("status").first).to_contain_text("Vurderingen er gemt.")
    expect(page.get_by_text(ASSESSMENT_NOTE)).to_be_visible()

    page.get_by_label("Børnefaglig undersøgelse (§ 20)").check()
    page.get_by_label("Begrundelse").fill(REASON)
    page.get_by_role("button", name="Gem beslutningen").click()
    page.wait_for_url(f"{site.url}/underretninger/{acute.pk}/")
    expect(page.get_by_role("status").first).to_contain_text("Beslutningen er gemt.")
    decision = page.locator("section", has=page.locator("#beslutning-heading"))
    expect(decision).to_contain_text("Børnefaglig undersøgelse (§ 20)")
    expect(decision).to_contain_text(REASON)

    timeline = page.locator("section", has=page.locator("#tidslinje-heading")).locator("li")
    expect(timeline.filter(has_text="Fordelt")).to_contain_text(f"Taget af {caseworker}")
    expect(timeline.filter(has_text="Vurderet (24 timer)")).to_contain_text("ikke i fare")
    expect(timeline.filter(has_text="Beslutning truffet")).to_contain_text(
        "Børnefaglig undersøgelse (§ 20)"
    )
    page.screenshot(path=artifact_dir / "notification-decided.png", full_page=True)

    acute.refresh_from_db()
    assert acute.status == NotificationStatus.DECIDED
    assert acute.case is not None and acute.case.investigations.count() == 1
    kinds = set(acute.events.values_list("kind", flat=True))
    assert {EventKind.ASSIGNED, EventKind.ASSESSED, EventKind.DECIDED} <= kinds
    assert page.problems == []  # no script errors, nothing refused by the CSP


def test_inbox_filter_and_bulk_assignment_work_without_javascript(browser, workflow):
    site, caseworker, acute, calm = workflow
    leader = _demo_user(site, Role.TEAM_LEADER)
    context, page = _no_script_page(browser)
    try:
        demo_login(page, site, leader)
        page.goto(f"{site.url}/underretninger/")
        page.get_by_label("Akutte").check()
        page.get_by_role("button", name="Vis underretninger").click()
        page.wait_for_url(f"{site.url}/underretninger/?akut=1")
        expect(_rows(page)).to_have_count(1)
        expect(_rows(page).first).to_contain_text(" ".join(ACUTE_CHILD))

        page.get_by_label("Akutte").uncheck()
        page.get_by_label("Nye (ikke vurderet)").check()
        page.get_by_role("button", name="Vis underretninger").click()
        page.wait_for_url(f"{site.url}/underretninger/?ny=1")
        mine = [" ".join(ACUTE_CHILD), " ".join(CALM_CHILD)]
        for name in mine:
            _rows(page).filter(has_text=name).get_by_role("checkbox").check()
        page.get_by_label("Rådgiver").select_option(label=str(caseworker))
        page.get_by_role("button", name="Fordel valgte").click()
        page.wait_for_url(f"{site.url}/underretninger/?ny=1")  # back to the same filtered list
        expect(page.get_by_role("heading", level=1)).to_have_text("Underretninger")
        expect(page.get_by_text(f"2 underretninger er fordelt til {caseworker}.")).to_be_visible()
        for name in mine:
            expect(_rows(page).filter(has_text=name)).to_contain_text(str(caseworker))
        assigned = Notification.objects.filter(pk__in=[acute.pk, calm.pk], assigned_to=caseworker)
        assert assigned.count() == 2
    finally:
        context.close()


def _no_script_page(browser):
    context = browser.new_context(
        java_script_enabled=False, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    return context, context.new_page()


def test_tag_sagen_works_without_javascript(browser, workflow):
    site, caseworker, acute, calm = workflow
    context, page = _no_script_page(browser)
    try:
        demo_login(page, site, caseworker)
        page.goto(f"{site.url}/underretninger/?akut=1")
        _rows(page).first.get_by_role("button", name="Tag sagen").click()
        page.wait_for_url(f"{site.url}/underretninger/?akut=1")
        expect(page.get_by_text("Underretningen er nu fordelt til dig.")).to_be_visible()
        expect(_rows(page).first).to_contain_text(str(caseworker))
        acute.refresh_from_db()
        calm.refresh_from_db()
        assert (acute.assigned_to, calm.assigned_to) == (caseworker, None)
    finally:
        context.close()


def test_select_all_still_works_after_the_filter_swapped_the_table(page, workflow):
    site, caseworker, _, _ = workflow
    demo_login(page, site, caseworker)
    page.goto(f"{site.url}/underretninger/")
    page.get_by_label("Nye (ikke vurderet)").check()
    page.wait_for_url(f"{site.url}/underretninger/?ny=1")
    expect(_rows(page)).to_have_count(4)
    page.get_by_label("Vælg alle rækker").check()
    expect(page.locator("#inbox-table input[name=ids]:checked")).to_have_count(4, timeout=2000)
