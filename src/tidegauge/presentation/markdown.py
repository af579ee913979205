"""The Markdown face (for pasting elsewhere) with PNG charts, and chart files (PNG + SVG).

Text from the data or the catalog is escaped for Markdown (``|``, ``*``, ``_``, ``<``...), so it
cannot become markup, links or HTML when the file is rendered.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import t
from .text import figure_text, say

if TYPE_CHECKING:
    from ..indicators.model import Figure, Section, Table
    from ..indicators.report import Report

__all__ = ["md_escape", "render_markdown", "write_chart_files", "write_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown punctuation; newlines become spaces (table cells stay one line)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def file_stem(key: str) -> str:
    """``"balance:fed_assets"`` → ``"fed_assets"`` (the chart's file name)."""
    return key.split(":", 1)[-1]


def write_chart_files(
    charts: Mapping[str, Any], folder: Path, formats: tuple[str, ...] = ("png", "svg")
) -> list[Path]:
    """Write every chart as ``<name>.<format>`` into ``folder`` (created if missing)."""
    from .charts import render

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for key, chart in charts.items():
        for ext in formats:
            out.append(render(chart, folder / f"{file_stem(key)}.{ext}"))
    return out


def _rows(head: list[str], rows: list[list[str]]) -> list[str]:
    e = md_escape
    lines = ["| " + " | ".join(e(c) for c in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(e(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _table(tb: Table, lang: str) -> list[str]:
    lines = []
    if tb.title is not None:
        lines += [f"**{md_escape(say(tb.title, lang))}**", ""]
    if not tb.rows:
        return [*lines, md_escape(say(tb.empty, lang)), ""] if tb.empty is not None else lines
    head = [say(c.label, lang) for c in tb.columns]
    lines += _rows(head, [[say(cell, lang) for cell in row.cells] for row in tb.rows])
    if tb.caption is not None:
        lines += [md_escape(say(tb.caption, lang)), ""]
    return lines


def _figure(f: Figure, lang: str) -> list[str]:
    e = md_escape
    ft = figure_text(f, lang)
    badge = f" **{e(ft.badge)}**" if ft.badge else ""
    line = (
        f"- **{e(ft.label)}: {e(ft.value)}** ({e(t('report.col.as_of', lang))} {e(ft.date)}){badge}"
    )
    if ft.context:
        line += f" — {e(ft.context)}"
    out = [line]
    if ft.freshness:
        out.append(f"  {e(ft.freshness)}")
    if ft.explanation or ft.sources:
        src = f" ({e(t('report.col.source', lang))}: FRED {e(ft.sources)})" if ft.sources else ""
        out.append(f"  {e(ft.explanation)}{src}")
    return out


def section_markdown(s: Section, lang: str, images: Mapping[str, str], level: int = 2) -> list[str]:
    e = md_escape
    out = [f"{'#' * level} {e(say(s.title, lang))}", ""]
    if s.intro is not None:
        out += [e(say(s.intro, lang)), ""]
    out += [f"> {e(say(x, lang))}\n" for x in s.errors]
    if s.notice is not None:
        out += [f"> **{e(say(s.notice, lang))}**", ""]
    for f in s.figures:
        out += _figure(f, lang)
    if s.figures:
        out.append("")
    for c in s.charts:
        path = images.get(f"{s.id}:{c.id}")
        if path:
            out += [f"![{e(c.id)}]({path.replace(' ', '%20')})", ""]
    out += [x for p in s.paragraphs for x in (e(say(p, lang)), "")]
    for tb in s.tables:
        out += _table(tb, lang)
    out += [f"- {e(say(n, lang))}" for n in s.notes]
    return [*out, ""]


def render_markdown(report: Report, lang: str, images: Mapping[str, str] | None = None) -> str:
    """The report as Markdown; ``images`` maps chart keys to image paths relative to the file."""
    from .fmt import fmt_date
    from .terminal import header_lines

    e = md_escape
    out = [f"# {e(t('report.html.title', lang))}", ""]
    out += [e(t("report.html.subtitle", lang, date=fmt_date(report.report_date, lang))), ""]
    out += [x for line in header_lines(report, lang) for x in (f"**{e(line)}**", "")]
    out += [f"## {e(t('report.html.headline', lang))}", ""]
    head = [t(f"report.col.{c}", lang) for c in ("figure", "value", "as_of", "detail")]
    rows = []
    for f in report.headline:
        ft = figure_text(f, lang)
        date = f"{ft.date} {ft.badge}".strip()
        rows.append(
            [ft.label, ft.value, date, " ".join(x for x in (ft.context, ft.freshness) if x)]
        )
    out += _rows(head, rows)
    for s in report.sections:
        out += section_markdown(s, lang, images or {})
    return "\n".join(out)


def write_markdown(
    report: Report,
    path: Path | str,
    lang: str,
    charts: Mapping[str, Any],
    chart_dir: Path | str | None = None,
    rendered: list[Path] | None = None,
) -> tuple[Path, list[Path]]:
    """Write the Markdown report to ``path`` and its PNG charts into ``chart_dir`` (default: a
    ``<name>_charts`` folder next to it). ``rendered``: chart files already written there (their
    PNGs are reused). Returns the Markdown path and the PNG paths."""
    md = Path(path)
    folder = Path(chart_dir) if chart_dir is not None else md.with_name(md.stem + "_charts")
    pngs = [p for p in rendered or [] if p.suffix == ".png"]
    if not pngs:
        pngs = write_chart_files(charts, folder, ("png",))
    base = str(md.parent.resolve())
    by_stem = {p.stem: Path(os.path.relpath(str(p.resolve()), base)).as_posix() for p in pngs}
    images = {key: by_stem[file_stem(key)] for key in charts if file_stem(key) in by_stem}
    md.write_text(render_markdown(report, lang, images), encoding="utf-8")
    return md, pngs
