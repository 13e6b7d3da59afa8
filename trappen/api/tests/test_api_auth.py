"""Tokens: only an active client's bearer token opens the API; the answer otherwise is 401 JSON."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from trappen.api.auth import mark_used, token_hash
from trappen.api.models import ApiClient
from trappen.api.tests.factories import api_client, submitted_notification
from trappen.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world):
    client, token = api_client(world.municipality, unit=world.school_a)
    notification = submitted_notification(client)
    return client, token, reverse("api:notification_detail", args=[notification.pk])


def assert_401(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["field"] == "Authorization"


def test_it_lets_an_active_client_in(client, issued):
    _, token, url = issued
    response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Bearer wrong-token", "Basic dXNlcjpwYXNz", "Token {token}"],
)
def test_it_answers_401_json_without_a_valid_token(client, issued, authorization):
    _, token, url = issued
    headers = {} if authorization is None else {"Authorization": authorization.format(token=token)}
    assert_401(client.get(url, headers=headers))


def test_it_refuses_a_revoked_client(client, issued):
    api, token, url = issued
    ApiClient.objects.filter(pk=api.pk).update(is_active=False)
    assert_401(client.get(url, headers={"Authorization": f"Bearer {token}"}))


def test_a_session_login_does_not_open_the_api(client, world, issued):
    _, _, url = issued
    client.force_login(world.personas["alice"])
    assert_401(client.get(url))
    assert_401(client.post(reverse("api:notification_create"), {}, content_type="application/json"))


def test_only_the_hash_of_the_token_is_stored(issued):
    api, token, _ = issued
    api.refresh_from_db()
    assert api.token_hash == token_hash(token) and token not in api.token_hash


def test_it_records_use_at_most_once_a_minute(client, issued):
    api, token, url = issued
    client.get(url, headers={"Authorization": f"Bearer {token}"})
    api.refresh_from_db()
    first = api.last_used_at
    assert first is not None
    client.get(url, headers={"Authorization": f"Bearer {token}"})
    api.refresh_from_db()
    assert api.last_used_at == first


def test_mark_used_writes_again_after_a_minute(issued):
    api, _, _ = issued
    start = timezone.now()
    mark_used(api, start)
    mark_used(api, start + datetime.timedelta(seconds=59))
    api.refresh_from_db()
    assert api.last_used_at == start
    mark_used(api, start + datetime.timedelta(seconds=60))
    api.refresh_from_db()
    assert api.last_used_at == start + datetime.timedelta(seconds=60)


def test_an_authenticated_read_costs_few_queries(client, issued, django_assert_max_num_queries):
    _, token, url = issued
    client.get(url, headers={"Authorization": f"Bearer {token}"})  # last_used_at is now fresh
    # client, notification, audit (savepoint, lock, insert, head, release)
    with django_assert_max_num_queries(7):
        assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200


# --- manage.py create_api_client ------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("create_api_client", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_a_token_that_works(client, world):
    output = run(
        "--municipality", world.municipality.slug, "--name", "EPJ", "--unit", world.school_a.pk
    )
    token = output.strip().splitlines()[-1]
    api = ApiClient.objects.get(name="EPJ")
    assert (api.municipality, api.unit, api.token_hash) == (
        world.municipality,
        world.school_a,
        token_hash(token),
    )
    assert len(token) >= 40
    assert AuditEvent.objects.filter(object_type="api.apiclient", object_id=str(api.pk)).exists()
    notification = submitted_notification(api)
    url = reverse("api:notification_detail", args=[notification.pk])
    assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_the_command_revokes_a_client(client, world):
    token = run("--municipality", world.municipality.slug, "--name", "EPJ").strip().splitlines()[-1]
    api = ApiClient.objects.get(name="EPJ")
    url = reverse("api:notification_detail", args=[submitted_notification(api).pk])

    assert "spærret" in run("--revoke", "EPJ")

    assert_401(client.get(url, headers={"Authorization": f"Bearer {token}"}))
    api.refresh_from_db()
    assert api.is_active is False


@pytest.mark.parametrize(
    "args, message",
    [
        (["--municipality", "findes-ikke", "--name", "EPJ"], "Ingen kommune"),
        (["--municipality", "{slug}"], "Angiv --municipality og --name"),
        (["--municipality", "{slug}", "--name", "EPJ", "--unit", "{other_unit}"], "hører ikke"),
        (["--municipality", "{slug}", "--name", "EPJ", "--unit", "999999"], "Ingen enhed"),
        (["--revoke", "findes-ikke"], "Ingen aktiv API-klient"),
    ],
)
def test_the_command_refuses_bad_arguments(world, args, message):
    from trappen.core.tests.factories import UnitFactory

    other_unit = UnitFactory(municipality=world.other_municipality)
    values = {"slug": world.municipality.slug, "other_unit": other_unit.pk}
    with pytest.raises(CommandError, match=message):
        run(*(arg.format(**values) for arg in args))
    assert not ApiClient.objects.exists()


def test_the_command_refuses_a_second_active_client_of_the_same_name(world):
    run("--municipality", world.municipality.slug, "--name", "EPJ")
    with pytest.raises(CommandError, match="allerede"):
        run("--municipality", world.municipality.slug, "--name", "EPJ")
    assert ApiClient.objects.count() == 1


def test_revoking_a_name_used_in_two_municipalities_needs_the_municipality(world):
    run("--municipality", world.municipality.slug, "--name", "EPJ")
    run("--municipality", world.other_municipality.slug, "--name", "EPJ")
    with pytest.raises(CommandError, match="--municipality"):
        run("--revoke", "EPJ")
    run("--revoke", "EPJ", "--municipality", world.other_municipality.slug)
    assert list(
        ApiClient.objects.filter(is_active=True).values_list("municipality", flat=True)
    ) == [world.municipality.pk]
