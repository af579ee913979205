"""The Markdown report (for pasting elsewhere) with PNG charts, and chart files (PNG + SVG).

Text from the data or the catalog is escaped for Markdown (``|``, ``*``, ``_``, ``<``...), so it
cannot become markup, links or HTML when the file is rendered.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..._typing import Lang
from .view import Table, report_view

if TYPE_CHECKING:
    from ..overview import Overview

__all__ = ["md_escape", "write_chart_files", "write_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown punctuation; newlines become spaces (table cells stay one line)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def write_chart_files(
    charts: dict[str, Any], folder: Path, formats: tuple[str, ...] = ("png", "svg")
) -> list[Path]:
    """Write every chart as ``<name>.<format>`` into ``folder`` (created if missing)."""
    from ..charts import render

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, chart in charts.items():
        for ext in formats:
            out.append(render(chart, folder / f"{name}.{ext}"))
    return out


def _table(tb: Table) -> list[str]:
    lines = []
    if tb.caption:
        lines += [f"**{md_escape(tb.caption)}**", ""]
    lines.append("| " + " | ".join(md_escape(c) for c in tb.columns) + " |")
    lines.append("|" + "---|" * len(tb.columns))
    for row in tb.rows:
        lines.append("| " + " | ".join(md_escape(c) for c in row) + " |")
    lines.append("")
    return lines


def render_markdown(ov: Overview, lang: Lang, images: dict[str, str] | None = None) -> str:
    """The report as Markdown; ``images`` maps chart names to image paths relative to the file."""
    from ...i18n import t

    images = images or {}
    v = report_view(ov, lang, list(images))
    e = md_escape
    out = [f"# {e(v.title)}", "", e(v.subtitle), ""]
    if v.point_in_time:
        out += [f"**{e(v.point_in_time)}**", ""]
    out += [f"## {e(t('report.html.headline', lang))}", ""]
    head = Table(
        [t(f"report.col.{c}", lang) for c in ("figure", "value", "as_of", "detail")],
        [[f.label, f.value, f.date, f.context] for f in v.headline],
    )
    out += _table(head)
    for s in v.sections:
        out += [f"## {e(s.title)}", "", e(s.intro), ""]
        out += [f"> {e(x)}\n" for x in s.errors]
        if s.notice:
            out += [f"> **{e(s.notice)}**", ""]
        for f in s.figures:
            line = (
                f"- **{e(f.label)}: {e(f.value)}** ({e(t('report.col.as_of', lang))} {e(f.date)})"
            )
            if f.context:
                line += f" — {e(f.context)}"
            out += [line, f"  {e(f.explanation)} ({e(t('report.col.source', lang))}: FRED "
                    f"{e(f.sources)})"]  # fmt: skip
        if s.figures:
            out.append("")
        for name in s.charts:
            path = images[name].replace(" ", "%20")
            out += [f"![{e(name)}]({path})", ""]
        out += [x for p in s.paragraphs for x in (e(p), "")]
        for tb in s.tables:
            out += _table(tb)
        out += [f"- {e(n)}" for n in s.notes]
        out.append("")
    out += ["---", "", e(v.footer), ""]
    return "\n".join(out)


def write_markdown(
    ov: Overview,
    path: Path | str,
    lang: Lang,
    charts: dict[str, Any],
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
    rel = {p.stem: Path(os.path.relpath(str(p.resolve()), base)).as_posix() for p in pngs}
    md.write_text(render_markdown(ov, lang, rel), encoding="utf-8")
    return md, pngs
