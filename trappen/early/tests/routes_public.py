"""The public, anonymous counselling pages in the access matrix: no login, so everyone (and the
anonymous visitor) gets 200; the cancel button redirects to the receipt, also once the booking
is already cancelled."""

import datetime

from django.utils import timezone

from trappen.core.tests.matrix import ALL, Route
from trappen.early.tests.factories import ConsultationFactory, ConsultationSlotFactory

CODE = {"code": "parent_code"}

ROUTES = {
    "early:public_counselling": Route(ALL, anonymous=200),
    "early:public_slots": Route(ALL, anonymous=200, kwargs={"unit_id": "public_unit"}),
    "early:public_book": Route(ALL, anonymous=200, kwargs={"slot_id": "public_slot"}),
    "early:public_booking": Route(ALL, anonymous=200, kwargs=CODE),
    "early:public_cancel": Route(ALL, method="post", status=302, anonymous=302, kwargs=CODE),
}


def objects(world) -> dict:
    outreach = world.personas["outreach"]
    later = timezone.now() + datetime.timedelta(days=4)
    free = ConsultationSlotFactory(unit=world.school_a, outreach_worker=outreach, starts_at=later)
    booked = ConsultationSlotFactory(
        unit=world.school_a, outreach_worker=outreach, starts_at=later + datetime.timedelta(hours=1)
    )
    consultation = ConsultationFactory(
        unit=world.school_a,
        slot=booked,
        requester_kind="parent",
        level=None,
        booking_code="parent-code-0123456789",
    )
    return {
        "public_unit": world.school_a.pk,
        "public_slot": free.pk,
        "parent_code": consultation.booking_code,
    }
