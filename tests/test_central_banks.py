"""Fed, ECB and BOJ side by side (`tidegauge banks`), on the real data in ../shared/data/fred.

The shared mirror has the three banks' total assets (WALCL, ECBASSETSW, JPNASSETS) and US and
Japanese GDP; figures on it are recomputed from the CSV files, so they follow the data as it grows.
A bank or a GDP that cannot be had must be a note, not an error: those tests build their own
mirror in ``tmp_path`` from the real files, leaving out JPNASSETS and EUNNGDP
(:func:`lacking_session`), and never rely on what the shared mirror happens to lack.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from helpers import run
from tidegauge import Tidegauge
from tidegauge.analysis import central_banks
from tidegauge.catalog import CATALOG
from tidegauge.catalog.programs import load_programs
from tidegauge.errors import NoDataError, UsageError


def raw(mirror: Path, sid: str) -> dict[str, float]:
    """Native values of a mirror CSV (no scaling), in file order, missing values dropped."""
    with (mirror / f"{sid}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    return {d: float(v) for d, v in rows if v not in ("", ".")}


def last(values: dict[str, float]) -> str:
    return max(values)


BANK_IDS = [*central_banks.BANK_ASSETS.values(), *central_banks.BANK_GDP.values()]


def lacking_mirror(partial_mirror, **until: str) -> Path:
    """The banks' real files without JPNASSETS (no BOJ) and EUNNGDP (no euro-area GDP)."""
    return partial_mirror(BANK_IDS, without=["JPNASSETS", "EUNNGDP"], until=until)


def lacking_session(partial_mirror, tmp_path: Path, **until: str) -> Tidegauge:
    mirror = lacking_mirror(partial_mirror, **until)
    return Tidegauge(mirror=str(mirror), store_path=str(tmp_path / "lacking.db"))


@pytest.fixture(scope="module")
def result(mirror_session) -> central_banks.BalanceSheetsResult:
    return central_banks.from_session(mirror_session)


@pytest.fixture
def lacking(partial_mirror, tmp_path: Path) -> central_banks.BalanceSheetsResult:
    with lacking_session(partial_mirror, tmp_path) as tg:
        return central_banks.from_session(tg)


def with_gdp(mirror: Path) -> list[str]:
    """Banks whose GDP series is in ``mirror`` (the others get a note instead of a share)."""
    return [b for b, sid in central_banks.BANK_GDP.items() if (mirror / f"{sid}.csv").is_file()]


# -- catalog --------------------------------------------------------------------------------------
def test_gdp_series_in_the_catalog() -> None:
    eu, jp, us = CATALOG["EUNNGDP"], CATALOG["JPNNGDP"], CATALOG["GDP"]
    assert (eu.unit, eu.scale_exp, eu.frequency, eu.annualised) == ("EUR billions", -3, "Q", False)
    assert (jp.unit, jp.scale_exp, jp.frequency, jp.annualised) == ("JPY billions", 0, "Q", True)
    assert us.annualised and not CATALOG["WALCL"].annualised
    # A quarterly level is scaled by 4 to a year; an annual rate is used as is.
    assert central_banks.gdp_periods_per_year("EUNNGDP") == 4
    assert central_banks.gdp_periods_per_year("JPNNGDP") == 1
    assert central_banks.gdp_periods_per_year("GDP") == 1
    assert eu.to_canonical(3_800_000.0) == 3_800.0  # EUR millions → billions


# -- Fed: every figure recomputed from the CSVs ---------------------------------------------------
def test_fed_latest_value_and_date(result, fred_mirror: Path) -> None:
    walcl = raw(fred_mirror, "WALCL")
    last = max(walcl)
    fed = result.rows["fed"]
    assert fed.available and fed.unit == "USD billions"
    assert fed.date.isoformat() == last == "2026-08-26"
    assert fed.value == pytest.approx(walcl[last] / 1000, abs=1e-9)  # 6,730.912


def test_fed_changes_and_peak(result, fred_mirror: Path) -> None:
    walcl = {dt.date.fromisoformat(d): v / 1000 for d, v in raw(fred_mirror, "WALCL").items()}
    fed = result.rows["fed"]
    # One year: the last Wednesday on or before 2025-08-26.
    ago = max(d for d in walcl if d <= dt.date(2025, 8, 26))
    assert fed.year_ago_date == ago == dt.date(2025, 8, 20)
    assert fed.change_1y == pytest.approx(walcl[fed.date] - walcl[ago], abs=1e-9)
    # Since the pre-2008 level: the last observation on or before 2007-12-31.
    base = max(d for d in walcl if d <= dt.date(2007, 12, 31))
    assert fed.base_date == base == dt.date(2007, 12, 26) and not fed.base_is_first
    assert fed.change_base_pct == pytest.approx((walcl[fed.date] / walcl[base] - 1) * 100)
    # Peak: USD 8.965 trillion on 2022-04-13 (the public record).
    assert fed.peak_date == dt.date(2022, 4, 13)
    assert fed.peak_value == pytest.approx(max(walcl.values()), abs=1e-9)


def test_fed_share_of_gdp_by_hand(result, fred_mirror: Path) -> None:
    """GDP quarter rule: on date D the GDP used is the latest quarter whose first day + 120 days
    (the catalog's publication lag for GDP) is on or before D."""
    walcl, gdp = raw(fred_mirror, "WALCL"), raw(fred_mirror, "GDP")
    day = dt.date(2026, 8, 26)
    published = [q for q in gdp if dt.date.fromisoformat(q) + dt.timedelta(days=120) <= day]
    quarter = max(published)
    assert quarter == "2026-01-01"  # the mirror's last GDP quarter
    expected = walcl["2026-08-26"] / 1000 / gdp[quarter] * 100
    fed = result.rows["fed"]
    assert fed.gdp_quarter.isoformat() == quarter
    assert fed.pct_gdp == pytest.approx(expected, rel=1e-12)
    assert 21.0 < fed.pct_gdp < 21.2  # 6,730.9 / 31,865.7
    # 2026Q2 (2026-04-01 + 120 days = 2026-07-30) should be out by then but is not in the data.
    notes = [n.text("en") for n in fed.notes()]
    assert any("2026Q1" in n and "2026Q2" in n for n in notes), notes


def test_fed_program_from_the_catalog(result) -> None:
    fed = result.rows["fed"]
    running = {p.id for p in load_programs("fed") if p.active_on(dt.date(2026, 8, 26))}
    assert {p.id for p in fed.programs} == running
    assert fed.programs[0].id == "RMP2025"  # bill purchases from 12 Dec 2025


# -- ECB and BOJ ---------------------------------------------------------------------------------
def test_ecb_row(result, fred_mirror: Path) -> None:
    ecb_csv = raw(fred_mirror, "ECBASSETSW")
    ecb = result.rows["ecb"]
    assert ecb.available and ecb.unit == "EUR billions"
    assert ecb.date.isoformat() == last(ecb_csv)
    assert ecb.value == pytest.approx(ecb_csv[last(ecb_csv)] / 1000, abs=1e-9)  # millions → bn
    # Eurosystem peak near EUR 8.8 trillion in June 2022.
    assert ecb.peak_date == dt.date(2022, 6, 24)
    assert ecb.peak_value == pytest.approx(ecb_csv["2022-06-24"] / 1000, abs=1e-9)
    assert ecb.peak_value == pytest.approx(max(ecb_csv.values()) / 1000, abs=1e-9)
    assert "ECB-QT" in {p.id for p in ecb.programs}


def test_ecb_without_gdp_is_a_note(lacking) -> None:
    # No euro-area GDP in the mirror: a note naming EUNNGDP, no share.
    ecb = lacking.rows["ecb"]
    assert ecb.available and ecb.pct_gdp is None and lacking.no_gdp == ["ecb"]
    (note,) = [n.text("en") for n in ecb.notes()]
    assert "GDP not available" in note and "EUNNGDP" in note
    assert "ecb" not in lacking.pct_gdp.columns and "ecb" in lacking.levels.columns


def test_boj_row(result, fred_mirror: Path) -> None:
    """JPNASSETS is in 100 million yen (/ 10 → billions); JPNNGDP is an annual rate in billions
    of yen, counted as published 135 days (the catalog lag) after its quarter's first day."""
    jp, gdp = raw(fred_mirror, "JPNASSETS"), raw(fred_mirror, "JPNNGDP")
    boj = result.rows["boj"]
    assert boj.available and boj.unit == "JPY billions"
    assert boj.date.isoformat() == last(jp)
    assert boj.value == pytest.approx(jp[last(jp)] / 10, abs=1e-9)
    base = max(d for d in jp if d <= "2007-12-31")
    assert boj.base_date.isoformat() == base == "2007-12-01"  # monthly: dated the 1st
    since = {d: v for d, v in jp.items() if d >= base}
    assert boj.peak_date.isoformat() == max(since, key=lambda d: since[d])
    assert boj.peak_value == pytest.approx(max(since.values()) / 10, abs=1e-9)
    lag = dt.timedelta(days=CATALOG["JPNNGDP"].publication_lag_days)
    quarter = max(q for q in gdp if dt.date.fromisoformat(q) + lag <= boj.date)
    assert boj.gdp_quarter.isoformat() == quarter
    assert boj.pct_gdp == pytest.approx(jp[last(jp)] / 10 / gdp[quarter] * 100, rel=1e-12)
    # The BOJ's assets grew larger than Japan's whole annual GDP (public record).
    assert result.pct_gdp["boj"].max() > 100
    running = {p.id for p in load_programs("boj") if p.active_on(boj.date)}
    assert {p.id for p in boj.programs} == running


def test_boj_unavailable(lacking) -> None:
    boj = lacking.rows["boj"]
    assert not boj.available and lacking.missing == ["boj"]
    assert boj.value is None and "boj" not in lacking.levels.columns
    (note,) = [n.text("en") for n in boj.notes()]
    assert "JPNASSETS" in note and "not in mirror" in note
    assert "日本央行" in boj.notes()[0].text("zh-TW")


def test_levels_and_share_frames(result, fred_mirror: Path) -> None:
    walcl, gdp = raw(fred_mirror, "WALCL"), raw(fred_mirror, "GDP")
    assert result.levels["fed"].first_valid_index() == pd.Timestamp("2007-12-26")  # Fed's base
    # The frame starts at the earliest base observation of any bank.
    bases = [
        max(d for d in raw(fred_mirror, sid) if d <= "2007-12-31")
        for sid in central_banks.BANK_ASSETS.values()
    ]
    assert result.levels.index[0] == pd.Timestamp(min(bases))
    # 2021-12-29: the latest published GDP is 2021Q3 (2021-07-01 + 120 days = 2021-10-29).
    assert result.pct_gdp.loc["2021-12-29", "fed"] == pytest.approx(
        walcl["2021-12-29"] / 1000 / gdp["2021-07-01"] * 100
    )
    assert list(result.pct_gdp.columns) == with_gdp(fred_mirror)


def test_quarterly_level_gdp_is_annualised(mirror_session) -> None:
    """A GDP given as a quarterly level (SAAR / 4 here) with 4 periods gives the same share."""
    walcl, gdp = mirror_session.series("WALCL"), mirror_session.series("GDP")
    a = central_banks.balance_sheets({"fed": walcl}, {"fed": gdp})
    b = central_banks.balance_sheets({"fed": walcl}, {"fed": gdp / 4}, gdp_periods={"fed": 4})
    assert b.rows["fed"].pct_gdp == pytest.approx(a.rows["fed"].pct_gdp, rel=1e-12)
    assert b.rows["fed"].gdp_annual == pytest.approx(a.rows["fed"].gdp_annual, rel=1e-12)


def test_start_after_the_ecb_data(partial_mirror, tmp_path: Path, fred_mirror: Path) -> None:
    # ECBASSETSW as it ended in an older mirror (its real rows up to 2025-05-09), no JPNASSETS.
    with lacking_session(partial_mirror, tmp_path, ECBASSETSW="2025-05-09") as tg:
        res = central_banks.from_session(tg, "2025-06-01")
    assert res.missing == ["ecb", "boj"]
    assert "2025-05-09" in res.rows["ecb"].notes()[0].text("en")
    walcl = raw(fred_mirror, "WALCL")
    base = max(d for d in walcl if d <= "2025-06-01")
    assert res.rows["fed"].base_date.isoformat() == base == "2025-05-28"
    assert res.rows["fed"].base_value == pytest.approx(walcl[base] / 1000, abs=1e-9)


def test_no_bank_with_data_is_an_error(mirror_session) -> None:
    with pytest.raises(NoDataError) as exc:
        central_banks.from_session(mirror_session, "2030-01-01")
    assert "WALCL" in str(exc.value) and "JPNASSETS" in str(exc.value)
    with pytest.raises(UsageError):
        central_banks.from_session(mirror_session, "2020-13-01")


# -- CLI ------------------------------------------------------------------------------------------


def test_cli_json_shape(capsys, opts, fred_mirror: Path) -> None:
    code, out, _ = run(capsys, "banks", "--json", *opts)
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"start", "end", "banks", "missing", "no_gdp", "sections"}
    assert data["start"] == "2007-12-31" and list(data["banks"]) == ["fed", "ecb", "boj"]
    fed = data["banks"]["fed"]
    assert fed["assets"] == pytest.approx(raw(fred_mirror, "WALCL")["2026-08-26"] / 1000)
    assert fed["date"] == "2026-08-26" and fed["unit"] == "USD billions"
    assert fed["gdp"] == {"series_id": "GDP", "quarter": "2026-01-01", "annual_rate": 31865.721}
    assert set(fed["change_1y"]) == {"value", "pct", "from_date", "from_value"}
    assert fed["change_since_start"]["from_date"] == "2007-12-26"
    assert fed["peak"]["date"] == "2022-04-13"
    assert fed["programs"][0]["id"] == "RMP2025"
    ecb, boj = data["banks"]["ecb"], data["banks"]["boj"]
    assert ecb["date"] == last(raw(fred_mirror, "ECBASSETSW"))
    assert boj["available"] is True and boj["date"] == last(raw(fred_mirror, "JPNASSETS"))
    assert boj["gdp"]["series_id"] == "JPNNGDP" and boj["unit"] == "JPY billions"
    assert data["missing"] == []
    assert data["no_gdp"] == [b for b in data["banks"] if b not in with_gdp(fred_mirror)]


def test_cli_json_and_text_with_a_bank_and_a_gdp_missing(
    capsys, partial_mirror, tmp_path: Path
) -> None:
    opts = ["--mirror", str(lacking_mirror(partial_mirror)), "--store", str(tmp_path / "s.db")]
    code, out, _ = run(capsys, "banks", "--json", *opts)
    assert code == 0
    data = json.loads(out)
    assert data["banks"]["ecb"]["pct_gdp"] is None
    boj = data["banks"]["boj"]
    assert boj["available"] is False and "JPNASSETS" in boj["notes"][0]
    assert data["missing"] == ["boj"] and data["no_gdp"] == ["ecb"]
    code, out, _ = run(capsys, "banks", *opts)
    assert code == 0 and "GDP not available" in out and "JPNASSETS" in out
    code, out, _ = run(capsys, "banks", "--lang", "zh-TW", *opts)
    assert code == 0 and "無 GDP 資料" in out


def test_cli_text_en_and_zh(capsys, opts, fred_mirror: Path) -> None:
    code, out, _ = run(capsys, "banks", *opts)
    assert code == 0
    assert "Federal Reserve" in out and "6,730.9" in out and "21.1%" in out and "2026Q1" in out
    jp = raw(fred_mirror, "JPNASSETS")
    assert "Bank of Japan" in out and f"{jp[last(jp)] / 10:,.1f}" in out and "JPNASSETS" in out
    code, out, _ = run(capsys, "banks", "--lang", "zh-TW", *opts)
    assert code == 0 and "聯準會" in out and "十億歐元" in out and "十億日圓" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--start", "2020-02-30"],
        ["--start", "yesterday"],
        ["--chart", "x.pdf"],
        ["--chart", "missing/x.png"],
        ["--lang", "fr"],
    ],
)
def test_cli_bad_input(capsys, opts, tmp_path: Path, args: list[str]) -> None:
    if args[0] == "--chart":
        args = ["--chart", str(tmp_path / args[1])]
    code, out, err = run(capsys, "banks", *args, *opts)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_no_data_after_start(capsys, opts) -> None:
    code, out, err = run(capsys, "banks", "--start", "2030-01-01", *opts)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "WALCL" in err


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_cli_chart_png(capsys, opts, tmp_path: Path, lang: str) -> None:
    chart = tmp_path / f"banks-{lang}.png"
    code, out, _ = run(capsys, "banks", "--chart", str(chart), "--lang", lang, *opts)
    # The console wraps a long path at its width (80 columns when not a terminal): unwrap it.
    assert code == 0 and str(chart) in out.replace("\n", "")
    data = chart.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000


def test_chart_spec_panels(result) -> None:
    from tidegauge.presentation.charts.balance import cb_gdp_chart
    from tidegauge.presentation.charts.build import spec_of
    from tidegauge.presentation.html import chart_document

    chart = cb_gdp_chart(
        result.pct_gdp, "en", levels=result.levels, no_gdp=result.no_gdp, missing=result.missing
    )
    spec = chart.to_dict()
    assert len(spec["vconcat"]) == 2  # % of GDP (banks with a GDP), then the index (all three)
    subtitle = " ".join(spec["title"]["subtitle"])
    for name in ("Federal Reserve", "European Central Bank", "Bank of Japan"):
        assert name in subtitle
    # Sources: the assets drawn, then the GDPs of the share panel.
    ids = [central_banks.BANK_ASSETS[b] for b in result.levels.columns]
    ids += [central_banks.BANK_GDP[b] for b in result.pct_gdp.columns]
    assert ", ".join(ids) in subtitle
    html = chart_document(spec_of(chart), "en")
    assert "vegaEmbed" in html and "cdn" not in html.lower()


def test_chart_names_a_missing_bank_and_gdp(lacking) -> None:
    from tidegauge.presentation.charts.balance import cb_gdp_chart

    chart = cb_gdp_chart(
        lacking.pct_gdp,
        "en",
        levels=lacking.levels,
        no_gdp=lacking.no_gdp,
        missing=lacking.missing,
    )
    spec = chart.to_dict()
    assert len(spec["vconcat"]) == 2  # % of GDP (Fed only), then the index (Fed and ECB)
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "No share of GDP for European Central Bank" in subtitle
    assert "Not shown (no balance-sheet data): Bank of Japan" in subtitle
    assert "WALCL, ECBASSETSW, GDP" in subtitle and "JPNASSETS" not in subtitle
