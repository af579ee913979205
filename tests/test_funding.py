"""Funding stress: SOFR − IORB, EFFR − IORB, EFFR in the target range, the ON RRP rate and the
calm / pressure / stress status, recomputed from the CSV files in ../shared/data/fred."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers import fred_values, run
from tidegauge.analysis import funding as F
from tidegauge.errors import NoDataError, UsageError


@pytest.fixture(scope="module")
def rates(mirror_session) -> dict[str, pd.Series]:
    return {sid: mirror_session.series(sid) for sid in F.FUNDING_IDS}


@pytest.fixture(scope="module")
def frame(rates) -> pd.DataFrame:
    r = rates
    return F.funding_frame(
        r["SOFR"], r["EFFR"], r["IORB"], r["DFEDTARL"], r["DFEDTARU"], r["RRPONTSYAWARD"]
    )


@pytest.mark.parametrize(
    "date, sofr_bp, effr_bp, above_low_bp",
    [
        ("2021-12-31", -10, -8, 7),  # SOFR 0.05, EFFR 0.07, IORB 0.15, range 0.00-0.25
        ("2024-10-01", 15, -7, 8),  # quarter-end: SOFR 5.05, EFFR 4.83, IORB 4.90, 4.75-5.00
        ("2025-10-31", 32, -4, 11),  # month-end: SOFR 4.22, EFFR 3.86, IORB 3.90, 3.75-4.00
    ],
)
def test_spreads_by_hand(
    frame, fred_mirror: Path, date: str, sofr_bp: int, effr_bp: int, above_low_bp: int
) -> None:
    v = {sid: fred_values(fred_mirror, sid)[date] for sid in ("SOFR", "EFFR", "IORB", "DFEDTARL")}
    assert round((v["SOFR"] - v["IORB"]) * 100, 6) == sofr_bp
    assert round((v["EFFR"] - v["IORB"]) * 100, 6) == effr_bp
    assert round((v["EFFR"] - v["DFEDTARL"]) * 100, 6) == above_low_bp
    row = frame.loc[date]
    assert row["sofr_iorb_bp"] == pytest.approx(sofr_bp, abs=1e-9)
    assert row["effr_iorb_bp"] == pytest.approx(effr_bp, abs=1e-9)
    assert row["effr_low_bp"] == pytest.approx(above_low_bp, abs=1e-9)


def test_on_rrp_rate_sits_ten_bp_under_iorb_in_2021_2023(frame) -> None:
    # the award rate was set 5 bp above the bottom of the range and IORB 15 bp above it
    rrp = frame.loc["2021-08-01":"2023-12-01", "rrp_iorb_bp"].dropna()
    assert len(rrp) > 500 and (rrp == -10).all()


def test_spreads_start_with_iorb(frame) -> None:
    assert frame.index[0] == pd.Timestamp("2021-07-29")  # IORB replaced IOER that day


@pytest.mark.parametrize(
    "end, status, reason, above",
    [
        ("2023-06-30", "calm", "none", 0),
        ("2024-10-01", "calm", "spike", 2),  # the quarter-end spike of +15 bp stays calm
        ("2025-10-31", "pressure", "sofr_persistent", 15),
        ("2025-11-28", "pressure", "sofr_persistent", 20),
        ("2026-01-30", "calm", "spike", 7),
    ],
)
def test_status_on_public_dates(frame, end: str, status: str, reason: str, above: int) -> None:
    got, why, w = F.classify(frame.loc[:end])
    assert (got, why, w.days_above, w.days) == (status, reason, above, 20)


def test_month_end_spike_is_not_pressure(frame) -> None:
    # 2024-10-01: SOFR 15 bp over IORB on the day, but above IORB on 2 of the 20 days only
    _, _, w = F.classify(frame.loc[:"2024-10-01"])
    assert (w.max_bp, w.max_date.isoformat()) == (15.0, "2024-10-01")
    assert w.share_above == pytest.approx(0.1)


def test_september_2019_would_be_stress() -> None:
    # Public facts (New York Fed): on 2019-09-17 SOFR was 5.25% with IOER at 2.10%, and EFFR
    # printed 2.30%, above the top of the 2.00-2.25% range. IOER is not in the catalog, so the
    # real mirror cannot replay it; the rule is checked on those four numbers.
    days = pd.bdate_range("2019-08-20", "2019-09-17")
    sofr = pd.Series(2.20, days)
    sofr.iloc[-1] = 5.25
    f = F.funding_frame(
        sofr, pd.Series(2.14, days).where(days < days[-1], 2.30), pd.Series(2.10, days),
        pd.Series(2.00, days), pd.Series(2.25, days),
    )  # fmt: skip
    status, reason, w = F.classify(f)
    assert status == "stress" and reason == "effr_at_iorb"
    assert w.max_bp == pytest.approx(315) and w.effr_above_range


def test_bad_thresholds_and_no_data(frame) -> None:
    with pytest.raises(UsageError):
        F.classify(frame, pressure_share=1.5)
    with pytest.raises(NoDataError):
        F.classify(frame.loc[:"2021-01-01"])


# -- CLI ----------------------------------------------------------------------------------
def test_cli_funding_as_of_json(capsys, opts) -> None:
    # SOFR and EFFR of Friday 2025-10-31 are published on Monday 2025-11-03
    code, out, err = run(capsys, "funding", "--as-of", "2025-11-03", "--json", *opts)
    assert code == 0, err
    d = json.loads(out)
    assert d["as_of"] == "2025-10-31"
    assert d["sofr_iorb_bp"] == pytest.approx(32) and d["effr_iorb_bp"] == pytest.approx(-4)
    assert d["status"] == "pressure" and d["reason"] == "sofr_persistent"
    assert d["effr"]["target_range"] == [3.75, 4.0] and d["effr"]["in_range"] is True
    assert d["window"]["days_sofr_above_iorb"] == 15 and d["window"]["days"] == 20
    assert d["on_rrp_rate"] == {"value": 5.3, "date": "2023-12-01", "unit": "percent"}
    # beside it, the quantity: reserves / GDP on the Wednesday level, published by then
    assert d["reserves"]["date"] == "2025-10-29" and d["reserves"]["gauge"] == "ample"
    assert d["inputs"]["SOFR"] == d["inputs"]["IORB"] == "2025-10-31"


def test_cli_funding_window_changes_the_status(capsys, opts) -> None:
    # over 5 days before the 2024-10-01 quarter-end SOFR was above IORB on 2 of 5 days (40%)
    code, out, err = run(capsys, "funding", "--as-of", "2024-10-02", "--window", "5", "--json",
                         *opts)  # fmt: skip
    assert code == 0, err
    d = json.loads(out)
    assert d["as_of"] == "2024-10-01" and d["sofr_iorb_bp"] == pytest.approx(15)
    assert d["window"]["days"] == 5 and d["status"] == "calm"


def test_cli_funding_text_in_chinese(capsys, opts) -> None:
    code, out, err = run(capsys, "funding", "--lang", "zh-TW", *opts)
    assert code == 0, err
    assert "資金面狀態" in out and "準備金" in out and "紐約聯準銀行" in out
    code, out, err = run(capsys, "funding", "--lang", "zh-CN", *opts)
    assert code == 0 and "准备金" in out and "资金面状态" in out


@pytest.mark.parametrize("args", [["--window", "0"], ["--window", "x"], ["--as-of", "2999-01-01"]])
def test_cli_funding_bad_input(capsys, opts, args: list[str]) -> None:
    code, out, err = run(capsys, "funding", *args, *opts)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_funding_chart(capsys, opts, tmp_path: Path) -> None:
    chart = tmp_path / "funding.svg"
    code, _, err = run(capsys, "funding", "--chart", str(chart), *opts)
    assert code == 0, err
    svg = chart.read_text(encoding="utf-8")
    assert "IORB" in svg and "SOFR" in svg


@pytest.mark.parametrize("day", ["2024-06-28", "2025-10-31", "2025-12-31", "2026-03-31"])
def test_what_changed_reads_the_same_status(rates, day: str) -> None:
    """The ``funding_stress`` signal ("What changed", alert rules) is the status of
    ``tidegauge funding`` on the same data, never a second definition."""
    from tidegauge.alerts.signals import get_signal

    cut = {k: s.loc[:day] for k, s in rates.items()}
    signal = get_signal("funding_stress")
    assert signal is not None and signal.state_key == "funding.status"
    reading = signal.read(cut, pd.Timestamp(day).date())
    result = F.funding(cut)
    assert reading is not None
    assert reading.state == result.status
    assert reading.date == result.window.end
    assert reading.value == pytest.approx(result.sofr()["bp"])
