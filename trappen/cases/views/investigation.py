"""The børnefaglig undersøgelse's pages: start one, the investigation page (ICS areas, the child
conversation, the preliminary assessment, the conclusion) and the decision on a sibling (§ 21).

Thin: every page goes through `get_case_for_user` (404 to outsiders, the read logged), parses a
form and calls `cases.investigations` or `cases.siblings`, whose Danish errors go back on the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from trappen.cases.access import get_case_for_user
from trappen.cases.investigation_forms import (
    AreaForm,
    CompleteForm,
    ConversationForm,
    PreliminaryForm,
    SiblingDecisionForm,
    StartForm,
)
from trappen.cases.investigations import (
    InvestigationError,
    complete_investigation,
    link_child_conversation,
    open_investigation,
    preliminary_assessment_due_soon,
    record_area,
    record_preliminary_assessment,
    start_investigation,
)
from trappen.cases.models import Investigation, SiblingAssessment
from trappen.cases.siblings import decide_sibling_assessment
from trappen.core import audit
from trappen.core.home_services import remaining_days
from trappen.core.models import AuditAction
from trappen.core.vocabulary import IcsDimension, IcsSide

NOT_FOUND = "Undersøgelsen findes ikke, eller du har ikke adgang."


def case_url(case) -> str:
    return reverse("cases:detail", kwargs={"case_id": case.pk})


def _add_errors(form, error: InvestigationError) -> None:
    for field, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- start ---


@login_required
@require_http_methods(["GET", "POST"])
def investigation_new(request, case_id: int):
    case, _ = get_case_for_user(request.user, case_id, purpose="Ny børnefaglig undersøgelse")
    today = timezone.localdate()
    form = StartForm(request.POST or None, initial={"aware_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            investigation = start_investigation(
                case,
                aware_on=form.cleaned_data["aware_on"],
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except InvestigationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Undersøgelsen er startet. Fristen er {investigation.due_on:%d.%m.%Y}.",
            )
            return redirect(
                "cases:investigation_detail", case_id=case.pk, investigation_id=investigation.pk
            )
    context = {
        "case": case,
        "case_url": case_url(case),
        "form": form,
        "running": open_investigation(case),
    }
    return render(request, "cases/investigation_new.html", context)


# --- the investigation page ---


def _investigation(request, case_id: int, investigation_id: int, purpose: str):
    case, role = get_case_for_user(request.user, case_id, purpose=purpose)
    investigation = (
        Investigation.objects.select_related("child_conversation", "triggered_by_sibling")
        .filter(pk=investigation_id, case=case)
        .first()
    )
    if investigation is None:
        raise Http404(NOT_FOUND)
    investigation.case = case
    return case, investigation


@dataclass
class AreaGroup:
    side: str
    forms: list


def _area_forms(investigation, bound: AreaForm | None = None) -> list[AreaGroup]:
    found = {a.dimension: a for a in investigation.areas.all()}
    groups: dict[str, AreaGroup] = {s.value: AreaGroup(s.label, []) for s in IcsSide}
    for dimension in IcsDimension:
        if bound is not None and bound.dimension == dimension.value:
            form = bound
        else:
            area = found.get(dimension.value)
            initial = {"resources": area.resources, "concerns": area.concerns} if area else {}
            form = AreaForm(dimension=dimension.value, initial=initial)
        form.label = dimension.label
        form.saved = dimension.value in found
        groups[dimension.side.value].forms.append(form)
    return list(groups.values())


def _render(request, case, investigation, *, status: int = 200, **forms):
    today = timezone.localdate()
    area_form = forms.get("area_form")
    context = {
        # A post naming no dimension: its errors go at the top of the page.
        "page_errors": [message for errs in area_form.errors.values() for message in errs]
        if area_form is not None and area_form.dimension is None
        else [],
        "case": case,
        "case_url": case_url(case),
        "inv": investigation,
        "remaining": remaining_days(investigation.due_on, today),
        "overdue": investigation.completed_on is None and investigation.due_on < today,
        "preliminary_prominent": preliminary_assessment_due_soon(investigation, today),
        "groups": _area_forms(investigation, forms.get("area_form")),
        # Listed once and rendered by hand: the form's own select would query again.
        "conversations": list(case.conversations.order_by("-held_on", "-pk")),
        "conversation_form": forms.get("conversation_form"),
        "preliminary_form": forms.get("preliminary_form")
        or PreliminaryForm(
            initial={
                "text": investigation.preliminary_assessment,
                "expected_completion_on": investigation.expected_completion_on,
            }
        ),
        "complete_form": forms.get("complete_form") or CompleteForm(),
    }
    return render(request, "cases/investigation.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def investigation_detail(request, case_id: int, investigation_id: int):
    case, investigation = _investigation(
        request, case_id, investigation_id, "Børnefaglig undersøgelse"
    )
    return _render(request, case, investigation)


@login_required
@require_POST
def investigation_area(request, case_id: int, investigation_id: int):
    case, investigation = _investigation(
        request, case_id, investigation_id, "Børnefaglig undersøgelse: område"
    )
    dimension = request.POST.get("dimension")
    dimension = dimension if dimension in IcsDimension.values else None
    form = AreaForm(request.POST, dimension=dimension)
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_area(
                investigation, data["dimension"], data["resources"], data["concerns"], request.user
            )
        except InvestigationError as error:
            _add_errors(form, error)
        else:
            saved = True
    if _is_htmx(request) and dimension is not None:
        form.label = IcsDimension(dimension).label
        form.saved = saved or investigation.areas.filter(dimension=dimension).exists()
        context = {"case": case, "inv": investigation, "form": form, "just_saved": saved}
        return render(request, "cases/investigation_area.html", context)
    if saved:
        messages.success(request, f"Området »{IcsDimension(dimension).label}« er gemt.")
        url = reverse(
            "cases:investigation_detail",
            kwargs={"case_id": case.pk, "investigation_id": investigation.pk},
        )
        return redirect(f"{url}#omraade-{dimension}")
    return _render(request, case, investigation, area_form=form)


@login_required
@require_POST
def investigation_conversation(request, case_id: int, investigation_id: int):
    case, investigation = _investigation(
        request, case_id, investigation_id, "Børnefaglig undersøgelse: børnesamtale"
    )
    form = ConversationForm(request.POST, case=case)
    if form.is_valid():
        try:
            link_child_conversation(investigation, form.cleaned_data["conversation"], request.user)
        except InvestigationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Børnesamtalen er gemt på undersøgelsen.")
            return redirect(
                "cases:investigation_detail", case_id=case.pk, investigation_id=investigation.pk
            )
    return _render(request, case, investigation, conversation_form=form)


@login_required
@require_POST
def investigation_preliminary(request, case_id: int, investigation_id: int):
    case, investigation = _investigation(
        request, case_id, investigation_id, "Børnefaglig undersøgelse: foreløbig vurdering"
    )
    form = PreliminaryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_preliminary_assessment(
                investigation, data["text"], data["expected_completion_on"], request.user
            )
        except InvestigationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Den foreløbige vurdering er gemt.")
            return redirect(
                "cases:investigation_detail", case_id=case.pk, investigation_id=investigation.pk
            )
    return _render(request, case, investigation, preliminary_form=form)


@login_required
@require_POST
def investigation_complete(request, case_id: int, investigation_id: int):
    case, investigation = _investigation(
        request, case_id, investigation_id, "Børnefaglig undersøgelse: afslutning"
    )
    form = CompleteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            complete_investigation(
                investigation,
                data["conclusion"],
                data["recommendation"],
                data["recommended_step"],
                request.user,
                completed_on=data["completed_on"],
            )
        except InvestigationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Undersøgelsen er afsluttet.")
            return redirect(
                "cases:investigation_detail", case_id=case.pk, investigation_id=investigation.pk
            )
    return _render(request, case, investigation, complete_form=form)


# --- § 21: a sibling of a placed child ---


@login_required
@require_http_methods(["GET", "POST"])
def sibling_assessment(request, case_id: int, assessment_id: int):
    purpose = "Vurdering af søskende ved anbringelse (barnets lov § 21)"
    case, role = get_case_for_user(request.user, case_id, purpose=purpose)
    assessment = (
        SiblingAssessment.objects.select_related("sibling", "placement", "decided_by")
        .filter(pk=assessment_id, placed_case=case)
        .first()
    )
    if assessment is None:
        raise Http404("Vurderingen findes ikke, eller du har ikke adgang.")
    assessment.placed_case = case
    audit.record(request.user, AuditAction.VIEW, assessment.sibling, role=role, purpose=purpose)
    form = SiblingDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _, investigation = decide_sibling_assessment(
                assessment, data["outcome"], data["reason"], request.user
            )
        except InvestigationError as error:
            _add_errors(form, error)
        else:
            if investigation is not None:
                messages.success(
                    request,
                    "Søskendes børnefaglige undersøgelse er i gang "
                    f"(frist {investigation.due_on:%d.%m.%Y}).",
                )
                return redirect(
                    "cases:investigation_detail",
                    case_id=investigation.case_id,
                    investigation_id=investigation.pk,
                )
            messages.success(request, "Vurderingen er gemt.")
            return redirect(
                "cases:sibling_assessment", case_id=case.pk, assessment_id=assessment.pk
            )
    today = timezone.localdate()
    context = {
        "case": case,
        "case_url": case_url(case),
        "assessment": assessment,
        "sibling_age": assessment.sibling.age_on(today),
        "form": form,
        "investigations": list(
            assessment.investigations.select_related("case").order_by("started_on")
        ),
    }
    return render(request, "cases/sibling_assessment.html", context)
