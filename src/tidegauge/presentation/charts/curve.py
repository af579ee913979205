"""The yield-curve chart: the 10-year minus 2-year spread since 1976, inversions shaded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...i18n import t
from ..fmt import fmt_date
from . import chart_lang, downsample, explore, finish, source_line, title, vl

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["curve_chart"]


def curve_chart(spread: pd.Series, inversions: list[dict[str, Any]], lang: str = "en") -> Any:
    """DGS10 − DGS2 (percentage points) with a zero line and each inversion shaded."""
    import pandas as pd

    lg = chart_lang(lang)
    s = downsample(spread.dropna(), max_points=1500)
    df = pd.DataFrame({"date": s.index, "value": s.to_numpy()})
    shades = pd.DataFrame(
        {"start": [e["start"] for e in inversions], "end": [e["end"] for e in inversions]}
    )
    bands = (
        vl.Chart(shades)
        .mark_rect(color="#d62728", opacity=0.15)
        .encode(x=vl.X("start:T"), x2=vl.X2("end:T"))
    )
    zero = vl.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#444").encode(y=vl.Y("y:Q"))
    line = (
        vl.Chart(df)
        .mark_line(strokeWidth=1.3, color="#1f4e79")
        .encode(
            x=vl.X("date:T", title=None, axis=vl.Axis(format="%Y", labelAngle=0)),
            y=vl.Y("value:Q", title=t("curve.axis", lg)),
        )
    )
    # the nearest date's spread in a tooltip (dates in the page's language), zoom and pan
    hover = explore(df, lg, key=None, fmt="+.2f", title=t("curve.figure", lg))
    as_of = fmt_date(spread.dropna().index[-1].date(), lg)
    chart = vl.layer(bands, zero, line, hover).properties(
        title=title(
            t("curve.chart_title", lg),
            [t("charts.unit_as_of", lg, unit=t("curve.axis", lg), date=as_of),
             t("curve.chart_note", lg)],
            source_line(["DGS10", "DGS2"], lg, "DGS10 − DGS2"),
        )
    )  # fmt: skip
    return finish(chart, lg)
