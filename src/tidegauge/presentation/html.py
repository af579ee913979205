"""The HTML face: one family of templates for the report file, the dashboard and chart pages.

Every string from data or the catalog reaches a page through Jinja2 with autoescaping on, so
``<script>`` in a series name is shown, never run. Charts are embedded one way only
(:func:`embed_chart`): a ``<div>`` and the Vega-Lite spec in a ``<script
type="application/json">`` block (browsers never execute it; ``<``, ``>`` and ``&`` are written as
JSON escapes so no value can close the block), drawn by ``tidegauge.js``. The report inlines the
stylesheet, the Vega bundle and that script, so the file works offline; the dashboard serves the
same files from ``/static`` (its Content-Security-Policy forbids inline scripts).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from dataclasses import asdict
from importlib import resources
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..i18n import t
from .fmt import fmt_date, html_lang
from .text import figure_text, say

if TYPE_CHECKING:
    from ..indicators.model import Figure, Section, Table
    from ..indicators.report import Report

__all__ = [
    "chart_document",
    "embed_chart",
    "environment",
    "figure_view",
    "render",
    "render_report",
    "safe_json",
    "section_view",
    "static_text",
]


@functools.cache
def environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("tidegauge.presentation", "templates"),
        autoescape=True,  # every {{ value }} is HTML-escaped
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def static_text(name: str) -> str:
    """A file of ``presentation/static`` (the stylesheet, the chart script)."""
    return (resources.files("tidegauge.presentation") / "static" / name).read_text("utf-8")


def safe_json(value: Any) -> Markup:
    """JSON that is safe inside a ``<script type="application/json">`` block."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)  # escaped above for a script data block


def embed_chart(spec: Mapping[str, Any], element_id: str, note: str = "") -> dict[str, Any]:
    """The one way a chart enters a page: its element id and its spec as inert JSON."""
    return {"id": element_id, "spec": safe_json(spec), "note": note}


def labels(lang: str) -> dict[str, str]:
    return {
        "as_of": t("report.col.as_of", lang),
        "source": t("report.col.source", lang),
        "update": t("web.update", lang),
    }


def figure_view(fig: Figure, lang: str) -> dict[str, Any]:
    view = asdict(figure_text(fig, lang))
    view["kind"] = "category" if fig.unit == "category" else "number"
    view["sources"] = f"FRED {view['sources']}" if view["sources"] else ""
    return view


def table_view(tb: Table, lang: str) -> dict[str, Any]:
    return {
        "id": tb.id,
        "title": say(tb.title, lang) if tb.title is not None else "",
        "caption": say(tb.caption, lang) if tb.caption is not None else "",
        "empty": say(tb.empty, lang) if tb.empty is not None else "",
        "columns": [{"label": say(c.label, lang), "align": c.align} for c in tb.columns],
        "rows": [
            {"cells": [say(cell, lang) for cell in row.cells], "cls": row.cls} for row in tb.rows
        ],
    }


def section_view(
    section: Section, lang: str, specs: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """Everything ``section`` shows, as text for ``lang``; ``specs`` are the chart specs by
    ``"<section>:<chart>"`` (charts without a spec are left out)."""
    specs = specs or {}
    charts = []
    for c in section.charts:
        spec = specs.get(f"{section.id}:{c.id}")
        if spec is not None:
            note = say(c.note, lang) if c.note is not None else ""
            charts.append(embed_chart(spec, f"chart-{section.id}-{c.id}", note))
    return {
        "id": section.id,
        "title": say(section.title, lang),
        "intro": say(section.intro, lang) if section.intro is not None else "",
        "errors": [say(e, lang) for e in section.errors],
        "notice": say(section.notice, lang) if section.notice is not None else "",
        "figures": [figure_view(f, lang) for f in section.figures],
        "charts": charts,
        "paragraphs": [say(p, lang) for p in section.paragraphs],
        "tables": [table_view(tb, lang) for tb in section.tables],
        "notes": [say(n, lang) for n in section.notes],
    }


def _shell(lang: str, *, inline: bool) -> dict[str, Any]:
    """What every page of the family needs besides its content."""
    out: dict[str, Any] = {
        "html_lang": html_lang(lang),
        "lang": lang,
        "inline": inline,
        "app_title": t("web.app_title", lang),
        "language_label": t("web.language", lang),
        "labels": labels(lang),
        "nav": [],
        "langs": [],
        "subtitle": [],
        "footer": [],
    }
    if inline:
        from .chartcache import vega_javascript_cached

        out |= {
            "css": Markup(static_text("tidegauge.css")),
            "js": Markup(static_text("tidegauge.js")),
            "vega_js": Markup(vega_javascript_cached()),
        }
    return out


def render(template: str, lang: str, *, inline: bool = False, **context: Any) -> str:
    """Render ``template`` of the family with the shell for ``lang`` and ``context``."""
    values = {**_shell(lang, inline=inline), **context}
    return str(environment().get_template(template).render(**values))


def render_report(
    report: Report, lang: str, specs: Mapping[str, Mapping[str, Any]] | None = None
) -> str:
    """The self-contained HTML report (styles, scripts and chart data inline)."""
    from .._version import __version__
    from .terminal import header_lines

    return render(
        "report.html",
        lang,
        inline=True,
        page="report",
        title=t("report.html.title", lang),
        subtitle=[
            t("report.html.subtitle", lang, date=fmt_date(report.report_date, lang)),
            *header_lines(report, lang),
        ],
        headline_title=t("report.html.headline", lang),
        headline_cols=[t(f"report.col.{c}", lang) for c in ("figure", "value", "as_of", "detail")],
        headline=[figure_view(f, lang) for f in report.headline],
        contents=t("report.html.contents", lang),
        chart_note=t("report.html.chart_note", lang),
        sections=[section_view(s, lang, specs) for s in report.sections],
        footer=[
            t(
                "report.html.generated",
                lang,
                version=__version__,
                date=fmt_date(dt.date.today(), lang),
            )
        ],
    )


def chart_document(spec: Mapping[str, Any], lang: str, title: str = "tidegauge") -> str:
    """A whole offline page with one chart (``--chart FILE.html``)."""
    section = {
        "id": "chart",
        "title": "",
        "intro": "",
        "errors": [],
        "notice": "",
        "figures": [],
        "charts": [embed_chart(spec, "chart-main")],
        "paragraphs": [],
        "tables": [],
        "notes": [],
    }
    return render(
        "page.html",
        lang,
        inline=True,
        page="chart",
        title=title,
        intro="",
        form_view=None,
        sections=[section],
        no_js="",
    )
