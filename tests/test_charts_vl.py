"""The chart layer's Vega-Lite, written without Altair by ``presentation/charts/vl.py``.

Every chart the report and the dashboard draw from the real mirror is valid Vega-Lite (Altair's
copy of the schema) and compiles with vl-convert; the builders write what Altair writes for the
same calls (the rules that matter to pages: datasets shared by layers, parameters lifted to the
top, expressions, flattened layers).
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tidegauge.presentation.charts import vl
from tidegauge.presentation.charts.build import section_charts, spec_of


@functools.cache
def _validator() -> Any:
    import altair
    import jsonschema

    path = next(Path(altair.__file__).parent.glob("vegalite/v*/schema/vega-lite-schema.json"))
    return jsonschema.Draft7Validator(json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def every_chart(mirror_session) -> dict[str, dict[str, Any]]:
    from tidegauge.web import pages

    tg = mirror_session
    out: dict[str, dict[str, Any]] = {}
    rep = tg.report()
    for lang in ("en", "zh-TW", "zh-CN"):
        for key, chart in section_charts(rep.sections, lang).items():
            out[f"report/{lang}/{key}"] = chart.to_dict()
    for page in pages.page_names():
        if page == "overview":
            continue
        p = pages.parse_page_query(page, {})
        for key, chart in section_charts(pages.page_sections(page, tg, p), "en").items():
            out[f"{page}/{key}"] = chart.to_dict()
    return out


def test_every_chart_of_the_report_and_the_dashboard_is_valid_vega_lite(every_chart) -> None:
    import vl_convert

    assert len(every_chart) >= 40  # 16 report charts per language and the pages' charts
    for name, spec in every_chart.items():
        errors = [e.message for e in _validator().iter_errors(spec)]
        assert not errors, (name, errors[:3])
        vega = vl_convert.vegalite_to_vega(spec)  # the compiler PNG and SVG output go through
        assert vega["marks"], name
        assert spec_of(spec).get("$schema") is None


def _normalised(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with dataset and view names replaced by their content / order (Altair names
    views with a random prefix and hashes data its own way)."""
    spec = dict(spec)
    spec.pop("$schema", None)
    data = spec.pop("datasets", {})
    names = {
        n: hashlib.md5(json.dumps(v, sort_keys=True).encode()).hexdigest()[:10]
        for n, v in data.items()
    }
    views: dict[str, str] = {}

    def walk(x: Any) -> Any:
        if isinstance(x, dict):
            out = {}
            for k, v in x.items():
                if k == "name" and v in names:
                    out[k] = names[v]
                elif k == "name" and str(v).startswith("view_"):
                    out[k] = views.setdefault(v, f"view{len(views)}")
                elif k == "views":
                    out[k] = [views.setdefault(n, f"view{len(views)}") for n in v]
                else:
                    out[k] = walk(v)
            return out
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x

    out = walk(spec)
    out["datasets"] = {names[n]: v for n, v in data.items()}
    return out


def _both(build) -> tuple[dict[str, Any], dict[str, Any]]:
    import altair as alt

    with alt.data_transformers.enable("default", max_rows=None):
        ours = build(vl).to_dict()
        theirs = build(alt).to_dict()

    def rounded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:  # ours keep 4 decimals
        return [{k: round(v, 4) if isinstance(v, float) else v for k, v in r.items()} for r in rows]

    theirs["datasets"] = {n: rounded(rows) for n, rows in theirs.get("datasets", {}).items()}
    return _normalised(ours), _normalised(theirs)


def test_the_builders_write_what_altair_writes(fred_mirror: Path) -> None:
    walcl = pd.read_csv(fred_mirror / "WALCL.csv", parse_dates=["observation_date"]).tail(60)
    df = pd.DataFrame(
        {"date": walcl["observation_date"], "value": walcl["WALCL"] / 1000, "series": "WALCL"}
    )
    rule_df = pd.DataFrame({"y": [7000.0]})

    def build(m: Any) -> Any:
        nearest = m.selection_point(
            name="hover", nearest=True, on="pointerover", fields=["date"], empty=False
        )
        zoom = m.selection_interval(name="zoom", bind="scales", encodings=["x"])
        base = m.Chart(df).encode(
            x=m.X("date:T", title=None, axis=m.Axis(format="%Y")),
            y=m.Y("value:Q", scale=m.Scale(zero=False)),
        )
        line = base.transform_filter(m.datum.value >= 7000).mark_line(strokeWidth=2)
        dots = base.transform_filter("isValid(datum.value)").mark_circle(size=20)
        rule = m.Chart(rule_df).mark_rule(strokeDash=[4, 4]).encode(y=m.Y("y:Q"))
        hover = (
            m.Chart(df)
            .transform_pivot("series", value="value", groupby=["date"])
            .mark_rule()
            .encode(
                x=m.X("date:T"),
                x2=m.X2("date:T"),
                opacity=m.condition(nearest, m.value(0.8), m.value(0)),
                color=m.condition(m.datum.series == "WALCL", m.value("#111"), m.value("#999")),
                tooltip=[m.Tooltip("WALCL:Q", title="WALCL", format=",.1f")],
            )
            .add_params(nearest, zoom)
        )
        top = (line + dots + rule).properties(
            title=m.TitleParams(text="Fed", subtitle=["USD billions"]), width=700
        )
        return m.layer(top, hover).configure(font="Noto Sans CJK TC").configure_view(stroke=None)

    def stacked(m: Any) -> Any:
        line = m.Chart(df).mark_line().encode(x=m.X("date:T"), y=m.Y("value:Q"))
        area = m.Chart(df).mark_area(opacity=0.2).encode(x=m.X("date:T"), y=m.Y("value:Q"))
        return m.vconcat(line.properties(height=100), area, spacing=28).resolve_scale(
            color="independent"
        )

    ours, theirs = _both(build)
    assert ours == theirs
    assert len(ours["params"]) == 2 and ours["params"][0]["views"]  # lifted, with their view
    ours, theirs = _both(stacked)
    assert ours == theirs
    assert ours["data"]["name"] in ours["datasets"]  # one DataFrame, given once to the parent


def test_a_layer_shares_one_dataset_and_adding_flattens() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0]})
    a = vl.Chart(df).mark_line().encode(x="x:Q")
    b = vl.Chart(df).mark_circle().encode(x="x:Q")
    spec = (a + b + vl.Chart(pd.DataFrame({"y": [0.0]})).mark_rule()).to_dict()
    assert len(spec["layer"]) == 3  # (a + b) + c is one layer of three, as in Altair
    assert spec["data"]["name"] in spec["datasets"] and len(spec["datasets"]) == 2
    assert "data" not in spec["layer"][0] and "data" in spec["layer"][2]
