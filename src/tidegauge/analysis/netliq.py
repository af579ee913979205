"""Net liquidity, weekly (H.4.1 Wednesdays) and daily (the Daily Treasury Statement).

Net liquidity is the part of the Fed's balance sheet left for banks and markets once the
Treasury's cash account and the money funds' overnight reverse repos have absorbed theirs::

    net liquidity = total assets − Treasury General Account − ON RRP        (USD billions)

**Weekly** (:func:`net_liquidity`), on the Wednesdays of ``WALCL``. Two bases
(:data:`BASIS_IDS`):

``wednesday`` (the default)
    Every input is a Wednesday level: ``WALCL``, ``WDTGAL`` (the TGA at the close of the
    Wednesday), ``RRPONTSYD`` of the Wednesday, and reserves ``WRBWFRBL``. The three terms are
    then the same day's balances, and the identity "assets = liabilities" holds between them.
``week_average``
    The TGA (``WTREGEN``) and reserves (``WRESBAL``) as averages of the week ending Wednesday,
    the arithmetic tidegauge used before (see CHANGELOG.md); total assets and ON RRP stay
    Wednesday values (``WALCL`` has no week average in the catalog). Smoother, but it subtracts
    a week's average from a Wednesday's level.

The H.4.1 items are published in USD **millions** (the catalog scales them to billions);
``RRPONTSYD`` is already in USD **billions**. :func:`align_to_dates` takes the ON RRP of the
Wednesday or, when there was no operation that day (a holiday), the last one before it: an
overnight reverse repo done before a holiday stays outstanding until the next business day.

**Daily** (:func:`daily_net_liquidity`), on the business days of the Daily Treasury Statement::

    daily net liquidity(D) = latest WALCL on or before D − DTS_TGA(D) − ON RRP outstanding on D

``DTS_TGA`` is the TGA's closing balance of the day (USD millions → billions). The DTS and the
H.4.1 agree on every Wednesday (``DTS_TGA`` = ``WDTGAL``), so on Wednesdays the daily figure
equals the weekly one on the ``wednesday`` basis. Between Wednesdays total assets are the last
Wednesday's: the DTS moves the TGA every day, the balance sheet is only published weekly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BASIS_IDS",
    "RRP_FACILITY_START",
    "Basis",
    "DailyNetLiquidity",
    "align_to_dates",
    "daily_net_liquidity",
    "net_liquidity",
]

Basis = Literal["wednesday", "week_average"]

BASIS_IDS: dict[str, tuple[str, str, str, str]] = {
    "wednesday": ("WALCL", "WDTGAL", "RRPONTSYD", "WRBWFRBL"),
    "week_average": ("WALCL", "WTREGEN", "RRPONTSYD", "WRESBAL"),
}
"""Basis → (total assets, TGA, ON RRP, reserves) catalog ids."""

DAILY_IDS = ("WALCL", "DTS_TGA", "RRPONTSYD")
"""Inputs of the daily net liquidity."""

RRP_FACILITY_START = "2013-09-23"
"""The ON RRP test facility began on this date; before it, a missing RRPONTSYD value means no
operation and counts as zero. From it on, a missing value is a holiday (the day before is used)."""

RRP_MAX_GAP_DAYS = 4
"""Daily: the ON RRP of the last operation at most this many days before (a long weekend)."""
WALCL_MAX_AGE_DAYS = 6
"""Daily: total assets of the last Wednesday at most this many days before (the next
Wednesday's figure replaces it)."""


def _ns(index: Any) -> pd.DatetimeIndex:
    """Dates at nanosecond resolution (merge_asof needs equal resolutions on both sides)."""
    import pandas as pd

    return pd.DatetimeIndex(index).as_unit("ns")


def asof_positions(known: Any, at: Any, tolerance: Any = None) -> Any:
    """For each of the sorted ``at`` (int64 nanoseconds), the position in the sorted ``known``
    of the last value on or before it (``-1``: none, or more than ``tolerance`` nanoseconds
    before): ``pd.merge_asof(direction="backward")`` with numpy, without its frames."""
    import numpy as np

    pos = np.searchsorted(known, at, side="right") - 1
    if tolerance is not None and len(pos):
        hit = pos >= 0
        hit[hit] = at[hit] - known[pos[hit]] <= tolerance
        pos[~hit] = -1
    return pos


def _sorted_ns(dates: Any) -> Any:
    """``dates`` as sorted int64 nanoseconds (the left keys of a backward as-of match)."""
    import numpy as np

    keys = _ns(dates)
    if keys.hasnans:
        raise ValueError("Merge keys contain null values on left side")
    values = keys.asi8
    return values if keys.is_monotonic_increasing else np.sort(values)


def take_at(values: Any, pos: Any, missing: Any) -> Any:
    """``values[pos]``, with ``missing`` where ``pos`` is ``-1``."""
    import numpy as np

    if not len(values):
        return np.full(len(pos), missing, dtype=values.dtype)
    return np.where(pos >= 0, values[pos], missing)


def align_to_dates(
    daily: pd.Series, dates: pd.DatetimeIndex, *, max_gap_days: int = 6
) -> pd.DataFrame:
    """Value of a daily series at each of ``dates``: the value on that date, or the last one
    before it not more than ``max_gap_days`` earlier.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``dates``: ``value`` and ``value_date`` (the observation used; NaT if none).

    Notes
    -----
    A backward as-of match done with ``numpy.searchsorted`` (as ``pd.merge_asof`` with a
    tolerance of ``max_gap_days``, which costs ~10 ms a call in frames alone); rows are in the
    order of the sorted ``dates``, labelled with ``dates`` as given.
    """
    import numpy as np
    import pandas as pd

    src = daily.dropna().sort_index()
    known = _ns(src.index).asi8
    at = _sorted_ns(dates)
    pos = asof_positions(known, at, pd.Timedelta(days=max_gap_days).value)
    value = take_at(src.to_numpy(dtype=float), pos, np.nan)
    when = take_at(known, pos, np.datetime64("NaT").astype("int64")).view("M8[ns]")
    return pd.DataFrame({"value": value, "value_date": when}, index=pd.DatetimeIndex(dates))


def net_liquidity(
    walcl: pd.Series,
    tga: pd.Series,
    rrp: pd.Series,
    *,
    rrp_zero_before: str = RRP_FACILITY_START,
    max_gap_days: int = 6,
) -> pd.DataFrame:
    """Weekly net liquidity in USD billions on the Wednesdays of ``walcl``.

    Parameters
    ----------
    walcl
        Fed total assets, Wednesday levels, USD billions.
    tga
        Treasury General Account, USD billions, dated Wednesdays (``WDTGAL`` or ``WTREGEN``).
    rrp
        Overnight reverse repos, daily, USD billions.
    rrp_zero_before
        Before this date a missing RRP value counts as zero (no facility).
    max_gap_days
        How far back the RRP value may come from when the Wednesday has none (holiday).

    Returns
    -------
    pandas.DataFrame
        ``walcl``, ``tga``, ``rrp``, ``rrp_date`` (observation used), ``net_liquidity``; rows
        where a component is unknown have a missing ``net_liquidity``.
    """
    import pandas as pd

    idx = pd.DatetimeIndex(walcl.dropna().index, name="date")
    r = align_to_dates(rrp, idx, max_gap_days=max_gap_days)
    rrp_v = r["value"].copy()
    rrp_v[rrp_v.isna() & (idx < pd.Timestamp(rrp_zero_before))] = 0.0
    df = pd.DataFrame(
        {
            "walcl": walcl.reindex(idx).astype(float),
            "tga": tga.reindex(idx).astype(float),
            "rrp": rrp_v.to_numpy(),
            "rrp_date": r["value_date"].to_numpy(),
        },
        index=idx,
    )
    df["net_liquidity"] = df["walcl"] - df["tga"] - df["rrp"]
    return df


def _iso(value: Any) -> str | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


@dataclass
class DailyNetLiquidity:
    """Daily net liquidity on the business days of the Daily Treasury Statement.

    Attributes
    ----------
    frame
        Indexed by day: ``walcl``, ``walcl_date``, ``tga``, ``rrp``, ``rrp_date``,
        ``net_liquidity`` (USD billions; ``tga`` is the day's own DTS balance).
    """

    frame: pd.DataFrame
    unit: str = "USD billions"

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def on(self, day: str | dt.date) -> dict[str, Any]:
        """The figure of ``day`` with its inputs (``KeyError`` when the day has none)."""
        import pandas as pd

        row = self.frame.loc[pd.Timestamp(day)]
        return self._row(pd.Timestamp(day), row)

    def latest(self) -> dict[str, Any]:
        """The latest day's figure with the value and date of each input."""
        rows = self.frame.dropna(subset=["net_liquidity"])
        if rows.empty:
            raise ValueError("no daily net liquidity (no day has all three inputs)")
        return self._row(rows.index[-1], rows.iloc[-1])

    def _row(self, day: Any, row: Any) -> dict[str, Any]:
        date = _iso(day)
        inputs = {
            "WALCL": _iso(row["walcl_date"]),
            "DTS_TGA": date,
            "RRPONTSYD": _iso(row["rrp_date"]),
        }
        return {
            "date": date,
            "net_liquidity_bn": float(row["net_liquidity"]),
            "walcl_bn": float(row["walcl"]),
            "walcl_date": inputs["WALCL"],
            "tga_bn": float(row["tga"]),
            "tga_date": date,
            "on_rrp_bn": float(row["rrp"]),
            "on_rrp_date": inputs["RRPONTSYD"],
            "inputs": inputs,
            "unit": self.unit,
            "formula": "WALCL - DTS_TGA - RRPONTSYD",
        }

    def to_dict(self) -> dict[str, Any]:
        return self.latest()


def daily_net_liquidity(
    walcl: pd.Series,
    tga_daily: pd.Series,
    rrp: pd.Series,
    *,
    rrp_max_gap_days: int = RRP_MAX_GAP_DAYS,
    walcl_max_age_days: int = WALCL_MAX_AGE_DAYS,
) -> DailyNetLiquidity:
    """Net liquidity on every day of ``tga_daily`` (see the module docstring).

    Parameters
    ----------
    walcl
        Fed total assets, Wednesday levels, USD billions.
    tga_daily
        The TGA's daily closing balance (``DTS_TGA``), USD billions.
    rrp
        ON RRP (``RRPONTSYD``), USD billions; a day without an operation takes the last one at
        most ``rrp_max_gap_days`` before, and no day after the last observation gets a value.
    walcl_max_age_days
        The Wednesday's total assets serve at most this many days.

    Examples
    --------
    >>> import pandas as pd
    >>> walcl = pd.Series([7231.163], pd.to_datetime(["2024-06-26"]))
    >>> tga = pd.Series([744.206, 718.618], pd.to_datetime(["2024-06-26", "2024-06-27"]))
    >>> rrp = pd.Series([490.156, 531.692], pd.to_datetime(["2024-06-26", "2024-06-27"]))
    >>> daily_net_liquidity(walcl, tga, rrp).frame["net_liquidity"].round(3).tolist()
    [5996.801, 5980.853]
    """
    import pandas as pd

    days = pd.DatetimeIndex(tga_daily.dropna().index, name="date")
    w = align_to_dates(walcl, days, max_gap_days=walcl_max_age_days)
    r = align_to_dates(rrp, days, max_gap_days=rrp_max_gap_days)
    rrp_v = r["value"].copy()
    last_rrp = rrp.dropna().index.max() if not rrp.dropna().empty else None
    if last_rrp is not None:
        rrp_v[days > last_rrp] = float("nan")  # the series ends: no filling past its end
    df = pd.DataFrame(
        {
            "walcl": w["value"].to_numpy(),
            "walcl_date": w["value_date"].to_numpy(),
            "tga": tga_daily.reindex(days).astype(float).to_numpy(),
            "rrp": rrp_v.to_numpy(),
            "rrp_date": r["value_date"].where(rrp_v.notna()).to_numpy(),
        },
        index=days,
    )
    df["net_liquidity"] = df["walcl"] - df["tga"] - df["rrp"]
    return DailyNetLiquidity(df)
