"""Finding a child, the child's overview, its audit trail, and break-the-glass access."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from trappen.core import audit
from trappen.core.access import access_basis, find_child_for_user
from trappen.core.models import AuditAction, Role
from trappen.core.services import (
    audit_trail_for_child,
    break_glass_to_review,
    grant_break_glass,
    review_break_glass,
)
from trappen.early.early_help import early_help_for_child_page, step_with_early_help
from trappen.people.forms import BreakGlassForm, ChildSearchForm
from trappen.people.models import Child
from trappen.people.services import child_overview, find_child_by_cpr

ID_PATTERN = re.compile(r"[0-9]{1,18}")


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def search(request):
    """Search by CPR through the keyed hash. POST only, so the number never lands in a URL."""
    _require(request, "people.search_child_by_cpr")
    form = ChildSearchForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        child = find_child_by_cpr(request.user.municipality, form.cleaned_data["cpr"])
        audit.record(
            request.user,
            AuditAction.SEARCH,
            object_type="people.child",
            object_id=str(child.pk) if child else "",
            child_id=child.pk if child else None,
            purpose="Søgning på CPR-nummer",
        )
        if child is None:
            context["not_found"] = True
        elif access_basis(request.user, child) is not None:
            return redirect("core:child_detail", child_id=child.pk)
        elif request.user.has_perm("core.break_glass"):
            return redirect("core:break_glass", child_id=child.pk)
        else:
            context["not_found"] = True
    return render(request, "core/child_search.html", context)


@login_required
@require_http_methods(["GET"])
def detail(request, child_id: int):
    child, role = find_child_for_user(request.user, child_id)  # the read is logged below
    overview = child_overview(child, role, request.user)
    # the child's early help, covered by the child's audit row below (docs/early-help.md)
    early_help = early_help_for_child_page(request.user, child, role)
    if role in (Role.CASEWORKER, Role.TEAM_LEADER):
        overview.step = step_with_early_help(overview.step, early_help, timezone.localdate())
    # One audit write: the child's overview and the network persons shown on it (case roles).
    purpose = "Barnets overblik"
    entries = [audit.entry_for(o, AuditAction.VIEW, purpose=purpose) for o in overview.network]
    audit.record_many(
        request.user,
        [audit.entry_for(child, AuditAction.VIEW, purpose=purpose), *entries],
        role=role,
    )
    context = {"o": overview, "child": child, "early_help": early_help}
    return render(request, "core/child_detail.html", context)


@login_required
@require_http_methods(["GET"])
def audit_log(request, child_id: int):
    """The team leader's "who has looked at this child"."""
    child = get_object_or_404(Child, pk=child_id)
    if not request.user.has_perm("core.view_child_audit", child):
        raise Http404
    audit.record(
        request.user, AuditAction.VIEW, child, role=Role.TEAM_LEADER, purpose="Indsyn i logning"
    )
    page = Paginator(audit_trail_for_child(child).select_related("actor"), 50).get_page(
        request.GET.get("side")
    )
    return render(request, "core/child_audit.html", {"child": child, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request, child_id: int):
    """A caseworker states why they need a child outside their team; then access is granted."""
    _require(request, "core.break_glass")
    child = get_object_or_404(Child, pk=child_id, municipality=request.user.municipality)
    if access_basis(request.user, child) is not None:
        return redirect("core:child_detail", child_id=child.pk)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grant_break_glass(acting_user=request.user, child=child, reason=form.cleaned_data["reason"])
        messages.warning(request, "Du har fået særlig adgang. Din leder får besked.")
        return redirect("core:child_detail", child_id=child.pk)
    return render(request, "core/break_glass.html", {"form": form, "child_id": child.pk})


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_review(request):
    _require(request, "core.review_break_glass")
    grants = break_glass_to_review(request.user)
    if request.method == "POST":
        grant_id = request.POST.get("grant", "")
        if not ID_PATTERN.fullmatch(grant_id):
            raise Http404
        grant = get_object_or_404(grants, pk=int(grant_id))
        review_break_glass(acting_user=request.user, grant=grant)
        messages.success(request, "Markeret som gennemset.")
        return redirect("core:break_glass_review")
    grant_list = list(grants[:200])
    audit.record_many(
        request.user,
        [
            audit.AuditEntry(
                AuditAction.VIEW,
                "core.breakglassgrant",
                str(g.pk),
                g.child_id,
                "Gennemsyn af særlig adgang",
            )
            for g in grant_list
        ],
        role=Role.TEAM_LEADER,
    )
    return render(request, "core/break_glass_review.html", {"grants": grant_list})
