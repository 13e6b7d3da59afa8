"""Routes of early detection: the unit's overview (docs/early-overview.md)."""

from django.urls import path

from trappen.early.views import overview

urlpatterns = [
    path("tidlig-opsporing/enheder/", overview.units, name="units"),
    path("tidlig-opsporing/enheder/<int:unit_id>/", overview.unit_detail, name="unit_overview"),
]
