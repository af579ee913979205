"""The charts of the report (and the dashboard), built from an :class:`Overview`.

:func:`overview_charts` returns ``{name: Altair chart}`` for every chart whose inputs exist;
:data:`CHART_SECTIONS` says in which report section each one goes.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from ..._typing import Lang
from ...i18n import t

if TYPE_CHECKING:
    from ...analysis.effectiveness import EventStudy
    from ..overview import Overview

__all__ = [
    "CHART_SECTIONS",
    "embed_html",
    "embed_spec",
    "events_chart",
    "overview_charts",
    "spec_of",
]

CHART_SECTIONS: dict[str, str] = {
    "fed_assets": "balance",
    "net_liquidity": "liquidity",
    "compare": "compare",
    "market": "realrates",
    "policy": "stance",
    "events": "effectiveness",
}
"""Chart name → report section."""


def events_chart(events: EventStudy, lang: str = "en") -> Any:
    """Bars: the 1-day change of the 10-year yield on each program announcement (bp)."""
    import altair as alt
    import pandas as pd

    from ..charts import chart_lang, finish, source_line, title

    lg = chart_lang(lang)
    tab = events.table
    df = pd.DataFrame(
        {
            "event": [f"{d} {p}" for d, p in zip(tab["announced"], tab["program"], strict=True)],
            "label": tab["label"].astype(str).to_numpy(),
            "bp": tab["change_1d_bp"].astype(float).to_numpy(),
            "bp2": tab["change_2d_bp"].astype(float).to_numpy(),
            "kind": [t(f"charts.kind.{k}", lg) if k in _KINDS else str(k) for k in tab["kind"]],
        }
    )
    axis_title = t("report.chart.events_axis", lg)
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X(
                "event:N", sort=None, title=None, axis=alt.Axis(labelAngle=-50, labelLimit=160)
            ),
            y=alt.Y("bp:Q", title=axis_title),
            color=alt.condition(alt.datum.bp < 0, alt.value("#2a9d8f"), alt.value("#d62728")),
            tooltip=[
                alt.Tooltip("label:N", title=t("report.col.program", lg)),
                alt.Tooltip("event:N", title=t("report.col.announced", lg)),
                alt.Tooltip("bp:Q", title=t("report.col.day1", lg), format="+.0f"),
                alt.Tooltip("bp2:Q", title=t("report.col.day2", lg), format="+.0f"),
            ],
        )
        .properties(
            title=title(
                t("report.chart.events_title", lg),
                t(
                    "charts.unit_as_of",
                    lg,
                    unit=t("judgment.unit.bp", lg),
                    date=str(tab["event_date"].max()),
                ),
                source_line(["DGS10"], lg),
            )
        )
    )
    return finish(chart, lg, height=260)


_KINDS = ("QE", "QT", "lending", "reserve_management", "flat")


def overview_charts(ov: Overview, lang: Lang = "en") -> dict[str, Any]:
    """Every chart the overview can draw, in report order; a chart whose data is missing is
    left out (the section says why)."""
    from ..charts.balance import fed_assets_chart, net_liquidity_chart, rebased_chart
    from ..charts.realrates import market_chart, policy_chart

    out: dict[str, Any] = {}
    d = ov.data
    if "WALCL" in d:
        out["fed_assets"] = fed_assets_chart(
            d["WALCL"], ov.regimes.episodes if ov.regimes is not None else None, lang
        )
    if ov.liquidity is not None:
        out["net_liquidity"] = net_liquidity_chart(ov.liquidity.to_frame(), lang)
    if ov.compare is not None:
        out["compare"] = rebased_chart(
            d["WALCL"], d["SP500"], lang, start=ov.compare.start, end=ov.compare.end
        )
    if ov.market is not None:
        out["market"] = market_chart(ov.market, lang)
    if ov.realised is not None:
        snap = ov.realrates
        if snap is not None:
            out["policy"] = policy_chart(ov.realised, lang, rstar=snap.rstar, band=snap.band)
        else:
            out["policy"] = policy_chart(ov.realised, lang)
    if ov.events is not None:
        out["events"] = events_chart(ov.events, lang)
    return out


def _fast_values(data: Any) -> Any:
    """Altair data transformer: a DataFrame to inline ``values`` with vectorised conversion
    (timestamps as ISO strings like Altair's own, floats rounded to 4 decimals for a lighter
    page, NaN as null). Anything else goes to Altair's default transformer."""
    import numpy as np
    import pandas as pd
    from altair.utils.data import to_values

    if not isinstance(data, pd.DataFrame) or isinstance(data.index, pd.MultiIndex):
        return to_values(data)
    columns: list[list[Any]] = []
    for name in data.columns:
        col = data[name]
        if pd.api.types.is_datetime64_any_dtype(col) and col.dt.tz is None:
            text = np.datetime_as_string(col.to_numpy("datetime64[s]"), unit="s")
            columns.append([None if v == "NaT" else str(v) for v in text])
        elif pd.api.types.is_float_dtype(col):
            arr = np.round(col.to_numpy(dtype=float), 4)
            columns.append([None if v != v else v for v in arr.tolist()])
        elif pd.api.types.is_integer_dtype(col) or pd.api.types.is_bool_dtype(col):
            columns.append(col.tolist())
        else:
            columns.append([None if v is None or v != v else v for v in col.astype(object)])
    names = [str(c) for c in data.columns]
    return {"values": [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]}


def _transformer() -> Any:
    import altair as alt

    if "tidegauge" not in alt.data_transformers.names():
        alt.data_transformers.register("tidegauge", _fast_values)
    return alt.data_transformers.enable("tidegauge")


def spec_of(chart: Any) -> dict[str, Any]:
    """The Vega-Lite dict of ``chart`` for a web page: no ``$schema`` URL, a CJK font fallback
    list for browsers, no validation pass (the chart layer's specs are tested) and a vectorised
    data conversion (:func:`_fast_values`)."""
    from ..charts import HTML_FONT_FALLBACKS

    if isinstance(chart, dict):
        spec: dict[str, Any] = chart
    else:
        with _transformer():
            spec = chart.to_dict(validate=False)
    spec = dict(spec)
    spec.pop("$schema", None)
    config = dict(spec.get("config", {}))
    if config.get("font"):
        config["font"] = f'"{config["font"]}", {HTML_FONT_FALLBACKS}'
        spec["config"] = config
    return spec


def script_json(value: Any) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` as ``\\u`` escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def embed_spec(spec: dict[str, Any], element_id: str) -> tuple[str, str]:
    """The ``<div>`` and the ``<script>`` (a ``vegaEmbed`` call: SVG renderer, no actions menu)
    that draw a prepared specification (:func:`spec_of`); the page must include
    :func:`~tidegauge.presentation.charts.vega_javascript` once, before the script."""
    target = script_json("#" + element_id)
    div = f'<div class="chart" id="{html.escape(element_id)}"></div>'
    script = (
        f'<script>vegaEmbed({target}, {script_json(spec)}, {{"renderer": "svg", '
        '"actions": false}).catch(function (e) { console.error(e); });</script>'
    )
    return div, script


def embed_html(chart: Any, element_id: str) -> str:
    """:func:`embed_spec` of ``chart`` as one snippet (``<div>`` then ``<script>``)."""
    return "\n".join(embed_spec(spec_of(chart), element_id))
