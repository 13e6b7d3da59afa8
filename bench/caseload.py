"""The caseload benchmark: a team of 12 caseworkers with 600 open cases (issue 4).

`build_caseload(municipality)` makes the team with bulk inserts (deterministic; synthetic
people only): 600 children and open cases spread over the 12 caseworkers (every 25th without a
caseworker), each with its assignment history, one to three interventions on several steps
(some ended), follow-ups (held and due, some overdue), an investigation on every third case
(some completed) and a child's plan on every fourth.

`bench_caseload(world, n)` measures the team leader's caseload page (`cases:caseload`, the
first 50 of 600 by next deadline, the heaviest view) and a caseworker's whole-team view, p95
over `n` requests, interleaved with the minimal DB-backed page through base.html as in
`bench_inbox`; it returns rows for `bench/run.py`'s table.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone

from trappen.cases import next_deadline
from trappen.cases.models import (
    Case,
    CaseworkerAssignment,
    ChildPlan,
    FollowUp,
    Intervention,
    Investigation,
    PlanKind,
)
from trappen.core.models import Role, UnitKind
from trappen.core.tests import factories as f
from trappen.people.models import Child

CASELOAD_CASES = 600
CASELOAD_CASEWORKERS = 12


def build_caseload(
    municipality, n: int = CASELOAD_CASES, caseworkers: int = CASELOAD_CASEWORKERS
) -> SimpleNamespace:
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    team = f.UnitFactory(
        municipality=municipality, name="Team Sagsstamme", kind=UnitKind.CASEWORKER_TEAM
    )
    provider = f.UnitFactory(
        municipality=municipality, name="Familiehuset Sagsstamme", kind=UnitKind.PROVIDER
    )
    workers = [
        f.user_with_role(Role.CASEWORKER, team, username=f"bench-sagsstamme-{k}")
        for k in range(caseworkers)
    ]
    leader = f.user_with_role(Role.TEAM_LEADER, team, username="bench-sagsstamme-leder")

    children = []
    for i in range(n):
        child = Child(
            municipality=municipality,
            first_name=f"Barn{i}",
            last_name="Sagsstammesen",
            birth_date=datetime.date(2008 + i % 17, 1 + i % 12, 1 + i % 28),
            is_synthetic=True,
        )
        child.set_cpr(f.synthetic_cpr(child.birth_date))
        children.append(child)
    children = Child.objects.bulk_create(children, batch_size=500)

    cases = Case.objects.bulk_create(
        [
            Case(
                municipality=municipality,
                child=child,
                team=team,
                caseworker=None if i % 25 == 0 else workers[i % caseworkers],
                source="notification",
                opened_on=today - (30 + i * 3) * day,
                is_synthetic=True,
            )
            for i, child in enumerate(children)
        ],
        batch_size=500,
    )
    assignments = []
    for i, case in enumerate(cases):
        if case.caseworker_id is None:
            continue
        if i % 5 == 0:  # a change of caseworker halfway
            half = case.opened_on + (today - case.opened_on) / 2
            previous = workers[(i + 1) % caseworkers]
            assignments.append(
                CaseworkerAssignment(
                    case=case, caseworker=previous, started_on=case.opened_on, ended_on=half
                )
            )
            assignments.append(
                CaseworkerAssignment(case=case, caseworker_id=case.caseworker_id, started_on=half)
            )
        else:
            assignments.append(
                CaseworkerAssignment(
                    case=case, caseworker_id=case.caseworker_id, started_on=case.opened_on
                )
            )
    CaseworkerAssignment.objects.bulk_create(assignments, batch_size=1000)

    interventions = []
    for i, case in enumerate(cases):
        for k in range(i % 3 + 1):
            start = case.opened_on + (10 + 20 * k) * day
            interventions.append(
                Intervention(
                    case=case,
                    title=f"Indsats {k}",
                    legal_basis="§ 32",
                    step=(i + k) % 6,
                    provider=provider if k else None,
                    start_on=start,
                    end_on=start + 60 * day if (i + k) % 7 == 0 else None,
                    monthly_cost=5000 + 1000 * ((i + k) % 30),
                    is_synthetic=True,
                )
            )
    interventions = Intervention.objects.bulk_create(interventions, batch_size=1000)
    follow_ups = []
    for j, intervention in enumerate(interventions):
        held = intervention.start_on + 90 * day
        follow_ups.append(FollowUp(intervention=intervention, due_on=held, held_on=held))
        follow_ups.append(FollowUp(intervention=intervention, due_on=today + ((j % 61) - 20) * day))
    FollowUp.objects.bulk_create(follow_ups, batch_size=1000)
    Investigation.objects.bulk_create(
        [
            Investigation(
                case=case,
                started_on=case.opened_on,
                due_on=today + ((i % 90) - 30) * day,
                completed_on=case.opened_on + 100 * day if i % 2 else None,
            )
            for i, case in enumerate(cases)
            if i % 3 == 0
        ],
        batch_size=1000,
    )
    ChildPlan.objects.bulk_create(
        [
            ChildPlan(
                case=case,
                kind=PlanKind.SUPPORT,
                decided_on=case.opened_on,
                due_on=today + ((i % 40) - 10) * day,
                is_synthetic=True,
            )
            for i, case in enumerate(cases)
            if i % 4 == 0
        ],
        batch_size=1000,
    )
    # Bulk inserts send no signals: store the cases' deadlines as the services would have.
    next_deadline.refresh(Case.objects.filter(team=team))
    if connection.vendor == "postgresql":
        # Fresh bulk inserts have no planner statistics yet (autovacuum would gather them within
        # a minute in a running installation): without them PostgreSQL walks every open
        # follow-up for each case (1.1 s instead of 25 ms for the 600 cases).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return SimpleNamespace(
        team=team, leader=leader, caseworker=workers[1], caseworkers=workers, cases=n
    )


def bench_caseload(world, n: int) -> list[dict]:
    """p95 of the caseload page (team leader; caseworker's team view) beside the minimal page."""
    from django.urls import reverse

    from bench.run import PAGE_BASELINE, get_ok, logged_in_client, measure_interleaved, row

    load = build_caseload(world.municipality)
    url = reverse("cases:caseload")
    leader = logged_in_client(load.leader)
    first = get_ok(leader, url)
    shown, count = len(first.context["rows"]), first.context["page"].paginator.count
    if (shown, count) != (50, load.cases):
        raise SystemExit(f"bench: the caseload showed {shown} of {count} cases")
    targets = {
        "page": (logged_in_client(world.caseworker), f"/minimal-page/{world.child.pk}/"),
        "leader": (leader, url),
        "caseworker": (logged_in_client(load.caseworker), f"{url}?visning=team"),
    }
    m = measure_interleaved(targets, n)
    label = f"caseload, team of {len(load.caseworkers)} caseworkers with {count} open cases"
    return [
        row(
            f"{label}, team leader, p95",
            m["p95"]["leader"],
            m["p95"]["page"],
            f"{PAGE_BASELINE}, p95",
            "s/request",
            queries=m["queries"]["leader"],
            baseline_queries=m["queries"]["page"],
        ),
        row(
            f"{label}, caseworker's team view, p95",
            m["p95"]["caseworker"],
            m["p95"]["page"],
            f"{PAGE_BASELINE}, p95",
            "s/request",
        ),
        row(
            "caseload, the leader's requests, CPU time, median",
            m["cpu"]["leader"],
            m["cpu"]["page"],
            f"{PAGE_BASELINE}, CPU time, median",
            "s/request",
        ),
    ]
