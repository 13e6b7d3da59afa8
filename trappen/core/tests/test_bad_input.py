"""No form answers 500 to any input: hypothesis drives the CPR and free-text fields."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

ANY_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="0123456789- ", max_size=14),
    st.sampled_from(["", " ", "\x00", "6113901234", "<script>alert(1)</script>", "' OR 1=1 --"]),
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(value=ANY_TEXT)
def test_cpr_search_never_fails(world, client, value):
    client.force_login(world.personas["alice"])
    response = client.post(reverse("core:child_search"), {"cpr": value})
    assert response.status_code in (200, 302)
    assert b"<script>alert(1)</script>" not in response.content


@FUZZ
@given(value=ANY_TEXT)
def test_break_the_glass_reason_never_fails(world, client, value):
    client.force_login(world.personas["charlie"])
    response = client.post(reverse("core:break_glass", args=[world.anna.pk]), {"reason": value})
    assert response.status_code in (200, 302)
    assert b"<script>alert(1)</script>" not in response.content


@FUZZ
@given(grant=ANY_TEXT)
def test_break_the_glass_review_never_fails(world, client, grant):
    client.force_login(world.personas["team_leader"])
    response = client.post(reverse("core:break_glass_review"), {"grant": grant})
    assert response.status_code in (302, 404)


@FUZZ
@given(username=ANY_TEXT, password=ANY_TEXT)
def test_login_never_fails(db, client, username, password):
    response = client.post(reverse("core:login"), {"username": username, "password": password})
    assert response.status_code in (200, 403, 429)


@FUZZ
@given(page=ANY_TEXT)
def test_paging_parameters_never_fail(world, client, page):
    client.force_login(world.personas["team_leader"])
    response = client.get(reverse("core:child_audit", args=[world.anna.pk]), {"side": page})
    assert response.status_code == 200
