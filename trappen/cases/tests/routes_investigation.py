"""The investigation routes in the access matrix (trappen/core/tests/test_access_matrix.py).

Only the caseworkers and the team leader of team A (Anna's case) reach the investigation pages
and the sibling assessment; charlie (team B), providers, parents and everyone else get 404.
An empty POST is answered with the form and its errors (200) or, for the child conversation
(empty means "none"), with a redirect. Only the recipient may mark a case alert seen.
"""

import datetime

from django.utils import timezone

from trappen.cases.models import CaseAlert, CaseAlertKind, CaseAlertLevel, SiblingAssessment
from trappen.core.tests.factories import InterventionFactory, InvestigationFactory
from trappen.core.tests.matrix import CASE_A, Route

CASE = {"case_id": "anna_case"}
INVESTIGATION = {"case_id": "anna_case", "investigation_id": "anna_investigation"}

ROUTES = {
    "cases:investigation_new": Route(CASE_A, kwargs=CASE),
    "cases:investigation_detail": Route(CASE_A, kwargs=INVESTIGATION),
    "cases:investigation_area": Route(CASE_A, method="post", kwargs=INVESTIGATION),
    "cases:investigation_conversation": Route(
        CASE_A, method="post", status=302, kwargs=INVESTIGATION
    ),
    "cases:investigation_preliminary": Route(CASE_A, method="post", kwargs=INVESTIGATION),
    "cases:investigation_complete": Route(CASE_A, method="post", kwargs=INVESTIGATION),
    "cases:sibling_assessment": Route(
        CASE_A, kwargs={"case_id": "anna_case", "assessment_id": "sibling_assessment"}
    ),
    "cases:case_alert_seen": Route(
        frozenset({"alice"}), method="post", status=302, kwargs={"alert_id": "alice_case_alert"}
    ),
}


def objects(world) -> dict:
    investigation = InvestigationFactory(case=world.anna_case)
    placement = InterventionFactory(
        case=world.anna_case,
        title="Anbringelse i plejefamilie",
        step=4,
        start_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    assessment = SiblingAssessment.objects.create(
        placed_case=world.anna_case,
        placement=placement,
        sibling=world.anna_sibling,
        flagged_on=timezone.localdate(),
    )
    alert = CaseAlert.objects.create(
        case=world.anna_case,
        kind=CaseAlertKind.INVESTIGATION,
        subject_id=investigation.pk,
        level=CaseAlertLevel.REMINDER,
        recipient=world.personas["alice"],
        due_on=investigation.due_on,
        created_at=timezone.now(),
    )
    return {
        "anna_case": world.anna_case.pk,
        "anna_investigation": investigation.pk,
        "sibling_assessment": assessment.pk,
        "alice_case_alert": alert.pk,
    }
