"""What every kind of alert (notification deadlines, case deadlines) shares: its recipient marks
it seen, once, with an audit event."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from trappen.core import audit
from trappen.core.models import AuditAction, User


def mark_own_alert_seen(
    alerts: QuerySet,
    alert_id: int,
    *,
    acting_user: User,
    child_id_of: Callable[[Model], int | None],
    purpose: str,
) -> Model:
    """Mark one of `acting_user`'s own alerts in `alerts` seen. Raises the model's DoesNotExist
    for anyone else's alert (the view answers 404). Marking it again changes nothing."""
    with transaction.atomic():
        alert = alerts.select_for_update(of=("self",)).get(pk=alert_id, recipient=acting_user)
        if alert.seen_at is None:
            alert.seen_at = timezone.now()
            alert.save(update_fields=["seen_at"])
            audit.record(
                acting_user,
                AuditAction.UPDATE,
                object_type=alert._meta.label_lower,
                object_id=str(alert.pk),
                child_id=child_id_of(alert),
                purpose=purpose,
            )
    return alert
