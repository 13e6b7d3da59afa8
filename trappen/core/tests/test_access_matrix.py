"""Walk every URL as every persona and assert exactly who gets in.

A new route must be added to ROUTES below or to an app's `tests/routes*.py` module (its own
`ROUTES` and `objects(world)`), or `test_every_route_is_in_the_matrix` fails: a page that
forgets its access check cannot slip in unnoticed.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from trappen.conftest import PERSONAS
from trappen.core.letters.service import create_letter
from trappen.core.tests.matrix import ALL, CASE_A, CASEWORKERS, SEES_ANNA, Route

ROUTES = {
    "core:healthz": Route(ALL, anonymous=200),
    "core:login": Route(ALL, anonymous=200),
    "core:logout": Route(ALL, method="post", status=302, anonymous=302),
    "core:demo_login": Route(frozenset(), method="post", anonymous=404),
    "core:home": Route(ALL),
    "core:child_search": Route(CASEWORKERS | {"team_leader"}),
    "core:child_detail": Route(SEES_ANNA, kwargs={"child_id": "anna"}),
    "core:child_audit": Route(frozenset({"team_leader"}), kwargs={"child_id": "anna"}),
    "core:break_glass": Route(
        frozenset({"charlie"}), kwargs={"child_id": "anna"}, redirected=frozenset({"alice", "bob"})
    ),
    "core:break_glass_review": Route(frozenset({"team_leader"})),
    "core:outbox": Route(CASEWORKERS | {"team_leader", "parent", "other_parent"}),
    "core:letter_detail": Route(CASE_A | {"parent"}, kwargs={"letter_id": "letter"}),
    "core:letter_pdf": Route(CASE_A | {"parent"}, kwargs={"letter_id": "letter"}),
}


def _app_route_modules():
    apps_dir = Path(__file__).resolve().parents[2]
    for path in sorted(apps_dir.glob("*/tests/routes*.py")):
        yield importlib.import_module(f"trappen.{path.parent.parent.name}.tests.{path.stem}")


APP_ROUTE_MODULES = list(_app_route_modules())
for _module in APP_ROUTE_MODULES:
    assert not set(_module.ROUTES) & set(ROUTES), f"{_module.__name__} repeats a route"
    ROUTES.update(_module.ROUTES)


def named_routes(patterns=None, prefix: str = "") -> set[str]:
    names = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= named_routes(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            assert p.name, f"unnamed route {p.pattern} must be named and added to the matrix"
            names.add(prefix + p.name)
    return names


def test_every_route_is_in_the_matrix():
    assert named_routes() == set(ROUTES)


def _objects(world):
    letter = create_letter(
        template="caseworker_changed",
        context={
            "child": world.anna,
            "caseworker": world.personas["alice"],
            "recipient_is_child": False,
        },
        municipality=world.municipality,
        recipient_name="Forælder",
        child=world.anna,
        case=world.anna_case,
        recipient_guardian=world.anna.guardian_links.get().guardian,
    )
    objects = {"anna": world.anna.pk, "letter": letter.pk}
    for module in APP_ROUTE_MODULES:
        objects.update(module.objects(world))
    return objects


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_access(name, world, client):
    route = ROUTES[name]
    objects = _objects(world)
    url = reverse(name, kwargs={k: objects[v] for k, v in route.kwargs.items()})
    call = getattr(client, route.method)

    response = call(url)
    assert response.status_code == route.anonymous, f"anonymous {name}"

    for persona in PERSONAS:
        client.force_login(world.personas[persona])
        response = call(url)
        if persona in route.allowed:
            assert response.status_code == route.status, f"{persona} should reach {name}"
        elif persona in route.redirected:
            assert response.status_code == 302, f"{persona} should be redirected from {name}"
        else:
            assert response.status_code in route.denied | {405}, f"{persona} must not reach {name}"
            assert b"Anna" not in response.content, f"{persona} saw Anna on {name}"
        client.logout()


PERSONAL_DATA_APPS = {"people", "cases", "notifications", "early", "voice"}


def test_admin_holds_no_case_content():
    registered = {model._meta.app_label for model in admin.site._registry}
    assert not registered & PERSONAL_DATA_APPS


def test_admin_is_for_administrators_only(world, client):
    from trappen.core.services import grant_administrator_permissions

    grant_administrator_permissions(world.personas["administrator"])
    url = reverse("admin:core_organisationalunit_changelist")
    for persona in PERSONAS:
        client.force_login(world.personas[persona])
        response = client.get(url)
        expected = 200 if persona == "administrator" else 302
        assert response.status_code == expected, persona
        client.logout()
