"""Letters to the child (docs/voice-letters.md): the case's plans and decisions, a preview of the
letter the child would get (rendered, not saved), and sending it through the letter service.

Thin: every page goes through `get_case_for_user` (404 to outsiders, the read logged), and the
rules (age bands, recipients, at most one letter per plan or decision) live in
`trappen.voice.child_letters`, whose Danish errors are shown on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from trappen.cases.access import case_role, find_case_for_user
from trappen.cases.models import ChildPlan
from trappen.cases.plans import PlanError, log
from trappen.core.models import AuditAction
from trappen.voice import child_letters
from trappen.voice.models import CaseDecision

SOURCE_NOT_FOUND = "Planen eller afgørelsen findes ikke, eller du har ikke adgang."
CASE_PARTS = ("case__municipality", "case__child", "case__team", "case__caseworker")


class SendForm(forms.Form):
    confirmed = forms.BooleanField(
        label="Jeg har læst brevet igennem, og det passer til barnet",
        error_messages={"required": "Læs brevet igennem, og sæt kryds, før du sender det."},
    )


@dataclass(frozen=True)
class Source:
    """A kind of thing a letter to the child can be about."""

    name: str  # in the URL names: child_letter_<name>, child_letter_<name>_send
    label: str
    make_drafts: object
    send: object

    def get_for_user(self, user, case_id: int, pk: int):
        """The plan or decision of the case with its case (one query), if `user` may work on the
        case; else 404. Annotated with when its letter was sent and the next follow-up."""
        model = ChildPlan if self.name == "plan" else CaseDecision
        rows = model.objects.select_related(*CASE_PARTS).filter(pk=pk, case_id=case_id)
        if model is CaseDecision:
            rows = rows.select_related("intervention__provider", "conversation", "follow_up")
        obj = child_letters.with_next_follow_up(child_letters.with_sent_at(rows)).first()
        role = case_role(user, obj.case) if obj is not None else None
        if role is None:
            raise Http404(SOURCE_NOT_FOUND)
        return obj, obj.case, role


PLAN = Source("plan", "barnets plan", child_letters.drafts_for_plan, child_letters.send_plan_letter)
DECISION = Source(
    "decision",
    "afgørelsen",
    child_letters.drafts_for_decision,
    child_letters.send_decision_letter,
)


def _list_url(case) -> str:
    return reverse("voice:child_letters", kwargs={"case_id": case.pk})


@login_required
@require_GET
def child_letters_page(request, case_id: int):
    """The case's plans and decisions, each with its letter to the child: shown or sent."""
    case, role = find_case_for_user(request.user, case_id)
    plans = list(
        child_letters.with_sent_at(ChildPlan.objects.filter(case=case)).order_by(
            "-decided_on", "-pk"
        )
    )
    decisions = list(
        child_letters.with_sent_at(CaseDecision.objects.filter(case=case)).order_by(
            "-decided_on", "-pk"
        )
    )
    # the case and every plan and decision shown: one audit insert
    log(request.user, AuditAction.VIEW, [case, *plans, *decisions], case, role, "Breve til barnet")
    try:
        band, refusal = child_letters.age_band(case.child.birth_date, timezone.localdate()), ""
    except PlanError as error:
        band, refusal = None, str(error)
    return render(
        request,
        "voice/child_letters.html",
        {
            "case": case,
            "case_url": reverse("cases:detail", kwargs={"case_id": case.pk}),
            "plans": plans,
            "decisions": decisions,
            "band": band,
            "refusal": refusal,
        },
    )


def _render_letter(request, case, source: Source, obj, form):
    """The preview page: the letter as it would be sent, and the send form."""
    try:
        drafts = source.make_drafts(obj)
    except PlanError as error:
        drafts, refusal = [], str(error)
    else:
        refusal = ""
    body_html = child_letters.preview(drafts[0], case, request.user) if drafts else ""
    return render(
        request,
        "voice/child_letter.html",
        {
            "case": case,
            "list_url": _list_url(case),
            "source": source,
            "obj": obj,
            "drafts": drafts,
            "band": drafts[0].context["band"] if drafts else None,
            "body_html": body_html,
            "refusal": refusal,
            "sent_at": obj.letter_sent_at,
            "form": form,
            "send_url": reverse(
                f"voice:child_letter_{source.name}_send",
                kwargs={"case_id": case.pk, f"{source.name}_id": obj.pk},
            ),
        },
    )


def _preview(request, case_id: int, pk: int, source: Source):
    obj, case, role = source.get_for_user(request.user, case_id, pk)
    log(request.user, AuditAction.VIEW, [case, obj], case, role, "Brev til barnet (udkast)")
    return _render_letter(request, case, source, obj, SendForm())


def _send(request, case_id: int, pk: int, source: Source):
    obj, case, role = source.get_for_user(request.user, case_id, pk)
    log(request.user, AuditAction.VIEW, [case, obj], case, role, "Brev til barnet sendes")
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            letters = source.send(obj, request.user)
        except PlanError as error:
            for message in (m for ms in error.errors.values() for m in ms):
                form.add_error(None, message)
        else:
            count = len(letters)
            if letters and letters[0].recipient_child_id is not None:
                text = f"Brevet til {case.child.first_name} om {source.label} er sendt."
            else:
                holders = "forældremyndighedsindehaver" + ("" if count == 1 else "e")
                text = (
                    f"Brevet til {case.child.first_name} om {source.label} er sendt til "
                    f"{count} {holders}, som læser det sammen med {case.child.first_name}."
                )
            messages.success(request, text)
            return redirect(_list_url(case))
    return _render_letter(request, case, source, obj, form)


@login_required
@require_GET
def plan_letter(request, case_id: int, plan_id: int):
    return _preview(request, case_id, plan_id, PLAN)


@login_required
@require_POST
def plan_letter_send(request, case_id: int, plan_id: int):
    return _send(request, case_id, plan_id, PLAN)


@login_required
@require_GET
def decision_letter(request, case_id: int, decision_id: int):
    return _preview(request, case_id, decision_id, DECISION)


@login_required
@require_POST
def decision_letter_send(request, case_id: int, decision_id: int):
    return _send(request, case_id, decision_id, DECISION)
