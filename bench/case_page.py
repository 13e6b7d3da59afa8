"""The case-page benchmark: a child with ten years of history (issue 4).

`build_case_page_world(municipality)` makes a team with two caseworkers and a child whose ten
years are three cases (two closed, one open) built with bulk inserts by
`trappen/cases/tests/factories_casepage.py: build_history`: about 30 interventions, a follow-up
every three months of each (about 100, with a caseworker's and a provider's score per goal),
about 60 step movements, 40 notifications, 30 letters, 20 child conversations, plans, goals,
investigations and progress notes. Deterministic; synthetic people only.

`bench_case_page(world, n)` measures the case page (`cases:detail`) for the open case, p95 over
`n` requests, interleaved with the minimal DB-backed page through base.html and the one-line
view (bench/minimal_urls.py), as `bench_inbox` in bench/run.py does; it returns rows for
bench/run.py's table, with the query counts and this process's CPU time per request.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from trappen.core.models import Role, UnitKind
from trappen.core.tests import factories as f

YEARS = 10


def build_case_page_world(municipality) -> SimpleNamespace:
    from trappen.cases.tests.factories_casepage import build_history

    team = f.UnitFactory(
        municipality=municipality, name="Team Sagsside", kind=UnitKind.CASEWORKER_TEAM
    )
    provider = f.UnitFactory(
        municipality=municipality, name="Familiehuset Sagsside", kind=UnitKind.PROVIDER
    )
    workers = [
        f.user_with_role(Role.CASEWORKER, team, username=f"bench-sagsside-{k}") for k in range(2)
    ]
    child = f.ChildFactory(municipality=municipality, first_name="Sigrid")
    history = build_history(
        child=child,
        team=team,
        caseworkers=workers,
        provider=provider,
        today=timezone.localdate(),
        years=YEARS,
    )
    return SimpleNamespace(caseworker=workers[-1], child=child, case=history.open_case, h=history)


def bench_case_page(world, n: int) -> list[dict]:
    """The case page of a child with ten years of history, p95, beside the minimal page's p95
    measured in the same run (requests interleaved, one URLconf for all, as in bench_inbox)."""
    from django.urls import reverse

    from bench.run import (
        get_ok,
        logged_in_client,
        measure_interleaved,
        minimal_targets,
        rows_beside_minimal,
    )

    data = build_case_page_world(world.municipality)
    client = logged_in_client(data.caseworker)
    url = reverse("cases:detail", kwargs={"case_id": data.case.pk})
    first = get_ok(client, url)
    shown = len(first.context["page"].timeline)
    if shown < 300 or len(first.context["page"].notifications) != 4 * YEARS:
        raise SystemExit(f"bench: the case page showed {shown} events")
    m = measure_interleaved({**minimal_targets(world, client), "case": (client, url)}, n)
    h = data.h
    figure = (
        f"case page, {YEARS} years ({len(h.cases)} cases, {len(h.interventions)} interventions, "
        f"{shown} timeline events), p95"
    )
    return rows_beside_minimal(m, "case", figure, "case page, the same requests, CPU time, median")
