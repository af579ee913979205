"""Daily net liquidity: the latest WALCL − the day's TGA (Daily Treasury Statement) − the day's
ON RRP, recomputed by hand from the CSV files in ../shared/data; equal to the weekly figure on
Wednesday levels on every Wednesday."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import fred_values, run
from tidegauge.analysis import liquidity, netliq


def dts_values(other: Path) -> dict[str, float]:
    lines = (other / "DTS_TGA_closing_balance_daily.csv").read_text().splitlines()[1:]
    return {d: float(v) for d, v in (line.split(",") for line in lines if line)}


@pytest.fixture(scope="module")
def daily(mirror_session) -> netliq.DailyNetLiquidity:
    tg = mirror_session
    return netliq.daily_net_liquidity(
        tg.series("WALCL"), tg.series("DTS_TGA"), tg.series("RRPONTSYD")
    )


@pytest.mark.parametrize(
    "day, walcl_day, expected",
    [
        # a Wednesday: 7,231,163 / 1000 − 744,206 / 1000 − 490.156 = 5,996.801
        ("2024-06-26", "2024-06-26", 5996.801),
        # Thursday: the Wednesday's WALCL − 718,618 / 1000 − 531.692 = 5,980.853
        ("2024-06-27", "2024-06-26", 5980.853),
        # Friday (quarter-end approaching): 7,231.163 − 777.798 − 664.570 = 5,788.795
        ("2024-06-28", "2024-06-26", 5788.795),
        # Tuesday: the previous Wednesday's (2024-06-19 is Juneteenth; 2024-06-12 has a value)
        ("2024-06-25", "2024-06-19", None),
    ],
)
def test_daily_by_hand(
    daily, fred_mirror: Path, other_data: Path, day: str, walcl_day: str, expected: float | None
) -> None:
    walcl, rrp, tga = (
        fred_values(fred_mirror, "WALCL"),
        fred_values(fred_mirror, "RRPONTSYD"),
        dts_values(other_data),
    )
    by_hand = walcl[walcl_day] / 1000 - tga[day] / 1000 - rrp[day]
    if expected is not None:
        assert by_hand == pytest.approx(expected, abs=1e-6)
    d = daily.on(day)
    assert d["net_liquidity_bn"] == pytest.approx(by_hand, abs=1e-9)
    assert d["inputs"] == {"WALCL": walcl_day, "DTS_TGA": day, "RRPONTSYD": day}
    assert d["tga_bn"] == pytest.approx(tga[day] / 1000) and d["on_rrp_bn"] == rrp[day]


def test_every_wednesday_equals_the_weekly_figure(mirror_session, daily) -> None:
    weekly = liquidity.from_session(mirror_session).frame["net_liquidity"].dropna()
    d = daily.frame["net_liquidity"].dropna()
    weekly = weekly.loc[d.index[0] : d.index[-1]]
    common = weekly.index.intersection(d.index)
    assert len(common) == 221
    assert (weekly.loc[common] - d.loc[common]).abs().max() == pytest.approx(0, abs=1e-9)
    # the other three Wednesdays are federal holidays without a Daily Treasury Statement
    missing = [x.date().isoformat() for x in weekly.index.difference(d.index)]
    assert missing == ["2024-06-19", "2024-12-25", "2025-01-01"]


def test_good_friday_keeps_thursdays_reverse_repo(daily, fred_mirror: Path) -> None:
    # 2024-03-29: the Treasury published a statement, the New York Fed held no operation; the
    # overnight reverse repos of Thursday stay outstanding until Monday
    rrp = fred_values(fred_mirror, "RRPONTSYD")
    assert "2024-03-29" not in rrp
    d = daily.on("2024-03-29")
    assert d["on_rrp_date"] == "2024-03-28" and d["on_rrp_bn"] == rrp["2024-03-28"]


def test_no_value_past_the_end_of_an_input(daily, fred_mirror: Path, other_data: Path) -> None:
    # the DTS runs to 2026-09-22 but RRPONTSYD ends 2026-07-29: nothing is carried past its end
    assert max(dts_values(other_data)) == "2026-09-22"
    assert daily.latest()["date"] == max(fred_values(fred_mirror, "RRPONTSYD")) == "2026-07-29"


@pytest.mark.parametrize(
    "as_of, day, walcl_day, expected",
    [("2024-06-27", "2024-06-26", "2024-06-26", 5996.801),
     ("2024-06-28", "2024-06-27", "2024-06-26", 5980.853)],
)  # fmt: skip
def test_cli_daily_as_of_json(
    capsys, opts, as_of: str, day: str, walcl_day: str, expected: float
) -> None:
    # each input counts as published the day after its date (catalog lag 1)
    code, out, err = run(capsys, "liquidity", "--daily", "--as-of", as_of, "--json", *opts)
    assert code == 0, err
    data = json.loads(out)
    assert data["date"] == day
    assert data["net_liquidity_bn"] == pytest.approx(expected, abs=1e-6)
    assert data["inputs"] == {"WALCL": walcl_day, "DTS_TGA": day, "RRPONTSYD": day}
    assert data["unit"] == "USD billions"
    assert data["weekly"]["net_liquidity"]["date"] == walcl_day
    fig = next(f for f in data["sections"][0]["figures"] if f["key"] == "net_liquidity_daily")
    assert fig["as_of"] == day and fig["source_ids"] == ["WALCL", "DTS_TGA", "RRPONTSYD"]


def test_cli_daily_text_and_chart_in_chinese(capsys, opts, tmp_path: Path) -> None:
    chart = tmp_path / "daily.svg"
    code, out, err = run(
        capsys, "liquidity", "--daily", "--lang", "zh-CN", "--chart", str(chart), *opts
    )
    assert code == 0, err
    assert "每日净流动性" in out and "每日国库报表" in out
    svg = chart.read_text(encoding="utf-8")  # --daily: the daily chart comes first
    assert "净流动性：每日与每周三" in svg and "DTS_TGA" in svg
    weekly = tmp_path / "weekly.svg"
    code, _, err = run(capsys, "liquidity", "--lang", "zh-CN", "--chart", str(weekly), *opts)
    assert code == 0, err
    assert "净流动性与银行准备金" in weekly.read_text(encoding="utf-8")


def test_daily_without_the_dts_file(capsys, partial_mirror, tmp_path: Path) -> None:
    mirror = partial_mirror(["WALCL", "WDTGAL", "RRPONTSYD", "WRBWFRBL", "GDP"])
    opts = ["--mirror", str(mirror), "--store", str(tmp_path / "s.db")]
    code, out, err = run(capsys, "liquidity", "--json", *opts)
    assert code == 0, err  # the weekly figures do not need the DTS
    data = json.loads(out)
    assert data["daily"] is None
    assert any("DTS_TGA" in n for n in data["sections"][0]["notes"])
    code, out, err = run(capsys, "liquidity", "--daily", *opts)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "DTS_TGA" in err and "Traceback" not in err


def test_cli_week_average_basis(capsys, opts) -> None:
    code, out, err = run(capsys, "liquidity", "--basis", "week_average", "--json", *opts)
    assert code == 0, err
    data = json.loads(out)
    assert data["basis"] == "week_average" and data["series"]["tga"] == "WTREGEN"
    assert data["net_liquidity"]["date"] == "2025-11-19"
    code, out, err = run(capsys, "liquidity", "--basis", "monthly", *opts)
    assert code == 2 and "--basis" in err
