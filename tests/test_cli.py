"""The command line, in-process (CliRunner on ``tidegauge.cli:cli``) and through the installed
console script: update from the mirror, series list/show, and bad input (one line, no traceback,
non-zero exit, nothing stored is lost)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tidegauge.catalog import CATALOG
from tidegauge.cli import cli

SCRIPT = Path(sys.executable).with_name("tidegauge")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TIDEGAUGE_STORE", "TIDEGAUGE_MIRROR", "TIDEGAUGE_LANG", "FRED_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner()
    return runner.invoke(cli, list(args), env={"COLUMNS": "200", **(env or {})})


def script(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TIDEGAUGE_") and k != "FRED_API_KEY"
    }
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, "COLUMNS": "200", **(env or {})},
        check=False,
    )


def fred_ids_in_mirror(fred_mirror: Path) -> set[str]:
    """Catalog series of the FRED family with an ``ID.csv`` in the mirror."""
    files = {p.stem for p in fred_mirror.glob("*.csv")}
    return {sid for sid, s in CATALOG.items() if s.source == "fred" and sid in files}


def stored_counts(store: Path) -> dict[str, tuple[int, int]]:
    """``{id: (n_obs, rows incl. vintages)}`` read with plain sqlite3."""
    con = sqlite3.connect(store)
    try:
        n_obs = dict(con.execute("SELECT id, n_obs FROM series").fetchall())
        rows = dict(
            con.execute(
                "SELECT series_id, COUNT(*) FROM observations GROUP BY series_id"
            ).fetchall()
        )
    finally:
        con.close()
    return {sid: (n, rows.get(sid, 0)) for sid, n in n_obs.items()}


@pytest.fixture(scope="module")
def loaded(fred_mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """A store filled by ``tidegauge update --mirror ... --store s.db`` run in-process."""
    store = tmp_path_factory.mktemp("cli") / "s.db"
    result = CliRunner().invoke(
        cli, ["update", "--mirror", str(fred_mirror), "--store", str(store)], env={"COLUMNS": "200"}
    )
    return store, result


def assert_one_line_error(
    result: Result | subprocess.CompletedProcess[str], code: int | None, *needles: str
) -> str:
    """Exactly one non-empty line on stderr, starting "Error:", no traceback or usage text."""
    stderr = result.stderr
    exit_code = result.exit_code if isinstance(result, Result) else result.returncode
    lines = stderr.splitlines()  # strictly one line: not even a blank one from a progress bar
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: "), stderr
    assert "Traceback" not in stderr and "Usage:" not in stderr
    if isinstance(result, Result):
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
    assert exit_code != 0
    if code is not None:
        assert exit_code == code, (exit_code, stderr)
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


# --------------------------------------------------------------------------- update


def test_update_from_the_mirror_loads_every_catalog_series_it_has(
    loaded: tuple[Path, Result], fred_mirror: Path
) -> None:
    store, result = loaded
    assert result.exit_code == 0, result.output
    expected = fred_ids_in_mirror(fred_mirror)
    assert len(expected) >= 30
    counts = stored_counts(store)
    assert expected <= set(counts)
    fred_stored = {sid for sid in counts if CATALOG[sid].source == "fred"}
    assert fred_stored == expected
    # Each series holds exactly its file's observations.
    for sid in expected:
        lines = (fred_mirror / f"{sid}.csv").read_text().splitlines()[1:]
        n_values = sum(1 for ln in lines if ln.split(",")[1].strip() not in ("", "."))
        assert counts[sid] == (n_values, len(lines)), sid
    # Series the mirror lacks (if any) are reported as skipped, not failed; a mirror that surely
    # lacks some is tested below.
    missing = {sid for sid, s in CATALOG.items() if s.source == "fred"} - expected
    for sid in missing:
        row = next(ln for ln in result.stdout.splitlines() if f" {sid} " in ln)
        assert "skipped" in row, row
    assert "FAILED" not in result.stdout
    assert f"{len(missing)} skipped, 0 failed" in result.stdout


def test_update_of_the_catalog_skips_what_the_mirror_lacks(partial_mirror) -> None:
    mirror = partial_mirror(["WALCL", "DGS10"])  # real files; every other series is missing
    store = mirror.parent / "s.db"
    result = run("update", "--mirror", str(mirror), "--store", str(store))
    assert result.exit_code == 0, result.output
    # Every other series is skipped (the datahub ones too: no data folder beside this mirror).
    missing = set(CATALOG) - {"WALCL", "DGS10"}
    assert {"GDPC1", "JPNASSETS"} <= missing
    for sid in missing:
        row = next(ln for ln in result.stdout.splitlines() if f" {sid} " in ln)
        assert "skipped" in row, row
    assert "FAILED" not in result.stdout
    assert f"2 updated, {len(missing)} skipped, 0 failed" in result.stdout
    assert {sid for sid in stored_counts(store) if CATALOG[sid].source == "fred"} == {
        "WALCL",
        "DGS10",
    }


def test_second_update_is_incremental(loaded: tuple[Path, Result], fred_mirror: Path) -> None:
    store, _ = loaded
    before = stored_counts(store)
    result = run("update", "WALCL", "DGS10", "--mirror", str(fred_mirror), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "0 new and 0 revised" in result.stdout
    assert stored_counts(store) == before


def test_update_through_the_console_script(tmp_path: Path, fred_mirror: Path) -> None:
    assert SCRIPT.is_file(), f"console script {SCRIPT} not installed"
    store = tmp_path / "s.db"
    proc = script("update", "--mirror", str(fred_mirror), "--store", str(store))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    counts = stored_counts(store)
    assert {sid for sid in counts if CATALOG[sid].source == "fred"} == fred_ids_in_mirror(
        fred_mirror
    )
    assert "skipped, 0 failed" in proc.stdout


def test_python_dash_m() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tidegauge", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "0." in proc.stdout


def test_update_explicit_id_the_mirror_lacks_fails_others_still_stored(
    tmp_path: Path, fred_mirror: Path, partial_mirror
) -> None:
    mirror = partial_mirror(["WALCL"])  # GDPC1 is in the catalog, not in this mirror
    store = tmp_path / "s.db"
    result = run("update", "GDPC1", "WALCL", "--mirror", str(mirror), "--store", str(store))
    assert result.exit_code == 1
    row = next(ln for ln in result.stdout.splitlines() if " GDPC1 " in ln)
    assert "FAILED" in row and "not in mirror" in row
    rows = (fred_mirror / "WALCL.csv").read_text().splitlines()[1:]
    assert stored_counts(store)["WALCL"][0] == len(rows)  # every row of WALCL.csv has a value
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- series


@pytest.mark.parametrize(
    ("lang", "walcl_name", "unit"),
    [
        ("en", "Fed total assets", "USD billions"),
        ("zh-TW", "聯準會總資產", "十億美元"),
        ("zh-CN", "美联储总资产", "十亿美元"),
    ],
)
def test_series_list_in_each_language(lang: str, walcl_name: str, unit: str) -> None:
    result = run("series", "list", "--lang", lang)
    assert result.exit_code == 0, result.output
    row = next(ln for ln in result.stdout.splitlines() if re.search(r"\bWALCL\b", ln))
    assert walcl_name in row and unit in row
    for sid in CATALOG:
        assert re.search(rf"(^|\W){sid}\W", result.stdout, re.M), sid


def test_series_list_language_from_env_and_category() -> None:
    result = run("series", "list", "--category", "balance_sheet", env={"TIDEGAUGE_LANG": "zh_TW"})
    assert result.exit_code == 0, result.output
    assert "聯準會總資產" in result.stdout
    assert "DGS10" not in result.stdout  # a rate, not a balance-sheet item


def test_series_list_shows_what_is_stored(loaded: tuple[Path, Result]) -> None:
    store, _ = loaded
    result = run("series", "list", "--store", str(store))
    assert result.exit_code == 0, result.output
    row = next(ln for ln in result.stdout.splitlines() if re.search(r"\bWALCL\b", ln))
    assert "Aug 26, 2026" in row  # the date, formatted as every other date of the terminal
    csv_out = run("series", "list", "--store", str(store), "--format", "csv")
    assert "WALCL,Fed total assets,USD billions,weekly,Balance sheet,2026-08-26" in csv_out.stdout


def test_series_show_latest_value_with_unit_and_date(loaded: tuple[Path, Result]) -> None:
    store, _ = loaded
    result = run("series", "show", "walcl", "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "Latest: 6,730.912 USD billions (as of 2026-08-26)" in result.stdout
    assert "Millions of U.S. Dollars" in result.stdout
    zh = run("series", "show", "WALCL", "--store", str(store), "--lang", "zh-TW")
    assert "最新值: 6,730.912 十億美元（截至 2026-08-26）" in zh.stdout
    rrp = run("series", "show", "RRPONTSYD", "--store", str(store), "--last", "3")
    assert "USD billions (as of 2026-07-29)" in rrp.stdout  # last line of RRPONTSYD.csv: 2.576
    assert "2.576 USD billions" in rrp.stdout


def test_series_show_fetches_a_series_the_store_lacks(tmp_path: Path, fred_mirror: Path) -> None:
    store = tmp_path / "new.db"
    result = run("series", "show", "WALCL", "--mirror", str(fred_mirror), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "Latest: 6,730.912 USD billions (as of 2026-08-26)" in result.stdout
    assert set(stored_counts(store)) == {"WALCL"}


# --------------------------------------------------------------------------- bad input


def test_unknown_series_id(loaded: tuple[Path, Result], fred_mirror: Path, tmp_path: Path) -> None:
    store, _ = loaded
    before = stored_counts(store)
    # any FRED id can be asked for: the mirror (the source) says WALC does not exist
    for args in (
        ["export", "WALC", "--out", str(tmp_path / "f.csv")],
        ["update", "WALC"],
        ["series", "show", "WALC"],
    ):
        result = run(*args, "--mirror", str(fred_mirror), "--store", str(store))
        assert_one_line_error(result, 2, "WALC", "did you mean", "WALCL")
    assert not (tmp_path / "f.csv").exists()
    assert stored_counts(store) == before


def test_reversed_dates(loaded: tuple[Path, Result], tmp_path: Path) -> None:
    store, _ = loaded
    before = stored_counts(store)
    out = tmp_path / "f.csv"
    result = run(
        "export",
        "WALCL",
        "--out",
        str(out),
        "--store",
        str(store),
        "--start",
        "2022-01-01",
        "--end",
        "2020-01-01",
    )
    assert_one_line_error(result, 2, "2022-01-01", "2020-01-01")
    assert not out.exists()
    assert stored_counts(store) == before


@pytest.mark.parametrize("bad", ["2020-13-01", "2020-02-30", "01/02/2020", "yesterday"])
def test_bad_date_format(loaded: tuple[Path, Result], tmp_path: Path, bad: str) -> None:
    store, _ = loaded
    result = run(
        "export", "WALCL", "--out", str(tmp_path / "f.csv"), "--store", str(store), "--start", bad
    )
    assert_one_line_error(result, 2, repr(bad), "YYYY-MM-DD")


def test_mirror_directory_that_does_not_exist(
    loaded: tuple[Path, Result], tmp_path: Path, fred_mirror: Path
) -> None:
    store, _ = loaded
    before = stored_counts(store)
    nowhere = tmp_path / "no" / "such" / "mirror"
    for args in (["update"], ["update", "WALCL"], ["series", "show", "WALCL"]):
        result = run(*args, "--mirror", str(nowhere), "--store", str(store))
        assert_one_line_error(result, 2, str(nowhere), "--mirror")
    result = run("update", "--store", str(store), env={"TIDEGAUGE_MIRROR": str(nowhere)})
    assert_one_line_error(result, 2, str(nowhere))
    a_file = fred_mirror / "WALCL.csv"  # a file where a folder is expected
    result = run("update", "--store", str(store), env={"TIDEGAUGE_MIRROR": str(a_file)})
    assert_one_line_error(result, 2, "is not a directory")
    assert stored_counts(store) == before


def test_unwritable_store_path(tmp_path: Path, fred_mirror: Path) -> None:
    """A store whose parent is a regular file (chmod would not stop root)."""
    blocker = tmp_path / "plain-file"
    blocker.write_text("keep me\n")
    for args in (
        ["update", "WALCL", "--mirror", str(fred_mirror)],
        ["series", "show", "WALCL", "--mirror", str(fred_mirror)],
        ["export", "WALCL", "--out", str(tmp_path / "f.csv")],
    ):
        result = run(*args, "--store", str(blocker / "s.db"))
        assert_one_line_error(result, None, "plain-file", "--store")
    assert blocker.read_text() == "keep me\n"
    assert not (tmp_path / "f.csv").exists()


def test_store_that_is_not_a_database_is_not_overwritten(tmp_path: Path, fred_mirror: Path) -> None:
    path = tmp_path / "notes.db"
    content = (fred_mirror / "WALCL.csv").read_bytes()  # some other file given as --store
    path.write_bytes(content)
    result = run("update", "WALCL", "--mirror", str(fred_mirror), "--store", str(path))
    assert_one_line_error(result, None, "notes.db", "not a database")
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


@pytest.mark.parametrize(
    "args", [["series", "list", "--lang", "fr"], ["series", "show", "WALCL", "--lang", "klingon"]]
)
def test_unknown_language(args: list[str]) -> None:
    assert_one_line_error(run(*args), 2, "unknown language", "zh-TW")


def test_unknown_language_from_env() -> None:
    result = run("series", "list", env={"TIDEGAUGE_LANG": "de"})
    assert_one_line_error(result, 2, "'de'")


def test_unknown_category() -> None:
    assert_one_line_error(run("series", "list", "--category", "nope"), 2, "balance_sheet")


def test_empty_export_window(loaded: tuple[Path, Result], tmp_path: Path) -> None:
    store, _ = loaded
    out = tmp_path / "f.csv"
    result = run(
        "export",
        "WALCL",
        "--out",
        str(out),
        "--store",
        str(store),
        "--start",
        "1990-01-01",
        "--end",
        "1990-12-31",
    )
    assert_one_line_error(result, 1, "nothing to export")
    assert not out.exists()


def test_export_to_an_unwritable_place(loaded: tuple[Path, Result], tmp_path: Path) -> None:
    store, _ = loaded
    blocker = tmp_path / "plain-file"
    blocker.write_text("keep me\n")
    result = run("export", "WALCL", "--out", str(blocker / "f.csv"), "--store", str(store))
    assert_one_line_error(result, 2, "--out")
    assert blocker.read_text() == "keep me\n"


def test_bad_input_through_the_console_script(tmp_path: Path, fred_mirror: Path) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("keep me\n")
    cases = [
        (
            [
                "series",
                "show",
                "WALC",
                "--mirror",
                str(fred_mirror),
                "--store",
                str(tmp_path / "a.db"),
            ],
            2,
            "WALCL",
        ),
        (
            ["update", "WALCL", "--mirror", str(fred_mirror), "--store", str(blocker / "s.db")],
            None,
            "--store",
        ),
        (
            ["update", "--mirror", str(tmp_path / "nowhere"), "--store", str(tmp_path / "b.db")],
            2,
            "nowhere",
        ),
        (["series", "list", "--lang", "fr"], 2, "unknown language"),
    ]
    for args, code, needle in cases:
        assert_one_line_error(script(*args), code, needle)


def test_a_broken_mirror_file_keeps_what_is_stored(tmp_path: Path, fred_mirror: Path) -> None:
    """WALCL.csv replaced by an HTML error page: WALCL fails, its stored data stays, DGS10 is
    updated."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for sid in ("WALCL", "DGS10"):
        shutil.copy(fred_mirror / f"{sid}.csv", mirror / f"{sid}.csv")
    store = tmp_path / "s.db"
    assert (
        run("update", "WALCL", "DGS10", "--mirror", str(mirror), "--store", str(store)).exit_code
        == 0
    )
    before = stored_counts(store)
    (mirror / "WALCL.csv").write_text("<html><body>Service unavailable</body></html>\n")
    result = run("update", "WALCL", "DGS10", "--mirror", str(mirror), "--store", str(store))
    assert result.exit_code == 1
    row = next(ln for ln in result.stdout.splitlines() if " WALCL " in ln)
    assert "FAILED" in row and "not a FRED CSV" in row
    assert "Traceback" not in result.output
    assert stored_counts(store) == before
    shown = run("series", "show", "WALCL", "--store", str(store))
    assert "Latest: 6,730.912 USD billions (as of 2026-08-26)" in shown.stdout
