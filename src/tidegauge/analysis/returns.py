"""Building blocks for returns: the observation at or before a date, rebasing, total return."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import NoDataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PRICE_ONLY_IDS",
    "TOTAL_RETURN_IDS",
    "rebase",
    "total_return_index",
    "value_at_or_before",
]

TOTAL_RETURN_IDS = ("SP500TR", "SPX_TR")
"""Pseudo-series ids meaning *S&P 500 total return* (Shiller price + reinvested dividends)."""
PRICE_ONLY_IDS = ("SP500", "SPX_SHILLER")
"""Equity series that are price indexes (labelled *price only*)."""


def value_at_or_before(s: pd.Series, date: Any, name: str = "series") -> tuple[pd.Timestamp, float]:
    """The last non-missing observation of ``s`` on or before ``date``.

    A binary search on a sorted index (the store's series are), without copying the series: a
    comparison window asks for this some hundred times (each end of each episode).

    Raises
    ------
    NoDataError
        When ``s`` has no observation on or before ``date``.
    """
    import numpy as np
    import pandas as pd

    when = pd.Timestamp(date)
    index = s.index
    if not (
        isinstance(index, pd.DatetimeIndex)
        and index.tz is None
        and when.tz is None
        and index.is_monotonic_increasing
    ):
        return _value_at_or_before_any(s, when, name)
    values = s.to_numpy()
    n = int(np.searchsorted(index.values, when.to_datetime64(), side="right"))
    if n and not pd.isna(values[n - 1]):
        return index[n - 1], float(values[n - 1])
    present = np.flatnonzero(pd.notna(values[:n]))
    if len(present):
        return index[present[-1]], float(values[present[-1]])
    first = np.flatnonzero(pd.notna(values))
    raise NoDataError.t(
        "errors.data.none_before_start",
        name=name,
        date=when.date(),
        first=index[first[0]].date().isoformat() if len(first) else "never",
    )


def _value_at_or_before_any(s: pd.Series, when: pd.Timestamp, name: str) -> tuple[Any, float]:
    """:func:`value_at_or_before` for an index that is not sorted dates (labels compared)."""
    clean = s.dropna()
    part = clean.loc[:when]
    if part.empty:
        first = clean.index[0].date().isoformat() if len(clean) else "never"
        raise NoDataError.t(
            "errors.data.none_before_start", name=name, date=when.date(), first=first
        )
    return part.index[-1], float(part.iloc[-1])


def rebase(s: pd.Series, start: Any, end: Any = None, kind: str = "percent") -> pd.Series:
    """``s`` from its observation at or before ``start`` through ``end``, scaled to 100 there;
    with ``kind="points"`` (a rate) its change in percentage points from there instead (a rate
    rebased to 100 has no meaning, and flips sign when it starts below zero)."""
    d0, v0 = value_at_or_before(s, start, str(s.name))
    clean = s.dropna() if s.hasnans else s
    out = clean.loc[d0:end] if end is not None else clean.loc[d0:]
    if kind == "points":
        return out - v0
    return out / v0 * 100.0


def total_return_index(price: pd.Series, dividend: pd.Series) -> pd.DataFrame:
    """Monthly total-return index from a price and an annualised dividend per share.

    ``TR[t] = TR[t-1] * (P[t] + D[t] / 12) / P[t-1]``, starting at the first price. A month whose
    dividend is missing (or zero, the Shiller file's placeholder) adds no dividend: that month is
    price-only and flagged in ``dividend_included``.

    Returns
    -------
    pandas.DataFrame
        ``total_return`` (same scale as the first price) and ``dividend_included`` (bool).

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01"])
    >>> price, div = pd.Series([100.0, 100.0, 110.0], idx), pd.Series([12.0, 12.0, 0.0], idx)
    >>> tr = total_return_index(price, div)
    >>> tr["total_return"].round(6).tolist(), tr["dividend_included"].tolist()
    ([100.0, 101.0, 111.1], [True, True, False])
    """
    import numpy as np
    import pandas as pd

    p = price.dropna().astype(float)
    d = dividend.reindex(p.index).astype(float)
    d = d.where(d > 0)
    included = d.notna()
    growth = (p + d.fillna(0.0) / 12.0) / p.shift(1)
    growth.iloc[0] = 1.0
    tr = float(p.iloc[0]) * np.cumprod(growth.to_numpy())
    return pd.DataFrame(
        {"total_return": tr, "dividend_included": included.to_numpy()}, index=p.index
    )
