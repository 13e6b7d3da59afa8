"""Who may open and work on a notification: the one place that decides it.

A notification belongs to its team. Its caseworkers, its team leader and the caseworker it is
assigned to may read it, assess it and decide on it; a notification not yet given to a team
(untriaged) is open to the municipality's team leaders, who distribute the work. Everyone else
gets 404 from `get_notification_for_user`, so "missing" and "forbidden" look the same: a
caseworker of another team, the professional who notified (who has a view of their own
submissions), the parents.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from trappen.core import audit
from trappen.core.models import AuditAction, Role, User
from trappen.notifications.models import Notification

NOT_FOUND = "Underretningen findes ikke, eller du har ikke adgang."


def work_role(user: User, notification: Notification) -> Role | None:
    """The role in which `user` may work on `notification`, or None."""
    if not user.is_authenticated or notification.municipality_id != user.municipality_id:
        return None
    team_id = notification.team_id
    if team_id is not None and team_id in user.unit_ids(Role.CASEWORKER):
        return Role.CASEWORKER
    if notification.assigned_to_id == user.pk and user.has_role(Role.CASEWORKER):
        return Role.CASEWORKER
    leads = user.unit_ids(Role.TEAM_LEADER)
    if team_id in leads or (team_id is None and leads):
        return Role.TEAM_LEADER
    return None


def visible_notifications(user: User) -> QuerySet:
    """Every notification `user` may work on: `work_role` as one query (tests hold them equal)."""
    if not user.is_authenticated or user.municipality_id is None:
        return Notification.objects.none()
    q = None
    if user.has_role(Role.CASEWORKER):
        q = Q(team_id__in=user.unit_ids(Role.CASEWORKER)) | Q(assigned_to=user)
    led = user.unit_ids(Role.TEAM_LEADER)
    if led:
        leader_q = Q(team_id__in=led) | Q(team__isnull=True)  # untriaged: leaders distribute
        q = leader_q if q is None else q | leader_q
    if q is None:
        return Notification.objects.none()
    return Notification.objects.filter(q, municipality_id=user.municipality_id)


def find_notification_for_user(user: User, notification_id: int) -> tuple[Notification, Role]:
    """The notification and the role in which `user` may work on it, else 404.

    The caller logs the read (the detail page logs it with the repeat history in one write);
    `get_notification_for_user` does both.
    """
    notification = (
        Notification.objects.select_related(
            "municipality",
            "child",
            "team",
            "assigned_to",
            "reporter_unit",
            "case",
            "assessed_by",
            "decided_by",
        )
        .filter(pk=notification_id)
        .first()
    )
    role = work_role(user, notification) if notification is not None else None
    if role is None:
        raise Http404(NOT_FOUND)
    return notification, role


def get_notification_for_user(user: User, notification_id: int, *, purpose: str) -> Notification:
    """The notification if `user` may work on it (the read is logged), else 404."""
    notification, role = find_notification_for_user(user, notification_id)
    audit.record(user, AuditAction.VIEW, notification, role=role, purpose=purpose)
    return notification
