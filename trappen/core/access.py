"""Who may see what: the one place where access to children and cases is decided.

Access follows role *and* relation to the child (DOMAIN.md, "Roles"):
- professional: children enrolled in, or served by, the user's own units; never case files;
- professional with a group or class: only the children of that group;
- outreach social worker: children of the assigned units whose assessment was shared with the
  outreach worker (consent or the legal basis recorded), or who are in early help there;
- leader of a school or daycare: no individual children, only the unit's aggregated levels;
- caseworker: children with a case in the user's team, or a break-the-glass grant;
- team leader: children with a case in the team;
- provider: children with an intervention delivered by the provider;
- citizen: the custody holder's own children, or the child's own record from 10;
- analyst, administrator: no personal data at all.

Views call the `get_*_for_user` helpers, which answer 404 to outsiders so that "missing" and
"forbidden" look the same, and log the read.
"""

from __future__ import annotations

import datetime

import rules
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from trappen.core import audit
from trappen.core.models import AuditAction, BreakGlassGrant, Role, User

BREAK_GLASS_HOURS = 8


def _children():
    from trappen.people.models import Child

    return Child.objects


def child_filter_for_role(user: User, role: Role) -> Q | None:
    """A filter on Child selecting the children `user` may see in `role`, or None for none."""
    units = user.unit_ids(role)
    if role == Role.PROFESSIONAL:
        return _professional_filter(user.unit_groups(role))
    if role == Role.OUTREACH:
        # Nothing identifying leaves a school or daycare before consent or a notification: the
        # outreach worker sees the children whose assessment was shared with the outreach
        # worker, and those in early help, in the assigned units (docs/early.md).
        if not units:
            return None
        shared = Q(sharings__unit_id__in=units, sharings__recipient="outreach")
        return Q(early_help__unit_id__in=units) | shared
    if role == Role.TEAM_LEADER:
        return Q(cases__team_id__in=units) if units else None
    if role == Role.CASEWORKER:
        granted = Q(pk__in=active_break_glass(user).values("child_id"))
        return (Q(cases__team_id__in=units) | granted) if units else granted
    if role == Role.PROVIDER:
        return Q(cases__interventions__provider_id__in=units) if units else None
    if role == Role.CITIZEN:
        return Q(user=user) | Q(
            guardian_links__guardian__user=user, guardian_links__has_custody=True
        )
    return None


def _professional_filter(unit_groups: list[tuple[int, str]]) -> Q | None:
    """The children of the professional's units, or of the one group or class (for a health
    visitor: district) an assignment names."""
    whole = [unit for unit, group in unit_groups if not group]
    q = Q(unit_id__in=whole) | Q(health_unit_id__in=whole) if whole else None
    for unit, group in unit_groups:
        if group and unit not in whole:
            part = Q(unit_id=unit, group_name=group) | Q(health_unit_id=unit, district=group)
            q = part if q is None else q | part
    return q


def access_basis(user: User, child) -> Role | None:
    """The first role in which `user` may see `child` (most specific first), or None."""
    if not user.is_authenticated or child.municipality_id != user.municipality_id:
        return None
    for role in ACCESS_ORDER:
        if not user.has_role(role):
            continue
        q = child_filter_for_role(user, role)
        if q is not None and _children().filter(q, pk=child.pk).exists():
            return role
    return None


ACCESS_ORDER = (
    Role.CASEWORKER,
    Role.TEAM_LEADER,
    Role.OUTREACH,
    Role.PROFESSIONAL,
    Role.PROVIDER,
    Role.CITIZEN,
)


def visible_children(user: User) -> QuerySet:
    if not user.is_authenticated or user.municipality_id is None:
        return _children().none()
    q = None
    for role in user.role_set():
        role_q = child_filter_for_role(user, role)
        if role_q is not None:
            q = role_q if q is None else q | role_q
    if q is None:
        return _children().none()
    return _children().filter(q, municipality_id=user.municipality_id).distinct()


def find_child_for_user(user: User, child_id: int):
    """The child and the role if `user` may see it, else 404; the caller logs the read (with
    what else the page shows, in one audit write)."""
    child = _children().filter(pk=child_id).select_related("unit", "household").first()
    role = access_basis(user, child) if child is not None else None
    if role is None:
        raise Http404("Barnet findes ikke, eller du har ikke adgang.")
    return child, role


def get_child_for_user(user: User, child_id: int, *, purpose: str = ""):
    """The child if `user` may see it (the read is logged), else 404."""
    child, role = find_child_for_user(user, child_id)
    audit.record(user, AuditAction.VIEW, child, role=role, purpose=purpose)
    return child, role


def active_break_glass(user: User) -> QuerySet:
    """The user's break-the-glass grants that are still in force."""
    since = timezone.now() - datetime.timedelta(hours=BREAK_GLASS_HOURS)
    return BreakGlassGrant.objects.filter(user=user, granted_at__gte=since)


def team_ids_led_by(user: User) -> list[int]:
    return user.unit_ids(Role.TEAM_LEADER)


# --- rules predicates: capabilities that do not depend on a particular child ---


@rules.predicate
def is_caseworker(user) -> bool:
    return user.is_authenticated and user.has_role(Role.CASEWORKER)


@rules.predicate
def is_team_leader(user) -> bool:
    return user.is_authenticated and user.has_role(Role.TEAM_LEADER)


@rules.predicate
def is_professional(user) -> bool:
    return user.is_authenticated and user.has_role(Role.PROFESSIONAL)


@rules.predicate
def is_outreach(user) -> bool:
    return user.is_authenticated and user.has_role(Role.OUTREACH)


@rules.predicate
def is_unit_leader(user) -> bool:
    return user.is_authenticated and user.has_role(Role.UNIT_LEADER)


@rules.predicate
def is_provider(user) -> bool:
    return user.is_authenticated and user.has_role(Role.PROVIDER)


@rules.predicate
def is_analyst(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ANALYST)


@rules.predicate
def is_administrator(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR)


@rules.predicate
def is_citizen(user) -> bool:
    return user.is_authenticated and user.has_role(Role.CITIZEN)


@rules.predicate
def can_see_child(user, child) -> bool:
    return child is not None and access_basis(user, child) is not None


@rules.predicate
def leads_a_team_of_child(user, child) -> bool:
    teams = team_ids_led_by(user)
    return bool(teams) and child.cases.filter(team_id__in=teams).exists()


rules.add_perm("people.view_child", can_see_child)
rules.add_perm("people.search_child_by_cpr", is_caseworker | is_team_leader)
rules.add_perm("core.view_child_audit", is_team_leader & leads_a_team_of_child)
rules.add_perm("core.break_glass", is_caseworker)
rules.add_perm("core.review_break_glass", is_team_leader)
rules.add_perm("core.view_letters", is_caseworker | is_team_leader | is_citizen)
rules.add_perm("strategy.view_aggregates", is_analyst | is_team_leader)
rules.add_perm("core.administer", is_administrator)
rules.add_perm("early.record_assessment", is_professional)
rules.add_perm("early.request_consultation", is_professional)
rules.add_perm("early.handle_consultations", is_outreach)
rules.add_perm("early.start_early_help", is_outreach)
rules.add_perm("early.view_unit_aggregates", is_unit_leader | is_professional)
