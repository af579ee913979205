"""US federal holidays and business days, computed from their rules (no data file, no package).

The eleven federal holidays (5 U.S.C. 6103): New Year's Day (1 January), Birthday of Martin
Luther King Jr. (third Monday of January), Washington's Birthday (third Monday of February),
Memorial Day (last Monday of May), Juneteenth (19 June, from 2021), Independence Day (4 July),
Labor Day (first Monday of September), Columbus Day (second Monday of October), Veterans Day
(11 November), Thanksgiving Day (fourth Thursday of November) and Christmas Day (25 December).

A holiday on a Saturday is observed on the Friday before, on a Sunday on the Monday after (the
federal government's rule; Executive Order 11582). A business day is a weekday that is not an
observed holiday. One-off closures (a day of mourning) are not known in advance and not listed.

Examples
--------
>>> import datetime as dt
>>> us_federal_holidays(2026)[dt.date(2026, 11, 26)]
'thanksgiving'
>>> us_federal_holidays(2021)[dt.date(2021, 12, 31)]   # New Year's Day 2022 is a Saturday
'new_year'
>>> add_business_days(dt.date(2026, 7, 2), 1)          # Friday 3 July 2026 is observed
datetime.date(2026, 7, 6)
"""

from __future__ import annotations

import datetime as dt
from functools import cache

__all__ = ["add_business_days", "is_business_day", "next_business_day", "us_federal_holidays"]

JUNETEENTH_FROM = 2021
"""Juneteenth National Independence Day was made a federal holiday on 17 June 2021."""


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th ``weekday`` (Monday 0) of a month; ``n = -1``: the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: dt.date) -> dt.date:
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


def _actual(year: int) -> dict[dt.date, str]:
    days = {
        dt.date(year, 1, 1): "new_year",
        _nth_weekday(year, 1, 0, 3): "mlk",
        _nth_weekday(year, 2, 0, 3): "washington",
        _nth_weekday(year, 5, 0, -1): "memorial",
        dt.date(year, 7, 4): "independence",
        _nth_weekday(year, 9, 0, 1): "labor",
        _nth_weekday(year, 10, 0, 2): "columbus",
        dt.date(year, 11, 11): "veterans",
        _nth_weekday(year, 11, 3, 4): "thanksgiving",
        dt.date(year, 12, 25): "christmas",
    }
    if year >= JUNETEENTH_FROM:
        days[dt.date(year, 6, 19)] = "juneteenth"
    return days


@cache
def us_federal_holidays(year: int) -> dict[dt.date, str]:
    """Observed federal holidays falling in ``year``: ``{date: name}`` (a New Year's Day on a
    Saturday is observed on 31 December of the year before and listed in that year)."""
    out: dict[dt.date, str] = {}
    for y in (year, year + 1):
        for day, name in _actual(y).items():
            seen = _observed(day)
            if seen.year == year:
                out[seen] = name
    return dict(sorted(out.items()))


def is_business_day(day: dt.date) -> bool:
    """A weekday that is not an observed federal holiday."""
    return day.weekday() < 5 and day not in us_federal_holidays(day.year)


def next_business_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a business day, else the next one."""
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def add_business_days(day: dt.date, n: int) -> dt.date:
    """The ``n``-th business day after ``day`` (``n = 0``: ``day`` rolled forward)."""
    if n <= 0:
        return next_business_day(day)
    for _ in range(n):
        day = next_business_day(day + dt.timedelta(days=1))
    return day
