"""Point-in-time data: what was *published* by a given date.

A judgment "as of 2009-03-31" must not use numbers that only appeared later: the CPI for March is
published in mid-April, fiscal-year deficits in October, GDP a month after the quarter ends. For
each series :func:`snapshot` picks one of two methods:

``vintage``
    The store has vintages covering the date (tidegauge had already seen the series then):
    the values exactly as the store knew them at the end of that day.
``lag``
    Otherwise (the usual case for history: the store was filled later) the *current* values
    that the release calendar (:mod:`tidegauge.releases`) says were released by the end of
    that day (US Eastern), or by the given moment when ``as_of`` is a datetime: the H.4.1 of a
    Wednesday counts from Thursday 16:30, CPI from 08:30 on its release day. This ignores
    revisions (a first-release GDP differs from today's) but never uses an observation that
    did not exist yet.

Without a date the current values are used (method ``current``).

Examples
--------
>>> snap = snapshot(tg, ["CPIAUCSL", "DGS10"], as_of="2009-03-31")   # doctest: +SKIP
>>> snap.last_date("CPIAUCSL")                                        # doctest: +SKIP
datetime.date(2009, 2, 1)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .._dates import parse_date
from .._typing import DateLike
from ..catalog import CATALOG, resolve_ids
from ..errors import NoDataError, StoreError, TidegaugeError, UsageError
from ..releases import released_by

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Method", "Snapshot", "parse_as_of", "published_by", "snapshot"]

Method = Literal["vintage", "lag", "current"]
"""How a series' point-in-time values were chosen (see the module docstring)."""


def parse_as_of(value: DateLike | None, name: str = "--as-of") -> dt.date | None:
    """``None`` or an ISO date; a bad value is a :class:`UsageError` naming option ``name``."""
    return parse_date(value, name)


def published_by(series: pd.Series, as_of: dt.date, lag_days: int) -> pd.Series:
    """Observations of ``series`` whose date + ``lag_days`` is on or before ``as_of``.

    Parameters
    ----------
    series
        Indexed by observation date.
    as_of
        The date of knowledge.
    lag_days
        Days from an observation date to its first publication.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([1.0, 2.0], index=pd.to_datetime(["2009-02-01", "2009-03-01"]))
    >>> published_by(s, dt.date(2009, 3, 31), 45).index[-1].date()
    datetime.date(2009, 2, 1)
    """
    import pandas as pd

    cutoff = pd.Timestamp(as_of) - pd.Timedelta(days=lag_days)
    if series.index.is_monotonic_increasing:
        return series.iloc[: int(series.index.searchsorted(cutoff, side="right"))]
    return series[series.index <= cutoff]


@dataclass(frozen=True)
class Snapshot:
    """Point-in-time series, one per id, each without missing values.

    Attributes
    ----------
    as_of
        The date of knowledge (today when none was asked).
    data
        ``{id: Series}`` in canonical units.
    method
        ``{id: "vintage" | "lag" | "current"}``.
    missing
        ``{id: reason}`` for series that could not be had (not in the source, nothing published
        by the date), in English.
    errors
        ``{id: NoDataError}`` for the same series (its ``message(lang)`` is the translated
        reason).
    """

    as_of: dt.date
    data: dict[str, pd.Series]
    method: dict[str, Method]
    missing: dict[str, str] = field(default_factory=dict)
    errors: dict[str, TidegaugeError] = field(default_factory=dict, compare=False, repr=False)

    def reason(self, series_id: str, lang: str = "en") -> str:
        """Why ``series_id`` is missing, in ``lang`` (without the leading id)."""
        err = self.errors.get(series_id)
        if err is None:
            return self.missing.get(series_id, "")
        return _without_id(err.message(lang), series_id)

    def has(self, series_id: str) -> bool:
        return series_id in self.data

    def get(self, series_id: str) -> pd.Series:
        """The series, or :class:`NoDataError` naming why it is missing."""
        try:
            return self.data[series_id]
        except KeyError:
            if series_id in self.errors:
                raise self.errors[series_id] from None
            raise NoDataError.t("errors.data.not_loaded", series_id=series_id) from None

    def last_date(self, series_id: str) -> dt.date | None:
        s = self.data.get(series_id)
        return None if s is None or s.empty else s.index[-1].date()

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "series": {
                sid: {"method": self.method[sid], "last_date": str(self.last_date(sid))}
                for sid in self.data
            },
            "missing": dict(self.missing),
        }


def snapshot(
    tg: Any,
    ids: Iterable[str],
    as_of: DateLike | dt.datetime | None = None,
    *,
    start: DateLike | None = None,
    fetch: bool = True,
) -> Snapshot:
    """Load ``ids`` as they were published by ``as_of`` (see the module docstring).

    This is the one point-in-time loader: commands, the report and the dashboard all load
    their inputs through it.

    Parameters
    ----------
    tg
        A :class:`~tidegauge.Tidegauge` session.
    ids
        Catalog ids.
    as_of
        Date of knowledge (its end, US Eastern) or a moment (a datetime; naive = UTC);
        ``None`` means the current data.
    start
        First observation date to load (default: the whole history).
    fetch
        Fetch the series the store lacks first (``False``: they are missing).

    Returns
    -------
    Snapshot
        Series that could not be loaded are listed in ``missing`` with the reason, not raised:
        callers decide whether a missing input makes their result unavailable.
    """

    moment = as_of if isinstance(as_of, dt.datetime) else None
    d = moment.date() if moment is not None else parse_as_of(as_of)
    if d is not None and d > dt.date.today():
        raise UsageError.t("errors.dates.as_of_future", day=d)
    data: dict[str, pd.Series] = {}
    method: dict[str, Method] = {}
    errors: dict[str, TidegaugeError] = {}
    present: list[str] = []
    for sid in resolve_ids(list(ids)):
        try:
            if fetch:
                tg.ensure([sid])
            else:
                tg.require([sid])
        except StoreError:
            raise  # the store itself fails: nothing is "unavailable", the command fails
        except TidegaugeError as exc:
            errors[sid] = NoDataError.t("errors.data.unavailable", series_id=sid, cause=exc)
            continue
        present.append(sid)
    if present and d is None:
        # each series on its own dates (no frame of every date of every series to slice up);
        # ``attrs`` hold its own entries only (pandas deep-copies them into every result)
        data.update(tg.load_series(present, start=start))
        method.update(dict.fromkeys(present, "current"))
    elif present:
        assert d is not None
        import warnings

        from ..errors import NoVintageWarning

        with warnings.catch_warnings():  # an unknown vintage falls back on publication lags
            warnings.simplefilter("ignore", NoVintageWarning)
            known = tg.load(present, start=start, end=d, as_of=moment or d, fetch_missing=False)
        lagged = [sid for sid in present if not known[sid].notna().any()]
        current = tg.load(lagged, start=start, end=d, fetch_missing=False) if lagged else None
        for sid in present:
            if sid in lagged:
                assert current is not None
                s = current[sid].dropna()
                data[sid] = released_by(s, moment or d, CATALOG.get(sid) or sid)
                method[sid] = "lag"
            else:
                data[sid], method[sid] = known[sid].dropna(), "vintage"
    for sid in present:
        s = data[sid]
        if s.empty:
            del data[sid], method[sid]
            errors[sid] = (
                NoDataError.t("errors.data.unpublished", series_id=sid, date=d)
                if d
                else NoDataError.t("errors.data.empty_series", series_id=sid)
            )
            continue
        s.name = sid
    missing = {sid: _without_id(str(err), sid) for sid, err in errors.items()}
    return Snapshot(
        as_of=d or dt.date.today(), data=data, method=method, missing=missing, errors=errors
    )


def _without_id(message: str, series_id: str) -> str:
    """``"WALCL: not loaded"`` → ``"not loaded"`` (also after a full-width colon)."""
    for sep in (": ", "："):
        if message.startswith(series_id + sep):
            return message[len(series_id) + len(sep) :]
    return message
