"""Compare any two series over a window: changes, rebased index, correlations, episodes.

* **Change** of each series from the observation *at or before* the window's start to the one at
  or before its end; the dates actually used are part of the result. Its kind follows the
  series' unit (:func:`change_kind`): levels (balance sheets, indexes, prices) change in
  percent; rates, yields and spreads, which are already percents, change in percentage points
  (and basis points) — a 10-year yield going from 1.66 % to 2.98 % rose 1.32 pp, not 79.5 %,
  and a TIPS yield going from −1.04 % to +1.58 % rose 2.62 pp.
* **Rebased index**: each series divided by its start value, times 100.
* **Correlation** of period changes after resampling both series to a common frequency (the
  coarser of the two: daily < weekly < monthly < quarterly < annual; last value of each period,
  weeks ending Wednesday like the H.4.1). Also a rolling correlation and a lead/lag profile.
* **Episodes**: for every Fed balance-sheet episode (QE, QT, lending, ...) overlapping the window,
  the change of both series over the part of the episode inside the window.
* **Total return**: the pseudo-series ``SP500TR`` is the Shiller monthly S&P 500 with dividends
  reinvested (:func:`tidegauge.analysis.returns.total_return_index`), only where the dividends
  cover the whole window. The file's dividends stop in mid-2023 (``0.0`` placeholders, read as
  missing): over a window they do not cover, the price index ``SPX_SHILLER`` is compared
  instead and named as such (a note says why).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from ..errors import NoDataError, UsageError
from .compare_arrays import EPISODE_COLUMNS, window_frames
from .compare_result import CompareResult, records
from .periods import period_last
from .returns import (
    TOTAL_RETURN_IDS,
    rebase,
    value_at_or_before,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TOTAL_RETURN_IDS",
    "CompareResult",
    "Endpoint",
    "change_kind",
    "compare",
    "episode_table",
    "lead_lag_profile",
    "period_changes",
]

Freq = Literal["D", "W", "M", "Q", "A"]
ChangeKind = Literal["percent", "points"]
POINT_UNITS: tuple[str, ...] = ("percent",)
"""Canonical units whose changes are differences in percentage points: rates, yields, spreads
and other series that are themselves percents (unemployment)."""


def change_kind(unit: str) -> ChangeKind:
    """``"points"`` for a series measured in percent, ``"percent"`` for a level.

    >>> change_kind("percent"), change_kind("USD billions"), change_kind("index")
    ('points', 'percent', 'percent')
    """
    return "points" if unit in POINT_UNITS else "percent"


_ORDER: tuple[Freq, ...] = ("D", "W", "M", "Q", "A")
ROLLING_WINDOW: dict[str, int] = {"D": 63, "W": 26, "M": 12, "Q": 8, "A": 5}
"""Default rolling-correlation window per common frequency (about a quarter of daily data, half a
year of weeks, a year of months, two years of quarters)."""
MAX_LAG: dict[str, int] = {"D": 20, "W": 12, "M": 12, "Q": 4, "A": 3}
"""Default largest lead/lag, in periods of the common frequency."""

LEAD_LAG_MIN_PAIRS = 8
"""Pairs of changes a lag's correlation needs; with fewer (a short window) it is not computed
(two or three pairs always correlate at about ±1, which says nothing)."""


@dataclass
class Endpoint:
    """One series' change over the window and the observations used at each end."""

    id: str
    start_date: str
    end_date: str
    start_value: float
    end_value: float
    change_pct: float | None
    total_return: bool
    unit: str = ""
    price_only: bool = False
    price_only_from: str | None = None
    change_kind: ChangeKind = "percent"
    change_pp: float | None = None
    note_key: tuple[str, dict[str, Any]] | None = None
    """A note on what is compared (e.g. the price index instead of a total return)."""

    @property
    def change(self) -> float:
        """The change in its own kind: percent for a level, percentage points for a rate."""
        value = self.change_pp if self.change_kind == "points" else self.change_pct
        assert value is not None
        return value

    def note(self, lang: str = "en") -> str | None:
        """*price only* for an equity price index; where a total return stops reinvesting."""
        from ..i18n import t

        if self.note_key:
            return t(self.note_key[0], lang, **self.note_key[1])
        if self.price_only_from:
            return t("compare.price_only_from", lang, date=self.price_only_from)
        return t("compare.price_only", lang) if self.price_only else None

    def to_dict(self) -> dict[str, Any]:
        """``change_pct`` for a level (``None`` for a rate), ``change_pp`` and ``change_bp``
        for a rate (``None`` for a level), with the ``unit`` and the ``change_kind``."""
        keys = (
            "id",
            "start_date",
            "end_date",
            "start_value",
            "end_value",
            "change_pct",
            "total_return",
            "unit",
            "change_kind",
            "change_pp",
        )
        out = {k: getattr(self, k) for k in keys}
        out["change_bp"] = None if self.change_pp is None else round(self.change_pp * 100, 4)
        out["price_only"] = self.price_only
        out["note"] = self.note("en")
        return out


def _endpoint(
    s: pd.Series,
    sid: str,
    start: Any,
    end: Any,
    *,
    total_return: bool,
    unit: str = "",
    price_only: bool = False,
    price_only_from: str | None = None,
) -> Endpoint:
    import pandas as pd

    d0, v0 = value_at_or_before(s, start, sid)
    d1, v1 = value_at_or_before(s, end, sid)
    if d1 <= d0:
        raise NoDataError.t(
            "errors.data.none_in_window",
            series_id=sid,
            start=pd.Timestamp(start).date(),
            end=pd.Timestamp(end).date(),
        )
    kind = change_kind(unit)
    if kind == "percent" and v0 == 0:  # e.g. the overnight reverse repo on 2021-03-01
        raise NoDataError.t("errors.data.zero_start", series_id=sid, date=d0.date())
    return Endpoint(
        sid,
        d0.date().isoformat(),
        d1.date().isoformat(),
        v0,
        v1,
        None if kind == "points" else (v1 / v0 - 1.0) * 100.0,
        total_return,
        unit,
        price_only,
        price_only_from,
        kind,
        round(v1 - v0, 10) if kind == "points" else None,
    )


def common_frequency(fa: str, fb: str) -> Freq:
    """The coarser of two frequencies."""
    return _ORDER[max(_ORDER.index(fa), _ORDER.index(fb))]  # type: ignore[arg-type,unused-ignore]


def period_changes(s: pd.Series, freq: str, kind: ChangeKind = "percent") -> pd.Series:
    """Change between consecutive periods (last value of each period): percent for a level,
    percentage points for a rate (``kind``); none after a period without an observation."""
    last = period_last(s, freq)
    if kind == "points":
        return last.diff().dropna()
    return (last.pct_change(fill_method=None) * 100.0).dropna()


def lead_lag_profile(x: pd.Series, y: pd.Series, lags: range) -> pd.Series:
    """Correlation of ``x`` with ``y`` shifted by each lag ``k`` (``y.shift(-k)``: a positive
    ``k`` pairs ``x`` with later values of ``y``), over at least :data:`LEAD_LAG_MIN_PAIRS`
    pairs; ``x`` and ``y`` share one index and have no missing values.

    The same figures as ``x.corr(y.shift(-k), min_periods=...)`` (pandas' own Pearson
    correlation on the pairs), without building a shifted series per lag.
    """
    import numpy as np
    import pandas as pd
    from pandas.core.nanops import get_corr_func, nancorr

    xv, yv, n = x.to_numpy(dtype=float), y.to_numpy(dtype=float), len(x)
    # without a missing value, nancorr is its Pearson function on the pairs, minus the checks
    pearson = get_corr_func("pearson")
    if np.isnan(xv).any() or np.isnan(yv).any():
        pearson = partial(nancorr, min_periods=LEAD_LAG_MIN_PAIRS)
    out: dict[int, float] = {}
    for k in lags:
        lo, hi = max(0, -k), min(n, n - k)  # x[i] pairs with y[i + k]
        pairs = (xv[lo:hi], yv[lo + k : hi + k]) if hi - lo >= LEAD_LAG_MIN_PAIRS else None
        out[k] = float(pearson(*pairs)) if pairs else float("nan")
    profile = pd.Series(out, name="correlation", dtype=float)
    profile.index.name = "lag"
    return profile


def episode_table(
    a: pd.Series,
    b: pd.Series,
    episodes: pd.DataFrame | None,
    start: Any,
    end: Any,
    a_id: str = "a",
    b_id: str = "b",
    units: tuple[str, str] = ("", ""),
) -> pd.DataFrame:
    """Change of ``a`` and ``b`` over each episode's part inside ``start``..``end``: in percent
    for a level (``a_change_pct``), in percentage points for a rate (``a_change_pp``), per
    ``units``; ``a_change`` is whichever applies.

    ``episodes`` has (at least) ``kind``, ``start``, ``end``, ``program`` and optionally
    ``change_pct`` (the whole episode's balance-sheet change); every episode overlapping the
    window is kept, clipped to it. Changes use observations at or before each clipped end.
    """
    import pandas as pd

    cols = EPISODE_COLUMNS
    if episodes is None or episodes.empty:
        return pd.DataFrame(columns=cols)
    w0, w1 = pd.Timestamp(start), pd.Timestamp(end)
    rows = []
    has_change = "change_pct" in episodes
    for ep in records(episodes):
        e0 = pd.Timestamp(ep["start"])
        e1 = pd.Timestamp(ep["end"]) if ep["end"] is not None and not pd.isna(ep["end"]) else w1
        if e0 >= w1 or e1 <= w0:  # touching at one date only is no overlap
            continue
        c0, c1 = max(e0, w0), min(e1, w1)
        row: dict[str, Any] = {
            "kind": ep["kind"],
            "program": None if pd.isna(ep.get("program")) else ep["program"],
            "episode_start": e0.date().isoformat(),
            "episode_end": e1.date().isoformat(),
            "start": c0.date().isoformat(),
            "end": c1.date().isoformat(),
            "episode_change_pct": float(ep["change_pct"]) if has_change else None,
        }
        for key, s, sid, unit in (("a", a, a_id, units[0]), ("b", b, b_id, units[1])):
            try:
                e = _endpoint(s, sid, c0, c1, total_return=False, unit=unit)
            except NoDataError:
                e = None
            row[f"{key}_change"] = None if e is None else e.change
            row[f"{key}_change_pct"] = None if e is None else e.change_pct
            row[f"{key}_change_pp"] = None if e is None else e.change_pp
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def compare(
    a: pd.Series,
    b: pd.Series,
    start: Any,
    end: Any,
    *,
    freq_a: Freq = "D",
    freq_b: Freq = "D",
    episodes: pd.DataFrame | None = None,
    rolling_window: int | None = None,
    max_lag: int | None = None,
    total_return_a: bool = False,
    total_return_b: bool = False,
    units: tuple[str, str] = ("", ""),
    price_only: tuple[bool, bool] = (False, False),
    price_only_from: tuple[str | None, str | None] = (None, None),
    notes: tuple[Any, Any] = (None, None),
) -> CompareResult:
    """Compare two series over ``start``..``end``.

    Parameters
    ----------
    a, b
        The series (named by their ids), canonical units.
    start, end
        The window; each end uses the observation at or before it.
    freq_a, freq_b
        Native frequencies; the correlations use the coarser one.
    episodes
        Fed episodes (``kind``, ``start``, ``end``, ``program``, ``change_pct``), e.g.
        ``fed_regimes(tg).episodes``.
    rolling_window, max_lag
        Periods of the common frequency; defaults in :data:`ROLLING_WINDOW` and :data:`MAX_LAG`.
    total_return_a, total_return_b
        Whether the series is a total-return index over the whole window (reported as is).
    units
        Canonical units of ``a`` and ``b``: they decide the kind of change (:func:`change_kind`).
    price_only, price_only_from
        Per series: an equity price index (labelled *price only*); the month from which a
        total-return index has no dividends.
    notes
        Per series: a note (message key and parameters) on what is compared.

    Returns
    -------
    CompareResult
    """
    import pandas as pd

    w0, w1 = pd.Timestamp(start), pd.Timestamp(end)
    if w0 >= w1:
        raise UsageError.t("errors.dates.not_before", start=w0.date(), end=w1.date())
    a_id, b_id = str(a.name), str(b.name)
    ea = _endpoint(
        a,
        a_id,
        w0,
        w1,
        total_return=total_return_a,
        unit=units[0],
        price_only=price_only[0],
        price_only_from=price_only_from[0],
    )
    ea.note_key = notes[0]
    eb = _endpoint(
        b,
        b_id,
        w0,
        w1,
        total_return=total_return_b,
        unit=units[1],
        price_only=price_only[1],
        price_only_from=price_only_from[1],
    )
    eb.note_key = notes[1]
    freq = common_frequency(freq_a, freq_b)
    fast = window_frames(a, b, ea, eb, w0, w1, freq, episodes)
    if fast is None:
        ca = period_changes(a.loc[pd.Timestamp(ea.start_date) : w1], freq, ea.change_kind)
        cb = period_changes(b.loc[pd.Timestamp(eb.start_date) : w1], freq, eb.change_kind)
        changes = pd.concat({a_id: ca, b_id: cb}, axis=1, sort=True).loc[:w1].dropna()
        rebased = pd.concat(
            {a_id: rebase(a, w0, w1, ea.change_kind), b_id: rebase(b, w0, w1, eb.change_kind)},
            axis=1,
            sort=True,
        )
        rows = None
    else:
        changes, rebased, rows = fast
    x, y = changes[a_id], changes[b_id]  # (each a new Series: taken once)
    corr = float(x.corr(y)) if len(changes) > 2 else None
    if corr is not None and corr != corr:
        corr = None
    window = rolling_window or ROLLING_WINDOW[freq]
    rolling = x.rolling(window).corr(y).dropna()
    lags = range(-(max_lag or MAX_LAG[freq]), (max_lag or MAX_LAG[freq]) + 1)
    lead_lag = lead_lag_profile(x, y, lags)
    if rows is None:
        eps = episode_table(a, b, episodes, w0, w1, a_id, b_id, units)
    else:
        eps = pd.DataFrame(rows, columns=EPISODE_COLUMNS)  # (tuples: as dicts, a bit faster)
    note_keys: list[tuple[str, dict[str, Any]]] = [("notes.compare.resampled", {"freq": freq})]
    if lead_lag.notna().any():  # the note explains a lead/lag value; no value, no note
        note_keys.append(("notes.compare.lead_lag", {"a": a_id, "b": b_id}))
    res = CompareResult(
        ea,
        eb,
        w0.date().isoformat(),
        w1.date().isoformat(),
        freq,
        corr,
        rebased,
        changes,
        rolling,
        window,
        lead_lag,
        eps,
        note_keys=note_keys,
    )
    res.notes = res.notes_in("en")
    return res
