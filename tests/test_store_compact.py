"""Migration 7 (the compact observations table) keeps every value, vintage and timestamp; the
store stays under 40 bytes per observation on the real mirror; the ``observations`` view still
reads and writes as the table did.

The version-6 store is made with the migrations of this version applied up to 6 (the text-keyed
table of those versions), filled with real WALCL and DFF values: a first-seen history with a
revision, a missing value, and an ALFRED-like period history of the whole DFF series.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from helpers import assert_stamp_series_exact
from tidegauge import Tidegauge
from tidegauge.sources.csvparse import parse_fred_columns
from tidegauge.store import Store
from tidegauge.store.schema import MIGRATIONS, SCHEMA_VERSION

T1 = "2024-01-01T00:00:00.000000+00:00"
T2 = "2024-02-01T12:30:00.123456+00:00"
T3 = "2024-03-01T00:00:00.000000+00:00"


def v6_store(path: Path, fred_mirror: Path) -> list[tuple[object, ...]]:
    """A store as version 6 left it; its observation rows, sorted."""
    walcl = parse_fred_columns((fred_mirror / "WALCL.csv").read_bytes(), "WALCL")
    dff = parse_fred_columns((fred_mirror / "DFF.csv").read_bytes(), "DFF")
    rows: list[tuple[object, ...]] = []
    for o in list(walcl)[:300]:  # first seen at T1, the last ten revised at T2
        rows.append(("WALCL", o.date.isoformat(), o.value, T1, None))
    for i in range(290, 300):
        sid, date, value, _vf, _vt = rows[i]
        rows[i] = (sid, date, value, T1, T2)
        rows.append((sid, date, float(value) + 1.0, T2, None))  # type: ignore[arg-type]
    rows.append(("WALCL", "2009-01-07", None, T3, None))  # a missing value, first seen at T3
    for o in dff:  # pre-1970 dates; ALFRED-like: published T1, replaced T3
        rows.append(("DFF", o.date.isoformat(), o.value, T1, T3))
        rows.append(("DFF", o.date.isoformat(), o.value, T3, None))
    con = sqlite3.connect(path, isolation_level=None)
    for _name, step in MIGRATIONS[:6]:
        con.execute("BEGIN")
        step(con)
        con.execute("COMMIT")
    con.execute("BEGIN")  # one transaction (autocommit would sync every row)
    con.execute("INSERT INTO meta VALUES ('schema_version', '6')")
    con.executemany("INSERT INTO observations VALUES (?, ?, ?, ?, ?)", rows)
    for sid in ("WALCL", "DFF"):
        current = sorted((r[1], r[2]) for r in rows if r[0] == sid and r[4] is None)
        days = np.array([d for d, _ in current], dtype="datetime64[D]").astype("<i4")
        vals = np.array([v for _, v in current], dtype="<f8")
        con.execute("INSERT INTO snapshots VALUES (?, ?, ?)", (sid, days.tobytes(), vals.tobytes()))
        con.execute(
            "INSERT INTO series (id, source, fetched_at, n_obs) VALUES (?, 'mirror', ?, ?)",
            (sid, T3, len(current)),
        )
    con.execute("COMMIT")
    con.close()
    return sorted(rows, key=lambda r: (str(r[0]), str(r[1]), str(r[3])))


def dump(path: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT * FROM observations ORDER BY series_id, date, valid_from"
        ).fetchall()
    finally:
        con.close()


def test_migration_7_keeps_every_vintage_value_and_timestamp(
    tmp_path: Path, fred_mirror: Path
) -> None:
    path = tmp_path / "v6.db"
    before = v6_store(path, fred_mirror)
    old_size = path.stat().st_size
    token = (
        sqlite3.connect(path)
        .execute("SELECT value FROM meta WHERE key = 'content_token'")
        .fetchone()
    )
    with Store(path) as store:
        assert store.integrity_check() == "ok"
        # as of T1 the WALCL history is the first-seen values; as of T2 the revised ones
        walcl_t1 = store.observations("WALCL", as_of=T1)
        walcl_now = store.observations("WALCL")
        revised = next(r for r in before if r[0] == "WALCL" and r[4] == T2)
        assert store.vintages("WALCL", str(revised[1])) == [
            (revised[2], T1, T2),
            (float(revised[2]) + 1.0, T2, None),  # type: ignore[arg-type]
        ]
        dates, values = store.current_arrays("DFF") or (None, None)
        assert dates is not None and str(dates[0]) == "1954-07-01" and len(dates) > 26_000
        assert values.tolist() == [r[2] for r in before if r[0] == "DFF" and r[4] is None]
        assert store.fingerprint() == token[0]  # the same content: the same token
    assert dump(path) == before
    assert path.stat().st_size < old_size / 2
    first_seen = {r[1]: r[2] for r in before if r[0] == "WALCL" and r[3] == T1}
    assert dict(walcl_t1) == first_seen
    current = {r[1]: r[2] for r in before if r[0] == "WALCL" and r[4] is None}
    assert dict(walcl_now) == current
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[
            0
        ] == str(SCHEMA_VERSION)
        kinds = dict(con.execute("SELECT name, type FROM sqlite_master").fetchall())
        assert kinds["observations"] == "view" and kinds["obs"] == "table"
        assert_stamp_series_exact(con)  # migration 8 filled it from the moved rows
        # the old table's pages were given back (VACUUM after the upgrade)
        assert con.execute("PRAGMA freelist_count").fetchone() == (0,)
    finally:
        con.close()


def test_the_command_line_says_it_upgrades_a_store(
    tmp_path: Path, fred_mirror: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Opening an older store runs its migrations once, and the command says so first (in the
    command's language); a store already upgraded, or a new one, is opened silently."""
    from helpers import run

    path = tmp_path / "v6.db"
    v6_store(path, fred_mirror)
    code, _, err = run(capsys, "series", "list", "--store", str(path), "--lang", "zh-TW")
    assert code == 0
    assert err.splitlines()[0] == (
        f"正在升級資料庫 {path}（結構版本 6 → {SCHEMA_VERSION}）；"
        "大型資料庫需時一分鐘以上，只需一次…"
    )
    code, _, err = run(capsys, "series", "list", "--store", str(path))
    assert code == 0 and "Upgrading" not in err
    code, _, err = run(capsys, "series", "list", "--store", str(tmp_path / "new.db"))
    assert code == 0 and "Upgrading" not in err


def test_the_view_reads_and_writes_as_the_table_did(tmp_path: Path, fred_mirror: Path) -> None:
    path = tmp_path / "s.db"
    with Tidegauge(mirror=str(fred_mirror), store_path=str(path)) as tg:
        assert tg.update(["WALCL"]).ok
        walcl = tg.store.observations("WALCL")
    con = sqlite3.connect(path, isolation_level=None)
    try:
        (d, v) = walcl[-1]
        (vf,) = con.execute(
            "SELECT valid_from FROM observations WHERE series_id = 'WALCL' AND date = ?", (d,)
        ).fetchone()
        later = "2099-01-01T00:00:00.000000+00:00"
        con.execute("BEGIN")
        con.execute(
            "UPDATE observations SET valid_to = ? WHERE series_id = 'WALCL' AND date = ? "
            "AND valid_to IS NULL",
            (later, d),
        )
        con.execute("INSERT INTO observations VALUES ('WALCL', ?, ?, ?, NULL)", (d, v + 1.0, later))
        con.execute("COMMIT")
        assert con.execute(
            "SELECT value, valid_from, valid_to FROM observations WHERE series_id = 'WALCL' "
            "AND date = ? ORDER BY valid_from",
            (d,),
        ).fetchall() == [(v, vf, later), (v + 1.0, later, None)]
        assert_stamp_series_exact(con)  # the view's triggers record what they write
        with pytest.raises(sqlite3.IntegrityError, match="only value and valid_to"):
            con.execute("UPDATE observations SET date = '2000-01-05' WHERE series_id = 'WALCL'")
        con.execute(
            "DELETE FROM observations WHERE series_id = 'WALCL' AND valid_from = ?", (later,)
        )
        assert con.execute(
            "SELECT COUNT(*) FROM observations WHERE series_id = 'WALCL'"
        ).fetchone() == (len(walcl),)
    finally:
        con.close()


def test_the_store_takes_under_40_bytes_per_observation(tmp_path: Path, fred_mirror: Path) -> None:
    """Issue 14, target 3: the whole mirror, vintages kept (a second state of the mirror with
    revised values adds rows, not copies)."""
    path = tmp_path / "s.db"
    with Tidegauge(mirror=str(fred_mirror), store_path=str(path)) as tg:
        assert any(r.status == "ok" for r in tg.update().results)
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (rows,) = con.execute("SELECT COUNT(*) FROM observations").fetchone()
        size = (
            con.execute("PRAGMA page_count").fetchone()[0]
            * con.execute("PRAGMA page_size").fetchone()[0]
        )
    finally:
        con.close()
    assert rows > 200_000  # the real mirror: every file loaded
    assert size / rows < 40, f"{size / rows:.1f} bytes per observation"
