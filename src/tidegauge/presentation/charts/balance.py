"""Balance-sheet charts: Fed assets with episodes, two series rebased, central banks as % of GDP
(net liquidity is in :mod:`.liquidity`).

Each function returns an Altair chart; write it with :func:`tidegauge.presentation.charts.render`.
Labels come from the message catalog; a Chinese chart falls back to English (with
:class:`~tidegauge.presentation.charts.MissingCJKFontWarning`) when no CJK font exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from ...errors import NoDataError
from ...i18n import t
from . import chart_lang, downsample, finish, source_line, title

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


def _as_of(s: pd.Series) -> str:
    return s.dropna().index[-1].date().isoformat()


def fed_assets_chart(
    assets: pd.Series,
    episodes: pd.DataFrame | None,
    lang: str = "en",
    *,
    start: str = "2008-01-01",
    label_rows: int = 3,
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
    """
    import altair as alt
    import pandas as pd

    lg = chart_lang(lang)
    s = downsample(assets.dropna().loc[pd.Timestamp(start) :])
    line_df = pd.DataFrame({"date": s.index, "value": s.to_numpy()})
    top = float(s.max()) * 1.25  # headroom: the label rows sit above the line
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%Y", labelAngle=0, tickCount=12))
    y_scale = alt.Scale(domain=[0, top], nice=False)
    line = (
        alt.Chart(line_df)
        .mark_line(color=LINE_COLORS[0], strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y(
                "value:Q",
                title=t("charts.fed_assets.axis", lg),
                scale=y_scale,
                axis=alt.Axis(format=",.0f"),
            ),
            tooltip=[
                alt.Tooltip("date:T", title=t("charts.date", lg)),
                alt.Tooltip("value:Q", format=",.1f", title=t("charts.fed_assets.axis", lg)),
            ],
        )
    )
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
        eps["label_y"] = [top * (0.975 - 0.055 * (i % label_rows)) for i in range(len(eps))]
        color = alt.Color(
            "kind_label:N",
            title=t("charts.episode", lg),
            scale=alt.Scale(
                domain=[t(f"charts.kind.{k}", lg) for k in kinds],
                range=[KIND_COLORS[k] for k in kinds],
            ),
        )
        rect_df = eps[["start", "end", "kind_label", "label"]]
        layers.append(
            alt.Chart(rect_df)
            .mark_rect(opacity=0.18)
            .encode(
                x="start:T",
                x2="end:T",
                color=color,
                tooltip=[
                    alt.Tooltip("label:N", title=t("charts.episode", lg)),
                    alt.Tooltip("kind_label:N", title=t("charts.series", lg)),
                    alt.Tooltip("start:T"),
                    alt.Tooltip("end:T"),
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
                alt.Chart(part[[xcol, "label_y", "label"]])
                .mark_text(fontSize=10, fontWeight="bold", color="#333", align=align)
                .encode(x=f"{xcol}:T", y=alt.Y("label_y:Q", scale=y_scale), text="label:N")
            )
    unit = t("unit.USD billions", lg)
    chart = alt.layer(*layers, line).properties(
        title=title(
            t("charts.fed_assets.title", lg),
            [
                t("charts.unit_as_of", lg, unit=unit, date=_as_of(assets)),
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
) -> Any:
    """Two series rebased to 100 at their observation on or before ``start``.

    Parameters
    ----------
    a, b
        Series named by their catalog ids (the names go into the source line).
    labels
        Display names of ``a`` and ``b`` (default: the catalog names in ``lang``).
    start, end
        Window (default: from the later of the two first observations to the end of both).
    """
    import altair as alt
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
    frames = []
    for s, lab in zip((a, b), labels, strict=True):
        r = downsample(rebase(s, w0, w1))
        frames.append(pd.DataFrame({"date": r.index, "value": r.to_numpy(), "series": lab}))
    df = pd.concat(frames, ignore_index=True)
    chart = (
        alt.Chart(df)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(labelAngle=0, format="%Y-%m")),
            y=alt.Y("value:Q", title=t("charts.rebased.axis", lg), scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(labels), range=list(LINE_COLORS[:2])),
            ),
            tooltip=["series:N", "date:T", alt.Tooltip("value:Q", format=".1f")],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"y": [100.0]}))
        .mark_rule(color="#999", strokeDash=[4, 4])
        .encode(y="y:Q")
    )
    chart = alt.layer(rule, chart).properties(
        title=title(
            t("charts.rebased.title", lg, a=labels[0], b=labels[1]),
            t(
                "charts.rebased.subtitle",
                lg,
                start=w0.date().isoformat(),
                a_date=_as_of(a.loc[:w1] if w1 is not None else a),
                b_date=_as_of(b.loc[:w1] if w1 is not None else b),
            ),
            source_line(src_ids, lg),
        )
    )
    return finish(chart, lg)


BANK_COLORS: dict[str, str] = {"fed": LINE_COLORS[0], "ecb": LINE_COLORS[1], "boj": LINE_COLORS[2]}
"""Line colour per central bank (the same in both panels of :func:`cb_gdp_chart`)."""

_BANK_IDS: dict[str, list[str]] = {
    "fed": ["WALCL", "GDP"],
    "ecb": ["ECBASSETSW", "EUNNGDP"],
    "boj": ["JPNASSETS", "JPNNGDP"],
}


def cb_gdp_chart(
    pct_gdp: pd.DataFrame,
    lang: str = "en",
    *,
    levels: pd.DataFrame | None = None,
    no_gdp: Sequence[str] = (),
    missing: Sequence[str] = (),
    start: str | None = None,
) -> Any:
    """Fed, ECB and BOJ total assets: as % of nominal GDP and, below, as an index.

    The top panel draws each bank column of ``pct_gdp`` (percent of the GDP published by each
    date, annual rate). A share of GDP needs the economy's GDP, which is not always available
    (the offline mirror has US GDP only), so the bottom panel draws every bank of ``levels``
    (total assets in billions of own currency) rebased to 100 at its first row: growth that can
    be compared across currencies, labelled as an index, never mixed with the percentages.

    Parameters
    ----------
    pct_gdp
        One column per bank (``fed``, ``ecb``, ``boj``), percent of GDP.
    levels
        One column per bank, own currency, starting at each bank's base observation
        (:attr:`BalanceSheetsResult.levels`); ``None`` draws the top panel only.
    no_gdp, missing
        Banks with assets but no GDP, and banks with no assets data: named in the subtitle.
    start
        The start date named in the index panel's title (default: the first date of ``levels``).
    """
    import altair as alt
    import pandas as pd

    from . import DEFAULT_HEIGHT, DEFAULT_WIDTH, font_family

    lg = chart_lang(lang)

    def bank_name(b: str) -> str:
        return t(f"liquidity.bank.{b}", lg)

    def frame(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        parts, used = [], []
        for bank in df.columns:
            s = downsample(df[bank].dropna())
            if s.empty:
                continue
            parts.append(
                pd.DataFrame({"date": s.index, "value": s.to_numpy(), "bank": bank_name(bank)})
            )
            used.append(bank)
        return (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()), used

    pct_df, pct_used = frame(pct_gdp)
    idx_df, idx_used = pd.DataFrame(), list[str]()
    if levels is not None and not levels.empty:
        first = levels.apply(lambda c: c.dropna().iloc[0] if c.notna().any() else float("nan"))
        idx_df, idx_used = frame(levels / first * 100.0)
    if not pct_used and not idx_used:
        raise NoDataError.t("errors.data.no_central_banks")
    all_used = list(dict.fromkeys([*pct_used, *idx_used]))
    color = alt.Color(
        "bank:N",
        title=None,
        scale=alt.Scale(
            domain=[bank_name(b) for b in all_used],
            range=[BANK_COLORS.get(b, "#555") for b in all_used],
        ),
    )
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%Y", labelAngle=0))
    panels = []
    height = DEFAULT_HEIGHT if not (pct_used and idx_used) else int(DEFAULT_HEIGHT * 0.75)
    if pct_used:
        panels.append(
            alt.Chart(
                pct_df,
                title=alt.TitleParams(t("banks.chart.pct_title", lg), fontSize=12, anchor="start"),
            )
            .mark_line(strokeWidth=2)
            .encode(
                x=x,
                y=alt.Y("value:Q", title=t("banks.chart.pct_axis", lg)),
                color=color,
                tooltip=["bank:N", "date:T", alt.Tooltip("value:Q", format=".1f")],
            )
            .properties(width=DEFAULT_WIDTH, height=height)
        )
    if idx_used:
        first_date = start or min(levels[b].dropna().index[0] for b in idx_used).date().isoformat()  # type: ignore[index]
        rule = (
            alt.Chart(pd.DataFrame({"y": [100.0]}))
            .mark_rule(color="#999", strokeDash=[4, 4])
            .encode(y="y:Q")
        )
        lines = (
            alt.Chart(idx_df)
            .mark_line(strokeWidth=2)
            .encode(
                x=x,
                y=alt.Y("value:Q", title=t("banks.chart.index_axis", lg)),
                color=color,
                tooltip=["bank:N", "date:T", alt.Tooltip("value:Q", format=".1f")],
            )
        )
        panels.append(
            alt.layer(
                rule,
                lines,
                title=alt.TitleParams(
                    t("banks.chart.index_title", lg, start=first_date), fontSize=12, anchor="start"
                ),
            ).properties(width=DEFAULT_WIDTH, height=height)
        )
    source_df = levels if levels is not None and not levels.empty else pct_gdp
    dates = ", ".join(f"{bank_name(b)} {_as_of(source_df[b])}" for b in all_used if b in source_df)
    subtitle = [t("banks.chart.as_of", lg, dates=dates)]
    if no_gdp:
        subtitle.append(t("banks.chart.no_gdp", lg, banks=", ".join(bank_name(b) for b in no_gdp)))
    if missing:
        subtitle.append(
            t("banks.chart.missing", lg, banks=", ".join(bank_name(b) for b in missing))
        )
    ids = [_BANK_IDS[b][0] for b in idx_used or pct_used if b in _BANK_IDS]
    ids += [_BANK_IDS[b][1] for b in pct_used if b in _BANK_IDS]
    chart = alt.vconcat(*panels, spacing=28).properties(
        title=title(t("banks.chart.title", lg), subtitle, source_line(ids, lg)),
        usermeta={"tidegauge": {"lang": lg}},
    )
    family = font_family(lg)
    cfg: dict[str, Any] = {"font": family} if family else {}
    return (
        chart.configure(**cfg)
        .configure_view(stroke=None)
        .configure_legend(orient="top", labelLimit=320, titleFontSize=11, labelFontSize=11)
    )
