"""A child's wellbeing assessments, for the professionals of the child's own unit: the history
(newest first) with the levels as a chart and a table, the trend and what was shared; a new
assessment; one assessment's page with what its level asks (notify, consult) and the sharing
form.

Thin: every page finds the child through `_child_for_professional` (the professional's own
units, or the one group or class an assignment names; 404 to everyone else), and logs the child
and every assessment and sharing shown in one audit write. Writes go through
`early.assessments` and `early.sharing`, whose Danish errors go back on the form. After a new
assessment: levels 4–5 open the notification form pre-filled from it (the duty to notify),
level 3 the assessment's page with the suggestion of a consultation, levels 1–2 the history.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trappen.core import audit
from trappen.core.access import child_filter_for_role, is_professional
from trappen.core.models import AuditAction, OrganisationalUnit, Role
from trappen.core.vocabulary import ConcernArea, ConcernLevel
from trappen.early.assessment_forms import (
    AssessmentForm,
    SharingForm,
    add_errors,
    level_options,
)
from trappen.early.assessments import (
    CONSULT,
    DUTY_TO_NOTIFY_PARAGRAPH,
    NOTIFY,
    age_band_for,
    next_step,
    record_assessment,
    units_for,
)
from trappen.early.level_chart import level_chart
from trappen.early.models import AgeBand, InformationSharing, WellbeingAssessment
from trappen.early.sharing import early_cooperation_rule, record_sharing
from trappen.early.trends import trend
from trappen.people.models import Child

NOT_FOUND = "Barnet findes ikke, eller du har ikke adgang."
ASSESSMENT_NOT_FOUND = "Vurderingen findes ikke, eller du har ikke adgang."
LIST_PURPOSE = "Barnets trivselsvurderinger"
NEW_PURPOSE = "Ny trivselsvurdering"
DETAIL_PURPOSE = "Trivselsvurdering"
AREA_LABELS = dict(ConcernArea.choices)


def _child_for_professional(user, child_id: int) -> tuple[Child, list[int]]:
    """The child and the units (ids) in which `user`, as a professional, may see and assess it;
    404 for anyone else (the read is logged by the caller, with what else the page shows)."""
    if not is_professional(user):
        raise Http404(NOT_FOUND)
    q = child_filter_for_role(user, Role.PROFESSIONAL)
    child = (
        Child.objects.filter(q, pk=child_id, municipality_id=user.municipality_id).first()
        if q is not None
        else None
    )
    units = units_for(user, child) if child is not None else []
    if not units:
        raise Http404(NOT_FOUND)
    return child, units


def _log(user, child: Child, objects, purpose: str) -> None:
    entries = [audit.entry_for(child, AuditAction.VIEW, purpose=purpose)]
    entries += [audit.entry_for(obj, AuditAction.VIEW, purpose=purpose) for obj in objects]
    audit.record_many(user, entries, role=Role.PROFESSIONAL)


def _assessments(child: Child, units: list[int]):
    sharings = InformationSharing.objects.order_by("shared_on", "pk")
    return (
        WellbeingAssessment.objects.filter(child=child, unit_id__in=units)
        .select_related("unit", "author")
        .prefetch_related(Prefetch("sharings", queryset=sharings))
        .order_by("-assessed_on", "-recorded_at", "-pk")
    )


def _decorate(assessment: WellbeingAssessment) -> WellbeingAssessment:
    assessment.area_labels = [AREA_LABELS.get(a, a) for a in assessment.areas or ()]
    assessment.next_step = next_step(assessment.level)
    assessment.level_obj = ConcernLevel(assessment.level)
    return assessment


def consultation_url(assessment: WellbeingAssessment) -> str:
    """The booking page of an anonymous consultation, pre-filled with the age band, the level
    and the areas (never the child's name, birth date or id); "" while the page does not exist."""
    try:
        base = reverse("early:consultation_book")
    except NoReverseMatch:
        return ""
    params = [("niveau", str(assessment.level))]
    band = age_band_for(assessment.child.birth_date, timezone.localdate())
    if band:
        params.insert(0, ("alder", band))
    params += [("omraade", area) for area in assessment.areas or ()]
    return f"{base}?{urlencode(params)}"


def notification_url(assessment: WellbeingAssessment) -> str:
    return f"{reverse('notifications:new')}?{urlencode({'vurdering': assessment.pk})}"


@login_required
@require_GET
def child_assessments(request, child_id: int):
    child, units = _child_for_professional(request.user, child_id)
    assessments = [_decorate(a) for a in _assessments(child, units)]
    sharings = [s for a in assessments for s in a.sharings.all()]
    _log(request.user, child, [*assessments, *sharings], LIST_PURPOSE)
    chronological = list(reversed(assessments))
    levels = [a.level for a in chronological]
    context = {
        "child": child,
        "assessments": assessments,
        "sharings": sharings,
        "trend": trend(levels) if levels else None,
        "latest": assessments[0] if assessments else None,
        "chart": level_chart(
            [(a.assessed_on, a.level) for a in chronological],
            title=f"Trivselsvurderinger af {child.first_name} over tid",
        )
        if assessments
        else "",
    }
    return render(request, "early/assessment_list.html", context)


def _unit_choices(units: list[int]) -> list[tuple[int, str]]:
    names = dict(OrganisationalUnit.objects.filter(pk__in=units).values_list("pk", "name"))
    return [(u, names.get(u, "")) for u in units]


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request, child_id: int):
    user = request.user
    child, units = _child_for_professional(user, child_id)
    _log(user, child, [], NEW_PURPOSE)
    choices = _unit_choices(units)
    posted = request.POST if request.method == "POST" else None
    form = AssessmentForm(
        posted, units=choices, initial={"assessed_on": timezone.localdate(), "unit": units[0]}
    )
    if posted is not None and form.is_valid():
        unit = OrganisationalUnit.objects.get(pk=form.cleaned_data["unit"])
        try:
            assessment = record_assessment(
                child=child, unit=unit, acting_user=user, **form.service_fields()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _after_save(request, child, assessment)
    context = {"child": child, "form": form, "levels": level_options()}
    return render(request, "early/assessment_new.html", context)


def _after_save(request, child: Child, assessment: WellbeingAssessment):
    step = next_step(assessment.level)
    if step == NOTIFY:
        messages.warning(
            request,
            f"Vurderingen er gemt: {assessment.get_level_display()}. Du har pligt til at "
            f"underrette kommunen ({DUTY_TO_NOTIFY_PARAGRAPH}). Underretningen er udfyldt fra "
            "vurderingen.",
        )
        return redirect(notification_url(assessment))
    if step == CONSULT:
        messages.success(request, "Vurderingen er gemt.")
        return redirect("early:assessment_detail", child_id=child.pk, assessment_id=assessment.pk)
    messages.success(request, "Vurderingen er gemt.")
    return redirect("early:child_assessments", child_id=child.pk)


def _detail(request, child_id: int, assessment_id: int, form: SharingForm | None):
    user = request.user
    child, units = _child_for_professional(user, child_id)
    assessment = _assessments(child, units).filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404(ASSESSMENT_NOT_FOUND)
    _decorate(assessment)
    assessment.child = child
    sharings = list(assessment.sharings.all())
    _log(user, child, [assessment, *sharings], DETAIL_PURPOSE)
    if form is None:
        form = SharingForm(initial={"shared_on": timezone.localdate()})
    context = {
        "child": child,
        "a": assessment,
        "sharings": sharings,
        "form": form,
        "notification_url": notification_url(assessment) if assessment.next_step == NOTIFY else "",
        "consultation_url": consultation_url(assessment) if assessment.next_step == CONSULT else "",
        "age_band": AgeBand(b).label
        if (b := age_band_for(child.birth_date, timezone.localdate()))
        else "",
        "early_cooperation_rule": early_cooperation_rule(),
        "duty_paragraph": DUTY_TO_NOTIFY_PARAGRAPH,
    }
    return render(request, "early/assessment_detail.html", context)


@login_required
@require_GET
def assessment_detail(request, child_id: int, assessment_id: int):
    return _detail(request, child_id, assessment_id, None)


@login_required
@require_POST
def assessment_share(request, child_id: int, assessment_id: int):
    user = request.user
    child, units = _child_for_professional(user, child_id)
    assessment = (
        WellbeingAssessment.objects.filter(pk=assessment_id, child=child, unit_id__in=units)
        .select_related("unit")
        .first()
    )
    if assessment is None:
        raise Http404(ASSESSMENT_NOT_FOUND)
    assessment.child = child
    form = SharingForm(request.POST)
    if form.is_valid():
        try:
            record_sharing(assessment, acting_user=user, **form.service_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Delingen er registreret.")
            return redirect(
                "early:assessment_detail", child_id=child.pk, assessment_id=assessment.pk
            )
    return _detail(request, child_id, assessment_id, form)
