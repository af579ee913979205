"""Charts of the QT/QE simulator: a projection, and the back-test against the actual path."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...i18n import t
from . import chart_lang, explore, finish, source_line, title, vl

if TYPE_CHECKING:
    from ...analysis.backtest import BacktestResult
    from ...analysis.simulate import Projection

__all__ = ["backtest_chart", "projection_chart"]

_COLORS = {"treasury": "#1f77b4", "mbs": "#ff7f0e", "securities": "#2ca02c", "reserves": "#9467bd"}


def _long(frame: Any, cols: list[str], lang: str, label: str) -> Any:
    import pandas as pd

    parts = []
    for c in cols:
        parts.append(
            pd.DataFrame(
                {
                    "date": frame.index,
                    "value": frame[c].to_numpy(dtype=float),
                    "series": t(f"judgment.simulate.col_{c}", lang),
                    "path": label,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _with_start(frame: Any, p: Projection) -> Any:
    """``frame`` with the start state as its first row (the lines then begin at the start)."""
    import pandas as pd

    s = p.start
    row = {
        "treasury": s.treasury_bn,
        "mbs": s.mbs_bn,
        "securities": s.treasury_bn + s.mbs_bn,
        "reserves": s.reserves_bn,
        "total_assets": s.total_assets_bn,
    }
    first = pd.DataFrame(
        [{c: row[c] for c in frame.columns if c in row}],
        index=pd.DatetimeIndex([pd.Timestamp(s.date)]),
    )
    return pd.concat([first, frame[first.columns]])


def backtest_chart(bt: BacktestResult, lang: str = "en") -> Any:
    """Projected (dashed) versus actual (solid) Treasuries, MBS and their sum, USD billions."""
    import pandas as pd

    lang = chart_lang(lang)
    cols = ["treasury", "mbs", "securities"]
    proj = bt.projection.path
    data = pd.concat(
        [
            _long(
                _with_start(bt.actual, bt.projection),
                cols,
                lang,
                t("judgment.simulate.actual", lang),
            ),
            _long(
                _with_start(proj, bt.projection), cols, lang, t("judgment.simulate.projected", lang)
            ),
        ]
    )
    m = bt.metrics["securities"]
    subtitle = [
        t(
            "judgment.simulate.chart_unit",
            lang,
            start=bt.projection.start.date.isoformat(),
            end=bt.end.isoformat(),
        ),
        t(
            "judgment.simulate.chart_error",
            lang,
            rmse=f"{m['rmse_bn']:,.0f}",
            final=f"{m['final_error_bn']:+,.0f}",
            pct=f"{m['final_error_pct']:+.1f}",
        ),
    ]
    names = [t(f"judgment.simulate.col_{c}", lang) for c in cols]
    chart = (
        vl.Chart(data)
        .mark_line(strokeWidth=2)
        .encode(
            x=vl.X("date:T", title=None),
            y=vl.Y("value:Q", title=t("judgment.unit.bn", lang), scale=vl.Scale(zero=False)),
            color=vl.Color(
                "series:N",
                title=None,
                scale=vl.Scale(domain=names, range=[_COLORS[c] for c in cols]),
            ),
            strokeDash=vl.StrokeDash("path:N", title=None),
        )
    )
    keyed = data.assign(line=data["series"] + " · " + data["path"])
    chart = vl.layer(chart, explore(keyed, lang, key="line", fmt=",.0f", month=True)).properties(
        title=title(
            t("judgment.simulate.backtest_chart_title", lang),
            subtitle,
            source_line(["TREAST", "WSHOMCB"], lang),
        )
    )
    return finish(chart, lang, height=360)


def projection_chart(p: Projection, lang: str = "en") -> Any:
    """Projected Treasuries, MBS and reserves, with the reserves level that would be scarce."""
    import pandas as pd

    lang = chart_lang(lang)
    path = p.path.copy()
    path["scarce_level"] = path["gdp"] * p.params["scarce_below_pct"] / 100
    data = _long(_with_start(path, p), ["treasury", "mbs", "reserves"], lang, "")
    cols = ["treasury", "mbs", "reserves"]
    names = [t(f"judgment.simulate.col_{c}", lang) for c in cols]
    lines = (
        vl.Chart(data)
        .mark_line(strokeWidth=2)
        .encode(
            x=vl.X("date:T", title=None),
            y=vl.Y("value:Q", title=t("judgment.unit.bn", lang)),
            color=vl.Color(
                "series:N",
                title=None,
                scale=vl.Scale(domain=names, range=[_COLORS[c] for c in cols]),
            ),
        )
    )
    thr = pd.DataFrame({"date": path.index, "value": path["scarce_level"]})
    rule = (
        vl.Chart(thr)
        .mark_line(strokeDash=[4, 4], color="#d62728")
        .encode(x=vl.X("date:T"), y=vl.Y("value:Q"))
    )
    subtitle = [
        t(
            "judgment.simulate.chart_proj_unit",
            lang,
            start=p.start.date.isoformat(),
            threshold=p.params["scarce_below_pct"],
        ),
        t(
            "judgment.simulate.scarce",
            lang,
            date=p.scarce_date.isoformat(),
            threshold=p.params["scarce_below_pct"],
        )
        if p.scarce_date
        else t("judgment.simulate.not_scarce", lang, threshold=p.params["scarce_below_pct"]),
    ]
    hover = explore(data, lang, fmt=",.0f", month=True)
    chart = vl.layer(lines, rule, hover).properties(
        title=title(
            t(
                f"judgment.simulate.title_{p.kind}",
                lang,
                start=p.start.date.isoformat(),
                months=len(path),
            ),
            subtitle,
            source_line(["TREAST", "WSHOMCB", "WRESBAL", "GDP"], lang),
        )
    )
    return finish(chart, lang, height=360)
