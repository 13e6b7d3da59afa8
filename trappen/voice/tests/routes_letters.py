"""Letters to the child in the access matrix (trappen/core/tests/test_access_matrix.py).

Only Anna's case team (alice, bob and their team leader) reach the pages; an empty POST answers
the page again with its Danish error (the letter must be read through first), 200. Charlie
(team B), the providers, the parents and everyone else get 404 or 403 and never see Anna.
"""

from trappen.cases.tests.factories import ChildPlanFactory, GoalFactory
from trappen.core.tests.matrix import CASE_A, Route
from trappen.voice.tests.factories import CaseDecisionFactory

CASE = {"case_id": "anna_case"}
PLAN = {**CASE, "plan_id": "letters_plan"}
DECISION = {**CASE, "decision_id": "letters_decision"}

ROUTES = {
    "voice:child_letters": Route(CASE_A, kwargs=CASE),
    "voice:child_letter_plan": Route(CASE_A, kwargs=PLAN),
    "voice:child_letter_plan_send": Route(CASE_A, method="post", kwargs=PLAN),
    "voice:child_letter_decision": Route(CASE_A, kwargs=DECISION),
    "voice:child_letter_decision_send": Route(CASE_A, method="post", kwargs=DECISION),
}


def objects(world) -> dict:
    plan = ChildPlanFactory(case=world.anna_case)
    GoalFactory(plan=plan, set_by="child", childs_own_words="Jeg vil have flere venner")
    return {
        "anna_case": world.anna_case.pk,
        "letters_plan": plan.pk,
        "letters_decision": CaseDecisionFactory(case=world.anna_case).pk,
    }
