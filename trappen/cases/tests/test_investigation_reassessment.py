"""§ 137: a new notification about a child whose open case has a § 32 measure (step 2) or a
placement flags the case for re-assessment to the caseworker and the team leaders."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.cases.models import CaseAlert, CaseAlertKind, CaseAlertLevel
from trappen.cases.reassessment import flag_reassessment
from trappen.core.models import AuditEvent
from trappen.core.tests.factories import InterventionFactory, NotificationFactory
from trappen.notifications.tests.factories import professional_input, public_input, submit

pytestmark = pytest.mark.django_db


def _flags(world) -> set[tuple]:
    names = {user.pk: name for name, user in world.personas.items()}
    return {
        (a.subject_id, a.level, names[a.recipient_id], a.case_id)
        for a in CaseAlert.objects.filter(kind=CaseAlertKind.REASSESSMENT)
    }


@pytest.mark.smoke
def test_a_notification_on_a_case_with_a_section_32_measure_is_flagged_at_intake(world):
    # world.anna_case has a step-2 intervention (family treatment) running since 10 days ago
    n = submit(world, professional_input(world)).notification
    assert n.case == world.anna_case
    assert _flags(world) == {
        (n.pk, CaseAlertLevel.FLAG, "alice", world.anna_case.pk),
        (n.pk, CaseAlertLevel.FLAG, "team_leader", world.anna_case.pk),
    }
    events = AuditEvent.objects.filter(object_type="cases.casealert")
    assert {(e.actor_id, e.child_id) for e in events} == {(None, world.anna.pk)}
    assert flag_reassessment(n) == []  # once per notification
    assert CaseAlert.objects.count() == 2


def test_a_placement_is_flagged_and_an_early_support_measure_is_not(world):
    world.anna_intervention.step = 1
    world.anna_intervention.save(update_fields=["step"])
    first = submit(world, professional_input(world)).notification
    assert _flags(world) == set()
    InterventionFactory(case=world.anna_case, step=4, title="Plejefamilie")
    second = submit(world, professional_input(world, concern="Ny bekymring.")).notification
    assert {subject for subject, *_ in _flags(world)} == {second.pk}
    assert first.pk != second.pk


def test_an_ended_measure_or_no_case_raises_no_flag(world):
    world.anna_intervention.end_on = timezone.localdate() - datetime.timedelta(days=1)
    world.anna_intervention.save(update_fields=["end_on"])
    submit(world, professional_input(world))
    submit(world, public_input(world))  # no CPR number: not matched to any case
    assert _flags(world) == set()


def test_the_measure_must_run_on_the_day_of_receipt(world):
    received = timezone.now() - datetime.timedelta(days=30)  # before the intervention started
    n = NotificationFactory(child=world.anna, case=world.anna_case, received_at=received)
    assert flag_reassessment(n) == []
    n.received_at = timezone.now()
    assert len(flag_reassessment(n)) == 2


def test_a_case_without_caseworker_flags_the_team_leaders(world, client):
    world.anna_case.caseworker = None
    world.anna_case.save(update_fields=["caseworker"])
    n = submit(world, professional_input(world)).notification
    assert _flags(world) == {(n.pk, CaseAlertLevel.FLAG, "team_leader", world.anna_case.pk)}
    client.force_login(world.personas["team_leader"])
    html = client.get(reverse("core:home")).content.decode()
    assert "Ny underretning: sagen revurderes (§ 137)" in html
    assert "Anna" not in html  # the team overview names no child
