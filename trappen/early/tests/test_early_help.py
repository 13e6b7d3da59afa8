"""Early help at steps 0–1 (trappen/early/early_help.py): consent from custody holders only, the
steps, the outreach worker's own units, and counting on the staircase."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from trappen.core.models import AuditAction, AuditEvent
from trappen.core.tests.factories import (
    ChildFactory,
    GuardianFactory,
    MunicipalityFactory,
    link_guardian,
)
from trappen.early.early_help import end_early_help, start_early_help
from trappen.early.models import EarlyHelpEnd
from trappen.early.staircase import child_step_on, steps_on
from trappen.offers.models import Offer

DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def setting(world):
    """Asger (Anna's sibling) at Nordskolen, no case; his custody holder is Anna's parent."""
    child = world.anna_sibling
    custody = child.guardian_links.get(has_custody=True).guardian
    return world, child, custody


def start(world, child, guardians, **kwargs):
    values = {
        "child": child,
        "unit": world.school_a,
        "title": "Forældrekursus De Utrolige År",
        "step": 1,
        "purpose": "Styrke forældrene i at sætte grænser",
        "started_on": today() - 10 * DAY,
        "consent_on": today() - 12 * DAY,
        "consenting_guardians": guardians,
        "acting_user": world.personas["outreach"],
    }
    values.update(kwargs)
    return start_early_help(**values)


def errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_outreach_starts_early_help_with_the_custody_holders_consent(setting):
    world, child, custody = setting
    help = start(world, child, [custody])
    assert help.step == 1 and help.unit == world.school_a
    assert help.municipality == world.municipality
    assert list(help.consenting_guardians.all()) == [custody]
    assert help.started_by == world.personas["outreach"]
    event = AuditEvent.objects.filter(object_type="early.earlyhelp", object_id=str(help.pk)).get()
    assert event.action == AuditAction.CREATE
    assert event.child_id == child.pk and event.role == "outreach"


def test_no_custody_holder_is_refused(setting):
    world, child, _ = setting
    with pytest.raises(ValidationError) as excinfo:
        start(world, child, [])
    assert "consenting_guardians" in errors(excinfo)
    assert not child.early_help.exists()


def test_a_parent_without_custody_cannot_consent(setting):
    world, child, custody = setting
    father = GuardianFactory(municipality=world.municipality)
    link_guardian(child, father, custody=False)
    for guardians in ([father], [custody, father]):
        with pytest.raises(ValidationError) as excinfo:
            start(world, child, guardians)
        assert errors(excinfo)["consenting_guardians"] == [
            "Kun forældremyndighedsindehavere kan give samtykke. En forælder uden "
            "forældremyndighed kan ikke samtykke på barnets vegne."
        ]
    assert not child.early_help.exists()


def test_another_childs_custody_holder_cannot_consent(setting):
    world, child, _ = setting
    bertrams = world.bertram.guardian_links.get().guardian
    with pytest.raises(ValidationError) as excinfo:
        start(world, child, [bertrams])
    assert "consenting_guardians" in errors(excinfo)


def test_a_child_without_any_custody_holder_cannot_get_early_help(world):
    child = ChildFactory(municipality=world.municipality, unit=world.school_a)
    non_custody = GuardianFactory(municipality=world.municipality)
    link_guardian(child, non_custody, custody=False)
    with pytest.raises(ValidationError) as excinfo:
        start(world, child, [non_custody])
    assert (
        "ingen registreret forældremyndighedsindehaver"
        in errors(excinfo)["consenting_guardians"][0]
    )


def test_step_2_is_refused_also_through_an_offer(setting):
    world, child, custody = setting
    with pytest.raises(ValidationError) as excinfo:
        start(world, child, [custody], step=2)
    assert "step" in errors(excinfo)
    family = Offer.objects.create(municipality=world.municipality, name="Familiebehandling", step=2)
    with pytest.raises(ValidationError) as excinfo:
        start(world, child, [custody], offer=family, step=None, title="")
    assert "offer" in errors(excinfo)
    assert not child.early_help.exists()


def test_the_offer_gives_title_and_step_and_must_be_the_municipalitys(setting):
    world, child, custody = setting
    course = Offer.objects.create(municipality=world.municipality, name="Forældrekursus", step=0)
    help = start(world, child, [custody], offer=course, step=None, title="")
    assert (help.title, help.step, help.offer) == ("Forældrekursus", 0, course)
    foreign = Offer.objects.create(municipality=MunicipalityFactory(), name="Fremmed", step=1)
    with pytest.raises(ValidationError) as excinfo:
        start(world, child, [custody], offer=foreign, started_on=today())
    assert "offer" in errors(excinfo)


def test_outsider_unit_and_a_child_of_another_unit_are_refused(setting):
    world, child, custody = setting
    # Sydskolen is not the outreach worker's unit.
    with pytest.raises(ValidationError) as excinfo:
        start(
            world, world.bertram, [world.bertram.guardian_links.get().guardian], unit=world.school_b
        )
    assert errors(excinfo)["unit"] == ["Du er ikke fremskudt socialrådgiver for denne enhed."]
    # Bertram goes to Sydskolen, not to the outreach worker's Nordskolen.
    with pytest.raises(ValidationError) as excinfo:
        start(world, world.bertram, [world.bertram.guardian_links.get().guardian])
    assert "child" in errors(excinfo)
    # A caseworker (no outreach role) cannot start early help.
    with pytest.raises(ValidationError) as excinfo:
        start(world, child, [custody], acting_user=world.personas["alice"])
    assert "unit" in errors(excinfo)


def test_consent_comes_first_and_the_start_is_near(setting):
    world, child, custody = setting
    with pytest.raises(ValidationError) as excinfo:
        start(world, child, [custody], consent_on=today() - 9 * DAY)  # start: 10 days ago
    assert errors(excinfo)["consent_on"] == ["Samtykket skal være givet, før indsatsen starter."]
    with pytest.raises(ValidationError) as excinfo:
        start(world, child, [custody], started_on=today() + 31 * DAY, consent_on=today())
    assert "started_on" in errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        start(world, child, [custody], started_on=today() + 5 * DAY, consent_on=today() + DAY)
    assert "consent_on" in errors(excinfo)
    # 30 days ahead, consent today: allowed.
    help = start(world, child, [custody], started_on=today() + 30 * DAY, consent_on=today())
    assert help.started_on == today() + 30 * DAY


def test_a_double_submit_saves_once(setting):
    world, child, custody = setting
    start(world, child, [custody])
    with pytest.raises(ValidationError):
        start(world, child, [custody])
    assert child.early_help.count() == 1


def test_the_child_counts_on_the_staircase_at_step_1_and_stops_the_day_after_the_end(setting):
    world, child, custody = setting
    m = world.municipality.pk
    # Before: Anna at step 2 (her intervention); Asger nowhere; Anna's own early help ended.
    assert steps_on(m, today()) == {2: 1}
    assert child_step_on(child, today()) is None
    help = start(world, child, [custody])  # step 1 from 10 days ago
    assert steps_on(m, today()) == {2: 1, 1: 1}
    assert child_step_on(child, today()) == 1
    assert child_step_on(child, today() - 11 * DAY) is None  # before the start
    end_early_help(
        help,
        ended_on=today(),
        end_reason=EarlyHelpEnd.GOAL_MET,
        end_note="",
        acting_user=world.personas["outreach"],
    )
    assert child_step_on(child, today()) == 1  # the last day still counts
    assert child_step_on(child, today() + DAY) is None
    assert steps_on(m, today() + DAY) == {2: 1}
    event = AuditEvent.objects.filter(object_type="early.earlyhelp", action=AuditAction.UPDATE)
    assert event.get().child_id == child.pk


def test_ending_happens_once_after_the_start_with_a_reason(setting):
    world, child, custody = setting
    help = start(world, child, [custody])
    outreach = world.personas["outreach"]
    with pytest.raises(ValidationError) as excinfo:
        end_early_help(
            help, ended_on=help.started_on - DAY, end_reason="goal_met", acting_user=outreach
        )
    assert "ended_on" in errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        end_early_help(help, ended_on=today(), end_reason="", acting_user=outreach)
    assert "end_reason" in errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        end_early_help(help, ended_on=today(), end_reason=EarlyHelpEnd.OTHER, acting_user=outreach)
    assert "end_note" in errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        end_early_help(
            help, ended_on=today(), end_reason="goal_met", acting_user=world.personas["alice"]
        )
    assert "__all__" in errors(excinfo)
    end_early_help(
        help,
        ended_on=today(),
        end_reason=EarlyHelpEnd.OTHER,
        end_note="Familien flytter",
        acting_user=outreach,
    )
    help.refresh_from_db()
    assert (help.ended_on, help.end_reason, help.end_note) == (today(), "other", "Familien flytter")
    with pytest.raises(ValidationError) as excinfo:
        end_early_help(help, ended_on=today(), end_reason="goal_met", acting_user=outreach)
    assert errors(excinfo)["__all__"] == ["Indsatsen er allerede afsluttet."]
