"""A CPR number never appears in a log line, a URL, an audit row or an error page."""

import logging
import sys

import pytest
from django.test import override_settings
from django.urls import path, reverse

from trappen.core.logging import RedactCprFilter
from trappen.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _digits(cpr: str) -> tuple[bytes, bytes]:
    return cpr.encode(), f"{cpr[:6]}-{cpr[6:]}".encode()


def test_cpr_search_keeps_the_number_out_of_urls_and_audit(world, client):
    client.force_login(world.personas["alice"])
    number = world.anna.cpr
    response = client.post(reverse("core:child_search"), {"cpr": number})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:child_detail", args=[world.anna.pk])
    for row in AuditEvent.objects.values_list():
        assert number not in " ".join(str(v) for v in row)
    search = AuditEvent.objects.get(action="search")
    assert search.child_id == world.anna.pk


def test_search_for_a_child_in_another_team_leads_to_break_the_glass(world, client):
    client.force_login(world.personas["charlie"])
    response = client.post(reverse("core:child_search"), {"cpr": world.anna.cpr})
    assert response["Location"] == reverse("core:break_glass", args=[world.anna.pk])


def test_break_the_glass_grants_access_logs_and_shows_the_leader(world, client):
    client.force_login(world.personas["charlie"])
    url = reverse("core:break_glass", args=[world.anna.pk])
    refused = client.post(url, {"reason": "kort"})
    assert "mindst 10 tegn" in refused.content.decode()
    response = client.post(url, {"reason": "Akut henvendelse fra politiet i weekenden"})
    assert response["Location"] == reverse("core:child_detail", args=[world.anna.pk])
    assert client.get(response["Location"]).status_code == 200
    assert AuditEvent.objects.filter(action="break_glass", child_id=world.anna.pk).exists()
    client.force_login(world.personas["team_leader"])
    page = client.get(reverse("core:break_glass_review")).content.decode()
    assert "Akut henvendelse fra politiet" in page


def test_a_malformed_cpr_gets_a_danish_message_and_is_not_echoed(world, client):
    client.force_login(world.personas["alice"])
    response = client.post(reverse("core:child_search"), {"cpr": "12345"})
    assert response.status_code == 200
    assert "CPR-nummeret skal have 10 cifre" in response.content.decode()
    assert b"12345" not in response.content


def test_a_real_form_cpr_is_refused_outside_production(world, client):
    client.force_login(world.personas["alice"])
    response = client.post(reverse("core:child_search"), {"cpr": "0101901234"})
    assert "fiktive CPR-numre" in response.content.decode()
    assert b"0101901234" not in response.content


def _crash(request):
    raise ValueError("kunne ikke finde 6101904321 i registret")


urlpatterns = [path("crash/", _crash)]


@override_settings(ROOT_URLCONF=__name__)
def test_an_error_page_does_not_show_the_number(client):
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500
    assert b"6101904321" not in response.content


def test_log_lines_are_redacted():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "opslag på %s", ("610190-4321",), None
    )
    try:
        raise ValueError("barn 6101904321 ikke fundet")
    except ValueError:
        record.exc_info = sys.exc_info()
    RedactCprFilter().filter(record)
    rendered = logging.Formatter().format(record)
    assert "4321" not in rendered
    assert "[CPR]" in rendered
