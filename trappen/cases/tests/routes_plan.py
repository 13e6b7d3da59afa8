"""The child's plan, interventions and follow-ups in the access matrix
(trappen/core/tests/test_access_matrix.py).

Only the case's own team (alice, bob and their team leader) reach them; an empty POST answers the
form again with its Danish errors (200). Charlie (team B, no break-the-glass), the providers,
the parents and everyone else get 404 or 403 and never see Anna.
"""

from trappen.cases.tests.factories import ChildPlanFactory
from trappen.core.tests.factories import FollowUpFactory
from trappen.core.tests.matrix import CASE_A, Route

CASE = {"case_id": "anna_case"}
PLAN = {**CASE, "plan_id": "anna_plan"}
INTERVENTION = {**CASE, "intervention_id": "anna_intervention"}

ROUTES = {
    "cases:plan_new": Route(CASE_A, kwargs=CASE),
    "cases:plan": Route(CASE_A, kwargs=PLAN),
    "cases:plan_goal": Route(CASE_A, method="post", kwargs=PLAN),
    "cases:plan_complete": Route(CASE_A, method="post", kwargs=PLAN),
    "cases:intervention_new": Route(CASE_A, kwargs=CASE),
    "cases:intervention": Route(CASE_A, kwargs=INTERVENTION),
    "cases:intervention_end": Route(CASE_A, kwargs=INTERVENTION),
    "cases:follow_up": Route(CASE_A, kwargs={"follow_up_id": "anna_follow_up"}),
}


def objects(world) -> dict:
    return {
        "anna_case": world.anna_case.pk,
        "anna_plan": ChildPlanFactory(case=world.anna_case).pk,
        "anna_intervention": world.anna_intervention.pk,
        "anna_follow_up": FollowUpFactory(intervention=world.anna_intervention).pk,
    }
