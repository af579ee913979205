"""The store's schema as named, ordered migrations (after sqlite-utils' migrations).

``meta.schema_version`` is the number of migrations applied. On open the version is read: a store
from a newer tidegauge is refused with one line; pending migrations are applied in order, each
in its own ``BEGIN IMMEDIATE`` transaction that re-reads the version first (two processes
opening an old store at once apply each migration once).

A store is recognised by its ``PRAGMA application_id`` (:data:`APPLICATION_ID`). A file without
it is ours only if every table in it is one of ours with our columns (a store made before the id
existed); any other SQLite file belongs to another application and is left untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

from ..errors import StoreError
from .compact import compact_observations, stamp_series

APPLICATION_ID = 0x54494447
"""``PRAGMA application_id`` of a tidegauge store (ASCII ``TIDG``)."""

TABLES: dict[str, set[str]] = {
    "meta": {"key", "value"},
    "series": {"id", "source", "fetched_at", "n_obs"},
    "observations": {"series_id", "date", "value", "valid_from", "valid_to"},
    "snapshots": {"series_id", "days", "vals"},
    "updates": {"id", "series_id", "status"},
}
"""Our tables and the columns a store of any version has in each."""

_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS series (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        title TEXT,
        units TEXT,
        frequency TEXT,
        last_updated TEXT,
        fetched_at TEXT NOT NULL,
        first_date TEXT,
        last_date TEXT,
        n_obs INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE IF NOT EXISTS observations (
        series_id TEXT NOT NULL,
        date TEXT NOT NULL,
        value REAL,
        valid_from TEXT NOT NULL,
        valid_to TEXT,
        PRIMARY KEY (series_id, date, valid_from)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS obs_current ON observations (series_id, date) "
    "WHERE valid_to IS NULL",
    """CREATE TABLE IF NOT EXISTS snapshots (
        series_id TEXT PRIMARY KEY,
        days BLOB NOT NULL,
        vals BLOB NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS updates (
        id INTEGER PRIMARY KEY,
        series_id TEXT NOT NULL,
        source TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        status TEXT NOT NULL,
        n_new INTEGER NOT NULL DEFAULT 0,
        n_revised INTEGER NOT NULL DEFAULT 0,
        requests INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        error TEXT
    )""",
)


def _create_tables(conn: sqlite3.Connection) -> None:
    """The tables of the first version (later columns come from later migrations)."""
    for statement in _TABLES:
        conn.execute(statement)


def _vintages_column(conn: sqlite3.Connection) -> None:
    """``series.vintages``: ``observed`` (first seen by tidegauge) or ``alfred``. Stores from
    before this list carry version 1 with or without the column, hence the check."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(series)")}
    if "vintages" not in columns:
        conn.execute("ALTER TABLE series ADD COLUMN vintages TEXT NOT NULL DEFAULT 'observed'")


def _identity(conn: sqlite3.Connection) -> None:
    """The application id, and ``meta.content_token``: a random token replaced by every change
    of the stored content (:meth:`Store.fingerprint`)."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) "
        "VALUES ('content_token', lower(hex(randomblob(16))))"
    )


def _valid_period(conn: sqlite3.Connection) -> None:
    """A vintage never ends before it starts: triggers refuse ``valid_to < valid_from`` (SQLite
    cannot add a CHECK constraint to an existing table).

    Histories that two interleaved updates of an earlier version left inconsistent are repaired
    first, keeping every value and the current one of every date as it was:

    1. a vintage that ends before it starts becomes an empty period (``valid_to = valid_from``):
       its value stays in the history but was never current at any moment;
    2. a closed vintage that runs past the start of the next non-empty one of its date now ends
       where that one begins.

    Open (current) vintages are never changed; gaps between periods (ALFRED histories have
    some) are left as they are.
    """
    conn.execute(
        "UPDATE observations SET valid_to = valid_from "
        "WHERE valid_to IS NOT NULL AND valid_to < valid_from"
    )
    later = """FROM observations AS n
               WHERE n.series_id = observations.series_id AND n.date = observations.date
                 AND n.valid_from > observations.valid_from
                 AND (n.valid_to IS NULL OR n.valid_to > n.valid_from)"""
    conn.execute(
        f"""UPDATE observations SET valid_to = (SELECT MIN(n.valid_from) {later})
            WHERE valid_to IS NOT NULL
              AND valid_to > (SELECT MIN(n.valid_from) {later})"""
    )
    for event in ("INSERT", "UPDATE"):
        conn.execute(
            f"CREATE TRIGGER IF NOT EXISTS observations_valid_period_{event.lower()} "
            f"BEFORE {event} ON observations "
            "WHEN NEW.valid_to IS NOT NULL AND NEW.valid_to < NEW.valid_from "
            "BEGIN SELECT RAISE(ABORT, 'valid_to before valid_from'); END"
        )


_ALERT_TABLES = (
    """CREATE TABLE IF NOT EXISTS alert_rules (
        rule TEXT PRIMARY KEY,
        signature TEXT NOT NULL,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS alert_events (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        rule TEXT NOT NULL,
        fired_at TEXT NOT NULL,
        payload TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS alert_deliveries (
        event_id INTEGER NOT NULL REFERENCES alert_events (id),
        channel TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        sent_at TEXT,
        PRIMARY KEY (event_id, channel)
    )""",
)


def _alert_tables(conn: sqlite3.Connection) -> None:
    """The watch's bookkeeping (:mod:`tidegauge.store.alertstate`): rule states, each fired
    alert once, its delivery per channel."""
    for statement in _ALERT_TABLES:
        conn.execute(statement)


def _source_stamp_column(conn: sqlite3.Connection) -> None:
    """``series.source_stamp``: what the source said about the payload of the last successful
    fetch (a mirror file's size, times and content digest; ``NULL`` when the source says
    nothing), so an unchanged file is neither read nor parsed again (:mod:`..sources.filestamp`).
    Existing rows start with ``NULL``: their next fetch reads the file once."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(series)")}
    if "source_stamp" not in columns:
        conn.execute("ALTER TABLE series ADD COLUMN source_stamp TEXT")


Migration = tuple[str, Callable[[sqlite3.Connection], None]]

MIGRATIONS: list[Migration] = [
    ("create tables", _create_tables),
    ("series.vintages column", _vintages_column),
    ("application id and content token", _identity),
    ("valid_from <= valid_to", _valid_period),
    ("alert tables", _alert_tables),
    ("series.source_stamp column", _source_stamp_column),
    ("compact observations", compact_observations),
    ("series written per stamp", stamp_series),
]
"""Named migrations in the order they are applied; never edit or reorder one that shipped,
append a new one."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The version this tidegauge writes."""


def _tables(conn: sqlite3.Connection) -> dict[str, set[str]]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    quoted = {n: '"' + n.replace('"', '""') + '"' for n in names}
    return {n: {r[1] for r in conn.execute(f"PRAGMA table_info({quoted[n]})")} for n in names}


def schema_version(conn: sqlite3.Connection, path: Path | str) -> int:
    """The store's version (0 for an empty file); refuse a file that is not ours.

    Raises
    ------
    StoreError
        Another application's SQLite file (``errors.store.not_ours``).
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = _tables(conn)
    ours = app_id == APPLICATION_ID or (
        app_id == 0 and all(n in TABLES and TABLES[n] <= cols for n, cols in tables.items())
    )
    if not ours:
        shown = ", ".join(sorted(tables)[:5]) or "-"
        raise StoreError.t("errors.store.not_ours", path=str(path), tables=shown)
    if "meta" not in tables:
        return 0  # empty, or a store from before the meta table: create what is missing
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0]) if row else 0
    except ValueError:
        raise StoreError.t("errors.store.bad_version", path=str(path), version=row[0]) from None


def check_version(version: int, path: Path | str) -> None:
    """Refuse a store written by a newer tidegauge (its schema may mean other things)."""
    if version > SCHEMA_VERSION:
        raise StoreError.t(
            "errors.store.newer", path=str(path), found=version, known=SCHEMA_VERSION
        )


UPGRADING: ContextVar[Callable[[str, int, int], None] | None] = ContextVar(
    "tidegauge_store_upgrading", default=None
)
"""Called once before the migrations of an existing store run, with its path, the version
found and the one written (the command line says so: on a large store they take a while)."""


def migrate(conn: sqlite3.Connection, path: Path | str) -> int:
    """Apply the pending migrations in order, each in one transaction; return the version.

    ``conn`` must be a writable connection in autocommit mode (``isolation_level=None``).
    """
    found: int | None = None  # the version before this call's first migration
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = schema_version(conn, path)
            check_version(version, path)
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return version
            notice = UPGRADING.get()
            if found is None:
                found = version
                if notice is not None and version > 0:  # an existing store (not a new one)
                    notice(str(path), version, SCHEMA_VERSION)
            _name, step = MIGRATIONS[version]
            step(conn)
            conn.execute(  # the meta table exists from the first migration on
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (str(version + 1),),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
