"""Funding stress: overnight rates against the interest rate on reserve balances (IORB).

The price side of "are reserves still ample?". Banks can earn IORB on reserves at the Fed, so
when reserves are plentiful no bank pays much more than IORB to borrow overnight: the effective
federal funds rate (EFFR) trades a few basis points *below* IORB and the secured overnight
financing rate (SOFR, Treasury repo) near or below it. As reserves become less plentiful, banks
compete for them and these rates rise toward, then above, IORB. This is how the New York Fed's
work on the demand for reserves reads the regime (Afonso, Giannone, La Spada and Williams,
"Scarce, Abundant, or Ample? A Time-Varying Model of the Reserve Demand Curve", Staff Report 1019,
2022, and the Desk's reserve-demand elasticity): the *price* of reserves (EFFR − IORB, repo
rates against IORB) against their *quantity* (reserves relative to the economy). While the
demand curve is flat, draining reserves barely moves the spread ("abundant"); where it slopes,
each drain lifts it ("ample"); where it is steep, small drains cause spikes ("scarce",
September 2019).

Measures (:func:`funding`), all in basis points, each dated by its own observations:

* ``sofr_iorb_bp`` = (SOFR − IORB) × 100 and ``effr_iorb_bp`` = (EFFR − IORB) × 100 on the same
  day (IORB exists from 2021-07-29; it replaced IOER, which is not in the catalog);
* where EFFR sits in the target range: ``effr_low_bp`` = (EFFR − DFEDTARL) × 100 with the range
  (``DFEDTARL`` – ``DFEDTARU``), and whether EFFR is inside it;
* the ON RRP award rate (``RRPONTSYAWARD``), the floor under money-market rates.

**Status** (:func:`classify`) over the last ``window`` days with a SOFR − IORB value:

``stress``
    EFFR at or above IORB on a day of the window (``stress_effr_iorb_bp``, default 0: fed funds
    no longer trade below what the Fed pays on reserves, as in September 2019), EFFR above the
    top of the target range, or SOFR at least ``stress_sofr_iorb_bp`` (default 50) above IORB
    on a day of the window. 50 bp is not a routine month-end print: the largest in the IORB
    era (to mid-2026) was +32 bp on 2025-10-31, while on 2019-09-17 SOFR printed 5.25% against
    IOER at 2.10% (+315 bp).
``pressure``
    SOFR above IORB on at least ``pressure_share`` (default 0.5) of the window's days: pressure
    that persists. A month-end or quarter-end spike lasts one to three days, 5–15% of a
    20-day window, and never makes ``pressure`` by itself; October–December 2025 (SOFR above
    IORB on 80–100% of days) does.
``calm``
    Otherwise. When SOFR rose above IORB on some days of the window, the result says so (the
    count and the largest spike with its date): a spike, not pressure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import NoDataError, UsageError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FUNDING_IDS",
    "PRESSURE_SHARE",
    "STRESS_EFFR_IORB_BP",
    "STRESS_SOFR_IORB_BP",
    "WINDOW_DAYS",
    "FundingResult",
    "classify",
    "funding",
    "funding_frame",
]

Status = Literal["calm", "pressure", "stress"]
Reason = Literal[
    "effr_at_iorb", "effr_above_range", "sofr_spike", "sofr_persistent", "spike", "none"
]

FUNDING_IDS = ("SOFR", "EFFR", "IORB", "DFEDTARL", "DFEDTARU", "RRPONTSYAWARD")
"""Catalog ids of the rates (all in percent)."""

WINDOW_DAYS = 20
"""Days of SOFR − IORB the status looks at: about a month of business days, so one month-end."""
PRESSURE_SHARE = 0.5
"""SOFR above IORB on at least this share of the window's days is persistent pressure."""
STRESS_EFFR_IORB_BP = 0.0
"""EFFR at or above IORB plus this many basis points on a day of the window is stress."""
STRESS_SOFR_IORB_BP = 50.0
"""SOFR at least this many basis points above IORB on a day of the window is stress."""


def _day(value: Any) -> dt.date:
    import pandas as pd

    return pd.Timestamp(value).date()


def _bp(a: pd.Series, b: pd.Series) -> pd.Series:
    return ((a - b) * 100).round(6)


def funding_frame(
    sofr: pd.Series,
    effr: pd.Series,
    iorb: pd.Series,
    low: pd.Series,
    high: pd.Series,
    rrp_rate: pd.Series | None = None,
) -> pd.DataFrame:
    """The daily rates and spreads (basis points), on the days SOFR or EFFR were published while
    IORB existed. Every spread pairs observations of the same date.

    Returns
    -------
    pandas.DataFrame
        ``sofr``, ``effr``, ``iorb``, ``low``, ``high``, ``rrp_rate`` (percent) and
        ``sofr_iorb_bp``, ``effr_iorb_bp``, ``effr_low_bp``, ``low_iorb_bp``, ``high_iorb_bp``,
        ``rrp_iorb_bp`` (basis points).
    """
    import pandas as pd

    iorb = iorb.dropna()
    days = sofr.dropna().index.union(effr.dropna().index)
    days = days[days >= iorb.index.min()] if not iorb.empty else days[:0]
    df = pd.DataFrame(index=pd.DatetimeIndex(days, name="date"))
    empty = pd.Series(dtype=float)
    for name, s in (
        ("sofr", sofr),
        ("effr", effr),
        ("iorb", iorb),
        ("low", low),
        ("high", high),
        ("rrp_rate", rrp_rate if rrp_rate is not None else empty),
    ):
        df[name] = s.dropna().reindex(df.index).astype(float)
    df["sofr_iorb_bp"] = _bp(df["sofr"], df["iorb"])
    df["effr_iorb_bp"] = _bp(df["effr"], df["iorb"])
    df["effr_low_bp"] = _bp(df["effr"], df["low"])
    df["low_iorb_bp"] = _bp(df["low"], df["iorb"])
    df["high_iorb_bp"] = _bp(df["high"], df["iorb"])
    df["rrp_iorb_bp"] = _bp(df["rrp_rate"], df["iorb"])
    return df


@dataclass(frozen=True)
class Window:
    """The days the status looks at and what happened in them."""

    start: dt.date
    end: dt.date
    days: int
    days_above: int
    share_above: float
    max_bp: float
    max_date: dt.date
    median_bp: float
    effr_max_iorb_bp: float | None
    effr_above_range: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "days_sofr_above_iorb": self.days_above,
            "share_sofr_above_iorb": self.share_above,
            "max_sofr_iorb_bp": self.max_bp,
            "max_date": self.max_date.isoformat(),
            "median_sofr_iorb_bp": self.median_bp,
            "max_effr_iorb_bp": self.effr_max_iorb_bp,
            "effr_above_range": self.effr_above_range,
        }


def classify(
    frame: pd.DataFrame,
    *,
    window: int = WINDOW_DAYS,
    pressure_share: float = PRESSURE_SHARE,
    stress_effr_iorb_bp: float = STRESS_EFFR_IORB_BP,
    stress_sofr_iorb_bp: float = STRESS_SOFR_IORB_BP,
) -> tuple[Status, Reason, Window]:
    """The status of the last ``window`` days of ``frame`` (see the module docstring).

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.bdate_range("2024-09-03", periods=20)
    >>> f = pd.DataFrame({"sofr_iorb_bp": [-5.0] * 19 + [15.0], "effr_iorb_bp": -7.0,
    ...                   "effr": 5.33, "high": 5.5}, index=days)
    >>> classify(f)[:2]   # one quarter-end spike
    ('calm', 'spike')
    >>> f["sofr_iorb_bp"] = [3.0] * 12 + [-2.0] * 8
    >>> classify(f)[:2]
    ('pressure', 'sofr_persistent')
    """
    if not 0 < pressure_share <= 1 or window < 1:
        raise UsageError.t("errors.funding.thresholds")
    spread = frame["sofr_iorb_bp"].dropna()
    if spread.empty:
        raise NoDataError.t("errors.funding.no_spread")
    last = spread.iloc[-window:]
    start, end = last.index[0], last.index[-1]
    effr = frame.loc[start:end, ["effr_iorb_bp", "effr", "high"]].dropna(subset=["effr_iorb_bp"])
    above = int((last > 0).sum())
    w = Window(
        start=start.date(),
        end=end.date(),
        days=len(last),
        days_above=above,
        share_above=above / len(last),
        max_bp=float(last.max()),
        max_date=_day(last.idxmax()),
        median_bp=float(last.median()),
        effr_max_iorb_bp=float(effr["effr_iorb_bp"].max()) if not effr.empty else None,
        effr_above_range=bool((effr["effr"] > effr["high"]).any()),
    )
    if w.effr_max_iorb_bp is not None and w.effr_max_iorb_bp >= stress_effr_iorb_bp:
        return "stress", "effr_at_iorb", w
    if w.effr_above_range:
        return "stress", "effr_above_range", w
    if w.max_bp >= stress_sofr_iorb_bp:
        return "stress", "sofr_spike", w
    if w.share_above >= pressure_share:
        return "pressure", "sofr_persistent", w
    return "calm", ("spike" if above else "none"), w


@dataclass
class FundingResult:
    """Funding-stress measures, the status and the rates behind them.

    Attributes
    ----------
    frame
        :func:`funding_frame`.
    status, reason, window
        :func:`classify`.
    thresholds
        The thresholds used (``window``, ``pressure_share``, ``stress_effr_iorb_bp``,
        ``stress_sofr_iorb_bp``).
    rrp_rate, rrp_date
        The latest ON RRP award rate (percent) and its date (``None`` if not loaded).
    """

    frame: pd.DataFrame
    status: Status
    reason: Reason
    window: Window
    thresholds: dict[str, float] = field(default_factory=dict)
    rrp_rate: float | None = None
    rrp_date: dt.date | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def sofr(self) -> dict[str, Any]:
        """The latest SOFR − IORB with both rates and the day."""
        rows = self.frame.dropna(subset=["sofr_iorb_bp"])
        row, day = rows.iloc[-1], rows.index[-1].date()
        return {"bp": float(row["sofr_iorb_bp"]), "date": day, "sofr": float(row["sofr"]),
                "iorb": float(row["iorb"])}  # fmt: skip

    def effr(self) -> dict[str, Any] | None:
        """The latest EFFR − IORB and where EFFR sits in the target range."""
        rows = self.frame.dropna(subset=["effr_iorb_bp", "low", "high"])
        if rows.empty:
            return None
        row, day = rows.iloc[-1], rows.index[-1].date()
        effr, low, high = float(row["effr"]), float(row["low"]), float(row["high"])
        return {
            "bp": float(row["effr_iorb_bp"]),
            "date": day,
            "effr": effr,
            "iorb": float(row["iorb"]),
            "low": low,
            "high": high,
            "above_low_bp": float(row["effr_low_bp"]),
            "position": "below" if effr < low else "above" if effr > high else "inside",
        }

    def to_dict(self) -> dict[str, Any]:
        s, e = self.sofr(), self.effr()
        inputs = {"SOFR": s["date"], "IORB": s["date"], "EFFR": e["date"] if e else None,
                  "DFEDTARL": e["date"] if e else None, "DFEDTARU": e["date"] if e else None,
                  "RRPONTSYAWARD": self.rrp_date}  # fmt: skip
        return {
            "as_of": s["date"].isoformat(),
            "sofr_iorb_bp": s["bp"],
            "effr_iorb_bp": e["bp"] if e else None,
            "status": self.status,
            "reason": self.reason,
            "sofr": {"value": s["sofr"], "iorb": s["iorb"], "date": s["date"].isoformat()},
            "effr": None
            if e is None
            else {
                "value": e["effr"],
                "iorb": e["iorb"],
                "date": e["date"].isoformat(),
                "target_range": [e["low"], e["high"]],
                "above_low_bp": e["above_low_bp"],
                "in_range": e["position"] == "inside",
                "position": e["position"],
            },
            "on_rrp_rate": {
                "value": self.rrp_rate,
                "date": self.rrp_date.isoformat() if self.rrp_date else None,
                "unit": "percent",
            },
            "window": self.window.to_dict(),
            "thresholds": dict(self.thresholds),
            "unit": "bp",
            "inputs": {k: (v.isoformat() if v else None) for k, v in inputs.items()},
        }


def funding(
    data: dict[str, pd.Series],
    *,
    window: int = WINDOW_DAYS,
    pressure_share: float = PRESSURE_SHARE,
    stress_effr_iorb_bp: float = STRESS_EFFR_IORB_BP,
    stress_sofr_iorb_bp: float = STRESS_SOFR_IORB_BP,
) -> FundingResult:
    """Funding stress from the rates of :data:`FUNDING_IDS` (percent; ``RRPONTSYAWARD`` may be
    absent).

    Parameters
    ----------
    data
        ``{id: Series}`` for SOFR, EFFR, IORB, DFEDTARL, DFEDTARU and optionally RRPONTSYAWARD.
    window, pressure_share, stress_effr_iorb_bp, stress_sofr_iorb_bp
        See :data:`WINDOW_DAYS`, :data:`PRESSURE_SHARE`, :data:`STRESS_EFFR_IORB_BP` and
        :data:`STRESS_SOFR_IORB_BP`.

    Raises
    ------
    NoDataError
        A required rate is missing, or SOFR and IORB never share a date.
    """
    missing = [sid for sid in FUNDING_IDS[:5] if sid not in data]
    if missing:
        raise NoDataError.t("errors.data.missing_in_store", ids=", ".join(missing))
    frame = funding_frame(
        data["SOFR"], data["EFFR"], data["IORB"], data["DFEDTARL"], data["DFEDTARU"],
        data.get("RRPONTSYAWARD"),
    )  # fmt: skip
    status, reason, w = classify(
        frame,
        window=window,
        pressure_share=pressure_share,
        stress_effr_iorb_bp=stress_effr_iorb_bp,
        stress_sofr_iorb_bp=stress_sofr_iorb_bp,
    )
    rrp = data.get("RRPONTSYAWARD")
    rrp_rate = rrp_date = None
    if rrp is not None and not rrp.dropna().empty:
        rrp_rate, rrp_date = float(rrp.dropna().iloc[-1]), rrp.dropna().index[-1].date()
    thresholds = {"window": window, "pressure_share": pressure_share,
                  "stress_effr_iorb_bp": stress_effr_iorb_bp,
                  "stress_sofr_iorb_bp": stress_sofr_iorb_bp}  # fmt: skip
    return FundingResult(frame, status, reason, w, thresholds, rrp_rate, rrp_date)
