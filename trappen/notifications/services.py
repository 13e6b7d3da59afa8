"""Intake: the one service every way in (professional form, public form, API) goes through.

`submit_notification` validates, matches the child, stores the legal deadlines from
`core.calendar`, writes the timeline and the audit log, and commits before it returns; the
caller answers "received" only after that. A retried submission with the same idempotency key
returns the first notification (`created=False`); the same key with different content is a
conflict.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from trappen.core.models import Municipality, OrganisationalUnit, User
from trappen.notifications.models import Channel, Notification


@dataclass(frozen=True)
class NotificationInput:
    """A submission, already parsed by its form or API schema (strings stripped, types right)."""

    channel: Channel
    reporter_kind: str  # a ReporterKind value
    concern: str
    areas: tuple[str, ...] = ()  # ConcernArea values
    reasons: tuple[str, ...] = ()  # NotificationReason values
    level: int | None = None  # ConcernLevel value
    acute: bool = False
    # The child: a CPR number, or name and birth date (and address) when it is unknown.
    child_cpr: str = ""
    child_name: str = ""
    child_birth_date: datetime.date | None = None
    child_address: str = ""
    siblings_note: str = ""
    # Who notifies
    reporter_user: User | None = None
    reporter_unit: OrganisationalUnit | None = None
    reporter_profession: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    reporter_organisation: str = ""
    is_anonymous: bool = False
    api_client: object | None = None  # trappen.api.models.ApiClient
    wellbeing_assessment_id: int | None = None


class InvalidNotification(ValueError):
    """The submission breaks a rule. `errors` maps field names to Danish messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class IdempotencyConflict(ValueError):
    """The idempotency key was used before for a different submission."""


@dataclass(frozen=True)
class SubmissionResult:
    notification: Notification
    created: bool  # False: a retry, answered with the first notification
    warnings: list[str] = field(default_factory=list)


def validate_notification(municipality: Municipality, data: NotificationInput) -> None:
    """Raise InvalidNotification naming every field that breaks a rule."""
    raise NotImplementedError


def submit_notification(
    municipality: Municipality,
    data: NotificationInput,
    *,
    idempotency_key: str | None = None,
    now: datetime.datetime | None = None,
) -> SubmissionResult:
    """Store a notification (or return the first one for a repeated key); see the module doc."""
    raise NotImplementedError
