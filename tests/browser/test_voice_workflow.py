"""The child's voice and the network in Chromium, on the named personas' world
(trappen/conftest.py): alice records a conversation with anna in the four Lundy parts from the
case page (the child told of the right to a bisidder, § 6), adds anna's grandmother to the network
map without a page reload (htmx) and sees her on the inner circle of the SVG map, and the team
leader reviews a decision made without a conversation (§ 5, stk. 4)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trappen import conftest as personas
from trappen.people.models import NetworkConsent, NetworkPerson
from trappen.voice.decisions import record_decision
from trappen.voice.models import ChildConversation, DecisionKind, NoConversationReason

pytestmark = pytest.mark.browser
world = personas.world  # the named personas' fixture (trappen/conftest.py), here in tests/

PASSWORD = "test-password-123"  # the factories' password for every user
VIEWS = "Jeg vil gerne blive boende hjemme, men jeg vil have, at de holder op med at skændes."
DREAMS = "At komme på fodboldholdet igen."
URGENT_NOTE = "Akut anbringelse om natten; samtalen holdes i morgen på krisecentret."


def _login(page, url: str, user) -> None:
    page.goto(f"{url}/login/")
    page.get_by_label("Brugernavn").fill(user.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind", exact=True).click()
    page.wait_for_url(f"{url}/")


def test_conversation_and_network_map_from_the_case_page(page, live_server, world):
    url, case = live_server.url, world.anna_case
    alice = world.personas["alice"]
    held = timezone.localdate() - datetime.timedelta(days=2)
    case_url = f"{url}/sager/{case.pk}/"

    # 1. A conversation in the four Lundy parts; the § 6 tick is required.
    _login(page, url, alice)
    page.goto(case_url)
    page.get_by_role("link", name="Ny børnesamtale").click()
    page.wait_for_url(f"{url}/sager/{case.pk}/boernesamtaler/ny/")
    for part in ("Rum", "Stemme", "Tilhørsforhold", "Indflydelse"):
        expect(page.locator("fieldset legend", has_text=part).first).to_be_visible()
    page.get_by_label("Samtalen blev holdt den").fill(held.isoformat())
    page.get_by_label("Sted", exact=True).fill("På en gåtur ved stranden")
    page.get_by_label("Barnets synspunkter med barnets egne ord").fill(VIEWS)
    page.get_by_label("Barnets håb og drømme").fill(DREAMS)
    page.get_by_role("button", name="Gem samtalen").click()
    expect(page.get_by_text("Sæt kryds, når barnet er orienteret.").first).to_be_visible()
    assert not ChildConversation.objects.filter(case=case).exists()  # refused: § 6 not ticked

    page.get_by_label("Barnet er orienteret om retten til en bisidder (§ 6)").check()
    page.get_by_role("button", name="Gem samtalen").click()
    page.wait_for_url(re.compile(rf"/sager/{case.pk}/boernesamtaler/\d+/$"))
    conversation = ChildConversation.objects.get(case=case)
    assert page.url.endswith(f"/boernesamtaler/{conversation.pk}/")
    expect(page.locator("main")).to_contain_text(VIEWS)
    expect(page.locator("main")).to_contain_text(DREAMS)
    assert conversation.held_on == held and conversation.told_of_support_person
    assert conversation.held_by == alice

    # 2. The network map: a person added with htmx lands on the inner circle, no reload.
    page.goto(case_url)
    expect(page.locator("main")).to_contain_text("orienteret om retten til en bisidder")
    page.get_by_role("link", name="Netværkskort").click()
    page.wait_for_url(f"{url}/sager/{case.pk}/netvaerk/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Navn", exact=True).fill("Grethe Mormorsen")
    page.get_by_label("Relation til barnet").fill("Mormor")
    page.get_by_label("1: Tæt på barnet").check()
    page.get_by_label("Hvad kan personen bidrage med?").fill("Henter Anna i skole om tirsdagen")
    page.get_by_label("Samtykke givet").check()
    page.get_by_label("Samtykket blev givet eller nægtet den").fill(held.isoformat())
    page.get_by_role("button", name="Tilføj personen").click()
    svg = page.locator("#netvaerk svg[role=img]")
    expect(svg).to_contain_text("Grethe Mormorsen")
    expect(page.locator("#netvaerk table")).to_contain_text("Henter Anna i skole om tirsdagen")
    assert page.evaluate("window.notReloaded") is True
    person = NetworkPerson.objects.get(child=case.child, name="Grethe Mormorsen")
    assert (person.closeness, person.consent, person.added_by) == (1, NetworkConsent.GIVEN, alice)


def test_team_leader_reviews_a_decision_without_a_conversation(page, live_server, world):
    url, case = live_server.url, world.anna_case
    alice, leader = world.personas["alice"], world.personas["team_leader"]
    decision = record_decision(
        case,
        kind=DecisionKind.PLACEMENT,
        summary="Akut anbringelse på krisecenter",
        decided_on=timezone.localdate(),
        acting_user=alice,
        no_conversation_reason=NoConversationReason.URGENT,
        no_conversation_note=URGENT_NOTE,
    )

    _login(page, url, leader)
    page.get_by_role("link", name="Uden børnesamtale").first.click()
    page.wait_for_url(f"{url}/afgoerelser-uden-boernesamtale/")
    row = page.locator("tr", has_text="Akut anbringelse på krisecenter")
    expect(row).to_contain_text(URGENT_NOTE)
    row.get_by_role("button", name="Gennemgået").click()
    page.wait_for_url(f"{url}/afgoerelser-uden-boernesamtale/")
    decision.refresh_from_db()
    assert decision.reviewed_by == leader and decision.reviewed_at is not None
    expect(page.get_by_role("button", name="Gennemgået")).to_have_count(0)
