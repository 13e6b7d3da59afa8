"""Routes of the team's inbox of notifications: the list, bulk assignment and "Tag sagen"."""

from django.urls import path

from trappen.notifications.views import inbox

urlpatterns = [
    path("underretninger/", inbox.inbox, name="inbox"),
    path("underretninger/fordel/", inbox.assign, name="assign"),
    path("underretninger/<int:notification_id>/tag/", inbox.claim, name="claim"),
]
