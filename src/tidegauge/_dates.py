"""Date parsing shared by the API, the analyses and the CLI."""

from __future__ import annotations

import datetime as dt

from ._typing import DateLike
from .errors import UsageError


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
