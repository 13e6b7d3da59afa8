"""Case-work URLs (case): one case's page, with everything about the child."""

from django.urls import path

from trappen.cases.views import case

urlpatterns = [
    path("sager/<int:case_id>/", case.detail, name="detail"),
]
