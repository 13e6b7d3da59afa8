"""File a notification through the web forms in Chromium: as the demo professional, and
anonymously on the public page without logging in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trappen.core.models import Role
from trappen.notifications.models import Notification

pytestmark = pytest.mark.browser


def _professional(site):
    return next(u for u in site.users if u.role_assignments.filter(role=Role.PROFESSIONAL).exists())


def test_the_demo_professional_files_a_notification_and_sees_it(page, demo_site, artifact_dir):
    user = _professional(demo_site)
    page.goto(f"{demo_site.url}/login/")
    page.locator(f'button[data-username="{user.username}"]').click()
    page.wait_for_url(f"{demo_site.url}/")
    page.goto(f"{demo_site.url}/underretninger/ny/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Underret kommunen om et barn")
    expect(page.get_by_label("Din faggruppe")).to_have_value("Lærer")
    page.get_by_label("Barnets navn").fill("Mille Mikkelsen")
    page.get_by_label("Barnets fødselsdato").fill("2016-04-09")
    page.get_by_label("Barnets adresse").fill("Skolevej 3, 7700 Thisted")
    page.get_by_label("Hvad er du bekymret for?").fill(
        "Mille har mange fraværsdage og fortæller, at hun skal passe sine små søskende."
    )
    page.get_by_label("Skoleforhold").check()
    page.get_by_label("4 Udsat").check()
    page.get_by_label("Skolefravær").check()
    page.screenshot(path=artifact_dir / "notification-professional-form.png", full_page=True)
    page.get_by_role("button", name="Send underretningen").click()

    expect(page.get_by_role("status").first).to_contain_text("Kommunen har modtaget")
    notification = Notification.objects.get(child_name="Mille Mikkelsen")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Underretning U-{notification.pk}")
    expect(
        page.get_by_role("link", name="Kvittering for modtaget underretning", exact=True)
    ).to_be_visible()

    page.goto(f"{demo_site.url}/underretninger/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine underretninger")
    row = page.get_by_role("row").filter(has_text="Mille Mikkelsen")
    expect(row).to_contain_text(f"U-{notification.pk}")
    page.screenshot(path=artifact_dir / "notification-mine.png", full_page=True)
    assert page.problems == []  # no script errors, nothing refused by the CSP


def test_anyone_files_an_anonymous_notification_without_logging_in(page, demo_site, artifact_dir):
    page.goto(f"{demo_site.url}/underret/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Er du bekymret for et barn?")
    expect(page.get_by_text("du får ingen kvittering")).to_be_visible()
    name = page.get_by_label("Dit navn")
    expect(name).to_be_visible()
    page.get_by_label("Jeg vil være anonym").check()
    expect(name).to_be_hidden()  # the contact fields fold away (DKFDS radio toggle)
    page.get_by_label("Barnets navn").fill("Lukas")
    page.get_by_label("Barnets adresse").fill("Havnegade 12, 7700 Thisted")
    page.get_by_label("Hvad er du bekymret for?").fill("Drengen er alene hjemme om natten.")
    page.get_by_label("Omsorgssvigt").check()
    page.screenshot(path=artifact_dir / "notification-public-form.png", full_page=True)
    page.get_by_role("button", name="Send underretningen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hvad sker der nu?")
    notification = Notification.objects.get(child_name="Lukas")
    assert notification.is_anonymous and notification.reporter_name == ""
    expect(page.get_by_role("status")).to_contain_text(f"U-{notification.pk}")
    expect(page.get_by_text("Du har underrettet anonymt")).to_be_visible()
    assert "Lukas" not in page.content()
    assert "/underret/modtaget/" in page.url
    page.screenshot(path=artifact_dir / "notification-public-received.png", full_page=True)
    assert page.problems == []
