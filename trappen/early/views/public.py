"""Anonymous counselling for parents, without logging in: choose the municipality and the school
or daycare, pick a free slot the outreach social worker has opened to parents, and book it with
the child's age band, optionally what worries you and a phone number to be called back on.

The booking form carries a random token (a retried POST gets the first booking) and a honeypot
field; the free text goes through the same cleaning as the professionals' (nothing identifying
is stored). The receipt lives at `raadgivning/booking/<code>/` behind the booking's random code
and shows the time and the place, with a button to cancel. Every page is `never_cache`.
"""

from __future__ import annotations

import logging
import re

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trappen.core.models import UNIVERSAL_KINDS, Municipality, OrganisationalUnit
from trappen.early import consultations as service
from trappen.early.consultation_forms import ParentBookingForm
from trappen.early.models import Consultation, ConsultationSlot, ConsultationStatus, RequesterKind
from trappen.notifications.forms import new_form_token

logger = logging.getLogger(__name__)

CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,40}")
ID_PATTERN = re.compile(r"[0-9]{1,18}")
SLOT_GONE = "Tiden er desværre ikke ledig længere. Vælg en anden tid."
LIST_LIMIT = 100


def public_municipalities() -> list[Municipality]:
    return list(Municipality.objects.order_by("name")[:200])


def _public_slots():
    return service.free_slots().filter(open_to_parents=True)


def _public_units():
    return OrganisationalUnit.objects.filter(kind__in=UNIVERSAL_KINDS)


@never_cache
@require_GET
def public_counselling(request):
    municipalities = public_municipalities()
    chosen = None
    raw = request.GET.get("kommune", "")
    if len(municipalities) == 1:
        chosen = municipalities[0]
    elif ID_PATTERN.fullmatch(raw):
        chosen = next((m for m in municipalities if m.pk == int(raw)), None)
    units = []
    if chosen is not None:
        free = dict(
            _public_slots()
            .filter(municipality=chosen)
            .values_list("unit_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        units = list(_public_units().filter(municipality=chosen).order_by("name")[:500])
        for unit in units:
            unit.free = free.get(unit.pk, 0)
        units.sort(key=lambda u: (u.free == 0, u.name))
    context = {"municipalities": municipalities, "chosen": chosen, "units": units}
    return render(request, "early/public_counselling.html", context)


@never_cache
@require_GET
def public_slots(request, unit_id: int):
    unit = _public_units().filter(pk=unit_id).select_related("municipality").first()
    if unit is None:
        return _not_found(request)
    slots = list(_public_slots().filter(unit=unit).order_by("starts_at", "pk")[:LIST_LIMIT])
    return render(request, "early/public_slots.html", {"unit": unit, "slots": slots})


@never_cache
@sensitive_post_parameters("concern", "callback_phone")
@require_http_methods(["GET", "POST"])
def public_book(request, slot_id: int):
    slots = ConsultationSlot.objects.filter(
        open_to_parents=True, unit__kind__in=UNIVERSAL_KINDS
    ).select_related("unit", "unit__municipality")
    if request.method == "GET":  # a retried POST may find its own booking on the slot
        slots = slots.filter(pk__in=_public_slots())
    slot = slots.filter(pk=slot_id).first()
    if slot is None:
        unit = ConsultationSlot.objects.filter(pk=slot_id).values_list("unit_id", flat=True)
        messages.warning(request, SLOT_GONE)
        unit_id = unit.first()
        if unit_id is not None:
            return redirect("early:public_slots", unit_id)
        return redirect("early:public_counselling")
    if request.method == "POST":
        form = ParentBookingForm(request.POST)
        if form.is_valid():
            booking = _book(form, slot)
            if booking is not None:
                return redirect("early:public_booking", booking.consultation.booking_code)
        elif form.honeypot_filled:
            logger.warning("Public counselling form: honeypot filled, nothing stored")
        if form.has_error("form_token"):
            form.renew_token()
    else:
        form = ParentBookingForm(initial={"form_token": new_form_token()})
    return render(request, "early/public_book.html", {"form": form, "slot": slot})


def _book(form: ParentBookingForm, slot: ConsultationSlot):
    data = form.cleaned_data
    try:
        return service.book_consultation(
            slot=slot,
            unit=slot.unit,
            requester_kind=RequesterKind.PARENT,
            age_band=data["age_band"],
            level=None,
            areas=[],
            concern=data.get("concern", ""),
            callback_phone=data.get("callback_phone", ""),
            form_token=data["form_token"],
        )
    except service.NeedsRedaction as error:
        form.replace_text(error.field, error.cleaned.text)
        form.add_service_errors(error.errors)
    except service.ConsultationError as error:
        form.add_service_errors(error.errors)
    return None


def _booking(code: str) -> Consultation | None:
    if not CODE_PATTERN.fullmatch(code):
        return None
    return (
        Consultation.objects.filter(booking_code=code, requester_kind=RequesterKind.PARENT)
        .select_related("slot", "unit")
        .first()
    )


def _not_found(request):
    return render(request, "early/public_not_found.html", status=404)


@never_cache
@require_GET
def public_booking(request, code: str):
    consultation = _booking(code)
    if consultation is None:
        return _not_found(request)
    context = {
        "c": consultation,
        "can_cancel": consultation.status == ConsultationStatus.BOOKED,
    }
    return render(request, "early/public_booking.html", context)


@never_cache
@require_POST
def public_cancel(request, code: str):
    consultation = _booking(code)
    if consultation is None:
        return _not_found(request)
    try:
        cancelled = service.cancel_booking(consultation, by_code=code)
    except service.ConsultationError as error:
        messages.error(request, str(error))
    else:
        if cancelled:
            messages.success(request, "Din tid er aflyst. Tak, fordi du gav besked.")
        else:
            messages.info(request, "Tiden var allerede aflyst.")
    return redirect("early:public_booking", code)
