"""``tidegauge export``: exactly the mirror's values in canonical units, with unit metadata.

CSV is plain (no comment lines: ``pandas.read_csv`` reads it as is) with its metadata in a
``-metadata.json`` sidecar; ``.xlsx`` is a real workbook; Parquet keeps metadata per field."""

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


def split_csv(path: Path) -> tuple[dict[str, dict[str, str]], list[str], dict[str, list[str]]]:
    """The sidecar's columns by id, the header and the rows of an exported CSV."""
    import json

    from tidegauge.export import sidecar_path

    lines = path.read_text(encoding="utf-8").splitlines()
    assert not any(ln.startswith("#") for ln in lines)
    side = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    meta = {c["name"]: c for c in side["tableSchema"]["columns"]}
    header = lines[0].split(",")
    rows = {ln.split(",")[0]: ln.split(",")[1:] for ln in lines[1:]}
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
    assert meta["WALCL"]["dc:description"] == "Fed total assets"
    assert meta["WALCL"]["unit"] == "USD billions"
    assert meta["WALCL"]["as_of"] == "2026-08-26"
    assert header == ["date", "WALCL"]
    assert list(rows) == list(raw)  # every date, in order
    for date, (cell,) in rows.items():
        assert Decimal(cell) == Decimal(raw[date]) / 1000, (date, cell, raw[date])

    # A plain read_csv, no options: no comment lines to skip.
    plain = pd.read_csv(out)
    assert list(plain.columns) == ["date", "WALCL"] and len(plain) == 1237
    df = pd.read_csv(out, parse_dates=["date"], index_col="date")
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
    assert meta["RRPONTSYD"]["unit"] == "USD billions"
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
    assert meta["DGS10"]["unit"] == "percent"
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
    assert sorted(p.name for p in out.parent.iterdir()) == ["w.csv", "w.csv-metadata.json"]


def test_xlsx_is_a_real_workbook_with_the_csv_values(
    fred_mirror: Path, store: Path, tmp_path: Path
) -> None:
    import datetime as dt

    import openpyxl

    csv_out, xlsx_out = tmp_path / "w.csv", tmp_path / "w.xlsx"
    export(fred_mirror, store, csv_out, "WALCL")
    export(fred_mirror, store, xlsx_out, "WALCL")  # the format comes from the suffix
    assert xlsx_out.read_bytes()[:2] == b"PK"  # a zip container, not CSV text
    wb = openpyxl.load_workbook(xlsx_out)
    assert wb.sheetnames == ["data", "about"]
    rows = list(wb["data"].values)
    assert rows[0] == ("date", "WALCL")
    frame = pd.read_csv(csv_out)
    assert len(rows) - 1 == len(frame) == 1237
    for (day, value), (_, row) in zip(rows[1:], frame.iterrows(), strict=True):
        assert isinstance(day, dt.datetime) and day.date().isoformat() == row["date"]
        assert value == row["WALCL"]
    about = [r for r in wb["about"].values if r and r[0] == "WALCL"]
    assert about and "USD billions" in about[0] and "2026-08-26" in about[0]


@pytest.mark.parametrize(
    ("name", "args", "needle"),
    [
        ("w.xlsx", ["--format", "csv"], "does not match the file name"),
        ("w.txt", [], "cannot tell the format"),
    ],
)
def test_export_refuses_a_format_the_file_name_contradicts(
    fred_mirror: Path, store: Path, tmp_path: Path, name: str, args: list[str], needle: str
) -> None:
    out = tmp_path / name
    result = CliRunner().invoke(
        cli, ["export", "WALCL", *args, "--out", str(out), "--store", str(store)]
    )
    assert result.exit_code == 2, result.output
    assert needle in result.output and len(result.output.strip().splitlines()) == 1
    assert not out.exists()
