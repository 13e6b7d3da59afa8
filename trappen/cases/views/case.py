"""The case page: everything about the child on one page (read-only; see ..case_page).

The timeline shows 50 events at a time, newest first, and can be narrowed to one kind of event
(`?type=brev&side=2`); a plain GET form and links, so it works without JavaScript. The long
tables' rows are rendered in `case_html` (the template engine costs more than the page).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trappen.cases import case_html
from trappen.cases.case_page import load_case_page


@login_required
@require_GET
def detail(request, case_id: int):
    page = load_case_page(
        request.user,
        case_id,
        timeline_kind=request.GET.get("type", "")[:20],
        timeline_page=request.GET.get("side", "1")[:6],
    )
    tables = {
        "interventions": case_html.intervention_rows(page.interventions),
        "earlier_interventions": case_html.intervention_rows(page.earlier_interventions),
        "follow_ups": case_html.follow_up_rows(page.follow_ups),
        "timeline": case_html.timeline_rows(page.shown.events),
    }
    return render(request, "cases/case_detail.html", {"page": page, "tables": tables})
