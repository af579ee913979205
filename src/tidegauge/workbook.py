"""XLSX workbooks (openpyxl): sheets of a header row and raw values, numbers as numbers and
dates as dates. Used by :mod:`tidegauge.export` and, through
:mod:`tidegauge.presentation.tabular`, by the dashboard's table downloads.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

__all__ = ["Value", "to_xlsx"]

Value = str | float | int | dt.date | None
"""A raw cell: text, a number, a date or nothing."""


def to_xlsx(
    sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Value]]]],
    meta: Sequence[Sequence[str]] = (),
) -> bytes:
    """A workbook with one sheet per ``(name, headers, rows)`` (names cut to Excel's 31
    characters), and a ``about`` sheet with the ``meta`` rows when given."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, heads, rows in sheets:
        title = _sheet_name(name, used)
        ws = wb.create_sheet(title)
        ws.append(list(heads))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([None if isinstance(v, float) and v != v else v for v in row])
        for j, head in enumerate(heads, start=1):
            if rows and isinstance(rows[0][j - 1], dt.date):
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = "yyyy-mm-dd"
            width = max([len(str(head)), *(len(str(r[j - 1])) for r in rows[:200])], default=8)
            ws.column_dimensions[ws.cell(1, j).column_letter].width = min(max(width + 2, 10), 60)
        ws.freeze_panes = "A2"
    if meta:
        ws = wb.create_sheet(_sheet_name("about", used))
        for line in meta:
            ws.append(list(line))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"
    title, i = base, 2
    while title in used:
        title = f"{base[:28]}_{i}"
        i += 1
    used.add(title)
    return title
