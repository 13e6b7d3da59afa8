"""The legal clock stored on a notification when it is received (core/calendar.py, docs/legal.md).

Every expected value was counted by hand on a 2027 calendar; the comments show the counting.
Easter 2027: Maundy Thursday 25 March, Good Friday 26 March, Easter Sunday 28 March (also the
night summer time starts: 02:00 CET -> 03:00 CEST), Easter Monday 29 March.
"""

from __future__ import annotations

import datetime as dt

import pytest

from trappen.core import calendar as cal
from trappen.core.calendar import COPENHAGEN
from trappen.core.models import ClosingDay
from trappen.notifications.tests.factories import (
    anonymous_input,
    professional_input,
    public_input,
    submit,
)

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    cal.clear_cache()
    yield
    cal.clear_cache()


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=COPENHAGEN)


def received(world, at: dt.datetime, builder=professional_input):
    notification = submit(world, builder(world), now=at).notification
    notification.refresh_from_db()
    return notification


def test_friday_1559_receipt_is_due_monday_of_the_second_week(world):
    # Received Friday 5 March 2027, 15:59. The day of receipt does not count; working days
    # after it: Mon 8 (1), Tue 9 (2), Wed 10 (3), Thu 11 (4), Fri 12 (5), Mon 15 (6).
    # So not "the following Friday" (only 5 working days) but Monday 15 March.
    n = received(world, local(2027, 3, 5, 15, 59))
    assert n.received_at == local(2027, 3, 5, 15, 59)
    assert n.receipt_due_on == dt.date(2027, 3, 15)
    # 24 real hours, over the weekend: Saturday 6 March 15:59.
    assert n.assessment_due_at == local(2027, 3, 6, 15, 59)
    assert n.feedback_due_on == dt.date(2027, 6, 5)  # 3 calendar months (practice target)


def test_wednesday_before_easter_receipt_skips_the_five_closed_days(world):
    # Received Wednesday 24 March 2027. Thu 25 (Maundy Thursday), Fri 26 (Good Friday), Sat 27,
    # Sun 28 (Easter), Mon 29 (Easter Monday) do not count; then Tue 30 (1), Wed 31 (2),
    # Thu 1 April (3), Fri 2 (4), Mon 5 (5), Tue 6 (6).
    n = received(world, local(2027, 3, 24, 14, 0))
    assert n.receipt_due_on == dt.date(2027, 4, 6)
    assert n.assessment_due_at == local(2027, 3, 25, 14, 0)  # holidays do not stop the 24 hours


def test_24_hours_across_the_start_of_summer_time_end_an_hour_later_on_the_clock(world):
    # Saturday 27 March 2027 03:30 CET = 02:30 UTC. The clocks jump from 02:00 to 03:00 on
    # Sunday 28 March, so 24 real hours later is 02:30 UTC = 04:30 CEST on the wall clock.
    n = received(world, local(2027, 3, 27, 3, 30))
    assert n.received_at == dt.datetime(2027, 3, 27, 2, 30, tzinfo=UTC)
    assert n.assessment_due_at == dt.datetime(2027, 3, 28, 2, 30, tzinfo=UTC)
    assert cal.to_local(n.assessment_due_at).hour == 4
    # Receipt: Sat 27 counts as the receipt day; Sun 28, Mon 29 (Easter Monday) do not count:
    # Tue 30 (1), Wed 31 (2), Thu 1 (3), Fri 2 (4), Mon 5 (5), Tue 6 April (6).
    assert n.receipt_due_on == dt.date(2027, 4, 6)


def test_24_hours_across_the_end_of_summer_time_end_an_hour_earlier_on_the_clock(world):
    # Saturday 30 October 2027 12:00 CEST = 10:00 UTC; Sunday 31 October the clocks go back.
    n = received(world, local(2027, 10, 30, 12, 0))
    assert n.assessment_due_at == dt.datetime(2027, 10, 31, 10, 0, tzinfo=UTC)
    assert cal.to_local(n.assessment_due_at) == local(2027, 10, 31, 11, 0)


def test_just_before_midnight_utc_is_the_next_day_in_copenhagen(world):
    # Thursday 4 March 2027 23:30 UTC = Friday 5 March 00:30 CET: received on the Friday.
    n = received(world, dt.datetime(2027, 3, 4, 23, 30, tzinfo=UTC))
    assert n.receipt_due_on == dt.date(2027, 3, 15)


def test_a_municipal_closing_day_moves_the_receipt_deadline(world):
    ClosingDay.objects.create(municipality=world.municipality, date=dt.date(2027, 3, 12))
    # Friday 12 March closed: Mon 8 (1) ... Thu 11 (4), Mon 15 (5), Tue 16 (6).
    n = received(world, local(2027, 3, 5, 15, 59))
    assert n.receipt_due_on == dt.date(2027, 3, 16)


def test_christmas_receipt_deadline(world):
    # Wednesday 22 December 2027: Thu 23 (1); 24 (closing day), 25-26 holidays/weekend;
    # Mon 27 (2), Tue 28 (3), Wed 29 (4), Thu 30 (5); 31 closed; 1 Jan holiday, 2 Sunday;
    # Mon 3 January 2028 (6).
    n = received(world, local(2027, 12, 22, 9, 0))
    assert n.receipt_due_on == dt.date(2028, 1, 3)


def test_feedback_is_due_three_calendar_months_later_clamped_to_the_months_end(world):
    n = received(world, local(2027, 11, 30, 9, 0))
    assert n.feedback_due_on == dt.date(2028, 2, 29)  # 30 Nov + 3 months; 2028 is a leap year


@pytest.mark.parametrize("builder", [public_input, anonymous_input])
def test_citizens_get_the_24_hours_but_no_receipt_or_feedback_deadline(world, builder):
    n = received(world, local(2027, 3, 5, 15, 59), builder)
    assert n.assessment_due_at == local(2027, 3, 6, 15, 59)
    assert n.receipt_due_on is None and n.feedback_due_on is None


def test_notification_feedback_due_is_three_calendar_months():
    assert cal.notification_feedback_due(dt.date(2027, 1, 15)) == dt.date(2027, 4, 15)
    assert cal.notification_feedback_due(local(2027, 8, 31, 23, 30)) == dt.date(2027, 11, 30)
    # 31 December 23:30 UTC is already 1 January in Copenhagen
    utc_new_year = dt.datetime(2027, 12, 31, 23, 30, tzinfo=UTC)
    assert cal.notification_feedback_due(utc_new_year) == dt.date(2028, 4, 1)


def test_the_repeat_window_starts_12_calendar_months_before_at_the_same_local_time():
    start = cal.repeat_notification_window_start(local(2027, 6, 15, 10, 0))
    assert start == local(2026, 6, 15, 10, 0)
    assert cal.repeat_notification_window_start(local(2028, 2, 29, 8, 0)) == local(
        2027, 2, 28, 8, 0
    )
    with pytest.raises(ValueError, match="aware"):
        cal.repeat_notification_window_start(dt.datetime(2027, 6, 15, 10, 0))  # noqa: DTZ001
