"""Network meetings: the case's meetings and family group conferences (with the form for a new
meeting), and one meeting with the form for its follow-up.

Thin: every page goes through `find_case_for_user` (404 to outsiders; the case is logged with
the meetings, conferences and network persons shown, in one audit write), parses a form and
calls `voice.meetings`, whose Danish errors go back on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trappen.cases.access import find_case_for_user
from trappen.cases.plans import PlanError, log
from trappen.cases.views.plan import add_errors, case_url
from trappen.core.models import AuditAction
from trappen.voice.conferences import phase_label
from trappen.voice.meeting_forms import MeetingFollowUpForm, MeetingForm
from trappen.voice.meetings import network_of, record_meeting, record_meeting_follow_up
from trappen.voice.models import FamilyGroupConference, NetworkMeeting, NetworkMeetingKind

MEETING_NOT_FOUND = "Mødet findes ikke, eller du har ikke adgang."


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request, case_id: int):
    case, role = find_case_for_user(request.user, case_id)  # the read is logged below
    initial = {"held_on": timezone.localdate(), "kind": NetworkMeetingKind.NETWORK}
    data = request.POST if request.method == "POST" else None
    network = list(network_of(case)) if case.is_open else []
    form = MeetingForm(data, initial=initial, network=network)
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        try:
            meeting = record_meeting(
                case,
                kind=cleaned["kind"],
                held_on=cleaned["held_on"],
                participants=cleaned["participants"],
                professionals=cleaned["professionals"],
                child_took_part=cleaned["child_took_part"],
                agreements=cleaned["agreements"],
                follow_up_on=cleaned["follow_up_on"],
                acting_user=request.user,
            )
        except PlanError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{meeting.get_kind_display()} er registreret.")
            return redirect("voice:meeting", case_id=case.pk, meeting_id=meeting.pk)
    meeting_list = list(
        NetworkMeeting.objects.filter(case=case).annotate(network_count=Count("participants"))
    )
    conferences = list(FamilyGroupConference.objects.filter(case=case))
    for c in conferences:
        c.phase_name = phase_label(c.phase)
    # The network persons offered as participants are shown too: one audit write for all.
    log(
        request.user,
        AuditAction.VIEW,
        [case, *meeting_list, *conferences, *network],
        case,
        role,
        "Netværksmøder og familierådslagninger",
    )
    context = {
        "case": case,
        "case_url": case_url(case),
        "meetings": meeting_list,
        "conferences": conferences,
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "voice/meetings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request, case_id: int, meeting_id: int):
    case, role = find_case_for_user(request.user, case_id)  # the read is logged below
    item = (
        NetworkMeeting.objects.filter(pk=meeting_id, case=case)
        .select_related("recorded_by")
        .prefetch_related("participants")
        .first()
    )
    if item is None:
        raise Http404(MEETING_NOT_FOUND)
    item.case = case
    participants = list(item.participants.all())  # prefetched
    log(request.user, AuditAction.VIEW, [case, item, *participants], case, role, "Netværksmøde")
    form = None
    if item.follow_up_held_on is None:
        data = request.POST if request.method == "POST" else None
        form = MeetingFollowUpForm(data, initial={"held_on": timezone.localdate()})
        if data is not None and form.is_valid():
            try:
                record_meeting_follow_up(
                    item,
                    held_on=form.cleaned_data["held_on"],
                    note=form.cleaned_data["note"],
                    acting_user=request.user,
                )
            except PlanError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Opfølgningen er registreret.")
                return redirect("voice:meeting", case_id=case.pk, meeting_id=item.pk)
    elif request.method == "POST":
        messages.error(request, "Opfølgningen på mødet er allerede registreret.")
    context = {
        "case": case,
        "case_url": case_url(case),
        "m": item,
        "participants": participants,
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "voice/meeting.html", context)
