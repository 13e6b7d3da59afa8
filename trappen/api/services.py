"""Issuing and revoking API clients: one action each, atomic, with its audit event."""

from __future__ import annotations

from django.db import transaction

from trappen.api.auth import new_token
from trappen.api.models import ApiClient
from trappen.core import audit
from trappen.core.models import AuditAction, Municipality, OrganisationalUnit, User


class ClientError(ValueError):
    """The client cannot be made or revoked as asked (a Danish message)."""


def create_api_client(
    municipality: Municipality,
    name: str,
    *,
    unit: OrganisationalUnit | None = None,
    acting_user: User | None = None,
) -> tuple[ApiClient, str]:
    """A new client and its token. The token is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > ApiClient._meta.get_field("name").max_length:
        raise ClientError("Navnet skal være 1-100 tegn.")
    if unit is not None and unit.municipality_id != municipality.pk:
        raise ClientError("Enheden hører ikke til kommunen.")
    token, digest = new_token()
    with transaction.atomic():
        if ApiClient.objects.filter(municipality=municipality, name=name, is_active=True).exists():
            raise ClientError(f"Kommunen har allerede en aktiv API-klient med navnet {name}.")
        client = ApiClient.objects.create(
            municipality=municipality, name=name, unit=unit, token_hash=digest
        )
        audit.record(
            acting_user,
            AuditAction.CREATE,
            client,
            purpose="API-klient oprettet",
            municipality=municipality,
        )
    return client, token


def revoke_api_client(
    name: str, *, municipality: Municipality | None = None, acting_user: User | None = None
) -> ApiClient:
    """Deactivate the active client of that name; its token is refused from now on."""
    with transaction.atomic():
        clients = ApiClient.objects.select_for_update().filter(name=name.strip(), is_active=True)
        if municipality is not None:
            clients = clients.filter(municipality=municipality)
        found = list(clients[:2])
        if not found:
            raise ClientError(f"Ingen aktiv API-klient hedder {name}.")
        if len(found) > 1:
            raise ClientError("Flere kommuner har en klient med det navn: angiv --municipality.")
        client = found[0]
        client.is_active = False
        client.save(update_fields=["is_active"])
        audit.record(
            acting_user,
            AuditAction.UPDATE,
            client,
            purpose="API-klient spærret",
            municipality=client.municipality,
        )
    return client
