"""Date parsing shared by the API, the analyses and the CLI."""

from __future__ import annotations

import datetime as dt

from ._typing import DateLike
from .errors import UsageError

EARLIEST = dt.date(1700, 1, 1)
LATEST = dt.date(2200, 12, 31)
"""The observation dates tidegauge accepts. The analyses hold dates as pandas nanosecond
timestamps (1677-09-21 to 2262-04-11); the margins leave room for the windows and projections
they add (a 30-year simulation, rolling years). A source's date outside is refused when parsed."""


def parse_date(value: DateLike | None, name: str = "date") -> dt.date | None:
    """An ISO date or ``None``; anything else is a :class:`UsageError` naming ``name``."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise UsageError.t("errors.dates.not_a_date", name=name, value=value) from None


def check_window(start: dt.date | None, end: dt.date | None) -> None:
    """:class:`UsageError` when ``start`` is after ``end``."""
    if start is not None and end is not None and start > end:
        raise UsageError.t("errors.dates.reversed", start=start, end=end)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, on the same day of the month or the month's
    last day when it is shorter: ``pd.Timestamp(day) + pd.DateOffset(months=months)`` without
    pandas' offset machinery (a simulation adds hundreds of months).

    >>> add_months(dt.date(2024, 1, 31), 1), add_months(dt.date(2023, 3, 31), -1)
    (datetime.date(2024, 2, 29), datetime.date(2023, 2, 28))
    """
    if isinstance(day, dt.datetime):  # a Timestamp too: its date, as ``(... ).date()`` gave
        day = day.date()
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return day.replace(year=year, month=month + 1, day=min(day.day, _month_days(year, month + 1)))


def _month_days(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]
