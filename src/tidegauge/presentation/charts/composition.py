"""The Fed's T-account: both sides of the balance sheet stacked over time, and where the change
in assets went over a window.

Each function returns a chart (:mod:`.vl`); write it with
:func:`tidegauge.presentation.charts.render`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...i18n import t
from ..fmt import fmt_date
from . import chart_lang, finish, source_line, title, tooltip_date, vl

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["composition_change_chart", "composition_chart"]

ASSET_ITEMS = ("treasuries", "mbs", "other")
LIABILITY_ITEMS = ("currency", "reserves", "tga", "on_rrp", "other")
COLORS = {
    "a_treasuries": "#1f4e79",
    "a_mbs": "#6baed6",
    "a_other": "#bdbdbd",
    "l_currency": "#8c564b",
    "l_reserves": "#2a9d8f",
    "l_tga": "#e07b00",
    "l_on_rrp": "#9467bd",
    "l_other": "#d9d9d9",
}
IDS = ("WALCL", "TREAST", "WSHOMCB", "WCURCIR", "WRBWFRBL", "WDTGAL", "RRPONTSYD")


def _label(col: str, lang: str) -> str:
    side = "assets" if col.startswith("a_") else "liabilities"
    return t(f"composition.item.{side}.{col[2:]}", lang)


def composition_chart(frame: pd.DataFrame, lang: str = "en", *, start: str = "2008-01-01") -> Any:
    """Assets (top) and liabilities (bottom) stacked, USD billions, every fourth Wednesday
    since ``start`` (ending on the latest).

    ``frame`` is :meth:`CompositionResult.to_frame`.
    """
    import pandas as pd

    lg = chart_lang(lang)
    df = frame.loc[pd.Timestamp(start) :]
    df = df.iloc[::-4].iloc[::-1] if len(df) > 300 else df  # every 4th week to the last one

    def panel(cols: list[str], heading: str) -> Any:
        # one wide row per week, folded in the browser: a third of the long form's weight
        wide = df[cols].round(3).reset_index(names="date")
        labels = [_label(c, lg) for c in cols]
        names = json.dumps(dict(zip(cols, labels, strict=True)), ensure_ascii=False)
        order = json.dumps({c: i for i, c in enumerate(cols)})
        return (
            vl.Chart(wide)
            .transform_fold(list[Any](cols), as_=["col", "value"])
            .transform_calculate(item=f"{names}[datum.col]", order=f"{order}[datum.col]")
            .mark_area()
            .encode(
                x=vl.X("date:T", title=None, axis=vl.Axis(format="%Y", labelAngle=0)),
                y=vl.Y("value:Q", stack=True, title=heading, axis=vl.Axis(format=",.0f")),
                color=vl.Color(
                    "item:N",
                    title=heading,
                    sort=labels,
                    scale=vl.Scale(domain=labels, range=[COLORS[c] for c in cols]),
                    legend=vl.Legend(orient="right"),
                ),
                order=vl.Order("order:Q"),
                tooltip=[
                    vl.Tooltip("item:N", title=heading),
                    tooltip_date(lg),
                    vl.Tooltip("value:Q", title=t("charts.value", lg), format=",.1f"),
                ],
            )
            .properties(width=560, height=190)
        )

    assets = panel([f"a_{k}" for k in ASSET_ITEMS], t("composition.assets", lg))
    liabilities = panel([f"l_{k}" for k in LIABILITY_ITEMS], t("composition.liabilities", lg))
    last = fmt_date(frame.index[-1].date(), lg)
    chart = (
        vl.vconcat(assets, liabilities)
        .resolve_scale(color="independent")
        .properties(
            title=title(
                t("charts.composition.title", lg),
                [
                    t("charts.unit_as_of", lg, unit=t("unit.USD billions", lg), date=last),
                    t("charts.composition.note", lg),
                ],
                source_line(IDS, lg),
            )
        )
    )
    from . import font_family

    family = font_family(lg)
    chart = chart.properties(usermeta={"tidegauge": {"lang": lg}})
    return (
        chart.configure(**({"font": family} if family else {}))
        .configure_view(stroke=None)
        .configure_legend(titleFontSize=11, labelFontSize=11, labelLimit=260)
    )


def composition_change_chart(change: Mapping[str, Any], lang: str = "en") -> Any:
    """Where the change in total assets over a window went: each item's change, USD billions
    (assets on top, liabilities below; the two groups each add up to the change in total assets).

    ``change`` is :meth:`CompositionResult.change`.
    """
    import pandas as pd

    lg = chart_lang(lang)
    rows = [
        {"item": _label(f"a_{k}", lg), "side": t("composition.assets", lg),
         "value": change["assets"][k], "color": COLORS[f"a_{k}"]}
        for k in ASSET_ITEMS
    ] + [
        {"item": _label(f"l_{k}", lg), "side": t("composition.liabilities", lg),
         "value": change["liabilities"][k], "color": COLORS[f"l_{k}"]}
        for k in LIABILITY_ITEMS
    ]  # fmt: skip
    df = pd.DataFrame(rows)
    df["label"] = [f"{v:+,.0f}" for v in df["value"]]
    order = list(df["item"])
    y = vl.Y("item:N", sort=order, title=None, axis=vl.Axis(labelLimit=360))
    bars = (
        vl.Chart(df)
        .mark_bar()
        .encode(
            x=vl.X("value:Q", title=t("charts.composition.change_axis", lg)),
            y=y,
            color=vl.Color("color:N", scale=None, legend=None),
            tooltip=[
                vl.Tooltip(
                    "side:N",
                    title=f"{t('composition.assets', lg)} / {t('composition.liabilities', lg)}",
                ),
                vl.Tooltip("item:N", title=t("charts.series", lg)),
                vl.Tooltip(
                    "value:Q", title=t("charts.composition.change_axis", lg), format="+,.1f"
                ),
            ],
        )
    )

    def labels(positive: bool) -> Any:  # outside the bar's end, on its side of zero
        keep = vl.datum.value >= 0 if positive else vl.datum.value < 0
        return (
            vl.Chart(df)
            .transform_filter(keep)
            .mark_text(align="left" if positive else "right", dx=4 if positive else -4, fontSize=11)
            .encode(x=vl.X("value:Q"), y=y, text=vl.Text("label:N"))
        )

    text = labels(True) + labels(False)
    zero = vl.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#333").encode(x=vl.X("x:Q"))
    chart = (bars + text + zero).properties(
        title=title(
            t("charts.composition.change_title", lg, start=change["start"], end=change["end"]),
            [
                t(
                    "charts.composition.change_subtitle",
                    lg,
                    total=f"{change['total']:+,.0f}",
                    unit=t("unit.USD billions", lg),
                ),
                t("charts.composition.note", lg),
            ],
            source_line(IDS, lg),
        )
    )
    return finish(chart, lg, height=260)
