"""record_assessment and next_step (trappen/early/assessments.py): who may assess whom, the
rules of a valid assessment with their Danish messages, the snapshot and the audit row."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from trappen.core.models import AuditEvent, Role, RoleAssignment, UnitKind
from trappen.core.tests.factories import ChildFactory, UnitFactory, user_with_role
from trappen.early import assessments
from trappen.early.assessments import (
    age_band_for,
    may_assess,
    next_step,
    record_assessment,
    units_for,
)
from trappen.early.models import WellbeingAssessment

TODAY = timezone.localdate()


def valid(world, **overrides) -> dict:
    fields = {
        "child": world.anna,
        "unit": world.school_a,
        "level": 2,
        "areas": ["school"],
        "assessed_on": TODAY - datetime.timedelta(days=1),
        "observations": "Trækker sig i frikvartererne.",
        "agreed": "Samtale med forældrene.",
        "agreed_with": "Mor",
        "follow_up_by": "Klasselærer",
        "parents_informed": True,
        "parents_not_informed_reason": "",
        "look_again_on": TODAY + datetime.timedelta(days=60),
        "acting_user": world.personas["professional"],
    }
    fields.update(overrides)
    return fields


def errors_of(world, **overrides) -> dict:
    with pytest.raises(ValidationError) as caught:
        record_assessment(**valid(world, **overrides))
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("level", "step"), [(1, "none"), (2, "none"), (3, "consult"), (4, "notify"), (5, "notify")]
)
def test_next_step_follows_the_shared_scale(level, step):
    assert next_step(level) == step


def test_a_professional_records_an_assessment_of_a_child_in_the_own_unit(world):
    world.anna.group_name = "3.b"
    world.anna.save(update_fields=["group_name"])
    before = AuditEvent.objects.count()

    a = record_assessment(**valid(world, areas=["school", "family", "school"]))

    a.refresh_from_db()
    assert (a.child, a.unit, a.level, a.group_name) == (world.anna, world.school_a, 2, "3.b")
    assert a.areas == ["family", "school"]  # once each, in the vocabulary's order
    assert a.author == world.personas["professional"]
    assert a.agreed_with == "Mor" and a.follow_up_by == "Klasselærer"
    assert a.is_synthetic is True
    events = AuditEvent.objects.filter(seq__gt=before)
    assert [(e.action, e.object_type, e.object_id, e.child_id, e.role) for e in events] == [
        ("create", "early.wellbeingassessment", str(a.pk), world.anna.pk, "professional")
    ]


def test_the_group_snapshot_stays_when_the_child_changes_class(world):
    world.anna.group_name = "3.b"
    world.anna.save(update_fields=["group_name"])
    a = record_assessment(**valid(world))
    world.anna.group_name = "4.b"
    world.anna.save(update_fields=["group_name"])
    a.refresh_from_db()
    assert a.group_name == "3.b"


def test_a_professional_of_another_school_cannot_assess(world):
    errors = errors_of(world, acting_user=world.personas["professional_other_school"])
    assert errors[NON_FIELD_ERRORS] == [assessments.NO_ACCESS]
    assert not WellbeingAssessment.objects.exists()


@pytest.mark.parametrize("persona", ["outreach", "unit_leader", "alice", "parent"])
def test_other_roles_at_the_unit_or_elsewhere_cannot_assess(world, persona):
    errors = errors_of(world, acting_user=world.personas[persona])
    assert errors[NON_FIELD_ERRORS] == [assessments.NO_ACCESS]


def test_a_child_of_another_unit_cannot_be_assessed_in_the_own_unit(world):
    errors = errors_of(world, child=world.bertram)  # Bertram goes to Sydskolen
    assert errors[NON_FIELD_ERRORS] == [assessments.NOT_IN_UNIT]


def test_a_professional_bound_to_a_class_assesses_only_that_class(world):
    teacher = user_with_role(Role.PROFESSIONAL, world.school_a)
    RoleAssignment.objects.filter(user=teacher).update(group_name="3.b")
    world.anna.group_name = "3.b"
    world.anna.save(update_fields=["group_name"])
    world.anna_sibling.group_name = "5.a"
    world.anna_sibling.save(update_fields=["group_name"])

    assert record_assessment(**valid(world, acting_user=teacher)).group_name == "3.b"
    teacher = type(teacher).objects.get(pk=teacher.pk)  # fresh assignment cache
    errors = errors_of(world, child=world.anna_sibling, acting_user=teacher)
    assert errors[NON_FIELD_ERRORS] == [assessments.NOT_IN_GROUP]
    assert units_for(teacher, world.anna_sibling) == []
    assert units_for(teacher, world.anna) == [world.school_a.pk]


def test_a_health_visitor_assesses_the_children_of_the_own_district(world):
    health = UnitFactory(municipality=world.municipality, kind=UnitKind.HEALTH_SERVICE)
    visitor = user_with_role(Role.PROFESSIONAL, health)
    RoleAssignment.objects.filter(user=visitor).update(group_name="Nord")
    baby = ChildFactory(
        municipality=world.municipality,
        birth_date=TODAY - datetime.timedelta(days=200),
        health_unit=health,
        district="Nord",
    )
    other = ChildFactory(municipality=world.municipality, health_unit=health, district="Syd")
    a = record_assessment(
        **valid(world, child=baby, unit=health, acting_user=visitor, assessed_on=TODAY)
    )
    assert a.group_name == "Nord"  # the district is the health visitor's "group"
    assert may_assess(visitor, other, health.pk) is False


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"level": None}, "level", assessments.LEVEL_MISSING),
        ({"level": 0}, "level", assessments.LEVEL_MISSING),
        ({"level": 6}, "level", assessments.LEVEL_MISSING),
        ({"level": "tre"}, "level", assessments.LEVEL_MISSING),
        ({"areas": ["school", "moon"]}, "areas", assessments.AREAS_BAD),
        ({"areas": [], "level": 2}, "areas", assessments.AREAS_MISSING),
        ({"assessed_on": None}, "assessed_on", assessments.DATE_MISSING),
        (
            {"assessed_on": TODAY + datetime.timedelta(days=1)},
            "assessed_on",
            assessments.DATE_FUTURE,
        ),
        (
            {"assessed_on": datetime.date(2015, 3, 13)},  # Anna was born 14.03.2015
            "assessed_on",
            assessments.DATE_BEFORE_BIRTH,
        ),
        (
            {"parents_informed": False, "parents_not_informed_reason": "  "},
            "parents_not_informed_reason",
            assessments.REASON_MISSING,
        ),
        (
            {"look_again_on": TODAY - datetime.timedelta(days=1)},  # = assessed_on
            "look_again_on",
            assessments.LOOK_AGAIN_NOT_AFTER,
        ),
        ({"agreed_with": "x" * 301}, "agreed_with", "Teksten må højst være på 300 tegn."),
        ({"follow_up_by": "x" * 201}, "follow_up_by", "Teksten må højst være på 200 tegn."),
    ],
)
def test_it_refuses_an_invalid_assessment_in_danish(world, overrides, field, message):
    errors = errors_of(world, **overrides)
    assert errors[field] == [message]
    assert not WellbeingAssessment.objects.exists()


def test_it_names_every_problem_at_once(world):
    errors = errors_of(world, level=9, assessed_on=None, parents_informed=False)
    assert set(errors) == {"level", "assessed_on", "parents_not_informed_reason"}


def test_a_thriving_child_needs_no_area_and_the_birth_day_is_allowed(world):
    a = record_assessment(**valid(world, level=1, areas=[], assessed_on=world.anna.birth_date))
    assert a.areas == [] and a.assessed_on == datetime.date(2015, 3, 14)


def test_parents_not_informed_keeps_the_reason_and_informed_drops_a_stray_one(world):
    a = record_assessment(
        **valid(world, parents_informed=False, parents_not_informed_reason="Frygt for vold")
    )
    assert (a.parents_informed, a.parents_not_informed_reason) == (False, "Frygt for vold")
    b = record_assessment(**valid(world, parents_not_informed_reason="glemt tekst"))
    assert (b.parents_informed, b.parents_not_informed_reason) == (True, "")


@pytest.mark.parametrize(
    ("born", "on", "band"),
    [
        (datetime.date(2020, 6, 1), datetime.date(2023, 5, 31), "0_2"),
        (datetime.date(2020, 6, 1), datetime.date(2023, 6, 1), "3_5"),
        (datetime.date(2015, 3, 14), datetime.date(2021, 3, 14), "6_9"),
        (datetime.date(2015, 3, 14), datetime.date(2025, 3, 13), "6_9"),
        (datetime.date(2015, 3, 14), datetime.date(2025, 3, 14), "10_13"),
        (datetime.date(2008, 1, 1), datetime.date(2025, 12, 31), "14_17"),
        (datetime.date(2008, 1, 1), datetime.date(2026, 1, 1), ""),
    ],
)
def test_age_band_at_the_edges(born, on, band):
    assert age_band_for(born, on) == band
