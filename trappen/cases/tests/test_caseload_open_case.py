"""Opening a case from the child's page (`cases:open`)."""

from __future__ import annotations

from django.urls import reverse

from trappen.cases.models import Case, CaseSource
from trappen.core.services import grant_break_glass
from trappen.core.tests.factories import ChildFactory, WellbeingAssessmentFactory


def _url(child):
    return reverse("cases:open", kwargs={"child_id": child.pk})


def test_the_page_says_when_the_child_already_has_an_open_case(world, client):
    client.force_login(world.personas["bob"])
    response = client.get(_url(world.anna))
    html = response.content.decode()
    assert response.status_code == 200
    assert "har allerede en åben sag" in html and "Opret sagen" not in html
    response = client.post(_url(world.anna), {"team": world.team_a.pk, "source": "caseworker"})
    assert response.status_code == 200
    assert Case.objects.filter(child=world.anna).count() == 1


def test_a_caseworker_opens_a_case_from_early_detection_after_closing_the_old_one(world, client):
    """A child whose earlier case in the team is closed: the team still sees the child."""
    alice, bob = world.personas["alice"], world.personas["bob"]
    world.anna_case.closed_on = world.anna_case.opened_on
    world.anna_case.save(update_fields=["closed_on"])
    assessment = WellbeingAssessmentFactory(child=world.anna, unit=world.school_a)
    client.force_login(alice)

    page = client.get(_url(world.anna))
    assert page.status_code == 200 and "Opret sagen" in page.content.decode()
    response = client.post(
        _url(world.anna),
        {
            "team": world.team_a.pk,
            "source": CaseSource.EARLY_DETECTION,
            "assessment": assessment.pk,
            "caseworker": bob.pk,
        },
    )

    case = Case.objects.get(child=world.anna, closed_on__isnull=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"case_id": case.pk})
    assert (case.team, case.caseworker, case.source, case.source_assessment) == (
        world.team_a,
        bob,
        CaseSource.EARLY_DETECTION,
        assessment,
    )


def test_the_form_answers_in_danish(world, client):
    world.anna_case.closed_on = world.anna_case.opened_on
    world.anna_case.save(update_fields=["closed_on"])
    other = WellbeingAssessmentFactory(
        child=ChildFactory(municipality=world.municipality), unit=world.school_a
    )
    mine = WellbeingAssessmentFactory(child=world.anna, unit=world.school_a)
    client.force_login(world.personas["team_leader"])
    cases = [
        ({}, ["Vælg et team.", "Vælg, hvor sagen kommer fra."]),
        (
            {"team": world.team_b.pk, "source": "notification", "caseworker": "x" * 1000},
            ["Vælg en af mulighederne på listen."],
        ),
        (
            {"team": world.team_a.pk, "source": "caseworker", "assessment": other.pk},
            ["Vælg en af mulighederne på listen."],
        ),
        (
            {"team": world.team_a.pk, "source": "caseworker", "assessment": mine.pk},
            ["kan kun knyttes til en sag fra tidlig opsporing"],
        ),
    ]
    for data, messages in cases:
        response = client.post(_url(world.anna), data)
        assert response.status_code == 200
        for message in messages:
            assert message in response.content.decode(), (data, message)
    assert not Case.objects.filter(child=world.anna, closed_on__isnull=True).exists()


def test_a_caseworker_of_another_team_needs_break_the_glass_and_then_opens_in_own_team(
    world, client
):
    charlie = world.personas["charlie"]
    child = ChildFactory(municipality=world.municipality)
    client.force_login(charlie)
    assert client.get(_url(child)).status_code == 404

    grant_break_glass(acting_user=charlie, child=child, reason="Ny henvendelse fra skolen")
    response = client.post(_url(child), {"team": world.team_a.pk, "source": "caseworker"})
    assert response.status_code == 200  # team A is not charlie's to choose
    response = client.post(_url(child), {"team": world.team_b.pk, "source": "caseworker"})
    assert response.status_code == 302
    assert Case.objects.get(child=child).team == world.team_b


def test_others_may_not_open_a_case(world, client):
    for persona in ("professional", "provider", "parent"):
        client.force_login(world.personas[persona])
        assert client.get(_url(world.anna)).status_code == 403, persona


def test_the_child_page_offers_to_open_a_case_only_when_none_is_open(client, world):
    from django.urls import reverse

    client.force_login(world.personas["alice"])
    page = client.get(reverse("core:child_detail", args=[world.anna.pk])).content.decode()
    assert reverse("cases:open", args=[world.anna.pk]) not in page
    world.anna_case.closed_on = world.anna_case.opened_on
    world.anna_case.save(update_fields=["closed_on"])
    page = client.get(reverse("core:child_detail", args=[world.anna.pk])).content.decode()
    assert reverse("cases:open", args=[world.anna.pk]) in page
