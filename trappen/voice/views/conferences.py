"""The family group conference: refer a family (a new conference), and the conference's page with
its phases as a stepper, the family's plan as a table and only the form for the next step (plus
marking a plan line done while the plan runs, and cancelling while the conference is open).

Every POST to the page names its step (`step`); the service (`voice.conferences`) locks the
conference and refuses a step out of order with a Danish message naming the phase and the step
that must come first. Access through `get_case_for_user` (404 to outsiders, reads logged).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trappen.cases.access import find_case_for_user, get_case_for_user
from trappen.cases.plans import PlanError, log
from trappen.cases.views.plan import add_errors, case_url
from trappen.core.models import AuditAction
from trappen.voice import conferences as service
from trappen.voice.meeting_forms import (
    CancelForm,
    ConferenceFollowUpForm,
    ConferenceMeetingForm,
    ItemDoneForm,
    PrepareForm,
    ReferForm,
)
from trappen.voice.meetings import network_of, shown_persons
from trappen.voice.models import ConferencePhase, FamilyGroupConference

CONFERENCE_NOT_FOUND = "Familierådslagningen findes ikke, eller du har ikke adgang."
PREPARE, MEETING, ITEM_DONE, FOLLOW_UP, CANCEL = (
    "forberedelse",
    "raadslagning",
    "punkt",
    "opfoelgning",
    "afbryd",
)
FORM_FOR_PHASE = {
    ConferencePhase.REFERRED: PREPARE,
    ConferencePhase.PREPARATION: MEETING,
    ConferencePhase.MEETING: FOLLOW_UP,
}


@dataclass(frozen=True)
class StepRow:
    """One step of the stepper: its name, its date, and done / current / next."""

    name: str
    date: object
    state: str  # "done", "current", "next", "cancelled"

    @property
    def state_label(self) -> str:
        return {
            "done": "gennemført",
            "current": "næste skridt",
            "next": "senere",
            "cancelled": "afbrudt",
        }[self.state]


def stepper(c: FamilyGroupConference) -> list[StepRow]:
    """The steps with their short names (`conferences.PHASE_NAMES`), not the model's labels."""
    name = service.PHASE_NAMES
    steps = [
        (name[ConferencePhase.REFERRED], c.referred_on),
        (name[ConferencePhase.PREPARATION], c.preparation_started_on),
        (name[ConferencePhase.MEETING], c.meeting_held_on),
        (name[ConferencePhase.FOLLOW_UP], c.follow_up_held_on or c.follow_up_due_on),
    ]
    order = [ConferencePhase.REFERRED, *service.ORDER[1:]]
    rows = []
    if c.phase == ConferencePhase.CANCELLED:
        done = sum(1 for _, date in steps[:3] if date is not None)
        rows = [StepRow(name, date, "done") for name, date in steps[:done]]
        cancelled = service.PHASE_NAMES[ConferencePhase.CANCELLED]
        return [*rows, StepRow(cancelled, c.cancelled_on, "cancelled")]
    current = order.index(c.phase)
    for n, (name, date) in enumerate(steps):
        state = "done" if n <= current else "current" if n == current + 1 else "next"
        rows.append(StepRow(name, date, state))
    return rows


def _conference(request, case_id: int, conference_id: int):
    """The case and the conference if the user may work on the case, else 404. The caller logs
    the reads (the case, the conference and its plan in one audit write)."""
    case, role = find_case_for_user(request.user, case_id)
    conference = (
        FamilyGroupConference.objects.filter(pk=conference_id, case=case)
        .select_related("referred_by")
        .first()
    )
    if conference is None:
        raise Http404(CONFERENCE_NOT_FOUND)
    conference.case = case
    return case, role, conference


@login_required
@require_http_methods(["GET", "POST"])
def conference_new(request, case_id: int):
    case, _ = get_case_for_user(request.user, case_id, purpose="Ny familierådslagning")
    data = request.POST if request.method == "POST" else None
    form = ReferForm(data, initial={"referred_on": timezone.localdate()})
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        try:
            conference = service.refer(
                case,
                question=cleaned["question"],
                coordinator_name=cleaned["coordinator_name"],
                coordinator_contact=cleaned["coordinator_contact"],
                referred_on=cleaned["referred_on"],
                acting_user=request.user,
            )
        except PlanError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Familien er henvist til familierådslagning.")
            return redirect("voice:conference", case_id=case.pk, conference_id=conference.pk)
    context = {"case": case, "case_url": case_url(case), "form": form}
    return render(request, "voice/conference_new.html", context)


def offered(conference: FamilyGroupConference, has_open_items: bool) -> list[str]:
    """The steps the page offers: the next step, marking a line done, cancelling."""
    steps = []
    if conference.phase in FORM_FOR_PHASE:
        steps.append(FORM_FOR_PHASE[conference.phase])
    if conference.phase == ConferencePhase.MEETING and has_open_items:
        steps.append(ITEM_DONE)
    if conference.phase in service.OPEN:
        steps.append(CANCEL)
    return steps


def refusal(conference: FamilyGroupConference, step: str) -> str:
    """Why a step the page does not offer cannot be taken (an old tab, a second click)."""
    if step == ITEM_DONE:
        return service.item_done_refusal(conference) or "Alle punkter i planen er gjort."
    if step == CANCEL:
        return service.cancel_refusal(conference)
    steps = {PREPARE: service.PREPARE, MEETING: service.MEETING, FOLLOW_UP: service.FOLLOW_UP}
    return service.out_of_order(conference, steps[step])


def _form(step: str, data, conference, network, open_items):
    today = timezone.localdate()
    if step == PREPARE:
        return PrepareForm(data, initial={"started_on": today}, network=network)
    if step == MEETING:
        held_on = conference.meeting_planned_on or today
        return ConferenceMeetingForm(
            data, initial={"held_on": min(held_on, today)}, network=network
        )
    if step == FOLLOW_UP:
        return ConferenceFollowUpForm(data, initial={"held_on": today}, items=open_items)
    if step == ITEM_DONE:
        return ItemDoneForm(data, initial={"done_on": today}, items=open_items)
    return CancelForm(data, initial={"cancelled_on": today})


def _take(step: str, form, conference, user) -> str:
    """Call the service for `step` with the form's data; returns the success message."""
    data = form.cleaned_data
    if step == PREPARE:
        service.start_preparation(
            conference,
            started_on=data["started_on"],
            invited=data["invited"],
            meeting_planned_on=data["meeting_planned_on"],
            acting_user=user,
        )
        return "Forberedelsen er registreret."
    if step == MEETING:
        service.hold_meeting(
            conference,
            held_on=data["held_on"],
            information_given=data["information_given"],
            private_time_held=data["private_time_held"],
            plan=form.lines(),
            plan_accepted=data["plan_accepted"],
            follow_up_due_on=data["follow_up_due_on"],
            acting_user=user,
        )
        return (
            "Rådslagningen og familiens plan er registreret. Opfølgningsmødet holdes senest "
            f"{conference.follow_up_due_on:%d.%m.%Y}."
        )
    if step == ITEM_DONE:
        item = data["item"]
        item.conference = conference
        service.mark_plan_item_done(item, done_on=data["done_on"], acting_user=user)
        return "Punktet er markeret som gjort."
    if step == FOLLOW_UP:
        service.hold_follow_up(
            conference,
            held_on=data["held_on"],
            note=data["note"],
            done_items=[i.pk for i in data["done_items"]],
            acting_user=user,
        )
        return "Opfølgningsmødet er registreret."
    service.cancel(
        conference, cancelled_on=data["cancelled_on"], reason=data["reason"], acting_user=user
    )
    return "Familierådslagningen er afbrudt."


@login_required
@require_http_methods(["GET", "POST"])
def conference(request, case_id: int, conference_id: int):
    case, role, item = _conference(request, case_id, conference_id)
    # Plan lines exist from the meeting on; the invited from the preparation on.
    has_plan = item.meeting_held_on is not None
    plan = list(item.plan_items.select_related("person")) if has_plan else []
    invited = list(item.invited.all()) if item.preparation_started_on else []
    needs_network = item.phase in (ConferencePhase.REFERRED, ConferencePhase.PREPARATION)
    network = list(network_of(case)) if needs_network else []
    # The network persons shown (invited, named on a plan line, offered in the next step's
    # form) are logged with the case, the conference and the plan in one audit write.
    persons = shown_persons(invited, [i.person for i in plan if i.person], network)
    log(
        request.user,
        AuditAction.VIEW,
        [case, item, *plan, *persons],
        case,
        role,
        "Familierådslagning",
    )
    open_items = [i for i in plan if i.done_on is None]
    steps = offered(item, bool(open_items))
    page_errors: list[str] = []
    forms = {}
    if request.method == "POST":
        step = request.POST.get("step")
        if not case.is_open:
            page_errors.append("Sagen er lukket.")
        elif step not in (PREPARE, MEETING, ITEM_DONE, FOLLOW_UP, CANCEL):
            page_errors.append("Vælg et gyldigt trin i familierådslagningen.")
        elif step not in steps:
            page_errors.append(refusal(item, step))
        else:
            form = forms[step] = _form(step, request.POST, item, network, open_items)
            if form.is_valid():
                try:
                    message = _take(step, form, item, request.user)
                except PlanError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, message)
                    return redirect("voice:conference", case_id=case.pk, conference_id=item.pk)
    for step in steps:
        forms.setdefault(step, _form(step, None, item, network, open_items))
    context = {
        "case": case,
        "case_url": case_url(case),
        "c": item,
        "phase_name": service.phase_label(item.phase),
        "steps": stepper(item),
        "plan": plan,
        "invited": invited,
        "forms": forms,
        "page_errors": page_errors,
        "is_open": item.phase in service.OPEN,
        "follow_up_months": service.FOLLOW_UP_MONTHS,
    }
    return render(request, "voice/conference.html", context)
