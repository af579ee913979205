"""The report as plain, already formatted text: sections of figures, tables and paragraphs.

The HTML and Markdown renderers only lay this out (and escape it), so both say exactly the same
thing in the chosen language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..._typing import Lang
from ...i18n import t
from ..fmt import NA, fmt_date, fmt_number, fmt_pct, fmt_pp, fmt_value
from ..overview import SECTIONS
from .charts import CHART_SECTIONS

if TYPE_CHECKING:
    from ..overview import Figure, Overview

SECTION_FIGURES: dict[str, tuple[str, ...]] = {
    "balance": ("regime", "episode_change", "previous_episode", "total_assets"),
    "liquidity": ("net_liquidity", "reserves", "reserves_pct_gdp", "reserves_gauge"),
    "realrates": ("nominal_10y", "tips_10y", "breakeven_10y", "cpi_yoy"),
    "stance": ("policy_rate", "real_policy_rate", "stance"),
    "checklist": ("checklist_verdict",),
}
"""Headline figures shown (with their explanation) in each section."""

SECTION_ERRORS: dict[str, tuple[str, ...]] = {
    "balance": ("balance",),
    "liquidity": ("liquidity",),
    "compare": ("compare",),
    "realrates": ("realrates",),
    "stance": ("realrate_history",),
    "checklist": ("checklist",),
    "attractiveness": ("attractiveness",),
    "effectiveness": ("effectiveness", "events"),
}


@dataclass
class FigureView:
    key: str
    kind: str
    label: str
    value: str
    date: str
    context: str
    explanation: str
    sources: str


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class SectionView:
    id: str
    title: str
    intro: str
    figures: list[FigureView] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notice: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ReportView:
    lang: Lang
    title: str
    subtitle: str
    point_in_time: str
    headline: list[FigureView]
    sections: list[SectionView]
    footer: str


def figure_view(f: Figure, lang: Lang) -> FigureView:
    return FigureView(
        key=f.key,
        kind="category" if f.unit == "category" else "number",
        label=f.label(lang),
        value=f.text(lang),
        date=f.date_text(lang),
        context=f.context(lang),
        explanation=f.explanation(lang),
        sources=", ".join(f.source_ids),
    )


def _d(value: Any, lang: Lang) -> str:
    return fmt_date(value, lang) if value is not None else NA


def _balance(ov: Overview, s: SectionView, lang: Lang) -> None:
    res = ov.regimes
    if res is None:
        return
    rows = []
    for r in res.episodes.itertuples(index=False):
        prog = r.program if isinstance(r.program, str) else ""
        rows.append(
            [
                t(f"regimes.kind.{r.kind}", lang),
                prog,
                _d(r.start, lang),
                _d(r.end, lang),
                fmt_value(float(r.change), "USD billions", lang, sign=True),  # type: ignore[arg-type]
                fmt_pct(float(r.change_pct), lang, decimals=1, sign=True),  # type: ignore[arg-type]
                fmt_value(float(r.monthly_pace), "USD billions", lang, sign=True),  # type: ignore[arg-type]
            ]
        )
    cols = ["kind", "program", "start", "end", "change", "change_pct", "pace"]
    s.tables.append(Table([t(f"report.col.{c}", lang) for c in cols], rows))
    s.notes.extend(res.edge_notes(lang))


def _liquidity(ov: Overview, s: SectionView, lang: Lang) -> None:
    liq = ov.liquidity
    if liq is None:
        return
    st = liq.stress_2019()
    if st is not None:
        s.paragraphs.append(
            t(
                "liquidity.stress_line",
                lang,
                date=fmt_date(st["date"], lang),
                value=fmt_number(st["reserves"], lang, decimals=0),
                unit=t("unit.USD billions", lang),
                pct=fmt_number(st["reserves_pct_gdp"], lang, decimals=1),
                level=t(f"liquidity.gauge.{st['gauge']}", lang),
            )
        )
    from ...analysis.liquidity import GDP_PUBLICATION_LAG_DAYS

    s.notes.append(t("report.text.rrp_alignment", lang))
    s.notes.append(t("report.text.gdp_lag", lang, days=GDP_PUBLICATION_LAG_DAYS))


def _compare(ov: Overview, s: SectionView, lang: Lang) -> None:
    from ...catalog import CATALOG

    c = ov.compare
    if c is None:
        return
    s.intro = t("report.section.compare.intro", lang, start=_d(c.start, lang), end=_d(c.end, lang))
    cols = ["series", "from_value", "to_value", "change_pct"]
    rows = []
    for e in (c.a, c.b):
        unit = "USD billions" if e.id == "WALCL" else "index"
        rows.append(
            [
                CATALOG[e.id].label(lang) if e.id in CATALOG else e.id,
                f"{fmt_value(e.start_value, unit, lang, style='unit')} ({_d(e.start_date, lang)})",
                f"{fmt_value(e.end_value, unit, lang, style='unit')} ({_d(e.end_date, lang)})",
                fmt_pct(e.change_pct, lang, decimals=1, sign=True),
            ]
        )
    s.tables.append(Table([t(f"report.col.{x}", lang) for x in cols], rows))
    corr = NA if c.correlation is None else fmt_number(c.correlation, lang, decimals=2, sign=True)
    s.paragraphs.append(t("report.text.correlation", lang, corr=corr))
    s.notes.append(t("report.text.price_only", lang))
    if not c.episodes.empty:
        rows = []
        for r in c.episodes.to_dict("records"):
            prog = r["program"] if isinstance(r["program"], str) else ""
            rows.append(
                [
                    t(f"regimes.kind.{r['kind']}", lang),
                    prog,
                    f"{_d(r['start'], lang)} – {_d(r['end'], lang)}",
                    fmt_pct(r["a_change_pct"], lang, decimals=1, sign=True),
                    fmt_pct(r["b_change_pct"], lang, decimals=1, sign=True),
                ]
            )
        head = [
            t("report.col.kind", lang),
            t("report.col.program", lang),
            t("compare.col_period", lang),
            t("compare.col_change", lang, id=c.a.id),
            t("compare.col_change", lang, id=c.b.id),
        ]
        s.tables.append(Table(head, rows, t("compare.episodes_title", lang)))


def _realrates(ov: Overview, s: SectionView, lang: Lang) -> None:
    from ...analysis.realrates_snapshot import FIGURES

    snap = ov.realrates
    if snap is None:
        return
    rows = []
    for name in FIGURES:
        month = name in ("cpi_yoy", "real_policy_rate_expost", "real_10y_expost")
        date = snap.dates.get(name)
        rows.append(
            [
                t(f"realrates.figure.{name}", lang),
                fmt_pct(snap.values.get(name), lang),
                fmt_date(date, lang, precision="month" if month else "day") if date else NA,
                snap.source(name, lang),
            ]
        )
    cols = ["figure", "value", "as_of", "source"]
    s.tables.append(Table([t(f"report.col.{c}", lang) for c in cols], rows))
    s.notes.append(t("realrates.premia_caveat", lang))


def _stance(ov: Overview, s: SectionView, lang: Lang) -> None:
    h = ov.history
    if h is not None:
        rows = [
            [
                t(f"realrates.episode.{r.key}", lang),
                f"{r.start} – {r.end}",
                fmt_pct(r.real_avg, lang),
                f"{fmt_pct(r.real_extreme, lang)} ({r.real_extreme_month})",
                fmt_pct(r.nominal_avg, lang),
                fmt_pct(r.inflation_avg, lang),
            ]
            for r in h.rows
        ]
        cols = ["episode", "start", "average", "extreme", "nominal", "inflation"]
        head = [t(f"report.col.{c}", lang) for c in cols]
        head[1] = f"{head[1]} – {t('report.col.end', lang)}"
        s.tables.append(Table(head, rows, t("realrates.history.title", lang)))
    snap = ov.realrates
    if snap is not None:
        src = "realrates.rstar_default_source" if snap.rstar_is_default else "realrates.rstar_user"
        rstar = f"r* = {fmt_pct(snap.rstar, lang)}"
        s.notes.append(t("report.text.labelled", lang, name=rstar, text=t(src, lang)))


def _checklist(ov: Overview, s: SectionView, lang: Lang) -> None:
    from .terminal import condition_cells

    ck = ov.checklist
    if ck is None:
        return
    rows = []
    for c in ck.conditions:
        name, met, value, threshold, date = condition_cells(c, lang)
        why = t(f"judgment.condition.{c.id}.why", lang)
        if c.note:
            why = f"{why} ({c.note_in(lang)})"
        rows.append([name, met, value, threshold, date, why])
    cols = ["condition", "met", "value", "threshold", "as_of", "why"]
    s.tables.append(Table([t(f"report.col.{c}", lang) for c in cols], rows))
    answer = t("report.text.yes" if ck.easing else "report.text.no", lang)
    s.paragraphs += [
        t("judgment.checklist.easing", lang, answer=answer),
        t(
            "judgment.checklist.boom_count",
            lang,
            met=ck.boom_met,
            available=ck.boom_available,
            need=ck.need(),
        ),
        t(f"judgment.verdict.{ck.verdict}", lang),
    ]
    s.notes.append(t("judgment.checklist.method_note", lang, as_of=fmt_date(ck.as_of, lang)))


def _attractiveness(ov: Overview, s: SectionView, lang: Lang) -> None:
    a = ov.attractiveness
    if a is None:
        return
    p = s.paragraphs
    p.append(
        t(
            "report.text.hurdle",
            lang,
            y=fmt_pct(a.yield_10y, lang),
            total=fmt_pct(a.hurdle_10y_total_pct, lang, decimals=0),
            date=fmt_date(a.as_of["DGS10"], lang),
        )
    )
    if a.gold_10y_annualised is not None and a.hurdle_10y_ago is not None:
        p.append(
            t(
                "report.text.gold",
                lang,
                g=fmt_pct(a.gold_10y_annualised, lang, decimals=1),
                date=fmt_date(a.as_of["GOLD"], lang, precision="month"),
                h=fmt_pct(a.hurdle_10y_ago, lang),
            )
        )
    pi = fmt_pct(a.inflation, lang)
    p.append(
        t(
            "report.text.real_bond",
            lang,
            r=fmt_pct(a.real_bond, lang, sign=True),
            y=fmt_pct(a.yield_10y, lang),
            pi=pi,
            date=fmt_date(a.as_of["CPIAUCSL"], lang, precision="month"),
        )
    )
    p.append(
        t(
            "report.text.real_cash",
            lang,
            r=fmt_pct(a.real_cash, lang, sign=True),
            i=fmt_pct(a.cash_rate, lang),
            pi=pi,
            date=fmt_date(a.as_of["DFF"], lang),
        )
    )
    p.append(t("judgment.playbook.title", lang))
    if not a.regimes:
        p.append(t("judgment.playbook.none", lang))
    for r in a.regimes:
        p.append(
            f"{t(f'judgment.playbook.{r}.name', lang)}: {t(f'judgment.playbook.{r}.text', lang)}"
        )
    s.notice = t("judgment.common.not_advice", lang)


def _effectiveness(ov: Overview, s: SectionView, lang: Lang) -> None:
    sc = ov.scorecard
    if sc is not None:
        tab = sc.table
        indicators = [i for i in dict.fromkeys(tab["indicator"]) if i not in sc.missing]
        head = [t("report.col.program", lang)] + [
            t(f"judgment.effectiveness.ind_{i}", lang) for i in indicators
        ]
        by_program: dict[str, dict[str, dict[Any, Any]]] = {}
        for rec in tab.to_dict("records"):
            by_program.setdefault(str(rec["program"]), {})[str(rec["indicator"])] = rec
        rows = []
        for recs in by_program.values():
            first = next(iter(recs.values()))
            row = [f"{first['label']} ({_d(first['start'], lang)} – {_d(first['end'], lang)})"]
            for i in indicators:
                r = recs[i]
                during, after = fmt_pp(r["change_during"], lang), fmt_pp(r["change_after"], lang)
                row.append(f"{during} / {after}")
            rows.append(row)
        after_label = t("report.col.after", lang, months=sc.after_months)
        caption = f"{t('report.col.during', lang)} / {after_label}"
        s.tables.append(Table(head, rows, caption))
        if sc.missing:
            items = ", ".join(
                f"{t(f'judgment.effectiveness.ind_{k}', lang)} ({v.split()[0]})"
                for k, v in sc.missing.items()
            )
            s.notes.append(t("report.text.missing_inputs", lang, items=items))
        s.notes.append(t("judgment.effectiveness.caveat", lang))
    ev = ov.events
    if ev is not None:
        s.paragraphs.append(
            t(
                "report.text.events_total",
                lang,
                d1=fmt_value(ev.cumulative_1d_bp, "bp", lang),
                d2=fmt_value(ev.cumulative_2d_bp, "bp", lang),
                q1=fmt_value(ev.cumulative_qe_1d_bp, "bp", lang),
                q2=fmt_value(ev.cumulative_qe_2d_bp, "bp", lang),
            )
        )


_BUILDERS = {
    "balance": _balance,
    "liquidity": _liquidity,
    "compare": _compare,
    "realrates": _realrates,
    "stance": _stance,
    "checklist": _checklist,
    "attractiveness": _attractiveness,
    "effectiveness": _effectiveness,
}


def report_view(
    ov: Overview, lang: Lang, chart_names: list[str] | tuple[str, ...] = ()
) -> ReportView:
    """Everything the report says, formatted for ``lang``; ``chart_names`` are the charts that
    exist (each is placed in its section)."""
    import datetime as dt

    from ..._version import __version__

    figs = {f.key: f for f in ov.figures}
    sections = []
    for sid in SECTIONS:
        s = SectionView(
            id=sid,
            title=t(f"report.section.{sid}.title", lang),
            intro=t(f"report.section.{sid}.intro", lang, start=NA, end=NA)
            if sid == "compare"
            else t(f"report.section.{sid}.intro", lang),
            figures=[figure_view(figs[k], lang) for k in SECTION_FIGURES.get(sid, ()) if k in figs],
            charts=[c for c in chart_names if CHART_SECTIONS.get(c) == sid],
        )
        _BUILDERS[sid](ov, s, lang)
        s.errors = [
            t("report.text.not_available", lang, reason=ov.errors[e])
            for e in SECTION_ERRORS[sid]
            if e in ov.errors
        ]
        sections.append(s)
    date = fmt_date(ov.data_date, lang)
    return ReportView(
        lang=lang,
        title=t("report.html.title", lang),
        subtitle=t("report.html.subtitle", lang, date=date),
        point_in_time=t("report.html.point_in_time", lang, date=date) if ov.point_in_time else "",
        headline=[figure_view(f, lang) for f in ov.figures],
        sections=sections,
        footer=t(
            "report.html.generated",
            lang,
            version=__version__,
            date=fmt_date(dt.date.today(), lang),
        ),
    )
