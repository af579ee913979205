"""``tidegauge export``: exactly the mirror's values in canonical units, with unit metadata."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tidegauge import Tidegauge
from tidegauge.cli import cli


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TIDEGAUGE_STORE", "TIDEGAUGE_MIRROR", "TIDEGAUGE_LANG", "FRED_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty store: the first export fetches what it needs from the mirror."""
    return tmp_path_factory.mktemp("export") / "s.db"


def export(fred_mirror: Path, store: Path, out: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["export", *args, "--out", str(out), "--mirror", str(fred_mirror), "--store", str(store)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert not out.with_name(out.name + ".partial").exists()
    return result.stdout


def mirror_rows(fred_mirror: Path, sid: str) -> dict[str, str]:
    lines = (fred_mirror / f"{sid}.csv").read_text().splitlines()[1:]
    return dict(line.split(",") for line in lines)


def split_csv(path: Path) -> tuple[list[str], list[str], dict[str, list[str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    meta = [ln for ln in lines if ln.startswith("#")]
    body = [ln for ln in lines if not ln.startswith("#")]
    header = body[0].split(",")
    rows = {ln.split(",")[0]: ln.split(",")[1:] for ln in body[1:]}
    return meta, header, rows


def test_walcl_csv_is_exactly_the_mirror_divided_by_1000(
    fred_mirror: Path, store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "f.csv"
    stdout = export(fred_mirror, store, out, "WALCL", "--format", "csv")
    raw = mirror_rows(fred_mirror, "WALCL")
    assert "Wrote 1 series, 1237 rows" in stdout

    text = out.read_text(encoding="utf-8")
    assert "\n2008-09-10,925.725\n" in text  # mirror line "2008-09-10,925725"
    meta, header, rows = split_csv(out)
    assert meta[0].startswith("# tidegauge export ") and "canonical units" in meta[0]
    assert meta[1] == "# WALCL: Fed total assets | unit: USD billions | as of 2026-08-26"
    assert header == ["date", "WALCL"]
    assert list(rows) == list(raw)  # every date, in order
    for date, (cell,) in rows.items():
        assert Decimal(cell) == Decimal(raw[date]) / 1000, (date, cell, raw[date])

    # Read back the documented way.
    df = pd.read_csv(out, comment="#", parse_dates=["date"], index_col="date")
    assert df.loc["2026-08-26", "WALCL"] == 6730.912
    assert len(df) == 1237


def test_walcl_parquet_with_unit_metadata(fred_mirror: Path, store: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "f.parquet"
    export(fred_mirror, store, out, "WALCL", "--format", "parquet")
    table = pq.read_table(out)
    assert table.schema.field("date").type == pa.date32()
    field = table.schema.field("WALCL")
    assert field.type == pa.float64()
    assert field.metadata[b"unit"] == b"USD billions"
    assert field.metadata[b"as_of"] == b"2026-08-26"
    assert field.metadata[b"name"] == b"Fed total assets"
    raw = mirror_rows(fred_mirror, "WALCL")
    dates = [d.isoformat() for d in table.column("date").to_pylist()]
    values = table.column("WALCL").to_pylist()
    assert dates == list(raw)
    for date, value in zip(dates, values, strict=True):
        assert value == float(raw[date]) / 1000, date
    assert values[dates.index("2008-09-10")] == 925.725


def test_several_series_aligned_with_missing_cells_empty(
    fred_mirror: Path, store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "two.csv"
    export(
        fred_mirror,
        store,
        out,
        "walcl",
        "RRPONTSYD",
        "--start",
        "2022-12-26",
        "--end",
        "2023-01-06",
    )
    meta, header, rows = split_csv(out)
    assert header == ["date", "WALCL", "RRPONTSYD"]
    assert any(m.startswith("# RRPONTSYD: ") and "| unit: USD billions |" in m for m in meta)
    # 2022-12-30 (a Friday): the ON RRP record, no H.4.1 week ends that day.
    assert rows["2022-12-30"] == ["", "2553.716"]
    raw_walcl = mirror_rows(fred_mirror, "WALCL")
    raw_rrp = mirror_rows(fred_mirror, "RRPONTSYD")
    for date, (walcl, rrp) in rows.items():
        assert walcl == ("" if date not in raw_walcl else repr(float(raw_walcl[date]) / 1000))
        assert rrp == ("" if raw_rrp.get(date, "") == "" else repr(float(raw_rrp[date])))
    # Every row has at least one value (days without any observation are dropped).
    assert all(any(cells) for cells in rows.values())
    expected = {d for d in raw_walcl if "2022-12-26" <= d <= "2023-01-06"} | {
        d for d, v in raw_rrp.items() if "2022-12-26" <= d <= "2023-01-06" and v != ""
    }
    assert set(rows) == expected


def test_percent_series_is_not_scaled(fred_mirror: Path, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "dgs10.csv"
    export(fred_mirror, store, out, "DGS10", "--start", "2026-01-01")
    meta, _, rows = split_csv(out)
    assert "| unit: percent |" in meta[1]
    raw = mirror_rows(fred_mirror, "DGS10")
    assert rows["2026-07-28"] == ["4.61"]  # last line of DGS10.csv
    assert all(float(v[0]) == float(raw[d]) for d, v in rows.items())


def test_python_api_export_overwrites_atomically(fred_mirror: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "w.csv"
    with Tidegauge(mirror=str(fred_mirror), store_path=str(tmp_path / "api.db")) as tg:
        path = tg.export(["WALCL"], out, start="2008-09-10", end="2008-09-10")
        assert path == out
        assert out.read_text().endswith("date,WALCL\n2008-09-10,925.725\n")
        tg.export(["WALCL"], out, start="2022-04-13", end="2022-04-13")
        assert out.read_text().endswith("date,WALCL\n2022-04-13,8965.487\n")
    assert sorted(p.name for p in out.parent.iterdir()) == ["w.csv"]
