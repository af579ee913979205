"""Mirror files that never end, never start or should not be read, and values that cannot be held.

Each case is a real file in a real mirror folder — a FIFO (``os.mkfifo``), a symbolic link to
``/dev/zero`` or ``/dev/urandom``, a sparse 200 MB file, a link to itself, a folder — read by
``python -m tidegauge update`` in a child process with bounded memory and time
(:mod:`bounded`). The series fails with one line naming the file, the next series is updated,
the store keeps what it had, and the exit code is 1 — in a whole-catalog update too (such a
file is not "missing", so it is not skipped).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bounded import dump, integrity, logged, no_traceback, run_tidegauge
from tidegauge import Tidegauge

pytestmark = pytest.mark.slow


@pytest.fixture
def mirror(tmp_path: Path, fred_mirror: Path) -> Path:
    """A mirror with real WALCL, GDP and DFF files, and a store that holds WALCL and GDP."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    for sid in ("WALCL", "GDP", "DFF"):
        shutil.copy(fred_mirror / f"{sid}.csv", folder / f"{sid}.csv")
    with Tidegauge(mirror=str(folder), store_path=str(tmp_path / "s.db")) as tg:
        assert tg.update(["WALCL", "GDP"]).ok
    return folder


def replace(path: Path, kind: str) -> str:
    """Put something that is not a readable FRED file at ``path``; return what the error says."""
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
        return "is a FIFO (named pipe), not a regular file"
    if kind in ("zero", "urandom"):
        path.symlink_to(f"/dev/{kind}")
        return "is a character device, not a regular file"
    if kind == "sparse_200mb":
        with path.open("wb") as f:
            f.truncate(200 * 10**6)  # 200 MB that take no disk space
        return "is larger than 32 MB (TIDEGAUGE_MAX_FILE_MB)"
    if kind == "loop":
        path.symlink_to(path.name)
        return "cannot read"
    if kind == "dangling":
        path.symlink_to("nowhere.csv")
        return "cannot read"
    if kind == "folder":
        path.mkdir()
        return "is a directory, not a regular file"
    raise ValueError(kind)


KINDS = ("fifo", "zero", "urandom", "sparse_200mb", "loop", "dangling", "folder")


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_that_cannot_be_read_fails_its_series_only(
    mirror: Path, tmp_path: Path, kind: str
) -> None:
    store = tmp_path / "s.db"
    before = dump(store, "WALCL")
    expected = replace(mirror / "WALCL.csv", kind)
    result = run_tidegauge("update", "WALCL", "GDP", "--mirror", str(mirror), "--store", str(store))
    assert result.returncode == 1, result.stdout + result.stderr
    assert no_traceback(result)
    log = logged(store)
    assert log["WALCL"][0] == "failed" and expected in (log["WALCL"][1] or "")
    assert str(mirror / "WALCL.csv") in (log["WALCL"][1] or "")
    assert log["GDP"] in (("ok", None), ("unchanged", None))  # its file was read before
    row = next(line for line in result.stdout.splitlines() if " WALCL " in line)
    assert "FAILED" in row and expected in row  # one line of the table
    # WALCL as it was; GDP brought nothing new, so even the content token is the same
    assert dump(store, "WALCL") == before and integrity(store) == "ok"


@pytest.mark.parametrize("kind", ["fifo", "loop", "folder"])
def test_a_whole_catalog_update_reports_it_failed_not_skipped(
    mirror: Path, tmp_path: Path, kind: str
) -> None:
    store = tmp_path / "s.db"
    replace(mirror / "WALCL.csv", kind)
    result = run_tidegauge("update", "--mirror", str(mirror), "--store", str(store))
    assert result.returncode == 1, result.stdout + result.stderr
    assert no_traceback(result)
    log = logged(store)
    assert log["WALCL"][0] == "failed"
    assert log["DFF"] == ("ok", None)
    assert log["TREAST"][0] == "skipped"  # truly absent files are still skipped


def test_a_date_beyond_what_the_analyses_hold_is_refused_at_the_door(
    mirror: Path, tmp_path: Path, fred_mirror: Path
) -> None:
    """A row dated 2300-01-04 used to be stored; then 'tidegauge liquidity' crashed (pandas'
    dates end in 2262)."""
    store = tmp_path / "s.db"
    with (mirror / "WALCL.csv").open("a") as f:
        f.write("2300-01-04,7000000\n")
    before = dump(store)
    result = run_tidegauge("update", "WALCL", "--mirror", str(mirror), "--store", str(store))
    assert result.returncode == 1 and no_traceback(result)
    error = logged(store)["WALCL"][1] or ""
    assert "date 2300-01-04 on line" in error and "outside 1700-01-01..2200-12-31" in error
    assert dump(store) == before
    shown = run_tidegauge("liquidity", "--store", str(store), "--mirror", str(fred_mirror))
    assert no_traceback(shown) and shown.returncode == 0, shown.stdout + shown.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e-999", "is too small to represent and would become 0"),
        ("1_000", "malformed value"),
        ("١٢٣", "malformed value"),
    ],
)
def test_numbers_are_ascii_decimals_that_do_not_vanish(
    mirror: Path, tmp_path: Path, text: str, expected: str
) -> None:
    store = tmp_path / "s.db"
    lines = (mirror / "GDP.csv").read_text().splitlines()
    day = lines[-1].split(",")[0]
    lines[-1] = f"{day},{text}"
    (mirror / "GDP.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = dump(store)
    result = run_tidegauge("update", "GDP", "--mirror", str(mirror), "--store", str(store))
    assert result.returncode == 1 and no_traceback(result)
    assert expected in (logged(store)["GDP"][1] or "")
    assert dump(store) == before
