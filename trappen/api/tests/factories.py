"""Factories for the API's tests: clients with a known token, and notifications they sent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from trappen.api.auth import new_token
from trappen.api.models import ApiClient
from trappen.notifications.models import Channel, Notification, ReporterKind


def api_client(municipality, *, name: str = "Skolesystem", unit=None, is_active=True):
    """An ApiClient and its token (the only time the token is known)."""
    token, digest = new_token()
    client = ApiClient.objects.create(
        municipality=municipality, name=name, unit=unit, token_hash=digest, is_active=is_active
    )
    return client, token


def submitted_notification(client: ApiClient, child=None) -> Notification:
    """A notification as if `client` had sent it, without going through the intake service."""
    now = timezone.now()
    return Notification.objects.create(
        municipality=client.municipality,
        channel=Channel.API,
        api_client=client,
        received_at=now,
        reporter_kind=ReporterKind.SCHOOL,
        reporter_unit=client.unit,
        child=child,
        concern="Barnet virker bange for at gå hjem.",
        assessment_due_at=now + datetime.timedelta(hours=24),
        receipt_due_on=(now + datetime.timedelta(days=8)).date(),
    )
