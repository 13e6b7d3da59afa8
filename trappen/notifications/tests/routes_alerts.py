"""The deadline alerts' routes for the access matrix: only the recipient may mark one seen."""

from django.utils import timezone

from trappen.core.tests.factories import NotificationFactory
from trappen.core.tests.matrix import Route
from trappen.notifications.models import AlertLevel, DeadlineAlert, DeadlineKind

ROUTES = {
    "notifications:alert_seen": Route(
        frozenset({"alice"}), method="post", status=302, kwargs={"alert_id": "alice_alert"}
    ),
}


def objects(world) -> dict:
    now = timezone.now()
    notification = NotificationFactory(
        child=world.anna, team=world.team_a, assigned_to=world.personas["alice"]
    )
    alert = DeadlineAlert.objects.create(
        notification=notification,
        deadline=DeadlineKind.ASSESSMENT,
        level=AlertLevel.REMINDER,
        recipient=world.personas["alice"],
        due_at=notification.assessment_due_at,
        created_at=now,
    )
    return {"alice_alert": alert.pk}
