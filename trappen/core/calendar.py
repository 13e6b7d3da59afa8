"""The working-day calendar: the one service that computes every legal deadline.

Nothing else in Trappen may compute a deadline; call the functions here and store the result on
the record when it is created (DESIGN.md, "Time"). The rules and their paragraphs are listed in
docs/legal.md.

Conventions (each is tested in trappen/core/tests/test_calendar.py):

- Time zone. Every datetime going in must be aware; it is read in Europe/Copenhagen local time,
  and every datetime coming out is aware, in Europe/Copenhagen. Django stores them in UTC.
- Working day (hverdag). Monday to Friday, except
  1. Danish public holidays from the `holidays` package (Denmark, the public category: New
     Year's Day, Maundy Thursday, Good Friday, Easter Sunday and Monday, Ascension Day,
     Whit Sunday and Monday, Christmas Day, Boxing Day; Store Bededag only up to 2023, since it
     was abolished from 2024 by Act no. 214 of 6 March 2023);
  2. the default closing days Grundlovsdag (5 June), Christmas Eve (24 December) and New
     Year's Eve (31 December): not public holidays, but municipal offices are closed, and Danish
     deadline rules treat them as holidays (e.g. forældelsesloven § 27, stk. 2). 1 May is *not*
     a default closing day (it is a day off only under some agreements);
  3. the dates listed in the setting TRAPPEN_CLOSING_DAYS (ISO dates, all municipalities);
  4. the municipality's own `core.ClosingDay` rows.
- "Within n working days of receipt": the day of receipt never counts (it starts the period),
  and the deadline is the n-th working day after it. The receipt day is the local calendar date,
  whatever the hour. This follows the Danish rule for computing periods (Justitsministeriets
  vejledning nr. 9533 af 26/6 2018 om beregning af klagefrister: the day of receipt is not
  counted). So a notification received Friday 15:59 has its receipt due on the Monday 6 working
  days later, and one received on a Saturday the same Monday.
- Hours are real elapsed hours: `add_hours(t, 24)` is exactly 86,400 seconds after t, so across
  a daylight-saving change the local clock time moves by an hour (28 March 2026 12:00 CET plus
  24 hours is 29 March 2026 13:00 CEST).
- Months are calendar months with the same day of month; if the month is shorter, the last day
  of the month (31 October + 4 months = 28 February, or 29 February in a leap year; as in
  forældelsesloven § 27, stk. 1). Month deadlines are not moved off weekends or holidays: the law
  gives no such extension for these child-protection deadlines.

Speed: holiday sets are computed once per year and cached; a municipality's closing days are read
with one query and cached in the process (for five minutes, and dropped at once when a
`ClosingDay` is saved or deleted in this process). For bulk work, get one `WorkCalendar` with
`calendar_for(municipality)` and pass it as `municipality=` to every call: no database access.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_delete, post_save

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
UTC = datetime.UTC

NOTIFICATION_ASSESSMENT_HOURS = 24  # Barnets lov § 136 (see docs/legal.md)
NOTIFICATION_RECEIPT_WORKING_DAYS = 6  # Barnets lov § 136 (see docs/legal.md)
INVESTIGATION_MONTHS = 4  # Barnets lov § 20, stk. 3
CHILD_PLAN_MONTHS = 3  # Barnets lov § 91, stk. 1 and 2
FIRST_FOLLOW_UP_MONTHS = 3  # Barnets lov § 95, stk. 2, nr. 2

CACHE_SECONDS = 300


# --- dates and times -------------------------------------------------------------------------


def _require_aware(value: datetime.datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("An aware datetime is required (naive datetimes are ambiguous).")


def to_local(value: datetime.datetime) -> datetime.datetime:
    """The same instant in Europe/Copenhagen."""
    _require_aware(value)
    return value.astimezone(COPENHAGEN)


def to_utc(value: datetime.datetime) -> datetime.datetime:
    """The same instant in UTC (how it is stored)."""
    _require_aware(value)
    return value.astimezone(UTC)


def local_date(value: datetime.date | datetime.datetime) -> datetime.date:
    """The Copenhagen calendar date of an aware datetime; a date is returned unchanged."""
    if isinstance(value, datetime.datetime):
        return to_local(value).date()
    return value


def add_hours(start: datetime.datetime, hours: float) -> datetime.datetime:
    """`hours` real elapsed hours after `start`, in Copenhagen time (DST-safe).

    Arithmetic is done in UTC: adding a timedelta to a zoneinfo datetime would add wall-clock
    time and be an hour off across a daylight-saving change.
    """
    return (to_utc(start) + datetime.timedelta(hours=hours)).astimezone(COPENHAGEN)


def add_months(start: datetime.date | datetime.datetime, months: int) -> datetime.date:
    """The same day `months` calendar months later, clamped to the month's last day."""
    day = local_date(start)
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


# --- closing days ----------------------------------------------------------------------------


def default_closing_days(year: int) -> frozenset[datetime.date]:
    """Grundlovsdag, Christmas Eve and New Year's Eve: closing days, not public holidays."""
    return frozenset(
        {datetime.date(year, 6, 5), datetime.date(year, 12, 24), datetime.date(year, 12, 31)}
    )


@lru_cache(maxsize=512)
def public_holidays(year: int) -> frozenset[datetime.date]:
    """Danish public holidays of a year (the `holidays` package, public category only)."""
    return frozenset(holidays.country_holidays("DK", years=year).keys())


@lru_cache(maxsize=512)
def _national_non_working(year: int) -> frozenset[datetime.date]:
    return public_holidays(year) | default_closing_days(year)


def settings_closing_days() -> frozenset[datetime.date]:
    """TRAPPEN_CLOSING_DAYS parsed; a malformed entry is a configuration error."""
    return _parse_closing_days(tuple(settings.TRAPPEN_CLOSING_DAYS))


@lru_cache(maxsize=16)
def _parse_closing_days(values: tuple[str, ...]) -> frozenset[datetime.date]:
    days = set()
    for value in values:
        try:
            days.add(datetime.date.fromisoformat(str(value).strip()))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TRAPPEN_CLOSING_DAYS: {value!r} is not an ISO date (YYYY-MM-DD)."
            ) from exc
    return frozenset(days)


# --- the calendar ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: weekdays minus national non-working days minus `closing_days`.

    `closing_days` holds the extra days (settings and municipality). Instances are immutable and
    cheap to share; per-year lookups are cached on the instance.
    """

    closing_days: frozenset[datetime.date] = frozenset()
    _years: dict[int, frozenset[datetime.date]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        # Accept any iterable of dates (a list, a queryset's values) and keep it immutable.
        object.__setattr__(self, "closing_days", frozenset(self.closing_days))

    def non_working_days(self, year: int) -> frozenset[datetime.date]:
        days = self._years.get(year)
        if days is None:
            extra = {d for d in self.closing_days if d.year == year}
            days = _national_non_working(year) | extra
            self._years[year] = days
        return days

    def is_working_day(self, day: datetime.date | datetime.datetime) -> bool:
        day = local_date(day)
        return day.weekday() < 5 and day not in self.non_working_days(day.year)

    def next_working_day(self, day: datetime.date | datetime.datetime) -> datetime.date:
        """The first working day on or after `day`."""
        day = local_date(day)
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def add_working_days(self, start: datetime.date | datetime.datetime, n: int) -> datetime.date:
        """The n-th working day after `start` (n >= 1); the start day itself never counts."""
        if n < 1:
            raise ValueError("n must be at least 1 working day.")
        day = local_date(start)
        one = datetime.timedelta(days=1)
        while n:
            day += one
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(
        self, a: datetime.date | datetime.datetime, b: datetime.date | datetime.datetime
    ) -> int:
        """Working days d with a < d <= b; negative when b is before a.

        The inverse of `add_working_days`: working_days_between(s, add_working_days(s, n)) == n.
        """
        start, end = local_date(a), local_date(b)
        if end < start:
            return -self.working_days_between(end, start)
        count, day, one = 0, start, datetime.timedelta(days=1)
        while day < end:
            day += one
            count += self.is_working_day(day)
        return count


# --- one calendar per municipality, cached ----------------------------------------------------

_cache: dict[object, tuple[float, WorkCalendar]] = {}


def calendar_for(municipality=None) -> WorkCalendar:
    """The calendar of a municipality (a Municipality, its id, or None for settings only).

    Costs at most one query, then is served from the process cache.
    """
    if isinstance(municipality, WorkCalendar):
        return municipality
    municipality_id = getattr(municipality, "pk", municipality)
    key = (municipality_id, tuple(settings.TRAPPEN_CLOSING_DAYS))
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    days = settings_closing_days() | _municipality_closing_days(municipality_id)
    cal = WorkCalendar(days)
    _cache[key] = (now, cal)
    return cal


def _municipality_closing_days(municipality_id) -> frozenset[datetime.date]:
    if municipality_id is None:
        return frozenset()
    from trappen.core.models import ClosingDay

    rows = ClosingDay.objects.filter(municipality_id=municipality_id).values_list("date", flat=True)
    return frozenset(rows)


def clear_cache(*args, **kwargs) -> None:
    """Forget cached municipality calendars.

    Called when a ClosingDay changes, and when a Municipality is saved or deleted (so a new
    municipality that reuses an id, as in tests after a rollback, never sees old closing days).
    """
    _cache.clear()


for _model in ("core.ClosingDay", "core.Municipality"):
    post_save.connect(clear_cache, sender=_model, dispatch_uid=f"calendar-save-{_model}")
    post_delete.connect(clear_cache, sender=_model, dispatch_uid=f"calendar-delete-{_model}")


# --- the calendar API: `municipality` may be None, a Municipality, its id or a WorkCalendar ----

Day = datetime.date | datetime.datetime


def is_working_day(day: Day, municipality=None) -> bool:
    return calendar_for(municipality).is_working_day(day)


def next_working_day(day: Day, municipality=None) -> datetime.date:
    return calendar_for(municipality).next_working_day(day)


def add_working_days(start: Day, n: int, municipality=None) -> datetime.date:
    return calendar_for(municipality).add_working_days(start, n)


def working_days_between(a: Day, b: Day, municipality=None) -> int:
    return calendar_for(municipality).working_days_between(a, b)


def working_days(days: Iterable[Day], municipality=None) -> list[bool]:
    """`is_working_day` for many days with one calendar lookup."""
    cal = calendar_for(municipality)
    return [cal.is_working_day(d) for d in days]


# --- deadlines per legal rule (docs/legal.md) -------------------------------------------------


def notification_assessment_due(received_at: datetime.datetime) -> datetime.datetime:
    """Barnets lov § 136: assess within 24 hours whether the child's health or development is in
    danger and acute measures are needed. Real hours, nights and weekends included."""
    return add_hours(received_at, NOTIFICATION_ASSESSMENT_HOURS)


def notification_receipt_due(received_at: Day, municipality=None) -> datetime.date:
    """Barnets lov § 136: confirm receipt to a professional notifier within 6 working days.

    The last day on which the receipt is on time; the day of receipt does not count.
    """
    return add_working_days(received_at, NOTIFICATION_RECEIPT_WORKING_DAYS, municipality)


def investigation_due(aware_on: Day) -> datetime.date:
    """Barnets lov § 20, stk. 3: the investigation ends at the latest 4 months after the
    municipality became aware that the child may need special support."""
    return add_months(aware_on, INVESTIGATION_MONTHS)


def child_plan_due(decided_on: Day) -> datetime.date:
    """Barnets lov § 91: the child's plan is ready at the latest 3 months after the decision
    (for § 32 measures when the caseworker decides a plan is needed; always for placements)."""
    return add_months(decided_on, CHILD_PLAN_MONTHS)


def first_follow_up_due(start_on: Day, investigation_end: Day | None = None) -> datetime.date:
    """Barnets lov § 95, stk. 2: the first follow-up is at the earlier of the end of an
    investigation running alongside the measure and 3 months after the measure started."""
    three_months = add_months(start_on, FIRST_FOLLOW_UP_MONTHS)
    if investigation_end is None:
        return three_months
    end = local_date(investigation_end)
    if end < local_date(start_on):
        raise ValueError(
            "investigation_end is before start_on: pass only the end of an investigation "
            "running alongside the measure."
        )
    return min(end, three_months)


def follow_up_meeting_date(deadline: Day, municipality=None) -> datetime.date:
    """Barnets lov § 95: the day of the follow-up meeting for a follow-up due on `deadline`.

    A follow-up is a meeting, so it is held on a working day. When the deadline (e.g. the first
    follow-up's 3 months, § 95, stk. 2) is not a working day, the meeting moves to the previous
    working day, never later than the legal date: the law gives no extension, and an earlier
    follow-up is in the child's interest. 25 December 2026 (Juledag, after the closing day
    Christmas Eve) gives Wednesday 23 December 2026; Easter Monday 29 March 2027 gives Wednesday
    24 March 2027 (before Maundy Thursday). Used for the next follow-ups set at a follow-up too.
    """
    cal = calendar_for(municipality)
    day = local_date(deadline)
    one = datetime.timedelta(days=1)
    while not cal.is_working_day(day):
        day -= one
    return day


# --- added for notification intake (issue 3) --------------------------------------------------

# Trappen's practice target, NOT a verified statutory deadline (docs/legal.md): the feedback rule
# itself (formerly serviceloven § 155 b, stk. 2) names no time limit in the sources checked.
NOTIFICATION_FEEDBACK_MONTHS = 3
REPEAT_NOTIFICATION_MONTHS = 12  # indicator definition (DOMAIN.md), not a legal rule


def notification_feedback_due(received_at: Day) -> datetime.date:
    """Feedback to a professional notifier on whether an investigation, support (§ 32) or a
    placement was started (formerly serviceloven § 155 b, stk. 2; current paragraph of barnets
    lov not verified). No statutory time limit was found, so this is the municipality's practice
    target: 3 calendar months after receipt, clamped to the month's last day."""
    return add_months(received_at, NOTIFICATION_FEEDBACK_MONTHS)


def repeat_notification_window_start(received_at: datetime.datetime) -> datetime.datetime:
    """The start of the 12 months before `received_at` in which an earlier notification about
    the same child makes this one a repeat: the same local clock time, 12 calendar months back."""
    local = to_local(received_at)
    day = add_months(local, -REPEAT_NOTIFICATION_MONTHS)
    return datetime.datetime.combine(day, local.time(), tzinfo=COPENHAGEN)
