"""The case page: everything about the child on one page (read-only; see ..case_page).

The timeline shows 50 events at a time, newest first, and can be narrowed to one kind of event
(`?type=brev&side=2`); a plain GET form and links, so it works without JavaScript. The long
tables' rows, the plans and the short lists are rendered in `case_html` (through the template
engine they cost more than the rest of the page).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trappen.cases import case_html
from trappen.cases.case_page import load_case_page
from trappen.voice.decisions import case_decisions


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
        "timeline_kinds": case_html.timeline_kind_options(page.shown),
        "plans": case_html.plans(page.plans),
        "earlier_plans": case_html.plans(page.earlier_plans),
        "notifications": case_html.notification_rows(page.recent_notifications),
        "letters": case_html.letter_rows(page.recent_letters),
        "conversations": case_html.conversation_items(page.recent_conversations),
        "movements": case_html.movement_rows(page.recent_movements),
        "assignments": case_html.assignment_rows(page.assignments),
        "cases": case_html.case_items(page.cases, page.case.pk),
        "actions": case_html.action_items(page.actions),
        "investigations": case_html.investigation_rows(page.investigations),
    }
    see_all = case_html.see_all
    tables["all_notifications"] = see_all(page.notifications, "underretning", "underretninger")
    tables["all_letters"] = see_all(page.letters, "brev", "breve")
    tables["all_conversations"] = see_all(page.conversations, "boernesamtale", "samtaler")
    tables["all_movements"] = see_all(page.movements, "trin", "trinskift")
    context = {"page": page, "tables": tables, "decisions": case_decisions(page.case)}
    return render(request, "cases/case_detail.html", context)
