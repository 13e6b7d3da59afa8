"""The cost of active interventions per case, per team and per step, month by month.

The rule (docs/casework.md, "Economy"): an intervention costs its `monthly_cost` for a whole
month in which it is active every day; in a month where it is active only some days it costs
`monthly_cost` × the days it was active ÷ the month's days. Active means started and not ended
(`start_on` to `end_on`, both days included; no `end_on`: still running). The current month
counts the days up to and including today, so it shows what has been spent so far, not a
forecast. The last 12 months are shown: the current month and the 11 before it.

One query reads every intervention of the user's teams that was active in the window (a row of
plain values each); the sums per case, team, step and month are made in Python from those rows.
No query per case or per month.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from trappen.cases.models import Intervention
from trappen.core import audit
from trappen.core.models import AuditAction, Role, User
from trappen.core.vocabulary import Step

MONTHS = 12
LIST_PURPOSE = "Økonomioversigt"
MONTH_NAMES = (
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "maj",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
)
ZERO = Decimal(0)


def may_view(user: User) -> bool:
    return user.is_authenticated and (
        user.has_role(Role.CASEWORKER) or user.has_role(Role.TEAM_LEADER)
    )


def economy_team_ids(user: User) -> list[int]:
    """A team leader's own teams, a caseworker's own team (both, for someone who is both)."""
    return sorted(set(user.unit_ids(Role.TEAM_LEADER)) | set(user.unit_ids(Role.CASEWORKER)))


def month_starts(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    """The first days of the last `months` months, oldest first, ending with today's month."""
    index = today.year * 12 + today.month - 1
    return [datetime.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def days_in_month(month: datetime.date) -> int:
    return pycalendar.monthrange(month.year, month.month)[1]


def cost_in_month(
    monthly_cost: Decimal,
    start_on: datetime.date,
    end_on: datetime.date | None,
    month: datetime.date,
    until: datetime.date,
) -> Decimal:
    """What an intervention costs in `month` (its first day), counting days up to `until`."""
    length = days_in_month(month)
    last = min(month + datetime.timedelta(days=length - 1), until)
    if end_on is not None:
        last = min(last, end_on)
    first = max(month, start_on)
    if last < first:
        return ZERO
    return Decimal(monthly_cost) * ((last - first).days + 1) / length


@dataclass
class CostLine:
    label: str
    months: list[Decimal]
    case_id: int | None = None
    team: str = ""

    @property
    def total(self) -> Decimal:
        return sum(self.months, ZERO)


@dataclass
class EconomyReport:
    months: list[datetime.date]
    today: datetime.date
    by_team: list[CostLine] = field(default_factory=list)
    by_step: list[CostLine] = field(default_factory=list)
    by_case: list[CostLine] = field(default_factory=list)
    totals: CostLine = field(default_factory=lambda: CostLine("I alt", []))

    @property
    def month_labels(self) -> list[str]:
        return [f"{MONTH_NAMES[m.month - 1]} {m.year}" for m in self.months]


ROW_FIELDS = (
    "case_id",
    "case__child_id",
    "case__child__first_name",
    "case__child__last_name",
    "case__team_id",
    "case__team__name",
    "step",
    "start_on",
    "end_on",
    "monthly_cost",
)


def intervention_rows(team_ids: list[int], municipality_id, first: datetime.date, until):
    """Every intervention of the teams' cases active at some day in [first, until]."""
    return (
        Intervention.objects.filter(
            case__team_id__in=team_ids,
            case__municipality_id=municipality_id,
            start_on__lte=until,
        )
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=first))
        .order_by("case_id", "pk")
        .values_list(*ROW_FIELDS)
    )


def build_report(rows, today: datetime.date, months: int = MONTHS) -> EconomyReport:
    """Sum the rows (tuples as `ROW_FIELDS`) per case, team, step and month."""
    starts = month_starts(today, months)
    n = len(starts)
    cases: dict[int, CostLine] = {}
    teams: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * n)
    steps: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * n)
    totals = [ZERO] * n
    for case_id, _child_id, first, last, _team_id, team, step, start, end, cost in rows:
        line = cases.get(case_id)
        if line is None:
            line = cases[case_id] = CostLine(f"{first} {last}", [ZERO] * n, case_id, team)
        for i, month in enumerate(starts):
            amount = cost_in_month(cost, start, end, month, today)
            if amount:
                line.months[i] += amount
                teams[team][i] += amount
                steps[step][i] += amount
                totals[i] += amount
    step_labels = dict(Step.choices)
    return EconomyReport(
        months=starts,
        today=today,
        by_team=[CostLine(name, teams[name]) for name in sorted(teams)],
        by_step=[
            CostLine(f"{step}: {step_labels.get(step, '')}", steps[step]) for step in sorted(steps)
        ],
        by_case=sorted(
            (line for line in cases.values() if line.total),
            key=lambda line: (-line.total, line.label, line.case_id),
        ),
        totals=CostLine("I alt", totals),
    )


def economy_report(user: User, *, today: datetime.date | None = None) -> EconomyReport:
    """The report for the user's teams; the cases shown (with the child's name) are logged."""
    today = today or timezone.localdate()
    starts = month_starts(today)
    rows = list(intervention_rows(economy_team_ids(user), user.municipality_id, starts[0], today))
    report = build_report(rows, today)
    children = {row[0]: row[1] for row in rows}
    role = Role.TEAM_LEADER if user.unit_ids(Role.TEAM_LEADER) else Role.CASEWORKER
    audit.record_many(
        user,
        [
            audit.AuditEntry(
                AuditAction.VIEW,
                "cases.case",
                str(line.case_id),
                children[line.case_id],
                LIST_PURPOSE,
            )
            for line in report.by_case
        ],
        role=role,
    )
    return report


def kroner(value: Decimal) -> str:
    """Whole kroner with Danish thousands separators: 1234567.5 -> "1.234.568"."""
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}".replace(",", ".")


def bar_chart(report: EconomyReport) -> SafeString:
    """The monthly totals as a server-side SVG bar chart; the tables below hold its data."""
    width, height, top, bottom, left = 720, 240, 20, 40, 10
    n = len(report.months)
    slot = (width - 2 * left) / n
    peak = max(report.totals.months, default=ZERO) or Decimal(1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' aria-labelledby="economy-chart-title" class="trappen-chart" width="100%">',
        '<title id="economy-chart-title">Udgift til aktive indsatser pr. måned, de seneste 12'
        " måneder (tallene står i tabellerne nedenfor)</title>",
    ]
    usable = height - top - bottom
    for i, (label, value) in enumerate(zip(report.month_labels, report.totals.months, strict=True)):
        bar = float(value / peak) * usable
        x = left + i * slot + slot * 0.15
        y = top + usable - bar
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar:.1f}"'
            f' fill="#0059b3"><title>{escape(label)}: {kroner(value)} kr.</title></rect>'
        )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" font-size="11"'
            f' text-anchor="middle">{escape(label)}</text>'
        )
    parts.append(
        f'<text x="{left}" y="{top - 6}" font-size="11">Højeste måned: {kroner(peak)} kr.</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (only numbers and escaped labels)
