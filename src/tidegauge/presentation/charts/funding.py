"""Funding stress chart: repo and fed funds against the interest rate on reserve balances.

Each function returns a chart (:mod:`.vl`); write it with
:func:`tidegauge.presentation.charts.render`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ...i18n import t
from ..fmt import fmt_date
from . import chart_lang, finish, source_line, title, tooltip_date, vl

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["funding_chart"]

COLORS = ("#1f4e79", "#e07b00", "#2a9d8f", "#8c564b", "#9467bd")


def _last(s: pd.Series, lang: str) -> str:
    return fmt_date(s.dropna().index[-1].date(), lang)


def funding_chart(frame: pd.DataFrame, lang: str = "en", *, start: str | None = None) -> Any:
    """Repo and fed funds against IORB (basis points): SOFR − IORB and EFFR − IORB, daily, with
    the target range and the ON RRP rate drawn relative to IORB.

    ``frame`` is :meth:`FundingResult.to_frame` (``sofr_iorb_bp``, ``effr_iorb_bp``,
    ``low_iorb_bp``, ``high_iorb_bp``, ``rrp_iorb_bp``).
    """
    import pandas as pd

    lg = chart_lang(lang)
    df = frame if start is None else frame.loc[pd.Timestamp(start) :]
    cols = {
        "sofr_iorb_bp": t("charts.funding.sofr", lg),
        "effr_iorb_bp": t("charts.funding.effr", lg),
        "rrp_iorb_bp": t("charts.funding.rrp", lg),
    }
    short = {"sofr_iorb_bp": "s", "effr_iorb_bp": "e", "rrp_iorb_bp": "r"}  # a lighter page
    wide = df[list(cols)].dropna(how="all").round(2).rename(columns=short).reset_index(names="date")
    names = json.dumps({short[c]: lab for c, lab in cols.items()}, ensure_ascii=False)
    band_df = df[["low_iorb_bp", "high_iorb_bp"]].dropna()
    band_df = band_df.loc[band_df.index >= df["sofr_iorb_bp"].dropna().index[0]]
    band_df = band_df.resample("W").last().dropna().reset_index(names="date")
    x = vl.X("date:T", title=None, axis=vl.Axis(format="%Y", labelAngle=0, tickCount="year"))
    band = (
        vl.Chart(band_df)
        .mark_area(opacity=0.12, color="#7f7f7f", interpolate="step-after")
        .encode(x=x, y=vl.Y("low_iorb_bp:Q"), y2=vl.Y2("high_iorb_bp:Q"))
    )
    zero = (
        vl.Chart(pd.DataFrame({"y": [0]}))
        .mark_rule(color="#333", strokeDash=[4, 3])
        .encode(y=vl.Y("y:Q"))
    )
    lines = (
        vl.Chart(wide)  # one wide row per day, folded in the browser (a lighter page)
        .transform_fold(list(short.values()), as_=["col", "value"])
        .transform_filter("isValid(datum.value)")
        .transform_calculate(series=f"{names}[datum.col]")
        .mark_line(strokeWidth=1.3)
        .encode(
            x=x,
            y=vl.Y("value:Q", title=t("charts.funding.axis", lg)),
            color=vl.Color(
                "series:N",
                title=None,
                scale=vl.Scale(domain=list(cols.values()), range=list(COLORS[:3])),
            ),
            tooltip=[
                vl.Tooltip("series:N", title=t("charts.series", lg)),
                tooltip_date(lg),
                vl.Tooltip("value:Q", title=t("charts.value", lg), format=".0f"),
            ],
        )
    )
    as_of = ", ".join(
        f"{lab} {_last(df[col], lg)}" for col, lab in cols.items() if not df[col].dropna().empty
    )
    chart = (band + zero + lines).properties(
        title=title(
            t("charts.funding.title", lg),
            [
                t("charts.unit_as_of", lg, unit=t("charts.funding.unit", lg), date=as_of),
                t("charts.funding.band", lg),
            ],
            source_line(["SOFR", "EFFR", "IORB", "RRPONTSYAWARD", "DFEDTARL", "DFEDTARU"], lg),
        )
    )
    return finish(chart, lg)
