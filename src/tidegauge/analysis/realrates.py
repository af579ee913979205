"""Real interest rates: market (TIPS, breakevens, 5y5y forward), realised, and policy stance.

Everything here is a pure function of a wide DataFrame of FRED series in percent (canonical
units), as returned by :meth:`tidegauge.Tidegauge.load`. Three families of figures:

* **market (ex-ante)**: TIPS real yields ``DFII5``/``DFII10``; breakevens ``DGS5 − DFII5`` and
  ``DGS10 − DFII10`` (cross-checked against FRED's ``T5YIE``/``T10YIE``); the 5-year, 5-year
  forward breakeven from the two (cross-checked against ``T5YIFR``);
* **realised (ex-post)**: nominal rate minus trailing 12-month CPI inflation, monthly;
* **policy stance**: the realised real policy rate against a neutral real rate r* (in
  :mod:`tidegauge.analysis.stance`, re-exported here).

The latest-values snapshot lives in :mod:`tidegauge.analysis.realrates_snapshot` and the
history table in :mod:`tidegauge.analysis.realrates_history`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..errors import NoDataError, UsageError
from .fisher import FisherMethod, forward_rate, implied_inflation, real_rate
from .stance import (
    DEFAULT_NEUTRAL_BAND,
    DEFAULT_RSTAR,
    RSTAR_SOURCE,
    Stance,
    classify_stance,
    stance_series,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BREAKEVEN_TOLERANCE",
    "DEFAULT_NEUTRAL_BAND",
    "DEFAULT_RSTAR",
    "FORWARD_TOLERANCE",
    "MARKET_IDS",
    "REALISED_IDS",
    "RSTAR_SOURCE",
    "Alignment",
    "CrossCheck",
    "MarketRates",
    "RealisedRates",
    "Stance",
    "classify_stance",
    "cpi_yoy",
    "cross_check",
    "market_rates",
    "realised_real_rates",
    "stance_series",
]

Alignment = Literal["mean", "last"]
"""How daily rates become monthly: ``"mean"`` = month average (FRED's FEDFUNDS and GS10 are
month averages of the daily series), ``"last"`` = last observation of the month (DFF, DGS10)."""

MARKET_IDS: tuple[str, ...] = ("DGS10", "DFII10", "DGS5", "DFII5", "T10YIE", "T5YIE", "T5YIFR")
"""Series used for market real rates and breakevens."""

REALISED_IDS: tuple[str, ...] = ("CPIAUCSL", "FEDFUNDS", "GS10", "DFF", "DGS10")
"""Series used for realised (ex-post) real rates."""

BREAKEVEN_TOLERANCE = 0.02
"""Acceptance tolerance for computed breakevens versus FRED's published ones, pp."""

FORWARD_TOLERANCE = 0.05
"""Acceptance tolerance for the computed 5y5y forward versus FRED's T5YIFR, pp."""

_EPS = 1e-9  # published values have 2 decimals; absorb binary floating-point noise


# ---------------------------------------------------------------------------------------------
# market rates
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CrossCheck:
    """Agreement of a computed series with its published counterpart on common days.

    Attributes
    ----------
    name
        Which figure (``breakeven_10y``, ``breakeven_5y``, ``forward_5y5y``).
    published_id
        FRED id of the published series.
    tolerance
        Absolute tolerance in percentage points.
    n_common
        Days where both have a value.
    n_within
        Days where ``|computed − published| <= tolerance``.
    max_abs_diff, mean_diff
        Largest absolute and mean signed difference (computed − published), pp.
    first, last
        First and last common date (ISO), or ``None`` with no overlap.
    """

    name: str
    published_id: str
    tolerance: float
    n_common: int
    n_within: int
    max_abs_diff: float
    mean_diff: float
    first: str | None
    last: str | None

    @property
    def share_within(self) -> float:
        """Share of common days within tolerance (0..1; NaN with no overlap)."""
        return self.n_within / self.n_common if self.n_common else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "published_id": self.published_id,
            "tolerance": self.tolerance,
            "n_common": self.n_common,
            "n_within": self.n_within,
            "share_within": self.share_within,
            "max_abs_diff": self.max_abs_diff,
            "mean_diff": self.mean_diff,
            "first": self.first,
            "last": self.last,
        }


def cross_check(
    computed: pd.Series, published: pd.Series, tolerance: float, *, name: str = ""
) -> CrossCheck:
    """Compare ``computed`` with ``published`` on the dates where both have a value."""
    import pandas as pd

    both = pd.concat([computed.rename("c"), published.rename("p")], axis=1, sort=True).dropna()
    diff = both["c"] - both["p"]
    n = len(both)
    return CrossCheck(
        name=name or str(computed.name),
        published_id=str(published.name),
        tolerance=tolerance,
        n_common=n,
        n_within=int((diff.abs() <= tolerance + _EPS).sum()),
        max_abs_diff=float(diff.abs().max()) if n else float("nan"),
        mean_diff=float(diff.mean()) if n else float("nan"),
        first=both.index[0].strftime("%Y-%m-%d") if n else None,
        last=both.index[-1].strftime("%Y-%m-%d") if n else None,
    )


@dataclass(frozen=True)
class MarketRates:
    """Daily market real rates and breakevens.

    ``frame`` columns (percent; NaN where an input is missing): ``nominal_10y`` (DGS10),
    ``tips_10y`` (DFII10), ``breakeven_10y`` (DGS10 − DFII10), ``nominal_5y`` (DGS5),
    ``tips_5y`` (DFII5), ``breakeven_5y`` (DGS5 − DFII5), ``forward_5y5y`` (compounded forward
    from the two computed breakevens), and FRED's published ``T10YIE``, ``T5YIE``, ``T5YIFR``.
    """

    frame: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def cross_checks(self) -> dict[str, CrossCheck]:
        """Computed versus published breakevens and 5y5y forward (acceptance tolerances)."""
        f = self.frame
        return {
            "breakeven_10y": cross_check(
                f["breakeven_10y"], f["T10YIE"], BREAKEVEN_TOLERANCE, name="breakeven_10y"
            ),
            "breakeven_5y": cross_check(
                f["breakeven_5y"], f["T5YIE"], BREAKEVEN_TOLERANCE, name="breakeven_5y"
            ),
            "forward_5y5y": cross_check(
                f["forward_5y5y"], f["T5YIFR"], FORWARD_TOLERANCE, name="forward_5y5y"
            ),
        }


def _column(data: pd.DataFrame, sid: str) -> pd.Series:
    import pandas as pd

    if sid in data.columns:
        return data[sid].astype(float)
    return pd.Series(np.nan, index=data.index, name=sid, dtype=float)


def market_rates(data: pd.DataFrame) -> MarketRates:
    """Market real rates, breakevens and the 5y5y forward from daily yields.

    Parameters
    ----------
    data
        Wide frame (DatetimeIndex) with any of :data:`MARKET_IDS` in percent; missing columns
        give NaN columns.

    Returns
    -------
    MarketRates
        Only rows where at least one of the market series has a value.

    Notes
    -----
    Breakeven = nominal − TIPS yield of the same maturity (the approximate Fisher relation,
    FRED's own definition). The forward uses the compounded formula
    ``((1 + b10)^10 / (1 + b5)^5)^(1/5) − 1`` (FRED's T5YIFR formula).
    """
    import pandas as pd

    cols = {sid: _column(data, sid) for sid in MARKET_IDS}
    frame = pd.DataFrame(
        {
            "nominal_10y": cols["DGS10"],
            "tips_10y": cols["DFII10"],
            "breakeven_10y": implied_inflation(cols["DGS10"], cols["DFII10"]),
            "nominal_5y": cols["DGS5"],
            "tips_5y": cols["DFII5"],
            "breakeven_5y": implied_inflation(cols["DGS5"], cols["DFII5"]),
        }
    )
    frame["forward_5y5y"] = forward_rate(frame["breakeven_5y"], frame["breakeven_10y"], 5, 10)
    for sid in ("T10YIE", "T5YIE", "T5YIFR"):
        frame[sid] = cols[sid]
    frame = frame.dropna(how="all")
    frame.index.name = "date"
    return MarketRates(frame)


# ---------------------------------------------------------------------------------------------
# realised rates
# ---------------------------------------------------------------------------------------------
def _monthly(series: pd.Series, how: Alignment) -> pd.Series:
    """Daily or monthly observations → one value per calendar month, dated the 1st (FRED)."""
    import pandas as pd

    s = series.dropna()
    if s.empty:
        return s
    index = pd.DatetimeIndex(s.index)
    grouped = s.groupby(index.to_period("M"))
    out = grouped.mean() if how == "mean" else grouped.last()
    out.index = pd.PeriodIndex(out.index).to_timestamp()
    return out


def cpi_yoy(cpi: pd.Series) -> pd.Series:
    """Trailing 12-month inflation in percent from a monthly price index.

    Months are matched by calendar (a missing month, e.g. October 2025 when the BLS did not
    publish CPI, gives NaN for that month and for the month a year later) — never by position.
    """

    from .month_index import month_starts

    s = _monthly(cpi, "last")
    if s.empty:
        return s
    full = s.reindex(month_starts(s.index[0], s.index[-1]))
    yoy = (full / full.shift(12) - 1.0) * 100.0
    yoy.name = "cpi_yoy"
    return yoy


@dataclass(frozen=True)
class RealisedRates:
    """Monthly realised (ex-post) real rates.

    ``frame`` (monthly, dated the first of the month) has ``policy_rate``, ``yield_10y``,
    ``cpi_yoy``, ``real_policy_rate`` and ``real_10y``, all percent.

    Attributes
    ----------
    alignment
        ``"mean"`` (month averages: FEDFUNDS, GS10) or ``"last"`` (month-end DFF, DGS10).
    method
        Fisher form used: ``"approx"`` (i − π) or ``"exact"``.
    sources
        FRED ids behind ``policy_rate`` and ``yield_10y``.
    """

    frame: pd.DataFrame
    alignment: Alignment
    method: FisherMethod
    sources: dict[str, str]

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()


def realised_real_rates(
    data: pd.DataFrame,
    *,
    alignment: Alignment = "mean",
    method: FisherMethod = "approx",
) -> RealisedRates:
    """Nominal minus trailing 12-month CPI inflation, monthly, for the policy rate and 10-year.

    Parameters
    ----------
    data
        Wide frame with ``CPIAUCSL`` and, for ``alignment="mean"``, ``FEDFUNDS`` and ``GS10``
        (FRED's monthly averages of the daily effective fed funds rate and 10-year yield); for
        ``alignment="last"``, ``DFF`` and ``DGS10`` (last daily value of each month).
    alignment
        See :data:`Alignment`. Inflation is always the CPI of the same month versus twelve
        months earlier, so a month's real rate pairs that month's rate with that month's
        inflation.
    method
        ``"approx"`` (default; i − π, the usual convention) or ``"exact"`` Fisher.

    Returns
    -------
    RealisedRates

    Raises
    ------
    NoDataError
        When CPI or both rates are missing.
    """
    import pandas as pd

    if alignment not in ("mean", "last"):
        raise UsageError.t("errors.value.alignment", alignment=alignment)
    policy_id, long_id = ("FEDFUNDS", "GS10") if alignment == "mean" else ("DFF", "DGS10")
    cpi = _column(data, "CPIAUCSL").dropna()
    if cpi.empty:
        raise NoDataError.t("errors.data.no_cpi")
    inflation = cpi_yoy(cpi)
    policy = _monthly(_column(data, policy_id), alignment)
    long = _monthly(_column(data, long_id), alignment)
    if policy.empty and long.empty:
        raise NoDataError.t("errors.data.no_rates", policy_id=policy_id, long_id=long_id)
    frame = pd.concat(
        [policy.rename("policy_rate"), long.rename("yield_10y"), inflation.rename("cpi_yoy")],
        axis=1,
        sort=True,
    )
    frame["real_policy_rate"] = real_rate(frame["policy_rate"], frame["cpi_yoy"], method)
    frame["real_10y"] = real_rate(frame["yield_10y"], frame["cpi_yoy"], method)
    frame = frame.dropna(subset=["real_policy_rate", "real_10y"], how="all")
    frame.index.name = "month"
    return RealisedRates(frame, alignment, method, {"policy_rate": policy_id, "yield_10y": long_id})
