"""One follow-up: the form that records it (a score grid goal × source, the decision and its
reason, the next follow-ups, whether the schedule was explained to the child), or, once held,
what was recorded. A decision other than "continue" needs the child heard first (barnets lov
§ 5): the form offers the case's conversations eligible on the day posted as held (else
today), the day the service checks, or the exception. Access: the
follow-up's case through `get_case_for_user` (404 to outsiders, the same answer as for a
follow-up that does not exist)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trappen.cases.access import CASE_NOT_FOUND, get_case_for_user
from trappen.cases.follow_ups import record_follow_up
from trappen.cases.models import FollowUp, FollowUpDecision, Goal, GoalScore, ScoreSource
from trappen.cases.plan_forms import SCHEDULE_DATES, FollowUpForm
from trappen.cases.plans import PlanError
from trappen.cases.views.plan import add_errors, case_url
from trappen.voice.decisions import eligible_conversations


def _follow_up(request, follow_up_id: int, purpose: str):
    follow_up = (
        FollowUp.objects.select_related("intervention", "held_by").filter(pk=follow_up_id).first()
    )
    if follow_up is None:
        raise Http404(CASE_NOT_FOUND)
    # shown only after the access check below (404 for outsiders, as for a missing follow-up)
    case, _ = get_case_for_user(request.user, follow_up.intervention.case_id, purpose=purpose)
    follow_up.intervention.case = case
    return case, follow_up


def _recorded_grid(follow_up, goals):
    """For a held follow-up: (goal, [score or None per source])."""
    scores = {(s.goal_id, s.source): s.score for s in GoalScore.objects.filter(follow_up=follow_up)}
    return [(g, [scores.get((g.pk, source)) for source in ScoreSource.values]) for g in goals]


def _decision_day(data, item, today):
    """The day the decision at the follow-up is made, as `record_follow_up` will check the
    child heard (§ 5): the posted "held on" when it parses, else today (the form's default, also
    for a follow-up held after its due date). A day the service refuses (in the future, before
    the intervention started) offers today's choices."""
    if data is None:
        return today
    try:
        day = FollowUpForm.base_fields["held_on"].to_python(data.get("held_on"))
    except ValidationError:
        return today
    if day is None or day > today or day < item.intervention.start_on:
        return today
    return day


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, follow_up_id: int):
    case, item = _follow_up(request, follow_up_id, purpose="Opfølgning")
    intervention = item.intervention
    goals = list(Goal.objects.filter(interventions=intervention).order_by("pk"))
    context = {
        "case": case,
        "case_url": case_url(case),
        "f": item,
        "i": intervention,
        "sources": ScoreSource.choices,
    }
    if item.held_on is not None:
        context["grid"] = _recorded_grid(item, goals)
        return render(request, "cases/follow_up_done.html", context)

    data = request.POST if request.method == "POST" else None
    today = timezone.localdate()
    form = FollowUpForm(
        data,
        goals=goals,
        interval_default=case.municipality.follow_up_interval_months,
        conversations=list(eligible_conversations(case, _decision_day(data, item, today))),
        initial={"held_on": today},
    )
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        by_dates = cleaned["schedule"] == SCHEDULE_DATES
        ends = cleaned["decision"] == FollowUpDecision.END
        try:
            record_follow_up(
                item,
                held_on=cleaned["held_on"],
                scores=form.scores(),
                decision=cleaned["decision"],
                reason=cleaned["reason"],
                progress=cleaned["progress"],
                next_dates=form.next_dates() if by_dates and not ends else None,
                interval_months=None if by_dates or ends else cleaned["interval_months"],
                schedule_explained_to_child=cleaned["schedule_explained_to_child"],
                schedule_note=cleaned["schedule_note"],
                child_heard=form.child_heard(),
                acting_user=request.user,
            )
        except PlanError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Opfølgningen er registreret.")
            return redirect(case_url(case))
    context["form"] = form
    return render(request, "cases/follow_up.html", context)
