"""The deadlines stored on the case (cases/next_deadline.py) stay right after every service
that changes one, and after bulk inserts with `refresh`; the caseload reads them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from trappen.cases import next_deadline
from trappen.cases.caseload import CaseloadFilters, caseload
from trappen.cases.follow_ups import record_follow_up
from trappen.cases.interventions import end_intervention, grant_intervention
from trappen.cases.investigations import complete_investigation, record_area, start_investigation
from trappen.cases.models import Case, ChildPlan, FollowUp, FollowUpDecision, PlanKind
from trappen.cases.plans import add_goal, complete_plan, create_plan
from trappen.cases.tests.factories import ChildPlanFactory
from trappen.cases.tests.factories_plan import OfferFactory, support_terms, team_a_case
from trappen.core import calendar
from trappen.core.tests.factories import FollowUpFactory, InterventionFactory
from trappen.voice.tests.factories import heard

pytestmark = pytest.mark.django_db
D = datetime.date
FIELDS = ("investigation_due_on", "follow_up_due_on", "plan_due_on", "next_due_on")


def stored(case: Case) -> tuple:
    return tuple(Case.objects.filter(pk=case.pk).values_list(*FIELDS).get())


def test_an_investigation_sets_its_deadline_and_completing_it_clears_it(world):
    case = team_a_case(world)
    alice = world.personas["alice"]
    assert stored(case) == (None, None, None, None)
    investigation = start_investigation(case, aware_on=D(2026, 3, 2), acting_user=alice)
    due = calendar.investigation_due(D(2026, 3, 2))
    assert investigation.due_on == due
    assert stored(case) == (due, None, None, due)
    record_area(investigation, "safe_care", "", "Uregelmæssig omsorg", alice)
    complete_investigation(investigation, "Behov for støtte", "Familiebehandling", 2, alice)
    assert stored(case) == (None, None, None, None)


def test_a_plan_sets_its_deadline_until_it_is_made_and_none_when_not_needed(world):
    case = team_a_case(world)
    alice = world.personas["alice"]
    create_plan(
        case,
        kind=PlanKind.SUPPORT,
        decided_on=D(2026, 1, 5),
        acting_user=alice,
        is_needed=False,
        not_needed_reason="Indsatsen er kort og enkel.",
    )
    assert stored(case) == (None, None, None, None)  # a plan judged not needed has no deadline
    plan = create_plan(case, kind=PlanKind.PLACEMENT, decided_on=D(2026, 2, 2), acting_user=alice)
    due = calendar.child_plan_due(D(2026, 2, 2))
    assert stored(case) == (None, None, due, due)
    add_goal(
        plan, text="Anna i skole", set_by="caseworker", baseline=2, target=8, acting_user=alice
    )
    complete_plan(plan, True, True, alice, completed_on=D(2026, 3, 1))
    assert stored(case) == (None, None, None, None)


def test_follow_ups_move_the_deadline_when_granted_held_and_ended(world):
    case = team_a_case(world)
    alice = world.personas["alice"]
    start = D(2026, 1, 5)
    item = grant_intervention(
        case,
        offer=OfferFactory(municipality=world.municipality),
        start_on=start,
        acting_user=alice,
        child_heard=heard(case),
        **support_terms(start),
    )
    first = item.follow_ups.get(is_first=True)
    today = timezone.localdate()
    soon, late = today + datetime.timedelta(days=30), today + datetime.timedelta(days=120)
    assert stored(case) == (None, first.due_on, None, first.due_on)
    # an earlier investigation comes first; the follow-up stays beside it
    investigation = start_investigation(case, aware_on=D(2025, 12, 1), acting_user=alice)
    assert stored(case) == (
        investigation.due_on,
        first.due_on,
        None,
        min(investigation.due_on, first.due_on),
    )
    record_follow_up(
        first,
        held_on=first.due_on,
        scores=(),
        decision=FollowUpDecision.CONTINUE,
        reason="Det går fremad.",
        acting_user=alice,
        next_dates=[soon, late],
        schedule_explained_to_child=True,
    )
    assert stored(case)[1] == soon  # the earliest follow-up not held
    # ending the intervention before the later follow-up drops that one (interventions.py)
    end_intervention(
        item,
        end_on=soon + datetime.timedelta(days=30),
        reason="Målet er nået.",
        acting_user=alice,
        child_heard=heard(case),
    )
    assert list(
        FollowUp.objects.filter(intervention=item, held_on__isnull=True).values_list(
            "due_on", flat=True
        )
    ) == [soon]
    assert stored(case)[1] == soon
    FollowUp.objects.get(intervention=item, due_on=soon).delete()
    assert stored(case) == (investigation.due_on, None, None, investigation.due_on)


def test_saves_and_deletes_of_the_rows_themselves_keep_it_too(world):
    """Factories, the admin and any future service save or delete the rows directly."""
    case = team_a_case(world)
    item = InterventionFactory(case=case)
    later = FollowUpFactory(intervention=item, due_on=D(2026, 9, 1))
    sooner = FollowUpFactory(intervention=item, due_on=D(2026, 4, 1))
    plan = ChildPlanFactory(case=case, due_on=D(2026, 5, 1))
    assert stored(case) == (None, D(2026, 4, 1), D(2026, 5, 1), D(2026, 4, 1))
    sooner.held_on = D(2026, 4, 1)
    sooner.save(update_fields=["held_on"])
    assert stored(case) == (None, D(2026, 9, 1), D(2026, 5, 1), D(2026, 5, 1))
    plan.is_needed = False
    plan.save()
    assert stored(case) == (None, D(2026, 9, 1), None, D(2026, 9, 1))
    later.delete()
    assert stored(case) == (None, None, None, None)


def test_refresh_fills_what_bulk_inserts_left_and_touches_only_the_cases_given(world):
    case, other = team_a_case(world), team_a_case(world)
    items = InterventionFactory(case=case), InterventionFactory(case=other)
    FollowUp.objects.bulk_create(  # no signals
        [
            FollowUp(intervention=items[0], due_on=D(2026, 7, 1)),
            FollowUp(intervention=items[1], due_on=D(2026, 8, 1)),
        ]
    )
    ChildPlan.objects.bulk_create(
        [
            ChildPlan(
                case=case, kind=PlanKind.SUPPORT, decided_on=D(2026, 1, 1), due_on=D(2026, 6, 30)
            )
        ]
    )
    assert stored(case) == stored(other) == (None, None, None, None)
    assert next_deadline.refresh(Case.objects.filter(pk=case.pk)) == 1
    assert stored(case) == (None, D(2026, 7, 1), D(2026, 6, 30), D(2026, 6, 30))
    assert stored(other) == (None, None, None, None)


def test_the_caseload_reads_the_stored_deadlines(world):
    """What the caseload shows is the stored value: changing the rows behind the signals' back
    shows the old value until `refresh`."""
    case = team_a_case(world)
    FollowUpFactory(intervention=InterventionFactory(case=case), due_on=D(2026, 4, 1))
    leader = world.personas["team_leader"]

    def next_due():
        rows = caseload(leader, CaseloadFilters(scope="team"))
        return next(r.next_due for r in rows if r.pk == case.pk)

    assert next_due() == D(2026, 4, 1)
    FollowUp.objects.filter(intervention__case=case).update(due_on=D(2026, 5, 1))
    assert next_due() == D(2026, 4, 1)
    next_deadline.refresh(Case.objects.filter(pk=case.pk))
    assert next_due() == D(2026, 5, 1)


def test_the_migration_fills_the_same_values_as_refresh(world):
    """cases/0005 fills existing cases with its own copy of `refresh` (historical models)."""
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    fill = import_module("trappen.cases.migrations.0005_case_next_due").fill
    case = team_a_case(world)
    item = InterventionFactory(case=case)
    FollowUp.objects.bulk_create(
        [
            FollowUp(intervention=item, due_on=D(2026, 7, 1)),
            FollowUp(intervention=item, due_on=D(2026, 3, 1), held_on=D(2026, 3, 1)),
        ]
    )
    ChildPlan.objects.bulk_create(
        [
            ChildPlan(
                case=case, kind=PlanKind.SUPPORT, decided_on=D(2026, 1, 1), due_on=D(2026, 8, 1)
            )
        ]
    )
    Case.objects.update(next_due_on=None, follow_up_due_on=None, plan_due_on=None)
    fill(apps, SimpleNamespace(connection=connection))
    filled = {c.pk: stored(c) for c in Case.objects.all()}
    assert filled[case.pk] == (None, D(2026, 7, 1), D(2026, 8, 1), D(2026, 7, 1))
    next_deadline.refresh(Case.objects.all())
    assert {c.pk: stored(c) for c in Case.objects.all()} == filled
