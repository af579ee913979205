"""Timestamps and the small records the store returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ..errors import StoreError


def utc_now() -> str:
    """Current UTC time as the store's timestamp format."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def as_of_key(as_of: dt.date | dt.datetime | str | None) -> str | None:
    """Timestamp key for ``as_of``: a date means the end of that day (UTC)."""
    if as_of is None:
        return None
    if isinstance(as_of, str):
        try:
            as_of = (
                dt.datetime.fromisoformat(as_of) if "T" in as_of else dt.date.fromisoformat(as_of)
            )
        except ValueError:
            raise StoreError.t("errors.store.bad_as_of", as_of=as_of) from None
    if isinstance(as_of, dt.datetime):
        if as_of.tzinfo is None:
            as_of = as_of.replace(tzinfo=dt.UTC)
        return as_of.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return dt.datetime.combine(as_of, dt.time.max, tzinfo=dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class ApplyStats:
    new: int
    revised: int
    unchanged: int


@dataclass(frozen=True)
class VintageStats:
    """Outcome of an ALFRED import (:meth:`Store.replace_vintages`)."""

    new: int
    """Current observations the store did not hold before."""
    revisions: int
    """Vintage rows that a later vintage replaced (revisions in the published history)."""
    rows: int
    """Vintage rows stored."""
    first_vintage: str | None
    """Earliest ``realtime_start`` (ISO date)."""


VintageKind = Literal["observed", "alfred"]


@dataclass(frozen=True)
class StoredSeries:
    id: str
    source: str
    fetched_at: str
    first_date: str | None
    last_date: str | None
    n_obs: int
    last_updated: str | None
    title: str | None
    units: str | None
    vintages: VintageKind = "observed"
    """``"alfred"``: published vintages imported from ALFRED; ``"observed"``: first seen by
    tidegauge (see the module docstring)."""
    frequency: str | None = None
    """The source's frequency code (FRED API: ``frequency_short``, e.g. ``D``, ``W``, ``M``)."""
    source_stamp: str | None = None
    """The stamp of the payload last applied (a mirror file's, see
    :mod:`tidegauge.sources.filestamp`); ``None`` when the source gives none."""


SERIES_COLUMNS = (
    "id, source, fetched_at, first_date, last_date, n_obs, last_updated, title, units, vintages, "
    "frequency, source_stamp"
)


def day_start(day: dt.date, plus_days: int = 0) -> str:
    """``day`` (+ ``plus_days``) at 00:00 UTC in the store's timestamp format."""
    moment = dt.datetime.combine(day + dt.timedelta(days=plus_days), dt.time(0), tzinfo=dt.UTC)
    return moment.isoformat(timespec="microseconds")
