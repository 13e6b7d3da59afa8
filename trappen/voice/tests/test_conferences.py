"""The family group conference: every phase transition, every step out of order refused with its
Danish message, cancelling, the family's plan, the reminders, the pages (stepper, only the next
step's form, no 500 on garbage) and their query counts."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from trappen.cases.case_alerts import unseen_case_alerts
from trappen.cases.models import CaseAlert, CaseAlertKind, CaseAlertLevel
from trappen.cases.plans import PlanError
from trappen.core.home_services import case_alert_rows
from trappen.core.models import AuditEvent
from trappen.core.tests.factories import CaseFactory
from trappen.notifications.tasks import check_deadlines_task
from trappen.people.models import NetworkConsent
from trappen.voice import conferences as fgc
from trappen.voice.conferences import PlanLine
from trappen.voice.models import ConferencePhase, FamilyGroupConference, FamilyPlanItem
from trappen.voice.reminders import (
    PLAN_ITEM_BASE,
    conference_of_subject,
    plan_item_subject,
    raise_network_reminders,
)
from trappen.voice.tests.factories import NetworkPersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
P = ConferencePhase
REFERRED_ON, PREPARED_ON, HELD_ON, FOLLOWED_UP_ON = (
    D(2025, 9, 1),
    D(2025, 9, 8),
    D(2025, 10, 6),
    D(2025, 12, 15),
)
DUE_ON = D(2026, 1, 6)  # 3 months after 6 October 2025
MAX_QUERIES = 15


@pytest.fixture
def alice(world):
    return world.personas["alice"]


@pytest.fixture
def mormor(world):
    return NetworkPersonFactory(child=world.anna, name="Mormor Inger", relation="Mormor")


def refer(world, alice, **kwargs):
    values = {
        "question": "Hvordan sikrer familien, at Anna kommer i skole hver dag?",
        "coordinator_name": "Koordinator Karen",
        "referred_on": REFERRED_ON,
        "acting_user": alice,
    }
    return fgc.refer(world.anna_case, **{**values, **kwargs})


def prepare(c, alice, **kwargs):
    return fgc.start_preparation(c, **{"started_on": PREPARED_ON, "acting_user": alice, **kwargs})


def lines(person=None):
    return [
        PlanLine(
            "Henter Anna i skole om tirsdagen", "" if person else "Mormor", D(2025, 10, 14), person
        ),
        PlanLine("Vækker Anna hver morgen", "Far", D(2025, 11, 1)),
    ]


def hold(c, alice, **kwargs):
    values = {
        "held_on": HELD_ON,
        "information_given": "Skolen fortalte om fraværet: 20 % i august.",
        "private_time_held": True,
        "plan": lines(),
        "plan_accepted": True,
        "acting_user": alice,
    }
    return fgc.hold_meeting(c, **{**values, **kwargs})


def follow_up(c, alice, **kwargs):
    values = {"held_on": FOLLOWED_UP_ON, "note": "Fraværet er faldet til 5 %."}
    return fgc.hold_follow_up(c, **{**values, "acting_user": alice, **kwargs})


def cancel(c, alice, **kwargs):
    values = {"cancelled_on": D(2025, 12, 20), "reason": "Familien ønsker ikke at fortsætte."}
    return fgc.cancel(c, **{**values, "acting_user": alice, **kwargs})


def in_phase(world, alice, phase) -> FamilyGroupConference:
    c = refer(world, alice)
    if phase == P.CANCELLED:
        return cancel(c, alice, cancelled_on=REFERRED_ON)
    if phase in (P.PREPARATION, P.MEETING, P.FOLLOW_UP):
        prepare(c, alice)
    if phase in (P.MEETING, P.FOLLOW_UP):
        hold(c, alice)
    if phase == P.FOLLOW_UP:
        follow_up(c, alice)
    return FamilyGroupConference.objects.select_related("case").get(pk=c.pk)


def message(error: PlanError, field=None) -> str:
    return " ".join(error.errors[field])


# --- every phase transition -------------------------------------------------------------------


def test_a_conference_goes_through_its_phases(world, alice, mormor):
    c = refer(world, alice, coordinator_contact="karen@example.org")
    assert (c.phase, c.referred_on, c.referred_by) == (P.REFERRED, REFERRED_ON, alice)

    prepare(c, alice, invited=[mormor], meeting_planned_on=D(2025, 10, 6))
    c.refresh_from_db()
    assert (c.phase, c.preparation_started_on, c.meeting_planned_on) == (
        P.PREPARATION,
        PREPARED_ON,
        D(2025, 10, 6),
    )
    assert list(c.invited.all()) == [mormor]

    hold(c, alice, plan=lines(mormor))
    c.refresh_from_db()
    assert (c.phase, c.meeting_held_on, c.private_time_held, c.plan_accepted) == (
        P.MEETING,
        HELD_ON,
        True,
        True,
    )
    assert c.follow_up_due_on == DUE_ON
    plan = list(c.plan_items.values_list("what", "who", "person", "by_when", "done_on"))
    assert plan == [
        ("Henter Anna i skole om tirsdagen", "Mormor Inger", mormor.pk, D(2025, 10, 14), None),
        ("Vækker Anna hver morgen", "Far", None, D(2025, 11, 1), None),
    ]

    first, second = c.plan_items.all()
    fgc.mark_plan_item_done(first, done_on=D(2025, 10, 14), acting_user=alice)
    follow_up(c, alice, done_items=[first.pk, second.pk])
    c.refresh_from_db()
    assert (c.phase, c.follow_up_held_on, c.follow_up_note) == (
        P.FOLLOW_UP,
        FOLLOWED_UP_ON,
        "Fraværet er faldet til 5 %.",
    )
    done = list(c.plan_items.values_list("done_on", flat=True))
    assert done == [D(2025, 10, 14), FOLLOWED_UP_ON]  # marked before keeps its own date
    purposes = set(
        AuditEvent.objects.filter(object_type="voice.familygroupconference").values_list(
            "purpose", flat=True
        )
    )
    assert purposes == {
        "Familierådslagning: henvist",
        "Familierådslagning: forberedelse",
        "Familierådslagning: rådslagning og familiens plan",
        "Familierådslagning: opfølgningsmøde",
    }


def test_the_follow_up_meeting_date_can_be_chosen_and_defaults_to_three_months(world, alice):
    c = prepare(refer(world, alice), alice)
    hold(c, alice, held_on=D(2025, 11, 30), plan=[PlanLine("Vækker Anna", "Far", D(2025, 12, 1))])
    assert c.follow_up_due_on == D(2026, 2, 28)  # 30 November + 3 months, clamped

    other = prepare(refer(world, alice), alice)
    hold(other, alice, follow_up_due_on=D(2025, 12, 1))
    other.refresh_from_db()
    assert other.follow_up_due_on == D(2025, 12, 1)


def test_items_not_ticked_at_the_follow_up_stay_not_done(world, alice):
    c = in_phase(world, alice, P.MEETING)
    first = c.plan_items.first()
    follow_up(c, alice, done_items=[first.pk])
    assert list(c.plan_items.values_list("done_on", flat=True)) == [FOLLOWED_UP_ON, None]


# --- steps out of order -----------------------------------------------------------------------

REFERRED = "Familierådslagningen er i fasen »Henvisning og koordinator«."
PREPARATION = "Familierådslagningen er i fasen »Forberedelse«."
MEETING = "Familierådslagningen er i fasen »Rådslagning«."
FOLLOWED = "Familierådslagningen er i fasen »Opfølgningsmøde«."
CANCELLED = "Familierådslagningen er afbrudt (01.09.2025). Der kan ikke registreres mere på den."


@pytest.mark.parametrize(
    "phase, step, expected",
    [
        (
            P.REFERRED,
            "meeting",
            f"{REFERRED} Først skal forberedelsen af familie og netværk begynde, "
            "før rådslagningen kan holdes.",
        ),
        (
            P.REFERRED,
            "follow_up",
            f"{REFERRED} Først skal forberedelsen af familie og netværk begynde, "
            "før opfølgningsmødet kan holdes.",
        ),
        (
            P.PREPARATION,
            "follow_up",
            f"{PREPARATION} Først skal rådslagningen holdes, før opfølgningsmødet kan holdes.",
        ),
        (
            P.PREPARATION,
            "prepare",
            f"{PREPARATION} Forberedelsen af familie og netværk er allerede begyndt.",
        ),
        (
            P.MEETING,
            "prepare",
            f"{MEETING} Forberedelsen af familie og netværk er allerede begyndt.",
        ),
        (P.MEETING, "meeting", f"{MEETING} Rådslagningen er allerede holdt."),
        (P.FOLLOW_UP, "meeting", f"{FOLLOWED} Rådslagningen er allerede holdt."),
        (P.FOLLOW_UP, "follow_up", f"{FOLLOWED} Opfølgningsmødet er allerede holdt."),
        (
            P.FOLLOW_UP,
            "cancel",
            "Familierådslagningen er afsluttet med opfølgningsmødet og kan ikke afbrydes.",
        ),
        (P.CANCELLED, "prepare", CANCELLED),
        (P.CANCELLED, "meeting", CANCELLED),
        (P.CANCELLED, "follow_up", CANCELLED),
        (P.CANCELLED, "cancel", "Familierådslagningen er allerede afbrudt."),
        (
            P.PREPARATION,
            "item_done",
            f"{PREPARATION} Punkter i planen markeres som gjort, mens planen løber: efter "
            "rådslagningen og før opfølgningsmødet.",
        ),
    ],
)
def test_a_step_out_of_order_is_refused_with_its_message(world, alice, phase, step, expected):
    c = in_phase(world, alice, phase)
    before = (c.phase, FamilyPlanItem.objects.count())
    steps = {
        "prepare": lambda: prepare(c, alice, started_on=HELD_ON),
        "meeting": lambda: hold(c, alice, held_on=FOLLOWED_UP_ON, plan=lines()),
        "follow_up": lambda: follow_up(c, alice, held_on=D(2025, 12, 30)),
        "cancel": lambda: cancel(c, alice, cancelled_on=D(2025, 12, 30)),
        "item_done": lambda: fgc.mark_plan_item_done(
            FamilyPlanItem(conference=c, pk=0), done_on=HELD_ON, acting_user=alice
        ),
    }
    with pytest.raises(PlanError) as error:
        steps[step]()
    assert message(error.value) == expected
    c.refresh_from_db()
    assert (c.phase, FamilyPlanItem.objects.count()) == before


def test_a_stale_copy_cannot_advance_twice(world, alice):
    """Two clicks: both copies were read in PREPARATION; the second finds the phase moved on
    under the lock and is refused."""
    c = in_phase(world, alice, P.PREPARATION)
    first = FamilyGroupConference.objects.select_related("case").get(pk=c.pk)
    second = FamilyGroupConference.objects.select_related("case").get(pk=c.pk)
    hold(first, alice)
    with pytest.raises(PlanError) as error:
        hold(second, alice)
    assert message(error.value) == f"{MEETING} Rådslagningen er allerede holdt."
    assert FamilyPlanItem.objects.filter(conference=c).count() == 2


@pytest.mark.parametrize("phase", [P.REFERRED, P.PREPARATION, P.MEETING])
def test_a_conference_can_be_cancelled_in_every_open_phase(world, alice, phase):
    c = in_phase(world, alice, phase)
    cancel(c, alice)
    c.refresh_from_db()
    assert (c.phase, c.cancelled_on, c.cancelled_reason) == (
        P.CANCELLED,
        D(2025, 12, 20),
        "Familien ønsker ikke at fortsætte.",
    )


def test_cancelling_needs_a_reason_and_a_date_after_the_last_step(world, alice):
    c = in_phase(world, alice, P.MEETING)
    with pytest.raises(PlanError) as error:
        cancel(c, alice, reason="  ", cancelled_on=D(2025, 10, 1))
    assert error.value.errors == {
        "reason": ["Begrund, hvorfor forløbet afbrydes."],
    }
    with pytest.raises(PlanError) as error:
        cancel(c, alice, cancelled_on=D(2025, 10, 1))
    assert error.value.errors == {"cancelled_on": ["Afbrydelsen kan ikke ligge før 06.10.2025."]}


# --- the inputs of each step ------------------------------------------------------------------


def test_a_referral_needs_question_coordinator_and_a_past_date(world, alice):
    with pytest.raises(PlanError) as error:
        refer(world, alice, question=" ", coordinator_name="", referred_on=D(2999, 1, 1))
    assert error.value.errors == {
        "question": ["Skriv det spørgsmål, familien og netværket skal svare på."],
        "coordinator_name": ["Skriv navnet på den uafhængige koordinator."],
        "referred_on": ["Datoen skal ligge mellem 1990 og 2199."],
    }
    with pytest.raises(PlanError) as error:
        refer(world, alice, referred_on=D(2199, 1, 1))
    assert error.value.errors == {"referred_on": ["Henvisningen kan ikke ligge i fremtiden."]}
    assert not FamilyGroupConference.objects.exists()


def test_a_referral_on_a_closed_case_or_by_another_team_is_refused(world, alice):
    with pytest.raises(PlanError) as error:
        refer(world, alice, acting_user=world.personas["charlie"])
    assert message(error.value) == "Du har ikke adgang til at arbejde på denne sag."
    world.anna_case.closed_on = D(2025, 9, 2)
    with pytest.raises(PlanError) as error:
        refer(world, alice)
    assert message(error.value) == "Sagen er lukket."


def test_preparation_dates_follow_the_referral_and_invite_only_the_childs_network(world, alice):
    c = refer(world, alice)
    stranger = NetworkPersonFactory(child=world.bertram)
    removed = NetworkPersonFactory(child=world.anna, removed_on=D(2025, 8, 1))
    with pytest.raises(PlanError) as error:
        prepare(
            c,
            alice,
            started_on=D(2025, 8, 31),
            invited=[stranger, removed],
            meeting_planned_on=D(2025, 8, 30),
        )
    assert error.value.errors == {
        "invited": ["Vælg kun personer fra barnets netværkskort."],
        "started_on": ["Forberedelsen kan ikke begynde før henvisningen (01.09.2025)."],
        "meeting_planned_on": ["Rådslagningen kan ikke planlægges før forberedelsen."],
    }
    c.refresh_from_db()
    assert c.phase == P.REFERRED


def test_the_meeting_needs_private_time_an_accepted_plan_and_information(world, alice):
    c = in_phase(world, alice, P.PREPARATION)
    with pytest.raises(PlanError) as error:
        hold(c, alice, private_time_held=False, plan_accepted=False, information_given="")
    assert error.value.errors == {
        "information_given": [
            "Skriv, hvilken information fagpersonerne gav familien og netværket."
        ],
        "private_time_held": [
            "Familiens egen tid skal holdes: familien og netværket laver planen alene, uden "
            "fagpersoner. Rådslagningen kan ikke registreres uden."
        ],
        "plan_accepted": [
            "Rådgiveren skal godkende familiens plan. Kan planen ikke godkendes, arbejder "
            "familien videre med den i sin egen tid, før rådslagningen registreres."
        ],
    }
    c.refresh_from_db()
    assert c.phase == P.PREPARATION


def test_the_family_plan_needs_at_least_one_complete_line(world, alice):
    c = in_phase(world, alice, P.PREPARATION)
    with pytest.raises(PlanError) as error:
        hold(c, alice, plan=[])
    assert error.value.errors == {
        "plan": ["Familiens plan skal have mindst ét punkt: hvad, hvem og hvornår."]
    }
    stranger = NetworkPersonFactory(child=world.bertram)
    bad = [
        PlanLine("", "Far", D(2025, 11, 1)),
        PlanLine("Vækker Anna", "", None),
        PlanLine("Kører Anna", "Moster", D(2025, 10, 5)),
        PlanLine("Lektiehjælp", "", D(2025, 11, 1), stranger),
    ]
    with pytest.raises(PlanError) as error:
        hold(c, alice, plan=bad)
    assert error.value.errors == {
        "plan": [
            "Punkt 1: Skriv, hvad der skal ske.",
            "Punkt 2: Skriv, hvem der gør det.",
            "Punkt 2: Skriv, hvornår det skal ske.",
            "Punkt 3: Datoen kan ikke ligge før rådslagningen.",
            "Punkt 4: Vælg kun personer fra barnets netværkskort.",
        ]
    }
    assert not FamilyPlanItem.objects.exists()


REFUSED_MORFAR = (
    "Der er ikke samtykke til at inddrage Morfar Erik: samtykket er nægtet. "
    "Ret samtykket på netværkskortet først."
)


@pytest.fixture
def morfar(world):
    return NetworkPersonFactory(
        child=world.anna, name="Morfar Erik", relation="Morfar", consent=NetworkConsent.REFUSED
    )


def test_a_person_whose_consent_is_refused_is_not_invited(world, alice, mormor, morfar):
    c = refer(world, alice)
    with pytest.raises(PlanError) as error:
        prepare(c, alice, invited=[mormor, morfar])
    assert error.value.errors == {"invited": [REFUSED_MORFAR]}
    c.refresh_from_db()
    assert (c.phase, c.invited.count()) == (P.REFERRED, 0)
    # A person not yet asked may be invited: asking is part of the preparation.
    nabo = NetworkPersonFactory(child=world.anna, consent=NetworkConsent.NOT_ASKED)
    prepare(c, alice, invited=[mormor, nabo])
    assert set(c.invited.all()) == {mormor, nabo}


def test_a_plan_line_cannot_name_a_person_whose_consent_is_refused(world, alice, morfar):
    c = in_phase(world, alice, P.PREPARATION)
    plan = [
        PlanLine("Vækker Anna", "Far", D(2025, 11, 1)),
        PlanLine("Kører Anna til fodbold", "", D(2025, 11, 1), morfar),
    ]
    with pytest.raises(PlanError) as error:
        hold(c, alice, plan=plan)
    assert error.value.errors == {"plan": [f"Punkt 2: {REFUSED_MORFAR}"]}
    c.refresh_from_db()
    assert c.phase == P.PREPARATION and not FamilyPlanItem.objects.exists()
    nabo = NetworkPersonFactory(child=world.anna, name="Nabo Jens", consent="not_asked")
    hold(c, alice, plan=[PlanLine("Kører Anna til fodbold", "", D(2025, 11, 1), nabo)])
    assert list(c.plan_items.values_list("who", "person")) == [("Nabo Jens", nabo.pk)]


def test_the_page_answers_a_refused_invitation_on_the_form(world, alice, morfar, client_alice):
    c = refer(world, alice)
    page = client_alice.get(_url(c)).content.decode()
    assert "Morfar Erik (Morfar) – samtykke nægtet" in page
    r = client_alice.post(
        _url(c), {"step": "forberedelse", "started_on": "08-09-2025", "invited": [morfar.pk]}
    )
    assert r.status_code == 200 and REFUSED_MORFAR in r.content.decode()
    c.refresh_from_db()
    assert c.phase == P.REFERRED


def test_meeting_and_follow_up_dates_must_follow_each_other(world, alice):
    c = in_phase(world, alice, P.PREPARATION)
    with pytest.raises(PlanError) as error:
        hold(c, alice, held_on=D(2025, 9, 7))
    assert error.value.errors == {
        "held_on": ["Rådslagningen kan ikke holdes før forberedelsen begyndte (08.09.2025)."]
    }
    with pytest.raises(PlanError) as error:
        hold(c, alice, follow_up_due_on=HELD_ON)
    assert error.value.errors == {
        "follow_up_due_on": ["Opfølgningsmødet skal ligge efter rådslagningen."]
    }
    hold(c, alice)
    with pytest.raises(PlanError) as error:
        follow_up(c, alice, held_on=D(2025, 10, 5))
    assert error.value.errors == {
        "held_on": ["Opfølgningsmødet kan ikke ligge før rådslagningen (06.10.2025)."]
    }
    with pytest.raises(PlanError) as error:
        follow_up(c, alice, held_on=D(2199, 1, 1), note="")
    assert error.value.errors == {
        "held_on": ["Opfølgningsmødet kan ikke være holdt i fremtiden."],
        "note": ["Skriv, hvordan det er gået med planen."],
    }


def test_the_follow_up_marks_only_this_plans_items(world, alice):
    c = in_phase(world, alice, P.MEETING)
    other = in_phase(world, alice, P.MEETING)
    with pytest.raises(PlanError) as error:
        follow_up(c, alice, done_items=[other.plan_items.first().pk])
    assert error.value.errors == {"done_items": ["Vælg kun punkter fra familiens plan."]}
    c.refresh_from_db()
    assert c.phase == P.MEETING


def test_a_plan_item_is_marked_done_once_and_not_before_the_meeting(world, alice):
    c = in_phase(world, alice, P.MEETING)
    item = c.plan_items.select_related("conference__case").first()
    with pytest.raises(PlanError) as error:
        fgc.mark_plan_item_done(item, done_on=D(2025, 10, 5), acting_user=alice)
    assert error.value.errors == {"done_on": ["Punktet kan ikke være gjort før rådslagningen."]}
    fgc.mark_plan_item_done(item, done_on=D(2025, 10, 7), acting_user=alice)
    with pytest.raises(PlanError) as error:
        fgc.mark_plan_item_done(item, done_on=D(2025, 10, 8), acting_user=alice)
    assert message(error.value) == "Punktet er allerede markeret som gjort."
    item.refresh_from_db()
    assert item.done_on == D(2025, 10, 7)


# --- reminders --------------------------------------------------------------------------------


def _alerts():
    return sorted(
        CaseAlert.objects.values_list(
            "kind", "subject_id", "level", "recipient__username", "due_on"
        )
    )


def test_the_follow_up_meeting_is_reminded_a_week_before_and_escalated_after(world, alice):
    c = in_phase(world, alice, P.MEETING)
    for item in c.plan_items.all():  # only the follow-up meeting here
        item.done_on = HELD_ON
        item.save()
    leader = world.personas["team_leader"].username
    assert raise_network_reminders(D(2025, 12, 29)).reminders == 0  # 8 days before 6 January

    summary = raise_network_reminders(D(2025, 12, 30))  # 7 days before
    assert (summary.reminders, summary.escalations) == (1, 0)
    assert _alerts() == [(CaseAlertKind.CONFERENCE, c.pk, CaseAlertLevel.REMINDER, "alice", DUE_ON)]

    assert raise_network_reminders(DUE_ON).raised.total() == 0  # on the day: nothing new
    summary = raise_network_reminders(D(2026, 1, 7))
    assert (summary.reminders, summary.escalations) == (0, 1)
    assert raise_network_reminders(D(2026, 1, 7)).raised.total() == 0  # twice: nothing new
    assert _alerts() == [
        (CaseAlertKind.CONFERENCE, c.pk, CaseAlertLevel.ESCALATION, leader, DUE_ON),
        (CaseAlertKind.CONFERENCE, c.pk, CaseAlertLevel.REMINDER, "alice", DUE_ON),
    ]


def test_plan_items_past_their_date_are_reminded_with_their_own_subject(world, alice):
    c = in_phase(world, alice, P.MEETING)
    first, second = c.plan_items.all()  # 14 October and 1 November 2025
    summary = raise_network_reminders(D(2025, 10, 15))
    assert (summary.reminders, summary.escalations) == (0, 1)  # first: 1 day over
    subject = plan_item_subject(c.pk, first.pk)
    assert subject == c.pk * PLAN_ITEM_BASE + first.pk
    assert conference_of_subject(subject) == c.pk == conference_of_subject(c.pk)
    leader = world.personas["team_leader"].username
    assert _alerts() == [
        (CaseAlertKind.CONFERENCE, subject, CaseAlertLevel.ESCALATION, leader, D(2025, 10, 14))
    ]
    summary = raise_network_reminders(D(2025, 10, 25))  # second: 7 days before
    assert (summary.reminders, summary.escalations) == (1, 0)
    second_subject = plan_item_subject(c.pk, second.pk)
    assert CaseAlert.objects.filter(subject_id=second_subject, recipient=alice).count() == 1

    fgc.mark_plan_item_done(second, done_on=D(2025, 10, 30), acting_user=alice)
    assert raise_network_reminders(D(2025, 11, 2)).raised.total() == 0  # done: no escalation


@pytest.mark.parametrize("phase", [P.REFERRED, P.PREPARATION, P.FOLLOW_UP, P.CANCELLED])
def test_no_reminders_outside_the_running_plan(world, alice, phase):
    in_phase(world, alice, phase)
    assert raise_network_reminders(D(2026, 6, 1)).raised.total() == 0


def test_no_reminders_on_a_closed_case_or_for_another_municipality(world, alice):
    c = in_phase(world, alice, P.MEETING)
    assert (
        raise_network_reminders(D(2026, 6, 1), municipality=world.other_municipality).raised.total()
        == 0
    )
    c.case.closed_on = D(2025, 12, 1)
    c.case.save()
    assert raise_network_reminders(D(2026, 6, 1)).raised.total() == 0


def test_a_case_without_a_caseworker_reminds_the_team_leaders(world, alice):
    c = in_phase(world, alice, P.MEETING)
    unassigned = CaseFactory(child=world.anna_sibling, team=world.team_a, caseworker=None)
    FamilyGroupConference.objects.filter(pk=c.pk).update(case=unassigned)
    raise_network_reminders(D(2025, 10, 10))  # first item: 4 days before
    recipients = set(CaseAlert.objects.values_list("recipient__username", flat=True))
    assert recipients == {world.personas["team_leader"].username}


def test_the_start_page_links_to_the_conference_and_hides_dealt_with_alerts(world, alice):
    c = in_phase(world, alice, P.MEETING)
    raise_network_reminders(D(2026, 1, 7))  # both items and the follow-up meeting overdue
    leader = world.personas["team_leader"]
    rows = case_alert_rows(leader, _noon(D(2026, 1, 7)))
    url = reverse("voice:conference", kwargs={"case_id": c.case_id, "conference_id": c.pk})
    assert [(r.url, r.note) for r in rows] == [
        (url, "Et punkt i familiens plan er ikke markeret som gjort"),
        (url, "Et punkt i familiens plan er ikke markeret som gjort"),
        (url, ""),
    ]
    first = c.plan_items.select_related("conference__case").first()
    fgc.mark_plan_item_done(first, done_on=D(2025, 10, 14), acting_user=alice)
    assert unseen_case_alerts(leader).count() == 2
    follow_up(c, alice)
    assert unseen_case_alerts(leader).count() == 0


def _noon(day):
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)


def test_the_worker_task_and_the_command_raise_the_network_reminders(world, alice):
    in_phase(world, alice, P.MEETING)  # both plan items are long overdue by now
    result = check_deadlines_task.call()
    assert result["case_escalations"] >= 2
    kinds = set(CaseAlert.objects.values_list("kind", "level"))
    assert (CaseAlertKind.CONFERENCE, CaseAlertLevel.ESCALATION) in kinds
    count = CaseAlert.objects.count()
    call_command("deadlines", stdout=io.StringIO())
    assert CaseAlert.objects.count() == count  # idempotent across both entry points


# --- the pages --------------------------------------------------------------------------------


@pytest.fixture
def client_alice(world, client):
    client.force_login(world.personas["alice"])
    return client


def _url(c) -> str:
    return reverse("voice:conference", kwargs={"case_id": c.case_id, "conference_id": c.pk})


def test_a_family_is_referred_from_the_page(world, client_alice):
    url = reverse("voice:conference_new", kwargs={"case_id": world.anna_case.pk})
    assert "Henvis til familierådslagning" in client_alice.get(url).content.decode()
    response = client_alice.post(
        url,
        {
            "question": "Hvordan kommer Anna i skole?",
            "coordinator_name": "Karen Koordinator",
            "referred_on": "01-09-2025",
        },
    )
    c = FamilyGroupConference.objects.get()
    assert response.status_code == 302 and response.url == _url(c)
    assert (c.phase, c.referred_on, c.coordinator_name) == (
        P.REFERRED,
        REFERRED_ON,
        "Karen Koordinator",
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"question": "x" * 6000, "coordinator_name": "y" * 300, "referred_on": "32-13-2025"},
        {"question": ["a", "b"], "referred_on": "99999-01-01"},
    ],
)
def test_garbage_referrals_answer_the_form_with_errors(world, client_alice, data):
    url = reverse("voice:conference_new", kwargs={"case_id": world.anna_case.pk})
    response = client_alice.post(url, data)
    assert response.status_code == 200
    assert "form-error-message" in response.content.decode()
    assert not FamilyGroupConference.objects.exists()


def test_the_page_shows_the_stepper_and_only_the_next_steps_form(world, alice, client_alice):
    c = in_phase(world, alice, P.PREPARATION)
    page = client_alice.get(_url(c)).content.decode()
    assert "Fase: <strong>Forberedelse</strong>" in page
    steps = page.split('<ol class="trappen-stepper">')[1].split("</ol>")[0]
    names = [
        "Henvisning og koordinator",
        "Forberedelse",
        "<strong>Rådslagning</strong>",
        "Opfølgningsmøde",
    ]
    positions = [steps.index(name) for name in names]
    assert positions == sorted(positions)
    assert ";" not in steps
    assert page.count('aria-current="step"') == 1
    assert "(gennemført: 1. september 2025)" in page
    assert "(gennemført: 8. september 2025)" in page
    assert "Næste skridt: rådslagningen" in page
    assert 'value="forberedelse"' not in page and 'value="opfoelgning"' not in page
    assert 'value="afbryd"' in page


def test_each_step_is_taken_from_the_page(world, alice, mormor, client_alice):
    c = refer(world, alice)
    url = _url(c)
    r = client_alice.post(
        url, {"step": "forberedelse", "started_on": "08-09-2025", "invited": [mormor.pk]}
    )
    assert r.status_code == 302
    r = client_alice.post(
        url,
        {
            "step": "raadslagning",
            "held_on": "06-10-2025",
            "information_given": "Skolen fortalte om fraværet.",
            "private_time_held": "on",
            "plan_accepted": "on",
            "plan_0_what": "Henter Anna om tirsdagen",
            "plan_0_person": mormor.pk,
            "plan_0_by_when": "14-10-2025",
            "plan_1_what": "Vækker Anna",
            "plan_1_who": "Far",
            "plan_1_by_when": "01-11-2025",
        },
        follow=True,
    )
    assert "Opfølgningsmødet holdes senest 06.01.2026." in r.content.decode()
    page = r.content.decode()
    assert "Henter Anna om tirsdagen" in page and "Mormor Inger" in page
    item = c.plan_items.first()
    r = client_alice.post(url, {"step": "punkt", "item": item.pk, "done_on": "14-10-2025"})
    assert r.status_code == 302
    r = client_alice.post(
        url, {"step": "opfoelgning", "held_on": "15-12-2025", "note": "Det går godt."}
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.phase == P.FOLLOW_UP
    page = client_alice.get(url).content.decode()
    assert 'aria-current="step"' not in page and 'name="step"' not in page


def test_the_meeting_without_private_time_answers_the_form(world, alice, client_alice):
    c = in_phase(world, alice, P.PREPARATION)
    r = client_alice.post(
        _url(c),
        {
            "step": "raadslagning",
            "held_on": "06-10-2025",
            "information_given": "Info",
            "plan_accepted": "on",
            "plan_0_what": "Vækker Anna",
            "plan_0_who": "Far",
            "plan_0_by_when": "01-11-2025",
            "plan_1_what": "Kører Anna",
        },
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert "Skriv, hvornår det skal ske." in page  # the form: row 2 has no date
    assert "Familiens egen tid skal holdes" not in page
    data = {"held_on": "06-10-2025", "information_given": "Info", "plan_accepted": "on"}
    data |= {"plan_0_what": "Vækker Anna", "plan_0_who": "Far", "plan_0_by_when": "01-11-2025"}
    r = client_alice.post(_url(c), {"step": "raadslagning", **data})
    assert r.status_code == 200
    assert "Familiens egen tid skal holdes" in r.content.decode()  # the service
    c.refresh_from_db()
    assert c.phase == P.PREPARATION


@pytest.mark.parametrize(
    "data, expected",
    [
        (
            {"step": "opfoelgning", "held_on": "15-12-2025", "note": "x"},
            "Først skal forberedelsen af familie og netværk begynde, før opfølgningsmødet kan "
            "holdes.",
        ),
        ({"step": "punkt", "item": "1", "done_on": "x"}, "Punkter i planen markeres som gjort"),
        ({"step": "hack"}, "Vælg et gyldigt trin i familierådslagningen."),
        ({}, "Vælg et gyldigt trin i familierådslagningen."),
    ],
)
def test_a_step_the_page_does_not_offer_is_refused_on_the_page(
    world, alice, client_alice, data, expected
):
    c = refer(world, alice)
    r = client_alice.post(_url(c), data)
    assert r.status_code == 200
    assert expected in r.content.decode()
    c.refresh_from_db()
    assert c.phase == P.REFERRED


@pytest.mark.parametrize(
    "data",
    [
        {"step": "forberedelse", "started_on": "x", "invited": ["9" * 30]},
        {"step": "forberedelse", "started_on": "08-09-2025", "invited": "-1"},
        {"step": "afbryd", "cancelled_on": "", "reason": ""},
        {"step": ["forberedelse", "afbryd"]},
    ],
)
def test_garbage_steps_answer_200_with_errors(world, alice, client_alice, data):
    c = refer(world, alice)
    r = client_alice.post(_url(c), data)
    assert r.status_code == 200
    assert "Fejl:" in r.content.decode() or "alert-error" in r.content.decode()
    c.refresh_from_db()
    assert c.phase == P.REFERRED


def test_a_conference_of_another_case_is_not_found(world, alice, client_alice):
    other = FamilyGroupConference.objects.create(
        case=CaseFactory(child=world.anna_sibling, team=world.team_b),
        question="?",
        referred_on=REFERRED_ON,
        coordinator_name="K",
    )
    url = reverse(
        "voice:conference", kwargs={"case_id": world.anna_case.pk, "conference_id": other.pk}
    )
    assert client_alice.get(url).status_code == 404


def test_the_page_logs_the_network_persons_it_shows(world, alice, mormor, client_alice):
    """Invited persons, persons named on a plan line and the persons offered in the next step's
    form are logged with the case, the conference and the plan, in one audit write."""
    nabo = NetworkPersonFactory(child=world.anna, name="Nabo Jens", relation="Nabo")
    moster = NetworkPersonFactory(child=world.anna, name="Moster Lis", relation="Moster")
    NetworkPersonFactory(child=world.bertram, name="Bertrams onkel")

    def shown(c):
        before = AuditEvent.objects.count()
        page = client_alice.get(_url(c)).content.decode()
        events = list(AuditEvent.objects.order_by("seq")[before:])
        assert len({e.at for e in events}) == 1  # one write: one moment
        assert {(e.action, e.purpose, e.child_id) for e in events} == {
            ("view", "Familierådslagning", world.anna.pk)
        }
        persons = {e.object_id for e in events if e.object_type == "people.networkperson"}
        return page, persons, {(e.object_type, e.object_id) for e in events}

    c = refer(world, alice)
    page, persons, _ = shown(c)  # the preparation's form offers the whole map
    assert "Nabo Jens (Nabo)" in page and "Bertrams onkel" not in page
    assert persons == {str(mormor.pk), str(nabo.pk), str(moster.pk)}

    prepare(c, alice, invited=[nabo])
    hold(c, alice, plan=lines(mormor))
    page, persons, rows = shown(c)  # the plan runs: no form offers the map
    assert "Nabo Jens (Nabo)" in page and "Moster Lis" not in page
    assert persons == {str(nabo.pk), str(mormor.pk)}  # invited; named on a plan line
    items = {("voice.familyplanitem", str(i.pk)) for i in c.plan_items.all()}
    assert items | {("cases.case", str(world.anna_case.pk))} <= rows


@pytest.mark.parametrize("phase", [P.PREPARATION, P.MEETING, P.FOLLOW_UP])
def test_the_conference_page_pins_its_queries(
    world, alice, client_alice, django_assert_max_num_queries, phase
):
    c = in_phase(world, alice, phase)
    for _ in range(4):
        NetworkPersonFactory(child=world.anna)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client_alice.get(_url(c)).status_code == 200


def test_the_new_conference_page_pins_its_queries(
    world, client_alice, django_assert_max_num_queries
):
    url = reverse("voice:conference_new", kwargs={"case_id": world.anna_case.pk})
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client_alice.get(url).status_code == 200


def test_a_step_on_a_closed_case_is_refused_on_the_page(world, alice, client_alice):
    c = refer(world, alice)
    world.anna_case.closed_on = D(2025, 9, 2)
    world.anna_case.save()
    r = client_alice.post(_url(c), {"step": "afbryd", "cancelled_on": "02-09-2025", "reason": "x"})
    assert r.status_code == 200 and "Sagen er lukket." in r.content.decode()
    c.refresh_from_db()
    assert c.phase == P.REFERRED
