#!/usr/bin/env python
"""Trappen's benchmarks: each figure beside a baseline measured in the same run.

    .venv/bin/python bench/run.py [--quick] [--requests N] [--audit-rows N] [--calendar-calls N]

The figures are for looking at, never asserted in tests. They run on a throwaway database: a
SQLite file in a temporary directory, or, when DATABASE_URL is set, a test database created
beside it (test_<name>, dropped afterwards; the named database itself is never touched).
Results are printed as a table and written to bench/results/<date-time>.json (git-ignored).

What is compared (the ratio is ours ÷ baseline, time per operation; 1.0 = as fast):
  a) the child page and the start page through Django's test client, against a minimal
     DB-backed view (one row, a one-line template) through the same middleware and login;
  b) audit.record_many, hashing and chaining under the lock, against a plain bulk insert of the
     same rows; and audit.record one event at a time against a plain single-row insert;
  c) calendar.add_working_days against a naive loop over a plain set of the same closing days;
  d) the team's inbox of notifications (2,000 open in the team), p95, against the minimal page's
     p95 in the same run;
  e) the case page of a child with ten years of history (bench/case_page.py), p95, likewise.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FIGURES = ("pages", "audit", "calendar", "inbox", "casepage", "caseload")


def main() -> None:
    args = parse_args()
    tmp = configure_environment()
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # what the test client expects (ALLOWED_HOSTS, e-mail in memory)
    # WhiteNoise warns when collectstatic has not run; the pages do not depend on it here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    old_name = connection.settings_dict["NAME"]
    if tmp:
        # A file, not SQLite's in-memory test database: closer to how the demo runs.
        connection.settings_dict["TEST"]["NAME"] = f"{tmp}/bench-test.sqlite3"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rows = run_all(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print_table(rows, describe_database(old_name))
    path = write_results(rows, args)
    print(f"\nwritten to {path.relative_to(ROOT)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of every count")
    parser.add_argument("--requests", type=int, default=300, help="requests per page")
    parser.add_argument("--audit-rows", type=int, default=5000, help="rows for the audit bulk")
    parser.add_argument("--calendar-calls", type=int, default=100_000)
    parser.add_argument(
        "--only",
        choices=FIGURES,
        action="append",
        help="run only this group of figures (repeatable); default: all",
    )
    args = parser.parse_args()
    if args.quick:
        args.requests = max(10, args.requests // 10)
        args.audit_rows = max(100, args.audit_rows // 10)
        args.calendar_calls = max(1000, args.calendar_calls // 10)
    return args


def configure_environment() -> str | None:
    """Settings for a throwaway database; returns the temporary directory to remove, if any."""
    sys.path.insert(0, str(ROOT))
    os.environ["TRAPPEN_ENV"] = "test"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trappen.settings")
    if os.environ.get("DATABASE_URL"):
        return None
    tmp = tempfile.mkdtemp(prefix="trappen-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    return tmp


def describe_database(name: str) -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return "SQLite (a file in a temporary directory)"
    return f"{connection.vendor} (a test database beside {name}, dropped afterwards)"


# --- measuring -------------------------------------------------------------------------------


def per_call(fn, n: int, warmup: int = 0) -> float:
    """Median seconds per call of fn() over n calls (after `warmup` unmeasured calls)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def percentile(fn, n: int, q: float, warmup: int = 0) -> float:
    """The q-th percentile (0-100) of seconds per call of fn() over n calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.quantiles(samples, n=100, method="inclusive")[round(q) - 1]


def total(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def row(figure: str, ours: float, baseline: float, baseline_label: str, unit: str, **extra):
    return {
        "figure": figure,
        "ours": ours,
        "baseline": baseline,
        "baseline_label": baseline_label,
        "unit": unit,
        "ratio": ours / baseline if baseline else None,
        **extra,
    }


# --- pages measured beside the minimal page, interleaved ------------------------------------

PAGE_BASELINE = "minimal DB-backed page through base.html"
WARM_UP = 20


def logged_in_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def get_ok(client, path: str):
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"bench: {path} answered {response.status_code}")
    return response


def measure_interleaved(targets: dict, n: int) -> dict:
    """Request every target (key: (client, path)) in turn, `n` rounds after a warm-up, so a
    change in the machine's load falls on all alike. Returns p95 and this process's median CPU
    time per target, and each target's number of queries.

    One URLconf for the whole run (bench.minimal_urls includes Trappen's own routes), set once:
    overriding ROOT_URLCONF around each request clears the URL caches, so every request would
    rebuild the resolver (several ms) that a server builds once, on both sides alike.
    """
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    samples: dict[str, list[float]] = {key: [] for key in targets}
    cpu: dict[str, list[float]] = {key: [] for key in targets}
    queries = {}
    with override_settings(ROOT_URLCONF="bench.minimal_urls"):
        for i in range(n + WARM_UP):
            for key, (client, path) in targets.items():
                cpu_start = time.process_time()
                elapsed = total(lambda client=client, path=path: get_ok(client, path))
                if i >= WARM_UP:
                    samples[key].append(elapsed)
                    cpu[key].append(time.process_time() - cpu_start)
        for key, (client, path) in targets.items():
            with CaptureQueriesContext(connection) as ctx:
                get_ok(client, path)
            queries[key] = len(ctx)
    return {
        "p95": {
            k: statistics.quantiles(v, n=100, method="inclusive")[94] for k, v in samples.items()
        },
        "cpu": {k: statistics.median(v) for k, v in cpu.items()},
        "queries": queries,
    }


def minimal_targets(world, client) -> dict:
    """The two baselines, requested by `client`: the minimal page through base.html, and the
    one-line view."""
    return {
        "page": (client, f"/minimal-page/{world.child.pk}/"),
        "bare": (client, f"/minimal/{world.child.pk}/"),
    }


def rows_beside_minimal(m: dict, key: str, figure: str, cpu_figure: str) -> list[dict]:
    """p95 beside the minimal page and the one-line view, and the CPU-time medians."""
    return [
        row(
            figure,
            m["p95"][key],
            m["p95"]["page"],
            f"{PAGE_BASELINE}, p95",
            "s/request",
            queries=m["queries"][key],
            baseline_queries=m["queries"]["page"],
        ),
        row(
            figure,
            m["p95"][key],
            m["p95"]["bare"],
            "minimal DB-backed view, one-line template, p95",
            "s/request",
            queries=m["queries"][key],
            baseline_queries=m["queries"]["bare"],
        ),
        # This process's CPU time, median: what the page costs us, whatever else the machine
        # is doing (a loaded machine stretches the wall-clock p95 of both sides unevenly).
        row(
            cpu_figure,
            m["cpu"][key],
            m["cpu"]["page"],
            f"{PAGE_BASELINE}, CPU time, median",
            "s/request",
        ),
    ]


# --- the benchmarks --------------------------------------------------------------------------


def run_all(args) -> list[dict]:
    from bench import world as world_module

    world = world_module.build()
    wanted = set(args.only or FIGURES)
    rows = []
    if "pages" in wanted:
        print(f"pages: {args.requests} requests each ...", flush=True)
        rows += bench_pages(world, args.requests)
    if "audit" in wanted:
        print(f"audit: {args.audit_rows} rows ...", flush=True)
        rows += bench_audit(world, args.audit_rows)
    if "calendar" in wanted:
        print(f"calendar: {args.calendar_calls} calls ...", flush=True)
        rows += bench_calendar(world, args.calendar_calls)
    if "inbox" in wanted:
        notifications = world_module.INBOX_NOTIFICATIONS
        print(f"inbox: {notifications} notifications, {args.requests} requests ...", flush=True)
        rows += bench_inbox(world, args.requests)
    if "casepage" in wanted:  # bench/case_page.py: a child with ten years of history
        from bench.case_page import bench_case_page

        print(f"casepage: ten years of history, {args.requests} requests ...", flush=True)
        rows += bench_case_page(world, args.requests)
    if "caseload" in wanted:  # bench/caseload.py: a team of 12 caseworkers with 600 open cases
        from bench.caseload import CASELOAD_CASES, bench_caseload

        print(f"caseload: {CASELOAD_CASES} cases, {args.requests} requests ...", flush=True)
        rows += bench_caseload(world, args.requests)
    return rows


def bench_pages(world, n: int) -> list[dict]:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(world.caseworker)
    pages = {
        "child page (caseworker)": reverse("core:child_detail", args=[world.child.pk]),
        "start page (caseworker)": reverse("core:home"),
    }

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"bench: {url} answered {response.status_code}")
        return response

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            get(url)
        return len(ctx.captured_queries)

    with override_settings(ROOT_URLCONF="bench.minimal_urls"):
        minimal_url = f"/minimal/{world.child.pk}/"
        baseline = per_call(lambda: get(minimal_url), n, warmup=20)
        baseline_queries = queries(minimal_url)
    rows = []
    for label, url in pages.items():
        ours = per_call(lambda url=url: get(url), n, warmup=20)
        rows.append(
            row(
                f"{label}, median",
                ours,
                baseline,
                "minimal DB-backed view, median",
                "s/request",
                queries=queries(url),
                baseline_queries=baseline_queries,
            )
        )
    return rows


def bench_inbox(world, n: int) -> list[dict]:
    """The inbox's first page for a team with 2,000 open notifications, p95 (the issue asks
    for at most 2x the minimal page), beside the minimal page's p95 measured right here."""
    from django.urls import reverse

    from bench import world as world_module

    inbox_world = world_module.build_inbox(world.municipality)
    client = logged_in_client(inbox_world.caseworker)
    url = reverse("notifications:inbox")
    first = get_ok(client, url)
    shown, total_rows = len(first.context["rows"]), first.context["page"].paginator.count
    if (shown, total_rows) != (50, inbox_world.notifications):
        raise SystemExit(f"bench: the inbox showed {shown} of {total_rows} notifications")
    m = measure_interleaved({**minimal_targets(world, client), "inbox": (client, url)}, n)
    return rows_beside_minimal(
        m,
        "inbox",
        f"inbox, team with {total_rows:,} open notifications, p95",
        "inbox, the same requests, CPU time, median",
    )


def bench_audit(world, n: int) -> list[dict]:
    from django.db import transaction

    from trappen.core import audit
    from trappen.core.models import AuditAction, AuditEvent

    actor, child = world.caseworker, world.child
    batch = 100
    entries = [
        audit.AuditEntry(AuditAction.VIEW, "people.child", str(child.pk), child.pk, "Liste")
        for _ in range(batch)
    ]
    seq = iter(range(10**12, 10**13))  # far above the chain's own numbers

    def plain_event():
        return AuditEvent(
            seq=next(seq),
            at=datetime.datetime.now(datetime.UTC),
            actor=actor,
            actor_label="Bench",
            role="caseworker",
            municipality_id=actor.municipality_id,
            action=AuditAction.VIEW,
            object_type="people.child",
            object_id=str(child.pk),
            child_id=child.pk,
            purpose="Liste",
            prev_hash="0" * 64,
            hash="0" * 64,
        )

    def plain_bulk():
        with transaction.atomic():
            AuditEvent.objects.bulk_create([plain_event() for _ in range(batch)])

    def ours_bulk():
        audit.record_many(actor, entries, role="caseworker")

    calls = max(1, n // batch)
    baseline_bulk = total(lambda: [plain_bulk() for _ in range(calls)]) / (calls * batch)
    ours_bulk_t = total(lambda: [ours_bulk() for _ in range(calls)]) / (calls * batch)

    singles = max(50, n // 5)

    def plain_single():
        with transaction.atomic():
            plain_event().save()

    def ours_single():
        audit.record(actor, AuditAction.VIEW, child, role="caseworker", purpose="Overblik")

    baseline_single = per_call(plain_single, singles, warmup=10)
    ours_single_t = per_call(ours_single, singles, warmup=10)
    return [
        row(
            f"audit.record_many, {calls} calls of {batch} rows",
            ours_bulk_t,
            baseline_bulk,
            "plain bulk_create of the same rows",
            "s/row",
        ),
        row(
            f"audit.record, one event, {singles} calls, median",
            ours_single_t,
            baseline_single,
            "plain single-row insert, median",
            "s/row",
        ),
    ]


def bench_calendar(world, n: int) -> list[dict]:
    from trappen.core import calendar

    rng = random.Random(1)  # noqa: S311 (spread of test dates, not security)
    first = datetime.date(2020, 1, 1)
    starts = [first + datetime.timedelta(days=rng.randrange(3650)) for _ in range(n)]
    municipality = world.municipality
    cal = calendar.calendar_for(municipality)
    closed = set().union(*(cal.non_working_days(y) for y in range(2019, 2033)))
    one = datetime.timedelta(days=1)

    def naive(start, days):
        day = start
        while days:
            day += one
            if day.weekday() < 5 and day not in closed:
                days -= 1
        return day

    results = {}

    def ours_run():
        results["ours"] = [calendar.add_working_days(s, 6, municipality) for s in starts]

    def naive_run():
        results["naive"] = [naive(s, 6) for s in starts]

    baseline = total(naive_run) / n
    ours = total(ours_run) / n
    if results["ours"] != results["naive"]:
        raise SystemExit("bench: add_working_days and the naive loop disagree")
    return [
        row(
            f"calendar.add_working_days(d, 6), {n:,} calls",
            ours,
            baseline,
            "naive loop over a set of closing days",
            "s/call",
        )
    ]


# --- output ----------------------------------------------------------------------------------


def human(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def print_table(rows: list[dict], database: str) -> None:
    print()
    print(f"Trappen benchmarks on {database}")
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print("ratio = ours ÷ baseline (time per operation; lower is better, 1.0 = as fast)\n")
    header = ("figure", "ours", "baseline", "ratio", "the baseline is")
    lines = []
    for r in rows:
        ours, base = human(r["ours"]), human(r["baseline"])
        if "queries" in r:
            ours += f" ({r['queries']} queries)"
            base += f" ({r['baseline_queries']} queries)"
        lines.append((r["figure"], ours, base, f"{r['ratio']:.1f}×", r["baseline_label"]))
    widths = [max(len(x[i]) for x in [header, *lines]) for i in range(len(header))]
    for line in [header, tuple("-" * w for w in widths), *lines]:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())


def write_results(rows: list[dict], args) -> Path:
    from django.db import connection

    now = datetime.datetime.now().astimezone()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{now:%Y-%m-%d-%H%M%S}.json"
    payload = {
        "when": now.isoformat(timespec="seconds"),
        "database": connection.vendor,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "arguments": vars(args),
        "rows": rows,
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    main()
