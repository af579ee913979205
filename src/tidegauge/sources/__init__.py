"""Sources: where observations come from (FRED, a mirror directory, ...).

See :mod:`tidegauge.sources.base` for the contract every source follows.
"""

from .base import (
    FetchResult,
    KnownState,
    Observation,
    Query,
    SeriesMeta,
    Source,
    make_source,
    register_source,
    source_names,
)

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
