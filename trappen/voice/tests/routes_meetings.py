"""Network meetings and family group conferences in the access matrix
(trappen/core/tests/test_access_matrix.py).

Only the case's own team (alice, bob and their team leader) reach them; everyone else gets 404 or
403 and never sees Anna.
"""

from trappen.core.tests.matrix import CASE_A, Route
from trappen.voice.tests.factories import FamilyGroupConferenceFactory, NetworkMeetingFactory

CASE = {"case_id": "anna_case"}

ROUTES = {
    "voice:meetings": Route(CASE_A, kwargs=CASE),
    "voice:meeting": Route(CASE_A, kwargs={**CASE, "meeting_id": "anna_network_meeting"}),
    "voice:conference_new": Route(CASE_A, kwargs=CASE),
    "voice:conference": Route(CASE_A, kwargs={**CASE, "conference_id": "anna_conference"}),
}


def objects(world) -> dict:
    return {
        "anna_case": world.anna_case.pk,
        "anna_network_meeting": NetworkMeetingFactory(case=world.anna_case).pk,
        "anna_conference": FamilyGroupConferenceFactory(case=world.anna_case).pk,
    }
