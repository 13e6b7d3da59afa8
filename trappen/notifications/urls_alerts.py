"""Routes of the deadline alerts (reminders and escalations from the deadline check)."""

from django.urls import path

from trappen.notifications.views import alerts

urlpatterns = [
    path(
        "underretninger/paamindelser/<int:alert_id>/set/",
        alerts.alert_seen,
        name="alert_seen",
    ),
]
