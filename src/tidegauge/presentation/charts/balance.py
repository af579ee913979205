"""Balance-sheet charts: Fed assets with episodes, two series rebased (net liquidity is in
:mod:`.liquidity`, central banks as % of GDP in :mod:`.banks`).

Each function returns a chart (:mod:`.vl`); write it with
:func:`tidegauge.presentation.charts.render`.
Labels come from the message catalog; a Chinese chart falls back to English (with
:class:`~tidegauge.presentation.charts.MissingCJKFontWarning`) when no CJK font exists.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from ...i18n import t
from . import chart_lang, downsample, explore, finish, source_line, title, tooltip_date, vl
from .banks import cb_gdp_chart  # the central-bank chart lives in banks.py

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["cb_gdp_chart", "fed_assets_chart", "rebased_chart"]

KIND_COLORS: dict[str, str] = {
    "QE": "#2ca02c",
    "QT": "#d62728",
    "lending": "#ff7f0e",
    "reserve_management": "#9467bd",
}
"""Shading colour per episode kind (flat/reinvestment periods are not shaded)."""

LINE_COLORS = ("#1f4e79", "#e07b00", "#2a9d8f", "#8c564b")


def _as_of(s: pd.Series, lang: str = "en", end: Any = None) -> str:
    """The day of the last observation of ``s`` (through ``end``), for ``lang``."""
    from ..fmt import fmt_date

    return fmt_date(_last_day(s, end).date(), lang)


def _last_day(s: pd.Series, end: Any = None) -> Any:
    """``s.loc[:end].dropna().index[-1]``: a binary search and a look back on a sorted float
    series of dates (pandas slices and copies the series twice)."""
    import numpy as np
    import pandas as pd

    index = s.index
    if (
        isinstance(index, pd.DatetimeIndex)
        and index.tz is None
        and s.dtype == np.float64
        and index.is_monotonic_increasing
    ):
        n = len(s) if end is None else int(index.searchsorted(pd.Timestamp(end), side="right"))
        present = np.flatnonzero(~np.isnan(s.to_numpy()[:n]))
        if len(present):
            return index[present[-1]]
    part = s.loc[:end] if end is not None else s
    return part.dropna().index[-1]


def _day(ts: Any, lang: str) -> str:
    from ..fmt import fmt_date

    return fmt_date(ts.date(), lang)


def _label_y(view: str, top: float, lo: float, row: int) -> float:
    """Height of a program label in label row ``row`` (0 = top) for the chart's y scale."""
    if view == "log":
        return top / (1.18 ** (row + 0.5))
    if view == "yoy":
        return top - (top - lo) * (0.025 + 0.055 * row)
    return top * (0.975 - 0.055 * row)


def fed_assets_chart(
    assets: pd.Series,
    episodes: pd.DataFrame | None,
    lang: str = "en",
    *,
    start: str = "2008-01-01",
    label_rows: int = 3,
    view: str = "level",
) -> Any:
    """Fed total assets (USD billions) since ``start`` with episodes shaded by kind and labelled.

    Parameters
    ----------
    assets
        WALCL in USD billions.
    episodes
        ``kind``, ``start``, ``end``, ``program`` (e.g. ``fed_regimes(tg).episodes``); ``flat``
        episodes are not shaded.
    lang
        Label language.
    start
        First date shown.
    label_rows
        Program labels are staggered over this many rows so neighbours do not overlap.
    view
        ``level`` (USD billions), ``log`` (the same on a log scale: equal steps are equal
        percentage changes) or ``yoy`` (percent change over 52 weeks).
    """
    import pandas as pd

    lg = chart_lang(lang)
    full = assets.dropna()
    axis_title = t("charts.fed_assets.axis", lg)
    if view == "yoy":  # weekly data: 52 observations back is a year
        full = (full / full.shift(52) - 1).dropna() * 100
        axis_title = t("charts.fed_assets.axis_yoy", lg)
    s = downsample(full.loc[pd.Timestamp(start) :])
    line_df = pd.DataFrame({"date": s.index, "value": s.to_numpy()})
    lo, hi = float(s.min()), float(s.max())
    if view == "log":
        top = hi * 2.2  # headroom on a log scale: the label rows sit above the line
        y_scale = vl.Scale(type="log", domain=[lo * 0.8, top], nice=False)
    elif view == "yoy":
        top = hi + (hi - lo) * 0.25
        y_scale = vl.Scale(domain=[lo - (hi - lo) * 0.05, top], nice=False)
    else:
        top = hi * 1.25
        y_scale = vl.Scale(domain=[0, top], nice=False)
    x = vl.X("date:T", title=None, axis=vl.Axis(format="%Y", labelAngle=0, tickCount=12))
    line = (
        vl.Chart(line_df)
        .mark_line(color=LINE_COLORS[0], strokeWidth=2)
        .encode(
            x=x,
            y=vl.Y(
                "value:Q",
                title=axis_title,
                scale=y_scale,
                axis=vl.Axis(format=",.0f"),
            ),
        )
    )
    hover = explore(line_df, lg, key=None, title=axis_title)
    layers: list[Any] = []
    if episodes is not None and not episodes.empty:
        eps = episodes[episodes["kind"].isin(list(KIND_COLORS))].copy()
        eps["start"] = pd.to_datetime(eps["start"])
        eps["end"] = pd.to_datetime(eps["end"]).fillna(s.index[-1])
        eps = eps[eps["end"] >= s.index[0]].sort_values("start").reset_index(drop=True)
        eps["start"] = eps["start"].clip(lower=s.index[0])
        kinds = [k for k in KIND_COLORS if k in set(eps["kind"])]
        eps["kind_label"] = [t(f"charts.kind.{k}", lg) for k in eps["kind"]]
        eps["label"] = [
            p if isinstance(p, str) and p else "" for p in eps.get("program", [None] * len(eps))
        ]
        eps["mid"] = eps["start"] + (eps["end"] - eps["start"]) / 2
        eps["label_y"] = [_label_y(view, top, lo, i % label_rows) for i in range(len(eps))]
        color = vl.Color(
            "kind_label:N",
            title=t("charts.episode", lg),
            scale=vl.Scale(
                domain=[t(f"charts.kind.{k}", lg) for k in kinds],
                range=[KIND_COLORS[k] for k in kinds],
            ),
        )
        rect_df = eps[["start", "end", "kind_label", "label"]]
        layers.append(
            vl.Chart(rect_df)
            .mark_rect(opacity=0.18)
            .encode(
                x=vl.X("start:T"),
                x2=vl.X2("end:T"),
                color=color,
                tooltip=[
                    vl.Tooltip("label:N", title=t("charts.episode", lg)),
                    vl.Tooltip("kind_label:N", title=t("charts.kind_title", lg)),
                    tooltip_date(lg, "start"),
                    tooltip_date(lg, "end"),
                ],
            )
        )
        # labels near either edge are anchored inside the plot instead of centred on the episode
        span = s.index[-1] - s.index[0]
        lab_df = eps.loc[eps["label"] != "", ["start", "end", "mid", "label_y", "label"]]
        near_right = lab_df["mid"] > s.index[-1] - span * 0.04
        near_left = lab_df["mid"] < s.index[0] + span * 0.04
        placements: list[tuple[pd.DataFrame, Literal["left", "center", "right"], str]] = [
            (lab_df[~near_right & ~near_left], "center", "mid"),
            (lab_df[near_right], "right", "end"),
            (lab_df[near_left & ~near_right], "left", "start"),
        ]
        for part, align, xcol in placements:
            if part.empty:
                continue
            layers.append(
                vl.Chart(part[[xcol, "label_y", "label"]])
                .mark_text(fontSize=10, fontWeight="bold", color="#333", align=align)
                .encode(
                    x=vl.X(f"{xcol}:T"),
                    y=vl.Y("label_y:Q", scale=y_scale),
                    text=vl.Text("label:N"),
                )
            )
    unit = t("unit.USD billions" if view != "yoy" else "unit.percent", lg)
    notes = [t(f"charts.view.{view}", lg)] if view in ("log", "yoy") else []
    chart = vl.layer(*layers, line, hover).properties(
        title=title(
            t("charts.fed_assets.title", lg),
            [
                t("charts.unit_as_of", lg, unit=unit, date=_as_of(assets, lg)),
                *notes,
                t("charts.fed_assets.episodes_note", lg),
            ],
            source_line(["WALCL"], lg),
        )
    )
    return finish(chart, lg)


def rebased_chart(
    a: pd.Series,
    b: pd.Series,
    lang: str = "en",
    labels: Sequence[str] | None = None,
    *,
    start: Any = None,
    end: Any = None,
    view: str = "level",
) -> Any:
    """Two series rebased to 100 at their observation on or before ``start`` (``view="log"``:
    on a log scale, where equal steps are equal percentage changes).

    Parameters
    ----------
    a, b
        Series named by their catalog ids (the names go into the source line).
    labels
        Display names of ``a`` and ``b`` (default: the catalog names in ``lang``).
    start, end
        Window (default: from the later of the two first observations to the end of both).
    """
    import pandas as pd

    from ...analysis.returns import TOTAL_RETURN_IDS, rebase
    from ...catalog import CATALOG

    lg = chart_lang(lang)
    ids = [str(a.name), str(b.name)]
    if labels is None:
        labels = [
            CATALOG[i].label(lg)
            if i in CATALOG
            else t("charts.sp500tr", lg)
            if i.upper() in TOTAL_RETURN_IDS
            else i
            for i in ids
        ]
    src_ids = [
        j
        for i in ids
        for j in (["SPX_SHILLER", "SPX_DIV"] if i.upper() in TOTAL_RETURN_IDS else [i])
    ]
    w0 = pd.Timestamp(start) if start is not None else max(a.dropna().index[0], b.dropna().index[0])
    w1 = pd.Timestamp(end) if end is not None else None
    df = _long_frame([downsample(rebase(s, w0, w1)) for s in (a, b)], labels)
    chart = (
        vl.Chart(df)
        .mark_line(strokeWidth=2)
        .encode(
            x=vl.X("date:T", title=None, axis=vl.Axis(labelAngle=0, format="%Y-%m")),
            y=vl.Y(
                "value:Q",
                title=t("charts.rebased.axis", lg),
                scale=vl.Scale(type="log") if view == "log" else vl.Scale(zero=False),
            ),
            color=vl.Color(
                "series:N",
                title=None,
                scale=vl.Scale(domain=list(labels), range=list(LINE_COLORS[:2])),
            ),
        )
    )
    rule = vl.Chart(_hundred()).mark_rule(color="#999", strokeDash=[4, 4]).encode(y=vl.Y("y:Q"))
    chart = vl.layer(rule, chart, explore(df, lg, fmt=".1f")).properties(
        title=title(
            t("charts.rebased.title", lg, a=labels[0], b=labels[1]),
            [
                t(
                    "charts.rebased.subtitle",
                    lg,
                    start=_day(w0, lg),
                    a_date=_as_of(a, lg, w1),
                    b_date=_as_of(b, lg, w1),
                ),
                *([t("charts.view.log", lg)] if view == "log" else []),
            ],
            source_line(src_ids, lg),
        )
    )
    return finish(chart, lg)


@functools.cache
def _hundred() -> pd.DataFrame:
    """The rule at 100 of every rebased chart (one frame, only read)."""
    import pandas as pd

    return pd.DataFrame({"y": [100.0]})


def _long_frame(parts: Sequence[pd.Series], labels: Sequence[str]) -> pd.DataFrame:
    """``date``, ``value`` and ``series`` (the label) of every part, one after the other: the
    frame ``pd.concat`` of one frame per part gives, built from the arrays at once (parts of one
    index and value type with a str label each; others go through ``pd.concat``)."""
    import numpy as np
    import pandas as pd

    if (
        all(len(r) for r in parts)
        and all(isinstance(lab, str) for lab in labels)
        and all(isinstance(r.index, pd.DatetimeIndex) and r.index.tz is None for r in parts)
        and len({r.index.dtype for r in parts}) == 1
        and {r.dtype for r in parts} == {np.dtype(np.float64)}
    ):
        which = np.repeat(np.arange(len(parts)), [len(r) for r in parts])
        return pd.DataFrame(
            {
                "date": np.concatenate([r.index.to_numpy() for r in parts]),
                "value": np.concatenate([r.to_numpy() for r in parts]),
                "series": pd.array(list(labels), dtype="str").take(which),  # (not per element)
            }
        )
    frames = [
        pd.DataFrame({"date": r.index, "value": r.to_numpy(), "series": lab})
        for r, lab in zip(parts, labels, strict=True)
    ]
    return pd.concat(frames, ignore_index=True)
