"""Conversations with the child in the access matrix (trappen/core/tests/test_access_matrix.py).

Only the case's own team (alice, bob and their team leader) reach them. Charlie (team B, no
break-the-glass), the providers, the parents and everyone else get 404 or 403 and never see Anna.
"""

from trappen.core.tests.matrix import CASE_A, Route
from trappen.voice.tests.factories import ChildConversationFactory

CASE = {"case_id": "anna_case"}

ROUTES = {
    "voice:conversations": Route(CASE_A, kwargs=CASE),
    "voice:conversation_new": Route(CASE_A, kwargs=CASE),
    "voice:conversation": Route(CASE_A, kwargs={**CASE, "conversation_id": "anna_conversation"}),
}


def objects(world) -> dict:
    return {
        "anna_case": world.anna_case.pk,
        "anna_conversation": ChildConversationFactory(case=world.anna_case).pk,
    }
