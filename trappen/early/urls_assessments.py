"""Routes of early detection: a child's wellbeing assessments, a new one, one assessment's page
and its sharing form (trappen/early/views/assessments.py)."""

from django.urls import path

from trappen.early.views import assessments

ASSESSMENTS = "tidlig-opsporing/boern/<int:child_id>/vurderinger/"

urlpatterns = [
    path(ASSESSMENTS, assessments.child_assessments, name="child_assessments"),
    path(f"{ASSESSMENTS}ny/", assessments.assessment_new, name="assessment_new"),
    path(
        f"{ASSESSMENTS}<int:assessment_id>/",
        assessments.assessment_detail,
        name="assessment_detail",
    ),
    path(
        f"{ASSESSMENTS}<int:assessment_id>/deling/",
        assessments.assessment_share,
        name="assessment_share",
    ),
]
