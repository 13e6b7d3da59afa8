"""Interventions: grant one from the offer catalogue, its page (follow-ups, step movements), and
ending it. Thin: `get_case_for_user` first (404 to outsiders, the read logged), then a form and
`cases.interventions`. Granting and ending are decisions: the form offers the case's recent
conversations with the child, or the exception (barnets lov § 5, `voice.decisions`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trappen.cases.access import get_case_for_user
from trappen.cases.interventions import end_intervention, grant_intervention
from trappen.cases.models import Goal, Intervention
from trappen.cases.plan_forms import PROVIDER_KINDS, EndInterventionForm, InterventionForm
from trappen.cases.plans import PlanError
from trappen.cases.services import is_active
from trappen.cases.views.plan import add_errors, case_url
from trappen.core.models import OrganisationalUnit
from trappen.offers.models import Offer
from trappen.voice.decisions import eligible_conversations

NOT_FOUND = "Indsatsen findes ikke, eller du har ikke adgang."


def _form(case, data=None) -> InterventionForm:
    offers = list(
        Offer.objects.filter(municipality_id=case.municipality_id)
        .select_related("provider")
        .order_by("step", "name", "pk")
    )
    providers = list(
        OrganisationalUnit.objects.filter(
            municipality_id=case.municipality_id, kind__in=PROVIDER_KINDS
        ).order_by("name", "pk")
    )
    goals = Goal.objects.filter(plan__case=case, achieved_on__isnull=True).order_by("pk")
    today = timezone.localdate()
    return InterventionForm(
        data,
        offers=offers,
        providers=providers,
        goals=goals,
        conversations=list(eligible_conversations(case, today)),
        initial={"start_on": today},
    )


@login_required
@require_http_methods(["GET", "POST"])
def intervention_new(request, case_id: int):
    case, _ = get_case_for_user(request.user, case_id, purpose="Bevilling af indsats")
    form = _form(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        offer = form.offers.get(data["offer"])
        try:
            item = grant_intervention(
                case,
                offer=offer,
                start_on=data["start_on"],
                end_on=data["end_on"],
                expected_end_on=data["expected_end_on"],
                purpose=data["purpose"],
                provider=form.providers.get(data["provider"]) if data["provider"] else None,
                monthly_cost=data["monthly_cost"],
                goals=data["goals"],
                child_heard=form.child_heard(),
                acting_user=request.user,
            )
        except PlanError as error:
            add_errors(form, error)
        else:
            first = item.follow_ups.filter(is_first=True).first()
            text = f"Indsatsen {item.title} er bevilget."
            if item.is_immediate:
                text += " Den er registreret som en straksindsats (uden afsluttet undersøgelse)."
            if first is not None:
                text += f" Første opfølgning: {first.due_on:%d.%m.%Y}."
            messages.success(request, text)
            return redirect(case_url(case))
    context = {"case": case, "case_url": case_url(case), "form": form}
    return render(request, "cases/intervention_new.html", context)


def _intervention(case, intervention_id: int) -> Intervention:
    item = (
        Intervention.objects.select_related("offer", "provider", "decided_by")
        .filter(pk=intervention_id, case=case)
        .first()
    )
    if item is None:
        raise Http404(NOT_FOUND)
    item.case = case
    return item


@login_required
@require_http_methods(["GET"])
def intervention_detail(request, case_id: int, intervention_id: int):
    case, _ = get_case_for_user(request.user, case_id, purpose="Indsats")
    item = _intervention(case, intervention_id)
    today = timezone.localdate()
    context = {
        "case": case,
        "case_url": case_url(case),
        "i": item,
        "active": is_active(item, today),
        "upcoming": item.start_on > today,
        "follow_ups": list(item.follow_ups.select_related("held_by").order_by("due_on", "pk")),
        "movements": list(item.movements.order_by("moved_on", "pk")),
    }
    return render(request, "cases/intervention.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def intervention_end(request, case_id: int, intervention_id: int):
    case, _ = get_case_for_user(request.user, case_id, purpose="Afslutning af indsats")
    item = _intervention(case, intervention_id)
    today = timezone.localdate()
    form = EndInterventionForm(
        request.POST or None,
        conversations=list(eligible_conversations(case, today)),
        initial={"end_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            end_intervention(
                item,
                end_on=form.cleaned_data["end_on"],
                reason=form.cleaned_data["reason"],
                child_heard=form.child_heard(),
                acting_user=request.user,
            )
        except PlanError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Indsatsen {item.title} er afsluttet.")
            return redirect(case_url(case))
    context = {"case": case, "case_url": case_url(case), "i": item, "form": form}
    return render(request, "cases/intervention_end.html", context)
