"""The outreach worker's early help pages (trappen/early/views/early_help.py) and early help on
the child's page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.core.models import AuditAction, AuditEvent
from trappen.core.tests.factories import GuardianFactory, WellbeingAssessmentFactory, link_guardian
from trappen.early.models import EarlyHelp
from trappen.early.tests.factories import (
    ConsultationFactory,
    EarlyHelpFactory,
    InformationSharingFactory,
    days_ago,
)
from trappen.early.views.early_help import child_token

NEW = reverse("early:early_help_new")


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def outreach_client(world, client):
    client.force_login(world.personas["outreach"])
    return client


def help_form(world, guardians, **extra) -> dict:
    data = {
        "unit": world.school_a.pk,
        "title": "Ekstra støtte i klassen",
        "step": "0",
        "purpose": "Ro om morgenen",
        "started_on": today().isoformat(),
        "consent_on": (today() - datetime.timedelta(days=2)).isoformat(),
        "consenting_guardians": [g.pk for g in guardians],
    }
    data.update(extra)
    return data


def custody(child):
    return child.guardian_links.get(has_custody=True).guardian


# --- the list -----------------------------------------------------------------------------


def test_list_shows_open_and_recent_help_in_own_units_only(world, outreach_client):
    sibling = world.anna_sibling
    EarlyHelpFactory(child=sibling, unit=world.school_a, title="Gruppeforløb for søskende")
    EarlyHelpFactory(child=world.bertram, unit=world.school_b, title="Sydskolens forløb")
    EarlyHelpFactory(
        child=sibling,
        unit=world.school_a,
        title="Gammelt forløb",
        started_on=days_ago(600),
        ended_on=days_ago(400),
    )
    response = outreach_client.get(reverse("early:early_help_list"))
    html = response.content.decode()
    assert "Gruppeforløb for søskende" in html and "Asger" in html
    assert "Forældrekursus" in html  # Anna's, ended 200 days ago: recent
    assert "Sydskolens forløb" not in html and "Bertram" not in html
    assert "Gammelt forløb" not in html  # ended more than a year ago
    logged = AuditEvent.objects.filter(action=AuditAction.VIEW, purpose="Tidlige indsatser")
    assert sorted(logged.values_list("child_id", flat=True)) == sorted([world.anna.pk, sibling.pk])


def test_list_query_count_is_pinned(world, outreach_client, django_assert_max_num_queries):
    for _ in range(5):
        EarlyHelpFactory(child=world.anna_sibling, unit=world.school_a)
    with django_assert_max_num_queries(12):
        assert outreach_client.get(reverse("early:early_help_list")).status_code == 200


# --- starting: a known child --------------------------------------------------------------


def test_new_lists_the_known_children_and_a_cpr_form(world, outreach_client):
    html = outreach_client.get(NEW).content.decode()
    assert "Anna" in html  # helped earlier
    assert "Asger" not in html and "Bertram" not in html  # not shared, not helped
    assert 'name="cpr"' in html and 'name="consent_confirmed"' in html


def test_a_known_child_is_chosen_and_help_started_with_consent(world, outreach_client):
    anna = world.anna
    url = f"{NEW}?barn={anna.pk}"
    html = outreach_client.get(url).content.decode()
    assert custody(anna).full_name in html and 'name="consenting_guardians"' in html
    response = outreach_client.post(url, help_form(world, [custody(anna)]))
    help = EarlyHelp.objects.get(child=anna, ended_on__isnull=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("early:early_help_detail", args=[help.pk])
    assert (help.step, help.title, help.unit) == (0, "Ekstra støtte i klassen", world.school_a)


def test_without_consent_the_form_answers_in_danish(world, outreach_client):
    url = f"{NEW}?barn={world.anna.pk}"
    response = outreach_client.post(url, help_form(world, [], step="2", started_on="i går"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vælg trin 0 eller 1." in html
    assert "Skriv en gyldig dato" in html
    assert not EarlyHelp.objects.filter(ended_on__isnull=True).exists()
    response = outreach_client.post(url, help_form(world, []))
    assert "Tidlig indsats kræver samtykke" in response.content.decode()


def test_unknown_or_outside_children_and_bad_ids_are_404(world, outreach_client):
    for query in (
        f"barn={world.bertram.pk}",  # Sydskolen
        f"barn={world.anna_sibling.pk}",  # Nordskolen, but not shared with the outreach worker
        f"barn={world.xena.pk}",
        "barn=abc",
        "barn=99999999999999999999",
        "sparring=abc",
        "vurdering=-1",
    ):
        assert outreach_client.get(f"{NEW}?{query}").status_code == 404, query


def test_a_shared_assessment_gives_the_child_and_is_linked(world, outreach_client):
    sibling = world.anna_sibling
    assessment = WellbeingAssessmentFactory(child=sibling, unit=world.school_a, level=3)
    unshared = WellbeingAssessmentFactory(child=sibling, unit=world.school_a, level=3)
    assert outreach_client.get(f"{NEW}?vurdering={unshared.pk}").status_code == 404
    InformationSharingFactory(assessment=assessment)
    consultation = ConsultationFactory(unit=world.school_a)
    url = f"{NEW}?vurdering={assessment.pk}&sparring={consultation.pk}"
    assert "Asger" in outreach_client.get(url).content.decode()
    outreach_client.post(url, help_form(world, [custody(sibling)]))
    help = EarlyHelp.objects.get(child=sibling)
    assert (help.assessment, help.consultation) == (assessment, consultation)
    other = ConsultationFactory(unit=world.school_b)
    assert outreach_client.get(f"{NEW}?sparring={other.pk}").status_code == 404


# --- starting: found by CPR, only with consent --------------------------------------------


def test_cpr_look_up_needs_the_consent_in_the_same_post(world, outreach_client):
    sibling = world.anna_sibling
    response = outreach_client.post(NEW, {"cpr": sibling.cpr, "consent_on": today().isoformat()})
    html = response.content.decode()
    assert "Du må kun slå barnet op, når forældremyndighedsindehaveren har givet samtykke." in html
    assert "Asger" not in html and sibling.cpr not in html
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


def test_cpr_look_up_with_consent_then_marks_who_consented(world, outreach_client):
    sibling = world.anna_sibling
    data = {"cpr": sibling.cpr, "consent_on": today().isoformat(), "consent_confirmed": "on"}
    response = outreach_client.post(NEW, data)
    html = response.content.decode()
    assert "Asger" in html and custody(sibling).full_name in html
    assert sibling.cpr not in html and 'name="barn_token"' in html
    search = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert search.child_id == sibling.pk
    token = child_token(world.personas["outreach"], sibling)
    outreach_client.post(NEW, {"barn_token": token, **help_form(world, [custody(sibling)])})
    assert EarlyHelp.objects.filter(child=sibling, step=0).exists()


def test_cpr_of_a_child_outside_the_units_is_not_found(world, outreach_client):
    data = {"cpr": world.bertram.cpr, "consent_on": today().isoformat(), "consent_confirmed": "on"}
    html = outreach_client.post(NEW, data).content.decode()
    assert "Barnet findes ikke blandt børnene i dine enheder." in html
    assert "Bertram" not in html
    data["cpr"] = "123"
    assert outreach_client.post(NEW, data).status_code == 200


def test_a_token_of_another_user_is_refused(world, outreach_client):
    token = child_token(world.personas["alice"], world.anna_sibling)
    data = {"barn_token": token, **help_form(world, [custody(world.anna_sibling)])}
    response = outreach_client.post(NEW, data)
    assert response.status_code == 302 and response["Location"] == NEW
    assert not EarlyHelp.objects.filter(child=world.anna_sibling).exists()
    response = outreach_client.post(NEW, {"barn_token": "x" * 500})
    assert response.status_code == 302


def test_new_query_count_is_pinned(world, outreach_client, django_assert_max_num_queries):
    url = f"{NEW}?barn={world.anna.pk}"
    with django_assert_max_num_queries(15):
        assert outreach_client.get(url).status_code == 200
    # The write: the form's three look-ups, the consent check, the insert and the consenting
    # custody holders, the audit row under its lock, the session.
    with django_assert_max_num_queries(24):
        response = outreach_client.post(url, help_form(world, [custody(world.anna)]))
        assert response.status_code == 302


# --- one early help, and ending it --------------------------------------------------------


def test_detail_and_end(world, outreach_client, django_assert_max_num_queries):
    help = EarlyHelpFactory(child=world.anna, unit=world.school_a, started_on=days_ago(20))
    mother = custody(world.anna)
    father = GuardianFactory(municipality=world.municipality, first_name="Far")
    link_guardian(world.anna, father)
    help.consenting_guardians.set([mother])  # the father has custody too, but did not consent
    url = reverse("early:early_help_detail", args=[help.pk])
    with django_assert_max_num_queries(13):
        html = outreach_client.get(url).content.decode()
    assert "Anna" in html and "Afslut indsatsen" in html
    assert mother.full_name in html and father.full_name not in html
    end = reverse("early:early_help_end", args=[help.pk])
    response = outreach_client.post(end, {"ended_on": today().isoformat(), "end_reason": "other"})
    assert response.status_code == 200
    assert "Skriv, hvorfor indsatsen slutter, når du vælger »Andet«." in response.content.decode()
    response = outreach_client.post(
        end, {"ended_on": today().isoformat(), "end_reason": "goal_met"}
    )
    assert response.status_code == 302
    help.refresh_from_db()
    assert (help.ended_on, help.end_reason) == (today(), "goal_met")


def test_help_in_another_unit_is_404(world, outreach_client):
    other = EarlyHelpFactory(child=world.bertram, unit=world.school_b)
    assert (
        outreach_client.get(reverse("early:early_help_detail", args=[other.pk])).status_code == 404
    )
    response = outreach_client.post(
        reverse("early:early_help_end", args=[other.pk]),
        {"ended_on": today().isoformat(), "end_reason": "goal_met"},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.ended_on is None


# --- the child's page ---------------------------------------------------------------------


def test_the_childs_page_shows_early_help_to_case_team_and_outreach(world, client):
    EarlyHelpFactory(child=world.anna, unit=world.school_a, title="Gruppeforløb", step=1)
    url = reverse("core:child_detail", args=[world.anna.pk])
    for persona, sees in (
        ("alice", True),
        ("outreach", True),
        ("parent", True),
        ("professional", False),
        ("provider", False),
    ):
        client.force_login(world.personas[persona])
        html = client.get(url).content.decode()
        assert ("Gruppeforløb" in html) is sees, persona
        assert ("<h2>Tidlig indsats</h2>" in html) is sees, persona
    # The early help is part of the child's overview, logged with the child's own row.
    logged = AuditEvent.objects.filter(actor=world.personas["alice"], purpose="Barnets overblik")
    assert list(logged.values_list("object_type", "child_id")) == [("people.child", world.anna.pk)]


def test_early_help_lifts_the_step_on_the_childs_page_only_when_higher(world, client):
    # Anna: step 2 from her intervention; early help at step 1 does not lift her.
    EarlyHelpFactory(child=world.anna, unit=world.school_a, step=1)
    client.force_login(world.personas["alice"])
    html = client.get(reverse("core:child_detail", args=[world.anna.pk])).content.decode()
    assert "<dt>Trin på indsatstrappen</dt><dd>2</dd>" in html
