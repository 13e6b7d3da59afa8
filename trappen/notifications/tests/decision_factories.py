"""Notifications ready for the assessment and decision tests (on the `world` personas)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from trappen.core.tests.factories import NotificationFactory
from trappen.notifications.decisions import record_assessment
from trappen.notifications.models import ReporterKind

RECEIVED = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


def professional_notification(world, **kwargs):
    """A notification about Anna from her school, for team A, assigned to alice."""
    received_at = kwargs.pop("received_at", timezone.now() - datetime.timedelta(hours=2))
    values = {
        "child": world.anna,
        "municipality": world.municipality,
        "received_at": received_at,
        "reporter_kind": ReporterKind.SCHOOL,
        "reporter_user": world.personas["professional"],
        "reporter_unit": world.school_a,
        "reporter_name": "Lærer Lise Underretter",
        "reporter_email": "lise.underretter@example.invalid",
        "reporter_phone": "11223344",
        "reporter_organisation": "Nordskolen",
        "team": world.team_a,
        "assigned_to": world.personas["alice"],
        "concern": "Anna kommer ofte sulten i skole.",
        "receipt_due_on": (received_at + datetime.timedelta(days=8)).date(),
    }
    values.update(kwargs)
    return NotificationFactory(**values)


def assessed(notification, user, *, danger: bool = False):
    note = "Ingen akut fare." if not danger else "Barnet har blå mærker."
    return record_assessment(
        notification, danger=danger, acute_measures=False, note=note, acting_user=user
    )
