"""The caseworker's case workflow in Chromium, on the named personas' world (trappen/conftest.py):
alice opens anna's case page (the staircase chart and its table), makes the child's plan with a
goal the child set in her own words, grants a § 32 intervention from the offer catalogue linked
to that goal after a recent conversation with the child (barnets lov § 5; its first follow-up is
scheduled, § 95), and the team leader sees the case with its traffic light in the caseload."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trappen import conftest as personas
from trappen.cases.models import ChildPlan, FollowUp, Goal, GoalSetter, Intervention, PlanKind
from trappen.core.models import AuditAction, AuditEvent
from trappen.offers.models import Offer
from trappen.voice.models import CaseDecision, DecisionKind
from trappen.voice.tests.factories import ChildConversationFactory

pytestmark = pytest.mark.browser
world = personas.world  # the named personas' fixture (trappen/conftest.py), here in tests/

PASSWORD = "test-password-123"  # the factories' password for every user
PURPOSE = "Familien skal have ro omkring morgenerne, så Anna kommer i skole hver dag."
GOAL = "Anna kommer i skole til tiden fire dage om ugen"
OWN_WORDS = "Jeg vil gerne nå bussen sammen med de andre."
INTERVENTION_PURPOSE = "Støtte til forældrene i at få en fast morgenrutine."


def _day(value: datetime.date) -> str:
    return f"{value.day}.{value.month}.{value.year}"


def _login(page, url: str, user) -> None:
    page.goto(f"{url}/login/")
    page.get_by_label("Brugernavn").fill(user.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind", exact=True).click()
    page.wait_for_url(f"{url}/")


def _section(page, heading_id: str):
    return page.locator("section", has=page.locator(f"#{heading_id}"))


def _created(actor, object_type: str) -> list[str]:
    events = AuditEvent.objects.filter(
        actor=actor, action=AuditAction.CREATE, object_type=object_type
    )
    return list(events.values_list("object_id", flat=True))


def test_caseworker_plans_grants_and_team_leader_sees_the_light(
    page, live_server, world, artifact_dir
):
    url, case, anna = live_server.url, world.anna_case, world.anna
    alice, leader = world.personas["alice"], world.personas["team_leader"]
    offer = Offer.objects.create(
        municipality=world.municipality,
        name="Morgenrutiner i hjemmet",
        step=2,
        legal_basis="§ 32",
        provider=world.provider_a,
        monthly_cost=12000,
    )
    today = timezone.localdate()
    expected_end = today + datetime.timedelta(days=180)
    case_url = f"{url}/sager/{case.pk}/"

    # 1. The case page: the child's name, the staircase chart and its data table.
    _login(page, url, alice)
    page.goto(case_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(anna.full_name)
    path = _section(page, "trappe-heading")
    expect(path.get_by_role("heading", level=2)).to_have_text("Vejen på indsatstrappen")
    expect(path.locator("figure svg[role=img]")).to_be_visible()
    expect(path.locator("figure figcaption")).to_contain_text("Tabellen herunder viser")
    expect(path.locator("table thead")).to_contain_text("FraTilTrinBegrundelse")
    expect(path.locator("table tbody tr")).not_to_have_count(0)
    expect(_section(page, "planer-heading")).to_contain_text("Der er ingen plan i denne sag.")
    assert AuditEvent.objects.filter(
        actor=alice, action=AuditAction.VIEW, child_id=anna.pk, purpose="Sagens side"
    ).exists()

    # 2. The child's plan, and a goal the child set herself (htmx swaps the goals in).
    page.get_by_role("link", name="Ny plan for barnet").click()
    page.wait_for_url(f"{url}/sager/{case.pk}/plan/ny/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny plan for barnet")
    expect(page.get_by_label("Støttende indsats (§ 32)")).to_be_checked()
    expect(page.get_by_label("Ja", exact=True)).to_be_checked()
    page.get_by_label("Overordnet formål").fill(PURPOSE)
    page.get_by_role("button", name="Gem", exact=True).click()
    plan = ChildPlan.objects.get(case=case)
    page.wait_for_url(f"{url}/sager/{case.pk}/plan/{plan.pk}/")
    expect(page.get_by_role("status").first).to_contain_text(
        f"Planen er oprettet. Den skal være udarbejdet senest {plan.due_on:%d.%m.%Y}."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Barnets plan")
    expect(page.get_by_text("Under udarbejdelse")).to_be_visible()
    assert (plan.kind, plan.is_needed, plan.decided_on) == (PlanKind.SUPPORT, True, today)
    assert plan.overall_purpose == PURPOSE and plan.completed_on is None
    assert today + datetime.timedelta(days=89) <= plan.due_on <= today + datetime.timedelta(92)

    own_column = page.locator("#plan-goals .col-md-6", has=page.get_by_text("Barnets egne mål"))
    expect(own_column).to_contain_text("Barnet har ikke sat egne mål endnu.")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Mål", exact=True).fill(GOAL)
    page.get_by_role("group", name="Målet er sat af").get_by_label("Barnet selv").check()
    page.get_by_label("Med barnets egne ord").fill(OWN_WORDS)
    page.get_by_label("Udgangspunkt (0–10)").select_option("3")
    page.get_by_label("Mål på skalaen (0–10)").select_option("8")
    page.get_by_role("button", name="Tilføj målet").click()
    card = own_column.locator(".card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading", level=4)).to_have_text(GOAL)
    expect(card).to_contain_text("Sat af: Barnet selv")
    expect(card.locator("blockquote")).to_have_text(f"“{OWN_WORDS}”")
    expect(card).to_contain_text("Udgangspunkt 3 · mål 8 på skalaen 0–10")
    other_column = page.locator(
        "#plan-goals .col-md-6", has=page.get_by_text("Mål fra rådgiver og forældre")
    )
    expect(other_column).to_contain_text("Ingen mål endnu.")
    assert page.evaluate("window.notReloaded") is True
    goal = Goal.objects.get(plan=plan)
    assert (goal.text, goal.set_by, goal.childs_own_words) == (GOAL, GoalSetter.CHILD, OWN_WORDS)
    assert (goal.baseline, goal.target, goal.achieved_on) == (3, 8, None)

    # 3. Grant the § 32 intervention from the offer catalogue, linked to the child's goal.
    page.get_by_role("link", name="Tilbage til sagen").click()
    page.wait_for_url(case_url)
    expect(_section(page, "planer-heading")).not_to_contain_text("Der er ingen plan")
    held = today - datetime.timedelta(days=7)  # a conversation with anna before the decision
    conversation = ChildConversationFactory(case=case, held_on=held, childs_views=OWN_WORDS)
    page.get_by_role("link", name="Bevilg indsats").click()
    page.wait_for_url(f"{url}/sager/{case.pk}/indsatser/ny/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevilg indsats")
    page.get_by_label("Tilbud fra tilbudsviften").select_option(
        label="Trin 2: Morgenrutiner i hjemmet (§ 32) – Familiehuset, 12.000 kr./md."
    )
    expect(page.get_by_label("Start", exact=True)).to_have_value(today.isoformat())
    page.get_by_label("Formål", exact=True).fill(INTERVENTION_PURPOSE)
    page.get_by_label("Forventet varighed til").fill(expected_end.isoformat())
    page.get_by_label(f"{GOAL} (Barnet selv)").check()
    expect(page.get_by_label(f"Børnesamtale {held:%d.%m.%Y}: »{OWN_WORDS}«")).to_be_checked()
    page.get_by_role("button", name="Bevilg indsatsen").click()
    page.wait_for_url(case_url)

    granted = Intervention.objects.get(case=case, offer=offer)
    first = FollowUp.objects.get(intervention=granted)
    expect(page.get_by_role("status").first).to_contain_text(
        f"Indsatsen Morgenrutiner i hjemmet er bevilget."
        f"{' Den er registreret som en straksindsats' if granted.is_immediate else ''}"
    )
    expect(page.get_by_role("status").first).to_contain_text(
        f"Første opfølgning: {first.due_on:%d.%m.%Y}."
    )
    row = _section(page, "indsatser-heading").locator(
        "tbody tr", has_text="Morgenrutiner i hjemmet"
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text("(§ 32)")
    expect(row).to_contain_text("Familiehuset")
    expect(row).to_contain_text("12.000 kr.")
    expect(row).to_contain_text(_day(first.due_on))
    expect(row).to_contain_text(GOAL)
    follow_up_row = _section(page, "opfoelgning-heading").locator(
        "tbody tr", has_text="Morgenrutiner i hjemmet"
    )
    expect(follow_up_row).to_contain_text(f"{_day(first.due_on)} (første)")
    expect(_section(page, "barnets-stemme-heading")).to_contain_text(f"Børnesamtale {_day(held)}")
    page.screenshot(path=artifact_dir / "case-intervention-granted.png", full_page=True)
    decision = CaseDecision.objects.get(case=case)
    assert (decision.kind, decision.intervention, decision.conversation) == (
        DecisionKind.INTERVENTION,
        granted,
        conversation,
    )

    assert (granted.step, granted.legal_basis, granted.title) == (
        2,
        "§ 32",
        "Morgenrutiner i hjemmet",
    )
    assert (granted.start_on, granted.expected_end_on, granted.end_on) == (
        today,
        expected_end,
        None,
    )
    assert granted.purpose == INTERVENTION_PURPOSE
    assert (granted.provider, granted.monthly_cost, granted.decided_by) == (
        world.provider_a,
        12000,
        alice,
    )
    assert list(goal.interventions.all()) == [granted]
    assert first.is_first and first.held_on is None
    # § 95, stk. 2: at the latest 3 months after the start (moved back to a working day).
    assert today + datetime.timedelta(days=80) <= first.due_on <= today + datetime.timedelta(92)
    assert _created(alice, "cases.childplan") == [str(plan.pk)]
    assert _created(alice, "cases.goal") == [str(goal.pk)]
    assert _created(alice, "cases.intervention") == [str(granted.pk)]
    assert _created(alice, "cases.followup") == [str(first.pk)]
    assert page.problems == []

    # 4. The team leader's caseload: anna's row with its light (the next deadline is the first
    # follow-up or the plan, both about 3 months away: green, "Senere").
    page.locator(".portal-user").get_by_role("button", name="Log af").click()
    page.wait_for_url(f"{url}/login/")
    _login(page, url, leader)
    page.goto(f"{url}/sager/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sager")
    anna_row = page.locator("#caseload-table tbody tr", has_text=anna.full_name)
    expect(anna_row).to_have_count(1)
    next_due = min(first.due_on, plan.due_on)
    kind = "Opfølgning" if first.due_on <= plan.due_on else "Barnets plan"
    light = anna_row.locator(".badge")
    expect(light).to_have_text("Senere")
    expect(light).to_have_class("badge badge-success")
    expect(anna_row).to_contain_text(f"{kind} {_day(next_due)}")
    expect(anna_row).to_contain_text(str(alice.get_full_name()))
    assert AuditEvent.objects.filter(
        actor=leader, action=AuditAction.VIEW, purpose="Sagsoversigt"
    ).exists()
    page.screenshot(path=artifact_dir / "caseload-team-leader.png", full_page=True)
    assert page.problems == []
