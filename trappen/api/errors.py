"""Every error the API answers is JSON: `{"errors": [{"field": ..., "message": ...}]}`.

`field` names the input at fault as the client wrote it (`child.cpr`, `Idempotency-Key`,
`Authorization`, `body`), or is null when the error concerns the whole request (404, 405).
Messages are Danish and never repeat the value that was sent (it may be a CPR number).
"""

from __future__ import annotations

import functools
import json

from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

JSON = "application/json; charset=utf-8"
NOT_FOUND = "Findes ikke, eller klienten har ikke adgang."

# NotificationInput's field names -> the API's names for them.
INPUT_FIELDS = {
    "reporter_kind": "reporter.kind",
    "reporter_unit": "reporter.unit_id",
    "reporter_profession": "reporter.profession",
    "reporter_organisation": "reporter.organisation",
    "reporter_name": "reporter.name",
    "reporter_phone": "reporter.phone",
    "reporter_email": "reporter.email",
    "child_cpr": "child.cpr",
    "child_name": "child.name",
    "child_birth_date": "child.birth_date",
    "child_address": "child.address",
    "siblings_note": "siblings",
    "is_anonymous": "reporter.kind",  # anonymous notifications come only through the public form
    "idempotency_key": "Idempotency-Key",
}
SERVER_SIDE_FIELDS = {"channel", "api_client", "reporter_user", "wellbeing_assessment_id"}

# pydantic's error types -> Danish messages ({...} filled from the error's context).
MESSAGES = {
    "missing": "Feltet skal udfyldes.",
    "extra_forbidden": "Ukendt felt.",
    "string_type": "Skal være en tekst.",
    "string_too_short": "Feltet skal udfyldes.",
    "string_too_long": "Må højst være {max_length} tegn.",
    "string_pattern_mismatch": "Må højst være 100 tegn og kun bestå af synlige ASCII-tegn.",
    "int_type": "Skal være et heltal.",
    "int_parsing": "Skal være et heltal.",
    "int_from_float": "Skal være et heltal.",
    "greater_than_equal": "Skal være mindst {ge}.",
    "less_than_equal": "Må højst være {le}.",
    "bool_type": "Skal være true eller false.",
    "bool_parsing": "Skal være true eller false.",
    "list_type": "Skal være en liste.",
    "too_long": "Må højst have {max_length} elementer.",
    "enum": "Ugyldig værdi. Tilladte værdier: {expected}.",
    "date_type": "Skriv datoen som ÅÅÅÅ-MM-DD.",
    "date_parsing": "Skriv datoen som ÅÅÅÅ-MM-DD.",
    "date_from_datetime_parsing": "Skriv datoen som ÅÅÅÅ-MM-DD.",
    "date_from_datetime_inexact": "Skriv datoen som ÅÅÅÅ-MM-DD.",
    "model_type": "Skal være et JSON-objekt.",
    "model_attributes_type": "Skal være et JSON-objekt.",
    "dict_type": "Skal være et JSON-objekt.",
}
DEFAULT_MESSAGE = "Ugyldig værdi."


class UnsupportedMediaType(ValueError):
    pass


class JsonOnlyParser(Parser):
    """Refuse a body that is not declared as JSON (ninja turns this into an HttpError)."""

    def parse_body(self, request: HttpRequest):
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise UnsupportedMediaType(content_type)
        return super().parse_body(request)


def error_response(status: int, errors: list[dict], **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps({"errors": errors}), status=status, content_type=JSON)
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def one_error(status: int, field: str | None, message: str, **headers: str) -> HttpResponse:
    return error_response(status, [{"field": field, "message": message}], **headers)


def schema_errors(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """ninja's validation errors, in the API's shape."""
    return error_response(422, [_schema_error(error) for error in exc.errors])


def _schema_error(error: dict) -> dict:
    source, *path = error.get("loc") or ("body",)
    if source == "body" and len(path) > 0:
        path = path[1:]  # the view's parameter name, not a part of the document
    field = ".".join(str(part) for part in path) or ("body" if source == "body" else None)
    return {"field": field, "message": _message(error)}


def _message(error: dict) -> str:
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error":
        return str(context.get("error", DEFAULT_MESSAGE)).removeprefix("Value error, ")
    template = MESSAGES.get(kind, DEFAULT_MESSAGE)
    if "expected" in context:  # pydantic lists the choices in English: "'a', 'b' or 'c'"
        context = {**context, "expected": str(context["expected"]).replace(" or ", " eller ")}
    try:
        return template.format(**context)
    except (KeyError, IndexError, ValueError):
        return DEFAULT_MESSAGE


def invalid_input(errors: dict[str, list[str]]) -> HttpResponse:
    """The intake service's InvalidNotification, with its fields given the API's names."""
    return error_response(
        422,
        [
            {"field": api_field(name), "message": message}
            for name, messages in errors.items()
            for message in messages
        ],
    )


def api_field(input_field: str) -> str | None:
    if input_field in ("", NON_FIELD_ERRORS) or input_field in SERVER_SIDE_FIELDS:
        return None
    return INPUT_FIELDS.get(input_field, input_field)


def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return one_error(
            401,
            "Authorization",
            "Angiv et gyldigt adgangstoken: Authorization: Bearer <token>.",
            WWW_Authenticate='Bearer realm="trappen"',
        )
    if isinstance(exc.__cause__, UnsupportedMediaType):
        return one_error(415, "Content-Type", "Indholdet skal sendes som application/json.")
    if exc.status_code == 400:
        return one_error(400, "body", "Indholdet er ikke gyldig JSON (UTF-8).")
    if exc.status_code == 429:
        return one_error(429, None, "For mange forespørgsler. Prøv igen senere.")
    return one_error(exc.status_code, None, "Forespørgslen kunne ikke behandles.")


def not_found(request: HttpRequest, exc: Exception | None = None) -> HttpResponse:
    return one_error(404, None, NOT_FOUND)


@csrf_exempt  # no cookies: the API authenticates by token, so there is no session to forge
def unknown_path(request: HttpRequest, path: str = "") -> HttpResponse:
    return not_found(request)


def json_errors(view):
    """Wrap one of ninja's URL views so its 404 and 405 answers are JSON too.

    ninja answers an unknown method with a plain-text 405, and its API root raises Http404
    outside its own error handling; Django would render those as HTML pages.
    """

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return one_error(
                405, None, "Metoden er ikke tilladt her.", Allow=response.get("Allow", "")
            )
        return response

    return wrapped
