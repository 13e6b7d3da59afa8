"""Voice URLs (decisions): Decisions and the child's views (§ 5); the team leader's review of
the decisions made without a conversation (trappen/voice/views/decisions.py)."""

from django.urls import path

from trappen.voice.views import decisions

REVIEW = "afgoerelser-uden-boernesamtale/"

urlpatterns = [
    path(REVIEW, decisions.decision_review, name="decision_review"),
    path(
        f"{REVIEW}<int:decision_id>/gennemgaaet/",
        decisions.decision_reviewed,
        name="decision_reviewed",
    ),
]
