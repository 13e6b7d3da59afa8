"""Error pages: Danish, on the design system, and never an exception or request detail."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from trappen.core.views import errors

pytestmark = pytest.mark.django_db


def test_not_found_is_danish_and_echoes_nothing(world, client):
    client.force_login(world.personas["alice"])
    response = client.get("/findes-ikke/<script>alert(1)</script>")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Siden findes ikke" in html and '<html lang="da">' in html
    assert "findes-ikke" not in html and "alert(1)" not in html


def test_not_found_hides_the_exception_message(world, client):
    client.force_login(world.personas["charlie"])
    response = client.get(reverse("core:child_detail", args=[world.anna.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "Barnet findes ikke, eller du har ikke adgang." not in html  # the Http404 text
    assert "Anna" not in html


def test_permission_denied_is_danish(world, client):
    client.force_login(world.personas["professional"])
    response = client.get(reverse("core:child_search"))
    assert response.status_code == 403
    assert "Du har ikke adgang" in response.content.decode()


def test_bad_request_is_danish(db):
    request = RequestFactory().get("/?x=hemmelig-vaerdi")
    request.user = None
    response = errors.bad_request(request, Exception("intern detalje"))
    html = response.content.decode()
    assert response.status_code == 400 and "Forkert forespørgsel" in html
    assert "intern detalje" not in html and "hemmelig-vaerdi" not in html


def test_server_error_needs_no_database_and_no_request(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = errors.server_error(None)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Der opstod en fejl" in html and '<html lang="da">' in html


def test_a_form_without_a_valid_csrf_token_gets_a_danish_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("core:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Formularen er udløbet" in response.content.decode()
