"""Marking a case alert seen (the start page lists the unseen ones)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from trappen.cases.case_alerts import mark_case_alert_seen
from trappen.cases.models import CaseAlert


@login_required
@require_POST
def case_alert_seen(request, alert_id: int):
    """Only the alert's recipient may mark it seen; to anyone else it does not exist (404)."""
    try:
        mark_case_alert_seen(alert_id, acting_user=request.user)
    except CaseAlert.DoesNotExist as error:
        raise Http404("Beskeden findes ikke.") from error
    return redirect("core:home")
