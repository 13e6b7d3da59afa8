"""Login, logout and the demo login. Every login, logout and failed login is audit-logged.

A failed login is logged without the typed username: the event alone, never what was typed.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from trappen.core import audit
from trappen.core.forms import LoginForm, TotpLoginForm
from trappen.core.models import AuditAction, Role, User

MODEL_BACKEND = "trappen.core.backends.TrappenModelBackend"
ROLE_ORDER = {role: index for index, role in enumerate(Role)}


@sensitive_post_parameters("password", "otp_token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    form_class = TotpLoginForm if settings.TRAPPEN_REQUIRE_2FA else LoginForm
    data = request.POST if request.method == "POST" else None
    form = form_class(request, data=data)
    next_url = _safe_next(request)
    if data is not None:
        if form.is_valid():
            user = form.get_user()
            auth_login(request, user)
            _record(user, AuditAction.LOGIN, "Log ind")
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        _login_failed(request, form)
    context = {
        "form": form,
        "next": next_url,
        "demo_accounts": demo_accounts() if settings.DEMO else [],
    }
    return render(request, "core/login.html", context)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        _record(request.user, AuditAction.LOGOUT, "Log ud")
    auth_logout(request)
    messages.info(request, "Du er logget ud.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_POST
def demo_login(request):
    """Log in as a demo user without a password: only in demo mode, only demo users."""
    if not settings.DEMO:
        raise Http404
    user_id = request.POST.get("user", "")
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) < 12):
        raise Http404
    user = get_object_or_404(User, pk=int(user_id), is_demo=True, is_active=True)
    auth_login(request, user, backend=MODEL_BACKEND)
    _record(user, AuditAction.LOGIN, "Demo-login")
    return redirect(settings.LOGIN_REDIRECT_URL)


def demo_accounts() -> list[dict]:
    """The demo users for the login page, in the order of the roles."""
    users = (
        User.objects.filter(is_demo=True, is_active=True)
        .prefetch_related("role_assignments__unit")
        .order_by("pk")
    )
    accounts = []
    for user in users:
        assignments = sorted(user.role_assignments.all(), key=lambda a: ROLE_ORDER[Role(a.role)])
        roles = list(dict.fromkeys(Role(a.role) for a in assignments))
        units = list(
            dict.fromkeys(
                f"{a.unit.name} ({a.group_name})" if a.group_name else a.unit.name
                for a in assignments
                if a.unit_id
            )
        )
        accounts.append({"user": user, "roles": roles, "units": units})
    accounts.sort(key=lambda a: (ROLE_ORDER[a["roles"][0]] if a["roles"] else 99, a["user"].pk))
    return accounts


def _record(user, action: str, purpose: str) -> None:
    audit.record(user, action, object_type="user", object_id=str(user.pk), purpose=purpose)


def _login_failed(request, form) -> None:
    """Log the failed attempt (no username), and let django-axes count a wrong TOTP code too."""
    audit.record(None, AuditAction.LOGIN_FAILED, object_type="user", purpose="Mislykket login")
    if getattr(form, "password_was_accepted", False):
        user_login_failed.send(
            sender=__name__,
            credentials={"username": form.cleaned_data.get("username", "")},
            request=request,
        )


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else ""
