"""record_sharing (trappen/early/sharing.py): who may share, the legal basis of each sharing
with its Danish messages, the audit row, and the sharing with the outreach worker as the one
thing that lets the outreach social worker of the unit see the child."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from trappen.core.access import access_basis, visible_children
from trappen.core.models import AuditEvent, Role, RoleAssignment
from trappen.core.tests.factories import WellbeingAssessmentFactory, user_with_role
from trappen.early import sharing
from trappen.early.models import InformationSharing
from trappen.early.sharing import record_sharing

TODAY = timezone.localdate()


@pytest.fixture
def assessment(world):
    return WellbeingAssessmentFactory(
        child=world.anna_sibling,
        unit=world.school_a,
        level=3,
        areas=["family"],
        assessed_on=TODAY - datetime.timedelta(days=5),
    )


def valid(world, **overrides) -> dict:
    fields = {
        "recipient": "outreach",
        "recipient_detail": "Fremskudt socialrådgiver",
        "basis": "consent",
        "consent_from": "Mor (forældremyndighed)",
        "purpose": "Råd om tidlig indsats",
        "shared_on": TODAY,
        "acting_user": world.personas["professional"],
    }
    fields.update(overrides)
    return fields


def errors_of(assessment, world, **overrides) -> dict:
    with pytest.raises(ValidationError) as caught:
        record_sharing(assessment, **valid(world, **overrides))
    assert not InformationSharing.objects.exists()
    return caught.value.message_dict


def test_a_professional_of_the_unit_records_a_sharing_on_consent(world, assessment):
    before = AuditEvent.objects.count()
    s = record_sharing(assessment, **valid(world))
    s.refresh_from_db()
    assert (s.child, s.unit, s.assessment) == (world.anna_sibling, world.school_a, assessment)
    assert (s.recipient, s.basis, s.consent_from) == (
        "outreach",
        "consent",
        "Mor (forældremyndighed)",
    )
    assert s.recorded_by == world.personas["professional"]
    events = AuditEvent.objects.filter(seq__gt=before)
    assert [(e.action, e.object_type, e.object_id, e.child_id) for e in events] == [
        ("create", "early.informationsharing", str(s.pk), world.anna_sibling.pk)
    ]


def test_sharing_with_the_outreach_worker_lets_the_outreach_worker_see_the_child(world, assessment):
    outreach = world.personas["outreach"]
    assert access_basis(outreach, world.anna_sibling) is None  # nothing has left the school
    record_sharing(assessment, **valid(world, recipient="ppr", basis="consent"))
    assert access_basis(outreach, world.anna_sibling) is None  # shared with PPR, not outreach
    record_sharing(assessment, **valid(world))
    outreach = type(outreach).objects.get(pk=outreach.pk)
    assert access_basis(outreach, world.anna_sibling) == Role.OUTREACH
    assert world.anna_sibling in visible_children(outreach)


def test_an_outreach_worker_of_another_school_still_does_not_see_the_child(world, assessment):
    other = user_with_role(Role.OUTREACH, world.school_b)
    record_sharing(assessment, **valid(world))
    assert access_basis(other, world.anna_sibling) is None


def test_early_cooperation_needs_no_consent_but_a_purpose_that_explains_the_need(world, assessment):
    errors = errors_of(assessment, world, basis="early_cooperation", consent_from="", purpose="")
    assert set(errors) == {"purpose"}
    message = errors["purpose"][0]
    assert message.startswith("Skriv, hvorfor delingen er nødvendig for barnets trivsel.")
    assert "forebyggende samarbejde om udsatte børn, når det er nødvendigt" in message
    assert sharing.EARLY_COOPERATION_PARAGRAPH in message
    s = record_sharing(
        assessment,
        **valid(
            world,
            basis="early_cooperation",
            consent_from="Far",  # not the basis: not kept
            purpose="Sundhedsplejen kender familien og kan tale med mor",
            recipient="health_service",
        ),
    )
    assert (s.basis, s.consent_from) == ("early_cooperation", "")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent_from": " "}, "consent_from", sharing.CONSENT_FROM_MISSING),
        ({"recipient": "neighbour"}, "recipient", sharing.RECIPIENT_MISSING),
        ({"recipient": ""}, "recipient", sharing.RECIPIENT_MISSING),
        ({"basis": "gut_feeling"}, "basis", sharing.BASIS_MISSING),
        ({"purpose": ""}, "purpose", sharing.PURPOSE_MISSING),
        ({"shared_on": None}, "shared_on", sharing.DATE_MISSING),
        ({"shared_on": TODAY + datetime.timedelta(days=1)}, "shared_on", sharing.DATE_FUTURE),
        (
            {"shared_on": TODAY - datetime.timedelta(days=6)},
            "shared_on",
            sharing.DATE_BEFORE_ASSESSMENT,
        ),
        ({"purpose": "x" * 301}, "purpose", "Teksten må højst være på 300 tegn."),
        ({"recipient_detail": "x" * 201}, "recipient_detail", "Teksten må højst være på 200 tegn."),
    ],
)
def test_it_refuses_an_invalid_sharing_in_danish(world, assessment, overrides, field, message):
    assert errors_of(assessment, world, **overrides)[field] == [message]


@pytest.mark.parametrize(
    "persona", ["professional_other_school", "outreach", "unit_leader", "alice", "parent"]
)
def test_only_the_units_professionals_share(world, assessment, persona):
    errors = errors_of(assessment, world, acting_user=world.personas[persona])
    assert errors[NON_FIELD_ERRORS] == [sharing.NO_ACCESS]


def test_a_professional_bound_to_another_class_cannot_share(world, assessment):
    world.anna_sibling.group_name = "5.a"
    world.anna_sibling.save(update_fields=["group_name"])
    teacher = user_with_role(Role.PROFESSIONAL, world.school_a)
    RoleAssignment.objects.filter(user=teacher).update(group_name="3.b")
    errors = errors_of(assessment, world, acting_user=teacher)
    assert errors[NON_FIELD_ERRORS] == [sharing.NO_ACCESS]


def test_the_database_also_refuses_consent_without_who_consented(world, assessment):
    with pytest.raises(IntegrityError):
        InformationSharing.objects.create(
            assessment=assessment,
            child=assessment.child,
            unit=assessment.unit,
            recipient="outreach",
            basis="consent",
            consent_from="",
            purpose="x",
            shared_on=TODAY,
        )
