"""The economy page (`oekonomi/`): the cost of active interventions per team, per step and per
case, month by month for the last 12 months (see ..economy for the rule)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trappen.cases import economy as services


def _table(lines) -> list[dict]:
    return [
        {
            "label": line.label,
            "team": line.team,
            "months": [services.kroner(v) for v in line.months],
            "total": services.kroner(line.total),
        }
        for line in lines
    ]


@login_required
@require_GET
def economy(request):
    if not services.may_view(request.user):
        raise PermissionDenied
    report = services.economy_report(request.user)
    totals = _table([report.totals])[0]
    context = {
        "report": report,
        "month_labels": report.month_labels,
        "by_team": _table(report.by_team),
        "by_step": _table(report.by_step),
        "by_case": _table(report.by_case),
        "totals": totals,
        "chart": services.bar_chart(report),
    }
    return render(request, "cases/economy.html", context)
