"""One notification: its content, the legal clock, the timeline, the repeat history, and the
assessment and decision forms. Thin: parse, call `decisions`, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from trappen.notifications.access import (
    find_notification_for_user,
    get_notification_for_user,
    work_role,
)
from trappen.notifications.decision_forms import AssessmentForm, DecisionForm
from trappen.notifications.decisions import (
    DecisionError,
    record_assessment,
    record_decision,
    send_feedback,
)
from trappen.notifications.detail_services import notification_detail


@login_required
@require_GET
def detail(request, notification_id: int):
    notification, _ = find_notification_for_user(request.user, notification_id)
    return _render(request, notification, purpose="Underretning")


@login_required
@require_POST
def assess(request, notification_id: int):
    notification = get_notification_for_user(
        request.user, notification_id, purpose="Vurdering af underretning"
    )
    form = AssessmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_assessment(
                notification,
                danger=data["danger"],
                acute_measures=data["acute_measures"],
                note=data["note"],
                acting_user=request.user,
            )
        except DecisionError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Vurderingen er gemt.")
            return redirect("notifications:detail", notification_id=notification.pk)
    return _render(request, notification, assessment_form=form)


@login_required
@require_POST
def decide(request, notification_id: int):
    notification = get_notification_for_user(
        request.user, notification_id, purpose="Beslutning om underretning"
    )
    form = DecisionForm(request.POST, allow_existing_case=True)  # the service checks the case
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_decision(
                notification,
                decision=data["decision"],
                reason=data["reason"],
                early_support=data["early_support"],
                immediate_measure=data["immediate_measure"],
                forwarded_to=data["forwarded_to"],
                notify_guardians=not data["hold_guardian_letter"],
                acting_user=request.user,
            )
        except DecisionError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Beslutningen er gemt.")
            return redirect("notifications:detail", notification_id=notification.pk)
    return _render(request, notification, decision_form=form)


@login_required
@require_POST
def feedback(request, notification_id: int):
    notification = get_notification_for_user(
        request.user, notification_id, purpose="Tilbagemelding til underretter"
    )
    try:
        letter = send_feedback(notification, acting_user=request.user)
    except DecisionError as error:
        messages.error(request, str(error))
    else:
        sent = "Tilbagemeldingen er sendt." if letter else "Tilbagemeldingen var allerede sendt."
        messages.success(request, sent)
    return redirect("notifications:detail", notification_id=notification.pk)


def _add_errors(form, error: DecisionError) -> None:
    for field, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _render(request, notification, *, assessment_form=None, decision_form=None, purpose=""):
    """The page; `purpose` logs the notification's read (POST views logged it already)."""
    role = work_role(request.user, notification)
    page = notification_detail(notification, request.user, role, timezone.now(), purpose=purpose)
    decision_form = decision_form or DecisionForm()
    decision_form.limit_choices(allow_existing_case=page.open_case is not None)
    context = {
        "n": notification,
        "page": page,
        "assessment_form": assessment_form or AssessmentForm(),
        "decision_form": decision_form,
    }
    return render(request, "notifications/detail.html", context)
