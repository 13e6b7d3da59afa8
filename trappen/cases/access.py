"""Who may open and work on a case, and on an intervention: the one place that decides it.

A case belongs to its team. Its caseworkers and team leaders read and write it; a caseworker of
another team only with an active break-the-glass grant for the child (which the leader reviews).
Providers never read the case file: they reach the interventions delivered by their own units
through `get_intervention_for_provider`. Everyone else gets 404, so "missing" and "forbidden"
look the same.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from trappen.cases.models import Case, Intervention
from trappen.cases.prepared import Prepared
from trappen.core import audit
from trappen.core.access import active_break_glass
from trappen.core.models import AuditAction, Role, User

CASE_NOT_FOUND = "Sagen findes ikke, eller du har ikke adgang."
INTERVENTION_NOT_FOUND = "Indsatsen findes ikke, eller du har ikke adgang."


def team_role(user: User, team_id: int) -> Role | None:
    """The role in which `user` works in `team_id`: caseworker first, then team leader."""
    if not user.is_authenticated:
        return None
    if team_id in user.unit_ids(Role.CASEWORKER):
        return Role.CASEWORKER
    if team_id in user.unit_ids(Role.TEAM_LEADER):
        return Role.TEAM_LEADER
    return None


def case_role(user: User, case: Case) -> Role | None:
    """The role in which `user` may work on `case`, or None."""
    if not user.is_authenticated or case.municipality_id != user.municipality_id:
        return None
    role = team_role(user, case.team_id)
    if role is not None:
        return role
    if (
        user.has_role(Role.CASEWORKER)
        and active_break_glass(user).filter(child_id=case.child_id).exists()
    ):
        return Role.CASEWORKER
    return None


def acting_role(user: User | None, case: Case) -> str:
    """The role to write in the audit log for `user` acting on `case`; "" for the system."""
    if user is None:
        return ""
    return case_role(user, case) or ""


def visible_cases(user: User) -> QuerySet:
    """Every case `user` may work on: `case_role` as one query (a test holds them equal)."""
    if not user.is_authenticated or user.municipality_id is None:
        return Case.objects.none()
    q = None
    if user.has_role(Role.CASEWORKER):
        granted = Q(child_id__in=active_break_glass(user).values("child_id"))
        q = Q(team_id__in=user.unit_ids(Role.CASEWORKER)) | granted
    led = user.unit_ids(Role.TEAM_LEADER)
    if led:
        q = Q(team_id__in=led) if q is None else q | Q(team_id__in=led)
    if q is None:
        return Case.objects.none()
    return Case.objects.filter(q, municipality_id=user.municipality_id)


# The case with what every case page shows of it, compiled once (`prepared`: the ORM's own query).
_CASE_BY_ID = Prepared(
    lambda pk: (
        Case.objects.select_related("municipality", "child", "team", "caseworker")
        .filter(pk=pk)
        .order_by("pk")[:1]
    ),
    -7_654_321_101,
)


def find_case_for_user(user: User, case_id: int) -> tuple[Case, Role]:
    """The case and the role in which `user` may work on it, else 404. The caller logs the read."""
    case_id = int(case_id)
    # An id beyond the column's range matches nothing (as the ORM's filter treats it).
    found = _CASE_BY_ID.instances(case_id) if -(2**63) <= case_id < 2**63 else []
    case = found[0] if found else None
    role = case_role(user, case) if case is not None else None
    if role is None:
        raise Http404(CASE_NOT_FOUND)
    return case, role


def get_case_for_user(user: User, case_id: int, *, purpose: str) -> tuple[Case, Role]:
    """The case if `user` may work on it (the read is logged), else 404."""
    case, role = find_case_for_user(user, case_id)
    audit.record(user, AuditAction.VIEW, case, role=role, child_id=case.child_id, purpose=purpose)
    return case, role


def provider_interventions(user: User) -> QuerySet:
    """The interventions delivered by the provider units `user` works in."""
    units = user.unit_ids(Role.PROVIDER) if user.is_authenticated else []
    if not units:
        return Intervention.objects.none()
    return Intervention.objects.filter(
        provider_id__in=units, case__municipality_id=user.municipality_id
    )


def get_intervention_for_provider(
    user: User, intervention_id: int, *, purpose: str
) -> Intervention:
    """An intervention of the user's own provider unit (the read is logged), else 404."""
    item = (
        provider_interventions(user)
        .select_related("case__child", "provider", "offer")
        .filter(pk=intervention_id)
        .first()
    )
    if item is None:
        raise Http404(INTERVENTION_NOT_FOUND)
    audit.record(
        user,
        AuditAction.VIEW,
        item,
        role=Role.PROVIDER,
        child_id=item.case.child_id,
        purpose=purpose,
    )
    return item
