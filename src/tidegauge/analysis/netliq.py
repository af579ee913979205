"""Net liquidity: the part of the Fed's balance sheet left for banks and markets.

Net liquidity is what remains after the Treasury's cash account and the money funds' overnight
reverse repos have absorbed theirs::

    net liquidity = WALCL − WTREGEN − RRPONTSYD          (USD billions)

``WALCL`` (a Wednesday level) and ``WTREGEN`` (the TGA's average over the week ending that
Wednesday, as in the product's series catalog; its Wednesday level is FRED's ``WDTGAL``) are
published in USD **millions** (the catalog scales them to billions); ``RRPONTSYD`` is a daily
series already in USD **billions**. Mixing the two is
the classic bug, so every input here is in canonical units (billions) and the alignment of the
daily series to the weekly Wednesdays is explicit: :func:`align_to_dates` takes the Wednesday
value or, on a holiday, the last value before it (at most ``max_gap_days`` back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RRP_FACILITY_START", "align_to_dates", "net_liquidity"]

RRP_FACILITY_START = "2013-09-23"
"""The ON RRP test facility began on this date; before it, a missing RRPONTSYD value means no
operation and counts as zero. From it on, a missing value is a holiday (the day before is used)."""


def _ns(index: Any) -> pd.DatetimeIndex:
    """Dates at nanosecond resolution (merge_asof needs equal resolutions on both sides)."""
    import pandas as pd

    return pd.DatetimeIndex(index).as_unit("ns")


def align_to_dates(
    daily: pd.Series, dates: pd.DatetimeIndex, *, max_gap_days: int = 6
) -> pd.DataFrame:
    """Value of a daily series at each of ``dates``: the value on that date, or the last one
    before it not more than ``max_gap_days`` earlier.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``dates``: ``value`` and ``value_date`` (the observation used; NaT if none).
    """
    import pandas as pd

    src = daily.dropna().sort_index()
    left = pd.DataFrame({"date": _ns(dates)})
    right = pd.DataFrame({"value_date": _ns(src.index), "value": src.to_numpy(dtype=float)})
    right["date"] = right["value_date"]
    merged = pd.merge_asof(
        left.sort_values("date"),
        right.sort_values("date"),
        on="date",
        direction="backward",
        tolerance=pd.Timedelta(days=max_gap_days),
    )
    out = merged.set_index("date")[["value", "value_date"]]
    out.index = pd.DatetimeIndex(dates)
    return out


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
    walcl, tga
        Fed total assets and the Treasury General Account, Wednesday levels, USD billions.
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
