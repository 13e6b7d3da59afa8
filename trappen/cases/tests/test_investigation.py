"""The børnefaglig undersøgelse: the 4-month deadline, the ICS areas, the preliminary
assessment (§ 20, stk. 3), the conclusion, and the pages: who may reach them, what they answer
to bad input."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.cases.investigations import (
    InvestigationError,
    complete_investigation,
    link_child_conversation,
    record_area,
    record_preliminary_assessment,
    start_investigation,
)
from trappen.cases.models import Investigation, InvestigationArea
from trappen.core.models import AuditEvent
from trappen.core.tests.factories import CaseFactory, ChildFactory, InvestigationFactory
from trappen.voice.models import ChildConversation

pytestmark = pytest.mark.django_db
D = datetime.date


def _start(world, aware_on, user="alice", case=None, **kwargs):
    return start_investigation(
        case or world.anna_case,
        aware_on=aware_on,
        acting_user=world.personas[user],
        **kwargs,
    )


# --- starting: the 4 months (§ 20, stk. 3) ---


@pytest.mark.smoke
@pytest.mark.parametrize(
    ("aware_on", "due_on"),
    [
        (D(2026, 10, 31), D(2027, 2, 28)),  # no 31 February: the month's last day
        (D(2027, 10, 31), D(2028, 2, 29)),  # leap year
        (D(2026, 8, 31), D(2026, 12, 31)),
        (D(2026, 7, 31), D(2026, 11, 30)),  # no 31 November
        (D(2026, 11, 23), D(2027, 3, 23)),  # across the new year, not moved off a weekend day
    ],
)
def test_the_investigation_is_due_four_calendar_months_after_the_municipality_became_aware(
    world, aware_on, due_on
):
    investigation = _start(world, aware_on, started_on=D(2028, 1, 3))
    assert (investigation.aware_on, investigation.due_on) == (aware_on, due_on)
    assert investigation.started_on == D(2028, 1, 3)


def test_one_open_investigation_per_case(world):
    first = _start(world, timezone.localdate())
    with pytest.raises(InvestigationError, match="allerede en børnefaglig undersøgelse i gang"):
        _start(world, timezone.localdate(), user="bob")
    first.completed_on = timezone.localdate()
    first.save(update_fields=["completed_on"])
    _start(world, timezone.localdate(), user="team_leader")
    assert world.anna_case.investigations.count() == 2


def test_a_start_is_logged_and_refused_for_outsiders_and_future_dates(world):
    with pytest.raises(InvestigationError, match="kan ikke arbejde med denne sag"):
        _start(world, timezone.localdate(), user="charlie")
    with pytest.raises(InvestigationError) as caught:
        _start(world, timezone.localdate() + datetime.timedelta(days=1))
    assert caught.value.errors == {
        "aware_on": ["Datoen, hvor kommunen blev opmærksom, kan ikke ligge efter i dag."]
    }
    investigation = _start(world, timezone.localdate(), reason="Bekymring fra skolen")
    event = AuditEvent.objects.get(object_type="cases.investigation")
    assert (event.action, event.object_id, event.child_id) == (
        "create",
        str(investigation.pk),
        world.anna.pk,
    )


def test_a_closed_case_gets_no_investigation(world):
    world.anna_case.closed_on = timezone.localdate()
    world.anna_case.save(update_fields=["closed_on"])
    with pytest.raises(InvestigationError, match="Sagen er lukket"):
        _start(world, timezone.localdate())


# --- the ICS areas and the child conversation ---


def test_an_area_is_recorded_once_per_dimension_and_replaced(world):
    investigation = InvestigationFactory(case=world.anna_case)
    alice = world.personas["alice"]
    record_area(investigation, "health", "God kontakt til egen læge", "", alice)
    record_area(investigation, "health", "God kontakt", "Mange fraværsdage", alice)
    area = InvestigationArea.objects.get(investigation=investigation)
    assert (area.dimension, area.resources, area.concerns) == (
        "health",
        "God kontakt",
        "Mange fraværsdage",
    )
    with pytest.raises(InvestigationError) as caught:
        record_area(investigation, "astrology", "x", "y", alice)
    assert caught.value.errors == {"dimension": ["Vælg et af områderne."]}
    with pytest.raises(InvestigationError, match="Skriv ressourcer eller bekymringer"):
        record_area(investigation, "network", "  ", "", alice)


def test_only_a_conversation_of_the_same_case_can_be_linked(world):
    investigation = InvestigationFactory(case=world.anna_case)
    own = ChildConversation.objects.create(case=world.anna_case, held_on=timezone.localdate())
    other_case = CaseFactory(child=ChildFactory(municipality=world.municipality), team=world.team_a)
    other = ChildConversation.objects.create(case=other_case, held_on=timezone.localdate())
    alice = world.personas["alice"]
    with pytest.raises(InvestigationError, match="hører ikke til denne sag"):
        link_child_conversation(investigation, other, alice)
    link_child_conversation(investigation, own, alice)
    investigation.refresh_from_db()
    assert investigation.child_conversation == own


# --- the preliminary assessment (§ 20, stk. 3) ---


def test_the_preliminary_assessment_needs_a_text_and_a_date_after_the_deadline(world):
    today = D(2027, 2, 20)
    investigation = InvestigationFactory(
        case=world.anna_case, started_on=D(2026, 10, 31), due_on=D(2027, 2, 28)
    )
    alice = world.personas["alice"]
    with pytest.raises(InvestigationError) as caught:
        record_preliminary_assessment(investigation, "", D(2027, 2, 28), alice, today=today)
    assert caught.value.errors == {
        "text": ["Skriv den foreløbige vurdering."],
        "expected_completion_on": [
            "Kan undersøgelsen afsluttes inden fristen (28.02.2027), er der ikke brug for en "
            "foreløbig vurdering."
        ],
    }
    record_preliminary_assessment(
        investigation, "Venter på psykologens udtalelse", D(2027, 3, 15), alice, today=today
    )
    investigation.refresh_from_db()
    assert investigation.preliminary_assessment == "Venter på psykologens udtalelse"
    assert investigation.preliminary_assessed_on == today
    assert investigation.expected_completion_on == D(2027, 3, 15)
    assert investigation.completed_on is None  # still to be finished as soon as possible


# --- the conclusion ---


def test_completion_needs_a_conclusion_and_at_least_one_area(world):
    investigation = InvestigationFactory(case=world.anna_case)
    alice = world.personas["alice"]
    with pytest.raises(InvestigationError) as caught:
        complete_investigation(investigation, "  ", "", None, alice)
    assert caught.value.errors == {"conclusion": ["Skriv undersøgelsens konklusion."]}
    with pytest.raises(InvestigationError, match="mindst ét område"):
        complete_investigation(investigation, "Behov for støtte", "", 2, alice)
    record_area(investigation, "safe_care", "", "Uregelmæssig omsorg", alice)
    complete_investigation(investigation, "Behov for støtte", "Familiebehandling", 2, alice)
    investigation.refresh_from_db()
    assert investigation.completed_on == timezone.localdate()
    assert (investigation.conclusion, investigation.recommended_step) == ("Behov for støtte", 2)
    with pytest.raises(InvestigationError, match="afsluttet og kan ikke ændres"):
        complete_investigation(investigation, "Igen", "", 2, alice)
    with pytest.raises(InvestigationError, match="afsluttet og kan ikke ændres"):
        record_area(investigation, "health", "x", "", alice)


def test_completion_refuses_a_future_date_and_an_unknown_step(world):
    investigation = InvestigationFactory(case=world.anna_case)
    record_area(investigation, "health", "x", "", world.personas["alice"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(InvestigationError) as caught:
        complete_investigation(
            investigation, "K", "", 9, world.personas["alice"], completed_on=tomorrow
        )
    assert set(caught.value.errors) == {"recommended_step", "completed_on"}


# --- the pages ---


def _url(name, investigation, **extra):
    kwargs = {"case_id": investigation.case_id, "investigation_id": investigation.pk, **extra}
    return reverse(f"cases:{name}", kwargs=kwargs)


def test_the_page_counts_down_and_offers_the_preliminary_assessment_within_14_days(world, client):
    today = timezone.localdate()
    soon = InvestigationFactory(case=world.anna_case, due_on=today + datetime.timedelta(days=14))
    client.force_login(world.personas["bob"])
    html = client.get(_url("investigation_detail", soon)).content.decode()
    assert "om 14 dage" in html
    assert "Fristen nærmer sig" in html and 'class="alert alert-warning"' in html
    soon.due_on = today + datetime.timedelta(days=15)
    soon.save(update_fields=["due_on"])
    html = client.get(_url("investigation_detail", soon)).content.decode()
    assert "om 15 dage" in html and "Fristen nærmer sig" not in html
    soon.due_on = today - datetime.timedelta(days=2)
    soon.save(update_fields=["due_on"])
    html = client.get(_url("investigation_detail", soon)).content.decode()
    assert "overskredet med 2 dage" in html and "Fristen er overskredet" in html


def test_start_from_the_case_and_record_an_area_with_htmx(world, client):
    client.force_login(world.personas["alice"])
    url = reverse("cases:investigation_new", kwargs={"case_id": world.anna_case.pk})
    response = client.post(url, {"aware_on": "2026-10-31", "reason": "Skolen er bekymret"})
    investigation = Investigation.objects.get(case=world.anna_case)
    assert response.status_code == 302
    assert response["Location"] == _url("investigation_detail", investigation)
    assert investigation.due_on == D(2027, 2, 28)
    response = client.post(
        _url("investigation_area", investigation),
        {"dimension": "learning", "resources": "Glad for sin lærer", "concerns": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="omraade-learning"' in html and "Gemt." in html
    assert investigation.areas.get().resources == "Glad for sin lærer"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "investigation_preliminary",
            {"foreloebig-text": "x", "foreloebig-expected_completion_on": "31-02-2027"},
            "Skriv en gyldig dato.",
        ),  # noqa: E501
        (
            "investigation_preliminary",
            {"foreloebig-text": "x", "foreloebig-expected_completion_on": "99999-01-01"},
            "Skriv en gyldig dato.",
        ),  # noqa: E501
        ("investigation_complete", {"afslut-conclusion": "x" * 10_001}, "højst være på 10000 tegn"),
        (
            "investigation_complete",
            {"afslut-conclusion": "K", "afslut-recommended_step": "7"},
            "Vælg en af mulighederne.",
        ),  # noqa: E501
        (
            "investigation_area",
            {"dimension": "health", "resources": "x" * 10_001},
            "højst være på 10000 tegn",
        ),  # noqa: E501
        ("investigation_area", {"dimension": "nope", "resources": "x"}, "Vælg en af mulighederne."),
        ("investigation_conversation", {"conversation": "abc"}, "Vælg en af mulighederne."),
    ],
)
def test_bad_input_is_answered_in_danish_not_with_an_error_page(world, client, name, data, message):
    investigation = InvestigationFactory(case=world.anna_case)
    ChildConversation.objects.create(case=world.anna_case, held_on=timezone.localdate())
    client.force_login(world.personas["alice"])
    response = client.post(_url(name, investigation), data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_new_investigation_form_refuses_a_bad_date(world, client):
    client.force_login(world.personas["alice"])
    url = reverse("cases:investigation_new", kwargs={"case_id": world.anna_case.pk})
    response = client.post(url, {"aware_on": "2026-13-01"})
    assert response.status_code == 200 and "Skriv en gyldig dato." in response.content.decode()
    assert not Investigation.objects.exists()


@pytest.mark.parametrize("persona", ["charlie", "provider", "parent", "outsider"])
def test_outsiders_cannot_reach_the_investigation_pages(world, client, persona):
    investigation = InvestigationFactory(case=world.anna_case)
    client.force_login(world.personas[persona])
    for response in (
        client.get(_url("investigation_detail", investigation)),
        client.post(_url("investigation_complete", investigation), {"afslut-conclusion": "K"}),
        client.post(_url("investigation_area", investigation), {"dimension": "health"}),
        client.get(reverse("cases:investigation_new", kwargs={"case_id": world.anna_case.pk})),
    ):
        assert response.status_code == 404
        assert b"Anna" not in response.content
    investigation.refresh_from_db()
    assert investigation.completed_on is None and not investigation.areas.exists()


def test_an_investigation_of_another_case_is_not_found_through_this_case(world, client):
    other_case = CaseFactory(child=ChildFactory(municipality=world.municipality), team=world.team_a)
    other = InvestigationFactory(case=other_case)
    client.force_login(world.personas["alice"])
    url = reverse(
        "cases:investigation_detail",
        kwargs={"case_id": world.anna_case.pk, "investigation_id": other.pk},
    )
    assert client.get(url).status_code == 404


def test_the_page_keeps_its_query_count(world, client, django_assert_max_num_queries):
    investigation = InvestigationFactory(case=world.anna_case)
    alice = world.personas["alice"]
    for dimension in ("health", "learning", "network", "housing"):
        record_area(investigation, dimension, "ressource", "bekymring", alice)
    for _ in range(3):
        ChildConversation.objects.create(case=world.anna_case, held_on=timezone.localdate())
    client.force_login(alice)
    client.get(_url("investigation_detail", investigation))  # warm up: the audit chain head
    with django_assert_max_num_queries(15):
        response = client.get(_url("investigation_detail", investigation))
    assert response.status_code == 200
