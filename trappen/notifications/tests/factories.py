"""Builders of intake submissions (NotificationInput) for tests, one per way in.

Each takes the `world` fixture and keyword changes, so a test states only what matters to it:

    data = professional_input(world, child_cpr=world.anna.cpr)
    result = submit(world, data)
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import replace

from trappen.api.models import ApiClient
from trappen.notifications.models import Channel, ReporterKind
from trappen.notifications.services import NotificationInput, SubmissionResult, submit_notification

_keys = itertools.count(1)
CONCERN = "Syntetisk bekymring: barnet virker trist og træt og har meget fravær."


def professional_input(world, **changes) -> NotificationInput:
    """A teacher at Nordskolen (persona `professional`) about Anna, by her CPR number."""
    data = NotificationInput(
        channel=Channel.PROFESSIONAL_FORM,
        reporter_kind=ReporterKind.SCHOOL,
        concern=CONCERN,
        areas=("school", "family"),
        reasons=("child_behaviour",),
        level=4,
        child_cpr=world.anna.cpr,
        child_name="Anna Testesen",
        reporter_user=world.personas["professional"],
        reporter_unit=world.school_a,
        reporter_profession="Lærer",
    )
    return replace(data, **changes)


def public_input(world, **changes) -> NotificationInput:
    """A neighbour on the public form, by name (no CPR number), not anonymous."""
    data = NotificationInput(
        channel=Channel.PUBLIC_FORM,
        reporter_kind=ReporterKind.CITIZEN,
        concern=CONCERN,
        child_name="Ida Naboesen",
        child_birth_date=datetime.date(2016, 5, 1),
        child_address="Testvej 1",
        reporter_name="Nabo Naboesen",
        reporter_phone="12 34 56 78",
    )
    return replace(data, **changes)


def anonymous_input(world, **changes) -> NotificationInput:
    """An anonymous citizen on the public form."""
    data = public_input(
        world, reporter_kind=ReporterKind.ANONYMOUS, is_anonymous=True, reporter_name=""
    )
    return replace(data, reporter_phone="", **changes)


def api_client(world, *, unit=None, name="Skolesystem") -> ApiClient:
    return ApiClient.objects.create(
        municipality=world.municipality,
        name=name,
        unit=unit,
        token_hash=f"{next(_keys):064x}",
    )


def api_input(world, client: ApiClient, **changes) -> NotificationInput:
    """Another system on behalf of a unit (the client's unit), about Anna."""
    data = NotificationInput(
        channel=Channel.API,
        reporter_kind=ReporterKind.SCHOOL,
        concern=CONCERN,
        child_cpr=world.anna.cpr,
        child_name="Anna Testesen",
        api_client=client,
    )
    return replace(data, **changes)


def submit(world, data: NotificationInput, **kwargs) -> SubmissionResult:
    """Submit to the world's municipality."""
    return submit_notification(world.municipality, data, **kwargs)


def new_key(prefix: str = "web") -> str:
    return f"{prefix}:{next(_keys)}"
