"""The checklist's verdict history: one coloured band a month, with the share of each side's
conditions met."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...i18n import t
from . import vl

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["VERDICT_COLOURS", "checklist_history_chart"]

VERDICT_COLOURS: dict[str, str] = {
    "recession": "#2a6fdb",
    "bubble": "#d62728",
    "mixed": "#f2b134",
    "not_easing": "#bbbbbb",
    "insufficient": "#eeeeee",
}


MIN_AVAILABLE = 3
"""Months with fewer available conditions on a side draw no share line."""


def checklist_history_chart(frame: pd.DataFrame, lang: str = "en") -> Any:
    """Bands coloured by the month-end verdict; lines: percent of the bubble side's and of the
    recession side's available conditions that are met."""
    import pandas as pd

    from ...analysis.checklist import INPUTS
    from . import chart_lang, finish, source_line, title, tooltip_date

    lg = chart_lang(lang)
    verdicts = list(VERDICT_COLOURS)
    names = {v: t(f"report.verdict.{v}", lg) for v in verdicts}
    start = pd.DatetimeIndex(frame.index) - pd.offsets.MonthBegin(1)
    bands = pd.DataFrame(
        {
            "start": start,
            "end": frame.index,
            "verdict": [names[v] for v in frame["verdict"]],
        }
    )
    enough = frame[["boom_available", "bust_available"]].min(axis=1) >= MIN_AVAILABLE
    share = pd.DataFrame(
        {
            "date": frame.index,
            t("judgment.side.bubble", lg): frame["boom_met"] / frame["boom_available"] * 100,
            t("judgment.side.recession", lg): frame["bust_met"] / frame["bust_available"] * 100,
        }
    )[enough.to_numpy()].melt("date", var_name="side", value_name="pct")
    band = (
        vl.Chart(bands)
        .mark_rect(opacity=0.45)
        .encode(
            x=vl.X("start:T", title=None, axis=vl.Axis(format="%Y-%m", labelOverlap=True)),
            x2=vl.X2("end:T"),
            color=vl.Color(
                "verdict:N",
                scale=vl.Scale(
                    domain=[names[v] for v in verdicts], range=list(VERDICT_COLOURS.values())
                ),
                title=t("judgment.checklist.col_verdict", lg),
            ),
            tooltip=[
                tooltip_date(lg, "end", month=True),
                vl.Tooltip("verdict:N", title=t("judgment.checklist.col_verdict", lg)),
            ],
        )
    )
    lines = (
        vl.Chart(share.dropna())
        .mark_line(strokeWidth=1.5)
        .encode(
            x=vl.X("date:T"),
            y=vl.Y("pct:Q", title="%", scale=vl.Scale(domain=[0, 100])),
            strokeDash=vl.StrokeDash("side:N", title=t("judgment.checklist.col_side", lg)),
            color=vl.value("#222"),
        )
    )
    from ..fmt import fmt_date

    last = fmt_date(frame.index[-1].date(), lg, precision="month")
    chart = vl.layer(band, lines).properties(
        title=title(
            t("judgment.checklist.history_title", lg),
            t("judgment.checklist.history_chart_sub", lg, date=last),
            source_line(INPUTS, lg),
        )
    )
    return finish(chart, lg, height=240)
