"""Real-rate charts: 10-year nominal / TIPS / breakeven, realised real policy rate versus r*
with the historical episodes shaded, and the 5y5y forward breakeven.

Each ``*_chart`` function returns a chart (:mod:`.vl`); :func:`write_chart` builds one from the wide
input frame and writes it with :func:`tidegauge.presentation.charts.render`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ...analysis.realrates import (
    DEFAULT_NEUTRAL_BAND,
    DEFAULT_RSTAR,
    MarketRates,
    RealisedRates,
    market_rates,
    realised_real_rates,
)
from ...analysis.realrates_history import EPISODES
from ...errors import UsageError
from ...i18n import t
from . import chart_lang, downsample, explore, finish, render, source_line, title, vl

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CHARTS", "forward_chart", "market_chart", "policy_chart", "write_chart"]

COLORS = {
    "nominal_10y": "#1f4e79",
    "tips_10y": "#2a9d8f",
    "breakeven_10y": "#e07b00",
    "real_policy_rate": "#1f4e79",
    "forward": "#e07b00",
    "published": "#7f7f7f",
}
EPISODE_COLORS = {
    "great_inflation": "#d62728",
    "volcker": "#2ca02c",
    "zero_bound": "#9467bd",
    "post_pandemic": "#d62728",
    "since_2023": "#2ca02c",
}


def _as_of(s: pd.Series, lang: str = "en") -> str:
    from ..fmt import fmt_date

    return fmt_date(s.dropna().index[-1].date(), lang)


def _long(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Wide → long (date, value, series label) after weekly/monthly display downsampling."""
    import pandas as pd

    parts = []
    for col, label in columns.items():
        s = downsample(frame[col].dropna(), max_points=1300)
        parts.append(pd.DataFrame({"date": s.index, "value": s.to_numpy(), "series": label}))
    return pd.concat(parts, ignore_index=True)


def _zero_rule() -> Any:
    import pandas as pd

    return (
        vl.Chart(pd.DataFrame({"y": [0.0]}))
        .mark_rule(color="#444", strokeWidth=1)
        .encode(y=vl.Y("y:Q"))
    )


def market_chart(market: MarketRates, lang: str = "en", *, start: str = "2003-01-01") -> Any:
    """10-year nominal Treasury yield, TIPS real yield and their difference, the breakeven."""
    import pandas as pd

    lg = chart_lang(lang)
    f = market.frame.loc[pd.Timestamp(start) :]
    cols = {c: t(f"realrates.figure.{c}", lg) for c in ("nominal_10y", "tips_10y", "breakeven_10y")}
    df = _long(f, cols)
    lines = (
        vl.Chart(df)
        .mark_line(strokeWidth=1.6)
        .encode(
            x=vl.X("date:T", title=None, axis=vl.Axis(format="%Y", labelAngle=0, tickCount=12)),
            y=vl.Y("value:Q", title=t("realrates.chart.percent", lg)),
            color=vl.Color(
                "series:N",
                title=None,
                scale=vl.Scale(domain=list(cols.values()), range=[COLORS[c] for c in cols]),
            ),
        )
    )
    as_of = _as_of(f["breakeven_10y"], lg)
    chart = vl.layer(_zero_rule(), lines, explore(df, lg, fmt=".2f")).properties(
        title=title(
            t("realrates.chart.market_title", lg),
            [
                t("charts.unit_as_of", lg, unit=t("unit.percent", lg), date=as_of),
                t("realrates.premia_caveat", lg),
            ],
            source_line(["DGS10", "DFII10"], lg, f"{cols['breakeven_10y']} = DGS10 − DFII10"),
        )
    )
    return finish(chart, lg)


def policy_chart(
    realised: RealisedRates,
    lang: str = "en",
    *,
    rstar: float = DEFAULT_RSTAR,
    band: float = DEFAULT_NEUTRAL_BAND,
    start: str = "1954-01-01",
) -> Any:
    """Realised real policy rate (monthly) with the episodes shaded and the r* ± band zone."""
    import pandas as pd

    lg = chart_lang(lang)
    real = realised.frame["real_policy_rate"].dropna().loc[pd.Timestamp(start) :]
    if real.empty:
        raise UsageError.t("errors.data.no_real_chart")
    line_df = pd.DataFrame({"date": real.index, "value": real.to_numpy()})
    lo, hi = float(real.min()), float(real.max())
    top = hi + (hi - lo) * 0.16  # headroom for the episode labels (three rows)
    y_scale = vl.Scale(domain=[lo - 0.5, top], nice=False)
    x = vl.X("date:T", title=None, axis=vl.Axis(format="%Y", labelAngle=0, tickCount=14))

    last = real.index[-1]
    eps = []
    for i, ep in enumerate(EPISODES):
        e0 = pd.Timestamp(ep.start)
        e1 = pd.Timestamp(ep.end) + pd.offsets.MonthEnd(0) if ep.end else last
        if e1 < real.index[0] or e0 > last:  # an episode outside the data is not drawn
            continue
        e1 = min(e1, last)
        eps.append(
            {
                "start": e0,
                "end": e1,
                "mid": e0 + (e1 - e0) / 2,
                "label": t(f"realrates.episode.{ep.key}", lg),
                "key": ep.key,
                "label_y": top - (hi - lo) * (0.03 + 0.055 * (i % 3)),
            }
        )
    eps_df = pd.DataFrame(eps)
    rects = (
        vl.Chart(eps_df)
        .mark_rect(opacity=0.13)
        .encode(
            x=vl.X("start:T"),
            x2=vl.X2("end:T"),
            color=vl.Color(
                "key:N",
                legend=None,
                scale=vl.Scale(domain=list(EPISODE_COLORS), range=list(EPISODE_COLORS.values())),
            ),
            tooltip=[vl.Tooltip("label:N", title=t("realrates.chart.episode", lg))],
        )
    )
    # labels near the right edge are right-aligned on the episode's end so they stay inside
    span = last - real.index[0]
    near_right = eps_df["mid"] > last - span * 0.08
    label_layers = []
    placements: list[tuple[pd.DataFrame, Literal["center", "right"], str]] = [
        (eps_df[~near_right], "center", "mid"),
        (eps_df[near_right], "right", "end"),
    ]
    for part, align, xcol in placements:
        if part.empty:
            continue
        label_layers.append(
            vl.Chart(part[[xcol, "label_y", "label"]])
            .mark_text(
                fontSize=10,
                fontWeight="bold",
                color="#333",
                align=align,
                dx=-2 if align == "right" else 0,
            )
            .encode(
                x=vl.X(f"{xcol}:T"), y=vl.Y("label_y:Q", scale=y_scale), text=vl.Text("label:N")
            )
        )
    band_label = t("realrates.chart.rstar_band", lg, rstar=f"{rstar:g}", band=f"{band:g}")
    band_df = pd.DataFrame(
        {
            "start": [real.index[0]],
            "end": [last],
            "lo": [rstar - band],
            "hi": [rstar + band],
            "label": [band_label],
        }
    )
    band_rect = (
        vl.Chart(band_df)
        .mark_rect(color="#e07b00", opacity=0.35)
        .encode(
            x=vl.X("start:T"),
            x2=vl.X2("end:T"),
            y=vl.Y("lo:Q", scale=y_scale),
            y2=vl.Y2("hi:Q"),
            tooltip=[vl.Tooltip("label:N", title="r*")],
        )
    )
    line = (
        vl.Chart(line_df)
        .mark_line(color=COLORS["real_policy_rate"], strokeWidth=1.4)
        .encode(
            x=x,
            y=vl.Y("value:Q", title=t("realrates.chart.percent", lg), scale=y_scale),
        )
    )
    hover = explore(
        line_df,
        lg,
        key=None,
        fmt=".2f",
        title=t("realrates.figure.real_policy_rate_expost", lg),
        month=True,
    )
    pol, lng = realised.sources["policy_rate"], "CPIAUCSL"
    how = t(f"realrates.snapshot.alignment_{realised.alignment}", lg)
    chart = vl.layer(rects, band_rect, _zero_rule(), line, *label_layers, hover).properties(
        title=title(
            t("realrates.chart.policy_title", lg),
            [
                t("charts.unit_as_of", lg, unit=t("unit.percent", lg), date=_as_of(real, lg)),
                t("realrates.chart.policy_note", lg, band=band_label),
                how,
            ],
            source_line([pol, lng], lg, t("notes.realrates.approx", lg, rate=pol)),
        )
    )
    return finish(chart, lg)


def forward_chart(market: MarketRates, lang: str = "en", *, start: str = "2003-01-01") -> Any:
    """The 5y5y forward breakeven computed from the breakevens, with FRED's T5YIFR."""
    import pandas as pd

    lg = chart_lang(lang)
    f = market.frame.loc[pd.Timestamp(start) :]
    cols = {
        "T5YIFR": t("realrates.chart.published_forward", lg),
        "forward_5y5y": t("realrates.chart.computed_forward", lg),
    }
    df = _long(f, cols)
    color = vl.Color(
        "series:N",
        title=None,
        scale=vl.Scale(domain=list(cols.values()), range=[COLORS["published"], COLORS["forward"]]),
    )
    base = vl.Chart(df).encode(
        x=vl.X("date:T", title=None, axis=vl.Axis(format="%Y", labelAngle=0, tickCount=12)),
        y=vl.Y("value:Q", title=t("realrates.chart.percent", lg), scale=vl.Scale(zero=False)),
        color=color,
    )
    # FRED's series drawn wide and light underneath, ours thin on top: where they coincide the
    # orange line runs inside the grey one
    published = base.transform_filter(vl.datum.series == cols["T5YIFR"]).mark_line(
        strokeWidth=3, opacity=0.55
    )
    computed = base.transform_filter(vl.datum.series == cols["forward_5y5y"]).mark_line(
        strokeWidth=1
    )
    lines = vl.layer(published, computed, explore(df, lg, fmt=".2f"))
    target = (
        vl.Chart(pd.DataFrame({"y": [2.0], "label": [t("realrates.chart.target", lg)]}))
        .mark_rule(color="#444", strokeDash=[4, 4])
        .encode(y=vl.Y("y:Q"), tooltip=[vl.Tooltip("label:N", title=t("charts.series", lg))])
    )
    as_of_c = _as_of(f["forward_5y5y"], lg)
    as_of_p = _as_of(f["T5YIFR"], lg)
    chart = vl.layer(target, lines).properties(
        title=title(
            t("realrates.chart.forward_title", lg),
            [
                t(
                    "charts.unit_as_of",
                    lg,
                    unit=t("unit.percent", lg),
                    date=as_of_p,
                ),
                t("realrates.chart.forward_note", lg, computed=as_of_c, published=as_of_p),
                t("realrates.premia_caveat", lg),
            ],
            source_line(["DGS5", "DFII5", "DGS10", "DFII10", "T5YIFR"], lg),
        )
    )
    return finish(chart, lg)


def _market(data: pd.DataFrame, lang: str, **_: Any) -> Any:
    return market_chart(market_rates(data), lang)


def _policy(data: pd.DataFrame, lang: str, **kw: Any) -> Any:
    realised = realised_real_rates(data, alignment=kw.get("alignment", "mean"))
    return policy_chart(
        realised,
        lang,
        rstar=kw.get("rstar", DEFAULT_RSTAR),
        band=kw.get("band", DEFAULT_NEUTRAL_BAND),
    )


def _forward(data: pd.DataFrame, lang: str, **_: Any) -> Any:
    return forward_chart(market_rates(data), lang)


CHARTS: dict[str, Callable[..., Any]] = {
    "market": _market,
    "policy": _policy,
    "forward": _forward,
}
"""Chart name → builder taking the wide input frame (``tidegauge realrate --chart-kind``)."""


def write_chart(
    kind: str,
    data: pd.DataFrame,
    path: Path | str,
    *,
    lang: str = "en",
    rstar: float = DEFAULT_RSTAR,
    band: float = DEFAULT_NEUTRAL_BAND,
    alignment: str = "mean",
) -> Path:
    """Build chart ``kind`` (``market``, ``policy`` or ``forward``) from ``data`` and write it."""
    builder = CHARTS.get(kind)
    if builder is None:
        raise UsageError.t("realrates.chart.unknown", name=kind, choices=", ".join(CHARTS))
    chart = builder(data, lang, rstar=rstar, band=band, alignment=alignment)
    return render(chart, path)
