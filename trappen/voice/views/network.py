"""The network map of a case's child (map and table, add, edit, remove with htmx) and the network
persons on an intervention (the section on the intervention page, `templatetags/voice_network`).

Thin: `get_case_for_user` first (404 to outsiders, the read logged), then a form and
`voice.network`, whose Danish errors go back on the form. With htmx a successful write answers
the map and table (`#netvaerk`) and an error answers the form alone (`#netvaerk-form`, status 200
as the other htmx forms); without htmx a write redirects and an error renders the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from trappen.cases.access import find_case_for_user, get_case_for_user, provider_interventions
from trappen.cases.models import Intervention
from trappen.cases.plans import PlanError, log
from trappen.cases.views.plan import add_errors, case_url, is_htmx
from trappen.core.models import AuditAction
from trappen.voice import network
from trappen.voice.network_forms import NetworkPersonForm, NetworkRoleForm
from trappen.voice.network_map import MapPerson, network_map

INTERVENTION_NOT_FOUND = "Indsatsen findes ikke, eller du har ikke adgang."


def map_url(case) -> str:
    return reverse("voice:network", kwargs={"case_id": case.pk})


def _person_data(form) -> dict:
    return {k: form.cleaned_data.get(k) for k in (*network.FIELDS, "consent_on")}


def _map_context(request, case, role, *, form=None, edit=None, errors=(), with_case=False):
    persons = network.case_network(case, request.user, role, with_case=with_case)
    drawn = network_map(
        case.child.full_name, [MapPerson(p.name, p.closeness, p.relation) for p in persons]
    )
    return {
        "case": case,
        "case_url": case_url(case),
        "map_url": map_url(case),
        "persons": persons,
        "map": drawn,
        "writable": case.is_open,
        "form": form or NetworkPersonForm(),
        "edit": edit,
        "fragment_errors": list(errors),
    }


def _form_context(case, form, edit=None) -> dict:
    return {"case": case, "map_url": map_url(case), "form": form, "edit": edit, "writable": True}


def _answer_form_error(request, case, role, form, edit=None):
    """The form with its errors: alone for htmx (swapped in place of the form), else the page."""
    if is_htmx(request):
        response = render(request, "voice/network_form.html", _form_context(case, form, edit))
        return reswap(retarget(response, "#netvaerk-form"), "outerHTML")
    context = _map_context(request, case, role, form=form, edit=edit)
    return render(request, "voice/network.html", context)


def _answer_saved(request, case, role, text: str):
    if is_htmx(request):
        return render(request, "voice/network_fragment.html", _map_context(request, case, role))
    messages.success(request, text)
    return redirect(map_url(case))


@login_required
@require_http_methods(["GET"])
def network_page(request, case_id: int):
    # The case is found unlogged; its read is logged with the persons' (one audit write).
    case, role = find_case_for_user(request.user, case_id)
    context = _map_context(request, case, role, with_case=True)
    return render(request, "voice/network.html", context)


@login_required
@require_POST
def network_add(request, case_id: int):
    case, role = get_case_for_user(request.user, case_id, purpose=network.PURPOSE_PERSON)
    form = NetworkPersonForm(request.POST)
    if form.is_valid():
        try:
            person = network.add_person(case, acting_user=request.user, **_person_data(form))
        except PlanError as error:
            add_errors(form, error)
        else:
            return _answer_saved(request, case, role, f"{person.name} er sat på netværkskortet.")
    return _answer_form_error(request, case, role, form)


@login_required
@require_http_methods(["GET", "POST"])
def network_edit(request, case_id: int, person_id: int):
    case, role = get_case_for_user(request.user, case_id, purpose=network.PURPOSE_PERSON)
    person = network.get_person(case, person_id)
    if request.method == "GET":
        form = NetworkPersonForm.for_person(person)
        if is_htmx(request):
            log(request.user, AuditAction.VIEW, [person], case, role, network.PURPOSE_PERSON)
            return render(request, "voice/network_form.html", _form_context(case, form, person))
        context = _map_context(request, case, role, form=form, edit=person)
        return render(request, "voice/network.html", context)
    form = NetworkPersonForm(request.POST)
    if form.is_valid():
        try:
            network.update_person(person, case, acting_user=request.user, **_person_data(form))
        except PlanError as error:
            add_errors(form, error)
        else:
            return _answer_saved(request, case, role, f"{person.name} er opdateret.")
    return _answer_form_error(request, case, role, form, edit=person)


@login_required
@require_POST
def network_remove(request, case_id: int, person_id: int):
    case, role = get_case_for_user(request.user, case_id, purpose=network.PURPOSE_PERSON)
    # Also a person already removed: a second click answers "already removed", not 404.
    person = network.get_person(case, person_id, removed_too=True)
    try:
        network.remove_person(person, case, acting_user=request.user)
    except PlanError as error:
        texts = [m for ms in error.errors.values() for m in ms]
        if is_htmx(request):
            context = _map_context(request, case, role, errors=texts)
            return render(request, "voice/network_fragment.html", context)
        for text in texts:
            messages.error(request, text)
        return redirect(map_url(case))
    return _answer_saved(request, case, role, f"{person.name} er fjernet fra netværkskortet.")


# --- the network on an intervention -----------------------------------------------------------


def _intervention(case, intervention_id: int) -> Intervention:
    item = Intervention.objects.filter(pk=intervention_id, case=case).first()
    if item is None:
        raise Http404(INTERVENTION_NOT_FOUND)
    item.case = case
    return item


def intervention_url(case, intervention) -> str:
    return reverse(
        "cases:intervention", kwargs={"case_id": case.pk, "intervention_id": intervention.pk}
    )


def intervention_section(
    request, case, intervention, role, *, form=None, errors=(), with_case=False
) -> dict:
    """The section's context (shared by the template tag and the POST views); the read of the
    roles is logged."""
    roles, free = network.intervention_network(
        intervention, case, request.user, role, with_case=with_case
    )
    ended = intervention.end_on is not None and intervention.end_on < timezone.localdate()
    return {
        "case": case,
        "i": intervention,
        "roles": roles,
        "role_form": form or NetworkRoleForm(persons=free),
        "has_free_persons": bool(free),
        "writable": case.is_open and not ended,
        "can_remove": case.is_open,
        "map_url": map_url(case),
        "section_errors": list(errors),
    }


def _answer_section(request, case, intervention, role, *, form=None, text="", errors=()):
    if is_htmx(request):
        context = intervention_section(request, case, intervention, role, form=form, errors=errors)
        return render(request, "voice/intervention_network.html", context)
    if form is None:
        if text:
            messages.success(request, text)
        return redirect(intervention_url(case, intervention))
    context = intervention_section(request, case, intervention, role, form=form)
    context["intervention_url"] = intervention_url(case, intervention)
    return render(request, "voice/intervention_network_page.html", context)


@login_required
@require_http_methods(["GET"])
def intervention_network(request, case_id: int, intervention_id: int):
    """The section (htmx loads it into the intervention page), or a page of its own."""
    case, role = find_case_for_user(request.user, case_id)  # logged with the roles
    intervention = _intervention(case, intervention_id)
    context = intervention_section(request, case, intervention, role, with_case=True)
    if is_htmx(request):
        return render(request, "voice/intervention_network.html", context)
    context["intervention_url"] = intervention_url(case, intervention)
    return render(request, "voice/intervention_network_page.html", context)


@login_required
@require_POST
def intervention_network_add(request, case_id: int, intervention_id: int):
    case, role = get_case_for_user(request.user, case_id, purpose=network.PURPOSE_ROLE)
    intervention = _intervention(case, intervention_id)
    persons = list(network.active_network(case.child_id))
    form = NetworkRoleForm(request.POST, persons=persons)
    if form.is_valid():
        try:
            item = network.add_role(
                intervention,
                case,
                person=form.chosen_person(),
                part=form.cleaned_data["part"],
                acting_user=request.user,
            )
        except PlanError as error:
            add_errors(form, error)
        else:
            text = f"{item.person.name} er knyttet til indsatsen."
            return _answer_section(request, case, intervention, role, text=text)
    return _answer_section(request, case, intervention, role, form=form)


@login_required
@require_POST
def intervention_network_remove(request, case_id: int, intervention_id: int, role_id: int):
    case, role = get_case_for_user(request.user, case_id, purpose=network.PURPOSE_ROLE)
    intervention = _intervention(case, intervention_id)
    item = network.find_role(intervention, role_id)
    try:
        if item is None:  # already removed (a second click): say so, not 404
            raise PlanError({None: [network.ROLE_NOT_FOUND]})
        network.remove_role(item, case, acting_user=request.user)
    except PlanError as error:
        texts = [m for ms in error.errors.values() for m in ms]
        if is_htmx(request):
            return _answer_section(request, case, intervention, role, errors=texts)
        for text in texts:
            messages.error(request, text)
        return redirect(intervention_url(case, intervention))
    text = f"{item.person.name} er ikke længere knyttet til indsatsen."
    return _answer_section(request, case, intervention, role, text=text)


# --- the provider's view of the network on its intervention -----------------------------------


@login_required
@require_http_methods(["GET"])
def provider_network(request, intervention_id: int):
    """Names, relation and part of the network persons on the provider's own intervention
    (404 for any other); htmx loads it into the provider's intervention page."""
    # Found unlogged here; `provider_roles` logs the intervention with the roles (one write).
    intervention = (
        provider_interventions(request.user)
        .select_related("case")
        .filter(pk=intervention_id)
        .first()
    )
    if intervention is None:
        raise Http404(INTERVENTION_NOT_FOUND)
    context = {"i": intervention, "roles": network.provider_roles(intervention, request.user)}
    if is_htmx(request):
        return render(request, "voice/provider_network.html", context)
    return render(request, "voice/provider_network_page.html", context)
