"""Conversations with the child (Lundy): the case's list, a new conversation, and one
conversation's page (its four parts, the decisions it informed, the investigations it was linked
to) with its edit form.

Thin: every page finds the case through `cases.access` (404 to outsiders) and logs the read of
the case and of every conversation shown in one audit write; writes go through
`voice.conversations`, whose Danish errors go back on the form.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.views.decorators.http import require_GET, require_http_methods

from trappen.cases.access import find_case_for_user
from trappen.cases.plans import PlanError, log
from trappen.cases.views.plan import add_errors, case_url
from trappen.core.models import AuditAction
from trappen.voice.conversation_forms import ConversationForm
from trappen.voice.conversations import (
    LUNDY_PARTS,
    lundy_completeness,
    record_conversation,
    update_conversation,
)
from trappen.voice.models import ChildConversation

NOT_FOUND = "Samtalen findes ikke, eller du har ikke adgang."
LIST_PURPOSE = "Børnesamtaler på sagen (barnets lov § 5)"
NEW_PURPOSE = "Ny børnesamtale (barnets lov § 5)"
DETAIL_PURPOSE = "Børnesamtale (barnets lov § 5)"


def _read(request, case_id: int, purpose: str, conversations=()):
    """The case (404 to outsiders) and its role; the read of the case and of `conversations`
    logged together."""
    case, role = find_case_for_user(request.user, case_id)
    items = conversations(case) if callable(conversations) else list(conversations)
    log(request.user, AuditAction.VIEW, [case, *items], case, role, purpose)
    return case, role, items


def _posted(request):
    """The posted data, or None for a GET (an empty POST is still a POST: its errors show)."""
    return request.POST if request.method == "POST" else None


def _answer(conversation: ChildConversation, field: str) -> str:
    """One answer as the page shows it ("" when not answered)."""
    value = getattr(conversation, field)
    if field in ("method", "information_form"):
        return getattr(conversation, f"get_{field}_display")() if value else ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return dateformat.format(value, "j. F Y")
    return value


def _sections(conversation: ChildConversation) -> list:
    """[(part, [(question, answer)])]: the four parts with every question and its answer."""
    label = ConversationForm.base_fields
    return [
        (part, [(label[f].label, _answer(conversation, f)) for f in part.fields])
        for part in LUNDY_PARTS
    ]


@login_required
@require_GET
def conversation_list(request, case_id: int):
    def of_case(case):
        rows = case.conversations.select_related("held_by").order_by("-held_on", "-pk")
        return list(rows)

    case, _, conversations = _read(request, case_id, LIST_PURPOSE, of_case)
    for c in conversations:
        parts = lundy_completeness(c)
        c.parts_filled = sum(p.filled for p in parts)
        c.missing_parts = [p.name for p in parts if not p.filled]
    context = {
        "case": case,
        "case_url": case_url(case),
        "conversations": conversations,
        "told_on": max(
            (c.held_on for c in conversations if c.told_of_support_person), default=None
        ),
    }
    return render(request, "voice/conversation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def conversation_new(request, case_id: int):
    case, _, _ = _read(request, case_id, NEW_PURPOSE)
    form = ConversationForm(_posted(request), initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            conversation = record_conversation(case, request.user, **form.service_fields())
        except PlanError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Samtalen med barnet er gemt.")
            return redirect("voice:conversation", case_id=case.pk, conversation_id=conversation.pk)
    context = {"case": case, "case_url": case_url(case), "form": form}
    return render(request, "voice/conversation_new.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def conversation_detail(request, case_id: int, conversation_id: int):
    def this_one(case):
        found = ChildConversation.objects.select_related("held_by").filter(
            pk=conversation_id, case=case
        )
        return list(found)

    case, _, found = _read(request, case_id, DETAIL_PURPOSE, this_one)
    if not found:
        raise Http404(NOT_FOUND)
    conversation = found[0]
    conversation.case = case
    form = None
    if request.method == "POST":
        form = ConversationForm(request.POST)
        if form.is_valid():
            try:
                update_conversation(conversation, request.user, **form.service_fields())
            except PlanError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Samtalen er rettet.")
                return redirect(
                    "voice:conversation", case_id=case.pk, conversation_id=conversation.pk
                )
    if form is None:
        form = ConversationForm(initial=ConversationForm.initial_from(conversation))
    decisions = conversation.decisions.select_related("decided_by", "intervention").order_by(
        "-decided_on", "-pk"
    )
    context = {
        "case": case,
        "case_url": case_url(case),
        "c": conversation,
        "parts": lundy_completeness(conversation),
        "sections": _sections(conversation),
        "decisions": list(decisions),
        "investigations": list(conversation.investigations.order_by("-started_on", "-pk")),
        "form": form,
        "editing": form.is_bound,
        "writable": case.is_open,
    }
    return render(request, "voice/conversation_detail.html", context)
