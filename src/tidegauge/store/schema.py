"""The store's schema and its migrations (see :mod:`tidegauge.store.sqlite` for the model)."""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS series (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT,
    units TEXT,
    frequency TEXT,
    last_updated TEXT,
    fetched_at TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    n_obs INTEGER NOT NULL DEFAULT 0,
    vintages TEXT NOT NULL DEFAULT 'observed'
);
CREATE TABLE IF NOT EXISTS observations (
    series_id TEXT NOT NULL,
    date TEXT NOT NULL,
    value REAL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    PRIMARY KEY (series_id, date, valid_from)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS obs_current ON observations (series_id, date) WHERE valid_to IS NULL;
CREATE TABLE IF NOT EXISTS snapshots (
    series_id TEXT PRIMARY KEY,
    days BLOB NOT NULL,
    vals BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS updates (
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
);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a store made by an older version up to the current schema (idempotent)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(series)")}
    if "vintages" not in columns:
        conn.execute("ALTER TABLE series ADD COLUMN vintages TEXT NOT NULL DEFAULT 'observed'")
