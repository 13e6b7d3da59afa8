"""The notification detail routes for the access matrix: team A's caseworkers and leader only.

The notification is about Anna, from her school, for team A and assigned to alice. Everyone
else gets 404: another team's caseworker, the professional who notified (they have their own
view of their submissions), the parents, providers, analysts and other municipalities.
"""

from trappen.core.tests.matrix import CASE_A, Route
from trappen.notifications.tests.decision_factories import professional_notification

KWARGS = {"notification_id": "detail_notification"}

ROUTES = {
    "notifications:detail": Route(CASE_A, kwargs=KWARGS),
    # an empty form: the page again with Danish errors, nothing saved
    "notifications:assess": Route(CASE_A, method="post", kwargs=KWARGS),
    "notifications:decide": Route(CASE_A, method="post", kwargs=KWARGS),
    # not decided yet: refused with a message, back to the page
    "notifications:feedback": Route(CASE_A, method="post", status=302, kwargs=KWARGS),
}


def objects(world) -> dict:
    return {"detail_notification": professional_notification(world).pk}
