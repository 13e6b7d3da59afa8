"""The case deadline check: investigation, child's plan and follow-up reminders and escalations,
raised once each, to the right people; the start page shows them; worker and command run them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from trappen.cases.deadlines import check_case_deadlines
from trappen.cases.models import CaseAlert, CaseAlertKind, CaseAlertLevel
from trappen.cases.tests.factories import ChildPlanFactory
from trappen.core.calendar import COPENHAGEN
from trappen.core.models import AuditEvent, Role
from trappen.core.tests.factories import (
    CaseFactory,
    ChildFactory,
    FollowUpFactory,
    InterventionFactory,
    InvestigationFactory,
    user_with_role,
)
from trappen.notifications.tasks import check_deadlines_task

pytestmark = pytest.mark.django_db
D = datetime.date
R, E = CaseAlertLevel.REMINDER, CaseAlertLevel.ESCALATION
INV, PLAN, FU = CaseAlertKind.INVESTIGATION, CaseAlertKind.PLAN, CaseAlertKind.FOLLOW_UP


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2030, month, day, hour, tzinfo=COPENHAGEN)


@pytest.fixture
def alerts(world):
    """The alerts raised so far as (kind, subject, level, persona name)."""
    names = {user.pk: name for name, user in world.personas.items()}

    def raised() -> set[tuple]:
        rows = CaseAlert.objects.values_list("kind", "subject_id", "level", "recipient_id")
        return {(kind, subject, level, names.get(pk, pk)) for kind, subject, level, pk in rows}

    return raised


# --- the investigation (4 months, § 20, stk. 3): reminder 10 working days before ---

# Due Thursday 25 April 2030. Counting back 10 working days skips Easter (Maundy Thursday 18,
# Good Friday 19, Easter Monday 22 April) and two weekends: the reminder starts Monday 8 April.
INV_DUE = D(2030, 4, 25)


@pytest.mark.smoke
def test_the_investigation_reminds_10_working_days_before_and_escalates_once_after(world, alerts):
    inv = InvestigationFactory(case=world.anna_case, started_on=D(2029, 12, 27), due_on=INV_DUE)
    assert check_case_deadlines(now=at(4, 5)).reminders == 0  # 11 working days to go
    assert alerts() == set()

    summary = check_case_deadlines(now=at(4, 8))
    assert (summary.reminders, summary.escalations) == (1, 0)
    assert alerts() == {(INV, inv.pk, R, "alice")}

    check_case_deadlines(now=at(4, 25, 23))  # the due day itself: not breached yet
    assert alerts() == {(INV, inv.pk, R, "alice")}

    summary = check_case_deadlines(now=at(4, 26, 0))
    assert (summary.reminders, summary.escalations) == (0, 1)
    assert alerts() == {(INV, inv.pk, R, "alice"), (INV, inv.pk, E, "team_leader")}

    for day in (26, 27, 30):  # escalated once only
        assert check_case_deadlines(now=at(4, day, 15)).escalations == 0
    assert CaseAlert.objects.count() == 2
    escalation = CaseAlert.objects.get(level=E)
    assert (escalation.due_on, escalation.case) == (INV_DUE, world.anna_case)


def test_an_investigation_with_a_preliminary_assessment_is_still_escalated_once(world, client):
    InvestigationFactory(
        case=world.anna_case,
        started_on=timezone.localdate() - datetime.timedelta(days=130),
        due_on=timezone.localdate() - datetime.timedelta(days=3),
        preliminary_assessment="Afventer udtalelse",
        preliminary_assessed_on=timezone.localdate() - datetime.timedelta(days=5),
    )
    assert check_case_deadlines().escalations == 1
    assert check_case_deadlines().escalations == 0
    client.force_login(world.personas["team_leader"])
    html = client.get(reverse("core:home")).content.decode()
    assert "Frist overskredet" in html and "overskredet med 3 dage" in html
    day = timezone.localdate() - datetime.timedelta(days=5)
    assert f"Foreløbig vurdering foreligger ({day:%d.%m.%Y})" in html


def test_a_completed_investigation_or_a_closed_case_raises_nothing(world):
    InvestigationFactory(case=world.anna_case, due_on=INV_DUE, completed_on=D(2030, 4, 1))
    closed = CaseFactory(
        child=ChildFactory(municipality=world.municipality),
        team=world.team_a,
        closed_on=D(2030, 1, 1),
    )
    InvestigationFactory(case=closed, due_on=INV_DUE)
    assert check_case_deadlines(now=at(5, 1)).escalations == 0
    assert not CaseAlert.objects.exists()


# --- the child's plan (3 months, § 91) ---


def test_the_plan_reminds_10_working_days_before_and_escalates_after(world, alerts):
    plan = ChildPlanFactory(case=world.anna_case, decided_on=D(2030, 1, 25), due_on=INV_DUE)
    not_needed = {"is_needed": False, "not_needed_reason": "Kort forløb"}
    ChildPlanFactory(case=world.anna_case, decided_on=D(2030, 1, 25), due_on=INV_DUE, **not_needed)
    made = {"completed_on": D(2030, 4, 1)}
    ChildPlanFactory(case=world.anna_case, decided_on=D(2030, 1, 25), due_on=INV_DUE, **made)
    check_case_deadlines(now=at(4, 5))
    assert alerts() == set()
    check_case_deadlines(now=at(4, 8))
    assert alerts() == {(PLAN, plan.pk, R, "alice")}
    check_case_deadlines(now=at(4, 29))
    assert alerts() == {(PLAN, plan.pk, R, "alice"), (PLAN, plan.pk, E, "team_leader")}


# --- follow-ups (§ 95): reminder 5 working days before ---

# Due Monday 29 April 2030: 5 working days back (26, 25, 24, 23 April, then Easter) is Wednesday
# 17 April: Maundy Thursday, Good Friday and Easter Monday do not count.
FU_DUE = D(2030, 4, 29)


def test_a_follow_up_reminds_5_working_days_before_across_easter(world, alerts):
    intervention = InterventionFactory(case=world.anna_case, start_on=D(2030, 1, 29))
    follow_up = FollowUpFactory(intervention=intervention, due_on=FU_DUE)
    check_case_deadlines(now=at(4, 16))
    assert alerts() == set()
    check_case_deadlines(now=at(4, 17))
    assert alerts() == {(FU, follow_up.pk, R, "alice")}
    check_case_deadlines(now=at(4, 30))
    assert (FU, follow_up.pk, E, "team_leader") in alerts()


def test_a_held_follow_up_or_one_after_the_intervention_ended_raises_nothing(world, alerts):
    running = InterventionFactory(case=world.anna_case, start_on=D(2030, 1, 29))
    FollowUpFactory(intervention=running, due_on=FU_DUE, held_on=D(2030, 4, 26))
    ended = InterventionFactory(case=world.anna_case, start_on=D(2030, 1, 2), end_on=D(2030, 4, 1))
    FollowUpFactory(intervention=ended, due_on=FU_DUE)
    check_case_deadlines(now=at(5, 6))
    assert alerts() == set()


# --- who is alerted ---


def test_without_a_caseworker_the_reminder_goes_to_the_team_leaders(world, alerts):
    world.anna_case.caseworker = None
    world.anna_case.save(update_fields=["caseworker"])
    inv = InvestigationFactory(case=world.anna_case, due_on=INV_DUE)
    check_case_deadlines(now=at(4, 8))
    assert alerts() == {(INV, inv.pk, R, "team_leader")}


def test_a_caseworker_who_left_counts_as_nobody(world, alerts):
    alice = world.personas["alice"]
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    inv = InvestigationFactory(case=world.anna_case, due_on=INV_DUE)
    check_case_deadlines(now=at(4, 8))
    assert alerts() == {(INV, inv.pk, R, "team_leader")}


def test_a_team_without_a_leader_escalates_to_the_municipalitys_leaders(world, alerts):
    bertram_case = world.bertram.cases.get()  # team B has no team leader
    inv = InvestigationFactory(case=bertram_case, due_on=INV_DUE)
    check_case_deadlines(now=at(4, 26))
    assert alerts() == {(INV, inv.pk, E, "team_leader")}


def test_one_municipality_only_and_each_alert_logged(world):
    team_x = world.personas["outsider"].role_assignments.get().unit
    leader_x = user_with_role(
        Role.TEAM_LEADER, team_x, username="leader_x", municipality=world.other_municipality
    )
    xena_case = world.xena.cases.get()
    InvestigationFactory(case=xena_case, due_on=INV_DUE)
    InvestigationFactory(case=world.anna_case, due_on=INV_DUE)
    check_case_deadlines(now=at(4, 26), municipality=world.other_municipality)
    assert [a.recipient for a in CaseAlert.objects.all()] == [leader_x]
    event = AuditEvent.objects.get(object_type="cases.casealert")
    assert (event.actor, event.child_id, event.municipality_id) == (
        None,
        world.xena.pk,
        world.other_municipality.pk,
    )


# --- the start page, the worker and the command ---


def test_the_caseworker_sees_the_reminder_until_marked_seen(world, client):
    today = timezone.localdate()
    inv = InvestigationFactory(case=world.anna_case, due_on=today + datetime.timedelta(days=3))
    check_case_deadlines()
    alert = CaseAlert.objects.get(recipient=world.personas["alice"])
    client.force_login(world.personas["alice"])
    html = client.get(reverse("core:home")).content.decode()
    assert "Sager: frister og markeringer" in html and "om 3 dage" in html
    assert (
        reverse(
            "cases:investigation_detail",
            kwargs={"case_id": world.anna_case.pk, "investigation_id": inv.pk},
        )
        in html
    )
    assert world.anna.full_name in html
    seen = reverse("cases:case_alert_seen", kwargs={"alert_id": alert.pk})
    client.force_login(world.personas["bob"])
    assert client.post(seen).status_code == 404
    client.force_login(world.personas["alice"])
    assert client.post(seen).status_code == 302
    assert "Sager: frister og markeringer" not in client.get(reverse("core:home")).content.decode()


def test_the_start_page_keeps_its_query_count(world, client, django_assert_max_num_queries):
    today = timezone.localdate()
    for _ in range(3):
        case = CaseFactory(
            child=ChildFactory(municipality=world.municipality),
            team=world.team_a,
            caseworker=world.personas["alice"],
        )
        InvestigationFactory(case=case, due_on=today - datetime.timedelta(days=1))
        InvestigationFactory(case=case, due_on=today + datetime.timedelta(days=2))
        ChildPlanFactory(case=case, due_on=today + datetime.timedelta(days=1))
        FollowUpFactory(intervention=InterventionFactory(case=case), due_on=today)
    check_case_deadlines()
    for persona in ("alice", "team_leader"):
        client.force_login(world.personas[persona])
        client.get(reverse("core:home"))
        with django_assert_max_num_queries(15):
            response = client.get(reverse("core:home"))
        assert "Sager: frister og markeringer" in response.content.decode()


def test_the_worker_task_and_the_command_run_the_case_check(world):
    InvestigationFactory(case=world.anna_case, due_on=timezone.localdate())
    result = check_deadlines_task.call()
    assert (result["case_reminders"], result["case_escalations"]) == (1, 0)
    InvestigationFactory(
        case=world.bertram.cases.get(), due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    out = io.StringIO()
    call_command("deadlines", stdout=out)
    assert out.getvalue().splitlines()[1] == (
        "Sager: 0 nye påmindelser og 1 ny overskredet frist "
        "(undersøgelser, barnets plan, opfølgninger)."
    )
