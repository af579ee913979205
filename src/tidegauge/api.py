"""The Python API: one :class:`Tidegauge` session ties settings, store and source together.

>>> tg = Tidegauge(mirror="../shared/data/fred", store_path=":memory:")  # doctest: +SKIP
>>> df = tg.load(["WALCL", "WTREGEN"], start="2020-01-01")               # doctest: +SKIP
>>> df.attrs["as_of"]["WALCL"]                                            # doctest: +SKIP
'2026-08-26'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._typing import DateLike
from .catalog import CATALOG, resolve_ids
from .config import Settings
from .errors import NoDataError, SourceError, UsageError
from .sources.base import Source, make_source
from .store import Store, as_of_key
from .updater import ProgressFn, UpdateReport, update

if TYPE_CHECKING:
    import pandas as pd


def parse_date(value: DateLike | None, name: str = "date") -> dt.date | None:
    """An ISO date or ``None``; anything else is a :class:`UsageError` naming ``name``."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise UsageError(f"{name} {value!r} is not a date; use YYYY-MM-DD") from None


def check_window(start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and start > end:
        raise UsageError(f"start {start} is after end {end}; swap them")


class Tidegauge:
    """A session over one store and one source.

    Parameters
    ----------
    settings
        Resolved settings; by default from the environment.
    **overrides
        Any :class:`~tidegauge.config.Settings` field (``store_path``, ``mirror``, ...).
    """

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        self.settings = settings or Settings.from_env(**overrides)
        self._store: Store | None = None
        self._source: Source | None = None
        self._families: dict[str, Source] = {}

    # -- resources ------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.settings.store_path)
        return self._store

    @property
    def source(self) -> Source:
        if self._source is None:
            self._source = make_source(self.settings)
        return self._source

    def source_for(self, series_id: str) -> Source:
        """The source of ``series_id``'s family (FRED/mirror, or e.g. ``datahub``)."""
        family = CATALOG[series_id].source
        if family == "fred":
            return self.source
        if family not in self._families:
            self._families[family] = make_source(self.settings, family=family)
        return self._families[family]

    def close(self) -> None:
        for src in self._families.values():
            src.close()
        self._families.clear()
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._source is not None:
            self._source.close()
            self._source = None

    def __enter__(self) -> Tidegauge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- update -----------------------------------------------------------------------------
    def update(
        self,
        ids: Sequence[str] | None = None,
        *,
        full: bool = False,
        on_result: ProgressFn | None = None,
    ) -> UpdateReport:
        """Fetch ``ids`` (default: the whole catalog) incrementally; see :func:`~tidegauge.updater.update`."""
        return update(
            self.store, self.source, ids, full=full, on_result=on_result, source_for=self.source_for
        )

    def ensure(self, ids: Iterable[str]) -> None:
        """Fetch the series the store lacks; raise :class:`SourceError` if any cannot be had."""
        missing = [s for s in ids if not self.store.has(s)]
        if not missing:
            return
        report = self.update(missing)
        if report.failed:
            detail = "; ".join(f"{r.error}" for r in report.failed)
            raise SourceError(f"cannot fetch {', '.join(r.series_id for r in report.failed)}: {detail}")

    # -- read -------------------------------------------------------------------------------
    def load(
        self,
        ids: Iterable[str] | str,
        start: DateLike | None = None,
        end: DateLike | None = None,
        as_of: DateLike | dt.datetime | None = None,
        *,
        fetch_missing: bool = True,
    ) -> pd.DataFrame:
        """Observations of ``ids`` in canonical units, one column per series.

        Parameters
        ----------
        ids
            Catalog ids (case-insensitive).
        start, end
            Inclusive window of observation dates.
        as_of
            Values as the store knew them at this date or time (vintages); default: current.
        fetch_missing
            Fetch series the store lacks from the configured source first.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``date``; rows where every column is missing are dropped.
            ``df.attrs["as_of"][id]`` is the date of the latest non-missing observation,
            ``df.attrs["units"][id]`` the canonical unit and ``df.attrs["fetched_at"][id]`` when
            the series was last fetched.
        """
        import numpy as np
        import pandas as pd

        sids = resolve_ids(ids)
        d0, d1 = parse_date(start, "start"), parse_date(end, "end")
        check_window(d0, d1)
        if fetch_missing and as_of is None:
            self.ensure(sids)
        key = as_of_key(as_of)
        columns: dict[str, pd.Series] = {}
        as_of_dates: dict[str, str | None] = {}
        fetched: dict[str, str | None] = {}
        for sid in sids:
            info = CATALOG[sid]
            rows = self.store.observations(
                sid, d0.isoformat() if d0 else None, d1.isoformat() if d1 else None, key
            )
            dates = np.array([r[0] for r in rows], dtype="datetime64[D]")
            values = np.array([r[1] for r in rows], dtype=float)
            if info.scale_exp < 0:
                values = values / 10 ** (-info.scale_exp)
            elif info.scale_exp > 0:
                values = values * 10**info.scale_exp
            columns[sid] = pd.Series(values, index=pd.DatetimeIndex(dates, name="date"), name=sid)
            valid = np.flatnonzero(~np.isnan(values))
            as_of_dates[sid] = str(dates[valid[-1]]) if len(valid) else None
            stored = self.store.series(sid)
            fetched[sid] = stored.fetched_at if stored else None
        if columns:
            df = pd.concat(columns.values(), axis=1, sort=True)
        else:  # pragma: no cover - resolve_ids never returns an empty list for non-empty input
            df = pd.DataFrame()
        df = df.dropna(how="all")
        df.index.name = "date"
        df.attrs["as_of"] = as_of_dates
        df.attrs["units"] = {sid: CATALOG[sid].unit for sid in sids}
        df.attrs["fetched_at"] = fetched
        return df

    def series(
        self,
        series_id: str,
        start: DateLike | None = None,
        end: DateLike | None = None,
        as_of: DateLike | None = None,
    ) -> pd.Series:
        """One series without missing values; :class:`NoDataError` when the window is empty."""
        sid = resolve_ids([series_id])[0]
        df = self.load([sid], start, end, as_of)
        s = df[sid].dropna() if sid in df else None
        if s is None or s.empty:
            raise NoDataError(f"{sid}: no observations in the requested window")
        s.attrs = {"as_of": df.attrs["as_of"][sid], "unit": df.attrs["units"][sid]}
        return s

    # -- export -----------------------------------------------------------------------------
    def export(
        self,
        ids: Iterable[str],
        out: Path | str,
        *,
        fmt: str = "csv",
        start: DateLike | None = None,
        end: DateLike | None = None,
    ) -> Path:
        """Write ``ids`` in canonical units to ``out`` (CSV with ``#`` metadata lines, or Parquet
        with per-column unit metadata). Returns the path written."""
        from .presentation.export import write_export

        df = self.load(ids, start, end)
        if df.empty:
            raise NoDataError("nothing to export in the requested window")
        return write_export(df, Path(out), fmt)
