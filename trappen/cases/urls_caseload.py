"""Case-work URLs (caseload): the caseload and reassignment, opening a case, the economy page."""

from django.urls import path

from trappen.cases.views import caseload, economy, open_case

urlpatterns = [
    path("sager/", caseload.caseload, name="caseload"),
    path("sager/fordel/", caseload.reassign, name="reassign"),
    path("born/<int:child_id>/ny-sag/", open_case.open_case, name="open"),
    path("oekonomi/", economy.economy, name="economy"),
]
