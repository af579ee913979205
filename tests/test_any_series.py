"""Any FRED id, not only the catalog's: ``update``, ``load``, ``export`` and ``series show``.

Ids outside the catalog need real data that the catalog does not know, and every FRED file of
the reference mirror is now a catalog series. So ``odd_mirror`` is a folder with a copy of the
real ``DFF.csv`` under the made-up id ``XYZTEST`` (header renamed, values untouched: they are
the real effective fed funds rates under another name), next to real copies of ``WALCL.csv``
and ``GDP.csv``. It is read as a mirror and served over HTTP by the FRED stand-in
(``tests/fredserver.py``) for the CSV and the API paths.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from fredserver import FredServer
from tidegauge import SeriesNotFound, SourceError, Tidegauge, UsageError
from tidegauge.catalog import CATALOG, UNKNOWN_UNIT, describe, guess_frequency, normalise_ids
from tidegauge.cli import cli
from tidegauge.config import Secret, Settings
from tidegauge.updater import REFETCH_WINDOW

ODD = "XYZTEST"
API_KEY = "abcdef0123456789fedcba9876543210"
BAD_IDS = (
    "WAL CL",
    "../etc/passwd",
    "DFF;rm",
    "A" * 31,
    "",
    "WALCL.csv",
    "_DFF",
    "DFF%0A",
    "DFF-1",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TIDEGAUGE_STORE", "TIDEGAUGE_MIRROR", "TIDEGAUGE_LANG", "FRED_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def odd_mirror(fred_mirror: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "mirror"
    folder.mkdir()
    header, body = (fred_mirror / "DFF.csv").read_text().split("\n", 1)
    assert header == "observation_date,DFF"
    (folder / f"{ODD}.csv").write_text(f"observation_date,{ODD}\n{body}")
    for sid in ("WALCL", "GDP"):
        shutil.copy(fred_mirror / f"{sid}.csv", folder / f"{sid}.csv")
    return folder


@pytest.fixture
def server(odd_mirror: Path) -> Iterator[FredServer]:
    with FredServer(odd_mirror) as s:
        yield s


def settings(server: FredServer, tmp_path: Path, *, api: bool = False) -> Settings:
    return Settings(
        store_path=tmp_path / "http.db",
        fred_url=server.url,
        fred_api_url=server.api_url,
        api_key=Secret(API_KEY) if api else None,
        rate=50.0,
        timeout=0.5,
        max_attempts=2,
        backoff_base=0.01,
        backoff_max=0.05,
    )


def dff(fred_mirror: Path) -> dict[dt.date, float]:
    lines = (fred_mirror / "DFF.csv").read_text().splitlines()[1:]
    pairs = (line.split(",") for line in lines if line)
    return {dt.date.fromisoformat(d): float(v) for d, v in pairs if v.strip() not in ("", ".")}


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200", **(env or {})})


# --------------------------------------------------------------------------- catalog ids


def test_load_sofr_from_the_mirror(mirror_session) -> None:
    df = mirror_session.load(["sofr"], start="2019-09-16", end="2019-09-18")
    assert df.attrs["units"] == {"SOFR": "percent"}
    assert df.attrs["names"] == {"SOFR": "Secured overnight financing rate (SOFR)"}
    assert df.loc["2019-09-17", "SOFR"] == 5.25  # the September 2019 repo spike


def test_export_sofr_from_the_mirror(fred_mirror: Path, tmp_path: Path) -> None:
    out = tmp_path / "sofr.csv"
    store = str(tmp_path / "s.db")
    result = invoke(
        "export", "SOFR", "--out", str(out), "--mirror", str(fred_mirror), "--store", store
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("date,SOFR\n")  # plain CSV; the metadata is in the sidecar
    (col,) = _sidecar_columns(out)
    assert col["name"] == "SOFR"
    assert col["dc:description"] == "Secured overnight financing rate (SOFR)"
    assert (col["unit"], col["as_of"]) == ("percent", "2026-07-22")
    assert "\n2019-09-17,5.25\n" in text


def _sidecar_columns(out: Path) -> list[dict[str, Any]]:
    """The series columns of a CSV export's metadata file (CSV on the Web), date left out."""
    import json

    meta = json.loads(out.with_name(out.name + "-metadata.json").read_text(encoding="utf-8"))
    return [c for c in meta["tableSchema"]["columns"] if c["name"] != "date"]


# --------------------------------------------------------------------------- outside the catalog


def test_load_an_id_outside_the_catalog_from_a_mirror(
    odd_mirror: Path, fred_mirror: Path, tmp_path: Path
) -> None:
    assert ODD not in CATALOG
    with Tidegauge(mirror=str(odd_mirror), store_path=str(tmp_path / "s.db")) as tg:
        df = tg.load([ODD.lower(), "WALCL"], start="2020-01-01")
        assert df.attrs["units"] == {ODD: UNKNOWN_UNIT, "WALCL": "USD billions"}
        assert df.attrs["names"] == {ODD: ODD, "WALCL": "Fed total assets"}
        assert df.attrs["as_of"][ODD] == "2026-08-06"  # DFF's last observation
        real = dff(fred_mirror)
        values = df[ODD].dropna()
        assert len(values) == sum(d >= dt.date(2020, 1, 1) for d in real)
        assert all(values[d.isoformat()] == v for d, v in real.items() if d.year >= 2020)
        s = tg.series(ODD, start="2022-12-30", end="2022-12-30")
        assert (float(s.iloc[0]), s.attrs["unit"]) == (real[dt.date(2022, 12, 30)], UNKNOWN_UNIT)
        info = tg.info(ODD)
        assert (info.frequency, info.category, info.scale_exp) == ("D", "other", 0)


def test_cli_update_show_export_outside_the_catalog(odd_mirror: Path, tmp_path: Path) -> None:
    opts = ["--mirror", str(odd_mirror), "--store", str(tmp_path / "s.db")]
    result = invoke("update", ODD.lower(), *opts)
    assert result.exit_code == 0, result.output
    assert ODD in result.stdout and "26335" in result.stdout  # every DFF row
    show = invoke("series", "show", ODD, "--last", "2", *opts)
    assert show.exit_code == 0, show.output
    assert f"Unit used here: {UNKNOWN_UNIT}" in show.stdout
    assert "Freq.: daily" in show.stdout and "Typical publication lag: unknown" in show.stdout
    assert "Latest: 3.630 unknown (as of 2026-08-06)" in show.stdout
    zh = invoke("series", "show", ODD, *opts, "--lang", "zh-TW")
    assert "未知（不在目錄中；設定 FRED_API_KEY 可取得 FRED 的中繼資料）" in zh.stdout
    out = tmp_path / "x.csv"
    result = invoke("export", ODD, "WALCL", "--out", str(out), "--start", "2026-08-01", *opts)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"date,{ODD},WALCL"
    odd = _sidecar_columns(out)[0]
    assert (odd["name"], odd["dc:description"]) == (ODD, ODD)
    assert (odd["unit"], odd["as_of"]) == (UNKNOWN_UNIT, "2026-08-06")
    assert "2026-08-06,3.63," in lines  # the real DFF value; WALCL has no Thursday value


def test_whole_catalog_update_still_means_the_catalog(odd_mirror: Path, tmp_path: Path) -> None:
    with Tidegauge(mirror=str(odd_mirror), store_path=str(tmp_path / "s.db")) as tg:
        report = tg.update()
        assert [r.series_id for r in report.results] == list(CATALOG)  # XYZTEST is not asked
        status = {r.series_id: r.status for r in report.results}
        assert status["WALCL"] == status["GDP"] == "ok" and status["DFF"] == "skipped"
        assert report.ok and not tg.store.has(ODD)


# --------------------------------------------------------------------------- unknown and bad ids


@pytest.mark.parametrize(
    "command", [["export", "WALC", "--out"], ["series", "show", "WALC"], ["update", "WALC"]]
)
def test_an_id_nobody_has_names_close_catalog_ids(
    command: list[str], odd_mirror: Path, tmp_path: Path
) -> None:
    args = [*command, str(tmp_path / "x.csv")] if command[-1] == "--out" else command
    result = invoke(*args, "--mirror", str(odd_mirror), "--store", str(tmp_path / "s.db"))
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()  # one line, before any progress bar
    assert line.startswith("Error: unknown series 'WALC': not in the catalog")
    assert "did you mean WALCL" in line and "not in mirror" in line
    assert "Traceback" not in result.output


def test_an_id_nobody_has_in_python_and_in_chinese(odd_mirror: Path, tmp_path: Path) -> None:
    with Tidegauge(mirror=str(odd_mirror), store_path=str(tmp_path / "s.db")) as tg:
        with pytest.raises(SeriesNotFound, match="did you mean DGS10") as info:
            tg.load(["DGS11"])
        assert info.value.exit_code == 2
        with pytest.raises(SeriesNotFound, match="check the id on FRED"):
            tg.load(["QQQQQQQQ"])
        # a catalog id the source lacks stays a source error (exit 1), as before
        with pytest.raises(SourceError, match="DFF"):
            tg.load(["DFF"])
    result = invoke(
        "series",
        "show",
        "walc",
        "--mirror",
        str(odd_mirror),
        "--store",
        str(tmp_path / "z.db"),
        "--lang",
        "zh-CN",
    )
    assert result.exit_code == 2
    assert "错误: 未知的序列 'WALC'：不在目录中" in result.stderr
    assert "您是指 WALCL" in result.stderr


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_malformed_id_fails_before_any_request(
    bad: str, server: FredServer, tmp_path: Path
) -> None:
    with Tidegauge(settings(server, tmp_path)) as tg:
        for call in (lambda: tg.load([bad]), lambda: tg.update([bad]), lambda: tg.info(bad)):
            with pytest.raises(UsageError, match="is not a FRED series id"):
                call()
    env = {"TIDEGAUGE_FRED_URL": server.url}
    for args in (
        ["series", "show", bad],
        ["export", bad, "--out", str(tmp_path / "o.csv")],
        ["update", bad],
    ):
        result = invoke(*args, "--store", str(tmp_path / "c.db"), env=env)
        assert result.exit_code == 2, (args, result.output)
        assert "is not a FRED series id" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert server.log == []


def test_ids_are_normalised() -> None:
    assert normalise_ids([" sofr", "SOFR", "dgs10 ", "spx_shiller"]) == [
        "SOFR",
        "DGS10",
        "SPX_SHILLER",
    ]
    assert normalise_ids("A" * 30) == ["A" * 30]


# --------------------------------------------------------------------------- over HTTP


def test_csv_download_of_an_id_outside_the_catalog(
    server: FredServer, fred_mirror: Path, tmp_path: Path
) -> None:
    with Tidegauge(settings(server, tmp_path)) as tg:
        df = tg.load([ODD])
        assert df.attrs["units"][ODD] == UNKNOWN_UNIT  # no key, no metadata
        assert len(df[ODD].dropna()) == len(dff(fred_mirror))
        # the next update refetches a window sized by the frequency the stored dates show
        server.reset_log()
        [r] = tg.update([ODD]).results
        assert (r.status, r.new, r.revised) == ("ok", 0, 0)
        [req] = server.requests(ODD)
        assert req.params["cosd"] == (dt.date(2026, 8, 6) - REFETCH_WINDOW["D"]).isoformat()
        with pytest.raises(SeriesNotFound, match="did you mean WALCL"):
            tg.load(["WALC"])  # the server answers 404
    assert len(server.requests("WALC")) == 1


def test_with_a_key_units_and_title_come_from_fred(server: FredServer, tmp_path: Path) -> None:
    # DFF's own FRED metadata, served for the copy
    server.set_meta(
        ODD,
        title="Federal Funds Effective Rate",
        units="Percent",
        frequency="Daily, 7-Day",
        frequency_short="D",
    )
    with Tidegauge(settings(server, tmp_path, api=True)) as tg:
        df = tg.load([ODD], start="2026-08-01")
        assert df.attrs["units"] == {ODD: "Percent"}
        assert df.attrs["names"] == {ODD: "Federal Funds Effective Rate"}
        info = tg.info(ODD)
        assert (info.unit, info.frequency, info.label("zh-TW")) == (
            "Percent",
            "D",
            "Federal Funds Effective Rate",
        )
        assert tg.store.series(ODD).frequency == "D"
        # FRED's API answers an unknown id with HTTP 400; GDP still works, so it is unknown
        with pytest.raises(SeriesNotFound, match=r"WALC: not found on FRED.*did you mean WALCL"):
            tg.load(["WALC"])
    env = {
        "FRED_API_KEY": API_KEY,
        "TIDEGAUGE_FRED_URL": server.url,
        "TIDEGAUGE_FRED_API_URL": server.api_url,
    }
    show = invoke("series", "show", ODD, "--store", str(tmp_path / "http.db"), env=env)
    assert show.exit_code == 0, show.output
    assert "XYZTEST — Federal Funds Effective Rate" in show.stdout
    assert "Unit used here: Percent" in show.stdout


def test_with_a_key_fred_refuses_an_http_400_stays_a_source_error(
    server: FredServer, odd_mirror: Path, tmp_path: Path
) -> None:
    """When even the probe series (GDP) gets a 400 the key is the likely cause: no "unknown
    series" claim, the 400 is reported as it is (exit 1)."""
    (odd_mirror / "GDP.csv").unlink()
    with Tidegauge(settings(server, tmp_path, api=True)) as tg:
        with pytest.raises(SourceError, match="HTTP 400") as info:
            tg.load(["WALC"])
        assert not isinstance(info.value, UsageError) and info.value.exit_code == 1


# --------------------------------------------------------------------------- helpers


def test_describe_and_guess_frequency() -> None:
    assert describe("WALCL") is CATALOG["WALCL"]
    info = describe("XYZ", title=" Some title ", units="Percent", frequency="M")
    assert (info.name, info.unit, info.native_unit, info.frequency) == (
        {"en": "Some title"},
        "Percent",
        "Percent",
        "M",
    )
    assert describe("XYZ", units="  ").unit == UNKNOWN_UNIT
    assert guess_frequency("BW") == "W" and guess_frequency("sa") == "A"
    assert (
        guess_frequency(None) is None
        and guess_frequency(None, "2020-01-01", "2020-01-01", 1) is None
    )
    days = {"D": 1.45, "W": 7, "M": 30.4, "Q": 91.3, "A": 365.25}
    for freq, gap in days.items():
        last = dt.date(2000, 1, 1) + dt.timedelta(days=round(gap * 99))
        assert guess_frequency(None, "2000-01-01", last.isoformat(), 100) == freq
