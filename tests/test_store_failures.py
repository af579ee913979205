"""A store that is damaged, not ours, full or read-only: one line naming the file, never a
traceback, never exit 0 — and readers that never wait for a writer.

Damage is real damage: pages of a real store overwritten on disk. A full disk is a real full
file system (a 2 MB tmpfs mounted in a private mount namespace with ``unshare``), and SQLite's
own page limit in-process. A read-only file is read by an unprivileged user (root reads
anything).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bounded import child_env, dump, integrity, no_traceback, run_tidegauge
from tidegauge import Tidegauge
from tidegauge.errors import StoreError
from tidegauge.sources.base import FetchResult, Observation
from tidegauge.store import Store

pytestmark = pytest.mark.slow

IDS = ["WALCL", "WTREGEN", "RRPONTSYD", "WRESBAL", "GDP"]


@pytest.fixture(scope="module")
def good_store(fred_mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "s.db"
    with Tidegauge(mirror=str(fred_mirror), store_path=str(path)) as tg:
        assert tg.update(IDS).ok
    checkpoint(path)
    return path


def checkpoint(path: Path) -> None:
    """Fold the WAL into the file and remove it, so the file alone is the store."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode = DELETE")
    finally:
        con.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")
    con.close()


def corrupt(path: Path, tables: tuple[str, ...] | None) -> None:
    """Overwrite the pages of ``tables`` (``None``: every page but the first) with garbage."""
    con = sqlite3.connect(path)
    try:
        size = con.execute("PRAGMA page_size").fetchone()[0]
        count = con.execute("PRAGMA page_count").fetchone()[0]
        if tables is None:
            pages = list(range(2, count + 1))
        else:
            marks = ",".join("?" * len(tables))
            pages = [
                r[0]
                for r in con.execute(
                    f"SELECT pageno FROM dbstat WHERE name IN ({marks})", tables
                ).fetchall()
            ]
    finally:
        con.close()
    with path.open("r+b") as f:
        for page in pages:
            f.seek((page - 1) * size)
            f.write(b"\xab" * size)


def one_line(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode != 0, result.stdout + result.stderr
    assert no_traceback(result)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert all(n in lines[0] for n in needles), lines[0]
    return lines[0]


COMMANDS = {
    # every page but the first is garbage: the store fails as it opens
    "everything": (("update", "WALCL"), ("series", "list")),
    # the data pages are garbage: the store opens, reading the data fails — including the
    # report, whose sections used to swallow the error (exit 0 with every section "missing")
    "observations": (
        ("series", "show", "WALCL"),
        ("export", "WALCL", "--out", "{tmp}/out.csv"),
        ("report", "--no-update", "--html", "{tmp}/r.html"),
    ),
}


@pytest.mark.parametrize("damage", sorted(COMMANDS))
def test_a_damaged_store_is_one_line_and_a_failure(
    good_store: Path, fred_mirror: Path, tmp_path: Path, damage: str
) -> None:
    store = tmp_path / "s.db"
    shutil.copy(good_store, store)
    corrupt(store, None if damage == "everything" else ("obs", "snapshots"))
    for command in COMMANDS[damage]:
        args = [a.format(tmp=tmp_path) for a in command]
        result = run_tidegauge(*args, "--store", str(store), "--mirror", str(fred_mirror))
        line = one_line(result, str(store))
        assert "damaged" in line or "not a database" in line, (command, line)
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "r.html").exists()


def test_a_damaged_store_is_503_on_the_dashboard_without_the_path(
    good_store: Path, tmp_path: Path
) -> None:
    from test_web import fetch
    from tidegauge.config import Settings
    from tidegauge.web import create_app

    store = tmp_path / "s.db"
    shutil.copy(good_store, store)
    corrupt(store, ("obs", "snapshots"))
    app = create_app(Settings.from_env(store_path=str(store), mirror=None))
    for url in ("/api/series/WALCL", "/api/liquidity", "/liquidity", "/"):
        r = fetch(app, url)
        assert r.status_code == 503, (url, r.status_code)
        assert str(tmp_path) not in r.text and "cannot be read" in r.text


def test_another_applications_file_is_one_line_and_untouched(
    fred_mirror: Path, tmp_path: Path
) -> None:
    path = tmp_path / "notes.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('keep me')")
    con.commit()
    con.close()
    before = path.read_bytes()
    for args in (("update", "WALCL", "--mirror", str(fred_mirror)), ("series", "list")):
        one_line(run_tidegauge(*args, "--store", str(path)), str(path), "another application")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


# -- a full disk --------------------------------------------------------------------------------
def test_sqlite_full_is_one_line_and_changes_nothing(good_store: Path, tmp_path: Path) -> None:
    """SQLite's page limit (a real SQLITE_FULL, in-process): the error names the file, the
    write is rolled back cleanly (no 'cannot rollback') and the store is as it was."""
    path = tmp_path / "s.db"
    shutil.copy(good_store, path)
    before = dump(path)
    with Store(path) as store:
        writer = store._open_writer()
        pages = writer.execute("PRAGMA page_count").fetchone()[0]
        writer.execute(f"PRAGMA max_page_count = {pages}")
        rows = [Observation(o.date.replace(year=o.date.year - 200), 1.0) for o in _walcl(store)]
        with pytest.raises(StoreError, match="is full") as info:
            store.apply(FetchResult("WALCL", rows), source="test")
        assert str(path) in str(info.value) and "\n" not in str(info.value)
        assert store.integrity_check() == "ok"
    assert dump(path) == before


def _walcl(store: Store) -> list[Observation]:
    import datetime as dt

    return [Observation(dt.date.fromisoformat(d), v) for d, v in store.observations("WALCL")]


FILL = """
set -e
mount -t tmpfs -o size=4m tmpfs "$DIR/disk"
cp "$DIR/s.db" "$DIR/disk/s.db"
dd if=/dev/zero of="$DIR/disk/room" bs=4k count=32 2>/dev/null
dd if=/dev/zero of="$DIR/disk/filler" bs=4k 2>/dev/null || true
rm "$DIR/disk/room"  # 128 KB left: the store opens, the update's writes do not fit
set +e
"$PYTHON" -m tidegauge update DFF DGS10 --mirror "$MIRROR" --store "$DIR/disk/s.db" \
    >"$DIR/out.txt" 2>"$DIR/err.txt"
echo $? >"$DIR/rc.txt"
cp "$DIR"/disk/s.db* "$DIR/after/"
"""


def test_a_full_disk_is_one_line_and_the_store_is_intact(
    good_store: Path, fred_mirror: Path, tmp_path: Path
) -> None:
    """A real full file system: a 4 MB tmpfs in a private mount namespace, filled up but for
    128 KB, holds a copy of the store; the update of two long daily series cannot write."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare is not available")
    shutil.copy(good_store, tmp_path / "s.db")
    (tmp_path / "disk").mkdir()
    (tmp_path / "after").mkdir()
    env = child_env({"DIR": str(tmp_path), "PYTHON": sys.executable, "MIRROR": str(fred_mirror)})
    probe = subprocess.run(
        [unshare, "--mount", "--map-root-user", "true"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip(f"no private mount namespace here: {probe.stderr.decode()[:80]}")
    done = subprocess.run(
        [unshare, "--mount", "--map-root-user", "sh", "-c", FILL],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rc = int((tmp_path / "rc.txt").read_text())
    err = (tmp_path / "err.txt").read_text()
    assert rc == 1, err + (tmp_path / "out.txt").read_text()
    assert "Traceback" not in err and "cannot rollback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "is full" in lines[0] and "s.db" in lines[0], lines
    after = tmp_path / "after" / "s.db"
    assert integrity(after) == "ok"
    assert dump(after, "WALCL") == dump(tmp_path / "s.db", "WALCL")


# -- read-only files ------------------------------------------------------------------------------
READ_ONLY = """
mount --bind "$RO" "$RO" && mount -o remount,ro,bind "$RO" || exit 99
for step in list export update; do
    case $step in
        list) set -- series list ;;
        export) set -- export WALCL --out "$OUT/walcl.csv" ;;
        update) set -- update WALCL --mirror "$MIRROR" ;;
    esac
    "$PYTHON" -m tidegauge "$@" --store "$RO/s.db" >"$OUT/$step.out" 2>"$OUT/$step.err"
    echo $? >"$OUT/$step.rc"
done
"""


def test_a_read_only_store_can_be_read(good_store: Path, fred_mirror: Path, tmp_path: Path) -> None:
    """The store on a read-only file system (a read-only bind mount in a private mount
    namespace: even root cannot write there): listing and exporting work, an update says the
    store is read-only."""
    unshare = shutil.which("unshare")
    probe = subprocess.run(
        [unshare or "unshare", "--mount", "--map-root-user", "true"],
        capture_output=True,
        check=False,
    )
    if unshare is None or probe.returncode != 0:
        pytest.skip("no private mount namespace here")
    ro, out = tmp_path / "ro", tmp_path / "out"
    ro.mkdir()
    out.mkdir()
    shutil.copy(good_store, ro / "s.db")
    before = (ro / "s.db").read_bytes()
    env = child_env(
        {"RO": str(ro), "OUT": str(out), "MIRROR": str(fred_mirror), "PYTHON": sys.executable}
    )
    done = subprocess.run(
        [unshare, "--mount", "--map-root-user", "sh", "-c", READ_ONLY],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr

    def step(name: str) -> tuple[int, str, str]:
        return (
            int((out / f"{name}.rc").read_text()),
            (out / f"{name}.out").read_text(),
            (out / f"{name}.err").read_text(),
        )

    rc, stdout, err = step("list")
    assert rc == 0 and "Aug 26, 2026" in stdout, err  # WALCL's last stored date
    rc, stdout, err = step("export")
    assert rc == 0 and "2026-08-26" in (out / "walcl.csv").read_text(), err
    rc, stdout, err = step("update")
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert rc == 1 and len(lines) == 1 and "is read-only" in lines[0], err
    assert "Traceback" not in err
    assert (ro / "s.db").read_bytes() == before
    assert sorted(p.name for p in ro.iterdir()) == ["s.db"]
