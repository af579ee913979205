"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tidegauge.cli import main

ATTEMPTS = 3
"""Attempts per request in :data:`FAST_RETRIES`."""

FAST_RETRIES: dict[str, object] = {
    "rate": 50.0,
    "timeout": 0.5,
    "max_attempts": ATTEMPTS,
    "max_total": 20.0,
    "backoff_base": 0.01,
    "backoff_max": 0.05,
}
"""Settings of an HTTP client against a local stand-in server: small timeout and backoff, so
that a test with retries takes a second, not minutes."""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the console entry point in-process: ``(exit code, stdout, stderr)``."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def fred_values(mirror: Path, sid: str) -> dict[str, float]:
    """``{ISO date: value}`` of a mirror CSV read with the csv module (native units, file order,
    missing values dropped): expected figures are recomputed from this, not from tidegauge."""
    with (mirror / f"{sid}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    return {d: float(v) for d, v in rows if v.strip() not in ("", ".")}


def common_dates(mirror: Path, *ids: str) -> list[str]:
    """Dates (sorted) on which every one of ``ids`` has a value in the mirror's CSV files."""
    return sorted(set.intersection(*(set(fred_values(mirror, sid)) for sid in ids)))


def load_tool(name: str) -> ModuleType:
    """``tools/<name>.py`` imported in-process (tools/ is not a package)."""
    path = Path(__file__).resolve().parents[1] / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def stamp_series_truth(conn: Any) -> dict[tuple[int, int], int]:
    """``stamp_series`` as the rows of ``obs`` say it must be: per (stamp, series key) that wrote
    (``vf``) or closed (``vt``) a row, the first day of those rows."""
    return {
        (stamp, series): day
        for stamp, series, day in conn.execute(
            "SELECT stamp, series, MIN(day) FROM (SELECT vf AS stamp, series, day FROM obs "
            "UNION ALL SELECT vt, series, day FROM obs WHERE vt IS NOT NULL) "
            "GROUP BY stamp, series"
        )
    }


def assert_stamp_series_exact(conn: Any) -> None:
    """Every write kept ``stamp_series`` exact (no row deleted through the view here)."""
    kept = {(s, k): d for s, k, d in conn.execute("SELECT stamp, series, day FROM stamp_series")}
    assert kept == stamp_series_truth(conn)
