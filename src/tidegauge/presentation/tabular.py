"""Tables as data files: CSV and XLSX of any model table, with raw values.

The terminal and the pages show formatted text ("$6.73 trillion", "Jun 17, 2026"); a
spreadsheet needs the numbers and the dates themselves. :func:`table_data` turns a
:class:`~tidegauge.indicators.model.Table` (or a list of figures) into a header row (words in the
face's language, unit in the header when a column has one) and rows of raw values: a
:class:`~tidegauge.values.Quantity` becomes its number, a :class:`~tidegauge.values.Day` an ISO
date, any other cell its text. CSV is plain (no comment lines: ``pandas.read_csv`` and every
spreadsheet read it as is); XLSX is a real workbook (openpyxl) with numbers as numbers and dates
as dates.

>>> from tidegauge.indicators.model import Column, Row, Table
>>> from tidegauge.values import Day, Quantity
>>> tb = Table("t", (Column("d", "Date"), Column("v", "Value")),
...            (Row((Day("2026-06-17"), Quantity(6720.4, "USD billions"))),))
>>> print(to_csv(*table_data(tb, "en")), end="")
Date,Value (USD billions)
2026-06-17,6720.4
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..i18n import catalog, t
from ..values import Day, Quantity
from ..workbook import to_xlsx
from .text import say

if TYPE_CHECKING:
    from ..indicators.model import Figure, Table

__all__ = ["figures_data", "table_data", "to_csv", "to_xlsx"]

Value = str | float | int | dt.date | None


def _raw(cell: Any, lang: str) -> Value:
    if cell is None:
        return None
    if isinstance(cell, Quantity):
        return cell.value
    if isinstance(cell, Day):
        return cell.date
    if isinstance(cell, bool):
        return say(cell, lang)
    if isinstance(cell, int | float):
        return cell
    return say(cell, lang)


def _unit_name(unit: str, lang: str) -> str:
    key = f"unit.{unit}"
    return t(key, lang) if key in catalog() else unit


def table_data(tb: Table, lang: str) -> tuple[list[str], list[list[Value]]]:
    """The header row and the raw rows of ``tb`` (a column whose cells share one unit names it
    in its header: ``Change (USD billions)``)."""
    heads = []
    for j, col in enumerate(tb.columns):
        units = {c.unit for r in tb.rows if isinstance(c := r.cells[j], Quantity)}
        head = say(col.label, lang)
        if len(units) == 1:
            unit = units.pop()
            if unit not in ("", "number", "category") and not (unit == "percent" and "%" in head):
                head = f"{head} ({_unit_name(unit, lang)})"
        heads.append(head)
    return heads, [[_raw(c, lang) for c in r.cells] for r in tb.rows]


def figures_data(figures: Sequence[Figure], lang: str) -> tuple[list[str], list[list[Value]]]:
    """Figures as rows: key, name, value, unit, as-of date, sources, the value as shown."""
    from .text import figure_text

    heads = ["key", *(t(f"report.col.{c}", lang) for c in ("figure", "value")), "unit"]
    heads += [t("report.col.as_of", lang), t("report.col.source", lang), "text"]
    rows: list[list[Value]] = []
    for f in figures:
        ft = figure_text(f, lang)
        value: Value = f.code if f.unit == "category" else f.value
        rows.append([f.key, ft.label, value, f.unit, f.as_of, " ".join(f.sources), ft.value])
    return heads, rows


def _csv_value(v: Value) -> Any:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return repr(float(f"{v:.12g}")) if v == v else ""  # no binary noise (…0000000001)
    return v


def to_csv(heads: Sequence[str], rows: Sequence[Sequence[Value]]) -> str:
    """Plain CSV text: one header row, then the rows (dates ISO, numbers in full precision)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([str(h) for h in heads])
    for row in rows:
        w.writerow([_csv_value(v) for v in row])
    return buf.getvalue()
