"""Early detection, in groups: wellbeing assessments and what was shared, the unit's overview,
consultations with the outreach social worker (and the outreach worker's page), the public
booking of counselling, early help at steps 0–1, and the figures."""

from django.urls import include, path

app_name = "early"

urlpatterns = [
    path("", include("trappen.early.urls_assessments")),
    path("", include("trappen.early.urls_overview")),
    path("", include("trappen.early.urls_consultations")),
    path("", include("trappen.early.urls_public")),
    path("", include("trappen.early.urls_early_help")),
    path("", include("trappen.early.urls_figures")),
]
