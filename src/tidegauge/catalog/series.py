"""Series entries: the :class:`SeriesInfo` record and the loader of ``series.toml``.

The catalog's data lives in ``series.toml`` next to this module, one table per series id (see
the comments at its top). :func:`load_series` reads it once, checks every entry and returns the
entries in file order; a bad entry is a :class:`ValueError` naming the id and the key, so a
broken catalog fails the first time it is used (and in ``tests/test_catalog.py``), never with a
wrong number later.

>>> from tidegauge.catalog.series import load_series
>>> walcl = load_series()["WALCL"]
>>> (walcl.native_unit, walcl.unit, walcl.scale_exp)
('Millions of U.S. Dollars', 'USD billions', -3)
>>> walcl.to_canonical(6730912.0)
6730.912
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, get_args

from .._typing import LANGS, Frequency, Lang

__all__ = [
    "CATEGORIES",
    "FREQUENCIES",
    "SERIES_ID",
    "Release",
    "SeriesInfo",
    "load_series",
    "parse_series",
]

FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)
"""Catalog frequencies: daily, weekly, monthly, quarterly, annual."""

CATEGORIES: tuple[str, ...] = (
    "balance_sheet",
    "liquidity",
    "rates",
    "inflation",
    "markets",
    "macro",
    "fiscal",
    "global",
)
"""Groups used for listing (each has a ``category.*`` message)."""

SERIES_ID = re.compile(r"[A-Z0-9][A-Z0-9_]{0,29}")
"""A series id: FRED's are upper-case letters and digits, sometimes with ``_``, and shorter than
30 characters; the datahub ids (``SPX_SHILLER``) follow the same rule."""

_KEYS = {
    "name",
    "native_unit",
    "unit",
    "scale_exp",
    "frequency",
    "category",
    "publication_lag_days",
    "source",
    "annualised",
    "notes",
    "release",
}
_OPTIONAL = {"notes", "release"}
_RELEASE_KEYS = {"rule", "days", "time", "tz"}
RELEASE_RULES = ("after_days", "business_days")
"""How a release date follows from an observation date (see :class:`Release`)."""
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_SOURCE = re.compile(r"[a-z][a-z0-9_]*")

# Powers of ten named in a unit ("Millions of U.S. Dollars", "100 Million Yen", "USD billions").
_MAGNITUDE = re.compile(r"^(?:(\d+) )?(thousand|million|billion|trillion)s?\b", re.IGNORECASE)
_CANONICAL_MAGNITUDE = re.compile(r"\b(thousand|million|billion|trillion)s?\b", re.IGNORECASE)
_POWERS = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}


@dataclass(frozen=True)
class Release:
    """When an observation is published (see :mod:`tidegauge.releases`).

    Attributes
    ----------
    rule
        ``after_days``: ``days`` calendar days after the observation date, moved to the next
        business day when that is a weekend or a US federal holiday; ``business_days``: the
        ``days``-th business day after the observation date.
    days
        The offset (for ``after_days`` never less than the catalog's ``publication_lag_days``).
    time
        Local time of the release, ``HH:MM``.
    tz
        IANA time zone of ``time`` (default ``America/New_York``).
    """

    rule: str = "after_days"
    days: int = 0
    time: str = "00:00"
    tz: str = "America/New_York"


@dataclass(frozen=True)
class SeriesInfo:
    """One catalog entry.

    Attributes
    ----------
    id
        Source id (FRED series id).
    name
        Display name per language.
    native_unit
        Unit as published by the source.
    unit
        Canonical unit after scaling (English; translated for display by the presentation layer).
    scale_exp
        Power of ten from native to canonical (``-3``: millions → billions).
    frequency
        ``D``, ``W``, ``M``, ``Q`` or ``A``.
    category
        Group used for listing (balance_sheet, liquidity, rates, inflation, markets, macro,
        fiscal, global).
    publication_lag_days
        Typical days from the observation date to its first publication; used to decide what
        was known on a past date when the store has no vintages. FRED dates a monthly value on
        the first day of its month, so a monthly average published early the next month has a
        lag of about 32 days, CPI (mid next month) about 45.
    source
        Name of the source family (``fred``).
    annualised
        For a flow such as GDP: ``True`` when each value is an annual rate (US ``GDP`` is a
        seasonally adjusted annual rate), ``False`` when it is the level of its own period (a
        quarter's GDP) or when the series is not a flow. Ratios to GDP read it to scale a
        quarterly level to a year (:func:`tidegauge.analysis.central_banks.gdp_periods_per_year`).
    release
        When each observation is published (the release calendar); ``None``:
        ``publication_lag_days`` after the observation date, at midnight US Eastern.
    """

    id: str
    name: dict[Lang, str]
    native_unit: str
    unit: str
    scale_exp: int
    frequency: Frequency
    category: str
    publication_lag_days: int
    source: str = "fred"
    annualised: bool = False
    release: Release | None = None

    def to_canonical(self, value: float) -> float:
        """Scale one native value; division by a power of ten keeps decimal values exact."""
        if self.scale_exp < 0:
            return value / 10 ** (-self.scale_exp)
        return value * 10**self.scale_exp

    def label(self, lang: Lang = "en") -> str:
        return self.name.get(lang) or self.name["en"]


def magnitude(unit: str, *, canonical: bool = False) -> int:
    """The power of ten a unit names: ``"Millions of U.S. Dollars"`` 6, ``"100 Million Yen"`` 8,
    ``"USD billions"`` (``canonical=True``: the word may come anywhere) 9, ``"Percent"`` 0.

    >>> magnitude("100 Million Yen"), magnitude("USD billions (chained 2017)", canonical=True)
    (8, 9)
    """
    if canonical:
        m = _CANONICAL_MAGNITUDE.search(unit)
        return _POWERS[m.group(1).lower()] if m else 0
    m = _MAGNITUDE.match(unit)
    if m is None:
        return 0
    factor = len(m.group(1)) - 1 if m.group(1) else 0  # "100 Million": 10**2 more
    if m.group(1) and m.group(1) != "1" + "0" * factor:
        raise ValueError(f"unit {unit!r}: the multiplier must be a power of ten")
    return _POWERS[m.group(2).lower()] + factor


def _fail(sid: str, message: str) -> ValueError:
    return ValueError(f"series.toml [{sid}]: {message}")


def _text(sid: str, entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(sid, f"{key} must be a non-empty string, got {value!r}")
    return value


def _integer(sid: str, entry: dict[str, Any], key: str) -> int:
    value = entry.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _fail(sid, f"{key} must be an integer, got {value!r}")
    return value


def parse_series(sid: str, entry: dict[str, Any]) -> SeriesInfo:
    """Check one ``series.toml`` table and build its :class:`SeriesInfo`.

    Raises
    ------
    ValueError
        Naming the id and what is wrong: a malformed id, an unknown or missing key, a missing
        language, an unknown frequency or category, or a ``scale_exp`` that does not take the
        native unit's magnitude to the canonical unit's.
    """
    if not SERIES_ID.fullmatch(sid):
        raise _fail(sid, "the id must be upper-case letters, digits and '_' (at most 30)")
    if not isinstance(entry, dict):
        raise _fail(sid, "must be a table")
    if unknown := sorted(set(entry) - _KEYS):
        raise _fail(sid, f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}")
    if missing := sorted(_KEYS - _OPTIONAL - set(entry)):
        raise _fail(sid, f"missing key(s) {', '.join(missing)}")
    names = entry["name"]
    if not isinstance(names, dict) or set(names) != set(LANGS):
        got = sorted(names) if isinstance(names, dict) else names
        raise _fail(sid, f"name needs exactly the languages {', '.join(LANGS)}, got {got!r}")
    name: dict[Lang, str] = {lang: _text(sid, names, lang) for lang in LANGS}
    frequency = entry["frequency"]
    if frequency not in FREQUENCIES:
        raise _fail(sid, f"frequency {frequency!r} is not one of {', '.join(FREQUENCIES)}")
    category = entry["category"]
    if category not in CATEGORIES:
        raise _fail(sid, f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    source = _text(sid, entry, "source")
    if not _SOURCE.fullmatch(source):
        raise _fail(sid, f"source {source!r} must be a lower-case source name")
    lag = _integer(sid, entry, "publication_lag_days")
    if lag < 0:
        raise _fail(sid, f"publication_lag_days must be 0 or more, got {lag}")
    if not isinstance(entry["annualised"], bool):
        raise _fail(sid, f"annualised must be true or false, got {entry['annualised']!r}")
    if "notes" in entry:
        _text(sid, entry, "notes")
    release = _release(sid, entry.get("release"), lag) if "release" in entry else None
    native_unit, unit = _text(sid, entry, "native_unit"), _text(sid, entry, "unit")
    scale_exp = _integer(sid, entry, "scale_exp")
    try:
        expected = magnitude(native_unit) - magnitude(unit, canonical=True)
    except ValueError as exc:
        raise _fail(sid, str(exc)) from None
    if scale_exp != expected:
        raise _fail(
            sid,
            f"scale_exp {scale_exp} does not take {native_unit!r} to {unit!r} "
            f"(that needs {expected})",
        )
    return SeriesInfo(
        id=sid,
        name=name,
        native_unit=native_unit,
        unit=unit,
        scale_exp=scale_exp,
        frequency=frequency,
        category=category,
        publication_lag_days=lag,
        source=source,
        annualised=entry["annualised"],
        release=release,
    )


def _release(sid: str, value: Any, lag: int) -> Release:
    """Check a ``release`` table: rule, days (an ``after_days`` offset of at least the
    publication lag, so that the calendar never dates a release before the lag does), time and
    an IANA time zone."""
    if not isinstance(value, dict):
        raise _fail(sid, "release must be a table")
    if unknown := sorted(set(value) - _RELEASE_KEYS):
        raise _fail(sid, f"release: unknown key(s) {', '.join(unknown)}")
    rule = value.get("rule", "after_days")
    if rule not in RELEASE_RULES:
        raise _fail(sid, f"release.rule {rule!r} is not one of {', '.join(RELEASE_RULES)}")
    days = _integer(sid, {"release.days": value.get("days", lag)}, "release.days")
    if days < 0 or (rule == "after_days" and days < lag):
        raise _fail(sid, f"release.days {days} must be at least publication_lag_days ({lag})")
    time = value.get("time", "00:00")
    if not isinstance(time, str) or not _TIME.fullmatch(time):
        raise _fail(sid, f"release.time must be HH:MM, got {time!r}")
    tz = value.get("tz", "America/New_York")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(tz)
    except (ValueError, LookupError, TypeError) as exc:
        raise _fail(sid, f"release.tz {tz!r} is not a known time zone ({exc})") from None
    return Release(rule, days, time, tz)


def parse_catalog(text: str) -> dict[str, SeriesInfo]:
    """Every entry of a ``series.toml`` text, by id in file order (:class:`ValueError` on a bad
    entry or invalid TOML)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"series.toml is not valid TOML: {exc}") from None
    if not doc:
        raise ValueError("series.toml holds no series")
    return {sid: parse_series(sid, entry) for sid, entry in doc.items()}


@cache
def load_series() -> dict[str, SeriesInfo]:
    """The packaged catalog (``series.toml``), read and checked once."""
    text = (resources.files("tidegauge.catalog") / "series.toml").read_text(encoding="utf-8")
    return parse_catalog(text)
