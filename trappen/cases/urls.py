"""The case-work pages, in groups: the caseload and economy, one case's page, the investigation,
the child's plan with interventions and follow-ups, and the provider's own pages."""

from django.urls import include, path

app_name = "cases"

urlpatterns = [
    path("", include("trappen.cases.urls_caseload")),
    path("", include("trappen.cases.urls_case")),
    path("", include("trappen.cases.urls_investigation")),
    path("", include("trappen.cases.urls_plan")),
    path("", include("trappen.cases.urls_provider")),
]
