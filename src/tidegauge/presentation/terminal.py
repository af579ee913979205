"""The terminal face (rich): any section, and the report's summary.

Tables never cut a value: numbers and dates do not wrap, text columns fold, and when a table is
wider than the terminal the columns of lowest priority are left out (a note says so).
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


def _min_width(columns: Sequence[tuple[str, str, bool]], rows: Sequence[Sequence[str]]) -> int:
    """The narrowest a table can be without cutting a number or a word: every column that does
    not wrap at its widest cell, every wrapping column at its minimum, plus borders/padding."""
    from rich.cells import cell_len

    total = len(columns) + 1 + 2 * len(columns)
    for j, (head, _, wraps) in enumerate(columns):
        cells = [r[j] for r in rows]
        if wraps:
            words = [w for x in [*cells, head] for w in x.split()]
            total += min(MIN_TEXT_WIDTH, max((cell_len(w) for w in words), default=1))
        else:
            longest_line = [cell_len(line) for x in [*cells, head] for line in x.splitlines()]
            total += max(longest_line, default=1)
    return total


MIN_TEXT_WIDTH = 14
"""A wrapping text column gets at least this many characters (or its longest word)."""


def _rich_table(
    columns: Sequence[tuple[str, str, bool]], rows: Sequence[Sequence[str]], title: str | None
) -> Any:
    from rich.table import Table as RichTable

    tab = RichTable(
        title=title, title_justify="left", show_header=True, header_style="bold", pad_edge=False
    )
    for j, (head, align, wraps) in enumerate(columns):
        if wraps:  # words wrap, never inside a word
            words = [w for r in rows for w in r[j].split()] + head.split()
            width = min(MIN_TEXT_WIDTH, max((len(w) for w in words), default=1))
            tab.add_column(head, justify=align, overflow="fold", min_width=width)  # type: ignore[arg-type]
        else:  # numbers and dates are never cut or wrapped
            tab.add_column(head, justify=align, no_wrap=True)  # type: ignore[arg-type]
    for row in rows:
        tab.add_row(*row)
    return tab


def _wraps(cells: Sequence[Any], texts: Sequence[str]) -> bool:
    """A column wraps when it holds words (not numbers or dates) and some are long."""
    from ..values import Day, Quantity

    values = [c for c in cells if c is not None]
    if values and all(isinstance(c, Day | Quantity | int | float) for c in values):
        return False
    return any(" " in x and len(x) > 16 for x in texts)


def _fit_table(
    console: Any,
    columns: Sequence[tuple[str, str, bool, int]],
    rows: list[list[str]],
    title: str | None,
    lang: str,
) -> tuple[Any, list[str]]:
    """A rich table of ``columns`` (head, align, folds, priority) that fits the console width,
    leaving out columns by priority (highest first); returns the table and the dropped heads."""
    keep = list(range(len(columns)))
    dropped: list[str] = []
    while True:
        cols = [columns[i][:3] for i in keep]
        body = [[_esc(r[i]) for i in keep] for r in rows]
        tab = _rich_table(cols, body, _esc(title) if title else None)
        plain = [[r[i] for i in keep] for r in rows]
        if _min_width(cols, plain) <= console.width or len(keep) <= 2:
            return tab, dropped
        worst = max(keep, key=lambda i: (columns[i][3], i))
        if columns[worst][3] == 0:
            return tab, dropped
        keep.remove(worst)
        dropped.append(columns[worst][0])


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
    tab, dropped = _fit_table(console, columns, rows, title, lang)
    console.print(tab)
    _dropped_note(console, dropped, lang)


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
    tab, dropped = _fit_table(console, columns, rows, title, lang)
    console.print(tab)
    if table.caption is not None:
        console.print(_esc(say(table.caption, lang)), style="dim")
    _dropped_note(console, dropped, lang)


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
