"""The API's routes in the access matrix.

Only a bearer token opens the API: every persona, logged in with a session, gets 401 like an
anonymous caller. The token holders are tested in test_notifications_api.py and test_api_auth.py.
"""

from trappen.api.tests.factories import api_client, submitted_notification
from trappen.core.tests.matrix import ALL, Route

TOKEN_ONLY = Route(frozenset(), anonymous=401, denied=frozenset({401}))
NOWHERE = Route(frozenset(), anonymous=404, denied=frozenset({404}))

ROUTES = {
    "api:openapi-json": Route(ALL, anonymous=200),
    "api:api-root": NOWHERE,
    "api:not_found": Route(
        frozenset(), anonymous=404, denied=frozenset({404}), kwargs={"path": "api_unknown_path"}
    ),
    "api:notification_create": Route(
        frozenset(), method="post", anonymous=401, denied=frozenset({401})
    ),
    "api:notification_detail": Route(
        frozenset(),
        anonymous=401,
        denied=frozenset({401}),
        kwargs={"notification_id": "api_notification"},
    ),
}


def objects(world) -> dict:
    client, _token = api_client(world.municipality)
    notification = submitted_notification(client, child=world.anna)
    return {"api_notification": notification.pk, "api_unknown_path": "findes/ikke"}
