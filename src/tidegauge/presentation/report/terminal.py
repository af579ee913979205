"""The terminal summary of ``tidegauge report`` (rich): every headline figure with its unit and
as-of date, the checklist verdict with its conditions, and where the full report was written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._typing import Lang
from ...i18n import t
from ..fmt import NA, fmt_date, fmt_number

if TYPE_CHECKING:
    from ...analysis.checklist_rules import Condition
    from ..overview import Overview

__all__ = ["condition_cells", "print_summary"]

_DECIMALS = {"bn": 0, "bp": 0}


def condition_cells(c: Condition, lang: Lang) -> tuple[str, str, str, str, str]:
    """Name, met mark (✓ ✗ ?), value with unit, threshold with unit, as-of date of a condition."""
    name = t(f"judgment.condition.{c.id}.name", lang)
    mark = "?" if c.met is None else ("✓" if c.met else "✗")
    if c.value is None:
        return name, mark, t("report.text.na", lang), NA, NA
    unit = t(f"judgment.unit.{c.unit}", lang)
    d = _DECIMALS.get(c.unit, 2)
    value = f"{fmt_number(c.value, lang, decimals=d)} {unit}"
    threshold = NA if c.threshold is None else f"{fmt_number(c.threshold, lang, decimals=d)} {unit}"
    return name, mark, value, threshold, fmt_date(c.as_of, lang)


def print_summary(
    ov: Overview,
    lang: Lang,
    console: Any,
    *,
    footer: list[str] | None = None,
) -> None:
    """Print the summary to a rich ``console``.

    Parameters
    ----------
    footer
        Lines printed last (which files were written; the HTML report's path last).
    """
    from rich.table import Table

    title = t("report.terminal.title", lang, date=fmt_date(ov.data_date, lang))
    console.print(f"[bold]{_esc(title)}")
    if ov.point_in_time:
        console.print(_esc(t("report.html.point_in_time", lang, date=fmt_date(ov.as_of, lang))))
    table = Table(show_header=True, header_style="bold", expand=False, pad_edge=False)
    table.add_column(t("report.col.figure", lang), overflow="fold", ratio=3)
    table.add_column(t("report.col.value", lang), overflow="fold", ratio=2, justify="right")
    table.add_column(t("report.col.as_of", lang), no_wrap=True)
    table.add_column(t("report.col.detail", lang), overflow="fold", ratio=4)
    for f in ov.figures:
        value = f.text(lang)
        style = "bold" if f.available else "dim"
        detail = f.context(lang) or ""
        table.add_row(
            _esc(f.label(lang)),
            f"[{style}]{_esc(value)}[/{style}]",
            _esc(f.date_text(lang)),
            _esc(detail),
        )
    console.print(table)
    ck = ov.checklist
    if ck is not None:
        ctab = Table(
            title=t("report.terminal.checklist", lang), title_justify="left", pad_edge=False
        )
        for col, kw in (
            ("condition", {"overflow": "fold", "ratio": 3}),
            ("met", {"justify": "center", "no_wrap": True}),
            ("value", {"justify": "right", "overflow": "fold", "ratio": 2}),
            ("threshold", {"justify": "right", "overflow": "fold", "ratio": 2}),
            ("as_of", {"no_wrap": True}),
        ):
            ctab.add_column(t(f"report.col.{col}", lang), **kw)
        for c in ck.conditions:
            ctab.add_row(*(_esc(x) for x in condition_cells(c, lang)))
        console.print(ctab)
        verdict = t(f"report.verdict.{ck.verdict}", lang)
        console.print(f"[bold]{_esc(t('report.text.verdict', lang, verdict=verdict))}[/bold]")
        console.print(_esc(t(f"judgment.verdict.{ck.verdict}", lang)))
    if ov.errors:
        from ..overview import error_label

        items = "; ".join(f"{error_label(k, lang)}: {v}" for k, v in ov.errors.items())
        console.print(
            _esc(t("report.terminal.sections_missing", lang, items=items)), style="yellow"
        )
    for line in footer or []:
        console.print(_esc(line), soft_wrap=True)


def _esc(text: str) -> str:
    """Text from data or catalog must not be read as rich markup."""
    from rich.markup import escape

    return escape(text)
