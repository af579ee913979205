"""SQLite store: one row per (series, date, vintage); nothing is overwritten.

Schema
------
``observations(series_id, date, value, valid_from, valid_to)``: ``value`` in the source's native
unit (``NULL`` = missing); ``valid_from`` is when the value became known and ``valid_to`` when a
revision replaced it (``NULL`` while current), both UTC ISO timestamps. A query ``as_of=T``
returns the rows with ``valid_from <= T < valid_to``. Two kinds of history (``series.vintages``):

``observed``
    ``valid_from`` is when tidegauge first saw the value (the fetch time); the history starts
    at the first update.
``alfred``
    Imported from ALFRED (:meth:`Store.replace_vintages`): ``valid_from`` is the vintage's
    ``realtime_start`` (00:00 UTC) and ``valid_to`` the day after its ``realtime_end``, i.e.
    what FRED had published on each day. Later ordinary updates extend it as ``observed`` does.

``series`` holds per-series metadata and ``updates`` a log of every update attempt.

``snapshots`` holds, per series, the current vintage packed into two arrays (``days``: int32 days
since 1970-01-01, ``vals``: float64 native values, NaN = missing). It is derived from
``observations`` and rewritten in the same transaction as every change to them, so it is never
out of step; it exists because handing ~180,000 rows to Python costs ~100 ms while reading forty
BLOBs costs ~2 ms (``Tidegauge.load`` of the whole catalog). Queries with ``as_of`` use the
observations.

Concurrency: WAL journal, so readers (a dashboard) never block on a writer; each series is
written inside one ``BEGIN IMMEDIATE`` transaction, so a failed or killed update leaves either
the previous state or the new one, never a partial series.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..sources.base import FetchResult, KnownState
from .model import (
    SERIES_COLUMNS,
    ApplyStats,
    StoredSeries,
    VintageKind,
    VintageStats,
    day_start,
    utc_now,
)
from .schema import SCHEMA, SCHEMA_VERSION, migrate


class Store:
    """An open store.

    Parameters
    ----------
    path
        Database file; its folder is created if needed. ``":memory:"`` for a throw-away store.
    timeout
        Seconds to wait for another writer's lock.
    """

    def __init__(self, path: Path | str, *, timeout: float = 60.0) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        if str(path) != ":memory:":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError.t(
                    "errors.store.cannot_create_folder",
                    path=str(self.path.parent),
                    reason=exc.strerror or str(exc),
                ) from None
        try:
            self._conn = sqlite3.connect(
                str(path), timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            if str(path) != ":memory:":
                self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.executescript(SCHEMA)
            migrate(self._conn)
            self._conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
        except sqlite3.DatabaseError as exc:
            raise StoreError.t(
                "errors.store.cannot_open", path=str(path), reason=str(exc)
            ) from None

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError.t(
                "errors.store.cannot_write", path=str(self.path), reason=str(exc)
            ) from None
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            try:
                self._conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self._conn.execute("ROLLBACK")
                raise StoreError.t(
                    "errors.store.cannot_write", path=str(self.path), reason=str(exc)
                ) from None

    # ------------------------------------------------------------------ reading
    def series(self, series_id: str) -> StoredSeries | None:
        row = self._conn.execute(
            f"SELECT {SERIES_COLUMNS} FROM series WHERE id = ?", (series_id,)
        ).fetchone()
        return StoredSeries(*row) if row else None

    def all_series(self) -> list[StoredSeries]:
        rows = self._conn.execute(f"SELECT {SERIES_COLUMNS} FROM series ORDER BY id").fetchall()
        return [StoredSeries(*r) for r in rows]

    def has(self, series_id: str) -> bool:
        return self.series(series_id) is not None

    def known_state(self, series_id: str) -> KnownState:
        s = self.series(series_id)
        return KnownState(last_updated=s.last_updated if s else None)

    def observations(
        self,
        series_id: str,
        start: str | None = None,
        end: str | None = None,
        as_of: str | None = None,
    ) -> list[tuple[str, float | None]]:
        """``(date, native value)`` rows of one series, current or as known at ``as_of``."""
        clauses = ["series_id = ?"]
        args: list[object] = [series_id]
        if as_of is None:
            clauses.append("valid_to IS NULL")
        else:
            clauses.append("valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)")
            args += [as_of, as_of]
        if start is not None:
            clauses.append("date >= ?")
            args.append(start)
        if end is not None:
            clauses.append("date <= ?")
            args.append(end)
        sql = f"SELECT date, value FROM observations WHERE {' AND '.join(clauses)} ORDER BY date"
        return self._conn.execute(sql, args).fetchall()

    def current_arrays(self, series_id: str) -> tuple[Any, Any] | None:
        """The current vintage as ``(datetime64[D] dates, float64 native values)``, or ``None``
        when the store has no snapshot of the series (then use :meth:`observations`)."""
        row = self._conn.execute(
            "SELECT days, vals FROM snapshots WHERE series_id = ?", (series_id,)
        ).fetchone()
        if row is None:
            return None
        import numpy as np

        days = np.frombuffer(row[0], dtype="<i4").astype("datetime64[D]")
        return days, np.frombuffer(row[1], dtype="<f8")

    def vintages(self, series_id: str, date: str) -> list[tuple[float | None, str, str | None]]:
        """All stored values of one observation: ``(value, valid_from, valid_to)``."""
        return self._conn.execute(
            "SELECT value, valid_from, valid_to FROM observations "
            "WHERE series_id = ? AND date = ? ORDER BY valid_from",
            (series_id, date),
        ).fetchall()

    def integrity_check(self) -> str:
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    # ------------------------------------------------------------------ writing
    def apply(self, result: FetchResult, *, source: str, seen_at: str | None = None) -> ApplyStats:
        """Merge one fetch into the store in a single transaction.

        New dates are inserted; a changed value closes the old vintage (``valid_to``) and adds a
        new one; equal values are left alone. Stored dates outside the fetched window are kept.
        """
        seen_at = seen_at or utc_now()
        sid = result.series_id
        obs = result.observations
        new = revised = unchanged = 0
        with self._write() as conn:
            if obs:
                lo = obs[0].date.isoformat()
                current = dict(
                    conn.execute(
                        "SELECT date, value FROM observations "
                        "WHERE series_id = ? AND valid_to IS NULL AND date >= ?",
                        (sid, lo),
                    ).fetchall()
                )
                inserts: list[tuple[str, str, float | None, str]] = []
                closes: list[tuple[str, str, str]] = []
                for o in obs:
                    d = o.date.isoformat()
                    if d not in current:
                        inserts.append((sid, d, o.value, seen_at))
                        new += 1
                    elif current[d] == o.value:
                        unchanged += 1
                    else:
                        closes.append((seen_at, sid, d))
                        inserts.append((sid, d, o.value, seen_at))
                        revised += 1
                conn.executemany(
                    "UPDATE observations SET valid_to = ? "
                    "WHERE series_id = ? AND date = ? AND valid_to IS NULL",
                    closes,
                )
                conn.executemany(
                    "INSERT INTO observations (series_id, date, value, valid_from) "
                    "VALUES (?, ?, ?, ?)",
                    inserts,
                )
            has_snapshot = conn.execute(
                "SELECT 1 FROM snapshots WHERE series_id = ?", (sid,)
            ).fetchone()
            if new or revised or not has_snapshot:
                _write_snapshot(conn, sid)
            _write_series_row(conn, result, source, seen_at)
        return ApplyStats(new, revised, unchanged)

    def replace_vintages(
        self, result: FetchResult, *, source: str, seen_at: str | None = None
    ) -> VintageStats:
        """Replace a series' history with ALFRED's published vintages, in one transaction.

        Every observation of ``result`` must carry its ``realtime_start`` (``realtime_end`` is
        ``None`` for the current vintage); the source has checked that the periods of one date
        neither overlap nor come out of order. The series' previous rows (first-seen history) are
        dropped: ALFRED is the record of what FRED published when and includes those values.
        The packed snapshot is rewritten in the same transaction and the series is marked
        ``vintages = 'alfred'``. A failure leaves the previous state untouched.
        """
        seen_at = seen_at or utc_now()
        sid = result.series_id
        rows: list[tuple[str, str, float | None, str, str | None]] = []
        current: dict[str, float | None] = {}
        first_vintage: str | None = None
        for o in result.observations:
            if o.realtime_start is None:
                raise StoreError.t("errors.vintages.no_period", series_id=sid)
            d = o.date.isoformat()
            valid_to = None if o.realtime_end is None else day_start(o.realtime_end, 1)
            rows.append((sid, d, o.value, day_start(o.realtime_start), valid_to))
            if valid_to is None:
                current[d] = o.value
            start = o.realtime_start.isoformat()
            first_vintage = start if first_vintage is None else min(first_vintage, start)
        with self._write() as conn:
            before = {
                r[0]
                for r in conn.execute(
                    "SELECT date FROM observations WHERE series_id = ? AND valid_to IS NULL",
                    (sid,),
                )
            }
            conn.execute("DELETE FROM observations WHERE series_id = ?", (sid,))
            conn.executemany(
                "INSERT INTO observations (series_id, date, value, valid_from, valid_to) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            _write_snapshot(conn, sid)
            _write_series_row(conn, result, source, seen_at, vintages="alfred")
        return VintageStats(
            new=sum(1 for d in current if d not in before),
            revisions=sum(1 for r in rows if r[4] is not None),
            rows=len(rows),
            first_vintage=first_vintage,
        )

    def log_update(
        self,
        series_id: str,
        *,
        source: str,
        started_at: str,
        status: str,
        n_new: int = 0,
        n_revised: int = 0,
        requests: int = 0,
        nbytes: int = 0,
        error: str | None = None,
    ) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO updates (series_id, source, started_at, finished_at, status, n_new, "
                "n_revised, requests, bytes, error) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    series_id,
                    source,
                    started_at,
                    utc_now(),
                    status,
                    n_new,
                    n_revised,
                    requests,
                    nbytes,
                    error,
                ),
            )

    def stored_ids(self, ids: Sequence[str] | None = None) -> list[str]:
        have = {s.id for s in self.all_series()}
        return [i for i in (ids if ids is not None else sorted(have)) if i in have]


def _write_series_row(
    conn: sqlite3.Connection,
    result: FetchResult,
    source: str,
    seen_at: str,
    *,
    vintages: VintageKind | None = None,
) -> None:
    """Insert or refresh the ``series`` row from the current vintage (in the caller's
    transaction). ``vintages`` ``None`` keeps the stored kind (``observed`` for a new series)."""
    sid = result.series_id
    first, last, n = conn.execute(
        "SELECT MIN(date), MAX(date), COUNT(*) FROM observations "
        "WHERE series_id = ? AND valid_to IS NULL AND value IS NOT NULL",
        (sid,),
    ).fetchone()
    meta = result.meta
    conn.execute(
        "INSERT INTO series (id, source, title, units, frequency, last_updated, "
        "fetched_at, first_date, last_date, n_obs, vintages) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,COALESCE(?, 'observed')) "
        "ON CONFLICT(id) DO UPDATE SET source=excluded.source, "
        "title=COALESCE(excluded.title, series.title), "
        "units=COALESCE(excluded.units, series.units), "
        "frequency=COALESCE(excluded.frequency, series.frequency), "
        "last_updated=COALESCE(excluded.last_updated, series.last_updated), "
        "fetched_at=excluded.fetched_at, first_date=excluded.first_date, "
        "last_date=excluded.last_date, n_obs=excluded.n_obs, "
        "vintages=COALESCE(?, series.vintages)",
        (
            sid,
            source,
            meta.title if meta else None,
            meta.units if meta else None,
            meta.frequency if meta else None,
            meta.last_updated if meta else None,
            seen_at,
            first,
            last,
            n,
            vintages,
            vintages,
        ),
    )


def _write_snapshot(conn: sqlite3.Connection, series_id: str) -> None:
    """Pack the current vintage of ``series_id`` into ``snapshots`` (inside the caller's
    transaction)."""
    import numpy as np

    rows = conn.execute(
        "SELECT date, value FROM observations WHERE series_id = ? AND valid_to IS NULL "
        "ORDER BY date",
        (series_id,),
    ).fetchall()
    days = np.array([r[0] for r in rows], dtype="datetime64[D]").astype("<i4")
    vals = np.array([r[1] for r in rows], dtype="<f8")  # None becomes NaN
    conn.execute(
        "INSERT INTO snapshots (series_id, days, vals) VALUES (?, ?, ?) "
        "ON CONFLICT(series_id) DO UPDATE SET days = excluded.days, vals = excluded.vals",
        (series_id, days.tobytes(), vals.tobytes()),
    )
