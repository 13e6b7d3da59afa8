"""Case-work URLs (provider): the interventions a provider's units deliver, one of them, and the
provider's progress notes and goal scores."""

from django.urls import path

from trappen.cases.views import provider

INTERVENTION = "udfoerer/indsatser/<int:intervention_id>/"

urlpatterns = [
    path("udfoerer/", provider.provider_list, name="provider_list"),
    path(INTERVENTION, provider.provider_intervention, name="provider_intervention"),
    path(f"{INTERVENTION}notat/", provider.provider_note, name="provider_note"),
    path(f"{INTERVENTION}scorer/", provider.provider_scores, name="provider_scores"),
]
