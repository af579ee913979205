"""Net liquidity charts: weekly on Wednesday levels (with total assets and reserves) and daily
from the Daily Treasury Statement.

Each function returns a chart (:mod:`.vl`); write it with
:func:`tidegauge.presentation.charts.render`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...i18n import t
from ..fmt import fmt_date
from . import chart_lang, downsample, explore, finish, source_line, title, tooltip_date, vl

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["daily_net_liquidity_chart", "net_liquidity_chart"]

LINE_COLORS = ("#1f4e79", "#e07b00", "#2a9d8f", "#8c564b")


def _last(s: pd.Series, lang: str) -> str:
    """The date of the last observation, written for ``lang``."""
    return fmt_date(s.dropna().index[-1].date(), lang)


def net_liquidity_chart(
    net_liq: pd.DataFrame,
    lang: str = "en",
    *,
    start: str = "2008-01-01",
    ids: Sequence[str] = ("WALCL", "WDTGAL", "RRPONTSYD", "WRBWFRBL"),
) -> Any:
    """Fed total assets, net liquidity and bank reserves (USD billions, weekly).

    ``net_liq`` is :meth:`LiquidityResult.to_frame` (``walcl``, ``net_liquidity``, ``reserves``);
    ``ids`` are the series it was computed from (the source line names them).
    """
    import pandas as pd

    lg = chart_lang(lang)
    cols = {
        "walcl": t("charts.net_liquidity.walcl", lg),
        "net_liquidity": t("charts.net_liquidity.net", lg),
        "reserves": t("charts.net_liquidity.reserves", lg),
    }
    frames = []
    for col, lab in cols.items():
        s = downsample(net_liq[col].dropna().loc[pd.Timestamp(start) :])
        frames.append(pd.DataFrame({"date": s.index, "value": s.to_numpy(), "series": lab}))
    df = pd.concat(frames, ignore_index=True)
    unit = t("unit.USD billions", lg)
    as_of = ", ".join(f"{lab} {_last(net_liq[c], lg)}" for c, lab in cols.items() if c != "walcl")
    chart = (
        vl.Chart(df)
        .mark_line(strokeWidth=2)
        .encode(
            x=vl.X("date:T", title=None, axis=vl.Axis(format="%Y", labelAngle=0)),
            y=vl.Y(
                "value:Q", title=t("charts.net_liquidity.axis", lg), axis=vl.Axis(format=",.0f")
            ),
            color=vl.Color(
                "series:N",
                title=None,
                scale=vl.Scale(domain=list(cols.values()), range=list(LINE_COLORS[:3])),
            ),
            strokeDash=vl.condition(
                vl.datum.series == cols["walcl"], vl.value([5, 3]), vl.value([1, 0])
            ),
        )
    )
    # the nearest date: every line's value in a tooltip (translated, date localised); zoom/pan
    chart = vl.layer(chart, explore(df, lg)).properties(
        title=title(
            t("charts.net_liquidity.title", lg),
            [
                t("charts.unit_as_of", lg, unit=unit, date=as_of),
                t("charts.net_liquidity.formula", lg),
            ],
            source_line(list(ids), lg),
        )
    )
    return finish(chart, lg)


def daily_net_liquidity_chart(
    daily: pd.DataFrame, weekly: pd.DataFrame | None, lang: str = "en"
) -> Any:
    """Daily net liquidity (line) with the weekly figure on Wednesday levels (dots), USD billions.

    ``daily`` is :meth:`DailyNetLiquidity.to_frame`, ``weekly`` :meth:`LiquidityResult.to_frame`
    on the ``wednesday`` basis (``None``: no dots); the dots sit on the line on every Wednesday
    (the DTS balance equals WDTGAL).
    """
    import pandas as pd

    lg = chart_lang(lang)
    d = daily["net_liquidity"].dropna()
    w = weekly["net_liquidity"].dropna() if weekly is not None else d.iloc[:0]
    w = w.loc[(w.index >= d.index[0]) & (w.index <= d.index[-1])]
    lab_d = t("charts.net_liquidity_daily.daily", lg)
    lab_w = t("charts.net_liquidity_daily.weekly", lg)
    # one wide row per day ("d": daily, "w": the Wednesday's weekly figure or null), folded in
    # the browser: the report carries each date once
    frame = pd.DataFrame({"d": d.round(3), "w": w.round(3).reindex(d.index.union(w.index))})
    frame = frame.reset_index(names="date")
    names = json.dumps({"d": lab_d, "w": lab_w}, ensure_ascii=False)
    color = vl.Color(
        "series:N", title=None, scale=vl.Scale(domain=[lab_d, lab_w], range=list(LINE_COLORS[:2]))
    )
    x = vl.X("date:T", title=None, axis=vl.Axis(format="%Y-%m", labelAngle=0))
    y = vl.Y(
        "value:Q",
        title=t("charts.net_liquidity.axis", lg),
        scale=vl.Scale(zero=False),
        axis=vl.Axis(format=",.0f"),
    )
    tooltip: list[Any] = [
        vl.Tooltip("series:N", title=t("charts.series", lg)),
        tooltip_date(lg),
        vl.Tooltip("value:Q", title=t("charts.value", lg), format=",.1f"),
    ]
    base = (
        vl.Chart(frame)
        .transform_fold(["d", "w"], as_=["key", "value"])
        .transform_filter("isValid(datum.value)")
        .transform_calculate(series=f"{names}[datum.key]")
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    line = base.transform_filter(vl.datum.key == "d").mark_line(strokeWidth=1.5)
    dots = base.transform_filter(vl.datum.key == "w").mark_circle(size=22, opacity=0.9)
    last = daily.dropna(subset=["net_liquidity"]).iloc[-1]
    walcl_date = fmt_date(pd.Timestamp(last["walcl_date"]).date(), lg)
    as_of = f"{_last(daily['net_liquidity'], lg)} (WALCL {walcl_date})"
    chart = (line + dots).properties(
        title=title(
            t("charts.net_liquidity_daily.title", lg),
            [
                t("charts.unit_as_of", lg, unit=t("unit.USD billions", lg), date=as_of),
                t("charts.net_liquidity_daily.formula", lg),
            ],
            source_line(["WALCL", "DTS_TGA", "RRPONTSYD", "WDTGAL"], lg),
        )
    )
    return finish(chart, lg)
