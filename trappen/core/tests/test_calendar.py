"""The working-day calendar (trappen/core/calendar.py): hand-computed cases and properties.

Every expected date below was worked out by hand from a printed 2026-2028 calendar; the
comments show the counting.
"""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from trappen.core import calendar as cal
from trappen.core.calendar import COPENHAGEN, WorkCalendar
from trappen.core.models import ClosingDay
from trappen.core.tests.factories import MunicipalityFactory

D = dt.date
UTC = dt.UTC


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=COPENHAGEN)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    cal.clear_cache()
    yield
    cal.clear_cache()


# --- what counts as a working day -------------------------------------------------------------


def test_public_holidays_2026_are_the_danish_ones():
    assert cal.public_holidays(2026) == {
        D(2026, 1, 1),  # Nytårsdag
        D(2026, 4, 2),  # Skærtorsdag
        D(2026, 4, 3),  # Langfredag
        D(2026, 4, 5),  # Påskedag
        D(2026, 4, 6),  # 2. påskedag
        D(2026, 5, 14),  # Kristi himmelfartsdag
        D(2026, 5, 24),  # Pinsedag
        D(2026, 5, 25),  # 2. pinsedag
        D(2026, 12, 25),  # Juledag
        D(2026, 12, 26),  # 2. juledag
    }


def test_store_bededag_is_a_holiday_until_2023_and_a_working_day_from_2024():
    assert not cal.is_working_day(D(2023, 5, 5))  # Friday, Store Bededag 2023
    assert cal.is_working_day(D(2024, 4, 26))  # Friday, would have been Store Bededag
    assert cal.is_working_day(D(2025, 5, 16))
    assert cal.is_working_day(D(2026, 5, 1))  # Friday, both 1 May and old Store Bededag


def test_grundlovsdag_christmas_eve_and_new_years_eve_are_default_closing_days():
    assert not cal.is_working_day(D(2026, 6, 5))  # Friday
    assert not cal.is_working_day(D(2026, 12, 24))  # Thursday
    assert not cal.is_working_day(D(2026, 12, 31))  # Thursday
    assert cal.is_working_day(D(2026, 12, 30))  # Wednesday between the holidays


def test_weekends_are_not_working_days():
    assert cal.is_working_day(D(2026, 3, 6))  # Friday
    assert not cal.is_working_day(D(2026, 3, 7))  # Saturday
    assert not cal.is_working_day(D(2026, 3, 8))  # Sunday


def test_an_aware_datetime_is_read_in_copenhagen_time():
    # Friday 6 March 2026 23:30 UTC is Saturday 00:30 in Copenhagen.
    assert not cal.is_working_day(dt.datetime(2026, 3, 6, 23, 30, tzinfo=UTC))
    assert cal.is_working_day(dt.datetime(2026, 3, 6, 22, 30, tzinfo=UTC))


def test_naive_datetimes_are_refused():
    naive = dt.datetime(2026, 3, 6, 12, 0)  # noqa: DTZ001  the point of the test
    with pytest.raises(ValueError):
        cal.is_working_day(naive)
    with pytest.raises(ValueError):
        cal.notification_assessment_due(naive)


# --- the 6 working days receipt and the 24 hours assessment ------------------------------------


def test_notification_received_friday_1559():
    received = local(2026, 3, 6, 15, 59)  # Friday
    # Mon 9 (1), Tue 10 (2), Wed 11 (3), Thu 12 (4), Fri 13 (5), Mon 16 (6)
    assert cal.notification_receipt_due(received) == D(2026, 3, 16)
    assert cal.notification_assessment_due(received) == local(2026, 3, 7, 15, 59)


def test_the_day_of_receipt_does_not_count_even_on_a_weekend():
    # Received Saturday: the count starts on Monday, the same as for Friday.
    assert cal.notification_receipt_due(local(2026, 3, 7, 10, 0)) == D(2026, 3, 16)
    # Received Monday 9: Tue 10 (1) ... Mon 16 (5), Tue 17 (6).
    assert cal.notification_receipt_due(local(2026, 3, 9, 8, 0)) == D(2026, 3, 17)


def test_the_receipt_day_is_the_local_date_not_the_utc_date():
    # Thursday 5 March 23:30 UTC is Friday 6 March 00:30 in Copenhagen: a Friday receipt.
    received = dt.datetime(2026, 3, 5, 23, 30, tzinfo=UTC)
    assert cal.notification_receipt_due(received) == D(2026, 3, 16)


def test_notification_received_before_easter():
    # Wed 1 April 2026; Thu 2, Fri 3 and Mon 6 are holidays.
    # Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 (5), Tue 14 (6)
    assert cal.notification_receipt_due(local(2026, 4, 1, 14, 0)) == D(2026, 4, 14)
    # Received on Maundy Thursday itself: the same count.
    assert cal.notification_receipt_due(local(2026, 4, 2, 9, 0)) == D(2026, 4, 14)
    # The 24 hours run through the holiday: Good Friday 09:00.
    assert cal.notification_assessment_due(local(2026, 4, 2, 9, 0)) == local(2026, 4, 3, 9, 0)


def test_notification_received_before_christmas_and_new_year():
    # Wed 23 Dec 2026. Closed: Thu 24, Fri 25, Thu 31 Dec, Fri 1 Jan.
    # Mon 28 (1), Tue 29 (2), Wed 30 (3), Mon 4 Jan (4), Tue 5 (5), Wed 6 (6)
    assert cal.notification_receipt_due(local(2026, 12, 23, 11, 0)) == D(2027, 1, 6)


def test_24_hours_across_the_spring_dst_change_are_24_real_hours():
    # Clocks go forward on Sunday 29 March 2026 at 02:00 -> 03:00.
    received = local(2026, 3, 28, 12, 0)  # CET, +01:00
    due = cal.notification_assessment_due(received)
    assert due == local(2026, 3, 29, 13, 0)  # CEST: the local clock shows 13:00
    assert due.utcoffset() == dt.timedelta(hours=2)
    assert cal.to_utc(due) - cal.to_utc(received) == dt.timedelta(hours=24)


def test_24_hours_across_the_autumn_dst_change_are_24_real_hours():
    # Clocks go back on Sunday 25 October 2026 at 03:00 -> 02:00.
    received = local(2026, 10, 24, 12, 0)  # CEST, +02:00
    due = cal.notification_assessment_due(received)
    assert due == local(2026, 10, 25, 11, 0)  # CET: the local clock shows 11:00
    assert due.utcoffset() == dt.timedelta(hours=1)
    assert cal.to_utc(due) - cal.to_utc(received) == dt.timedelta(hours=24)


def test_add_hours_from_a_utc_input_returns_copenhagen_time():
    due = cal.add_hours(dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC), 2)
    assert due.tzinfo == COPENHAGEN
    assert due == local(2026, 3, 29, 3, 30)  # 01:30 UTC on the DST morning = 03:30 CEST


def test_working_days_across_the_dst_weekend_are_plain_dates():
    # Friday 27 March 2026, the Friday before the spring DST change; Easter follows.
    # Mon 30 (1), Tue 31 (2), Wed 1 (3), [Thu 2, Fri 3, Mon 6 holidays], Tue 7 (4), Wed 8 (5),
    # Thu 9 (6). Friday 23 October, before the autumn change: Mon 26 (1) ... Mon 2 Nov (6).
    assert cal.notification_receipt_due(local(2026, 3, 27, 16, 0)) == D(2026, 4, 9)
    assert cal.notification_receipt_due(local(2026, 10, 23, 16, 0)) == D(2026, 11, 2)


# --- closing days from settings and from the municipality --------------------------------------


@override_settings(TRAPPEN_CLOSING_DAYS=["2026-03-10"])
def test_settings_closing_days_are_not_working_days():
    assert not cal.is_working_day(D(2026, 3, 10))
    # Friday 6 March: Mon 9 (1), Wed 11 (2), Thu 12 (3), Fri 13 (4), Mon 16 (5), Tue 17 (6)
    assert cal.notification_receipt_due(local(2026, 3, 6, 15, 59)) == D(2026, 3, 17)


@override_settings(TRAPPEN_CLOSING_DAYS=["10-03-2026"])
def test_a_malformed_settings_closing_day_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        cal.is_working_day(D(2026, 3, 10))


@pytest.mark.django_db
def test_a_municipal_closing_day_moves_only_that_municipalitys_deadline():
    closed, open_ = MunicipalityFactory(), MunicipalityFactory()
    ClosingDay.objects.create(municipality=closed, date=D(2026, 5, 15), reason="Inklemt fredag")
    received = local(2026, 5, 13, 10, 0)  # Wed; Thu 14 is Ascension Day
    # Closed Fri 15: Mon 18 (1), Tue 19 (2), Wed 20 (3), Thu 21 (4), Fri 22 (5),
    # Mon 25 is Whit Monday, Tue 26 (6).
    assert cal.notification_receipt_due(received, closed) == D(2026, 5, 26)
    # Open Fri 15: Fri 15 (1), Mon 18 (2), Tue 19 (3), Wed 20 (4), Thu 21 (5), Fri 22 (6).
    assert cal.notification_receipt_due(received, open_) == D(2026, 5, 22)
    assert cal.notification_receipt_due(received) == D(2026, 5, 22)
    assert not cal.is_working_day(D(2026, 5, 15), closed.pk)


@pytest.mark.django_db
def test_a_municipality_calendar_is_loaded_once(django_assert_num_queries):
    municipality = MunicipalityFactory()
    ClosingDay.objects.create(municipality=municipality, date=D(2026, 3, 10))
    with django_assert_num_queries(1):
        for day in range(1, 29):
            cal.is_working_day(D(2026, 2, day), municipality)
        cal.notification_receipt_due(local(2026, 3, 6, 9, 0), municipality)


@pytest.mark.django_db
def test_a_new_closing_day_is_seen_at_once():
    municipality = MunicipalityFactory()
    assert cal.is_working_day(D(2026, 3, 10), municipality)
    row = ClosingDay.objects.create(municipality=municipality, date=D(2026, 3, 10))
    assert not cal.is_working_day(D(2026, 3, 10), municipality)
    row.delete()
    assert cal.is_working_day(D(2026, 3, 10), municipality)


def test_a_work_calendar_can_be_passed_instead_of_a_municipality():
    mine = WorkCalendar([D(2026, 3, 10)])
    assert mine.closing_days == frozenset({D(2026, 3, 10)})
    assert cal.calendar_for(mine) is mine
    assert cal.notification_receipt_due(local(2026, 3, 6, 15, 59), mine) == D(2026, 3, 17)


# --- months: investigation, plan, follow-up ---------------------------------------------------


def test_investigation_due_is_four_calendar_months_later():
    assert cal.investigation_due(D(2026, 3, 16)) == D(2026, 7, 16)
    assert cal.investigation_due(D(2026, 10, 31)) == D(2027, 2, 28)


def test_leap_years():
    assert cal.investigation_due(D(2027, 10, 31)) == D(2028, 2, 29)
    assert cal.investigation_due(D(2028, 2, 29)) == D(2028, 6, 29)
    assert cal.first_follow_up_due(D(2027, 11, 30)) == D(2028, 2, 29)
    assert cal.add_months(D(2028, 2, 29), 12) == D(2029, 2, 28)
    # Fri 25 Feb 2028: Mon 28 (1), Tue 29 Feb (2)
    assert cal.add_working_days(D(2028, 2, 25), 2) == D(2028, 2, 29)


def test_investigation_due_uses_the_local_date_of_an_aware_datetime():
    # 31 January 23:30 UTC is 1 February 00:30 in Copenhagen.
    assert cal.investigation_due(dt.datetime(2026, 1, 31, 23, 30, tzinfo=UTC)) == D(2026, 6, 1)


def test_month_deadlines_are_not_moved_off_weekends():
    # 6 June 2026 is a Saturday; the law gives no extension.
    assert cal.investigation_due(D(2026, 2, 6)) == D(2026, 6, 6)


def test_child_plan_due_is_three_months_after_the_decision():
    assert cal.child_plan_due(D(2026, 11, 30)) == D(2027, 2, 28)


def test_first_follow_up_is_the_earlier_of_investigation_end_and_three_months():
    start = D(2026, 3, 2)
    assert cal.first_follow_up_due(start) == D(2026, 6, 2)
    assert cal.first_follow_up_due(start, investigation_end=D(2026, 4, 20)) == D(2026, 4, 20)
    assert cal.first_follow_up_due(start, investigation_end=D(2026, 8, 1)) == D(2026, 6, 2)
    with pytest.raises(ValueError):
        cal.first_follow_up_due(start, investigation_end=D(2026, 3, 1))


def test_zero_working_days_is_refused():
    with pytest.raises(ValueError):
        cal.add_working_days(D(2026, 3, 6), 0)


def test_next_working_day_and_between():
    assert cal.next_working_day(D(2026, 12, 24)) == D(2026, 12, 28)
    assert cal.next_working_day(D(2026, 12, 28)) == D(2026, 12, 28)
    assert cal.working_days_between(D(2026, 12, 23), D(2027, 1, 6)) == 6
    assert cal.working_days_between(D(2027, 1, 6), D(2026, 12, 23)) == -6
    assert cal.working_days_between(D(2026, 3, 7), D(2026, 3, 8)) == 0


# --- properties -------------------------------------------------------------------------------

DATES = st.dates(min_value=D(2000, 1, 1), max_value=D(2045, 12, 31))
CALENDARS = st.frozensets(
    st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)), max_size=30
).map(WorkCalendar)
N = st.integers(min_value=1, max_value=80)
# No time limit per example: a slow CI machine must not fail a correct calendar.
PROPERTY = settings(deadline=None, max_examples=150)


@PROPERTY
@given(calendar=CALENDARS, start=DATES, n=N)
def test_add_working_days_lands_on_a_working_day_after_the_start(calendar, start, n):
    due = calendar.add_working_days(start, n)
    assert due > start
    assert calendar.is_working_day(due)
    assert due.weekday() < 5
    assert due not in calendar.closing_days
    assert due not in cal.public_holidays(due.year)


@PROPERTY
@given(calendar=CALENDARS, start=DATES, n=N)
def test_one_more_working_day_is_strictly_later(calendar, start, n):
    assert calendar.add_working_days(start, n + 1) > calendar.add_working_days(start, n)


@PROPERTY
@given(calendar=CALENDARS, start=DATES, n=N)
def test_working_days_between_inverts_add_working_days(calendar, start, n):
    due = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, due) == n
    # and no earlier day would do: the day before has one working day fewer
    assert calendar.working_days_between(start, due - dt.timedelta(days=1)) == n - 1


@PROPERTY
@given(calendar=CALENDARS, a=DATES, b=DATES, c=DATES)
def test_working_days_between_is_antisymmetric_and_additive(calendar, a, b, c):
    if abs((a - b).days) > 3000 or abs((b - c).days) > 3000:
        return  # keep each example fast
    assert calendar.working_days_between(a, b) == -calendar.working_days_between(b, a)
    assert calendar.working_days_between(a, b) + calendar.working_days_between(
        b, c
    ) == calendar.working_days_between(a, c)


@PROPERTY
@given(calendar=CALENDARS, day=DATES)
def test_extra_closing_days_and_weekends_are_never_working_days(calendar, day):
    if day in calendar.closing_days or day.weekday() >= 5:
        assert not calendar.is_working_day(day)
    assert calendar.is_working_day(day) <= WorkCalendar().is_working_day(day)


@PROPERTY
@given(
    start=st.datetimes(
        # hypothesis takes naive bounds and attaches the time zone itself
        min_value=dt.datetime(2000, 1, 1),  # noqa: DTZ001
        max_value=dt.datetime(2045, 12, 31),  # noqa: DTZ001
        timezones=st.just(COPENHAGEN),
        allow_imaginary=False,
    ),
    hours=st.integers(min_value=-1000, max_value=1000),
)
def test_add_hours_preserves_elapsed_seconds_across_dst(start, hours):
    due = cal.add_hours(start, hours)
    assert due.tzinfo == COPENHAGEN
    assert cal.to_utc(due) - cal.to_utc(start) == dt.timedelta(hours=hours)


@PROPERTY
@given(start=DATES, months=st.integers(min_value=0, max_value=60))
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(start, months):
    due = cal.add_months(start, months)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
    if start.day <= 28:
        assert due.day == start.day
    else:
        next_day = due + dt.timedelta(days=1)
        assert due.day == start.day or next_day.month != due.month  # clamped to the last day


@PROPERTY
@given(start=DATES, end=st.one_of(st.none(), DATES))
def test_first_follow_up_is_never_later_than_three_months(start, end):
    if end is not None and end < start:
        return
    due = cal.first_follow_up_due(start, end)
    assert start <= due <= cal.add_months(start, 3)


# --- follow-up meetings (§ 95): moved back to a working day, never later (issue 4) -------------


@pytest.mark.smoke
def test_follow_up_meeting_moves_back_before_christmas_and_easter():
    # 25 Sep 2026 + 3 months = Friday 25 Dec (Juledag); 24 Dec is a closing day → Wed 23 Dec
    assert cal.follow_up_meeting_date(cal.first_follow_up_due(D(2026, 9, 25))) == D(2026, 12, 23)
    # 29 Dec 2026 + 3 months = Easter Monday 29 Mar 2027; 28 Sun, 27 Sat, 26 Good Friday,
    # 25 Maundy Thursday → Wednesday 24 March 2027
    assert cal.follow_up_meeting_date(cal.first_follow_up_due(D(2026, 12, 29))) == D(2027, 3, 24)
    # Saturday 5 June 2027 (Grundlovsdag too) → Friday 4 June
    assert cal.follow_up_meeting_date(D(2027, 6, 5)) == D(2027, 6, 4)
    # a working day stays; an aware datetime counts by its Copenhagen date
    assert cal.follow_up_meeting_date(D(2026, 12, 22)) == D(2026, 12, 22)
    assert cal.follow_up_meeting_date(local(2026, 12, 26, 0, 30)) == D(2026, 12, 23)


@pytest.mark.django_db
def test_follow_up_meeting_respects_the_municipalitys_closing_days():
    municipality = MunicipalityFactory()
    ClosingDay.objects.create(municipality=municipality, date=D(2026, 5, 15), reason="Inklemt")
    # Friday 15 May 2026 closed in this municipality only → Wednesday 13 May (14 May is
    # Ascension Day)
    assert cal.follow_up_meeting_date(D(2026, 5, 15), municipality) == D(2026, 5, 13)
    assert cal.follow_up_meeting_date(D(2026, 5, 15)) == D(2026, 5, 15)


@PROPERTY
@given(deadline=DATES)
def test_follow_up_meeting_is_the_last_working_day_on_or_before_the_deadline(deadline):
    meeting = cal.follow_up_meeting_date(deadline)
    assert meeting <= deadline
    assert cal.is_working_day(meeting)
    day = meeting + dt.timedelta(days=1)
    while day <= deadline:
        assert not cal.is_working_day(day)
        day += dt.timedelta(days=1)
