"""The section: what an indicator shows, as data, for every face to render.

A :class:`Section` holds :class:`Figure` s (value, unit, as-of date, freshness, sources,
explanation), :class:`Table` s, :class:`Chart` s and notes. Words are message keys
(:class:`~tidegauge.i18n.Message`) or typed values (:mod:`tidegauge.values`); only a face (the
terminal, the HTML report and dashboard, Markdown, JSON) turns them into text, with the same
functions, so the faces cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ..freshness import Freshness, assess
from ..i18n import Message
from ..values import Day, Joined, Lazy, Localized, Quantity

__all__ = [
    "Cell",
    "Chart",
    "Column",
    "Figure",
    "Period",
    "Row",
    "Section",
    "Table",
    "Text",
    "with_freshness",
]

Period = Literal["day", "week", "month", "quarter", "year"]
"""Granularity of a figure's date (monthly data is dated the first day of its month)."""

Text = Message | Localized | Lazy | Joined | str
"""Something a face turns into words in its language."""

Cell = Text | Quantity | Day | float | int | None
"""A table cell (``None`` shows as a dash)."""


@dataclass(frozen=True)
class Figure:
    """One figure: a value with its unit, the date of the observation it comes from, and why it
    matters.

    Attributes
    ----------
    key
        Identifier, unique in a report (``"net_liquidity"``).
    label
        Its name.
    value
        The number in ``unit``; ``None`` when not available (shown as "?" everywhere).
    unit
        Canonical unit (``"USD billions"``, ``"percent"``, ``"pp"``...) or ``"category"``.
    category, code
        For ``unit == "category"``: the words (``category``) and the code (``code``, e.g.
        ``"QT"``, ``"scarce"``) the value stands for.
    as_of
        Date of the observation the value comes from.
    period
        Granularity of ``as_of``.
    sources
        Catalog ids it is computed from.
    inputs
        Last observation date of each input (for freshness; default: ``as_of`` for every
        source).
    explanation, context
        What it is and why it matters; one line of supporting detail.
    sign, decimals
        Display hints (``+`` on changes).
    detail
        Supporting numbers, JSON-ready (kept in the JSON face).
    freshness
        Set when the section is finished (:func:`with_freshness`).
    """

    key: str
    label: Text
    value: float | None = None
    unit: str = ""
    category: Text | None = None
    code: str | None = None
    as_of: dt.date | None = None
    period: Period = "day"
    sources: tuple[str, ...] = ()
    inputs: Mapping[str, dt.date | None] = field(default_factory=dict)
    explanation: Text | None = None
    context: Text | None = None
    sign: bool = False
    decimals: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    freshness: Freshness | None = None

    @property
    def available(self) -> bool:
        return self.code is not None if self.unit == "category" else self.value is not None

    @property
    def precision(self) -> Literal["day", "month", "year"]:
        if self.period == "year":
            return "year"
        return "month" if self.period in ("month", "quarter") else "day"

    def quantity(self) -> Quantity:
        return Quantity(self.value, self.unit, self.decimals, self.sign)


@dataclass(frozen=True)
class Column:
    """A table column: its key, its heading and how its cells align.

    ``priority`` tells a narrow face which columns to drop first (higher = dropped earlier).
    """

    key: str
    label: Text
    align: Literal["left", "right", "center"] = "left"
    priority: int = 0


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    cls: str | None = None


@dataclass(frozen=True)
class Table:
    """A table of typed cells (formatted by each face the same way)."""

    id: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    title: Text | None = None
    caption: Text | None = None
    empty: Text | None = None

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"table {self.id}: a row has {len(row.cells)} cells")


@dataclass(frozen=True)
class Chart:
    """A chart to draw: ``builder`` names a function of :mod:`tidegauge.presentation.charts`
    (``"balance:fed_assets_chart"``), called as ``builder(*args, lang, **kwargs)``.

    The indicator declares the chart and its data; the presentation layer draws it (PNG/SVG
    files or an interactive chart in HTML).
    """

    id: str
    builder: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    title: Text | None = None
    note: Text | None = None


@dataclass
class Section:
    """What one indicator shows (see the module docstring).

    ``to_json(lang)`` gives the JSON of the analysis result (the ``--json`` output and the
    dashboard API keep it); ``result`` is the result object itself (Python API).
    """

    id: str
    title: Text
    intro: Text | None = None
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    paragraphs: list[Text] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    notice: Text | None = None
    errors: list[Text] = field(default_factory=list)
    result: Any = field(default=None, repr=False)
    to_json: Callable[..., dict[str, Any]] = field(default=lambda lang="en": {}, repr=False)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def with_freshness(
    fig: Figure, report_date: dt.date, latest: Mapping[str, dt.date | None] | None = None
) -> Figure:
    """``fig`` with its :class:`~tidegauge.freshness.Freshness` against ``report_date``
    (``latest``: the last observation of each input series, when the figure uses an earlier one
    on purpose, e.g. ON RRP aligned to the H.4.1 Wednesday)."""
    inputs: Mapping[str, dt.date | None] = fig.inputs or {s: fig.as_of for s in fig.sources}
    if not fig.available:
        inputs = {}
    return replace(fig, freshness=assess(inputs, report_date, latest=latest))
