"""Central banks side by side: Fed, ECB and BOJ total assets as % of GDP and as an index."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...errors import NoDataError
from ...i18n import t
from . import chart_lang, downsample, source_line, title, tooltip_date, vl

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BANK_COLORS", "cb_gdp_chart"]

LINE_COLORS = ("#1f4e79", "#e07b00", "#2a9d8f", "#8c564b")


def _as_of(s: pd.Series, lang: str = "en") -> str:
    from ..fmt import fmt_date

    return fmt_date(s.dropna().index[-1].date(), lang)


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
    color = vl.Color(
        "bank:N",
        title=None,
        scale=vl.Scale(
            domain=[bank_name(b) for b in all_used],
            range=[BANK_COLORS.get(b, "#555") for b in all_used],
        ),
    )
    x = vl.X("date:T", title=None, axis=vl.Axis(format="%Y", labelAngle=0))
    panels = []
    height = DEFAULT_HEIGHT if not (pct_used and idx_used) else int(DEFAULT_HEIGHT * 0.75)
    if pct_used:
        panels.append(
            vl.Chart(
                pct_df,
                title=vl.TitleParams(t("banks.chart.pct_title", lg), fontSize=12, anchor="start"),
            )
            .mark_line(strokeWidth=2)
            .encode(
                x=x,
                y=vl.Y("value:Q", title=t("banks.chart.pct_axis", lg)),
                color=color,
                tooltip=[
                    vl.Tooltip("bank:N", title=t("charts.bank", lg)),
                    tooltip_date(lg),
                    vl.Tooltip("value:Q", title=t("banks.chart.pct_axis", lg), format=".1f"),
                ],
            )
            .properties(width=DEFAULT_WIDTH, height=height)
        )
    if idx_used:
        first_date = start or min(levels[b].dropna().index[0] for b in idx_used).date().isoformat()  # type: ignore[index]
        rule = (
            vl.Chart(pd.DataFrame({"y": [100.0]}))
            .mark_rule(color="#999", strokeDash=[4, 4])
            .encode(y=vl.Y("y:Q"))
        )
        lines = (
            vl.Chart(idx_df)
            .mark_line(strokeWidth=2)
            .encode(
                x=x,
                y=vl.Y("value:Q", title=t("banks.chart.index_axis", lg)),
                color=color,
                tooltip=[
                    vl.Tooltip("bank:N", title=t("charts.bank", lg)),
                    tooltip_date(lg),
                    vl.Tooltip("value:Q", title=t("banks.chart.index_axis", lg), format=".1f"),
                ],
            )
        )
        panels.append(
            vl.layer(
                rule,
                lines,
                title=vl.TitleParams(
                    t("banks.chart.index_title", lg, start=first_date), fontSize=12, anchor="start"
                ),
            ).properties(width=DEFAULT_WIDTH, height=height)
        )
    source_df = levels if levels is not None and not levels.empty else pct_gdp
    dates = ", ".join(
        f"{bank_name(b)} {_as_of(source_df[b], lg)}" for b in all_used if b in source_df
    )
    subtitle = [t("banks.chart.as_of", lg, dates=dates)]
    if no_gdp:
        subtitle.append(t("banks.chart.no_gdp", lg, banks=", ".join(bank_name(b) for b in no_gdp)))
    if missing:
        subtitle.append(
            t("banks.chart.missing", lg, banks=", ".join(bank_name(b) for b in missing))
        )
    ids = [_BANK_IDS[b][0] for b in idx_used or pct_used if b in _BANK_IDS]
    ids += [_BANK_IDS[b][1] for b in pct_used if b in _BANK_IDS]
    chart = vl.vconcat(*panels, spacing=28).properties(
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
