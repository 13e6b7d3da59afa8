"""Bearer tokens for the API's clients. Only the SHA-256 of a token is stored.

A token is shown once, when `manage.py create_api_client` makes it. A request is let in when
its token's hash belongs to an active client; anything else is answered 401 by the API.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from trappen.api.models import ApiClient

# last_used_at is for spotting unused clients; writing it on every request would cost a write each.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def client_for_token(token: str) -> ApiClient | None:
    """The active client holding `token`, or None.

    Every token, well-formed or not, costs one hash and one indexed look-up of that hash, so the
    answer's timing says nothing about how close a guess was.
    """
    digest = token_hash(token)
    client = (
        ApiClient.objects.select_related("municipality", "unit")
        .filter(token_hash=digest, is_active=True)
        .first()
    )
    if client is None or not hmac.compare_digest(client.token_hash, digest):
        return None
    return client


def mark_used(client: ApiClient, now: datetime.datetime | None = None) -> None:
    """Store when the client was last seen, at most once per LAST_USED_RESOLUTION."""
    now = now or timezone.now()
    if client.last_used_at is not None and now - client.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    client.last_used_at = now


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; `request.auth` is then the ApiClient."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        client = client_for_token(token)
        if client is not None:
            mark_used(client)
        return client
