"""The API's operations: thin, as the views are; the intake service does the work."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Header, Router
from ninja.responses import Status

from trappen.api.access import get_notification_for_client, log_client_read
from trappen.api.models import ApiClient
from trappen.api.schemas import IDEMPOTENCY_KEY_PATTERN, ErrorsOut, NotificationIn, NotificationOut
from trappen.core.models import OrganisationalUnit
from trappen.notifications.models import Channel, Notification, ReporterKind
from trappen.notifications.services import (
    InvalidNotification,
    NotificationInput,
    submit_notification,
)

router = Router(tags=["Underretninger"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        None,
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_KEY_PATTERN,
        description="Anbefales: samme nøgle ved et genforsøg giver det første svar i stedet for "
        "en ny underretning. Højst 100 synlige ASCII-tegn, fx et UUID.",
    ),
]
ERRORS = {code: ErrorsOut for code in (400, 401, 409, 415, 422)}


@router.post(
    "/notifications",
    response={201: NotificationOut, 200: NotificationOut, **ERRORS},
    url_name="notification_create",
    summary="Send en underretning",
)
def create_notification(
    request: HttpRequest,
    response: HttpResponse,
    payload: NotificationIn,
    idempotency_key: IdempotencyKey = None,
):
    """Modtag en underretning. 201 ved en ny; 200 med headeren `Idempotent-Replayed: true`,
    når samme Idempotency-Key og samme indhold er sendt før; 409, når nøglen er brugt til et
    andet indhold."""
    client: ApiClient = request.auth
    key = f"api:{client.pk}:{idempotency_key}" if idempotency_key else None
    result = submit_notification(
        client.municipality, notification_input(client, payload), idempotency_key=key
    )
    notification = result.notification
    response["Location"] = reverse("api:notification_detail", args=[notification.pk])
    if not result.created:
        log_client_read(client, notification, "fik det første svar igen (Idempotency-Key)")
        response["Idempotent-Replayed"] = "true"
        return Status(200, notification)
    return Status(201, notification)


@router.get(
    "/notifications/{int:notification_id}",
    response={200: NotificationOut, 401: ErrorsOut, 404: ErrorsOut},
    url_name="notification_detail",
    summary="Se status for en underretning",
)
def notification_detail(request: HttpRequest, notification_id: int) -> Notification:
    """Status og frister for en underretning, som klienten selv har sendt (ellers 404)."""
    return get_notification_for_client(request.auth, notification_id)


def notification_input(client: ApiClient, payload: NotificationIn) -> NotificationInput:
    reporter, child = payload.reporter, payload.child
    return NotificationInput(
        channel=Channel.API,
        api_client=client,
        reporter_kind=reporter.kind.value,
        reporter_unit=reporting_unit(client, reporter.unit_id),
        reporter_profession=reporter.profession,
        reporter_organisation=reporter.organisation,
        reporter_name=reporter.name,
        reporter_phone=reporter.phone,
        reporter_email=reporter.email,
        is_anonymous=reporter.kind == ReporterKind.ANONYMOUS,
        child_cpr=child.cpr,
        child_name=child.name,
        child_birth_date=child.birth_date,
        child_address=child.address,
        siblings_note=payload.siblings,
        concern=payload.concern,
        areas=tuple(dict.fromkeys(area.value for area in payload.areas)),
        reasons=tuple(dict.fromkeys(reason.value for reason in payload.reasons)),
        level=payload.level,
        acute=payload.acute,
    )


def reporting_unit(client: ApiClient, unit_id: int | None) -> OrganisationalUnit | None:
    """The client's own unit if it has one, else the unit named in the payload (same town)."""
    if client.unit is not None:
        if unit_id not in (None, client.unit_id):
            raise InvalidNotification(
                {"reporter_unit": ["Klienten sender for én bestemt enhed; udelad unit_id."]}
            )
        return client.unit
    if unit_id is None:
        return None
    unit = OrganisationalUnit.objects.filter(
        pk=unit_id, municipality_id=client.municipality_id
    ).first()
    if unit is None:
        raise InvalidNotification({"reporter_unit": ["Enheden findes ikke i kommunen."]})
    return unit
