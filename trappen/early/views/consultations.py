"""Anonymous consultations, the professional's side and the outreach social worker's.

The professional (`early.request_consultation`) books a free slot of one of the own units, or
asks to be called back, with the child's age band, level, areas and a concern that must not
identify the child: `consultations.book_consultation` refuses text that cleaning would change,
and the form then shows the cleaned text with a warning, to be sent again. The outreach worker
(`early.handle_consultations`) has a page with the assigned units (how often each asks), the
upcoming consultations, open early help and own free slots; creates and cancels slots, and
records each consultation's outcome.

Consultations hold no personal data, so their pages log no reads, except where a parent's phone
number or a child in early help is shown (the outreach page, the outcome page: one batched audit
write per page).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trappen.core import audit
from trappen.core.models import UNIVERSAL_KINDS, AuditAction, OrganisationalUnit, Role
from trappen.core.vocabulary import ConcernArea, ConcernLevel
from trappen.early import consultations as service
from trappen.early.consultation_forms import OutcomeForm, ProfessionalBookingForm, SlotForm
from trappen.early.models import (
    AgeBand,
    Consultation,
    ConsultationOutcome,
    ConsultationSlot,
    ConsultationStatus,
    EarlyHelp,
)
from trappen.notifications.forms import new_form_token

ID_PATTERN = re.compile(r"[0-9]{1,18}")
NOT_FOUND = "Sparringen findes ikke, eller du har ikke adgang."
SLOT_GONE = "Tiden er ikke ledig længere. Vælg en anden tid."
PAGE_SIZE = 50
UPCOMING_DAYS = 14
RATE_DAYS = 365
LIST_LIMIT = 100
AREA_LABELS = dict(ConcernArea.choices)


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def optional_url(name: str, *args, query: dict | None = None) -> str:
    """The URL of a page another part builds, or "" while it does not exist."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def _id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not ID_PATTERN.fullmatch(raw):
        raise Http404
    return int(raw)


def describe(c: Consultation) -> Consultation:
    """Labels for the templates: the areas in Danish."""
    c.area_labels = [AREA_LABELS.get(a, a) for a in c.areas or ()]
    return c


# --- the professional ---------------------------------------------------------------------


def professional_units(user):
    return OrganisationalUnit.objects.filter(
        pk__in=user.unit_ids(Role.PROFESSIONAL), municipality_id=user.municipality_id
    ).order_by("name")


def prefill(params) -> dict:
    """The form's initial age band, level and areas from ?alder=&niveau=&omraade= (unknown
    values are dropped, never an error)."""
    initial = {}
    if params.get("alder") in AgeBand.values:
        initial["age_band"] = params["alder"]
    level = params.get("niveau", "")
    if level.isdigit() and int(level) in ConcernLevel.values:
        initial["level"] = int(level)
    areas = [a for a in params.getlist("omraade") if a in ConcernArea.values]
    if areas:
        initial["areas"] = list(dict.fromkeys(areas))
    return initial


def prefill_query(initial: dict) -> list[tuple[str, str]]:
    query = []
    if "age_band" in initial:
        query.append(("alder", initial["age_band"]))
    if "level" in initial:
        query.append(("niveau", str(initial["level"])))
    query += [("omraade", a) for a in initial.get("areas", ())]
    return query


@dataclass(frozen=True)
class UnitSlots:
    unit: OrganisationalUnit
    slots: list


@login_required
@require_GET
def consultation_book(request):
    user = request.user
    _require(user, "early.request_consultation")
    units = list(professional_units(user))
    slots = (
        service.free_slots()
        .filter(unit__in=units)
        .select_related("unit", "outreach_worker")
        .order_by("starts_at", "pk")[:LIST_LIMIT]
    )
    by_unit = defaultdict(list)
    for slot in slots:
        by_unit[slot.unit_id].append(slot)
    query = prefill_query(prefill(request.GET))
    suffix = f"&{urlencode(query)}" if query else ""
    context = {
        "groups": [UnitSlots(u, by_unit[u.pk]) for u in units],
        "slot_suffix": suffix,
        "callback_query": f"?{urlencode(query)}" if query else "",
    }
    return render(request, "early/consultation_book.html", context)


@login_required
@sensitive_post_parameters("concern")
@require_http_methods(["GET", "POST"])
def consultation_new(request):
    user = request.user
    _require(user, "early.request_consultation")
    units = professional_units(user)
    slot_id = _id(request.GET.get("tid"))
    slot = None
    if slot_id is not None:
        slots = ConsultationSlot.objects.filter(unit__in=units).select_related(
            "unit", "outreach_worker"
        )
        if request.method == "GET":  # a retried POST may find its own booking on the slot
            slots = slots.filter(pk__in=service.free_slots())
        slot = slots.filter(pk=slot_id).first()
        if slot is None:
            messages.warning(request, SLOT_GONE)
            return redirect("early:consultation_book")
    if request.method == "POST":
        form = ProfessionalBookingForm(request.POST, units=units, slot=slot)
        if form.is_valid():
            booking = _book(form, user)
            if booking is not None:
                if booking.created:
                    messages.success(request, "Tak. Sparringen er booket.")
                else:
                    messages.info(
                        request, "Sparringen var allerede booket. Den er ikke booket to gange."
                    )
                return redirect("early:consultation_detail", booking.consultation.pk)
        if form.has_error("form_token"):
            form.renew_token()
    else:
        initial = {"form_token": new_form_token(), **prefill(request.GET)}
        form = ProfessionalBookingForm(initial=initial, units=units, slot=slot)
    return render(request, "early/consultation_new.html", {"form": form, "slot": slot})


def _book(form: ProfessionalBookingForm, user):
    data = form.cleaned_data
    try:
        return service.book_consultation(
            slot=form.slot,
            unit=form.chosen_unit(),
            requester_kind="professional",
            requester=user,
            age_band=data["age_band"],
            level=data["level"],
            areas=data.get("areas") or [],
            concern=data["concern"],
            form_token=data["form_token"],
        )
    except service.NeedsRedaction as error:
        form.replace_text(error.field, error.cleaned.text)
        form.add_service_errors(error.errors)
    except service.ConsultationError as error:
        form.add_service_errors(error.errors)
    return None


def _own_consultation(user, consultation_id: int) -> Consultation:
    consultation = (
        Consultation.objects.filter(
            pk=consultation_id, requester=user, municipality_id=user.municipality_id
        )
        .select_related("slot", "slot__outreach_worker", "unit")
        .first()
    )
    if consultation is None:
        raise Http404(NOT_FOUND)
    return describe(consultation)


@login_required
@require_GET
def consultation_detail(request, consultation_id: int):
    user = request.user
    _require(user, "early.request_consultation")
    consultation = _own_consultation(user, consultation_id)
    context = {
        "c": consultation,
        "can_cancel": consultation.status == ConsultationStatus.BOOKED,
    }
    return render(request, "early/consultation_detail.html", context)


@login_required
@require_GET
def consultation_list(request):
    user = request.user
    _require(user, "early.request_consultation")
    consultations = (
        Consultation.objects.filter(requester=user, municipality_id=user.municipality_id)
        .select_related("slot", "unit")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(consultations, PAGE_SIZE).get_page(request.GET.get("side"))
    rows = [describe(c) for c in page]
    return render(request, "early/consultation_list.html", {"page": page, "rows": rows})


@login_required
@require_POST
def consultation_cancel(request, consultation_id: int):
    user = request.user
    _require(user, "early.request_consultation")
    consultation = _own_consultation(user, consultation_id)
    try:
        cancelled = service.cancel_booking(consultation, acting_user=user)
    except service.ConsultationError as error:
        messages.error(request, str(error))
    else:
        if cancelled:
            messages.success(request, "Sparringen er aflyst.")
        else:
            messages.info(request, "Sparringen var allerede aflyst.")
    return redirect("early:consultation_detail", consultation.pk)


# --- the outreach social worker -----------------------------------------------------------


def outreach_units(user):
    return OrganisationalUnit.objects.filter(
        pk__in=user.unit_ids(Role.OUTREACH),
        municipality_id=user.municipality_id,
        kind__in=UNIVERSAL_KINDS,
    ).order_by("name")


@dataclass(frozen=True)
class UnitRow:
    unit: OrganisationalUnit
    children: int
    professional: int
    parents: int
    per_hundred: float | None
    label: str


def unit_rows(units, now: datetime.datetime) -> list[UnitRow]:
    """The assigned units with children, consultations in the last 12 months, per 100 children
    and the label against the median of the worker's units (`consultations.ask_labels`)."""
    units = list(service.with_counts(units, now - datetime.timedelta(days=RATE_DAYS)))
    rates = {u.pk: service.per_hundred(u.professional, u.children) for u in units}
    labels = service.ask_labels(rates)
    return [
        UnitRow(u, u.children, u.professional, u.parents, rates[u.pk], labels[u.pk]) for u in units
    ]


def _log(user, objects, purpose: str) -> None:
    entries = [audit.entry_for(obj, AuditAction.VIEW, purpose=purpose) for obj in objects]
    if entries:
        audit.record_many(user, entries, role=Role.OUTREACH)


@login_required
@require_GET
def outreach(request):
    user = request.user
    _require(user, "early.handle_consultations")
    now = timezone.now()
    rows = unit_rows(outreach_units(user), now)
    ids = [row.unit.pk for row in rows]
    upcoming = [
        describe(c)
        for c in Consultation.objects.filter(
            Q(unit_id__in=ids) | Q(slot__outreach_worker=user),
            municipality_id=user.municipality_id,
            status=ConsultationStatus.BOOKED,
        )
        .filter(
            Q(slot__isnull=True)
            | Q(slot__starts_at__lt=now + datetime.timedelta(days=UPCOMING_DAYS))
        )
        .select_related("slot", "unit", "requester")
        .order_by("slot__starts_at", "created_at")[:LIST_LIMIT]
    ]
    early_help = list(
        EarlyHelp.objects.filter(unit_id__in=ids, ended_on__isnull=True)
        .select_related("child", "unit")
        .order_by("started_on", "pk")[:LIST_LIMIT]
    )
    for help_ in early_help:
        help_.url = optional_url("early:early_help_detail", help_.pk)
    slots = list(
        service.free_slots(now)
        .filter(outreach_worker=user)
        .select_related("unit")
        .order_by("starts_at", "pk")[:LIST_LIMIT]
    )
    _log(
        user,
        [*early_help, *(c for c in upcoming if c.callback_phone)],
        "Fremskudt rådgivning: overblik",
    )
    context = {
        "rows": rows,
        "upcoming": upcoming,
        "early_help": early_help,
        "slots": slots,
        "now": now,
        "upcoming_days": UPCOMING_DAYS,
    }
    return render(request, "early/outreach.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def slot_new(request):
    user = request.user
    _require(user, "early.handle_consultations")
    units = outreach_units(user)
    if request.method == "POST":
        form = SlotForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                slots = service.create_slots(
                    unit=data["unit"],
                    starts_at=form.starts_at(),
                    minutes=data["minutes"],
                    place=data["place"],
                    open_to_parents=data["open_to_parents"],
                    repeat_weeks=data.get("repeat_weeks") or 0,
                    acting_user=user,
                )
            except service.ConsultationError as error:
                form.add_service_errors(error.errors)
            else:
                n = len(slots)
                messages.success(
                    request, "Tiden er oprettet." if n == 1 else f"{n} tider er oprettet."
                )
                return redirect("early:outreach")
    else:
        form = SlotForm(units=units, initial={"minutes": 30, "open_to_parents": True})
    return render(request, "early/slot_new.html", {"form": form})


@login_required
@require_POST
def slot_cancel(request, slot_id: int):
    user = request.user
    _require(user, "early.handle_consultations")
    slot = (
        ConsultationSlot.objects.filter(pk=slot_id, municipality_id=user.municipality_id)
        .filter(Q(outreach_worker=user) | Q(unit_id__in=user.unit_ids(Role.OUTREACH)))
        .first()
    )
    if slot is None:
        raise Http404("Tiden findes ikke, eller du har ikke adgang.")
    try:
        booking = service.cancel_slot(slot, acting_user=user)
    except service.ConsultationError as error:
        messages.error(request, str(error))
    else:
        if booking is not None:
            messages.warning(
                request,
                "Tiden er aflyst, og bookingen på den er aflyst. Giv den, der bookede, besked.",
            )
        else:
            messages.success(request, "Tiden er aflyst.")
    return redirect("early:outreach")


def _handled_consultation(user, consultation_id: int) -> Consultation:
    consultation = (
        Consultation.objects.filter(pk=consultation_id, municipality_id=user.municipality_id)
        .select_related("slot", "unit", "requester", "handled_by")
        .first()
    )
    if consultation is None or not service.may_handle(user, consultation):
        raise Http404(NOT_FOUND)
    return describe(consultation)


@login_required
@sensitive_post_parameters("outcome_note")
@require_http_methods(["GET", "POST"])
def consultation_outcome(request, consultation_id: int):
    user = request.user
    _require(user, "early.handle_consultations")
    consultation = _handled_consultation(user, consultation_id)
    if consultation.callback_phone:
        _log(user, [consultation], "Anonym sparring: udfald")
    open_ = consultation.status != ConsultationStatus.CANCELLED
    if request.method == "POST" and open_:
        form = OutcomeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.record_outcome(
                    consultation,
                    outcome=data["outcome"],
                    outcome_note=data["outcome_note"],
                    held_on=data["held_on"],
                    acting_user=user,
                )
            except service.NeedsRedaction as error:
                form.replace_text(error.field, error.cleaned.text)
                form.add_service_errors(error.errors)
            except service.ConsultationError as error:
                form.add_service_errors(error.errors)
            else:
                messages.success(request, "Udfaldet er gemt.")
                return redirect("early:consultation_outcome", consultation.pk)
    else:
        initial = {
            "outcome": consultation.outcome or None,
            "outcome_note": consultation.outcome_note,
            "held_on": consultation.held_on or _default_held_on(consultation),
        }
        form = OutcomeForm(initial=initial)
    early_help_url = ""
    if consultation.outcome == ConsultationOutcome.EARLY_HELP:
        early_help_url = optional_url("early:early_help_new", query={"sparring": consultation.pk})
    context = {
        "c": consultation,
        "form": form if open_ else None,
        "early_help_url": early_help_url,
    }
    return render(request, "early/consultation_outcome.html", context)


def _default_held_on(consultation: Consultation) -> datetime.date:
    today = timezone.localdate()
    if consultation.slot is not None:
        return min(today, timezone.localdate(consultation.slot.starts_at))
    return today
