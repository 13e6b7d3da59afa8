"""The notification pages, in three groups: intake (the forms and the notifier's own view),
the team's triage inbox, and one notification's detail with its assessment and decision."""

from django.urls import include, path

app_name = "notifications"

urlpatterns = [
    path("", include("trappen.notifications.urls_intake")),
    path("", include("trappen.notifications.urls_inbox")),
    path("", include("trappen.notifications.urls_detail")),
    path("", include("trappen.notifications.urls_alerts")),
]
