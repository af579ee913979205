"""tidegauge — measure the tide of central-bank money from official data.

The package follows the pipeline ``sources → store → analysis → presentation``:

* :mod:`tidegauge.sources` — FRED (CSV or API) and mirror directories,
* :mod:`tidegauge.store` — the embedded SQLite store with vintages,
* :mod:`tidegauge.analysis` — pure functions of data,
* :mod:`tidegauge.presentation` — terminal, files, charts and messages,
* :mod:`tidegauge.cli` — the command line, a thin layer over :class:`Tidegauge`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._typing import DateLike
from .api import Tidegauge
from .catalog import CATALOG, SeriesInfo
from .errors import (
    NoDataError,
    SeriesNotFound,
    SourceError,
    StaleDataWarning,
    StoreError,
    TidegaugeError,
    UsageError,
)

if TYPE_CHECKING:
    import pandas as pd

from ._version import __version__ as __version__

__all__ = [
    "CATALOG",
    "NoDataError",
    "SeriesInfo",
    "SeriesNotFound",
    "SourceError",
    "StaleDataWarning",
    "StoreError",
    "Tidegauge",
    "TidegaugeError",
    "UsageError",
    "load",
]


def load(
    ids: Iterable[str] | str,
    start: DateLike | None = None,
    end: DateLike | None = None,
    as_of: DateLike | _dt.datetime | None = None,
    **settings: Any,
) -> pd.DataFrame:
    """Load series in canonical units (see :meth:`Tidegauge.load`).

    ``settings`` are :class:`~tidegauge.config.Settings` fields, e.g. ``store_path`` or
    ``mirror``; by default they come from the environment.
    """
    with Tidegauge(**settings) as tg:
        return tg.load(ids, start, end, as_of)
