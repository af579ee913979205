"""The built-in series catalog: what each series is, its units and how to scale it.

Native units are what the source publishes (checked against FRED's series metadata); the
canonical unit is what every analysis works in: balance-sheet items in billions of their own
currency, rates and spreads in percent. ``canonical = native * 10**scale_exp``.

The entries live in ``series.toml`` (read and checked once, when :data:`CATALOG` is first used;
see :mod:`tidegauge.catalog.series`). Importing this module does not import pandas.

Any FRED id can be fetched, not only the catalog's: :func:`normalise_ids` checks that ids look
like FRED ids (before any request), :func:`describe` gives an id outside the catalog an entry
from the source's metadata (units unknown without it), and :func:`unknown_series` is the error
for an id the source does not have, naming close catalog matches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._typing import Frequency
from ..errors import SeriesNotFound, TidegaugeError, UsageError
from .series import CATEGORIES, SERIES_ID, SeriesInfo, load_series

__all__ = [
    "CATALOG",
    "CATEGORIES",
    "UNKNOWN_UNIT",
    "SeriesInfo",
    "describe",
    "get",
    "guess_frequency",
    "normalise_id",
    "normalise_ids",
    "resolve_ids",
    "unknown_series",
]

if TYPE_CHECKING:
    CATALOG: dict[str, SeriesInfo]
    """Every built-in series by id, in display order."""


def __getattr__(name: str) -> Any:
    # ``CATALOG`` is read from series.toml on first use (one dict, shared by every importer).
    if name == "CATALOG":
        return load_series()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


UNKNOWN_UNIT = "unknown (not in the catalog; set FRED_API_KEY for FRED's metadata)"
"""Unit of a series outside the catalog whose source gave no metadata (a ``unit.*`` message)."""

OTHER_CATEGORY = "other"
"""Category of a series outside the catalog."""

_FRED_FREQUENCIES: dict[str, Frequency] = {
    "D": "D",
    "W": "W",
    "BW": "W",
    "M": "M",
    "Q": "Q",
    "SA": "A",
    "A": "A",
}
"""FRED's ``frequency_short`` → the nearest catalog frequency (biweekly as weekly, semiannual as
annual: what matters is the refetch window, and these are on the safe side)."""

_GAPS: tuple[tuple[float, Frequency], ...] = ((4, "D"), (10, "W"), (45, "M"), (135, "Q"))
"""Largest mean spacing in days of each frequency (beyond the last: annual)."""


def get(series_id: str) -> SeriesInfo:
    """The catalog entry for ``series_id`` (case-insensitive).

    Raises
    ------
    SeriesNotFound
        With up to three close matches in the message.
    """
    key = series_id.strip().upper()
    catalog = load_series()
    try:
        return catalog[key]
    except KeyError:
        pass
    close = _close(key)
    if close:
        raise SeriesNotFound.t(
            "errors.catalog.unknown_series_hint", series_id=series_id, close=", ".join(close)
        )
    raise SeriesNotFound.t("errors.catalog.unknown_series", series_id=series_id)


def resolve_ids(ids: Iterable[str] | str | None) -> list[str]:
    """Normalise ids (case, duplicates) and validate them; ``None`` means the whole catalog."""
    if ids is None:
        return list(load_series())
    if isinstance(ids, str):
        ids = [ids]
    out: list[str] = []
    for raw in ids:
        sid = get(raw).id
        if sid not in out:
            out.append(sid)
    return out


def normalise_id(series_id: str) -> str:
    """``series_id`` upper-cased and stripped, if it can be a FRED id (catalog or not).

    Raises
    ------
    UsageError
        For anything but upper-case letters, digits and ``_`` (at most 30), before any request.

    Examples
    --------
    >>> normalise_id(" sofr ")
    'SOFR'
    >>> normalise_id("../etc/passwd")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tidegauge.errors.UsageError: '../etc/passwd' is not a FRED series id: ...
    """
    key = series_id.strip().upper() if isinstance(series_id, str) else ""
    if not SERIES_ID.fullmatch(key):
        raise UsageError.t("errors.catalog.bad_id", series_id=series_id)
    return key


def normalise_ids(ids: Iterable[str] | str) -> list[str]:
    """:func:`normalise_id` of each id, without duplicates, in the order given."""
    if isinstance(ids, str):
        ids = [ids]
    out: list[str] = []
    for raw in ids:
        sid = normalise_id(raw)
        if sid not in out:
            out.append(sid)
    return out


def unknown_series(series_id: str, cause: TidegaugeError) -> SeriesNotFound:
    """The error for an id outside the catalog that the source does not have either: one line
    with ``cause`` (the source's answer) and up to three close catalog ids."""
    close = _close(series_id)
    if close:
        return SeriesNotFound.t(
            "errors.catalog.not_in_source_hint",
            series_id=series_id,
            cause=cause,
            close=", ".join(close),
        )
    return SeriesNotFound.t("errors.catalog.not_in_source", series_id=series_id, cause=cause)


def describe(
    series_id: str,
    *,
    title: str | None = None,
    units: str | None = None,
    frequency: Frequency | None = None,
) -> SeriesInfo:
    """The catalog entry of ``series_id``, or one for an id outside the catalog.

    Parameters
    ----------
    series_id
        A normalised id (:func:`normalise_id`).
    title, units
        The source's metadata (FRED's title and units, with ``FRED_API_KEY``); without units
        the unit is :data:`UNKNOWN_UNIT`. Values outside the catalog are kept as published
        (``scale_exp`` 0).
    frequency
        The series' frequency if known (:func:`guess_frequency`); ``D`` otherwise.

    Examples
    --------
    >>> describe("WALCL").unit
    'USD billions'
    >>> info = describe("XYZ1")
    >>> (info.label("zh-TW"), info.unit == UNKNOWN_UNIT, info.category)
    ('XYZ1', True, 'other')
    """
    catalog = load_series()
    if series_id in catalog:
        return catalog[series_id]
    unit = (units or "").strip() or UNKNOWN_UNIT
    return SeriesInfo(
        id=series_id,
        name={"en": (title or "").strip() or series_id},
        native_unit=unit,
        unit=unit,
        scale_exp=0,
        frequency=frequency or "D",
        category=OTHER_CATEGORY,
        publication_lag_days=0,
    )


def guess_frequency(
    fred_frequency: str | None,
    first: str | None = None,
    last: str | None = None,
    n_obs: int = 0,
) -> Frequency | None:
    """The frequency of a series outside the catalog: FRED's ``frequency_short`` when the
    source gave one, else from the mean spacing of ``n_obs`` observations between the ISO
    dates ``first`` and ``last``; ``None`` when neither is known.

    >>> guess_frequency("SA"), guess_frequency(None, "2000-01-01", "2009-12-01", 120)
    ('A', 'M')
    """
    if fred_frequency and fred_frequency.strip().upper() in _FRED_FREQUENCIES:
        return _FRED_FREQUENCIES[fred_frequency.strip().upper()]
    if not first or not last or n_obs < 2:
        return None
    span = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days
    gap = span / (n_obs - 1)  # daily data with weekends and holidays missing: about 1.45
    return next((freq for limit, freq in _GAPS if gap <= limit), "A")


def _close(key: str) -> list[str]:
    import difflib

    return difflib.get_close_matches(key, list(load_series()), n=3, cutoff=0.5)
