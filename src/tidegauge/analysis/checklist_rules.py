"""The nine rules of the checklist (see :mod:`tidegauge.analysis.checklist`).

Each rule is a function of point-in-time series and :class:`Thresholds` returning a
:class:`Condition` with its value, threshold (same unit), the date of its latest input and the
evidence behind it. A rule raises :class:`LookupError` when its inputs do not reach back far
enough; the checklist then marks the condition unavailable.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CONDITIONS", "RULES", "Condition", "Kind", "Thresholds"]

Kind = Literal["easing", "boom"]


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of the checklist, with its default.

    Parameters
    ----------
    bs_window_weeks : int, default 13
        Window (weeks) of the balance-sheet growth.
    bs_growth_pct : float, default 1.0
        Securities held outright must grow more than this (percent over the window).
    rate_window_months : int, default 6
        How far back the policy rate is compared.
    rate_avg_days : int, default 30
        Days averaged at each end (smooths month-end spikes of the daily rate).
    rate_cut_pp : float, default 0.25
        A cut means a fall of at least this many percentage points (one usual FOMC step).
    deficit_pct_gdp : float, default 4.0
        "Large" deficit, percent of GDP (above the ~3.8 % 50-year average reported by CBO).
    credit_growth_pct : float, default 6.0
        "Strong" bank-credit growth, percent year on year (about its 1973–2025 median).
    near_high_pct : float, default 5.0
        "Near the record": at most this many percent below the all-time high.
    spread_percentile : float, default 25.0
        "Tight" spreads: at or below this percentile of the spread's own history.
    unemployment_lookback_years : int, default 10
        Length of the "recent history" of unemployment.
    unemployment_percentile : float, default 50.0
        "Low" unemployment: below this percentile of the recent history (the median).
    inflation_target : float, default 2.0
        The Fed's target for PCE inflation, percent.
    cape_percentile : float, default 90.0
        Valuation bubble: CAPE at or above this percentile of its history.
    cape_max_age_days : int, default 365
        Older CAPE data makes the valuation condition unavailable (value still shown).
    most : float, default 2/3
        Share of available boom conditions that counts as "most".
    min_boom_available : int, default 4
        Fewer available boom conditions than this gives ``mixed``.
    """

    bs_window_weeks: int = 13
    bs_growth_pct: float = 1.0
    rate_window_months: int = 6
    rate_avg_days: int = 30
    rate_cut_pp: float = 0.25
    deficit_pct_gdp: float = 4.0
    credit_growth_pct: float = 6.0
    near_high_pct: float = 5.0
    spread_percentile: float = 25.0
    unemployment_lookback_years: int = 10
    unemployment_percentile: float = 50.0
    inflation_target: float = 2.0
    cape_percentile: float = 90.0
    cape_max_age_days: int = 365
    most: float = 2 / 3
    min_boom_available: int = 4

    def __post_init__(self) -> None:
        if not 0.5 < self.most <= 1:
            raise UsageError.t("errors.value.most", most=self.most)
        for name in ("spread_percentile", "unemployment_percentile", "cape_percentile"):
            if not 0 <= getattr(self, name) <= 100:
                raise UsageError.t("errors.value.percentile", name=name)
        for name in (
            "bs_window_weeks",
            "rate_window_months",
            "rate_avg_days",
            "unemployment_lookback_years",
            "cape_max_age_days",
        ):
            if getattr(self, name) <= 0:
                raise UsageError.t("errors.value.positive", name=name)


@dataclass(frozen=True)
class Condition:
    """One evaluated condition.

    ``met`` is ``None`` when the condition is unavailable (missing or stale inputs; ``note``
    says why). ``value`` and ``threshold`` share ``unit``; ``as_of`` is the date of the latest
    input observation used; ``evidence`` holds the other numbers behind the rule.
    """

    id: str
    kind: Kind
    met: bool | None
    value: float | None
    threshold: float | None
    unit: str
    as_of: dt.date | None
    evidence: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    note_key: tuple[str, dict[str, Any]] | None = field(default=None, compare=False, repr=False)
    """Catalog key and parameters of ``note`` (which is its English text)."""

    @classmethod
    def unavailable(cls, cid: str, kind: Kind, key: str, **params: Any) -> Condition:
        """A condition that could not be evaluated, with the reason from the catalog."""
        from ..i18n import t

        return cls(
            cid,
            kind,
            None,
            None,
            None,
            "",
            None,
            note=t(key, "en", **params),
            note_key=(key, params),
        )

    def note_in(self, lang: str = "en") -> str | None:
        """``note`` in ``lang``."""
        if self.note_key is None:
            return self.note
        from ..i18n import t

        return t(self.note_key[0], lang, **self.note_key[1])

    @property
    def available(self) -> bool:
        return self.met is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "met": bool(self.met),
            "available": self.available,
            "value": _r(self.value),
            "threshold": _r(self.threshold),
            "unit": self.unit,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "evidence": {k: _r(v) if isinstance(v, float) else v for k, v in self.evidence.items()},
            "note": self.note,
        }


def _r(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 4)


def _d(ts: Any) -> dt.date:
    return ts.date() if hasattr(ts, "date") else ts


def _at(s: pd.Series, when: Any) -> tuple[float, dt.date]:
    """Last value of ``s`` on or before ``when`` and its date."""
    part = s[s.index <= when]
    if part.empty:
        raise LookupError(f"{s.name}: no observation on or before {_d(when)}")
    return float(part.iloc[-1]), _d(part.index[-1])


def _pct_rank(history: pd.Series, value: float) -> float:
    return float((history <= value).mean() * 100.0)


# -- the nine rules ----------------------------------------------------------------------------
def _balance_sheet(d: Mapping[str, pd.Series], th: Thresholds) -> Condition:
    import pandas as pd

    sec = pd.concat([d["TREAST"], d["WSHOMCB"]], axis=1).dropna().sum(axis=1)
    last = sec.index[-1]
    v0, d0 = _at(sec, last - pd.Timedelta(weeks=th.bs_window_weeks))
    v1 = float(sec.iloc[-1])
    growth = (v1 / v0 - 1) * 100
    return Condition(
        "balance_sheet",
        "easing",
        growth > th.bs_growth_pct,
        growth,
        th.bs_growth_pct,
        "percent",
        _d(last),
        {"start": str(d0), "start_level": v0, "end_level": v1, "change_bn": v1 - v0},
    )


def _rate_cut(d: Mapping[str, pd.Series], th: Thresholds) -> Condition:
    import pandas as pd

    s = d["DFF"]
    last = s.index[-1]
    window = pd.Timedelta(days=th.rate_avg_days)
    then = last - pd.DateOffset(months=th.rate_window_months)
    now_avg = float(s[s.index > last - window].mean())
    then_part = s[(s.index > then - window) & (s.index <= then)]
    if then_part.empty:
        raise LookupError(f"DFF: no observations around {_d(then)}")
    then_avg = float(then_part.mean())
    change = now_avg - then_avg
    return Condition(
        "rate_cut",
        "easing",
        change <= -th.rate_cut_pp,
        change,
        -th.rate_cut_pp,
        "percentage points",
        _d(last),
        {"now_avg": now_avg, "then_avg": then_avg, "then": str(_d(then))},
    )


def _deficit(d: Mapping[str, pd.Series], th: Thresholds) -> Condition:
    import pandas as pd

    fy = d["FYFSD"]
    balance, fy_end = float(fy.iloc[-1]), fy.index[-1]
    gdp = d["GDP"]
    quarters = gdp[(gdp.index > fy_end - pd.DateOffset(years=1)) & (gdp.index <= fy_end)]
    if quarters.empty:  # the fiscal year's GDP is not published yet: the latest four quarters
        quarters = gdp.iloc[-4:]
    gdp_bn = float(quarters.mean())
    deficit_pct = -balance / gdp_bn * 100
    return Condition(
        "deficit",
        "boom",
        deficit_pct > th.deficit_pct_gdp,
        deficit_pct,
        th.deficit_pct_gdp,
        "percent of GDP",
        _d(fy_end),
        {
            "balance_bn": balance,
            "gdp_bn": gdp_bn,
            "fiscal_year": fy_end.year,
            "gdp_quarters": len(quarters),
        },
    )


def _credit(d: Mapping[str, pd.Series], th: Thresholds) -> Condition:
    import pandas as pd

    s = d["TOTBKCR"]
    last = s.index[-1]
    v0, d0 = _at(s, last - pd.Timedelta(weeks=52))
    growth = (float(s.iloc[-1]) / v0 - 1) * 100
    return Condition(
        "credit",
        "boom",
        growth > th.credit_growth_pct,
        growth,
        th.credit_growth_pct,
        "percent",
        _d(last),
        {"level_bn": float(s.iloc[-1]), "year_ago_bn": v0, "year_ago": str(d0)},
    )


def _stocks_high(d: Mapping[str, pd.Series], th: Thresholds) -> Condition:
    monthly = d.get("SPX_SHILLER")
    daily = d.get("SP500")
    if daily is not None and (monthly is None or daily.index[-1] > monthly.index[-1]):
        current, when, source = float(daily.iloc[-1]), daily.index[-1], "SP500 (daily close)"
    elif monthly is not None:
        current, when, source = float(monthly.iloc[-1]), monthly.index[-1], "SPX_SHILLER (monthly)"
    else:
        raise LookupError("no S&P 500 series")
    candidates = [(float(x.max()), x.idxmax()) for x in (monthly, daily) if x is not None]
    record, record_date = max(candidates, key=lambda c: c[0])
    below = (current / record - 1) * 100
    return Condition(
        "stocks_high",
        "boom",
        below >= -th.near_high_pct,
        below,
        -th.near_high_pct,
        "percent from record",
        _d(when),
        {"level": current, "record": record, "record_date": str(_d(record_date)), "source": source},
    )


def _tight_spreads(d: Mapping[str, pd.Series], th: Thresholds) -> Condition:
    s = d["BAMLH0A0HYM2"]
    value = float(s.iloc[-1])
    cut = float(s.quantile(th.spread_percentile / 100))
    return Condition(
        "tight_spreads",
        "boom",
        value <= cut,
        value,
        cut,
        "percent",
        _d(s.index[-1]),
        {"percentile": _pct_rank(s, value), "since": str(_d(s.index[0]))},
    )


def _low_unemployment(d: Mapping[str, pd.Series], th: Thresholds) -> Condition:
    import pandas as pd

    s = d["UNRATE"]
    last = s.index[-1]
    hist = s[s.index > last - pd.DateOffset(years=th.unemployment_lookback_years)]
    value = float(s.iloc[-1])
    cut = float(hist.quantile(th.unemployment_percentile / 100))
    return Condition(
        "low_unemployment",
        "boom",
        value < cut,
        value,
        cut,
        "percent",
        _d(last),
        {"percentile": _pct_rank(hist, value), "since": str(_d(hist.index[0]))},
    )


def _inflation(d: Mapping[str, pd.Series], th: Thresholds) -> Condition:
    import pandas as pd

    s = d["PCEPILFE"]
    last = s.index[-1]
    v0, d0 = _at(s, last - pd.DateOffset(years=1))
    if (last - pd.Timestamp(d0)).days > 370:
        raise LookupError("PCEPILFE: no observation a year earlier")
    yoy = (float(s.iloc[-1]) / v0 - 1) * 100
    return Condition(
        "inflation",
        "boom",
        yoy > th.inflation_target,
        yoy,
        th.inflation_target,
        "percent",
        _d(last),
        {"measure": "core PCE, 12-month change"},
    )


def _valuation(d: Mapping[str, pd.Series], th: Thresholds, as_of: dt.date) -> Condition:
    s = d["SPX_CAPE"]
    value, last = float(s.iloc[-1]), _d(s.index[-1])
    cut = float(s.quantile(th.cape_percentile / 100))
    age = (as_of - last).days
    evidence = {"percentile": _pct_rank(s, value), "age_days": age, "since": str(_d(s.index[0]))}
    if age > th.cape_max_age_days:
        from ..i18n import t as _t

        stale = {"last": last, "age": age, "as_of": as_of}
        return Condition(
            "valuation",
            "boom",
            None,
            value,
            cut,
            "ratio",
            last,
            evidence,
            note=_t("notes.checklist.stale_cape", "en", **stale),
            note_key=("notes.checklist.stale_cape", stale),
        )
    return Condition("valuation", "boom", value >= cut, value, cut, "ratio", last, evidence)


RULES: dict[str, tuple[Kind, tuple[str, ...], Callable[..., Condition]]] = {
    "balance_sheet": ("easing", ("TREAST", "WSHOMCB"), _balance_sheet),
    "rate_cut": ("easing", ("DFF",), _rate_cut),
    "deficit": ("boom", ("FYFSD", "GDP"), _deficit),
    "credit": ("boom", ("TOTBKCR",), _credit),
    "stocks_high": ("boom", (), _stocks_high),  # SP500 and/or SPX_SHILLER
    "tight_spreads": ("boom", ("BAMLH0A0HYM2",), _tight_spreads),
    "low_unemployment": ("boom", ("UNRATE",), _low_unemployment),
    "inflation": ("boom", ("PCEPILFE",), _inflation),
    "valuation": ("boom", ("SPX_CAPE",), _valuation),
}
CONDITIONS: tuple[str, ...] = tuple(RULES)
"""Condition ids in display order."""
