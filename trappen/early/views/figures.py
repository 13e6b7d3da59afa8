"""The figures page of early detection: aggregates only, small cells suppressed
(docs/early-figures.md). For analysts, team leaders and outreach social workers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from trappen.core.home_services import SMALL_COUNT, suppress_small, years_before
from trappen.core.models import Role
from trappen.early import figures
from trappen.early.models import ConsultationOutcome

FIGURE_ROLES = frozenset({Role.ANALYST, Role.TEAM_LEADER, Role.OUTREACH})
FIRST_DAY = datetime.date(2000, 1, 1)
MAX_PERIOD_DAYS = 366 * 5
BAD_DATE = "Skriv en gyldig dato, fx 2026-12-31."


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last 12 months: from the day after the same day a year ago to today."""
    return years_before(today, 1) + datetime.timedelta(days=1), today


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"],
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-input input-width-s"}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": BAD_DATE},
    )


class PeriodForm(forms.Form):
    fra = _date("Fra og med")
    til = _date("Til og med")

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        start, end = default_period(self.today)
        start, end = data.get("fra") or start, data.get("til") or end
        if self.errors:
            return data
        if start < FIRST_DAY:
            self.add_error("fra", f"Perioden kan tidligst begynde {FIRST_DAY:%d.%m.%Y}.")
        if end > self.today:
            self.add_error("til", "Perioden kan ikke slutte efter i dag.")
        if start > end:
            self.add_error("fra", "Fra-datoen skal ligge før til-datoen.")
        elif (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("til", "Perioden må højst være 5 år.")
        data["start"], data["end"] = start, end
        return data


@dataclass(frozen=True)
class Published:
    """A figure fit for publication: `shown` is False when a cell below 5 would show."""

    shown: bool
    text: str


def _count(value: int) -> int | None:
    return suppress_small(value)


def _share(share: figures.Share) -> Published:
    # The share and its complement would give the small count back: both must be at least 5.
    complement = share.denominator - share.numerator
    if share.numerator < SMALL_COUNT or complement < SMALL_COUNT or share.value is None:
        return Published(False, "")
    return Published(True, f"{share.value * 100:.0f} %".replace(".", ","))


def _median(median: figures.Median, unit: str) -> Published:
    if median.n < SMALL_COUNT or median.value is None:
        return Published(False, "")
    value = f"{median.value:g}".replace(".", ",")
    return Published(True, f"{value} {unit}")


@login_required
@require_GET
def figures_page(request):
    user = request.user
    if not user.role_set() & FIGURE_ROLES:
        raise PermissionDenied
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, today=today)
    start, end = default_period(today)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    m = user.municipality_id
    first = figures.first_help_figures(m, start, end)
    assessments = [
        (row.unit_name, _count(row.assessments), _count(row.children))
        for row in figures.assessments_per_unit(m, start, end)
    ]
    consultations = [
        (
            row.unit_name,
            _count(row.requested),
            _count(row.from_parents),
            _count(row.held),
            [_count(row.outcomes[o.value]) for o in ConsultationOutcome],
        )
        for row in figures.consultations_per_unit(m, start, end)
    ]
    context = {
        "form": form,
        "start": start,
        "end": end,
        "cohort": _count(first.early_detection.denominator),
        "early": _count(first.early_detection.numerator),
        "share": _share(first.early_detection),
        "age": _median(first.median_age, "år"),
        "age_n": _count(first.median_age.n),
        "days": _median(first.median_days_from_concern, "dage"),
        "days_n": _count(first.median_days_from_concern.n),
        "assessments": assessments,
        "consultations": consultations,
        "outcome_labels": [o.label for o in ConsultationOutcome],
    }
    return render(request, "early/figures.html", context)
