"""Early detection in Chromium, on the named personas' world (trappen/conftest.py): the teacher
records a wellbeing assessment at level 4 for Anna and lands on the notification form pre-filled
from it, with the duty to notify shown; a parent books anonymous counselling on a phone-sized
screen, is warned when a CPR number and a child's name are typed into the text, and the stored
booking holds neither."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trappen import conftest as personas
from trappen.early.models import Consultation, RequesterKind, WellbeingAssessment
from trappen.early.tests.factories import ConsultationSlotFactory

pytestmark = pytest.mark.browser
world = personas.world  # the named personas' fixture (trappen/conftest.py), here in tests/

PASSWORD = "test-password-123"  # the factories' password for every user


def _login(page, url: str, user) -> None:
    page.goto(f"{url}/login/")
    page.get_by_label("Brugernavn").fill(user.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind", exact=True).click()
    page.wait_for_url(f"{url}/")


def test_a_red_assessment_opens_the_notification_prefilled(page, live_server, world):
    url, anna = live_server.url, world.anna
    _login(page, url, world.personas["professional"])

    page.goto(f"{url}/tidlig-opsporing/enheder/")
    page.get_by_role("link", name=re.compile("Nordskolen")).first.click()
    expect(page.locator("main")).to_contain_text(anna.first_name)

    page.goto(f"{url}/tidlig-opsporing/boern/{anna.pk}/vurderinger/ny/")
    page.get_by_label("Vurderet den").fill(timezone.localdate().isoformat())
    page.locator("#niveau-4").check()
    page.get_by_label("Familieforhold").check()
    page.get_by_role("radio", name="Nej").check()
    page.get_by_role("button", name="Gem vurderingen").click()
    expect(page.get_by_text("Hvis nej: hvorfor ikke?").first).to_be_visible()
    assert not WellbeingAssessment.objects.filter(child=anna).exists()  # refused: no reason

    page.get_by_label("Hvis nej: hvorfor ikke?").fill("Mistanke om vold i hjemmet.")
    page.get_by_role("button", name="Gem vurderingen").click()
    page.wait_for_url(re.compile(r"/underretninger/ny/\?vurdering=\d+$"))
    assessment = WellbeingAssessment.objects.get(child=anna)
    assert page.url.endswith(f"?vurdering={assessment.pk}")
    assert (assessment.level, assessment.areas) == (4, ["family"])
    expect(page.get_by_text("Du har pligt til at underrette").first).to_be_visible()
    expect(page.locator('input[name="level"][value="4"]')).to_be_checked()
    expect(page.locator('input[name="areas"][value="family"]')).to_be_checked()


def test_a_parent_books_anonymous_counselling_on_a_phone(browser, live_server, world):
    starts = timezone.now() + datetime.timedelta(days=3)
    slot = ConsultationSlotFactory(
        unit=world.school_a, outreach_worker=world.personas["outreach"], starts_at=starts
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/raadgivning/enhed/{world.school_a.pk}/")
        page.locator(f'a[href$="/raadgivning/tid/{slot.pk}/"]').click()
        page.get_by_label("6–9 år").check()
        page.get_by_label("Hvad er du bekymret for? (frivilligt)").fill(
            f"{world.anna.first_name} (010203-1234) græder hver morgen."
        )
        page.get_by_role("button", name="Book tiden").click()
        expect(page.locator("main")).to_contain_text("[fjernet]")
        assert not Consultation.objects.exists()  # nothing stored before the parent confirms

        page.get_by_role("button", name="Book tiden").click()
        page.wait_for_url(re.compile(r"/raadgivning/booking/[^/]+/$"))
        expect(page.get_by_role("heading", name="Din tid til anonym rådgivning")).to_be_visible()
        booking = Consultation.objects.get()
        assert booking.requester_kind == RequesterKind.PARENT and booking.requester is None
        assert "010203" not in booking.concern and world.anna.first_name not in booking.concern
        assert "græder hver morgen" in booking.concern
        # the page fits the phone: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
