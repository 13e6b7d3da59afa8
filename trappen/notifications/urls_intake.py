"""Routes of the intake pages: the professional's form and own notifications, the public form."""

from django.urls import path

from trappen.notifications.views import intake

urlpatterns = [
    path("underretninger/ny/", intake.new, name="new"),
    path("underretninger/mine/", intake.submitted, name="submitted"),
    path(
        "underretninger/mine/<int:notification_id>/",
        intake.submitted_detail,
        name="submitted_detail",
    ),
    path("underret/", intake.public_new, name="public_new"),
    path("underret/modtaget/<str:token>/", intake.public_received, name="public_received"),
]
