"""The SQLite store: WAL mode, readers during writes, vintages, as-of queries, atomic writes.

Observations are real (WALCL and RRPONTSYD from the mirror); where a test needs a revision it
changes one value by a stated amount, since the mirror holds a single vintage.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest

from tidegauge.errors import StoreError
from tidegauge.sources.base import FetchResult, Observation, SeriesMeta
from tidegauge.sources.csvparse import parse_fred_csv
from tidegauge.store import Store, as_of_key

T1 = "2024-01-01T00:00:00.000000+00:00"
T2 = "2024-02-01T00:00:00.000000+00:00"
T3 = "2024-03-01T00:00:00.000000+00:00"


@pytest.fixture(scope="module")
def walcl(fred_mirror: Path) -> list[Observation]:
    """The first 100 weekly WALCL observations (from 2002-12-18), USD millions."""
    return parse_fred_csv((fred_mirror / "WALCL.csv").read_bytes(), "WALCL")[:100]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "tidegauge.db"


def result(obs: list[Observation], sid: str = "WALCL") -> FetchResult:
    return FetchResult(sid, list(obs), SeriesMeta(title="Total Assets", units="Millions"))


def revised(o: Observation, delta: float = 1.0) -> Observation:
    """``o`` with its value changed by ``delta`` (USD 1 million by default)."""
    assert o.value is not None
    return dataclasses.replace(o, value=o.value + delta)


def rows(store: Store, sid: str = "WALCL", as_of: str | None = None) -> dict[str, float | None]:
    return dict(store.observations(sid, as_of=as_of))


# --------------------------------------------------------------------------- file and WAL


def test_wal_mode_and_folder_created(db: Path, walcl: list[Observation]) -> None:
    with Store(db) as store:
        store.apply(result(walcl), source="mirror")
        assert store.integrity_check() == "ok"
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    finally:
        con.close()


def test_memory_store(walcl: list[Observation]) -> None:
    with Store(":memory:") as store:
        stats = store.apply(result(walcl[:5]), source="mirror")
        assert stats.new == 5
        assert len(rows(store)) == 5


def test_parent_is_a_file_is_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a regular file\n")
    with pytest.raises(StoreError, match="--store"):
        Store(blocker / "tidegauge.db")
    assert blocker.read_text() == "a regular file\n"


def test_not_a_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    content = b"observation_date,WALCL\n2008-09-10,925725\n" * 200
    path.write_bytes(content)
    with pytest.raises(StoreError, match="untouched"):
        Store(path)
    assert path.read_bytes() == content
    assert not Path(str(path) + "-wal").exists()


# --------------------------------------------------------------------------- concurrency


def test_reader_reads_while_writer_holds_a_write_transaction(
    db: Path, walcl: list[Observation]
) -> None:
    writer = Store(db)
    reader = Store(db, timeout=2.0)  # would raise "database is locked" if it had to wait
    writer.apply(result(walcl[:50]), source="mirror", seen_at=T1)
    before = rows(reader)

    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def write_slowly() -> None:
        try:
            with writer._write() as conn:  # the transaction apply() uses
                conn.executemany(
                    "INSERT INTO observations (series_id, date, value, valid_from) "
                    "VALUES ('WALCL', ?, ?, ?)",
                    [(o.date.isoformat(), o.value, T2) for o in walcl[50:]],
                )
                holding.set()
                assert release.wait(10), "reader never finished"
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=write_slowly)
    thread.start()
    try:
        assert holding.wait(10)
        # While the writer holds its transaction, the reader sees the last committed state.
        during = rows(reader)
        stored = reader.series("WALCL")
        assert stored is not None and stored.n_obs == 50
        # A second writer is refused after its timeout instead of interleaving.
        with pytest.raises(StoreError, match="locked"), Store(db, timeout=0.1)._write():
            pass
    finally:
        release.set()
        thread.join(10)
    assert not thread.is_alive() and not errors
    assert during == before and len(during) == 50
    assert len(rows(reader)) == 100  # committed now
    writer.close()
    reader.close()


def test_concurrent_readers_in_threads_during_updates(db: Path, walcl: list[Observation]) -> None:
    """Readers in threads always see a whole number of committed applies, never a partial one."""
    writer = Store(db)
    writer.apply(result(walcl[:10]), source="mirror")
    sizes: list[int] = []
    done = threading.Event()
    started = threading.Barrier(3, timeout=10)

    def read() -> None:
        with Store(db) as reader:
            sizes.append(len(rows(reader)))
            started.wait()
            while not done.is_set():
                sizes.append(len(rows(reader)))

    threads = [threading.Thread(target=read) for _ in range(2)]
    for th in threads:
        th.start()
    started.wait()  # both readers are reading before the first write
    for k in range(20, 101, 10):  # each apply adds 10 new weeks in one transaction
        writer.apply(result(walcl[:k]), source="mirror")
    done.set()
    for th in threads:
        th.join(10)
    writer.close()
    assert len(sizes) >= 2
    assert all(n % 10 == 0 and 10 <= n <= 100 for n in sizes)


# --------------------------------------------------------------------------- apply / vintages


def test_apply_counts_new_unchanged_revised(db: Path, walcl: list[Observation]) -> None:
    with Store(db) as store:
        s = store.apply(result(walcl[:80]), source="mirror", seen_at=T1)
        assert (s.new, s.unchanged, s.revised) == (80, 0, 0)

        # An incremental refetch of a recent window: 20 known weeks, 20 new ones.
        s = store.apply(result(walcl[60:100]), source="mirror", seen_at=T2)
        assert (s.new, s.unchanged, s.revised) == (20, 20, 0)
        assert len(rows(store)) == 100  # weeks outside the window are kept

        window = list(walcl[60:100])
        window[10] = revised(window[10])
        s = store.apply(result(window), source="mirror", seen_at=T3)
        assert (s.new, s.unchanged, s.revised) == (0, 39, 1)

        stored = store.series("WALCL")
        assert stored is not None
        assert stored.n_obs == 100
        assert stored.first_date == "2002-12-18"  # first line of the mirror's WALCL.csv
        assert stored.last_date == walcl[99].date.isoformat()
        assert stored.fetched_at == T3
        assert stored.title == "Total Assets"


def test_vintages_and_as_of(db: Path, walcl: list[Observation]) -> None:
    target = walcl[70]
    day = target.date.isoformat()
    assert target.value is not None
    with Store(db) as store:
        store.apply(result(walcl[:80]), source="mirror", seen_at=T1)
        store.apply(result([revised(target, 1000.0)]), source="mirror", seen_at=T2)
        store.apply(result([revised(target, 2000.0)]), source="mirror", seen_at=T3)

        assert store.vintages("WALCL", day) == [
            (target.value, T1, T2),
            (target.value + 1000.0, T2, T3),
            (target.value + 2000.0, T3, None),
        ]
        assert rows(store)[day] == target.value + 2000.0
        assert rows(store, as_of=as_of_key(dt.date(2024, 1, 15)))[day] == target.value
        assert rows(store, as_of=as_of_key("2024-02-01"))[day] == target.value + 1000.0
        # A datetime just before the second revision still sees the first one.
        just_before = dt.datetime(2024, 2, 29, 23, 59, tzinfo=dt.UTC)
        assert rows(store, as_of=as_of_key(just_before))[day] == target.value + 1000.0
        # Before anything was stored there is nothing.
        assert rows(store, as_of=as_of_key(dt.date(2023, 12, 31))) == {}
        # Other dates have one vintage and are the same at every as-of.
        other = walcl[5].date.isoformat()
        assert len(store.vintages("WALCL", other)) == 1
        assert rows(store, as_of=as_of_key("2024-01-15"))[other] == walcl[5].value
        # A window query with as_of.
        window = store.observations("WALCL", day, day, as_of_key("2024-01-15"))
        assert window == [(day, target.value)]


def test_as_of_key_formats() -> None:
    assert as_of_key(None) is None
    assert as_of_key("2024-01-15") == "2024-01-15T23:59:59.999999+00:00"
    assert as_of_key(dt.date(2024, 1, 15)) == as_of_key("2024-01-15")
    naive = dt.datetime(2024, 1, 15, 12, 30)
    assert as_of_key(naive) == "2024-01-15T12:30:00.000000+00:00"
    assert as_of_key("2024-01-15T12:30:00") == as_of_key(naive)
    with pytest.raises(StoreError, match="not an ISO date"):
        as_of_key("15/01/2024")


def test_missing_values_are_stored_and_revised(db: Path, fred_mirror: Path) -> None:
    rrp = parse_fred_csv((fred_mirror / "RRPONTSYD.csv").read_bytes(), "RRPONTSYD")
    gaps = [i for i, o in enumerate(rrp) if o.value is None]
    assert gaps, "RRPONTSYD has empty values (days without an operation)"
    i = gaps[0]
    chunk = rrp[max(0, i - 5) : i + 5]
    with Store(db) as store:
        s = store.apply(result(chunk, "RRPONTSYD"), source="mirror", seen_at=T1)
        assert s.new == len(chunk)
        stored = store.series("RRPONTSYD")
        assert stored is not None
        assert stored.n_obs == sum(o.value is not None for o in chunk)  # NULLs not counted
        assert rows(store, "RRPONTSYD")[rrp[i].date.isoformat()] is None
        # Same payload again: nothing changes (NULL equals NULL here).
        s = store.apply(result(chunk, "RRPONTSYD"), source="mirror", seen_at=T2)
        assert (s.new, s.unchanged, s.revised) == (0, len(chunk), 0)
        # A missing value filled in later is a revision; the gap stays visible as of before.
        filled = [dataclasses.replace(o, value=0.0) if o.value is None else o for o in chunk]
        s = store.apply(result(filled, "RRPONTSYD"), source="mirror", seen_at=T3)
        assert s.revised == sum(o.value is None for o in chunk)
        assert rows(store, "RRPONTSYD", as_of_key("2024-02-15"))[rrp[i].date.isoformat()] is None


# --------------------------------------------------------------------------- atomicity


def snapshot(path: Path) -> tuple[list[tuple], list[tuple]]:
    con = sqlite3.connect(path)
    try:
        obs = con.execute("SELECT * FROM observations ORDER BY series_id, date, valid_from")
        ser = con.execute("SELECT * FROM series ORDER BY id")
        return obs.fetchall(), ser.fetchall()
    finally:
        con.close()


def test_exception_inside_a_transaction_leaves_previous_state(
    db: Path, walcl: list[Observation]
) -> None:
    with Store(db) as store:
        store.apply(result(walcl[:60]), source="mirror", seen_at=T1)
        before = snapshot(db)
        with pytest.raises(RuntimeError, match="boom"), store._write() as conn:
            conn.execute("DELETE FROM observations")
            conn.execute("DELETE FROM series")
            raise RuntimeError("boom")
        assert snapshot(db) == before
        assert store.integrity_check() == "ok"


def test_apply_failing_midway_changes_nothing(db: Path, walcl: list[Observation]) -> None:
    """A revision closes the old vintage before inserting; a failure after that must undo it."""
    with Store(db) as store:
        store.apply(result(walcl[:60]), source="mirror", seen_at=T1)
        before = snapshot(db)
        unbindable = Observation(walcl[61].date, object())  # type: ignore[arg-type]
        bad = result([revised(walcl[59]), walcl[60], unbindable])
        with pytest.raises(sqlite3.Error):
            store.apply(bad, source="mirror", seen_at=T2)
        assert snapshot(db) == before
        assert store.vintages("WALCL", walcl[59].date.isoformat()) == [(walcl[59].value, T1, None)]
        # The store is still usable afterwards.
        s = store.apply(result(walcl[:62]), source="mirror", seen_at=T3)
        assert (s.new, s.unchanged, s.revised) == (2, 60, 0)
        assert store.integrity_check() == "ok"


def test_log_update_records_attempts(db: Path) -> None:
    with Store(db) as store:
        store.log_update(
            "WALCL", source="mirror", started_at=T1, status="failed", error="not in mirror"
        )
        store.log_update("WALCL", source="mirror", started_at=T2, status="ok", n_new=3)
    con = sqlite3.connect(db)
    try:
        got = con.execute("SELECT status, n_new, error FROM updates ORDER BY id").fetchall()
    finally:
        con.close()
    assert got == [("failed", 0, "not in mirror"), ("ok", 3, None)]


def test_packed_snapshot_follows_every_change(db: Path, walcl: list[Observation]) -> None:
    """The packed current vintage equals the observation rows after inserts and a revision."""
    import numpy as np

    def packed(store: Store) -> dict[str, float | None]:
        arrays = store.current_arrays("WALCL")
        assert arrays is not None
        dates, values = arrays
        return {
            str(d): (None if np.isnan(v) else float(v)) for d, v in zip(dates, values, strict=True)
        }

    with Store(db) as store:
        assert store.current_arrays("WALCL") is None  # nothing stored yet
        store.apply(result(walcl[:-10]), source="test")
        assert packed(store) == rows(store)
        changed = [*walcl[:-11], revised(walcl[-11], 5.0), *walcl[-10:]]
        store.apply(result(changed), source="test")
        assert packed(store) == rows(store)
        assert packed(store)[walcl[-11].date.isoformat()] == walcl[-11].value + 5.0
        assert len(packed(store)) == len(walcl)
