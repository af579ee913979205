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
from .catalog import CATALOG, SeriesInfo, describe, guess_frequency, normalise_ids, unknown_series
from .config import Settings
from .errors import NoDataError, NotInSource, SourceError
from .store import Store, StoredSeries, as_of_key

if TYPE_CHECKING:
    import pandas as pd

    from .indicators.report import Report
    from .sources.base import Source
    from .updater import ProgressFn, UpdateReport


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
        """The source of ``series_id``'s family (FRED/mirror, or e.g. ``datahub``); an id
        outside the catalog is a FRED id."""
        info = CATALOG.get(series_id)
        family = info.source if info is not None else "fred"
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
        from .updater import update  # the fetching stack: not needed to read the store

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
        """Fetch the series the store lacks; raise :class:`SourceError` if any cannot be had,
        or :class:`~tidegauge.errors.SeriesNotFound` for an id outside the catalog that the
        source does not have either (the message names close catalog ids)."""
        missing = [s for s in ids if not self.store.has(s)]
        if not missing:
            return
        report = self.update(missing)
        for r in report.failed:
            if r.series_id not in CATALOG and isinstance(r.exc, NotInSource):
                raise unknown_series(r.series_id, r.exc)
        if report.failed:
            names = ", ".join(r.series_id for r in report.failed)
            if len(report.failed) == 1 and report.failed[0].exc is not None:
                detail: object = report.failed[0].exc
            else:
                detail = "; ".join(f"{r.error}" for r in report.failed)
            raise SourceError.t("errors.source.cannot_fetch", names=names, detail=detail)

    def require(self, ids: Iterable[str]) -> None:
        """:class:`NoDataError` (without fetching) when the store lacks any of ``ids``."""
        missing = [s for s in ids if not self.store.has(s)]
        if missing:
            raise NoDataError.t("errors.data.missing_update", ids=", ".join(missing))

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
            Series ids (case-insensitive): the catalog's or any other FRED id. Outside the
            catalog values are as published, with FRED's units when the source gave them
            (``FRED_API_KEY``), else the unit is :data:`~tidegauge.catalog.UNKNOWN_UNIT`.
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
            ``df.attrs["units"][id]`` the canonical unit, ``df.attrs["names"][id]`` its English
            name (FRED's title or the id outside the catalog) and ``df.attrs["fetched_at"][id]``
            when the series was last fetched.

        Raises
        ------
        UsageError
            For an id that cannot be a FRED id (before any request).
        SeriesNotFound
            For an id outside the catalog that the source does not have.
        """
        import numpy as np
        import pandas as pd

        sids = normalise_ids(ids)
        d0, d1 = parse_date(start, "start"), parse_date(end, "end")
        check_window(d0, d1)
        if fetch_missing and as_of is None:
            self.ensure(sids)
        key = as_of_key(as_of)
        stored, infos, columns, as_of_dates, fetched = self._read(sids, d0, d1, key)
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
        # column-major: each series is one contiguous column, and pandas takes it as it is
        data = np.full((len(index), len(columns)), np.nan, order="F")
        keep = np.zeros(len(index), dtype=bool)  # rows where some column has a value
        for j, (dates, values) in enumerate(columns):
            rows = position[dates.astype("int64") - first]
            data[rows, j] = values
            keep[rows[~np.isnan(values)]] = True
        if not keep.all():
            data, index = np.asfortranarray(data[keep]), index[keep]
        df = pd.DataFrame(
            data, index=pd.DatetimeIndex(index, name="date"), columns=list(sids), copy=False
        )
        df.attrs["as_of"] = as_of_dates
        df.attrs["units"] = {sid: infos[sid].unit for sid in sids}
        df.attrs["names"] = {sid: infos[sid].name["en"] for sid in sids}
        df.attrs["fetched_at"] = fetched
        if key is not None:
            empty = [s for s in sids if as_of_dates[s] is None]
            alfred = [s for s in empty if s in stored and stored[s].vintages == "alfred"]
            observed = [s for s in empty if s in stored and s not in alfred]
            _warn_unknown_then(as_of, observed, "vintages.unknown_then")
            _warn_unknown_then(as_of, alfred, "vintages.before_alfred")
            _warn_unknown_then(as_of, [s for s in empty if s not in stored], "vintages.not_stored")
        return df

    def _read(
        self, sids: Sequence[str], d0: dt.date | None, d1: dt.date | None, key: str | None
    ) -> tuple[dict[str, StoredSeries], dict[str, SeriesInfo], list[Any], dict[str, Any], Any]:
        """Each series' ``(dates, values)`` in canonical units (what :meth:`load` aligns), with
        the stored rows, catalog entries, last valued dates and fetch times."""
        import numpy as np

        stored = {s.id: s for s in self.store.all_series()}  # one query, not one per series
        infos = {sid: CATALOG.get(sid) or _describe(sid, stored.get(sid)) for sid in sids}
        columns: list[tuple[np.ndarray, np.ndarray]] = []
        as_of_dates: dict[str, str | None] = {}
        fetched: dict[str, str | None] = {}
        for sid in sids:
            info = infos[sid]
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
        return stored, infos, columns, as_of_dates, fetched

    def load_series(
        self, ids: Iterable[str] | str, start: DateLike | None = None
    ) -> dict[str, pd.Series]:
        """The current values of each of ``ids`` (stored already: nothing is fetched) as its own
        series without missing values: ``load(ids, start)[id].dropna()`` for each id, without
        aligning the series on one index first.

        ``attrs`` of each series hold its own entries of :meth:`load`'s (``{"as_of": {id:
        date}, "units": {id: unit}, ...}``).
        """
        import numpy as np
        import pandas as pd

        sids = normalise_ids(ids)
        d0 = parse_date(start, "start")
        _, infos, columns, as_of_dates, fetched = self._read(sids, d0, None, None)
        out: dict[str, pd.Series] = {}
        for sid, (dates, values) in zip(sids, columns, strict=True):
            if len(dates) > 1 and not (np.diff(dates.astype("int64")) > 0).all():
                frame = self.load([sid], start, fetch_missing=False)  # unsorted: align as load
                out[sid] = frame[sid].dropna()
            else:
                valued = ~np.isnan(values)
                index = pd.DatetimeIndex(dates[valued], name="date")
                out[sid] = pd.Series(values[valued], index=index, name=sid, copy=False)
            out[sid].attrs = {
                "as_of": {sid: as_of_dates[sid]},
                "units": {sid: infos[sid].unit},
                "names": {sid: infos[sid].name["en"]},
                "fetched_at": {sid: fetched[sid]},
            }
        return out

    def series(
        self,
        series_id: str,
        start: DateLike | None = None,
        end: DateLike | None = None,
        as_of: DateLike | None = None,
    ) -> pd.Series:
        """One series without missing values; :class:`NoDataError` when the window is empty."""
        sid = normalise_ids([series_id])[0]
        df = self.load([sid], start, end, as_of)
        s = df[sid].dropna() if sid in df else None
        if s is None or s.empty:
            raise NoDataError.t("errors.data.no_observations", series_id=sid)
        s.attrs = {"as_of": df.attrs["as_of"][sid], "unit": df.attrs["units"][sid]}
        return s

    # -- the report -------------------------------------------------------------------------
    def report(self, as_of: DateLike | None = None, **kwargs: Any) -> Report:
        """Every registered indicator's section from one load of the store (nothing fetched).

        Render it with :func:`tidegauge.presentation.html.render_report`,
        :func:`~tidegauge.presentation.terminal.print_report` or
        :func:`~tidegauge.presentation.jsonface.report_json`. ``kwargs`` go to
        :func:`tidegauge.indicators.report.build_report` (``only``, ``params``).
        """
        from .indicators.report import build_report

        return build_report(self, as_of=parse_date(as_of, "as_of"), **kwargs)

    def info(self, series_id: str) -> SeriesInfo:
        """What is known about ``series_id``: its catalog entry, or for another id an entry
        from the store's metadata (FRED's title, units and frequency when fetched with
        ``FRED_API_KEY``; else the frequency the stored dates show and an unknown unit). See
        :func:`tidegauge.catalog.describe`."""
        sid = normalise_ids([series_id])[0]
        return CATALOG.get(sid) or _describe(sid, self.store.series(sid))

    # -- export -----------------------------------------------------------------------------
    def export(
        self,
        ids: Iterable[str],
        out: Path | str,
        *,
        fmt: str | None = None,
        start: DateLike | None = None,
        end: DateLike | None = None,
    ) -> Path:
        """Write ``ids`` in canonical units to ``out``: plain CSV (metadata in
        ``<out>-metadata.json``), XLSX or Parquet; ``fmt`` defaults to the suffix of ``out``.
        Returns the path written."""
        from .export import write_export

        df = self.load(ids, start, end)
        if df.empty:
            raise NoDataError.t("errors.data.nothing_to_export")
        return write_export(df, Path(out), fmt)


def _warn_unknown_then(as_of: Any, ids: list[str], key: str) -> None:
    """Say why a point-in-time load is empty (the store did not know these series then)."""
    if not ids:
        return
    import warnings

    from .errors import NoVintageWarning
    from .i18n import t

    warnings.warn(
        t(key, "en", ids=", ".join(ids), as_of=str(as_of)[:10]),
        NoVintageWarning,
        stacklevel=3,
    )


def _describe(series_id: str, stored: StoredSeries | None) -> SeriesInfo:
    """An entry for an id outside the catalog from what the store holds about it."""
    if stored is None:
        return describe(series_id)
    frequency = guess_frequency(stored.frequency, stored.first_date, stored.last_date, stored.n_obs)
    return describe(series_id, title=stored.title, units=stored.units, frequency=frequency)
