"""The store's migrations, its identity, the vintage-period check and the content fingerprint.

Stores of earlier versions are rebuilt here with the statements those versions ran (the schema
of version 1, ``meta.schema_version = '1'``), then opened by this version.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tidegauge import Tidegauge
from tidegauge.errors import StoreError
from tidegauge.store import Store
from tidegauge.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE series (id TEXT PRIMARY KEY, source TEXT NOT NULL, title TEXT, units TEXT,
    frequency TEXT, last_updated TEXT, fetched_at TEXT NOT NULL, first_date TEXT,
    last_date TEXT, n_obs INTEGER NOT NULL DEFAULT 0,
    vintages TEXT NOT NULL DEFAULT 'observed');
CREATE TABLE observations (series_id TEXT NOT NULL, date TEXT NOT NULL, value REAL,
    valid_from TEXT NOT NULL, valid_to TEXT, PRIMARY KEY (series_id, date, valid_from))
    WITHOUT ROWID;
CREATE INDEX obs_current ON observations (series_id, date) WHERE valid_to IS NULL;
CREATE TABLE snapshots (series_id TEXT PRIMARY KEY, days BLOB NOT NULL, vals BLOB NOT NULL);
CREATE TABLE updates (id INTEGER PRIMARY KEY, series_id TEXT NOT NULL, source TEXT NOT NULL,
    started_at TEXT NOT NULL, finished_at TEXT NOT NULL, status TEXT NOT NULL,
    n_new INTEGER NOT NULL DEFAULT 0, n_revised INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0, error TEXT);
INSERT INTO meta VALUES ('schema_version', '1');
"""
T1 = "2024-01-01T00:00:00.000000+00:00"
T2 = "2024-02-01T00:00:00.000000+00:00"
T3 = "2024-03-01T00:00:00.000000+00:00"


def v1_store(path: Path) -> Path:
    """A store as version 1 left it, with two vintages of one date written in the wrong order
    by two interleaved updates (the second closes at T1 a row that opened at T2)."""
    con = sqlite3.connect(path)
    con.executescript(V1_SCHEMA)
    con.executemany(
        "INSERT INTO observations VALUES ('WALCL', '2024-01-03', ?, ?, ?)",
        [(7.0, T1, T2), (7.5, T2, T1), (8.0, T3, None)],
    )
    con.execute(
        "INSERT INTO series (id, source, fetched_at, n_obs) VALUES ('WALCL', 'fred', ?, 1)", (T2,)
    )
    con.commit()
    con.close()
    return path


def meta(path: Path) -> dict[str, str]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()


def test_a_new_store_has_every_migration_and_our_application_id(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store(path).close()
    assert meta(path)["schema_version"] == str(SCHEMA_VERSION) == str(len(MIGRATIONS))
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        con.close()
    names = [name for name, _ in MIGRATIONS]
    assert len(set(names)) == len(names) and all(names)


def test_a_version_1_store_gets_the_pending_migrations_only(tmp_path: Path) -> None:
    path = v1_store(tmp_path / "v1.db")
    with Store(path) as store:
        assert store.series("WALCL") is not None
        # the inverted period became an empty one; the value stays in the history
        assert store.vintages("WALCL", "2024-01-03") == [
            (7.0, T1, T2),
            (7.5, T2, T2),
            (8.0, T3, None),
        ]
        assert store.integrity_check() == "ok"
    assert meta(path)["schema_version"] == str(SCHEMA_VERSION)
    Store(path).close()  # opening again applies nothing
    assert meta(path)["schema_version"] == str(SCHEMA_VERSION)


def test_overlapping_vintages_are_repaired_and_the_current_value_kept(tmp_path: Path) -> None:
    """Traces of interleaved updates of version 1: a vintage closed after the next one opened,
    and (another date) the last write stamped earlier than the vintage it closed. Each period
    now ends where the next begins; the current value of each date is the one it was."""
    path = tmp_path / "v1.db"
    con = sqlite3.connect(path)
    con.executescript(V1_SCHEMA)
    con.executemany(
        "INSERT INTO observations VALUES ('DFF', ?, ?, ?, ?)",
        [
            ("2024-01-03", 5.33, T1, T3),  # runs past the next one's start
            ("2024-01-03", 5.34, T2, T3),
            ("2024-01-03", 5.35, T3, None),
            ("2024-01-04", 5.31, T1, T3),
            ("2024-01-04", 5.32, T3, T2),  # closed at T2 by a write stamped T2 ...
            ("2024-01-04", 5.30, T2, None),  # ... which is the current value
        ],
    )
    con.commit()
    con.close()
    with Store(path) as store:
        assert store.vintages("DFF", "2024-01-03") == [
            (5.33, T1, T2),
            (5.34, T2, T3),
            (5.35, T3, None),
        ]
        assert store.vintages("DFF", "2024-01-04") == [
            (5.31, T1, T2),
            (5.30, T2, None),
            (5.32, T3, T3),  # closed before it opened: never current
        ]
        assert store.observations("DFF") == [("2024-01-03", 5.35), ("2024-01-04", 5.30)]
        assert store.observations("DFF", as_of="2024-02-15T00:00:00.000000+00:00") == [
            ("2024-01-03", 5.34),
            ("2024-01-04", 5.30),
        ]


def test_the_check_refuses_a_period_that_ends_before_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    con = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="valid_to before valid_from"):
            con.execute("INSERT INTO observations VALUES ('X', '2024-01-03', 1.0, ?, ?)", (T2, T1))
        con.execute("INSERT INTO observations VALUES ('X', '2024-01-03', 1.0, ?, NULL)", (T1,))
        with pytest.raises(sqlite3.IntegrityError, match="valid_to before valid_from"):
            con.execute("UPDATE observations SET valid_to = '2000-01-01' WHERE series_id = 'X'")
    finally:
        con.close()


def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(StoreError, match="newer tidegauge") as info:
            Store(path, readonly=readonly)
        assert str(path) in str(info.value) and "\n" not in str(info.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "schema",
    [
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
        # a table that only shares our name
        "CREATE TABLE series (name TEXT, episode INTEGER)",
    ],
    ids=["notes", "series-of-another-kind"],
)
def test_another_applications_sqlite_file_is_left_untouched(tmp_path: Path, schema: str) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute(schema)
    con.commit()
    con.close()
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(StoreError, match="another application's SQLite file") as info:
            Store(path, readonly=readonly)
        assert str(path) in str(info.value) and "--store" in str(info.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no tables


def test_a_reader_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none" / "s.db"
    with Store(path, readonly=True) as store:
        assert store.all_series() == [] and store.fingerprint()
        with pytest.raises(StoreError, match="read-only"):
            store.log_update("WALCL", source="mirror", started_at=T1, status="ok")
    assert not path.parent.exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    with Store(empty, readonly=True) as store:  # an empty file reads as an empty store
        assert store.all_series() == []
    assert empty.read_bytes() == b""


# -- the fingerprint --------------------------------------------------------------------------
def test_fingerprint_changes_exactly_with_the_stored_content(
    fred_mirror: Path, tmp_path: Path
) -> None:
    mirror, path = tmp_path / "mirror", tmp_path / "s.db"
    mirror.mkdir()
    lines = (fred_mirror / "WALCL.csv").read_text().splitlines()
    (mirror / "WALCL.csv").write_text("\n".join(lines[:-1]) + "\n")  # all but the last week
    shutil.copy(fred_mirror / "GDP.csv", mirror / "GDP.csv")

    def update(*ids: str) -> tuple[str, str]:
        with Tidegauge(mirror=str(mirror), store_path=str(path)) as tg:
            tg.update(list(ids))
            stored = tg.store.series("WALCL")
            assert stored is not None
            return tg.store.fingerprint(), stored.fetched_at

    first, fetched = update("WALCL", "GDP")
    again, fetched_again = update("WALCL", "GDP")  # nothing new: the files are not even read
    assert again == first and fetched_again == fetched
    os.utime(mirror / "WALCL.csv")  # touched: read again, the same content
    touched, fetched_touched = update("WALCL")
    assert touched == first and fetched_touched == fetched
    (mirror / "WALCL.csv").write_text("\n".join(lines) + "\n")  # a new week is published
    new_week = update("WALCL")[0]
    assert new_week != first
    day, value = lines[-1].split(",")
    lines[-1] = f"{day},{float(value) + 1:.0f}"  # and then revised
    (mirror / "WALCL.csv").write_text("\n".join(lines) + "\n")
    revised = update("WALCL")[0]
    assert revised not in (first, new_week)
    (mirror / "GDP.csv").write_text("<html>maintenance</html>\n")  # a failed update
    assert update("GDP")[0] == revised
    with Store(path, readonly=True) as reader:  # readers see the same token
        assert reader.fingerprint() == revised
    assert Store(tmp_path / "other.db").fingerprint() != revised  # and other stores another
