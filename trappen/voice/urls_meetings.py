"""Voice URLs (meetings): network meetings and stormøder, and family group conferences
(trappen/voice/views/meetings.py, conferences.py)."""

from django.urls import path

from trappen.voice.views import conferences, meetings

CASE = "sager/<int:case_id>/"

urlpatterns = [
    path(f"{CASE}netvaerksmoeder/", meetings.meetings, name="meetings"),
    path(f"{CASE}netvaerksmoeder/<int:meeting_id>/", meetings.meeting, name="meeting"),
    path(f"{CASE}familieraadslagning/ny/", conferences.conference_new, name="conference_new"),
    path(
        f"{CASE}familieraadslagning/<int:conference_id>/",
        conferences.conference,
        name="conference",
    ),
]
