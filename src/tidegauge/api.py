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

from ._dates import check_window, parse_date
from ._typing import DateLike
from .catalog import CATALOG, resolve_ids
from .config import Settings
from .errors import NoDataError, SourceError
from .sources.base import Source
from .store import Store, as_of_key
from .updater import ProgressFn, UpdateReport, update

if TYPE_CHECKING:
    import pandas as pd


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
            self._store = Store(self.settings.store_path, timeout=self.settings.store_timeout)
        return self._store

    @property
    def source(self) -> Source:
        if self._source is None:
            from .sources.registry import make_source  # imports the HTTP stack: on first use

            self._source = make_source(self.settings)
        return self._source

    def source_for(self, series_id: str) -> Source:
        """The source of ``series_id``'s family (FRED/mirror, or e.g. ``datahub``)."""
        family = CATALOG[series_id].source
        if family == "fred":
            return self.source
        if family not in self._families:
            from .sources.registry import make_source

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
        vintages: bool = False,
    ) -> UpdateReport:
        """Fetch ``ids`` (default: the whole catalog) incrementally; ``vintages=True`` imports
        every ALFRED vintage instead (needs ``FRED_API_KEY``).

        See :func:`tidegauge.updater.update`.
        """
        return update(
            self.store,
            self.source,
            ids,
            full=full,
            on_result=on_result,
            source_for=self.source_for,
            vintages=vintages,
            max_seconds=self.settings.max_update,
        )

    def ensure(self, ids: Iterable[str]) -> None:
        """Fetch the series the store lacks; raise :class:`SourceError` if any cannot be had."""
        missing = [s for s in ids if not self.store.has(s)]
        if not missing:
            return
        report = self.update(missing)
        if report.failed:
            names = ", ".join(r.series_id for r in report.failed)
            if len(report.failed) == 1 and report.failed[0].exc is not None:
                detail: object = report.failed[0].exc
            else:
                detail = "; ".join(f"{r.error}" for r in report.failed)
            raise SourceError.t("errors.source.cannot_fetch", names=names, detail=detail)

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
        stored = {s.id: s for s in self.store.all_series()}  # one query, not one per series
        columns: list[tuple[np.ndarray, np.ndarray]] = []
        as_of_dates: dict[str, str | None] = {}
        fetched: dict[str, str | None] = {}
        for sid in sids:
            info = CATALOG[sid]
            packed = self.store.current_arrays(sid) if key is None else None
            if packed is not None:
                dates, values = packed
                lo = np.searchsorted(dates, np.datetime64(d0, "D")) if d0 else 0
                hi = np.searchsorted(dates, np.datetime64(d1, "D"), "right") if d1 else len(dates)
                dates, values = dates[lo:hi], values[lo:hi]
            else:
                rows = self.store.observations(
                    sid, d0.isoformat() if d0 else None, d1.isoformat() if d1 else None, key
                )
                dates = np.array([r[0] for r in rows], dtype="datetime64[D]")
                values = np.array([r[1] for r in rows], dtype=float)
            if info.scale_exp < 0:
                values = values / 10 ** (-info.scale_exp)
            elif info.scale_exp > 0:
                values = values * 10**info.scale_exp
            columns.append((dates, values))
            valid = np.flatnonzero(~np.isnan(values))
            as_of_dates[sid] = str(dates[valid[-1]]) if len(valid) else None
            fetched[sid] = stored[sid].fetched_at if sid in stored else None
        # Align on the union of dates with numpy (an outer pd.concat of ~40 series costs ~100 ms
        # for the whole catalog): mark every day seen in a bitmap over the date range, then
        # place each series in one (series x dates) array.
        days = np.concatenate([d for d, _ in columns]).astype("int64")
        if len(days):
            first = days.min()
            seen = np.zeros(days.max() - first + 1, dtype=bool)
            seen[days - first] = True
            position = np.cumsum(seen) - 1
            index = (np.flatnonzero(seen) + first).astype("datetime64[D]")
        else:
            first, position, index = 0, np.zeros(0, dtype=np.int64), days.astype("datetime64[D]")
        data = np.full((len(columns), len(index)), np.nan)
        for j, (dates, values) in enumerate(columns):
            data[j, position[dates.astype("int64") - first]] = values
        keep = ~np.isnan(data).all(axis=0)  # drop rows where every column is missing
        df = pd.DataFrame(
            data[:, keep].T, index=pd.DatetimeIndex(index[keep], name="date"), columns=list(sids)
        )
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
            raise NoDataError.t("errors.data.no_observations", series_id=sid)
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
            raise NoDataError.t("errors.data.nothing_to_export")
        return write_export(df, Path(out), fmt)
