"""The team leader's review of decisions made without a conversation with the child (barnets lov
§ 5, stk. 4): the list of the leader's teams' exceptions not yet reviewed (and those reviewed in
the last 30 days), with "Gennemgået". Only team leaders; everyone else gets 404. Reading the
list is logged per decision (`voice.decisions` holds the rules)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from trappen.cases.plans import PlanError
from trappen.core import audit
from trappen.core.models import AuditAction, Role
from trappen.voice.decisions import (
    LIST_MAX,
    counts_by_team,
    decisions_to_review,
    recently_reviewed,
    review_decision,
)

NOT_FOUND = "Siden findes ikke, eller du har ikke adgang."
PERIOD_DAYS = 365


@dataclass(frozen=True)
class TeamCount:
    team: str
    without: int
    total: int


def _require_leader(request) -> None:
    if not request.user.has_role(Role.TEAM_LEADER):
        raise Http404(NOT_FOUND)


@login_required
@require_GET
def decision_review(request):
    _require_leader(request)
    user = request.user
    today = timezone.localdate()
    period = (today - datetime.timedelta(days=PERIOD_DAYS - 1), today)
    counts = [TeamCount(*row) for row in counts_by_team(user, period)]
    pending = list(decisions_to_review(user)[:LIST_MAX])
    reviewed = list(recently_reviewed(user)[:LIST_MAX])
    audit.record_many(
        user,
        [
            audit.AuditEntry(
                AuditAction.VIEW,
                "voice.casedecision",
                str(d.pk),
                d.case.child_id,
                "Gennemgang af afgørelser uden børnesamtale",
            )
            for d in pending + reviewed
        ],
        role=Role.TEAM_LEADER,
    )
    context = {
        "counts": counts,
        "period": period,
        "pending": pending,
        "reviewed": reviewed,
    }
    return render(request, "voice/decision_review.html", context)


@login_required
@require_POST
def decision_reviewed(request, decision_id: int):
    _require_leader(request)
    decision = decisions_to_review(request.user).filter(pk=decision_id).first()
    if decision is None:
        if recently_reviewed(request.user).filter(pk=decision_id).exists():
            messages.info(request, "Afgørelsen er allerede gennemgået.")
            return redirect("voice:decision_review")
        raise Http404(NOT_FOUND)
    try:
        review_decision(decision, acting_user=request.user)
    except PlanError as error:  # not the leader of the case's team any more
        raise Http404(NOT_FOUND) from error
    messages.success(request, "Afgørelsen er markeret som gennemgået.")
    return redirect("voice:decision_review")
