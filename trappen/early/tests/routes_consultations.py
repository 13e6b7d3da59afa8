"""Anonymous consultations in the access matrix (trappen/core/tests/test_access_matrix.py).

Every professional reaches the booking pages and the own list (`early.request_consultation`);
a consultation's page and its cancel button are the booking professional's alone (the other
school's professional gets 404). The outreach pages (overview, slot form, a slot's cancel, a
consultation's outcome) are the outreach worker's of Nordskolen; everyone else gets 403 or 404.
A cancel redirects, also the second time (the booking or slot is already cancelled).
"""

import datetime

from django.utils import timezone

from trappen.core.tests.matrix import Route
from trappen.early.tests.factories import ConsultationFactory, ConsultationSlotFactory

PROFESSIONALS = frozenset({"professional", "professional_other_school"})
PROFESSIONAL = frozenset({"professional"})
OUTREACH = frozenset({"outreach"})
OWN = {"consultation_id": "consultation"}

ROUTES = {
    "early:consultation_book": Route(PROFESSIONALS),
    "early:consultation_new": Route(PROFESSIONALS),
    "early:consultation_list": Route(PROFESSIONALS),
    "early:consultation_detail": Route(PROFESSIONAL, kwargs=OWN),
    "early:consultation_cancel": Route(PROFESSIONAL, method="post", status=302, kwargs=OWN),
    "early:outreach": Route(OUTREACH),
    "early:slot_new": Route(OUTREACH),
    "early:slot_cancel": Route(
        OUTREACH, method="post", status=302, kwargs={"slot_id": "free_slot"}
    ),
    "early:consultation_outcome": Route(OUTREACH, kwargs=OWN),
}


def objects(world) -> dict:
    outreach = world.personas["outreach"]
    later = timezone.now() + datetime.timedelta(days=2)
    free = ConsultationSlotFactory(unit=world.school_a, outreach_worker=outreach, starts_at=later)
    booked = ConsultationSlotFactory(
        unit=world.school_a,
        outreach_worker=outreach,
        starts_at=later + datetime.timedelta(hours=2),
    )
    consultation = ConsultationFactory(
        unit=world.school_a, slot=booked, requester=world.personas["professional"]
    )
    return {"free_slot": free.pk, "consultation": consultation.pk}
