"""The economy page: the cost of active interventions per case, team and step, month by month."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from trappen.cases.economy import (
    build_report,
    cost_in_month,
    days_in_month,
    economy_report,
    kroner,
    month_starts,
)
from trappen.cases.models import Case, Intervention
from trappen.core.models import AuditEvent

d = datetime.date
URL = reverse("cases:economy")


def test_a_month_costs_the_days_active_over_the_months_days():
    today = d(2026, 3, 15)
    # 31,000 a month from 11 January: January 21 of 31 days, February whole, March 1-15 so far
    assert cost_in_month(Decimal(31000), d(2026, 1, 11), None, d(2026, 1, 1), today) == 21000
    assert cost_in_month(Decimal(31000), d(2026, 1, 11), None, d(2026, 2, 1), today) == 31000
    assert cost_in_month(Decimal(31000), d(2026, 1, 11), None, d(2026, 3, 1), today) == 15000
    # ended 15 April: 15 of April's 30 days; nothing in May; not started yet: nothing
    assert (
        cost_in_month(Decimal(30000), d(2025, 4, 1), d(2025, 4, 15), d(2025, 4, 1), today) == 15000
    )
    assert cost_in_month(Decimal(30000), d(2025, 4, 1), d(2025, 4, 15), d(2025, 5, 1), today) == 0
    assert cost_in_month(Decimal(30000), d(2026, 4, 1), None, d(2026, 3, 1), today) == 0
    # a one-day intervention in a leap February: 1/29
    assert (
        cost_in_month(Decimal(2900), d(2028, 2, 29), d(2028, 2, 29), d(2028, 2, 1), d(2028, 12, 1))
        == 100
    )


def test_the_window_is_the_current_month_and_the_eleven_before():
    assert month_starts(d(2026, 3, 15)) == [d(2025, m, 1) for m in range(4, 13)] + [
        d(2026, m, 1) for m in (1, 2, 3)
    ]
    assert month_starts(d(2026, 12, 31))[0] == d(2026, 1, 1)


def test_sums_per_case_team_step_and_month_by_hand():
    today = d(2026, 3, 15)
    rows = [
        # case, child, first, last, team id, team, step, start, end, monthly cost
        (1, 11, "Anna", "A", 1, "Team A", 2, d(2026, 1, 11), None, Decimal(31000)),
        (1, 11, "Anna", "A", 1, "Team A", 4, d(2025, 4, 1), d(2025, 4, 15), Decimal(30000)),
        (2, 12, "Bo", "B", 2, "Team B", 2, d(2025, 1, 1), d(2025, 5, 31), Decimal(10000)),
    ]
    report = build_report(rows, today)

    # months: Apr 2025 .. Mar 2026 (index 0 .. 11)
    assert report.month_labels[0] == "apr. 2025" and report.month_labels[-1] == "mar. 2026"
    anna, bo = report.by_case
    assert (anna.label, anna.team, anna.total, bo.label, bo.total) == (
        "Anna A",
        "Team A",
        82000,  # 15,000 (April) + 21,000 + 31,000 + 15,000
        "Bo B",
        20000,  # April and May, 10,000 each
    )
    assert [(t.label, t.total) for t in report.by_team] == [("Team A", 82000), ("Team B", 20000)]
    assert [(s.label, s.total) for s in report.by_step] == [
        ("2: Hjemmebaserede indsatser", 87000),
        ("4: Anbringelse i plejefamilie", 15000),
    ]
    assert report.totals.months == [25000, 10000] + [0] * 7 + [21000, 31000, 15000]
    assert report.totals.total == 102000
    assert kroner(Decimal("1234567.5")) == "1.234.568"


def test_the_page_for_the_team_leader_by_hand_with_pinned_queries(
    world, client, django_assert_max_num_queries
):
    today = timezone.localdate()
    first = today.replace(day=1)
    # Anna's intervention: 1,000 a day of the current month since its first day
    Intervention.objects.filter(pk=world.anna_intervention.pk).update(
        start_on=first, end_on=None, monthly_cost=1000 * days_in_month(first)
    )
    bertram_case = Case.objects.get(child=world.bertram)
    Intervention.objects.create(
        case=bertram_case, title="Kontaktperson", step=2, start_on=first, monthly_cost=77777
    )
    client.force_login(world.personas["team_leader"])
    before = AuditEvent.objects.count()

    with django_assert_max_num_queries(12):
        response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    expected = kroner(Decimal(1000 * today.day))
    assert html.count(f"<strong>{expected}</strong>") >= 3  # the total in each table
    assert "Anna" in html and "Team A" in html and "Bertram" not in html
    assert "<svg" in html and "Højeste måned" in html
    logged = AuditEvent.objects.filter(seq__gt=before, purpose="Økonomioversigt")
    assert list(logged.values_list("child_id", flat=True)) == [world.anna.pk]


def test_a_caseworker_sees_the_own_team_only(world, client):
    Intervention.objects.filter(pk=world.anna_intervention.pk).update(monthly_cost=50000)
    report = economy_report(world.personas["charlie"])
    assert report.by_case == [] and report.totals.total == 0
    client.force_login(world.personas["charlie"])
    html = client.get(URL).content.decode()
    assert "Anna" not in html and "Ingen udgifter i perioden" in html
    client.force_login(world.personas["provider"])
    assert client.get(URL).status_code == 403
