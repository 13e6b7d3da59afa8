"""The intake routes in the access matrix (trappen/core/tests/test_access_matrix.py).

The professionals reach the form and their own list; only the professional who notified opens
their notification (everyone else gets 404); the public form and its receipt page need no login.
"""

from trappen.core.tests.factories import NotificationFactory
from trappen.core.tests.matrix import ALL, Route
from trappen.notifications.models import Channel
from trappen.notifications.views.intake import receipt_token

PROFESSIONALS = frozenset({"professional", "professional_other_school"})

ROUTES = {
    "notifications:new": Route(PROFESSIONALS),
    "notifications:submitted": Route(PROFESSIONALS),
    "notifications:submitted_detail": Route(
        frozenset({"professional"}), kwargs={"notification_id": "own_notification"}
    ),
    "notifications:public_new": Route(ALL, anonymous=200),
    "notifications:public_received": Route(
        ALL, anonymous=200, kwargs={"token": "public_receipt_token"}
    ),
}


def objects(world) -> dict:
    own = NotificationFactory(
        child=world.anna,
        municipality=world.municipality,
        reporter_user=world.personas["professional"],
        reporter_unit=world.school_a,
    )
    public = NotificationFactory(
        child=None,
        municipality=world.municipality,
        channel=Channel.PUBLIC_FORM,
        reporter_kind="anonymous",
        is_anonymous=True,
    )
    return {"own_notification": own.pk, "public_receipt_token": receipt_token(public)}
