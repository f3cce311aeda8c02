"""The Vietnamese working calendar, as data.

A day is a working day unless it is a weekend day or a public holiday — except that the
government sometimes swaps days: a Saturday is worked so that a Monday can be a day off
("Ngày nghỉ (thay cho ngày 22/08/2026)": Mon 31 Aug 2026 off, Sat 22 Aug 2026 worked).

- Public holidays, Tết and substitute days off come from the `holidays` package (kept up to
  date upstream); the Saturday a swap names is read from the holiday's own name.
- Swaps and extra days off announced later are rows of `org.CalendarDay`, added by an
  administrator with the decision that announced them; they win over the package.

Every working-day count in every app goes through `is_working_day` / `add_days`.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import holidays

_SWAP = re.compile(r"thay cho ngày (\d{1,2})/(\d{1,2})/(\d{4})")

WORKING = "working"
CALENDAR = "calendar"


@lru_cache(maxsize=64)
def _package(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off, weekend days worked) of a year as the `holidays` package has them."""
    days_off, worked = set(), set()
    for year_ in (year - 1, year, year + 1):  # a swap may name a day of the next year
        for day, name in holidays.country_holidays("VN", years=[year_], language="vi").items():
            if day.year == year:
                days_off.add(day)
            for match in _SWAP.finditer(name):
                swapped = dt.date(int(match[3]), int(match[2]), int(match[1]))
                if swapped.year == year:
                    worked.add(swapped)
    return frozenset(days_off), frozenset(worked)


def _added(first: dt.date, last: dt.date) -> tuple[set[dt.date], set[dt.date]]:
    from .models import CalendarDay, CalendarDayKind

    days_off, worked = set(), set()
    for day, kind in CalendarDay.objects.filter(day__range=(first, last)).values_list(
        "day", "kind"
    ):
        (worked if kind == CalendarDayKind.WORKING_DAY else days_off).add(day)
    return days_off, worked


class Calendar:
    """The working calendar between two dates, read once (one query for the added days)."""

    def __init__(self, first: dt.date, last: dt.date):
        self.days_off, self.worked = _added(first, last)
        for year in range(first.year, last.year + 1):
            package_off, package_worked = _package(year)
            self.days_off |= package_off - self.worked
            self.worked |= package_worked - self.days_off

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.worked:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def next_working_day(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day


def _span(start: dt.date, days: int) -> Calendar:
    # Long enough for any limit counted in working days (weekends, Tết) plus the roll-over.
    return Calendar(start, start + dt.timedelta(days=days * 2 + 40))


def is_working_day(day: dt.date) -> bool:
    return Calendar(day, day).is_working_day(day)


def next_working_day(day: dt.date) -> dt.date:
    return _span(day, 0).next_working_day(day)


def add_days(start: dt.date, days: int, count: str) -> dt.date:
    """The last day of a period of `days` that starts the day after `start` (Civil Code
    2015, Art. 144–148): working days skip days off; a period of calendar days that ends
    on a day off ends on the next working day."""
    calendar = _span(start, days)
    if count == WORKING:
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if calendar.is_working_day(day):
                left -= 1
        return day
    return calendar.next_working_day(start + dt.timedelta(days=days))
