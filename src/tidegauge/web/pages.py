"""The dashboard's HTML pages: each builds its content from the analysis layer.

A page function takes a session, the language and its validated parameters and returns
``{"title", "intro", "sections"}`` for :func:`tidegauge.web.render.render_page`. Numbers and dates
are formatted with :mod:`tidegauge.presentation.fmt`, labels come from the message catalog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from ..api import Tidegauge
from ..catalog import CATALOG
from ..i18n import t
from ..presentation.fmt import NA, fmt_date, fmt_number, fmt_pct, fmt_pp, fmt_value
from . import api
from .render import chart_section
from .security import BadParameter, check_params

__all__ = ["PAGE_BUILDERS", "parse_page_params"]

Content = dict[str, Any]


def _card(label: str, value: str, as_of: Any = None, lang: str = "en", **kw: Any) -> dict[str, Any]:
    return {
        "label": label,
        "value": value,
        "as_of": t("web.as_of", lang, date=fmt_date(as_of, lang)) if as_of else None,
        **kw,
    }


def _row(*cells: Any, cls: str | None = None) -> dict[str, Any]:
    return {"cells": [NA if c is None else str(c) for c in cells], "cls": cls}


def _field(name: str, label: str, value: Any, type: str = "text", **kw: Any) -> dict[str, Any]:
    base = {
        "name": name,
        "label": label,
        "value": "" if value is None else str(value),
        "type": type,
    }
    return base | {"step": None, "min": None, "max": None, "options": []} | kw


def _bounds(name: str) -> dict[str, float]:
    """``min``/``max`` of a simulator form field: the API's validation bounds."""
    lo, hi = api.SIMULATE_BOUNDS[name]
    return {"min": lo, "max": hi}


def _series_label(sid: str, lang: str) -> str:
    if sid in CATALOG:
        return CATALOG[sid].label(lang)  # type: ignore[arg-type]
    return t("charts.sp500tr", lang) if sid in api.COMPARE_EXTRA else sid


# -- overview ------------------------------------------------------------------------------------
def overview_page(tg: Tidegauge, lang: str, p: Mapping[str, Any]) -> Content:
    from ..presentation.charts.balance import fed_assets_chart, net_liquidity_chart
    from ..presentation.overview import build_overview

    ov = build_overview(tg, lang=lang)  # type: ignore[arg-type]
    lg: Any = lang
    cards = [
        {
            "id": f"fig-{f.key}",
            "label": f.label(lg),
            "value": f.text(lg),
            "detail": f.context(lg) or None,
            "as_of": t("web.as_of", lang, date=f.date_text(lg)) if f.as_of else None,
            "help": f.explanation(lg),
        }
        for f in ov.figures
    ]
    sections: list[dict[str, Any]] = [
        {"kind": "figures", "title": t("web.overview.figures", lang), "cards": cards}
    ]
    if ov.regimes is not None and "WALCL" in ov.data:
        chart = fed_assets_chart(ov.data["WALCL"], ov.regimes.episodes, lang, start="2008-01-01")
        sections.append(chart_section(chart, "chart-fed-assets"))
    if ov.liquidity is not None:
        chart = net_liquidity_chart(ov.liquidity.to_frame(), lang)
        sections.append(chart_section(chart, "chart-net-liquidity"))
    from ..presentation.overview import error_label

    notes = [f"{error_label(name, lang)}: {reason}" for name, reason in ov.errors.items()]
    if notes:
        sections.append({"kind": "text", "paragraphs": notes})
    return {
        "title": t("web.page.overview", lang),
        "intro": t("web.page.overview_intro", lang),
        "sections": sections,
    }


# -- balance sheet ------------------------------------------------------------------------------
def balance_page(tg: Tidegauge, lang: str, p: Mapping[str, Any]) -> Content:
    from ..analysis.regimes import fed_regimes
    from ..presentation.charts.balance import fed_assets_chart

    res = fed_regimes(tg)
    cur = res.current
    program = cur.program if isinstance(cur.program, str) else t("regimes.no_program", lang)
    cards = [
        _card(
            t("web.balance.current", lang),
            t(f"regimes.kind.{cur.kind}", lang),
            res.classified_through,
            lang,
            id="current-regime",
            detail=f"{fmt_date(cur.start, lang)} · {program}",
        )
    ]
    rows = []
    r: Any
    for r in res.episodes.itertuples(index=False):
        rows.append(
            _row(
                t(f"regimes.kind.{r.kind}", lang),
                r.program if isinstance(r.program, str) else NA,
                fmt_date(r.start, lang),
                fmt_date(r.end, lang),
                fmt_number(r.start_level, lang, decimals=0),
                fmt_number(r.end_level, lang, decimals=0),
                fmt_number(r.change, lang, decimals=0, sign=True),
                fmt_pct(r.change_pct, lang, decimals=1, sign=True),
            )
        )
    headers = [
        t(f"regimes.{k}", lang)
        for k in (
            "col_kind",
            "col_program",
            "col_start",
            "col_end",
            "col_start_level",
            "col_end_level",
            "col_change",
            "col_change_pct",
        )
    ]
    chart = fed_assets_chart(tg.series("WALCL"), res.episodes, lang, start="2008-01-01")
    return {
        "title": t("web.page.balance", lang),
        "intro": t("web.page.balance_intro", lang),
        "sections": [
            {"kind": "figures", "cards": cards, "paragraphs": res.edge_notes(lang)},  # type: ignore[arg-type]
            chart_section(chart, "chart-fed-assets"),
            {
                "kind": "table",
                "title": t("web.balance.episodes", lang),
                "headers": headers,
                "rows": rows[::-1],
            },
        ],
    }


# -- liquidity ----------------------------------------------------------------------------------
def liquidity_page(tg: Tidegauge, lang: str, p: Mapping[str, Any]) -> Content:
    from ..analysis.liquidity import from_session
    from ..presentation.charts.balance import net_liquidity_chart

    res = from_session(tg)
    d = res.to_dict()
    nl, rs, rp, g = (d[k] for k in ("net_liquidity", "reserves", "reserves_pct_gdp", "gauge"))
    usd = "USD billions"
    cards = [
        _card(
            t("liquidity.row_net_liquidity", lang),
            fmt_value(nl["value"], usd, lang),
            nl["date"],
            lang,
            id="net-liquidity",
            detail=t(
                "liquidity.components_line",
                lang,
                walcl=fmt_value(nl["walcl"], usd, lang),
                tga=fmt_value(nl["tga"], usd, lang),
                rrp=fmt_value(nl["rrp"], usd, lang),
                rrp_date=fmt_date(nl["rrp_date"], lang),
            ).strip(),
        ),
        _card(
            t("liquidity.row_reserves", lang),
            fmt_value(rs["value"], usd, lang),
            rs["date"],
            lang,
            id="reserves",
        ),
        _card(
            t("liquidity.row_reserves_gdp", lang),
            fmt_pct(rp["value"], lang, decimals=1),
            rp["date"],
            lang,
            detail=t("liquidity.gdp_note", lang, quarter=fmt_date(rp["gdp_quarter"], lang)),
        ),
        _card(
            t("liquidity.row_gauge", lang),
            t(f"liquidity.gauge.{g['level']}", lang),
            g["date"],
            lang,
            id="gauge",
            detail=t(
                "liquidity.gauge_detail",
                lang,
                scarce=f"{g['scarce_below_pct']:g}",
                abundant=f"{g['abundant_above_pct']:g}",
            ),
        ),
    ]
    s = d.get("stress_2019")
    if s:
        cards.append(
            _card(
                t("liquidity.row_stress", lang),
                fmt_pct(s["reserves_pct_gdp"], lang, decimals=1),
                s["date"],
                lang,
                detail=f"{fmt_value(s['reserves'], usd, lang)} · "
                + t(f"liquidity.gauge.{s['gauge']}", lang),
            )
        )
    return {
        "title": t("web.page.liquidity", lang),
        "intro": t("liquidity.explain", lang),
        "sections": [
            {"kind": "figures", "cards": cards},
            chart_section(net_liquidity_chart(res.to_frame(), lang), "chart-net-liquidity"),
        ],
    }


# -- compare ------------------------------------------------------------------------------------
def compare_page(tg: Tidegauge, lang: str, p: Mapping[str, Any]) -> Content:
    from ..presentation.charts.balance import rebased_chart

    options = [
        {"value": sid, "label": f"{sid} · {_series_label(sid, lang)}"}
        for sid in (*CATALOG, *api.COMPARE_EXTRA)
    ]
    form = {
        "kind": "form",
        "action": "/compare",
        "fields": [
            _field("a", t("web.compare.series_a", lang), p["a"], "select", options=options),
            _field("b", t("web.compare.series_b", lang), p["b"], "select", options=options),
            _field("start", t("web.compare.start", lang), p["start"].isoformat(), "date"),
            _field("end", t("web.compare.end", lang), p["end"].isoformat(), "date"),
        ],
    }
    res = api.compare_result(tg, p["a"], p["b"], p["start"], p["end"])
    cards = []
    for key, e in (("a", res.a), ("b", res.b)):
        used = t(
            "web.compare.used",
            lang,
            v0=fmt_number(e.start_value, lang, decimals=2),
            d0=fmt_date(e.start_date, lang),
            v1=fmt_number(e.end_value, lang, decimals=2),
            d1=fmt_date(e.end_date, lang),
        )
        note = e.note(lang)
        cards.append(
            _card(
                t("web.compare.change", lang, name=_series_label(e.id, lang)),
                fmt_pct(e.change_pct, lang, decimals=1, sign=True),
                None,
                lang,
                id=f"change-{key}",
                detail=used + (f" · {note}" if note else ""),
            )
        )
    freq = t(f"frequency.{res.frequency}", lang)
    cards.append(
        _card(
            t("web.compare.correlation", lang, freq=freq),
            fmt_number(res.correlation, lang, decimals=2, sign=True),
            None,
            lang,
            id="correlation",
        )
    )
    rows = [
        _row(
            t(f"charts.kind.{e['kind']}", lang),
            e["program"] or NA,
            f"{fmt_date(e['start'], lang)} – {fmt_date(e['end'], lang)}",
            fmt_pct(e["a_change_pct"], lang, decimals=1, sign=True),
            fmt_pct(e["b_change_pct"], lang, decimals=1, sign=True),
        )
        for e in api.jsonable(res.to_dict()["episodes"])
    ]
    a = res.rebased[res.a.id].dropna()
    b = res.rebased[res.b.id].dropna()
    chart = rebased_chart(a, b, lang, start=res.start, end=res.end)
    headers = [
        t("compare.col_kind", lang),
        t("compare.col_program", lang),
        t("compare.col_period", lang),
        t("compare.col_change", lang, id=res.a.id),
        t("compare.col_change", lang, id=res.b.id),
    ]
    return {
        "title": t("web.page.compare", lang),
        "intro": t("web.page.compare_intro", lang),
        "sections": [
            form,
            {
                "kind": "figures",
                "id": "results",
                "title": t(
                    "compare.window",
                    lang,
                    start=fmt_date(res.start, lang),
                    end=fmt_date(res.end, lang),
                ),
                "cards": cards,
                "paragraphs": res.notes_in(lang),
            },
            chart_section(chart, "chart-compare"),
            {
                "kind": "table",
                "title": t("compare.episodes_title", lang),
                "headers": headers,
                "rows": rows,
                "paragraphs": [] if rows else [t("compare.no_episodes", lang)],
            },
        ],
    }


# -- real rates ---------------------------------------------------------------------------------
def realrates_page(tg: Tidegauge, lang: str, p: Mapping[str, Any]) -> Content:
    from ..analysis.realrates_snapshot import FIGURES
    from ..presentation.charts.realrates import CHARTS

    snap, data = api.realrate_result(tg, p)
    cards = []
    for name in FIGURES:
        v = snap.values.get(name)
        cards.append(
            _card(
                t(f"realrates.figure.{name}", lang),
                fmt_pct(v, lang) if v is not None else t("realrates.snapshot.no_data", lang),
                snap.dates.get(name),
                lang,
                id=f"rr-{name}",
                detail=snap.source(name, lang) or None,
            )
        )
    if snap.stance is not None:
        cards.append(
            _card(
                t("web.realrates.stance", lang),
                t(f"realrates.stance.{snap.stance}", lang),
                snap.dates.get("real_policy_rate_expost"),
                lang,
                id="stance",
                detail=f"r* = {fmt_pct(snap.rstar, lang)} ± {fmt_pp(snap.band, lang)}",
            )
        )
    form = {
        "kind": "form",
        "action": "/realrates",
        "fields": [
            _field(
                "as_of",
                t("web.realrates.as_of", lang),
                p["as_of"].isoformat() if p["as_of"] else "",
                "date",
            ),
            _field(
                "rstar",
                t("web.realrates.rstar", lang),
                p["rstar"] if p["rstar"] is not None else "",
                "number",
                step="0.25",
                min=-5,
                max=10,
            ),
        ],
    }
    market = CHARTS["market"](data, lang)
    policy = CHARTS["policy"](
        data, lang, rstar=snap.rstar, band=snap.band, alignment=p["alignment"]
    )
    return {
        "title": t("web.page.realrates", lang),
        "intro": t("realrates.premia_caveat", lang),
        "sections": [
            form,
            {
                "kind": "figures",
                "title": t("web.realrates.figures", lang),
                "cards": cards,
                "paragraphs": [t("realrates.snapshot.lag_note", lang)],
            },
            chart_section(market, "chart-market"),
            chart_section(policy, "chart-policy"),
        ],
    }


# -- checklist ----------------------------------------------------------------------------------
def checklist_page(tg: Tidegauge, lang: str, p: Mapping[str, Any]) -> Content:
    import pandas as pd

    from ..analysis.checklist import checklist
    from ..analysis.regimes import fed_regimes
    from ..presentation.charts.balance import fed_assets_chart

    res = checklist(tg, p["as_of"])
    day = res.as_of
    rows = []
    for c in res.conditions:
        name = t(f"judgment.condition.{c.id}.name", lang)
        if c.value is None:
            rows.append(
                _row(
                    name,
                    t("judgment.common.not_available", lang),
                    NA,
                    NA,
                    c.note_in(lang),
                    cls="unavailable",
                )
            )
            continue
        unit = t(f"judgment.unit.{c.unit}", lang)
        rows.append(
            _row(
                name,
                f"{fmt_number(c.value, lang, decimals=2)} {unit}",
                f"{fmt_number(c.threshold, lang, decimals=2)} {unit}",
                fmt_date(c.as_of, lang),
                t(f"judgment.condition.{c.id}.why", lang),
                cls="met" if c.met else "not_met",
            )
        )
    answer = t("judgment.common.yes" if res.easing else "judgment.common.no", lang)
    cards = [
        _card(
            t("web.checklist.verdict", lang),
            t(f"judgment.verdict.{res.verdict}", lang),
            day,
            lang,
            id="verdict",
        ),
        _card(
            t("judgment.checklist.easing", lang, answer=answer),
            f"{res.boom_met} / {res.boom_available}",
            None,
            lang,
            id="boom",
            detail=t(
                "judgment.checklist.boom_count",
                lang,
                met=res.boom_met,
                available=res.boom_available,
                need=res.need(),
            ),
        ),
    ]
    headers = [
        t("judgment.checklist.col_condition", lang),
        t("judgment.checklist.col_value", lang),
        t("judgment.checklist.col_threshold", lang),
        t("judgment.checklist.col_as_of", lang),
        "",
    ]
    assets = tg.series("WALCL", end=day)
    start = (pd.Timestamp(day) - pd.DateOffset(years=8)).date().isoformat()  # yearly ticks
    chart = fed_assets_chart(assets, fed_regimes(tg, end=day).episodes, lang, start=start)
    form = {
        "kind": "form",
        "action": "/checklist",
        "fields": [
            _field(
                "as_of",
                t("web.checklist.as_of", lang),
                day.isoformat(),
                "date",
                max=dt.date.today().isoformat(),
            )
        ],
    }
    return {
        "title": t("web.page.checklist", lang),
        "intro": t("web.page.checklist_intro", lang),
        "sections": [
            form,
            {"kind": "figures", "id": "results", "cards": cards},
            {
                "kind": "table",
                "id": "conditions",
                "title": t("web.checklist.conditions", lang),
                "headers": headers,
                "rows": rows,
                "paragraphs": [
                    t("judgment.checklist.method_note", lang, as_of=fmt_date(day, lang)),
                    t("judgment.common.not_advice", lang),
                ],
            },
            chart_section(
                chart, "chart-checklist-assets", paragraphs=[t("web.checklist.chart_note", lang)]
            ),
        ],
    }


# -- simulator ----------------------------------------------------------------------------------
def simulate_page(tg: Tidegauge, lang: str, p: Mapping[str, Any]) -> Content:
    from ..presentation.charts.simulate import projection_chart

    proj = api.simulate_result(tg, p)
    s, end = proj.start, proj.path.iloc[-1]
    usd = "USD billions"
    kinds = [{"value": k, "label": t(f"web.simulate.kind_{k}", lang)} for k in ("qt", "qe")]
    fields = [
        _field("kind", t("web.simulate.kind", lang), p["kind"], "select", options=kinds),
        _field(
            "months",
            t("web.simulate.months", lang),
            p["months"],
            "number",
            step="1",
            **_bounds("months"),
        ),
        _field(
            "treasury_cap",
            t("web.simulate.treasury_cap", lang),
            p["treasury_cap"],
            "number",
            step="any",
            **_bounds("treasury_cap"),
        ),
        _field(
            "mbs_cap",
            t("web.simulate.mbs_cap", lang),
            p["mbs_cap"],
            "number",
            step="any",
            **_bounds("mbs_cap"),
        ),
        _field(
            "mbs_paydown",
            t("web.simulate.mbs_paydown", lang),
            p["mbs_paydown"],
            "number",
            step="any",
            **_bounds("mbs_paydown"),
        ),
        _field(
            "per_month",
            t("web.simulate.per_month", lang),
            p["per_month"],
            "number",
            step="any",
            **_bounds("per_month"),
        ),
        _field(
            "gdp_growth",
            t("web.simulate.gdp_growth", lang),
            p["gdp_growth"],
            "number",
            step="any",
            **_bounds("gdp_growth"),
        ),
    ]
    last = proj.path.index[-1]
    reserves_label = t("judgment.simulate.col_reserves", lang)
    cards = [
        _card(
            t("web.simulate.start_state", lang),
            fmt_value(s.treasury_bn + s.mbs_bn, usd, lang),
            s.date,
            lang,
            id="sim-start",
            detail=f"{reserves_label} {fmt_value(s.reserves_bn, usd, lang)}",
        ),
        _card(
            t("web.simulate.end_state", lang),
            fmt_value(float(end["securities"]), usd, lang),
            last,
            lang,
            id="sim-end",
            detail=f"{reserves_label} {fmt_value(float(end['reserves']), usd, lang)}",
        ),
        _card(
            t("web.simulate.scarce", lang),
            fmt_date(proj.scarce_date, lang, precision="month")
            if proj.scarce_date
            else t("web.simulate.never", lang),
            None,
            lang,
            id="scarce",
        ),
    ]
    return {
        "title": t("web.page.simulate", lang),
        "intro": t("web.page.simulate_intro", lang),
        "sections": [
            {"kind": "form", "action": "/simulate", "fields": fields},
            {
                "kind": "figures",
                "id": "results",
                "title": t("web.simulate.result", lang),
                "cards": cards,
                "paragraphs": proj.summary(lang).splitlines(),
            },
            chart_section(projection_chart(proj, lang), "chart-simulate"),
        ],
    }


# -- parameters ---------------------------------------------------------------------------------
def _no_params(q: Mapping[str, str]) -> dict[str, Any]:
    return {}


def _checklist_params(q: Mapping[str, str]) -> dict[str, Any]:
    return {"as_of": api.checklist_as_of(q) or dt.date.today()}


PageFn = Callable[[Tidegauge, str, Mapping[str, Any]], Content]

PAGE_BUILDERS: dict[
    str, tuple[PageFn, tuple[str, ...], Callable[[Mapping[str, str]], dict[str, Any]]]
] = {
    "overview": (overview_page, (), _no_params),
    "balance": (balance_page, (), _no_params),
    "liquidity": (liquidity_page, (), _no_params),
    "compare": (compare_page, ("a", "b", "start", "end"), api.compare_params),
    "realrates": (realrates_page, ("as_of", "rstar"), api.realrate_params),
    "checklist": (checklist_page, ("as_of",), _checklist_params),
    "simulate": (simulate_page, api.SIMULATE_KEYS, api.simulate_params),
}
"""Page name → (builder, accepted parameters besides ``lang``, parameter parser)."""


def parse_page_params(page: str, q: Mapping[str, str]) -> dict[str, Any]:
    """Validate the query of ``page`` (unknown parameters are refused)."""
    _, allowed, parse = PAGE_BUILDERS[page]
    check_params(q, (*allowed, "lang"))
    try:
        return parse(q)
    except BadParameter:
        raise
