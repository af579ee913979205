"""The policy side of the checklist: the Fed's two tools and the deficit.

* ``balance_sheet`` — expanding **significantly**: securities held outright (TREAST + WSHOMCB)
  grew, annualised over ``bs_window_weeks``, at least ``bs_significant_pct`` (normal growth,
  supplying currency, stays below it);
* ``balance_sheet_shrinking`` — QT: the same growth at or below ``bs_shrinking_pct`` while total
  assets (WALCL) fall by at least ``bs_assets_share`` of the fall in securities;
* ``rate_cut`` / ``rate_hike`` — the ``rate_avg_days``-day average of the fed funds rate (DFF)
  fell / rose by at least ``rate_step_pp`` over ``rate_window_months``;
* ``deficit`` — the last published fiscal-year deficit (FYFSD) at least ``deficit_pct_gdp`` of
  that fiscal year's GDP: the third leg of monetisation, not an easing tool.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .checklist_rules import Condition, Thresholds, at, d_, make

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["balance_sheet", "balance_sheet_shrinking", "deficit", "rate_cut", "rate_hike"]


def securities_growth(d: Mapping[str, pd.Series], th: Thresholds) -> dict[str, float | dt.date]:
    """Growth of securities held outright over the window at an annual rate (the window's
    percent change times the windows in a year, not compounded), with its evidence."""
    import pandas as pd

    t, m = d["TREAST"], d["WSHOMCB"]
    same = t.index.equals(m.index)
    sec = t + m if same else pd.concat([t, m], axis=1).dropna().sum(axis=1)
    last = sec.index[-1]
    v0, d0 = at(sec, last - pd.Timedelta(weeks=th.bs_window_weeks))
    v1 = float(sec.iloc[-1])
    years = (last - pd.Timestamp(d0)).days / 365.25
    if years <= 0:
        raise LookupError("securities: no observation before the window")
    return {
        "growth": (v1 / v0 - 1) * 100 / years,
        "change_pct": (v1 / v0 - 1) * 100,
        "start": d0,
        "end": d_(last),
        "start_level": v0,
        "end_level": v1,
        "change_bn": v1 - v0,
    }


def balance_sheet(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    g = securities_growth(d, th)
    ev = {k: (str(v) if isinstance(v, dt.date) else v) for k, v in g.items() if k != "growth"}
    return make(
        "balance_sheet",
        "easing",
        "policy",
        float(g["growth"]),  # type: ignore[arg-type]
        ">=",
        th.bs_significant_pct,
        "percent a year",
        {"TREAST": g["end"], "WSHOMCB": g["end"]},
        ev,
    )


def balance_sheet_shrinking(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    g = securities_growth(d, th)
    ev = {k: (str(v) if isinstance(v, dt.date) else v) for k, v in g.items() if k != "growth"}
    assets = d["WALCL"]
    a0, _ = at(assets, g["start"])
    a1, a_date = at(assets, g["end"])
    ev["assets_change_bn"] = a1 - a0
    c = make(
        "balance_sheet_shrinking",
        "tightening",
        "policy",
        float(g["growth"]),  # type: ignore[arg-type]
        "<=",
        th.bs_shrinking_pct,
        "percent a year",
        {"TREAST": g["end"], "WSHOMCB": g["end"], "WALCL": a_date},
        ev,
    )
    change = float(g["change_bn"])  # type: ignore[arg-type]
    if c.met and a1 - a0 > th.bs_assets_share * change:  # securities sold to fund lending
        from dataclasses import replace

        return replace(c, met=False).with_note(
            "notes.checklist.composition", assets=round(a1 - a0), securities=round(change)
        )
    return c


def _rate_change(d: Mapping[str, pd.Series], th: Thresholds) -> tuple[float, dict, dt.date]:
    import pandas as pd

    s = d["DFF"]
    last = s.index[-1]
    window = pd.Timedelta(days=th.rate_avg_days)
    then = last - pd.DateOffset(months=th.rate_window_months)
    now_avg = float(s.loc[last - window + pd.Timedelta(days=1) :].mean())
    then_part = s.loc[then - window + pd.Timedelta(days=1) : then]
    if then_part.empty:
        raise LookupError(f"DFF: no observations around {d_(then)}")
    then_avg = float(then_part.mean())
    evidence = {"now_avg": now_avg, "then_avg": then_avg, "then": str(d_(then)), "now": d_(last)}
    evidence["now"] = str(evidence["now"])
    return now_avg - then_avg, evidence, d_(last)


def rate_cut(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    change, ev, last = _rate_change(d, th)
    return make(
        "rate_cut",
        "easing",
        "policy",
        change,
        "<=",
        -th.rate_step_pp,
        "percentage points",
        {"DFF": last},
        ev,
    )


def rate_hike(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    change, ev, last = _rate_change(d, th)
    return make(
        "rate_hike",
        "tightening",
        "policy",
        change,
        ">=",
        th.rate_step_pp,
        "percentage points",
        {"DFF": last},
        ev,
    )


def fiscal_year_gdp(gdp: pd.Series, fy_end: pd.Timestamp) -> tuple[float, int]:
    """Average GDP (annual rate) of the quarters in the fiscal year ending ``fy_end`` (the
    latest four quarters when none is published yet) and how many quarters that is."""
    import pandas as pd

    q = gdp[(gdp.index > fy_end - pd.DateOffset(years=1)) & (gdp.index <= fy_end)]
    if q.empty:
        q = gdp.iloc[-4:]
    return float(q.mean()), len(q)


def deficit(d: Mapping[str, pd.Series], th: Thresholds, day: dt.date) -> Condition:
    fy = d["FYFSD"]
    balance, fy_end = float(fy.iloc[-1]), fy.index[-1]
    gdp_bn, n = fiscal_year_gdp(d["GDP"], fy_end)
    return make(
        "deficit",
        "fiscal",
        "policy",
        -balance / gdp_bn * 100,
        ">=",
        th.deficit_pct_gdp,
        "percent of GDP",
        {"FYFSD": fy_end},
        {"balance_bn": balance, "gdp_bn": gdp_bn, "fiscal_year": fy_end.year, "gdp_quarters": n},
    )
