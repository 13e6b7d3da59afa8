"""Routes of early detection: early help at steps 0–1 (the outreach social worker's)."""

from django.urls import path

from trappen.early.views import early_help

PREFIX = "tidlig-opsporing/tidlig-indsats/"

urlpatterns: list = [
    path(PREFIX, early_help.early_help_list, name="early_help_list"),
    path(f"{PREFIX}ny/", early_help.early_help_new, name="early_help_new"),
    path(f"{PREFIX}<int:help_id>/", early_help.early_help_detail, name="early_help_detail"),
    path(f"{PREFIX}<int:help_id>/afslut/", early_help.early_help_end, name="early_help_end"),
]
