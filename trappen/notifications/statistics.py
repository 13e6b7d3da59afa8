"""Yearly notification counts for the municipality's reporting to Danmarks Statistik.

Danmarks Statistik publishes notifications (underretninger) per municipality and calendar year
in Statistikbanken UND1 (notifications by reporter), UND2 (children notified about) and UND3
(reasons; one notification may give several). `yearly_counts` gives the same figures from
Trappen's own records: the year is the Europe/Copenhagen calendar year of `received_at`.

How our codes meet DST's categories (checked against DST's documentation and Nyt articles; the
full category lists of UND1/UND3 could not be read here, so the mapping is partly unverified):
reporters: school → "Skole" (DST counts SFO, klub and fritidshjem with daycare, not school);
daycare → "Dagpleje, daginstitution, fritidshjem, klub og SFO"; health and health_visitor →
"Sundhedsvæsen"; police → "Politi eller domstol"; provider → anbringelsessted; anonymous →
"Anonym"; DST's "Foreninger, frivillige organisationer eller krisecentre" has no code of ours
(→ other). Reasons: neglect → "Utilstrækkelig omsorg"; school_absence → "Skoleproblemer (fx
fravær)"; child_substance → "Misbrug hos barn, ung"; crime → "Kriminalitet hos barn, ung";
DST's "Sundhedsforhold hos barnet eller den unge" has no code of ours.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from trappen.core.calendar import COPENHAGEN
from trappen.core.models import Municipality
from trappen.notifications.models import Notification, NotificationReason, ReporterKind

FIRST_YEAR = 2000  # nothing older is reported; DST's series begins in 2015
CSV_HEADER = ("dimension", "kode", "betegnelse", "antal")


@dataclass(frozen=True)
class YearlyCounts:
    """One municipality's notifications received in one calendar year.

    `by_reporter` and `by_reason` hold every category (0 where none), in the order of the
    choices. A notification counts once under each distinct reason it gives, so `by_reason`
    sums to at least `total - without_reason`.
    """

    municipality: Municipality
    year: int
    total: int
    by_reporter: dict[str, int]
    by_reason: dict[str, int]
    without_reason: int  # no reason recorded
    children: int  # distinct identified children notified about
    without_child: int  # notifications whose child was not identified
    repeats: int  # notifications flagged `is_repeat` at intake

    @property
    def per_child(self) -> float | None:
        """Notifications about an identified child per child notified (DST: UND1 / UND2)."""
        identified = self.total - self.without_child
        return identified / self.children if self.children else None

    @property
    def repeat_share(self) -> float | None:
        """Share of the year's notifications that were repeats (`is_repeat`)."""
        return self.repeats / self.total if self.total else None


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """1 January 00:00 of `year` and of the next year, in Copenhagen (aware datetimes)."""
    start = datetime.datetime(year, 1, 1, tzinfo=COPENHAGEN)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=COPENHAGEN)


def check_year(year: int, today: datetime.date) -> None:
    """Refuse a year before FIRST_YEAR or after the current one (Danish message)."""
    if not FIRST_YEAR <= year <= today.year:
        raise ValueError(f"Året skal være mellem {FIRST_YEAR} og {today.year}, ikke {year}.")


def yearly_counts(municipality: Municipality, year: int) -> YearlyCounts:
    """Count the notifications `municipality` received in `year` (three queries).

    Totals and the grouping by reporter are aggregate queries. Reasons are a JSON list per
    notification; counting its elements in SQL needs jsonb_array_elements_text on PostgreSQL and
    json_each on SQLite, so instead the year's `reasons` column alone is read once and counted
    here, the same on both databases. A reason listed twice on one notification counts once;
    codes that are not NotificationReason values are not counted.
    """
    start, end = year_bounds(year)
    notes = Notification.objects.filter(
        municipality=municipality, received_at__gte=start, received_at__lt=end
    )
    totals = notes.aggregate(
        total=Count("pk"),
        children=Count("child", distinct=True),
        without_child=Count("pk", filter=Q(child__isnull=True)),
        repeats=Count("pk", filter=Q(is_repeat=True)),
    )
    reporters = dict(
        notes.order_by()
        .values_list("reporter_kind")
        .annotate(n=Count("pk"))
        .values_list("reporter_kind", "n")
    )
    reasons, without_reason = _count_reasons(notes.values_list("reasons", flat=True))
    return YearlyCounts(
        municipality=municipality,
        year=year,
        total=totals["total"],
        by_reporter={kind: reporters.get(kind, 0) for kind in ReporterKind.values},
        by_reason={reason: reasons.get(reason, 0) for reason in NotificationReason.values},
        without_reason=without_reason,
        children=totals["children"],
        without_child=totals["without_child"],
        repeats=totals["repeats"],
    )


def _count_reasons(lists) -> tuple[Counter, int]:
    known = set(NotificationReason.values)
    counts: Counter = Counter()
    without = 0
    for reasons in lists:
        given = {r for r in reasons or () if isinstance(r, str) and r in known}
        counts.update(given)
        without += not given
    return counts, without


# --- the CSV export ----------------------------------------------------------------------------


def csv_rows(counts: YearlyCounts) -> list[tuple[str, str, str, str]]:
    """(dimension, code, Danish label, value): every reporter kind, every reason, the totals.

    Counts are whole numbers; the two ratios use a decimal comma, as Danish Excel reads them.
    """
    rows = [
        ("underretter", kind, str(label), str(counts.by_reporter[kind]))
        for kind, label in ReporterKind.choices
    ]
    rows += [
        ("årsag", reason, str(label), str(counts.by_reason[reason]))
        for reason, label in NotificationReason.choices
    ]
    rows.append(("årsag", "uoplyst", "Ingen årsag angivet", str(counts.without_reason)))
    rows += [
        ("i alt", "underretninger", "Underretninger i alt", str(counts.total)),
        ("i alt", "boern", "Børn, der er underrettet om", str(counts.children)),
        ("i alt", "uden_barn", "Underretninger uden identificeret barn", str(counts.without_child)),
        ("i alt", "pr_barn", "Underretninger pr. barn", _decimal(counts.per_child, 2)),
        ("i alt", "gentagne", "Gentagne underretninger", str(counts.repeats)),
        (
            "i alt",
            "andel_gentagne",
            "Andel gentagne underretninger (pct.)",
            _decimal(None if counts.repeat_share is None else 100 * counts.repeat_share, 1),
        ),
    ]
    return rows


def _decimal(value: float | None, places: int) -> str:
    return "" if value is None else f"{value:.{places}f}".replace(".", ",")


def to_csv(counts: YearlyCounts) -> str:
    """The export as text: a header row, semicolons (Danish Excel's list separator), CRLF.

    The caller writes it as UTF-8 with a byte-order mark so Excel reads æ, ø and å correctly.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(counts))
    return out.getvalue()
