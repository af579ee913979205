"""The release calendar: when each catalog series publishes an observation.

Each catalog entry has a :class:`~tidegauge.catalog.series.Release` (``series.toml``): a rule,
an offset, a local time and a time zone. For example the H.4.1 (``WALCL``: the Wednesday level,
published on Thursday at 16:30 US Eastern), SOFR (08:00 on the next business day), the Treasury
yields (16:15 on the next business day), CPI (08:30, 45 days after the first day of its month,
moved past weekends and holidays). Business days skip US federal holidays
(:mod:`tidegauge.holidays`).

The calendar answers three questions:

* **when to fetch next** — :func:`due`: the next observation expected after the last one
  stored and when it is released (``tidegauge watch`` sleeps until then);
* **is a figure late** — :mod:`tidegauge.freshness` marks an input ``late`` once the release of
  its next observation has passed and nothing new arrived;
* **what was known at a date and time** — :func:`released_by` keeps the observations released
  by a moment, with no look-ahead (:func:`tidegauge.analysis.asof.snapshot`).

Calendars are estimates: agencies move a release now and then (a government shutdown, a
changed schedule), and FRED posts a few minutes to hours after the source. The offsets are on
the late side so that a point-in-time answer never uses a value before it was public.

Examples
--------
>>> import datetime as dt
>>> release_at("WALCL", dt.date(2026, 8, 26)).isoformat()      # Thursday 16:30 EDT
'2026-08-27T20:30:00+00:00'
>>> release_at("SOFR", dt.date(2026, 7, 2)).isoformat()        # 3 July is a holiday in 2026
'2026-07-06T12:00:00+00:00'
>>> release_at("WALCL", dt.date(2026, 11, 25)).date()          # Thanksgiving: released Friday
datetime.date(2026, 11, 27)
>>> due("WALCL", dt.date(2026, 11, 25))                         # the next week, when to fetch it
(datetime.date(2026, 12, 2), datetime.datetime(2026, 12, 3, 21, 30, tzinfo=datetime.timezone.utc))
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .catalog.series import Release, SeriesInfo
from .holidays import add_business_days, next_business_day

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "add_period",
    "as_moment",
    "due",
    "next_observation",
    "release_at",
    "release_of",
    "released_by",
]

EASTERN = "America/New_York"


def release_of(series: str | SeriesInfo) -> tuple[Release, str]:
    """The release rule and the frequency of a series (an id outside the catalog: published
    at midnight US Eastern on its observation date, daily)."""
    from .catalog import CATALOG

    info = CATALOG.get(series) if isinstance(series, str) else series
    if info is None:
        return Release(), "D"
    return info.release or Release(days=info.publication_lag_days), info.frequency


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def release_day(release: Release, day: dt.date) -> dt.date:
    """The date an observation dated ``day`` is released under ``release``."""
    if release.rule == "business_days":
        return add_business_days(day, release.days)
    return next_business_day(day + dt.timedelta(days=release.days))


def release_at(series: str | SeriesInfo | Release, day: dt.date) -> dt.datetime:
    """When the observation of ``series`` dated ``day`` is released (an aware UTC datetime)."""
    release = series if isinstance(series, Release) else release_of(series)[0]
    hour, minute = (int(x) for x in release.time.split(":"))
    local = dt.datetime.combine(
        release_day(release, day), dt.time(hour, minute), tzinfo=_zone(release.tz)
    )
    return local.astimezone(dt.UTC)


def add_period(day: dt.date, freq: str) -> dt.date:
    """``day`` plus one period of ``freq`` (D, W, M, Q, A; a month end stays in its month).

    >>> add_period(dt.date(2026, 1, 31), "M")
    datetime.date(2026, 2, 28)
    """
    if freq == "D":
        return day + dt.timedelta(days=1)
    if freq == "W":
        return day + dt.timedelta(days=7)
    months = {"M": 1, "Q": 3, "A": 12}[freq]
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 always exists


def next_observation(series: str | SeriesInfo, last: dt.date) -> dt.date:
    """The observation date expected after ``last``: the next business day for daily series
    released on business days, else one period later (a week, a month, a quarter, a year)."""
    release, frequency = release_of(series)
    if frequency == "D":
        if release.rule == "business_days":
            return next_business_day(last + dt.timedelta(days=1))
        return last + dt.timedelta(days=1)
    return add_period(last, frequency)


def due(series: str | SeriesInfo, last: dt.date) -> tuple[dt.date, dt.datetime]:
    """The next observation expected after ``last`` and when it is released."""
    nxt = next_observation(series, last)
    return nxt, release_at(series, nxt)


def as_moment(when: dt.date | dt.datetime) -> dt.datetime:
    """A moment (aware, UTC): a datetime as given (naive = UTC), a date as the end of that day
    in US Eastern time (everything released that day counts as known)."""
    if isinstance(when, dt.datetime):
        aware = when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC)
    end = dt.datetime.combine(when, dt.time(23, 59, 59, 999999), tzinfo=_zone(EASTERN))
    return end.astimezone(dt.UTC)


TAIL_DAYS = 400
"""Observations older than this many days before a moment are released by it under every
catalog rule (the longest offset is 170 days), so only the tail is checked date by date."""


def released_by(series: pd.Series, moment: dt.date | dt.datetime, sid: str | Any) -> pd.Series:
    """The observations of ``series`` (indexed by observation date) released by ``moment``.

    Parameters
    ----------
    series
        Observations of one series.
    moment
        A date (its end, US Eastern) or a datetime.
    sid
        Catalog id (or :class:`SeriesInfo`) whose release rule applies.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([1.0, 2.0], index=pd.to_datetime(["2026-08-19", "2026-08-26"]))
    >>> released_by(s, dt.datetime(2026, 8, 27, 20, 0, tzinfo=dt.UTC), "WALCL").index[-1].date()
    datetime.date(2026, 8, 19)
    >>> len(released_by(s, dt.date(2026, 8, 27), "WALCL"))
    2
    """
    import numpy as np
    import pandas as pd

    at = as_moment(moment)
    day = at.date()
    idx = pd.DatetimeIndex(series.index)
    cut = series[idx <= pd.Timestamp(day)]
    tail = pd.DatetimeIndex(cut.index) > pd.Timestamp(day - dt.timedelta(days=TAIL_DAYS))
    if not tail.any():
        return cut
    release = release_of(sid)[0]
    keep = np.ones(len(cut), dtype=bool)
    positions = np.flatnonzero(tail)
    for pos in positions[::-1]:  # release times grow with the date: stop at the first released
        if release_at(release, cut.index[pos].date()) <= at:
            break
        keep[pos] = False
    return cut[keep]
