"""Small date helpers for the generator."""

from __future__ import annotations

import datetime

from trappen.core.calendar import COPENHAGEN

ONE_DAY = datetime.timedelta(days=1)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def age_on(birth: datetime.date, day: datetime.date) -> int:
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=int(n))


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware Copenhagen datetime on `day`."""
    return datetime.datetime.combine(day, datetime.time(int(hour), int(minute)), COPENHAGEN)


def midnight(day: datetime.date) -> datetime.datetime:
    return at(day, 0)
