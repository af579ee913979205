"""The terminal face (rich): any section, and the report's summary.

Tables never cut a value: numbers and dates do not wrap, text columns wrap between words (never
inside a number or a date), and when a table is wider than the terminal the columns of lowest
priority are left out (a note says so), or the table becomes a list of records
(:mod:`.termlayout`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..i18n import t
from .fmt import fmt_date
from .text import FigureText, figure_text, say

if TYPE_CHECKING:
    from ..indicators.model import Figure, Section, Table
    from ..indicators.report import Report

__all__ = ["print_report", "print_section", "print_sections"]

STALE_MARK = "⚠"


def _esc(text: str) -> str:
    """Text from data or catalog must not be read as rich markup."""
    from rich.markup import escape

    return escape(text)


def date_cell(ft: FigureText) -> str:
    """The as-of date with its freshness badge on a second line (``Aug 26, 2026`` / ``⚠ stale``)."""
    return f"{ft.date}\n{STALE_MARK} {ft.badge}" if ft.badge else ft.date


def _rich_table(
    heads: Sequence[str],
    aligns: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    title: str | None,
    compact: bool = False,
) -> Any:
    from rich import box
    from rich.table import Table as RichTable

    from .termlayout import wrap_text

    tab = RichTable(
        title=_esc(title) if title else None,
        title_justify="left",
        show_header=True,
        header_style="bold",
        pad_edge=False,
    )
    if compact:  # no borders, one space between columns
        tab.box, tab.show_edge, tab.padding = box.SIMPLE_HEAD, False, (0, 0, 0, 0)
    for head, align, width in zip(heads, aligns, widths, strict=True):
        tab.add_column(
            _esc("\n".join(wrap_text(head, width))),
            justify=align,  # type: ignore[arg-type]
            no_wrap=True,
            width=width,
        )
    for row in rows:
        tab.add_row(*(_esc("\n".join(wrap_text(x, w))) for x, w in zip(row, widths, strict=True)))
    return tab


def _wraps(cells: Sequence[Any], texts: Sequence[str]) -> bool:
    """A column wraps when it holds words (not numbers or dates)."""
    from ..values import Day, Quantity

    values = [c for c in cells if c is not None]
    if values and all(isinstance(c, Day | Quantity | int | float) for c in values):
        return False
    return any(len(x) > 8 for x in texts)


def _print_fitted(
    console: Any,
    columns: Sequence[tuple[str, str, bool, int]],
    rows: list[list[str]],
    title: str | None,
    lang: str,
) -> None:
    """Print a table of ``columns`` (head, align, wraps, priority) that fits the console:
    columns of highest priority number are left out first (a note says which); a table that
    cannot fit even then is printed as records (``head: value`` lines)."""
    from .termlayout import layout, wrap_text

    heads = [c[0] for c in columns]
    lay = layout(heads, rows, [c[2] for c in columns], [c[3] for c in columns], console.width)
    if lay.records:
        if title:
            console.print(f"[bold]{_esc(title)}[/bold]")
        for row in rows:
            console.print("─" * min(console.width, 40), style="dim")
            for head, cell in zip(heads, row, strict=True):
                text = f"{head}: {cell}".replace("\n", " ")
                for line in wrap_text(text, console.width):
                    console.print(_esc(line), soft_wrap=True)
        return
    tab = _rich_table(
        [heads[i] for i in lay.keep],
        [columns[i][1] for i in lay.keep],
        [[r[i] for i in lay.keep] for r in rows],
        lay.widths,
        title,
        lay.compact,
    )
    console.print(tab)
    _dropped_note(console, [heads[i] for i in lay.dropped], lang)


def figures_table(
    figures: Sequence[Figure], lang: str, console: Any, title: str | None = None
) -> None:
    """Figures as a table: name, value, as-of date (with freshness), detail."""
    texts = [figure_text(f, lang) for f in figures]
    columns = [
        (t("report.col.figure", lang), "left", True, 0),
        (t("report.col.value", lang), "right", False, 0),
        (t("report.col.as_of", lang), "left", False, 0),
        (t("report.col.detail", lang), "left", True, 1),
    ]
    rows = [[ft.label, ft.value, date_cell(ft), ft.context] for ft in texts]
    _print_fitted(console, columns, rows, title, lang)


def _dropped_note(console: Any, dropped: list[str], lang: str) -> None:
    if dropped:
        console.print(
            _esc(t("report.terminal.columns_left_out", lang, columns=", ".join(dropped))),
            style="dim",
        )


def print_table(table: Table, lang: str, console: Any) -> None:
    rows = [[say(cell, lang) for cell in row.cells] for row in table.rows]
    columns = [
        (
            say(c.label, lang),
            c.align,
            _wraps([r.cells[j] for r in table.rows], [r[j] for r in rows]),
            c.priority,
        )
        for j, c in enumerate(table.columns)
    ]
    title = say(table.title, lang) if table.title is not None else None
    if not rows:
        if table.empty is not None:
            console.print(_esc(say(table.empty, lang)))
        return
    _print_fitted(console, columns, rows, title, lang)
    if table.caption is not None:
        console.print(_esc(say(table.caption, lang)), style="dim")


def print_section(section: Section, lang: str, console: Any, *, heading: bool = True) -> None:
    """One section: title, errors, figures, tables, paragraphs and notes."""
    if heading:
        console.print(f"[bold]{_esc(say(section.title, lang))}[/bold]")
    for e in section.errors:
        console.print(_esc(say(e, lang)), style="yellow")
    if section.notice is not None:
        console.print(_esc(say(section.notice, lang)), style="bold")
    if section.figures:
        figures_table(section.figures, lang, console)
    for p in section.paragraphs:
        console.print(_esc(say(p, lang)), soft_wrap=True)
    for tab in section.tables:
        print_table(tab, lang, console)
    for n in section.notes:
        console.print(_esc(say(n, lang)), style="dim", soft_wrap=True)


def print_sections(sections: Sequence[Section], lang: str, console: Any) -> None:
    for i, s in enumerate(sections):
        if i:
            console.print()
        print_section(s, lang, console, heading=len(sections) > 1 or bool(s.errors))


def print_report(report: Report, lang: str, console: Any, *, footer: Sequence[str] = ()) -> None:
    """The summary of ``tidegauge report``: what changed, the headline figures (unit, date,
    freshness), the checklist's conditions and verdict, the sections that are missing, the files
    written."""
    console.print(f"[bold]{_esc(report_title(report, lang))}[/bold]")
    for line in header_lines(report, lang):
        console.print(_esc(line))
    changed = next((s for s in report.sections if s.id == "changes" and not s.errors), None)
    if changed is not None:  # "What changed" first: its summary, signal changes and revisions
        console.print(f"[bold]{_esc(say(changed.title, lang))}[/bold]")
        for p in changed.paragraphs:
            console.print(_esc(say(p, lang)), soft_wrap=True)
        for table in changed.tables:
            if table.id in ("signals", "revisions"):
                print_table(table, lang, console)
    figures_table(report.headline, lang, console)
    try:
        ck = report.section("checklist")
    except StopIteration:
        ck = None
    if ck is not None and ck.tables:
        print_table(ck.tables[0], lang, console)
        for p in ck.paragraphs:
            console.print(_esc(say(p, lang)), soft_wrap=True)
    missing = [s for s in report.sections if s.errors]
    if missing:
        items = "; ".join(
            f"{say(s.title, lang)}: {' '.join(say(e, lang) for e in s.errors)}" for s in missing
        )
        console.print(
            _esc(t("report.terminal.sections_missing", lang, items=items)), style="yellow"
        )
    for line in footer:
        console.print(_esc(line), soft_wrap=True)


def report_title(report: Report, lang: str) -> str:
    return t("report.terminal.title", lang, date=fmt_date(report.report_date, lang))


def header_lines(report: Report, lang: str) -> list[str]:
    """Point in time or not, and the newest and oldest input (shared with the HTML header)."""
    lines = []
    if report.point_in_time:
        lines.append(t("report.html.point_in_time", lang, date=fmt_date(report.report_date, lang)))
    newest, oldest = report.newest, report.oldest
    if newest and oldest:
        lines.append(
            t(
                "report.html.inputs_range",
                lang,
                newest_id=newest[0],
                newest=fmt_date(newest[1], lang),
                oldest_id=oldest[0],
                oldest=fmt_date(oldest[1], lang),
            )
        )
    stale = sum(1 for f in report.headline if f.freshness and f.freshness.status == "stale")
    if stale:
        lines.append(t("report.html.stale_count", lang, n=stale))
    return lines
