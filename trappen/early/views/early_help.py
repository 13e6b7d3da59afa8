"""Early help at steps 0–1: the outreach social worker's list, starting one with the custody
holders' consent, one early help, and ending it (docs/early-help.md).

Everything is limited to the outreach worker's assigned units; anything outside them is 404.
The child is chosen among the children the outreach worker may already see (an assessment
shared with the outreach worker, or earlier early help), comes from a shared assessment
(`?vurdering=<id>`), or is found by CPR number. The CPR look-up is a POST and happens only in
the POST that also declares the custody holders' consent, so nothing identifying is looked at
before consent; the child found is then carried in a signed, short-lived token (never in the
URL) while the worker marks who consented.
"""

from __future__ import annotations

import datetime
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trappen.core import audit, cpr
from trappen.core.access import child_filter_for_role
from trappen.core.models import AuditAction, OrganisationalUnit, Role
from trappen.early.early_help import EARLY_STEPS, end_early_help, start_early_help
from trappen.early.early_help_forms import (
    CprConsentForm,
    EarlyHelpForm,
    EndEarlyHelpForm,
    put_errors,
)
from trappen.early.models import Consultation, EarlyHelp, WellbeingAssessment
from trappen.offers.models import Offer
from trappen.people.models import Child, Guardian

ID_PATTERN = re.compile(r"[0-9]{1,18}")
RECENT_DAYS = 365
LIST_LIMIT = 200
CHILD_SALT = "trappen.early.help-child"
TOKEN_MAX_AGE = 60 * 60  # the found child is carried for an hour
TOKEN_MAX_LENGTH = 200
ROLE = Role.OUTREACH


def _outreach_units(user) -> list[int]:
    if not user.has_perm("early.start_early_help"):
        raise PermissionDenied
    return user.unit_ids(ROLE)


def _id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not ID_PATTERN.fullmatch(raw):
        raise Http404
    return int(raw)


def _help_for(user, help_id: int) -> EarlyHelp:
    units = _outreach_units(user)
    help = (
        EarlyHelp.objects.select_related("child", "unit", "offer", "started_by", "assessment")
        .prefetch_related("consenting_guardians")
        .filter(pk=help_id, unit_id__in=units, municipality_id=user.municipality_id)
        .first()
    )
    if help is None:
        raise Http404("Indsatsen findes ikke, eller du har ikke adgang.")
    return help


# --- the list -----------------------------------------------------------------------------


@login_required
@require_GET
def early_help_list(request):
    """Open early help, and early help ended within the last year, in the worker's units."""
    user = request.user
    units = _outreach_units(user)
    since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS)
    helps = list(
        EarlyHelp.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=since),
            unit_id__in=units,
            municipality_id=user.municipality_id,
        )
        .select_related("child", "unit")
        .order_by("-started_on", "-pk")[:LIST_LIMIT]
    )
    open_helps = [h for h in helps if h.ended_on is None]
    ended = [h for h in helps if h.ended_on is not None]
    audit.record_many(
        user,
        [audit.entry_for(h, AuditAction.VIEW, purpose="Tidlige indsatser") for h in helps],
        role=ROLE,
    )
    return render(
        request,
        "early/early_help_list.html",
        {"open_helps": open_helps, "ended": ended, "recent_days": RECENT_DAYS},
    )


# --- starting early help ------------------------------------------------------------------


def known_children(user, units: list[int]):
    """The children the outreach worker may already see who belong to one of the units."""
    q = child_filter_for_role(user, ROLE)
    if q is None or not units:
        return Child.objects.none()
    return (
        Child.objects.filter(q, municipality_id=user.municipality_id)
        .filter(Q(unit_id__in=units) | Q(health_unit_id__in=units))
        .distinct()
    )


def _assessment(user, units, raw) -> WellbeingAssessment | None:
    """The assessment named by ?vurdering=<id>: made in one of the units and shared with the
    outreach worker; else 404."""
    pk = _id(raw)
    if pk is None:
        return None
    assessment = (
        WellbeingAssessment.objects.select_related("child__unit", "unit")
        .filter(
            pk=pk,
            unit_id__in=units,
            child__municipality_id=user.municipality_id,
            sharings__recipient="outreach",
            sharings__unit_id__in=units,
        )
        .first()
    )
    if assessment is None:
        raise Http404("Trivselsvurderingen findes ikke, eller den er ikke delt med dig.")
    return assessment


def _consultation(user, units, raw) -> Consultation | None:
    pk = _id(raw)
    if pk is None:
        return None
    consultation = Consultation.objects.filter(
        pk=pk, unit_id__in=units, municipality_id=user.municipality_id
    ).first()
    if consultation is None:
        raise Http404("Sparringen findes ikke, eller du har ikke adgang.")
    return consultation


def child_token(user, child: Child) -> str:
    return signing.dumps({"c": child.pk, "u": user.pk}, salt=CHILD_SALT)


def child_from_token(user, units, token: str | None) -> Child | None:
    """The child a CPR look-up (with consent) found for this user in the last hour, if it still
    belongs to one of the units; else None."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    try:
        value = signing.loads(token, salt=CHILD_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if (
        not isinstance(value, dict)
        or value.get("u") != user.pk
        or not isinstance(value.get("c"), int)
    ):
        return None
    return _in_units(user, units).select_related("unit").filter(pk=value["c"]).first()


def _in_units(user, units):
    return Child.objects.filter(
        Q(unit_id__in=units) | Q(health_unit_id__in=units), municipality_id=user.municipality_id
    )


def _help_form(user, units, child, data=None, initial=None) -> EarlyHelpForm:
    child_units = [u for u in units if u in (child.unit_id, child.health_unit_id)]
    return EarlyHelpForm(
        data,
        initial=initial,
        units=OrganisationalUnit.objects.filter(pk__in=child_units).order_by("name"),
        offers=Offer.objects.filter(
            municipality_id=user.municipality_id, step__in=EARLY_STEPS
        ).order_by("step", "name"),
        guardians=Guardian.objects.filter(
            child_links__child=child, child_links__has_custody=True
        ).order_by("pk"),
    )


SENSITIVE = ("cpr", "purpose")


@login_required
@sensitive_post_parameters(*SENSITIVE)
@require_http_methods(["GET", "POST"])
def early_help_new(request):
    user = request.user
    units = _outreach_units(user)
    consultation = _consultation(user, units, request.GET.get("sparring"))
    assessment = _assessment(user, units, request.GET.get("vurdering"))
    child, token = None, ""
    if assessment is not None:
        child = assessment.child
    elif (barn := _id(request.GET.get("barn"))) is not None:
        child = known_children(user, units).select_related("unit").filter(pk=barn).first()
        if child is None:
            raise Http404("Barnet findes ikke, eller du har ikke adgang.")
    elif request.method == "POST" and "barn_token" in request.POST:
        token = request.POST["barn_token"]
        child = child_from_token(user, units, token)
        if child is None:
            messages.error(request, "Opslaget er udløbet. Slå barnet op igen.")
            return redirect(request.get_full_path())
    context = {"consultation": consultation, "assessment": assessment, "child": child}

    if child is None:
        cpr_form = CprConsentForm(request.POST or None)
        if request.method == "POST" and cpr_form.is_valid():
            found = _find_by_cpr(user, units, cpr_form.cleaned_data["cpr"])
            if found is not None:
                initial = {"consent_on": cpr_form.cleaned_data["consent_on"]}
                form = _help_form(user, units, found, initial=_initial(units, found, initial))
                _log_child(user, found, "Tidlig indsats: barnet fundet med samtykke")
                context |= {"child": found, "form": form, "token": child_token(user, found)}
                return render(request, "early/early_help_new.html", context)
            cpr_form.add_error("cpr", "Barnet findes ikke blandt børnene i dine enheder.")
        children = list(
            known_children(user, units).order_by("first_name", "last_name", "pk")[:LIST_LIMIT]
        )
        audit.record_many(
            user,
            [
                audit.entry_for(c, AuditAction.VIEW, purpose="Tidlig indsats: vælg barn")
                for c in children
            ],
            role=ROLE,
        )
        context |= {"cpr_form": cpr_form, "children": children}
        return render(request, "early/early_help_new.html", context)

    if request.method == "POST":
        form = _help_form(user, units, child, data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                help = start_early_help(
                    child=child,
                    unit=data["unit"],
                    offer=data["offer"],
                    title=data["title"],
                    step=data["step"],
                    purpose=data["purpose"],
                    started_on=data["started_on"],
                    consent_on=data["consent_on"],
                    consenting_guardians=list(data["consenting_guardians"]),
                    consultation=consultation,
                    assessment=assessment,
                    acting_user=user,
                )
            except ValidationError as error:
                put_errors(form, error)
            else:
                messages.success(request, "Den tidlige indsats er startet.")
                return redirect("early:early_help_detail", help_id=help.pk)
    else:
        form = _help_form(user, units, child, initial=_initial(units, child, {}))
    _log_child(user, child, "Tidlig indsats: ny")
    context |= {"form": form, "token": token}
    return render(request, "early/early_help_new.html", context)


def _initial(units, child, initial: dict) -> dict:
    unit = child.unit_id if child.unit_id in units else child.health_unit_id
    return {"unit": unit, "started_on": timezone.localdate(), **initial}


def _find_by_cpr(user, units, number: cpr.CprNumber) -> Child | None:
    found = (
        _in_units(user, units)
        .select_related("unit")
        .filter(cpr_hash=cpr.lookup_hash(number.digits))
        .first()
    )
    audit.record(
        user,
        AuditAction.SEARCH,
        object_type="people.child",
        object_id=str(found.pk) if found else "",
        child_id=found.pk if found else None,
        role=ROLE,
        purpose="Tidlig indsats: CPR-opslag med samtykke",
    )
    return found


def _log_child(user, child: Child, purpose: str) -> None:
    audit.record(user, AuditAction.VIEW, child, role=ROLE, purpose=purpose)


# --- one early help, and ending it --------------------------------------------------------


def _render_detail(request, help: EarlyHelp, end_form: EndEarlyHelpForm | None = None):
    audit.record_many(
        request.user,
        [
            audit.entry_for(help, AuditAction.VIEW, purpose="Tidlig indsats"),
            audit.entry_for(help.child, AuditAction.VIEW, purpose="Tidlig indsats"),
        ],
        role=ROLE,
    )
    if end_form is None and help.ended_on is None:
        end_form = EndEarlyHelpForm(initial={"ended_on": timezone.localdate()})
    context = {"help": help, "child": help.child, "end_form": end_form}
    return render(request, "early/early_help_detail.html", context)


@login_required
@require_GET
def early_help_detail(request, help_id: int):
    return _render_detail(request, _help_for(request.user, help_id))


@login_required
@require_POST
def early_help_end(request, help_id: int):
    help = _help_for(request.user, help_id)
    form = EndEarlyHelpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            end_early_help(
                help,
                ended_on=data["ended_on"],
                end_reason=data["end_reason"],
                end_note=data["end_note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, "Den tidlige indsats er afsluttet.")
            return redirect("early:early_help_detail", help_id=help.pk)
    return _render_detail(request, help, form)
