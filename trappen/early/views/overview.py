"""The unit's overview (docs/early-overview.md): the list of the user's schools, daycares and
health services, and one unit's page — the children table for a professional, the counts for
the leader of the school or daycare.

Thin: the unit must be one where the user is a professional or the leader (404 otherwise), then
`early.overview` reads; the children shown are logged in one audit write.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from trappen.core import audit
from trappen.core.models import AuditAction, OrganisationalUnit, Role
from trappen.early.overview import unit_aggregates, unit_overview

AUDIT_PURPOSE = "Enhedens overblik over trivselsvurderinger"
UNIT_ROLES = (Role.PROFESSIONAL, Role.UNIT_LEADER)
CHILDREN_VIEW = "boern"  # ?visning=boern: a leader who is also a professional sees the children


@dataclass(frozen=True)
class UnitEntry:
    unit: OrganisationalUnit
    roles: list[str]  # "Fagperson (3.a)", "Leder"


def _require_unit_role(user) -> None:
    if not user.has_perm("early.view_unit_aggregates"):
        raise PermissionDenied


def _assignments_per_unit(user) -> dict[int, list[tuple[Role, str]]]:
    found: dict[int, list[tuple[Role, str]]] = {}
    for role in UNIT_ROLES:
        for unit_id, group in user.unit_groups(role):
            found.setdefault(unit_id, []).append((role, group))
    return found


def _role_text(role: Role, group: str) -> str:
    if role == Role.UNIT_LEADER:
        return "Leder"
    return f"Fagperson ({group})" if group else "Fagperson (hele enheden)"


@login_required
@require_GET
def units(request):
    """The user's units: a professional's and a leader's own schools, daycares, health services."""
    user = request.user
    _require_unit_role(user)
    per_unit = _assignments_per_unit(user)
    found = OrganisationalUnit.objects.filter(
        pk__in=list(per_unit), municipality_id=user.municipality_id
    ).order_by("name", "pk")
    entries = [
        UnitEntry(u, [_role_text(role, group) for role, group in per_unit[u.pk]]) for u in found
    ]
    return render(request, "early/units.html", {"entries": entries})


def _own_unit(user, unit_id: int) -> OrganisationalUnit:
    per_unit = _assignments_per_unit(user)
    unit = (
        OrganisationalUnit.objects.select_related("municipality")
        .filter(pk=unit_id, municipality_id=user.municipality_id)
        .first()
        if unit_id in per_unit
        else None
    )
    if unit is None:
        raise Http404("Enheden findes ikke, eller du har ikke adgang.")
    return unit


@login_required
@require_GET
def unit_detail(request, unit_id: int):
    """The leader of the unit sees the counts; a professional the children table. A leader who
    is also a professional at the unit can switch to the children (`?visning=boern`)."""
    user = request.user
    _require_unit_role(user)
    unit = _own_unit(user, unit_id)
    today = timezone.localdate()
    leads = unit.pk in user.unit_ids(Role.UNIT_LEADER)
    professional = unit.pk in user.unit_ids(Role.PROFESSIONAL)
    if leads and not (professional and request.GET.get("visning") == CHILDREN_VIEW):
        context = {"agg": unit_aggregates(unit, today=today), "professional": professional}
        return render(request, "early/unit_aggregates.html", context)
    group = request.GET.get("gruppe", "").strip()[:50] or None
    overview = unit_overview(user, unit, group, today=today)
    audit.record_many(
        user,
        [
            audit.AuditEntry(AuditAction.VIEW, "people.child", str(pk), pk, AUDIT_PURPOSE)
            for pk in overview.child_ids
        ],
        role=Role.PROFESSIONAL,
    )
    context = {
        "ov": overview,
        "rows": [(row, *_child_links(row.child_id)) for row in overview.rows],
        "not_assessed": [(row, *_child_links(row.child_id)) for row in overview.not_assessed],
        "leads": leads,
    }
    return render(request, "early/unit_overview.html", context)


def _child_links(child_id: int) -> tuple[str, str]:
    """The child's assessments page and a new assessment (early:child_assessments and
    early:assessment_new); empty while those pages are not there."""
    return _reverse("early:child_assessments", child_id), _reverse("early:assessment_new", child_id)


def _reverse(name: str, child_id: int) -> str:
    try:
        return reverse(name, kwargs={"child_id": child_id})
    except NoReverseMatch:
        pass
    try:
        return f"{reverse(name)}?barn={child_id}"
    except NoReverseMatch:
        return ""
