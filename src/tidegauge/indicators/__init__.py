"""Indicators: one module per indicator, each declaring its inputs and parameters, computing a
result from data and describing it as a :class:`~tidegauge.indicators.model.Section` that every
face renders (terminal, HTML report, dashboard, Markdown, JSON).

See :mod:`tidegauge.indicators.base` for how to write one and
:mod:`tidegauge.indicators.registry` for the registry; ``docs/architecture.md`` ("How to add an
indicator") lists the files an indicator touches.
"""

from __future__ import annotations

from .base import Indicator, Inputs, load_inputs
from .model import Chart, Column, Figure, Row, Section, Table
from .params import Param

__all__ = [
    "Chart",
    "Column",
    "Figure",
    "Indicator",
    "Inputs",
    "Param",
    "Row",
    "Section",
    "Table",
    "load_inputs",
]
