"""The two sides of the checklist: signs of a bubble and signs of a recession.

**Into a bubble** (the article's conditions): private credit creation strong (``credit``),
stocks at new highs (``stocks_high``), credit risk premiums low (``tight_spreads``),
unemployment low (``low_unemployment``), inflation above target (``inflation``) and a bubble in
the leading sector, for which the tool's proxy is a valuation gauge (``valuation``).

**Into a recession** (what past QE met): asset prices falling (``stocks_falling``) and cheap
(``cheap``), the economy contracting (``contracting``), inflation low (``low_inflation``),
credit spreads wide (``wide_spreads``), liquidity strained (``liquidity_strained``) and markets
in stress (``volatility``).

Turning points need timely inputs, so fast series are preferred where monthly ones lag: the
daily S&P 500 (when it is newer than Shiller's monthly average), the daily high-yield spread and
VIX, the weekly NFCI; CAPE is Shiller's last monthly value carried forward by the S&P 500 to the
latest close (earnings move slowly, prices do not). Unemployment and core PCE are monthly and
say so (their ``frequency``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .checklist_rules import Condition, Thresholds, at, d_, make, pct_rank, quantile

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BUBBLE", "RECESSION"]


# -- helpers ----------------------------------------------------------------------------------
def latest_price(d: Mapping[str, pd.Series]) -> tuple[float, Any, str]:
    """The latest S&P 500 level: the daily close when it is newer than Shiller's monthly
    average, else that average; with its date and series id."""
    monthly, daily = d.get("SPX_SHILLER"), d.get("SP500")
    has_daily = daily is not None and not daily.empty
    newer = has_daily and (
        monthly is None or monthly.empty or daily.index[-1] > monthly.index[-1]  # type: ignore[union-attr]
    )
    if newer:
        return float(daily.iloc[-1]), daily.index[-1], "SP500"  # type: ignore[union-attr]
    if monthly is None or monthly.empty:
        raise LookupError("no S&P 500 series")
    return float(monthly.iloc[-1]), monthly.index[-1], "SPX_SHILLER"


def fast_cape(d: Mapping[str, pd.Series]) -> tuple[float, dict[str, Any], dict[str, Any]]:
    """Shiller's last CAPE carried forward by the S&P 500 to its latest level.

    ``CAPE_now = CAPE_m × P_now / P_m`` where ``m`` is CAPE's last month and ``P_m`` the
    monthly average price of that month. Returns the value, the inputs used and the evidence.
    """
    cape = d["SPX_CAPE"]
    c_m, m = float(cape.iloc[-1]), cape.index[-1]
    inputs: dict[str, Any] = {"SPX_CAPE": m}
    evidence: dict[str, Any] = {"cape_month": str(d_(m)), "cape_month_value": c_m}
    value = c_m
    monthly = d.get("SPX_SHILLER")
    if monthly is not None and m in monthly.index:
        price, when, sid = latest_price(d)
        if when > m:
            value = c_m * price / float(monthly.loc[m])
            inputs[sid] = when
            evidence["carried_by"] = sid
            evidence["price_ratio"] = price / float(monthly.loc[m])
    return value, inputs, evidence


def _price_history(d: Mapping[str, pd.Series]) -> pd.Series:
    """Monthly Shiller averages before the daily series begins, daily closes after."""
    import pandas as pd

    monthly, daily = d.get("SPX_SHILLER"), d.get("SP500")
    parts = []
    if monthly is not None:
        parts.append(monthly if daily is None or daily.empty else monthly[: daily.index[0]])
    if daily is not None:
        parts.append(daily)
    if not parts:
        raise LookupError("no S&P 500 series")
    return pd.concat(parts).sort_index()


def _yoy(s: pd.Series, weeks: int | None = None) -> tuple[float, dt.date]:
    import pandas as pd

    last = s.index[-1]
    back = pd.Timedelta(weeks=weeks) if weeks else pd.DateOffset(years=1)
    v0, d0 = at(s, last - back)
    if (last - pd.Timestamp(d0)).days > 380:
        raise LookupError(f"{s.name}: no observation a year earlier")
    return (float(s.iloc[-1]) / v0 - 1) * 100, d0


# -- bubble side ------------------------------------------------------------------------------
def credit(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    s = d["TOTBKCR"]
    growth, d0 = _yoy(s, 52)
    return make(
        "credit", "boom", "bubble", growth, ">=", th.credit_growth_pct, "percent",
        {"TOTBKCR": s.index[-1]}, {"level_bn": float(s.iloc[-1]), "year_ago": str(d0)},
    )  # fmt: skip


def stocks_high(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    current, when, sid = latest_price(d)
    series = [x for x in (d.get("SPX_SHILLER"), d.get("SP500")) if x is not None and not x.empty]
    record, record_date = max(((float(x.max()), x.idxmax()) for x in series), key=lambda c: c[0])
    return make(
        "stocks_high", "boom", "bubble", (current / record - 1) * 100, ">=", -th.near_high_pct,
        "percent from record", {sid: when},
        {"level": current, "record": record, "record_date": str(d_(record_date)), "source": sid},
    )  # fmt: skip


def tight_spreads(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    s = d["BAMLH0A0HYM2"]
    value = float(s.iloc[-1])
    return make(
        "tight_spreads", "boom", "bubble", value, "<=",
        quantile(s, th.tight_percentile), "percent", {"BAMLH0A0HYM2": s.index[-1]},
        {"percentile": pct_rank(s, value), "since": str(d_(s.index[0]))},
    )  # fmt: skip


def low_unemployment(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    import pandas as pd

    s = d["UNRATE"]
    last = s.index[-1]
    hist = s.loc[
        last - pd.DateOffset(years=th.unemployment_lookback_years) + pd.Timedelta(days=1) :
    ]
    value = float(s.iloc[-1])
    return make(
        "low_unemployment", "boom", "bubble", value, "<=",
        quantile(hist, th.unemployment_percentile), "percent", {"UNRATE": last},
        {"percentile": pct_rank(hist, value), "since": str(d_(hist.index[0]))},
    )  # fmt: skip


def _core_pce(d: Mapping[str, pd.Series]) -> tuple[float, Any]:
    s = d["PCEPILFE"]
    return _yoy(s)[0], s.index[-1]


def inflation(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    yoy, last = _core_pce(d)
    return make(
        "inflation", "boom", "bubble", yoy, ">=", th.inflation_target, "percent",
        {"PCEPILFE": last}, {"measure": "core PCE, 12-month change"},
    )  # fmt: skip


def valuation(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    value, inputs, ev = fast_cape(d)
    s = d["SPX_CAPE"]
    ev.update(percentile=pct_rank(s, value), since=str(d_(s.index[0])))
    return make(
        "valuation", "boom", "bubble", value, ">=", quantile(s, th.cape_percentile),
        "ratio", inputs, ev,
    )  # fmt: skip


# -- recession side ---------------------------------------------------------------------------
def stocks_falling(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    import pandas as pd

    current, when, sid = latest_price(d)
    hist = _price_history(d)
    year = hist.loc[when - pd.DateOffset(years=1) + pd.Timedelta(days=1) :]
    high, high_date = float(year.max()), year.idxmax()
    return make(
        "stocks_falling", "bust", "recession", (current / high - 1) * 100, "<=",
        -th.falling_pct, "percent from 12-month high", {sid: when},
        {"level": current, "high": high, "high_date": str(d_(high_date)), "source": sid},
    )  # fmt: skip


def cheap(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    value, inputs, ev = fast_cape(d)
    s = d["SPX_CAPE"]
    ev.update(percentile=pct_rank(s, value), since=str(d_(s.index[0])))
    return make(
        "cheap", "bust", "recession", value, "<=",
        quantile(s, th.cheap_percentile), "ratio", inputs, ev,
    )  # fmt: skip


def contracting(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    s = d["UNRATE"]
    avg3 = s.rolling(3).mean().dropna()
    if len(avg3) < 13:
        raise LookupError("UNRATE: fewer than 15 months")
    now = float(avg3.iloc[-1])
    low = float(avg3.iloc[-13:-1].min())
    return make(
        "contracting", "bust", "recession", now - low, ">=", th.sahm_pp, "percentage points",
        {"UNRATE": s.index[-1]}, {"three_month_avg": now, "low_12m": low, "rule": "Sahm"},
    )  # fmt: skip


def low_inflation(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    yoy, last = _core_pce(d)
    return make(
        "low_inflation", "bust", "recession", yoy, "<=", th.inflation_target, "percent",
        {"PCEPILFE": last}, {"measure": "core PCE, 12-month change"},
    )  # fmt: skip


def wide_spreads(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    s = d["BAMLH0A0HYM2"]
    value = float(s.iloc[-1])
    return make(
        "wide_spreads", "bust", "recession", value, ">=",
        quantile(s, th.wide_percentile), "percent", {"BAMLH0A0HYM2": s.index[-1]},
        {"percentile": pct_rank(s, value), "since": str(d_(s.index[0]))},
    )  # fmt: skip


def liquidity_strained(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    s = d["NFCI"]
    return make(
        "liquidity_strained", "bust", "recession", float(s.iloc[-1]), ">=", th.nfci_strained,
        "index", {"NFCI": s.index[-1]}, {"percentile": pct_rank(s, float(s.iloc[-1]))},
    )  # fmt: skip


def volatility(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    s = d["VIXCLS"]
    value = float(s.iloc[-1])
    return make(
        "volatility", "bust", "recession", value, ">=",
        quantile(s, th.vix_percentile), "index", {"VIXCLS": s.index[-1]},
        {"percentile": pct_rank(s, value), "since": str(d_(s.index[0]))},
    )  # fmt: skip


BUBBLE = {
    "credit": ("TOTBKCR",),
    "stocks_high": (),  # SP500 and/or SPX_SHILLER
    "tight_spreads": ("BAMLH0A0HYM2",),
    "low_unemployment": ("UNRATE",),
    "inflation": ("PCEPILFE",),
    "valuation": ("SPX_CAPE",),
}
RECESSION = {
    "stocks_falling": (),
    "cheap": ("SPX_CAPE",),
    "contracting": ("UNRATE",),
    "low_inflation": ("PCEPILFE",),
    "wide_spreads": ("BAMLH0A0HYM2",),
    "liquidity_strained": ("NFCI",),
    "volatility": ("VIXCLS",),
}
"""Condition id → ids it requires, in the article's order."""
