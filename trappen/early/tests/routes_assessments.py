"""A child's wellbeing assessments in the access matrix (trappen/core/tests/test_access_matrix.py).

Only the professional of Anna's school (Nordskolen) reaches the pages: the history, the new
assessment form, one assessment and its sharing form (an empty POST answers the page again with
the Danish errors, 200). The professional of Sydskolen, the outreach worker (who sees Anna
through an ended early help, but is not a professional of the school), the school's leader
(aggregates only), the caseworkers, providers, parents and everyone else get 404.
"""

from trappen.core.tests.factories import WellbeingAssessmentFactory
from trappen.core.tests.matrix import Route

PROFESSIONAL = frozenset({"professional"})
CHILD = {"child_id": "anna"}
ASSESSMENT = {**CHILD, "assessment_id": "anna_assessment"}

ROUTES = {
    "early:child_assessments": Route(PROFESSIONAL, kwargs=CHILD),
    "early:assessment_new": Route(PROFESSIONAL, kwargs=CHILD),
    "early:assessment_detail": Route(PROFESSIONAL, kwargs=ASSESSMENT),
    "early:assessment_share": Route(PROFESSIONAL, method="post", kwargs=ASSESSMENT),
}


def objects(world) -> dict:
    assessment = WellbeingAssessmentFactory(
        child=world.anna, unit=world.school_a, level=3, areas=["school"]
    )
    return {"anna": world.anna.pk, "anna_assessment": assessment.pk}
