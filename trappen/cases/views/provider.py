"""The provider's pages: my interventions, one intervention, a progress note, goal scores.

Thin: check the role or the intervention (404 for any other provider's), call `provider`,
render. Every read and write is logged by the service or the access helper.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from trappen.cases import provider
from trappen.cases.provider_forms import GoalScoresForm, ProgressNoteForm


@login_required
@require_GET
def provider_list(request):
    if not provider.is_provider(request.user):
        raise PermissionDenied
    listing = provider.provider_list(request.user, timezone.localdate())
    return render(request, "cases/provider_list.html", {"listing": listing})


@login_required
@require_GET
def provider_intervention(request, intervention_id: int):
    intervention = provider.load_intervention(
        request.user, intervention_id, purpose=provider.PURPOSE_PAGE
    )
    return _render(request, intervention)


@login_required
@require_POST
def provider_note(request, intervention_id: int):
    intervention = provider.load_intervention(
        request.user, intervention_id, purpose=provider.PURPOSE_NOTE
    )
    form = ProgressNoteForm(request.POST)
    if form.is_valid():
        try:
            provider.add_progress_note(
                intervention, text=form.cleaned_data["text"], acting_user=request.user
            )
        except provider.ProviderError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Notatet er gemt.")
            return redirect("cases:provider_intervention", intervention_id=intervention.pk)
    return _render(request, intervention, note_form=form)


@login_required
@require_POST
def provider_scores(request, intervention_id: int):
    intervention = provider.load_intervention(
        request.user, intervention_id, purpose=provider.PURPOSE_SCORES
    )
    goals = provider.provider_goals(intervention)
    form = GoalScoresForm(request.POST, goals=goals)
    if form.is_valid():
        try:
            provider.record_goal_scores(
                intervention,
                scores=form.scores(),
                acting_user=request.user,
                today=timezone.localdate(),
            )
        except provider.ProviderError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Scorerne er gemt.")
            return redirect("cases:provider_intervention", intervention_id=intervention.pk)
    return _render(request, intervention, scores_form=form)


def _add_errors(form, error: "provider.ProviderError") -> None:
    for field, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _render(request, intervention, *, note_form=None, scores_form=None):
    page = provider.provider_page(intervention, timezone.localdate())
    context = {
        "page": page,
        "note_form": note_form or ProgressNoteForm(),
        "scores_form": scores_form or GoalScoresForm(goals=page.goals),
    }
    return render(request, "cases/provider_intervention.html", context)
