"""Run ``python -m tidegauge`` in a child process with bounded memory and time.

The address space of the child is limited with ``RLIMIT_AS`` (set in ``preexec_fn``), so a
regression that reads an endless body or inflates a gzip bomb ends the child with a
``MemoryError`` — a failed test — instead of exhausting the machine; ``timeout`` kills a child
that hangs (a FIFO read). Neither is a timing assertion: they only bound a broken run.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

MEMORY_MB = 768
"""Address space of the child: an update of the whole catalog needs about 250 MB; the default
limits (a 64 MB body, a 32 MB file) fit with room to spare, a 1 GB body does not."""
TIMEOUT = 120
"""Seconds after which a child is killed (a hang is a failure, not a slow pass)."""


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a child: no TIDEGAUGE_*/FRED_* settings of the caller, one BLAS
    thread (its buffers would count against the address space), a wide terminal so that table
    rows are not wrapped."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TIDEGAUGE_", "FRED_"))}
    env.update(
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        MALLOC_ARENA_MAX="2",
        COLUMNS="400",
        NO_COLOR="1",
    )
    env.update(extra or {})
    return env


def run_tidegauge(
    *args: str,
    env: Mapping[str, str] | None = None,
    memory_mb: int = MEMORY_MB,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """``python -m tidegauge ARGS`` under ``RLIMIT_AS = memory_mb`` and ``timeout``."""
    limit = memory_mb * 2**20

    def bound() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "tidegauge", *args],
        env=child_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=bound,
        check=False,
    )


def dump(store: Path, series_id: str | None = None) -> tuple[list[tuple[object, ...]], ...]:
    """What a store holds (of one series, or all), but not its update log: observations (every
    vintage), the series row, packed snapshots, and the meta table (content token included; the
    ``update.*`` run markers are part of the log, so they are left out)."""
    where, args = ("WHERE series_id = ?", (series_id,)) if series_id else ("", ())
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return (
            con.execute(
                f"SELECT * FROM observations {where} ORDER BY series_id, date, valid_from", args
            ).fetchall(),
            con.execute(
                f"SELECT * FROM series {where.replace('series_id', 'id')} ORDER BY id", args
            ).fetchall(),
            con.execute(f"SELECT * FROM snapshots {where} ORDER BY series_id", args).fetchall(),
            con.execute("SELECT * FROM meta WHERE key NOT LIKE 'update.%' ORDER BY key").fetchall(),
        )
    finally:
        con.close()


def logged(store: Path) -> dict[str, tuple[str, str | None]]:
    """The last logged ``(status, error)`` of each series."""
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT series_id, status, error FROM updates ORDER BY id").fetchall()
    finally:
        con.close()
    return {sid: (status, error) for sid, status, error in rows}


def integrity(store: Path) -> str:
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def no_traceback(result: subprocess.CompletedProcess[str]) -> bool:
    return "Traceback" not in result.stdout + result.stderr
