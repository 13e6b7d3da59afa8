"""The web ways in: the professional's form, the public form, and the notifier's own view.

Both forms go through `services.submit_notification` with the idempotency key "web:<form
token>": the token is made when the form is rendered, so a double click or a browser's retry of
the POST gets the first notification's receipt page instead of a second notification. Success
redirects (post/redirect/get): the professional to their own notification, the public notifier
to a receipt page behind a short-lived signed link that shows a reference number, never the
child's data. The professional sees their own notifications, the receipt and the feedback
letters, never the case file.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from trappen.core import audit
from trappen.core.access import access_basis, is_professional
from trappen.core.home_services import SUBMISSION_STATUS
from trappen.core.models import AuditAction, Letter, Municipality, OrganisationalUnit, Role
from trappen.early.models import WellbeingAssessment
from trappen.notifications.forms import (
    MESSAGES,
    NotificationFieldsForm,
    ProfessionalNotificationForm,
    PublicNotificationForm,
    new_form_token,
)
from trappen.notifications.models import Notification
from trappen.notifications.services import (
    IdempotencyConflict,
    InvalidNotification,
    NotificationInput,
    submit_notification,
)

logger = logging.getLogger(__name__)

ID_PATTERN = re.compile(r"[0-9]{1,18}")
PAGE_SIZE = 50
RECEIPT_SALT = "trappen.notifications.public-receipt"
RECEIPT_MAX_AGE = 60 * 60  # seconds: the public receipt link works for an hour
RECEIPT_TOKEN_MAX_LENGTH = 200
RECEIPT_TEMPLATE, FEEDBACK_TEMPLATE = "notification_receipt", "notification_feedback"
SENSITIVE_FIELDS = ("child_cpr", "child_name", "child_address", "concern", "siblings_note")
PUBLIC_SENSITIVE_FIELDS = (*SENSITIVE_FIELDS, "reporter_name", "reporter_phone", "reporter_email")


def reference_number(notification: Notification) -> str:
    return notification.reference


def receipt_token(notification: Notification) -> str:
    return signing.dumps(notification.pk, salt=RECEIPT_SALT)


def notification_id_from_receipt_token(token: str) -> int | None:
    """The notification id in a valid, unexpired receipt token, else None."""
    if len(token) > RECEIPT_TOKEN_MAX_LENGTH:
        return None
    try:
        value = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:  # also an expired one (SignatureExpired)
        return None
    return value if isinstance(value, int) else None


def _submit(form: NotificationFieldsForm, municipality: Municipality, data: NotificationInput):
    """Submit through the service; on failure put the reasons on the form and return None."""
    try:
        return submit_notification(municipality, data, idempotency_key=form.idempotency_key)
    except InvalidNotification as error:
        form.add_service_errors(error.errors)
    except IdempotencyConflict:
        form.renew_token()
        form.add_error(None, MESSAGES["token_reused"])
    return None


def _renew_broken_token(form: NotificationFieldsForm) -> None:
    if form.has_error("form_token"):
        form.renew_token()


# --- the professional's form ---


def _require_professional(user) -> None:
    if not is_professional(user):
        raise PermissionDenied


def professional_units(user):
    return OrganisationalUnit.objects.filter(
        pk__in=user.unit_ids(Role.PROFESSIONAL), municipality_id=user.municipality_id
    ).order_by("name")


def assessment_for_prefill(user, raw: str | None) -> WellbeingAssessment | None:
    """The assessment named by ?vurdering=<id>, made in the user's own unit about a child the
    user may see (the read is logged); 404 for anything else, so outsiders learn nothing."""
    if raw is None or raw == "":
        return None
    if not ID_PATTERN.fullmatch(raw):
        raise Http404
    assessment = (
        WellbeingAssessment.objects.select_related("child", "unit")
        .filter(
            pk=int(raw),
            unit_id__in=user.unit_ids(Role.PROFESSIONAL),
            child__municipality_id=user.municipality_id,
        )
        .first()
    )
    if assessment is None or access_basis(user, assessment.child) is None:
        raise Http404("Trivselsvurderingen findes ikke, eller du har ikke adgang.")
    audit.record(
        user,
        AuditAction.VIEW,
        assessment,
        role=Role.PROFESSIONAL,
        purpose="Underretning ud fra trivselsvurdering",
    )
    return assessment


def _initial(user, assessment) -> dict:
    initial = {
        "form_token": new_form_token(),
        "reporter_profession": user.title,
        "reporter_phone": user.phone,
    }
    if assessment is not None:  # else the first unit by name, the select's first option
        initial["reporter_unit"] = assessment.unit_id
        initial["level"] = assessment.level
        initial["areas"] = list(assessment.areas or [])
    return initial


@login_required
@sensitive_post_parameters(*SENSITIVE_FIELDS)
@require_http_methods(["GET", "POST"])
def new(request):
    user = request.user
    _require_professional(user)
    units = professional_units(user)
    assessment = assessment_for_prefill(user, request.GET.get("vurdering"))
    child = assessment.child if assessment is not None else None
    if request.method == "POST":
        form = ProfessionalNotificationForm(request.POST, units=units, child=child)
        if form.is_valid():
            data = form.to_input(user=user, assessment=assessment)
            result = _submit(form, user.municipality, data)
            if result is not None:
                _tell_submitted(request, result)
                return redirect("notifications:submitted_detail", result.notification.pk)
        _renew_broken_token(form)
    else:
        form = ProfessionalNotificationForm(
            initial=_initial(user, assessment), units=units, child=child
        )
    context = {"form": form, "assessment": assessment, "child": child}
    return render(request, "notifications/new.html", context)


def _tell_submitted(request, result) -> None:
    if not result.created:
        messages.info(request, "Underretningen var allerede modtaget. Den er ikke sendt to gange.")
        return
    messages.success(request, "Tak. Kommunen har modtaget din underretning.")
    for warning in result.warnings:
        messages.warning(request, warning)


# --- the professional's own notifications ---


@dataclass(frozen=True)
class SubmittedRow:
    notification: Notification
    reference: str
    child_label: str
    status: str


def child_label(notification: Notification) -> str:
    """The child as the notifier described it: what they wrote, never a name looked up by CPR."""
    if notification.child_name:
        return notification.child_name
    birth_date = notification.child_birth_date or (
        notification.child.birth_date if notification.child_id else None
    )
    if birth_date:
        return f"Barn født {birth_date:%d.%m.%Y}"
    return "Barn (CPR-nummer oplyst)"


def status_text(notification: Notification) -> str:
    return SUBMISSION_STATUS.get(notification.status, notification.get_status_display())


def _own_role(user) -> str:
    return Role.PROFESSIONAL if user.has_role(Role.PROFESSIONAL) else ""


def _log_reads(user, objects, purpose: str) -> None:
    entries = [audit.entry_for(obj, AuditAction.VIEW, purpose=purpose) for obj in objects]
    audit.record_many(user, entries, role=_own_role(user))


@login_required
@require_GET
def submitted(request):
    user = request.user
    _require_professional(user)
    notifications = (
        Notification.objects.filter(reporter_user=user, municipality_id=user.municipality_id)
        .select_related("child")
        .only(
            "pk",
            "received_at",
            "status",
            "acute",
            "child_name",
            "child_birth_date",
            "receipt_due_on",
            "receipt_sent_at",
            "feedback_sent_at",
            "child",
            "child__birth_date",
        )
        .order_by("-received_at", "-pk")
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("side"))
    rows = [SubmittedRow(n, reference_number(n), child_label(n), status_text(n)) for n in page]
    _log_reads(user, [row.notification for row in rows], "Mine underretninger")
    return render(request, "notifications/submitted.html", {"page": page, "rows": rows})


@login_required
@require_GET
def submitted_detail(request, notification_id: int):
    user = request.user
    notification = get_object_or_404(
        Notification.objects.select_related("child", "reporter_unit", "municipality"),
        pk=notification_id,
        reporter_user=user,
        municipality_id=user.municipality_id,
    )
    letters = list(
        Letter.objects.filter(
            notification=notification,
            recipient_user=user,
            template__in=(RECEIPT_TEMPLATE, FEEDBACK_TEMPLATE),
        )
        .defer("pdf", "body_html")
        .order_by("created_at", "pk")
    )
    _log_reads(user, [notification, *letters], "Egen underretning")
    context = {
        "n": notification,
        "reference": reference_number(notification),
        "child_label": child_label(notification),
        "status": status_text(notification),
        "receipt_letters": [x for x in letters if x.template == RECEIPT_TEMPLATE],
        "feedback_letters": [x for x in letters if x.template == FEEDBACK_TEMPLATE],
    }
    return render(request, "notifications/submitted_detail.html", context)


# --- the public form ---


def public_municipalities() -> list[Municipality]:
    return list(Municipality.objects.order_by("name")[:200])


@never_cache
@sensitive_post_parameters(*PUBLIC_SENSITIVE_FIELDS)
@require_http_methods(["GET", "POST"])
def public_new(request):
    municipalities = public_municipalities()
    if request.method == "POST" and municipalities:
        form = PublicNotificationForm(request.POST, municipalities=municipalities)
        if form.is_valid():
            result = _submit(form, form.chosen_municipality, form.to_input())
            if result is not None:
                return redirect(
                    "notifications:public_received", token=receipt_token(result.notification)
                )
        elif form.honeypot_filled:
            logger.warning("Public notification form: honeypot filled, nothing stored")
        _renew_broken_token(form)
    else:
        form = PublicNotificationForm(
            initial={"form_token": new_form_token()}, municipalities=municipalities
        )
    context = {
        "form": form,
        "available": bool(municipalities),
        "is_professional": is_professional(request.user),
    }
    return render(request, "notifications/public_new.html", context)


@never_cache
@require_GET
def public_received(request, token: str):
    notification_id = notification_id_from_receipt_token(token)
    notification = (
        Notification.objects.select_related("municipality")
        .only("pk", "received_at", "is_anonymous", "municipality__name")
        .filter(pk=notification_id)
        .first()
        if notification_id is not None
        else None
    )
    if notification is None:
        return render(request, "notifications/public_expired.html", status=404)
    context = {"n": notification, "reference": reference_number(notification)}
    return render(request, "notifications/public_received.html", context)
