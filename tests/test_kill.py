"""An update killed with SIGKILL leaves a consistent store with no partial series.

The FRED stand-in runs as its own process with added latency; ``python -m tidegauge update`` runs
as another and is killed once the store shows some but not all series. The store must pass
``PRAGMA integrity_check``, every series in it must equal its mirror file, no observation may
belong to a series the store does not list, and the next update must complete.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fredserver import ServerProcess
from tidegauge.store import Store

HERE = Path(__file__).resolve().parent
# large daily series (long write transactions) mixed with small ones
IDS = ["WALCL", "DFF", "TREAST", "DGS10", "GDP", "DGS2", "RRPONTSYD", "CPIAUCSL", "DGS5", "UNRATE"]

pytestmark = pytest.mark.slow


@pytest.fixture
def server(fred_mirror: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    cmd = [sys.executable, str(HERE / "fredserver.py"), "--mirror", str(fred_mirror)]
    proc = subprocess.Popen(
        [*cmd, "--port", "0", "--latency-ms", "150"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("READY "), line
        yield ServerProcess(line.split()[1])
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
            proc.wait()


def start_update(server: ServerProcess, store: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("FRED_API_KEY", "TIDEGAUGE_MIRROR")}
    env.update(
        TIDEGAUGE_FRED_URL=server.url,
        TIDEGAUGE_STORE=str(store),
        TIDEGAUGE_RATE="20",
        TIDEGAUGE_TIMEOUT="10",
    )
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tidegauge", "update", *IDS], env=env, stdout=out, stderr=out
        )


def stored_count(store: Path) -> int:
    """Series the store lists, read as another process would (read-only, WAL)."""
    if not store.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT COUNT(*) FROM series").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:  # not created yet
        return 0


def writer_busy(store: Path) -> bool:
    """True while another connection holds the write lock (inside a write transaction)."""
    con = sqlite3.connect(store, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        con.close()


def mirror_values(mirror: Path, sid: str) -> dict[str, float | None]:
    lines = (mirror / f"{sid}.csv").read_text().splitlines()[1:]
    pairs = (line.split(",") for line in lines if line)
    return {d: (float(v) if v.strip() else None) for d, v in pairs}


def check_consistent(store_path: Path, mirror: Path) -> set[str]:
    """Assert the store is sound and holds only complete series; return their ids."""
    with Store(store_path) as store:
        assert store.integrity_check() == "ok"
        listed = {s.id for s in store.all_series()}
        with_rows = {
            r[0] for r in store._conn.execute("SELECT DISTINCT series_id FROM observations")
        }
        assert with_rows == listed  # no observations without their series row
        for sid in listed:
            assert dict(store.observations(sid)) == mirror_values(mirror, sid), sid
            info = store.series(sid)
            assert info is not None and info.n_obs == sum(
                v is not None for v in mirror_values(mirror, sid).values()
            )
    return listed


def test_sigkill_midway_leaves_consistent_store(
    server: ServerProcess, fred_mirror: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store.db"
    log = tmp_path / "update.log"
    seen: list[int] = []
    # two kills, each resumed by the next run: the first between or inside transactions,
    # wherever it lands; the second while the update holds the write lock (mid-transaction)
    for kill_after, in_transaction in ((2, False), (5, True)):
        proc = start_update(server, store, log)
        deadline = time.monotonic() + 30
        while proc.poll() is None and (
            stored_count(store) < kill_after or (in_transaction and not writer_busy(store))
        ):
            assert time.monotonic() < deadline, "update made no progress"
            time.sleep(0.005)
        assert proc.poll() is None, "update finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
        listed = check_consistent(store, fred_mirror)
        assert kill_after <= len(listed) < len(IDS)
        seen.append(len(listed))

    # the next update completes and loads everything
    proc = start_update(server, store, log)
    assert proc.wait(timeout=60) == 0, log.read_text()
    assert check_consistent(store, fred_mirror) == set(IDS)
    assert seen[0] < len(IDS) and seen[1] < len(IDS)
