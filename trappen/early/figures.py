"""Figures of early detection for the indicator library (issue 8; docs/early-figures.md).

Each function takes a municipality and a period `start`–`end` (both days included) and returns
counts, never children. They are set-based: grouped queries, merged per child id in Python for
the final aggregation. Publishing (small cells < 5 suppressed) is the page's business
(`trappen.early.views.figures`), not these functions'.

**First help.** A child's first help is the earliest day it received help at all: the earliest
`EarlyHelp.started_on` and `Intervention.start_on` (in any case of the municipality, any step,
ended or not). Three figures look at the *cohort of the period*: the children of the
municipality whose first help falls within the period. Help in another municipality is not seen.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone

from trappen.cases.models import CaseSource, Intervention
from trappen.core.models import UNIVERSAL_KINDS, OrganisationalUnit
from trappen.early.models import (
    Consultation,
    ConsultationOutcome,
    ConsultationStatus,
    EarlyHelp,
    WellbeingAssessment,
)

CONCERN_LEVEL = 3  # "3 Sårbar" or higher is a concern
CONCERN_WINDOW_DAYS = 365


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class Median:
    value: float | None  # None when no child counts
    n: int  # the children it is the median of


@dataclass(frozen=True)
class UnitAssessments:
    unit_id: int
    unit_name: str
    assessments: int
    children: int


@dataclass(frozen=True)
class UnitConsultations:
    unit_id: int
    unit_name: str
    requested: int
    from_parents: int
    held: int
    outcomes: dict[str, int] = field(default_factory=dict)  # ConsultationOutcome value → held


@dataclass(frozen=True)
class FirstHelp:
    day: datetime.date
    early_detection: bool
    birth_date: datetime.date


# --- assessments per unit -----------------------------------------------------------------


def _universal_units(municipality_id: int) -> dict[int, str]:
    return dict(
        OrganisationalUnit.objects.filter(
            municipality_id=municipality_id, kind__in=UNIVERSAL_KINDS
        ).values_list("pk", "name")
    )


def assessments_per_unit(
    municipality_id: int, start: datetime.date, end: datetime.date
) -> list[UnitAssessments]:
    """Wellbeing assessments per unit.

    - Numerator (per unit): the assessments recorded in the unit with `assessed_on` within the
      period; `children`: the distinct children they are about.
    - Denominator: none (a count); compare with the unit's number of children.
    - Period: `assessed_on` in `start`–`end`, both included.
    - Unit: the unit the assessment was made in (`WellbeingAssessment.unit`). Every daycare,
      school and health service of the municipality is listed, also those with none (0), so
      units that seldom assess show; units of other kinds only when they have assessments.
    Sorted by unit name.
    """
    names = _universal_units(municipality_id)
    rows = (
        WellbeingAssessment.objects.filter(
            unit__municipality_id=municipality_id, assessed_on__gte=start, assessed_on__lte=end
        )
        .order_by()
        .values("unit_id", "unit__name")
        .annotate(n=Count("id"), children=Count("child_id", distinct=True))
    )
    counts = {}
    for row in rows:
        names.setdefault(row["unit_id"], row["unit__name"])
        counts[row["unit_id"]] = (row["n"], row["children"])
    return sorted(
        (UnitAssessments(pk, name, *counts.get(pk, (0, 0))) for pk, name in names.items()),
        key=lambda r: (r.unit_name, r.unit_id),
    )


# --- first help ---------------------------------------------------------------------------


def first_help_by_child(municipality_id: int, until: datetime.date) -> dict[int, FirstHelp]:
    """Each child's first help (child id → FirstHelp) for children whose first help came on or
    before `until`.

    The first help began in early detection when, on that first day, the child started early
    help (`EarlyHelp`), or an intervention started in a case opened from early detection
    (`Case.source == CaseSource.EARLY_DETECTION`). On a day with both an early-detection start
    and another (a notification case's intervention), early detection wins: help that began the
    same day through early detection is counted as such.

    Two grouped queries (HAVING first <= until), merged per child id.
    """
    early = (
        EarlyHelp.objects.filter(municipality_id=municipality_id)
        .order_by()
        .values("child_id", "child__birth_date")
        .annotate(first=Min("started_on"))
        .filter(first__lte=until)
        .values_list("child_id", "child__birth_date", "first")
    )
    interventions = (
        Intervention.objects.filter(case__municipality_id=municipality_id)
        .order_by()
        .values("case__child_id", "case__child__birth_date")
        .annotate(
            first=Min("start_on"),
            first_early=Min("start_on", filter=Q(case__source=CaseSource.EARLY_DETECTION)),
        )
        .filter(first__lte=until)
        .values_list("case__child_id", "case__child__birth_date", "first", "first_early")
    )
    result: dict[int, FirstHelp] = {}
    for child_id, birth_date, first in early:
        result[child_id] = FirstHelp(first, True, birth_date)
    for child_id, birth_date, first, first_early in interventions:
        known = result.get(child_id)
        if known is not None and known.day < first:
            continue
        began_early = first_early == first or (known is not None and known.day == first)
        result[child_id] = FirstHelp(first, began_early, birth_date)
    return result


def _cohort(municipality_id: int, start: datetime.date, end: datetime.date):
    return {
        child_id: first
        for child_id, first in first_help_by_child(municipality_id, end).items()
        if start <= first.day
    }


def share_first_help_in_early_detection(
    municipality_id: int, start: datetime.date, end: datetime.date
) -> Share:
    """The share of children whose first help began in early detection.

    - Denominator: the children of the municipality whose first help ever (the earliest of
      `EarlyHelp.started_on` and `Intervention.start_on`) falls within the period.
    - Numerator: those of them whose first help began in early detection: on the first day the
      child started early help at step 0–1 (`EarlyHelp`, with the custody holders' consent and
      without a case), or an intervention in a case with source "Tidlig opsporing"
      (`CaseSource.EARLY_DETECTION`). A first intervention in a case opened from a notification,
      an application or by the caseworker is not early detection.
    - Period: the first help's day in `start`–`end`, both included.
    - Unit: the municipality (children counted once).
    """
    return _share(_cohort(municipality_id, start, end))


def _share(cohort: dict[int, FirstHelp]) -> Share:
    return Share(sum(1 for first in cohort.values() if first.early_detection), len(cohort))


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years on `day` (the age as it is normally stated)."""
    years = day.year - birth_date.year
    return years - 1 if (day.month, day.day) < (birth_date.month, birth_date.day) else years


def median_age_at_first_help(
    municipality_id: int, start: datetime.date, end: datetime.date
) -> Median:
    """The median age, in completed years on the day of the first help, of the children whose
    first help falls within the period (the denominator of
    `share_first_help_in_early_detection`). With an even number of children the median is the
    mean of the two middle ages (it can end in .5). Unit: the municipality."""
    return _median_age(_cohort(municipality_id, start, end))


def _median_age(cohort: dict[int, FirstHelp]) -> Median:
    ages = [age_on(first.birth_date, first.day) for first in cohort.values()]
    return Median(statistics.median(ages) if ages else None, len(ages))


def median_days_first_concern_to_help(
    municipality_id: int, start: datetime.date, end: datetime.date
) -> Median:
    """The median number of days from the first concern to the first help.

    - Children: those whose first help falls within the period (as above) and who have a
      concern before it: a wellbeing assessment at level 3 (Sårbar) or higher, made on or before
      the day of the first help and at most 365 days before it. Children without such a
      concern (help that began from a notification with no assessment, or an assessment more
      than a year earlier) are left out; `n` says how many counted.
    - The first concern: the earliest such assessment (`assessed_on`), in any unit.
    - Days: first help's day minus the first concern's day (0 when on the same day).
    - Period: the first help's day in `start`–`end`, both included. Unit: the municipality.
    """
    return _median_days(municipality_id, start, end, _cohort(municipality_id, start, end))


def _median_days(
    municipality_id: int, start: datetime.date, end: datetime.date, cohort: dict[int, FirstHelp]
) -> Median:
    window = datetime.timedelta(days=CONCERN_WINDOW_DAYS)
    rows = (
        WellbeingAssessment.objects.filter(
            child__municipality_id=municipality_id,
            level__gte=CONCERN_LEVEL,
            assessed_on__gte=start - window,
            assessed_on__lte=end,
        )
        .order_by("assessed_on")
        .values_list("child_id", "assessed_on")
        .distinct()
    )
    days: dict[int, int] = {}
    for child_id, assessed_on in rows:  # the earliest first
        first = cohort.get(child_id)
        if first is None or child_id in days:
            continue
        if first.day - window <= assessed_on <= first.day:
            days[child_id] = (first.day - assessed_on).days
    values = list(days.values())
    return Median(statistics.median(values) if values else None, len(values))


@dataclass(frozen=True)
class FirstHelpFigures:
    early_detection: Share
    median_age: Median
    median_days_from_concern: Median


def first_help_figures(
    municipality_id: int, start: datetime.date, end: datetime.date
) -> FirstHelpFigures:
    """The three first-help figures above from one reading of the cohort (three queries)."""
    cohort = _cohort(municipality_id, start, end)
    return FirstHelpFigures(
        _share(cohort), _median_age(cohort), _median_days(municipality_id, start, end, cohort)
    )


# --- consultations per unit ---------------------------------------------------------------


def _day_bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return since, until


def consultations_per_unit(
    municipality_id: int, start: datetime.date, end: datetime.date
) -> list[UnitConsultations]:
    """Anonymous consultations per unit, and their outcomes.

    - `requested`: consultations booked in the period (`created_at`, local day, in
      `start`–`end`) and not cancelled; `from_parents`: those booked by a parent.
    - `held` and `outcomes`: consultations held in the period (`held_on` in `start`–`end`),
      in total and per outcome (advice; parent meeting; early help; the professional should
      notify). A consultation booked in one period and held in the next counts as requested in
      the first and held in the second.
    - Denominator: none (counts); the share of an outcome is outcome / held.
    - Unit: the school, daycare or health service the consultation is about
      (`Consultation.unit`). Every daycare, school and health service of the municipality is
      listed, also those with none, so units that seldom ask show. Sorted by unit name.
    """
    since, until = _day_bounds(start, end)
    booked = Q(created_at__gte=since, created_at__lt=until) & ~Q(
        status=ConsultationStatus.CANCELLED
    )
    held = Q(status=ConsultationStatus.HELD, held_on__gte=start, held_on__lte=end)
    outcomes = {
        f"outcome_{o.value}": Count("id", filter=held & Q(outcome=o.value))
        for o in ConsultationOutcome
    }
    rows = (
        Consultation.objects.filter(booked | held, municipality_id=municipality_id)
        .order_by()
        .values("unit_id", "unit__name")
        .annotate(
            requested=Count("id", filter=booked),
            from_parents=Count("id", filter=booked & Q(requester_kind="parent")),
            held=Count("id", filter=held),
            **outcomes,
        )
    )
    names = _universal_units(municipality_id)
    found = {}
    for row in rows:
        names.setdefault(row["unit_id"], row["unit__name"])
        found[row["unit_id"]] = row
    result = []
    for pk, name in names.items():
        row = found.get(pk, {})
        result.append(
            UnitConsultations(
                pk,
                name,
                row.get("requested", 0),
                row.get("from_parents", 0),
                row.get("held", 0),
                {o.value: row.get(f"outcome_{o.value}", 0) for o in ConsultationOutcome},
            )
        )
    return sorted(result, key=lambda r: (r.unit_name, r.unit_id))
