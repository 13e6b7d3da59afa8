"""Login, logout, the demo login, throttling (django-axes) and the staff second factor (TOTP)."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from trappen.core.models import AuditEvent, Role
from trappen.core.tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"
LOGIN = "core:login"


@pytest.fixture
def alice(db):
    return user_with_role(Role.CASEWORKER, None, username="alice", first_name="Alice")


def post_login(client, username, password, **extra):
    return client.post(reverse(LOGIN), {"username": username, "password": password, **extra})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def token_for(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


# --- login ---


def test_it_shows_the_login_form_in_danish(client):
    response = client.get(reverse(LOGIN))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Log ind</h1>" in html and "Brugernavn" in html and "Adgangskode" in html
    assert "Engangskode" not in html  # no second factor outside production by default
    assert response["Cache-Control"].startswith("max-age=0")  # never_cache


def test_it_logs_in_with_the_right_password(client, alice):
    response = post_login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert logged_in_user_id(client) == str(alice.pk)
    event = AuditEvent.objects.get(action="login")
    assert (event.actor_id, event.object_type, event.object_id) == (alice.pk, "user", str(alice.pk))


def test_it_refuses_a_wrong_password_in_danish_and_logs_no_username(client, alice):
    response = post_login(client, "alice", "forkert-kodeord-123")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Brugernavn eller adgangskode er forkert" in html
    assert logged_in_user_id(client) is None
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor_id is None and event.object_type == "user"
    stored = f"{event.actor_label}|{event.object_id}|{event.purpose}|{event.role}"
    assert "alice" not in stored and "forkert" not in stored


def test_it_asks_for_missing_fields_in_danish(client):
    html = client.post(reverse(LOGIN), {}).content.decode()
    assert "Indtast dit brugernavn." in html and "Indtast din adgangskode." in html


def test_it_refuses_an_inactive_user(client, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    response = post_login(client, "alice", PASSWORD)
    assert response.status_code == 200 and logged_in_user_id(client) is None


def test_login_changes_the_session_id(client, alice):
    session = client.session
    session["før"] = "login"
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    post_login(client, "alice", PASSWORD)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before and after and before != after
    assert logged_in_user_id(client) == str(alice.pk)


def test_it_follows_a_safe_next_url_only(client, alice):
    response = post_login(client, "alice", PASSWORD, next="/born/soeg/")
    assert response["Location"] == "/born/soeg/"
    client.logout()
    response = post_login(client, "alice", PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("core:home")


def test_login_page_answers_a_logged_in_user(client, alice):
    client.force_login(alice)
    html = client.get(reverse(LOGIN)).content.decode()
    assert "Du er logget ind som Alice" in html


# --- logout ---


def test_logout_is_post_only(client, alice):
    client.force_login(alice)
    assert client.get(reverse("core:logout")).status_code == 405
    assert logged_in_user_id(client) == str(alice.pk)


def test_logout_ends_the_session_and_is_logged(client, alice):
    client.force_login(alice)
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302 and response["Location"] == reverse(LOGIN)
    assert logged_in_user_id(client) is None
    assert AuditEvent.objects.filter(action="logout", actor=alice).count() == 1
    assert "Du er logget ud." in client.get(reverse(LOGIN)).content.decode()


# --- demo login ---


@pytest.fixture
def demo_user(db):
    return user_with_role(
        Role.TEAM_LEADER, None, username="demo-leder", first_name="Dorte", is_demo=True
    )


@override_settings(DEMO=True)
def test_demo_login_lists_demo_users_only_in_demo_mode(client, demo_user, alice):
    html = client.get(reverse(LOGIN)).content.decode()
    assert "Demobrugere" in html and "Log ind som Dorte" in html
    assert "Log ind som Alice" not in html  # not a demo user
    assert "Demo – alle personer er fiktive" in html


def test_demo_login_list_is_hidden_outside_demo_mode(client, demo_user):
    html = client.get(reverse(LOGIN)).content.decode()
    assert "Demobrugere" not in html and "Dorte" not in html


@override_settings(DEMO=True)
def test_demo_login_logs_in_a_demo_user_in_demo_mode(client, demo_user):
    response = client.post(reverse("core:demo_login"), {"user": demo_user.pk})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert logged_in_user_id(client) == str(demo_user.pk)
    assert AuditEvent.objects.get(action="login").purpose == "Demo-login"


@override_settings(DEMO=False)
def test_demo_login_is_not_found_outside_demo_mode(client, demo_user):
    response = client.post(reverse("core:demo_login"), {"user": demo_user.pk})
    assert response.status_code == 404
    assert logged_in_user_id(client) is None


@override_settings(DEMO=True)
@pytest.mark.parametrize("value", ["alice", "", "-1", "١٢", "99999999999999999999", "0"])
def test_demo_login_refuses_others_and_junk(client, alice, value):
    payload = {"user": alice.pk if value == "alice" else value}
    assert client.post(reverse("core:demo_login"), payload).status_code == 404
    assert logged_in_user_id(client) is None


@override_settings(DEMO=True)
def test_demo_login_refuses_an_inactive_demo_user_and_get(client, demo_user):
    assert client.get(reverse("core:demo_login")).status_code == 405
    demo_user.is_active = False
    demo_user.save(update_fields=["is_active"])
    assert client.post(reverse("core:demo_login"), {"user": demo_user.pk}).status_code == 404


# --- throttling (django-axes) ---


def fail_five_times(client):
    """Four failures answer the form again; the fifth locks the user out for a while."""
    statuses = [
        post_login(client, "alice", "forkert-kodeord-123").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200, 200, 200, 200, 429]


def test_it_throttles_after_five_failures_then_allows_after_the_cool_off(client, alice):
    fail_five_times(client)
    response = post_login(client, "alice", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in html and "vente 15 minutter" in html
    assert logged_in_user_id(client) is None
    # Fifteen minutes and a bit later, the attempts have cooled off.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert post_login(client, "alice", PASSWORD).status_code == 302
    assert logged_in_user_id(client) == str(alice.pk)


def test_an_administrator_can_lift_the_throttle(client, alice):
    fail_five_times(client)
    assert post_login(client, "alice", PASSWORD).status_code == 429
    assert reset(username="alice") == 1
    assert post_login(client, "alice", PASSWORD).status_code == 302


# --- the staff second factor ---


@pytest.fixture
def device(alice):
    return TOTPDevice.objects.create(user=alice, name="Telefon", confirmed=True)


@override_settings(TRAPPEN_REQUIRE_2FA=True)
def test_with_2fa_a_password_alone_is_refused(client, device):
    html = post_login(client, "alice", PASSWORD).content.decode()
    assert "Engangskode" in html and "Indtast engangskoden fra din app." in html
    assert logged_in_user_id(client) is None


@override_settings(TRAPPEN_REQUIRE_2FA=True)
def test_with_2fa_password_and_valid_code_log_in(client, alice, device):
    response = post_login(client, "alice", PASSWORD, otp_token=token_for(device))
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(alice.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("core:home")).status_code == 200  # verified: the middleware lets in


@override_settings(TRAPPEN_REQUIRE_2FA=True)
def test_with_2fa_a_wrong_code_is_refused_and_counted(client, device):
    right = token_for(device)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    html = post_login(client, "alice", PASSWORD, otp_token=wrong).content.decode()
    assert "Engangskoden er forkert eller udløbet" in html
    assert logged_in_user_id(client) is None
    assert AccessAttempt.objects.get().failures_since_start == 1  # axes counts it
    assert AuditEvent.objects.filter(action="login_failed", actor=None).count() == 1


@override_settings(TRAPPEN_REQUIRE_2FA=True)
def test_with_2fa_a_staff_user_without_a_confirmed_device_cannot_log_in(client, alice):
    TOTPDevice.objects.create(user=alice, name="Ikke bekræftet", confirmed=False)
    html = post_login(client, "alice", PASSWORD, otp_token="123456").content.decode()
    assert "har ikke en bekræftet engangskode-app" in html
    assert logged_in_user_id(client) is None


@override_settings(TRAPPEN_REQUIRE_2FA=True)
def test_with_2fa_the_wrong_password_does_not_reveal_the_device_state(client, alice):
    html = post_login(client, "alice", "forkert-kodeord-123", otp_token="1").content.decode()
    assert "Brugernavn eller adgangskode er forkert" in html
    assert "engangskode-app" not in html


@override_settings(TRAPPEN_REQUIRE_2FA=True)
def test_with_2fa_a_session_without_the_second_factor_is_sent_to_login(client, alice):
    client.force_login(alice)  # password-only session, e.g. from before 2FA was switched on
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse(LOGIN)
