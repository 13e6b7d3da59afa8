"""The JSON API for other systems (django-ninja), mounted at /api/v1/.

Clients authenticate with a bearer token (auth.py); CSRF does not apply, as no cookie is used.
The OpenAPI document is public at /api/v1/openapi.json (it holds no personal data). ninja's
Swagger page is switched off: it loads its scripts from a CDN, which the Content-Security-Policy
forbids and which would tell a third party who reads the documentation.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from trappen.api import errors
from trappen.api.auth import ApiTokenAuth
from trappen.api.views import router
from trappen.notifications.services import IdempotencyConflict, InvalidNotification

DESCRIPTION = """Andre systemer sender underretninger til kommunen her.

Adgang: `Authorization: Bearer <token>`; et token udstedes med
`manage.py create_api_client`. Fejl besvares med 4xx og JSON:
`{"errors": [{"field": "child.cpr", "message": "..."}]}`."""


class TrappenAPI(NinjaAPI):
    def create_response(self, request: HttpRequest, data, **kwargs) -> HttpResponse:
        response = super().create_response(request, data, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


api = TrappenAPI(
    title="Trappen API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
    auth=ApiTokenAuth(),
    parser=errors.JsonOnlyParser(),
)
api.add_router("", router)


@api.exception_handler(NinjaValidationError)
def _schema_errors(request, exc):
    return errors.schema_errors(request, exc)


@api.exception_handler(InvalidNotification)
def _invalid_notification(request, exc):
    return errors.invalid_input(exc.errors)


@api.exception_handler(IdempotencyConflict)
def _idempotency_conflict(request, exc):
    return errors.one_error(
        409,
        "Idempotency-Key",
        "Nøglen er brugt før til en anden underretning. Brug en ny nøgle til en ny underretning.",
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return errors.http_error(request, exc)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return errors.not_found(request, exc)
