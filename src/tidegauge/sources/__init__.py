"""Sources: where observations come from (FRED, a mirror directory, ...).

See :mod:`tidegauge.sources.base` for the contract every source follows and
:mod:`tidegauge.sources.registry` for the name → factory map (``make_source``,
``register_source``). The registry is imported on first use, so that importing the contract
does not import the HTTP stack.
"""

from __future__ import annotations

from typing import Any

from .base import FetchResult, KnownState, Observation, Query, SeriesMeta, Source

__all__ = [
    "FetchResult",
    "KnownState",
    "Observation",
    "Query",
    "SeriesMeta",
    "Source",
    "make_source",
    "register_source",
    "source_names",
]

_FROM_REGISTRY = ("make_source", "register_source", "source_names")


def __getattr__(name: str) -> Any:
    if name in _FROM_REGISTRY:
        from . import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
