"""Voice URLs (letters): letters the child can read, about a plan or a decision
(trappen/voice/views/letters.py, docs/voice-letters.md)."""

from django.urls import path

from trappen.voice.views import letters

LETTERS = "sager/<int:case_id>/brev-til-barnet/"

urlpatterns = [
    path(LETTERS, letters.child_letters_page, name="child_letters"),
    path(f"{LETTERS}plan/<int:plan_id>/", letters.plan_letter, name="child_letter_plan"),
    path(
        f"{LETTERS}plan/<int:plan_id>/send/",
        letters.plan_letter_send,
        name="child_letter_plan_send",
    ),
    path(
        f"{LETTERS}afgoerelse/<int:decision_id>/",
        letters.decision_letter,
        name="child_letter_decision",
    ),
    path(
        f"{LETTERS}afgoerelse/<int:decision_id>/send/",
        letters.decision_letter_send,
        name="child_letter_decision_send",
    ),
]
