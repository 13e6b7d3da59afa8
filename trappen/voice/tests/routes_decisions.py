"""The team leader's review of decisions without a conversation with the child (§ 5) in the
access matrix (trappen/core/tests/test_access_matrix.py).

Only a team leader reaches the review page; "Gennemgået" is a POST that the leader of the case's
team may make (302 back to the page); everyone else gets 404 (or 405 for a GET) and never sees
Anna.
"""

from trappen.core.tests.matrix import Route
from trappen.voice.models import NoConversationReason
from trappen.voice.tests.factories import CaseDecisionFactory

TEAM_LEADER = frozenset({"team_leader"})

ROUTES = {
    "voice:decision_review": Route(TEAM_LEADER),
    "voice:decision_reviewed": Route(
        TEAM_LEADER, method="post", status=302, kwargs={"decision_id": "anna_decision"}
    ),
}


def objects(world) -> dict:
    decision = CaseDecisionFactory(
        case=world.anna_case,
        conversation=None,
        no_conversation_reason=NoConversationReason.URGENT,
        no_conversation_note="Anna var indlagt; samtalen holdes, når hun er udskrevet.",
    )
    return {"anna_decision": decision.pk}
