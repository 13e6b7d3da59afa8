"""Log in as every demo role through the demo list and see that role's start page, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trappen.core.models import Role

from .start_pages import START_HEADINGS

pytestmark = pytest.mark.browser


def demo_login(page, site, user) -> None:
    page.goto(f"{site.url}/login/")
    page.locator(f'button[data-username="{user.username}"]').click()
    page.wait_for_url(f"{site.url}/")


def first_role(user) -> Role:
    order = list(Role)
    return min((Role(a.role) for a in user.role_assignments.all()), key=order.index)


def test_every_demo_role_sees_its_start_page(page, demo_site, artifact_dir):
    roles_seen = set()
    for user in demo_site.users:
        role = first_role(user)
        demo_login(page, demo_site, user)
        expect(page.get_by_role("heading", level=1, name="Forside")).to_be_visible()
        expect(page.get_by_role("heading", level=2, name=START_HEADINGS[role])).to_be_visible()
        expect(page.locator(".portal-user")).to_contain_text(role.label)
        page.screenshot(path=artifact_dir / f"start-{role.value}.png", full_page=True)
        page.locator(".portal-user").get_by_role("button", name="Log af").click()
        page.wait_for_url(f"{demo_site.url}/login/")
        expect(page.get_by_role("status")).to_contain_text("Du er logget ud.")
        roles_seen.add(role)
    assert roles_seen == set(Role), "a demo user for every role"
    assert page.problems == []  # no script errors, nothing refused by the CSP


def test_caseworker_start_page_shows_deadlines_and_cases(page, demo_site, screenshot_dir):
    caseworker = next(u for u in demo_site.users if first_role(u) == Role.CASEWORKER)
    demo_login(page, demo_site, caseworker)
    expect(page.get_by_role("heading", level=2, name="Mine sager")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hovedmenu").first).to_contain_text("Søg barn")
    assert page.locator("#main-content table").count() == 2
    page.screenshot(path=screenshot_dir / "start-raadgiver.png", full_page=True)
    assert page.problems == []


def test_login_page(page, demo_site, screenshot_dir):
    page.goto(f"{demo_site.url}/login/")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_text("Demo – alle personer er fiktive")).to_be_visible()
    expect(page.get_by_label("Brugernavn")).to_be_visible()
    page.screenshot(path=screenshot_dir / "login.png", full_page=True)
    assert page.problems == []


def test_tab_reaches_the_skip_link_first(page, demo_site):
    page.goto(f"{demo_site.url}/login/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skipnav")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Gå til indhold")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


def test_a_wrong_password_is_answered_in_danish(page, demo_site):
    page.goto(f"{demo_site.url}/login/")
    page.get_by_label("Brugernavn").fill(demo_site.users[0].username)
    page.get_by_label("Adgangskode").fill("forkert-kodeord-123")
    page.get_by_role("button", name="Log ind", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Brugernavn eller adgangskode er forkert")


def test_login_and_start_page_work_on_a_phone(phone, demo_site, artifact_dir):
    phone.goto(f"{demo_site.url}/login/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    expect(phone.get_by_label("Brugernavn")).to_be_visible()
    phone.screenshot(path=artifact_dir / "login-mobil.png", full_page=True)

    caseworker = next(u for u in demo_site.users if first_role(u) == Role.CASEWORKER)
    button = phone.locator(f'button[data-username="{caseworker.username}"]')
    button.scroll_into_view_if_needed()
    button.tap()
    phone.wait_for_url(f"{demo_site.url}/")
    expect(phone.get_by_role("heading", level=2, name="Mine frister")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=artifact_dir / "start-raadgiver-mobil.png", full_page=True)

    # The main menu sits behind the "Menu" button on a phone, in a drawer.
    phone.get_by_role("button", name="Menu").tap()
    drawer = phone.get_by_role("dialog", name="Menu")
    expect(drawer).to_be_visible()
    expect(drawer.get_by_role("link", name="Søg barn")).to_be_visible()
    phone.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    assert phone.problems == []
