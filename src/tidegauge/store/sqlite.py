"""SQLite store: one row per (series, date, vintage); nothing is overwritten.

Schema
------
``observations(series_id, date, value, valid_from, valid_to)`` (a view over the integer-keyed
``obs`` table since version 7, see :mod:`.compact`): ``value`` in the source's native
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
since 1970-01-01, ``vals``: float64 native values, NaN = missing; zlib-compressed, the days as
differences, see :mod:`.compact`). It is derived from
``observations`` and rewritten in the same transaction as every change to them, so it is never
out of step; it exists because handing ~180,000 rows to Python costs ~100 ms while reading forty
BLOBs costs ~2 ms (``Tidegauge.load`` of the whole catalog). Queries with ``as_of`` use the
observations.

Concurrency: WAL journal. Reads go through a read-only connection that never issues a write
statement, so readers (a dashboard) never wait for a writer and a read-only store file can be
read; the writer connection is opened on the first write. Each series is written inside one
``BEGIN IMMEDIATE`` transaction (SQLite's write lock, which serialises writers across
processes), so a failed or killed update leaves either the previous state or the new one, never a
partial series, and two updates cannot interleave their vintages (:mod:`.writes`).

Schema versions and migrations: :mod:`.schema`. SQLite failures of the file or the disk become
one-line :class:`~tidegauge.errors.StoreError` naming the file (:mod:`.connect`).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..sources.base import FetchResult, KnownState
from .compact import DAY_SQL, SERIES_KEY_SQL, iso_day, reclaim, unpack
from .connect import MEMORY, open_reader, open_writer, store_error
from .model import SERIES_COLUMNS, ApplyStats, StoredSeries, VintageStats, utc_now
from .schema import SCHEMA_VERSION, check_version, migrate, schema_version
from .writes import apply_fetch, replace_history


class Store:
    """An open store.

    Parameters
    ----------
    path
        Database file; its folder is created if needed. ``":memory:"`` for a throw-away store.
    timeout
        Seconds a write waits for another writer's lock.
    readonly
        Never write: the file is neither created nor upgraded (a file that does not exist reads
        as an empty store) and a write is a :class:`StoreError`. Dashboards open stores so.

    Raises
    ------
    StoreError
        The file is not a tidegauge store (left untouched), is damaged, was written by a newer
        tidegauge, or cannot be created.
    """

    def __init__(self, path: Path | str, *, timeout: float = 60.0, readonly: bool = False) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.readonly = readonly
        self._writer: sqlite3.Connection | None = None
        self.on_file = False
        """Whether the store reads its file (not an in-memory store: ``":memory:"``, or a
        missing or empty file opened read-only)."""
        if str(path) == MEMORY or (readonly and not self.path.exists()):
            self._conn = open_writer(MEMORY, timeout)
            migrate(self._conn, MEMORY)
            self._writer = None if readonly else self._conn
            return
        if not readonly:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError.t(
                    "errors.store.cannot_create_folder",
                    path=str(self.path.parent),
                    reason=exc.strerror or str(exc),
                ) from None
            if not self.path.exists() or self.path.stat().st_size == 0:
                self._open_writer()  # creates the store
        self._conn = open_reader(self.path, timeout)
        try:
            version = self._guard(schema_version, self._conn, self.path)
            check_version(version, self.path)
            if version < SCHEMA_VERSION:
                if readonly and version == 0:  # an empty file: an empty store
                    self._conn.close()
                    self._conn = open_writer(MEMORY, timeout)
                    migrate(self._conn, MEMORY)
                elif readonly:
                    raise StoreError.t("errors.store.outdated", path=str(self.path))
                else:
                    self._open_writer()  # upgrades it
        except BaseException:
            self.close()
            raise
        self.on_file = not (readonly and version == 0)

    def _guard(self, func: Any, *args: Any) -> Any:
        """``func(*args)`` with a failure of the store file as a :class:`StoreError`."""
        try:
            return func(*args)
        except sqlite3.Error as exc:
            err = store_error(exc, self.path)
            if err is None:
                raise
            raise err from None

    def _open_writer(self) -> sqlite3.Connection:
        if self._writer is not None:
            return self._writer
        if self.readonly:
            raise StoreError.t("errors.store.opened_read_only", path=str(self.path))
        if not _writable(self.path):
            raise StoreError.t(
                "errors.store.read_only", path=str(self.path), reason=_reason(self.path)
            )
        conn = open_writer(self.path, self.timeout)
        try:
            # is it ours? (before anything is written to it)
            before = self._guard(schema_version, conn, self.path)
            check_version(before, self.path)
            self._guard(conn.execute, "PRAGMA journal_mode = WAL")
            self._guard(conn.execute, "PRAGMA synchronous = NORMAL")
            if self._guard(migrate, conn, self.path) > before > 0:  # an upgrade, not a new store
                self._guard(reclaim, conn)
        except BaseException:
            conn.close()
            raise
        self._writer = conn
        return conn

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None and conn is not self._writer:
            conn.close()
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction on the writer connection: committed when the
        block ends, rolled back on any exception (a full disk or a damaged file is re-raised as
        a :class:`StoreError`)."""
        conn = self._open_writer()
        self._guard(conn.execute, "BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:  # SQLite may have rolled back already (disk full)
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            err = store_error(exc, self.path) if isinstance(exc, sqlite3.Error) else None
            if err is not None:
                raise err from None
            raise

    def _query(self, sql: str, args: Sequence[object] = ()) -> list[Any]:
        return self._guard(lambda: self._conn.execute(sql, args).fetchall())

    def fingerprint(self) -> str:
        """A token that changes exactly when the stored content changes.

        New or revised observations, an ALFRED import and a change of the series metadata shown
        to users (title, units, frequency, dates, counts, source) give a new token; an update that
        fetched nothing new, a failed update and the update log do not. Tokens are random, so
        two stores never share one unless one is a copy of the other.

        Returns
        -------
        str
            32 hexadecimal digits; cheap (one indexed read).
        """
        rows = self._query("SELECT value FROM meta WHERE key = 'content_token'")
        return str(rows[0][0]) if rows else ""

    # ------------------------------------------------------------------ reading
    def series(self, series_id: str) -> StoredSeries | None:
        rows = self._query(f"SELECT {SERIES_COLUMNS} FROM series WHERE id = ?", (series_id,))
        return StoredSeries(*rows[0]) if rows else None

    def all_series(self) -> list[StoredSeries]:
        rows = self._query(f"SELECT {SERIES_COLUMNS} FROM series ORDER BY id")
        return [StoredSeries(*r) for r in rows]

    def has(self, series_id: str) -> bool:
        return self.series(series_id) is not None

    def known_state(self, series_id: str) -> KnownState:
        s = self.series(series_id)
        if s is None:
            return KnownState()
        return KnownState(last_updated=s.last_updated, stamp=s.source_stamp)

    def observations(
        self,
        series_id: str,
        start: str | None = None,
        end: str | None = None,
        as_of: str | None = None,
    ) -> list[tuple[str, float | None]]:
        """``(date, native value)`` rows of one series, current or as known at ``as_of``."""
        clauses = [f"o.series = {SERIES_KEY_SQL}"]
        args: list[object] = [series_id]
        join = ""
        if as_of is None:
            clauses.append("o.vt IS NULL")
        else:
            join = "JOIN stamps AS f ON f.key = o.vf LEFT JOIN stamps AS t ON t.key = o.vt"
            clauses.append("f.at <= ? AND (o.vt IS NULL OR t.at > ?)")
            args += [as_of, as_of]
        if start is not None:
            clauses.append(f"o.day >= {DAY_SQL.format('?')}")
            args.append(start)
        if end is not None:
            clauses.append(f"o.day <= {DAY_SQL.format('?')}")
            args.append(end)
        sql = (
            f"SELECT o.day, o.value FROM obs AS o {join} WHERE {' AND '.join(clauses)} "
            "ORDER BY o.day"
        )
        return [(iso_day(d), v) for d, v in self._query(sql, args)]

    def current_arrays(self, series_id: str) -> tuple[Any, Any] | None:
        """The current vintage as ``(datetime64[D] dates, float64 native values)``, or ``None``
        when the store has no snapshot of the series (then use :meth:`observations`)."""
        rows = self._query("SELECT days, vals FROM snapshots WHERE series_id = ?", (series_id,))
        return unpack(*rows[0]) if rows else None

    def vintages(self, series_id: str, date: str) -> list[tuple[float | None, str, str | None]]:
        """All stored values of one observation: ``(value, valid_from, valid_to)``."""
        return self._query(
            "SELECT o.value, f.at, t.at FROM obs AS o JOIN stamps AS f ON f.key = o.vf "
            "LEFT JOIN stamps AS t ON t.key = o.vt "
            f"WHERE o.series = {SERIES_KEY_SQL} AND o.day = {DAY_SQL.format('?')} "
            "ORDER BY f.at",
            (series_id, date),
        )

    def integrity_check(self) -> str:
        """``"ok"``, or SQLite's first finding (``PRAGMA integrity_check``)."""
        return str(self._query("PRAGMA integrity_check")[0][0])

    # ------------------------------------------------------------------ writing
    def apply(self, result: FetchResult, *, source: str, seen_at: str | None = None) -> ApplyStats:
        """Merge one fetch into the store in a single transaction.

        New dates are inserted; a changed value closes the old vintage (``valid_to``) and adds a
        new one; equal values are left alone. Stored dates outside the fetched window are kept.

        Parameters
        ----------
        result
            The fetch.
        source
            The source's name (``series.source``).
        seen_at
            When the values were seen (default: now, taken under the write lock). It is moved
            just past the start of any vintage it closes, so a period never ends before it
            starts.
        """
        with self._write() as conn:
            return apply_fetch(conn, result, source, seen_at)

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
        if any(o.realtime_start is None for o in result.observations):
            raise StoreError.t("errors.vintages.no_period", series_id=result.series_id)
        with self._write() as conn:
            return replace_history(conn, result, source, seen_at)

    def remember_stamp(self, series_id: str, stamp: str) -> None:
        """Keep a new stamp for a payload whose content the store already holds (a mirror file
        touched or copied again): the next update need not read it. Not stored content: the
        fingerprint stays."""
        with self._write() as conn:
            conn.execute("UPDATE series SET source_stamp = ? WHERE id = ?", (stamp, series_id))

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
        """Append one attempt to the update log (the stored content is unchanged)."""
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


def _writable(path: Path) -> bool:
    """Whether the store file and its folder (for the WAL files) can be written."""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def _reason(path: Path) -> str:
    return f"{path.parent if path.exists() and os.access(path, os.W_OK) else path}: " + (
        os.strerror(errno.EROFS) if _read_only_fs(path.parent) else os.strerror(errno.EACCES)
    )


def _read_only_fs(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows)
        return False
