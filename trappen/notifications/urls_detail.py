"""Routes of one notification: its page, the 24-hour assessment, the decision, the feedback."""

from django.urls import path

from trappen.notifications.views import detail

urlpatterns = [
    path("underretninger/<int:notification_id>/", detail.detail, name="detail"),
    path("underretninger/<int:notification_id>/vurdering/", detail.assess, name="assess"),
    path("underretninger/<int:notification_id>/beslutning/", detail.decide, name="decide"),
    path("underretninger/<int:notification_id>/tilbagemelding/", detail.feedback, name="feedback"),
]
