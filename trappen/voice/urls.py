"""The child's voice and the family's network, in groups: conversations, decisions and the
team leader's review, the network map, network meetings and family group conferences, and the
letters to the child."""

from django.urls import include, path

app_name = "voice"

urlpatterns = [
    path("", include("trappen.voice.urls_conversations")),
    path("", include("trappen.voice.urls_decisions")),
    path("", include("trappen.voice.urls_network")),
    path("", include("trappen.voice.urls_meetings")),
    path("", include("trappen.voice.urls_letters")),
]
