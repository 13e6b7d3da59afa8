"""Voice URLs (network): The network map and the network on an intervention
(trappen/voice/views/network.py)."""

from django.urls import path

from trappen.voice.views import network

MAP = "sager/<int:case_id>/netvaerk/"
PERSON = f"{MAP}<int:person_id>/"
ROLES = "sager/<int:case_id>/indsatser/<int:intervention_id>/netvaerk/"

urlpatterns = [
    path(MAP, network.network_page, name="network"),
    path(f"{MAP}ny/", network.network_add, name="network_add"),
    path(PERSON, network.network_edit, name="network_edit"),
    path(f"{PERSON}fjern/", network.network_remove, name="network_remove"),
    path(ROLES, network.intervention_network, name="intervention_network"),
    path(f"{ROLES}ny/", network.intervention_network_add, name="intervention_network_add"),
    path(
        f"{ROLES}<int:role_id>/fjern/",
        network.intervention_network_remove,
        name="intervention_network_remove",
    ),
    path(
        "udfoerer/indsatser/<int:intervention_id>/netvaerk/",
        network.provider_network,
        name="provider_network",
    ),
]
