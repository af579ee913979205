"""Net liquidity, reserves/GDP, the reserves gauge and other central banks, on the real data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from helpers import run
from tidegauge.analysis import central_banks, liquidity
from tidegauge.errors import UsageError


def raw(mirror: Path, sid: str) -> dict[str, float]:
    """Native values of a mirror CSV (no scaling), missing values dropped."""
    with (mirror / f"{sid}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    return {d: float(v) for d, v in rows if v not in ("", ".")}


@pytest.fixture(scope="module")
def result(mirror_session) -> liquidity.LiquidityResult:
    return liquidity.from_session(mirror_session)  # Wednesday levels


@pytest.fixture(scope="module")
def week_average(mirror_session) -> liquidity.LiquidityResult:
    return liquidity.from_session(mirror_session, basis="week_average")


@pytest.mark.parametrize(
    "date, expected",
    [("2022-12-28", 5848.357), ("2019-09-18", 3522.728), ("2025-06-04", 6127.843)],
)
def test_net_liquidity_on_wednesday_levels(
    result, fred_mirror: Path, date: str, expected: float
) -> None:
    # WALCL and WDTGAL are published in USD millions, RRPONTSYD in USD billions: recompute by
    # hand from the CSVs. Mixing the units would be off by a factor of ~1000 in one term.
    # 2022-12-28: 8,551,169 / 1000 − 409,809 / 1000 − 2,293.003 = 5,848.357
    by_hand = (
        raw(fred_mirror, "WALCL")[date] / 1000
        - raw(fred_mirror, "WDTGAL")[date] / 1000
        - raw(fred_mirror, "RRPONTSYD")[date]
    )
    assert by_hand == pytest.approx(expected, abs=1e-6)
    assert result.frame.loc[date, "net_liquidity"] == pytest.approx(by_hand, abs=1e-9)
    assert result.frame.loc[date, "reserves"] == pytest.approx(
        raw(fred_mirror, "WRBWFRBL")[date] / 1000
    )
    assert result.basis == "wednesday" and result.ids["tga"] == "WDTGAL"


@pytest.mark.parametrize(
    "date, expected",
    [("2022-12-28", 5830.24), ("2019-09-18", 3575.559), ("2025-06-04", 6125.056)],
)
def test_week_average_variant_keeps_the_old_arithmetic(
    week_average, fred_mirror: Path, date: str, expected: float
) -> None:
    # the figures tidegauge printed before the switch to Wednesday levels (see CHANGELOG.md)
    by_hand = (
        raw(fred_mirror, "WALCL")[date] / 1000
        - raw(fred_mirror, "WTREGEN")[date] / 1000
        - raw(fred_mirror, "RRPONTSYD")[date]
    )
    assert by_hand == pytest.approx(expected, abs=1e-6)
    assert week_average.frame.loc[date, "net_liquidity"] == pytest.approx(by_hand, abs=1e-9)
    assert week_average.frame.loc[date, "reserves"] == pytest.approx(
        raw(fred_mirror, "WRESBAL")[date] / 1000
    )


def test_net_liquidity_magnitude(result) -> None:
    nl = result.frame["net_liquidity"].loc["2021":"2025"].dropna()
    # Net liquidity stayed between about 4.5 and 7.5 trillion dollars in 2021-2025.
    assert 4_500 < nl.min() < nl.max() < 7_500


def test_rrp_holiday_alignment(result, fred_mirror: Path) -> None:
    # 2024-12-25 (Christmas, a Wednesday) has no RRP value: the one of 2024-12-24 is used.
    rrp = raw(fred_mirror, "RRPONTSYD")
    assert "2024-12-25" not in rrp
    row = result.frame.loc["2024-12-25"]
    assert row["rrp_date"] == pd.Timestamp("2024-12-24")
    assert row["rrp"] == pytest.approx(rrp["2024-12-24"])


def test_rrp_zero_before_facility(result) -> None:
    row = result.frame.loc["2010-06-16"]
    assert row["rrp"] == 0.0 and row["net_liquidity"] == pytest.approx(row["walcl"] - row["tga"])


def test_reserves_gdp_uses_published_gdp(result, fred_mirror: Path) -> None:
    gdp = raw(fred_mirror, "GDP")
    # Q2 2019 GDP counts from 2019-04-01 + 120 days = 2019-07-30.
    assert result.frame.loc["2019-07-24", "gdp_quarter"] == pd.Timestamp("2019-01-01")
    assert result.frame.loc["2019-07-31", "gdp_quarter"] == pd.Timestamp("2019-04-01")
    res = raw(fred_mirror, "WRBWFRBL")["2019-07-31"] / 1000
    assert result.frame.loc["2019-07-31", "reserves_pct_gdp"] == pytest.approx(
        res / gdp["2019-04-01"] * 100
    )


@pytest.mark.parametrize("basis, sid", [("wednesday", "WRBWFRBL"), ("week_average", "WRESBAL")])
def test_september_2019_stress_is_scarce(mirror_session, fred_mirror: Path, basis, sid) -> None:
    s = liquidity.from_session(mirror_session, basis=basis).stress_2019()
    assert s is not None and s["date"] == "2019-09-18"
    # WRBWFRBL 1,385,426 and WRESBAL 1,394,122 USD millions
    reserves = raw(fred_mirror, sid)["2019-09-18"] / 1000
    assert s["reserves"] == pytest.approx(reserves)
    assert 1_350 < s["reserves"] < 1_450  # the public figure: about $1.4 trillion
    assert 6.0 < s["reserves_pct_gdp"] < 7.5
    assert s["gauge"] == "scarce"


def test_gauge_history(result, week_average) -> None:
    g = result.frame["gauge"]
    assert g.loc["2021-12-29"] == "abundant"  # ~4.0 trillion of reserves, ~17% of GDP
    # January 2019, "working fine" (Waller): 7.8% of GDP on current data (week average), 7.7% on
    # the Wednesday level: 1,607.335 / 20,798.73 (Q3 2018 GDP) = 7.73%
    assert g.loc["2019-01-02"] == "ample"
    assert result.frame.loc["2019-01-02", "reserves_pct_gdp"] == pytest.approx(7.728, abs=0.001)
    assert week_average.frame.loc["2019-01-02", "reserves_pct_gdp"] == pytest.approx(7.8, abs=0.05)
    latest = result.latest()
    assert latest["reserves"]["date"] == "2026-10-07"  # WRBWFRBL runs past WALCL in the mirror
    assert latest["net_liquidity"]["date"] == "2026-07-29"  # RRPONTSYD ends there in the mirror
    assert latest["gauge"]["level"] in ("scarce", "ample", "abundant")
    assert week_average.latest()["net_liquidity"]["date"] == "2025-11-19"  # WTREGEN ends there


def test_classify_thresholds() -> None:
    assert liquidity.classify_reserves(7.4) == "scarce"
    assert liquidity.classify_reserves(7.5) == "ample"
    assert liquidity.classify_reserves(12.0) == "ample"
    assert liquidity.classify_reserves(12.1) == "abundant"
    assert liquidity.classify_reserves(9.0, scarce_below_pct=10.0) == "scarce"


def test_inverted_thresholds_rejected(mirror_session) -> None:
    with pytest.raises(UsageError):
        liquidity.from_session(mirror_session, scarce_below_pct=12.0, abundant_above_pct=7.5)


def test_summary_languages(result) -> None:
    en, tw = result.summary("en"), result.summary("zh-TW")
    assert "Net liquidity" in en and "as of 2026-07-29" in en and "USD billions" in en
    assert "淨流動性" in tw and "準備金" in tw and "十億美元" in tw


# -- other central banks -------------------------------------------------------------------------
def test_central_banks(mirror_session, fred_mirror: Path) -> None:
    # Which banks lack assets or GDP follows the files of the mirror (tests/test_central_banks.py
    # covers a mirror without JPNASSETS and EUNNGDP).
    def has(sid: str) -> bool:
        return (fred_mirror / f"{sid}.csv").is_file()

    cb = central_banks.from_session(mirror_session)
    assets, gdp = central_banks.BANK_ASSETS, central_banks.BANK_GDP
    assert cb.missing == [b for b, sid in assets.items() if not has(sid)]
    assert cb.no_gdp == [b for b, sid in assets.items() if has(sid) and not has(gdp[b])]
    ecb = raw(fred_mirror, "ECBASSETSW")
    ecb_last = max(ecb)
    assert cb.levels.loc[ecb_last, "ecb"] == pytest.approx(ecb[ecb_last] / 1000)
    jp = raw(fred_mirror, "JPNASSETS")
    assert cb.levels.loc[max(jp), "boj"] == pytest.approx(jp[max(jp)] / 10)  # 100 million yen
    d = cb.to_dict()["banks"]
    assert d["ecb"]["unit"] == "EUR billions" and d["ecb"]["date"] == ecb_last
    walcl, gdp = raw(fred_mirror, "WALCL"), raw(fred_mirror, "GDP")
    # 2021-12-29: latest published GDP is Q3 2021 (2021-07-01 + 120 days).
    expected = walcl["2021-12-29"] / 1000 / gdp["2021-07-01"] * 100
    assert cb.pct_gdp.loc["2021-12-29", "fed"] == pytest.approx(expected)
    assert 30 < expected < 40


def test_assets_pct_gdp_quarterly_level_identity(mirror_session) -> None:
    # A GDP published as a quarterly level (SAAR / 4) with periods_per_year=4 gives the same share.
    walcl, gdp = mirror_session.series("WALCL"), mirror_session.series("GDP")
    a = central_banks.assets_pct_gdp(walcl, gdp)
    b = central_banks.assets_pct_gdp(walcl, gdp / 4, gdp_periods_per_year=4)
    pd.testing.assert_series_equal(a, b)


# -- CLI ------------------------------------------------------------------------------------


def test_cli_liquidity_json(capsys, opts, tmp_path: Path) -> None:
    chart = tmp_path / "netliq.png"
    code, out, _ = run(capsys, "liquidity", "--json", "--chart", str(chart), *opts)
    assert code == 0
    data = json.loads(out)
    assert data["net_liquidity"]["unit"] == "USD billions"
    assert data["net_liquidity"]["date"] == "2026-07-29"
    assert data["basis"] == "wednesday" and data["series"]["reserves"] == "WRBWFRBL"
    assert data["daily"]["date"] == "2026-07-29"  # the daily figure rides along
    assert data["reserves_pct_gdp"]["unit"] == "percent"
    assert data["gauge"]["scarce_below_pct"] == 7.5 and data["gauge"]["abundant_above_pct"] == 12.0
    assert data["stress_2019"]["gauge"] == "scarce"
    assert chart.read_bytes()[:4] == b"\x89PNG"


def test_cli_liquidity_text_zh(capsys, opts) -> None:
    code, out, _ = run(capsys, "liquidity", "--lang", "zh-TW", *opts)
    assert code == 0 and "淨流動性" in out and "2019年9月18日" in out


@pytest.mark.parametrize("chart", ["x.pdf", "missing/x.png"])
def test_cli_liquidity_bad_chart(capsys, opts, tmp_path: Path, chart: str) -> None:
    code, out, err = run(capsys, "liquidity", "--chart", str(tmp_path / chart), *opts)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
