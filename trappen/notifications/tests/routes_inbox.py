"""The inbox routes in the access matrix (trappen/core/tests/test_access_matrix.py).

Caseworkers and team leaders reach the inbox and may post an assignment (an empty one is
answered with a message and a redirect); only the caseworkers of team A may claim team A's
notification about Anna; charlie (team B) and the outsider get 404, everyone else 403.
"""

from trappen.core.tests.factories import NotificationFactory
from trappen.core.tests.matrix import CASEWORKERS, Route

TRIAGE = CASEWORKERS | {"team_leader"}

ROUTES = {
    "notifications:inbox": Route(TRIAGE),
    "notifications:assign": Route(TRIAGE, method="post", status=302),
    "notifications:claim": Route(
        frozenset({"alice", "bob"}),
        method="post",
        status=302,
        kwargs={"notification_id": "triage_notification"},
    ),
}


def objects(world) -> dict:
    notification = NotificationFactory(
        child=world.anna, municipality=world.municipality, team=world.team_a
    )
    return {"triage_notification": notification.pk}
