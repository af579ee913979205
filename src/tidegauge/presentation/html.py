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
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from importlib import resources
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..i18n import t
from .fmt import fmt_date, html_lang
from .guide import guide_html
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
    """The templates' environment; compiled templates are kept in the cache folder (Jinja's
    bytecode cache: keyed by each template's name and source, checked against Jinja's version)
    when it can be written; compiling them took about 0.1 s of every page's first render."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("tidegauge.presentation", "templates"),
        autoescape=True,  # every {{ value }} is HTML-escaped
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )


def _bytecode_cache() -> Any:
    import os

    import jinja2

    from ..filecache import cache_dir

    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


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


_MIDNIGHT = re.compile(r"\d{4}-\d{2}-\d{2}T00:00:00")
_STAMP = "dddd-dd-ddT00:00:00"  # what _MIDNIGHT matches, d a decimal digit


def compact_dates(spec: Mapping[str, Any]) -> dict[str, Any]:
    """``spec`` with its datasets' midnight timestamps written as days (``2008-01-02`` for
    ``2008-01-02T00:00:00``); ``usermeta.tidegauge.days`` names the fields, and ``tidegauge.js``
    writes the timestamps back before drawing (a bare day would be read as UTC, a timestamp is
    local time). A page carries about 20,000 dates: this keeps the report under its size budget.
    PNG/SVG files use the spec unchanged."""
    sets = spec.get("datasets")
    if not isinstance(sets, Mapping):
        return dict(spec)
    new_sets: dict[str, Any] = {}
    days: dict[str, list[str]] = {}
    for name, rows in sets.items():
        first = rows[0] if rows and isinstance(rows[0], Mapping) else {}
        values = {
            f: vals
            for f, v in first.items()
            if (v is None or _is_midnight(v)) and _midnight_field(vals := [r.get(f) for r in rows])
        }
        fields = list(values)
        if len(fields) == 1 and all(values[fields[0]]):  # (a date in every row: the usual case)
            f = fields[0]
            rows = [{**r, f: v[:10]} for r, v in zip(rows, values[f], strict=True)]
            days[name] = fields
        elif fields:
            rows = [_as_days(r, fields) for r in rows]
            days[name] = fields
        new_sets[name] = rows
    if not days:
        return dict(spec)
    meta = dict(spec.get("usermeta") or {})
    meta["tidegauge"] = {**dict(meta.get("tidegauge") or {}), "days": days}
    return {**spec, "datasets": new_sets, "usermeta": meta}


def _midnight_field(values: list[Any]) -> bool:
    """Whether ``values`` has a value and every value is ``None`` or a midnight timestamp."""
    present = [v for v in values if v is not None]
    if not present:
        return False
    if set(map(type, present)) == {str} and set(map(len, present)) == {19}:
        # the joined values, read position by position (a regex \d is a decimal character)
        text, n = "".join(present), len(present)
        return all(text[k::19] == c * n for k, c in enumerate(_STAMP) if c != "d") and all(
            text[k::19].isdecimal() for k, c in enumerate(_STAMP) if c == "d"
        )
    return all(_is_midnight(v) for v in present)


def _as_days(row: Mapping[str, Any], fields: list[str]) -> dict[str, Any]:
    out = dict(row)
    for f in fields:
        v = out.get(f)
        if v:
            out[f] = v[:10]
    return out


def _is_midnight(value: Any) -> bool:
    return isinstance(value, str) and _MIDNIGHT.fullmatch(value) is not None


def embed_chart(spec: Mapping[str, Any], element_id: str, note: str = "") -> dict[str, Any]:
    """The one way a chart enters a page: its element id, its spec as inert JSON, and its title,
    subtitle lines and source line as HTML (they wrap on a phone; the source ids link to their
    pages). ``tidegauge.js`` draws the spec without its title, at the width of its container;
    a downloaded PNG/SVG keeps the title and the source."""
    from .links import linkify

    head = spec.get("title")
    title, lines = "", []
    if isinstance(head, Mapping):
        title = str(head.get("text", ""))
        sub = head.get("subtitle", [])
        lines = [str(x) for x in ([sub] if isinstance(sub, str) else sub)]
    elif isinstance(head, str):
        title = head
    source = lines.pop() if lines else ""
    return {
        "id": element_id,
        "spec": safe_json(compact_dates(spec)),
        "note": note,
        "title": title,
        "subtitle": lines,
        "source": linkify(source),
    }


def labels(lang: str) -> dict[str, str]:
    return {
        "as_of": t("report.col.as_of", lang),
        "source": t("report.col.source", lang),
        "submit": t("web.update", lang),
        "download": t("web.download.label", lang),
        "explore": t("web.chart.explore", lang),
    }


def sources_html(ids: Sequence[str]) -> Markup:
    """``FRED: WALCL, TREAST; Shiller / datahub: SPX_SHILLER`` with each id linked."""
    from .links import linkify, source_name

    groups: dict[str, list[str]] = {}
    for sid in ids:
        groups.setdefault(source_name(sid), []).append(sid)
    return linkify("; ".join(f"{name} {', '.join(v)}" for name, v in groups.items()))


def figure_view(fig: Figure, lang: str) -> dict[str, Any]:
    view = asdict(figure_text(fig, lang))
    view["kind"] = "category" if fig.unit == "category" else "number"
    view["sources"] = sources_html(fig.sources) if fig.sources else ""
    return view


def _cell_class(cell: Any) -> str:
    from ..values import Day, Quantity

    if isinstance(cell, Day):
        return "date"
    if isinstance(cell, Quantity | int | float) and not isinstance(cell, bool):
        return "num"
    return "text"


def table_view(tb: Table, lang: str, downloads: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``tb`` as text; ``downloads``: format → URL of the table as a file (the dashboard), else
    the page's script offers a CSV made from ``data`` (the raw values, also in the report)."""
    from .tabular import table_data, to_csv

    kinds = [
        next((_cell_class(r.cells[j]) for r in tb.rows if r.cells[j] is not None), "text")
        for j in range(len(tb.columns))
    ]
    rows = [[say(cell, lang) for cell in row.cells] for row in tb.rows]
    long_text = any(
        kinds[j] == "text" and sum(len(r[j]) for r in rows) > 30 * max(len(rows), 1)
        for j in range(len(tb.columns))
    )
    columns = [
        {"label": say(c.label, lang), "align": c.align, "kind": kinds[j]}
        for j, c in enumerate(tb.columns)
    ]
    return {
        "id": tb.id,
        "reflow": long_text,  # on a phone, rows become cards instead of a scrolled table
        "title": say(tb.title, lang) if tb.title is not None else "",
        "caption": say(tb.caption, lang) if tb.caption is not None else "",
        "empty": say(tb.empty, lang) if tb.empty is not None else "",
        "columns": columns,
        "rows": [{"cells": r, "cls": row.cls} for r, row in zip(rows, tb.rows, strict=True)],
        "body": _table_body(columns, rows, [row.cls for row in tb.rows]),
        "csv": safe_json(to_csv(*table_data(tb, lang))) if tb.rows else "",
        "downloads": [{"format": k.upper(), "href": v} for k, v in (downloads or {}).items()],
    }


def _table_body(columns: list[dict[str, Any]], rows: list[list[str]], classes: list[Any]) -> Any:
    """The rows of a table as HTML, as the ``data_table`` template's loop writes them (with the
    same escaping), made once per column instead of once per cell; ``""`` (the template's loop)
    when a row has more cells than the table has columns."""
    from markupsafe import escape

    if any(len(r) > len(columns) for r in rows):
        return ""
    opens = [
        f'<td class="{escape(c["align"])} {escape(c["kind"])}" data-label="{escape(c["label"])}">'
        for c in columns
    ]
    lines = []
    for cells, cls in zip(rows, classes, strict=True):
        tr = f'<tr class="{escape(cls)}">' if cls else "<tr>"
        tds = "".join(f"{o}{escape(v)}</td>" for o, v in zip(opens, cells, strict=False))
        lines.append(f"{tr}{tds}</tr>\n")
    return Markup("".join(lines))


def section_view(
    section: Section,
    lang: str,
    specs: Mapping[str, Mapping[str, Any]] | None = None,
    downloads: Any = None,
) -> dict[str, Any]:
    """Everything ``section`` shows, as text for ``lang``; ``specs`` are the chart specs by
    ``"<section>:<chart>"`` (charts without a spec are left out); ``downloads(table_id)`` gives
    the download links of a table (the dashboard)."""
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
        "tables": [
            table_view(tb, lang, downloads(tb.id) if downloads else None) for tb in section.tables
        ],
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
        guide=guide_html(lang),
        guide_link=t("report.html.guide_link", lang),
        guide_summary=t("report.html.guide", lang),
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
