"""Core actions: each is atomic and writes its audit event in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from trappen.core import audit
from trappen.core.models import AuditAction, AuditEvent, BreakGlassGrant, Role, User
from trappen.people.models import Child


def grant_break_glass(*, acting_user: User, child: Child, reason: str) -> BreakGlassGrant:
    """A caseworker opens a child outside the own team; the reason is logged and reviewed."""
    if not acting_user.has_role(Role.CASEWORKER) or child.municipality_id != (
        acting_user.municipality_id
    ):
        raise PermissionError("Only a caseworker in the child's municipality may break the glass")
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(user=acting_user, child=child, reason=reason)
        audit.record(
            acting_user,
            AuditAction.BREAK_GLASS,
            child,
            role=Role.CASEWORKER,
            purpose=f"Særlig adgang: {reason}",
        )
    return grant


def break_glass_to_review(leader: User) -> QuerySet[BreakGlassGrant]:
    """Unreviewed grants by caseworkers in the leader's teams, or to children of those teams."""
    teams = leader.unit_ids(Role.TEAM_LEADER)
    in_my_teams = Q(user__role_assignments__unit_id__in=teams) | Q(child__cases__team_id__in=teams)
    return (
        BreakGlassGrant.objects.filter(reviewed_at__isnull=True)
        .filter(user__municipality=leader.municipality)
        .filter(in_my_teams)
        .select_related("user", "child")
        .distinct()
        .order_by("-granted_at")
    )


def review_break_glass(*, acting_user: User, grant: BreakGlassGrant) -> None:
    with transaction.atomic():
        grant.reviewed_by = acting_user
        grant.reviewed_at = timezone.now()
        grant.save(update_fields=["reviewed_by", "reviewed_at"])
        audit.record(
            acting_user,
            AuditAction.UPDATE,
            grant,
            role=Role.TEAM_LEADER,
            purpose="Særlig adgang gennemset",
        )


def audit_trail_for_child(child: Child) -> QuerySet[AuditEvent]:
    """Who has looked at or changed this child's data, newest first."""
    return AuditEvent.objects.filter(child_id=child.pk).order_by("-seq")


ADMINISTERED_MODELS = (
    ("core", "user"),
    ("core", "roleassignment"),
    ("core", "organisationalunit"),
    ("core", "closingday"),
    ("core", "municipality"),
    ("offers", "offer"),
)


def grant_administrator_permissions(user: User) -> None:
    """Let an administrator keep users, units, closing days and offers in the admin; no cases."""
    from django.contrib.auth.models import Permission

    perms = Permission.objects.none()
    for app_label, model in ADMINISTERED_MODELS:
        perms |= Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model
        )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*perms)
