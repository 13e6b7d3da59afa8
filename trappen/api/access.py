"""What an API client may read: the notifications it submitted itself, nothing else."""

from __future__ import annotations

from django.http import Http404

from trappen.api.models import ApiClient
from trappen.core import audit
from trappen.core.models import AuditAction
from trappen.notifications.models import Notification

MAX_ID = 2**63 - 1  # larger ids cannot be in the table, and some databases refuse the query


def get_notification_for_client(client: ApiClient, notification_id: int) -> Notification:
    """The client's own notification (the read is logged), else 404 for any other id."""
    notification = None
    if 0 < notification_id <= MAX_ID:
        notification = Notification.objects.filter(
            pk=notification_id, api_client=client, municipality_id=client.municipality_id
        ).first()
    if notification is None:
        raise Http404
    log_client_read(client, notification, "hentede underretningens status")
    return notification


def log_client_read(client: ApiClient, notification: Notification, what: str) -> None:
    audit.record(
        None,
        AuditAction.VIEW,
        notification,
        role="api",
        purpose=f"API-klienten {client.name} (nr. {client.pk}) {what}",
        municipality=client.municipality,
    )
