"""The registry of indicators: adding an indicator is a new module and one line here.

Order matters: it is the order of the report's sections, the dashboard's menu and the headline
table. Each entry is ``"module:Class"`` inside :mod:`tidegauge.indicators`, imported on first use
so that ``tidegauge --help`` stays fast.
"""

from __future__ import annotations

import importlib
from functools import cache

from .base import Indicator

__all__ = ["REGISTRY", "by_command", "by_id", "by_page", "endpoints", "indicators", "pages"]

REGISTRY: tuple[str, ...] = (
    "watch:WhatChanged",
    "balance:Balance",
    "composition:Composition",
    "liquidity:Liquidity",
    "funding:Funding",
    "compare:Compare",
    "realrates:RealRates",
    "realrates:Stance",
    "curve:Curve",
    "checklist:Checklist",
    "checklist:ChecklistHistory",
    "watch:Signals",
    "judgment:Attractiveness",
    "judgment:Effectiveness",
    "banks:Banks",
    "global_liquidity:GlobalLiquidity",
    "simulate:Simulate",
    "backtest:Backtest",
    "judgment:Events",
    "realrates:RealRateHistory",
)
"""Every built-in indicator, in report order."""


@cache
def indicators() -> tuple[Indicator, ...]:
    """One instance of every registered indicator, in :data:`REGISTRY` order."""
    out = []
    for entry in REGISTRY:
        module, name = entry.split(":")
        cls = getattr(importlib.import_module(f"{__package__}.{module}"), name)
        out.append(cls())
    ids = [i.id for i in out]
    if len(set(ids)) != len(ids):
        raise ValueError(f"indicator ids must be unique: {ids}")
    return tuple(out)


def by_id(indicator_id: str) -> Indicator:
    return next(i for i in indicators() if i.id == indicator_id)


def by_command(path: tuple[str, ...]) -> tuple[Indicator, ...]:
    """The indicators a CLI command shows (``("realrate",)``: real rates and the stance)."""
    return tuple(i for i in indicators() if i.command == path)


def by_page(page: str) -> tuple[Indicator, ...]:
    """The indicators shown on dashboard page ``page``."""
    return tuple(i for i in indicators() if i.page == page)


def pages() -> tuple[str, ...]:
    """Dashboard pages in menu order (after the overview)."""
    return tuple(dict.fromkeys(i.page for i in indicators() if i.page))


def endpoints() -> dict[str, Indicator]:
    """``/api/<name>`` → indicator."""
    return {i.endpoint: i for i in indicators() if i.endpoint}
