"""Writers take turns and readers never wait.

* Two ``tidegauge update`` processes that bring different values for the same series write one
  store at the same time, several rounds in a row: every date's vintages form one unbroken
  chain (each period ends where the next begins, never before it starts, one current value),
  and ``PRAGMA integrity_check`` is ok. (Interleaved updates used to close a vintage before
  it opened.)
* While another process holds a write transaction for longer than the dashboard's lock
  timeout, the dashboard and ``series list`` keep answering from the last committed state.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest

from bounded import child_env, integrity
from tidegauge import Tidegauge
from tidegauge.config import Settings

pytestmark = pytest.mark.slow

IDS = ["WALCL", "TREAST", "WRESBAL", "DFF", "DGS10", "RRPONTSYD"]
ROUNDS = 2


def other_mirror(fred_mirror: Path, folder: Path, delta: float) -> Path:
    """A copy of the mirror's ``IDS`` whose last 30 values differ by ``delta`` (inside every
    refetch window, so each update revises them)."""
    folder.mkdir()
    for sid in IDS:
        lines = (fred_mirror / f"{sid}.csv").read_text().splitlines()
        for i in range(len(lines) - 30, len(lines)):
            day, value = lines[i].split(",")
            if value.strip():
                lines[i] = f"{day},{float(value) + delta:.4f}"
        (folder / f"{sid}.csv").write_text("\n".join(lines) + "\n")
    return folder


def start_update(mirror: Path, store: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tidegauge", "update", *IDS, "--mirror", str(mirror)],
            env=child_env({"TIDEGAUGE_STORE": str(store)}),
            stdout=out,
            stderr=out,
        )


def check_chains(store: Path) -> int:
    """Assert that every date's vintages chain up; return the number of closed vintages."""
    con = sqlite3.connect(store)
    try:
        rows = con.execute(
            "SELECT series_id, date, valid_from, valid_to FROM observations "
            "ORDER BY series_id, date, valid_from"
        ).fetchall()
    finally:
        con.close()
    chains: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    for sid, day, start, end in rows:
        chains.setdefault((sid, day), []).append((start, end))
    closed = 0
    for key, chain in chains.items():
        assert all(end is None or start < end for start, end in chain), (key, chain)
        assert [end for _, end in chain].count(None) == 1 and chain[-1][1] is None, (key, chain)
        for (_, end), (start, _) in pairwise(chain):
            assert end == start, (key, chain)  # no gap, no overlap
        closed += len(chain) - 1
    return closed


def test_two_updates_with_different_data_take_turns(fred_mirror: Path, tmp_path: Path) -> None:
    mirrors = (
        other_mirror(fred_mirror, tmp_path / "a", 0.0),
        other_mirror(fred_mirror, tmp_path / "b", 1.0),
    )
    store, log = tmp_path / "s.db", tmp_path / "updates.log"
    with Tidegauge(mirror=str(mirrors[0]), store_path=str(store)) as tg:
        assert tg.update(IDS).ok
    for _ in range(ROUNDS):
        procs = [start_update(m, store, log) for m in mirrors]
        assert [p.wait(timeout=180) for p in procs] == [0, 0], log.read_text()
        assert integrity(store) == "ok"
        check_chains(store)
    assert check_chains(store) > 0  # the updates did revise each other's values


HOLD = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("DELETE FROM observations WHERE series_id = 'WALCL'")  # not committed
print("holding", flush=True)
sys.stdin.readline()
con.execute("ROLLBACK")
"""


def test_readers_answer_while_another_process_holds_the_write_lock(
    fred_mirror: Path, tmp_path: Path
) -> None:
    from test_web import fetch
    from tidegauge.web import create_app

    store = tmp_path / "s.db"
    with Tidegauge(mirror=str(fred_mirror), store_path=str(store)) as tg:
        ids = ["WALCL", "WDTGAL", "RRPONTSYD", "WRBWFRBL", "GDP", "TREAST"]  # liquidity's inputs
        assert tg.update(ids).ok
    timeout = 0.5
    settings = Settings.from_env(store_path=str(store), mirror=None, store_timeout=timeout)
    app = create_app(settings)
    expected = fetch(app, "/api/series/WALCL").json()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        held_since = time.monotonic()
        app = create_app(settings)  # a cold dashboard: nothing comes from its cache
        for url in ("/api/series/WALCL", "/api/liquidity", "/api/series", "/", "/liquidity"):
            assert fetch(app, url).status_code == 200, url
        assert fetch(app, "/api/series/WALCL").json() == expected  # the committed state
        listed = subprocess.run(
            [sys.executable, "-m", "tidegauge", "series", "list", "--store", str(store)],
            env=child_env({"TIDEGAUGE_STORE_TIMEOUT": str(timeout)}),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert listed.returncode == 0 and "Aug 26, 2026" in listed.stdout, listed.stderr
        # the lock has now been held for longer than the readers' timeout
        time.sleep(max(0.0, held_since + 2 * timeout - time.monotonic()))
        assert fetch(create_app(settings), "/api/series/WALCL").json() == expected
    finally:
        if holder.stdin is not None:
            holder.stdin.write("\n")
            holder.stdin.flush()
        holder.wait(timeout=30)
    assert integrity(store) == "ok"
