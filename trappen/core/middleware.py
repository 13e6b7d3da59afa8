"""Request id, the staff second factor, session lifetime, and no caching of personal pages."""

import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from trappen.core.request_context import reset_request_id, set_request_id

SESSION_STARTED_KEY = "trappen_session_started"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        request.request_id = request_id
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class SecondFactorMiddleware:
    """Ends sessions past their hard limit, and in production sends staff without TOTP to login."""

    OPEN_PATHS = ("/login/", "/logout/", "/healthz", "/static/", "/offentlig/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED_KEY, time.time())
            if time.time() - started > settings.TRAPPEN_SESSION_MAX_SECONDS or not user.is_active:
                logout(request)
                return redirect(reverse("core:login"))
            if (
                settings.TRAPPEN_REQUIRE_2FA
                and not user.is_verified()
                and not request.path.startswith(self.OPEN_PATHS)
            ):
                logout(request)
                return redirect(reverse("core:login"))
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for a logged-in user may hold personal data: never let a browser or proxy keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
