"""Compare two series: dates used at each end, correlations, episodes, total return, CLI."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import run
from tidegauge.analysis import compare, compare_load, returns
from tidegauge.errors import NoDataError, UsageError


def raw(mirror: Path, sid: str) -> list[tuple[str, float]]:
    with (mirror / f"{sid}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    return [(d, float(v)) for d, v in rows if v not in ("", ".")]


def at_or_before(rows: list[tuple[str, float]], date: str) -> tuple[str, float]:
    return [r for r in rows if r[0] <= date][-1]


def test_acceptance_walcl_sp500_2023_2025(capsys, opts, fred_mirror: Path, mirror_session) -> None:
    code, out, err = run(
        capsys,
        "compare",
        "WALCL",
        "SP500",
        "--start",
        "2023-01-01",
        "--end",
        "2025-12-31",
        "--json",
        *opts,
    )
    assert code == 0, err
    data = json.loads(out)
    # the result's fields (also in the dashboard's API) and the sections every face shows
    assert list(data) == ["a", "b", "correlation", "episodes", "start", "end", "frequency",
                          "notes", "sections"]  # fmt: skip
    keys = [
        "id",
        "start_date",
        "end_date",
        "start_value",
        "end_value",
        "change_pct",
        "total_return",
        "unit",
        "change_kind",
        "change_pp",
        "change_bp",
        "price_only",
        "note",
    ]
    for key, sid, scale in (("a", "WALCL", 1000.0), ("b", "SP500", 1.0)):
        rows = raw(fred_mirror, sid)
        (d0, v0), (d1, v1) = at_or_before(rows, "2023-01-01"), at_or_before(rows, "2025-12-31")
        got = data[key]
        assert list(got) == keys and got["id"] == sid and got["total_return"] is False
        assert (got["start_date"], got["end_date"]) == (d0, d1)
        assert got["start_value"] == pytest.approx(v0 / scale)
        assert got["end_value"] == pytest.approx(v1 / scale)
        assert got["change_pct"] == pytest.approx((v1 / v0 - 1) * 100)
        assert got["change_kind"] == "percent" and got["change_pp"] is None
    assert data["a"]["unit"] == "USD billions" and data["b"]["unit"] == "index"
    assert data["a"]["start_date"] == "2022-12-28" and data["b"]["start_date"] == "2022-12-30"
    # The classic puzzle: the balance sheet shrank by about a fifth to a quarter, stocks rose ~78%.
    assert -25 < data["a"]["change_pct"] < -20 and 70 < data["b"]["change_pct"] < 85
    assert -1.0 <= data["correlation"] <= 1.0
    # Every Fed episode overlapping the window appears, in order.
    from tidegauge.analysis.regimes import fed_regimes

    eps = fed_regimes(mirror_session).episodes
    w0, w1 = pd.Timestamp("2023-01-01"), pd.Timestamp("2025-12-31")
    overlapping = eps[(eps["start"] < w1) & (eps["end"] > w0)]
    assert len(overlapping) >= 2
    assert [(e["kind"], e["episode_start"]) for e in data["episodes"]] == [
        (k, pd.Timestamp(s).date().isoformat())
        for k, s in zip(overlapping["kind"], overlapping["start"], strict=True)
    ]
    assert any(e["kind"] == "QT" for e in data["episodes"])
    for e in data["episodes"]:
        assert "2023-01-01" <= e["start"] < e["end"] <= "2025-12-31"


def test_episode_changes_match_csv(mirror_session, fred_mirror: Path) -> None:
    episodes = pd.DataFrame(
        {
            "kind": ["QT"],
            "start": [pd.Timestamp("2022-06-01")],
            "end": [pd.Timestamp("2025-12-01")],
            "program": ["QT2"],
            "change_pct": [-25.0],
        }
    )
    res = compare_load.from_session(
        mirror_session, "WALCL", "SP500", "2023-01-01", "2025-12-31", episodes=episodes
    )
    row = res.episodes.iloc[0]
    assert (row["start"], row["end"]) == ("2023-01-01", "2025-12-01")  # clipped to the window
    walcl = raw(fred_mirror, "WALCL")
    (_, v0), (_, v1) = at_or_before(walcl, "2023-01-01"), at_or_before(walcl, "2025-12-01")
    assert row["a_change_pct"] == pytest.approx((v1 / v0 - 1) * 100)
    assert row["episode_change_pct"] == -25.0


def test_rebased_starts_at_100(mirror_session) -> None:
    res = compare_load.from_session(
        mirror_session,
        "WALCL",
        "SP500",
        "2023-01-01",
        "2025-12-31",
        episodes=pd.DataFrame(columns=["kind", "start", "end", "program"]),
    )
    for col in ("WALCL", "SP500"):
        s = res.rebased[col].dropna()
        assert s.iloc[0] == pytest.approx(100.0)
        assert s.iloc[-1] == pytest.approx(
            100 + getattr(res, "a" if col == "WALCL" else "b").change_pct
        )
    assert res.frequency == "W"  # weekly WALCL vs daily SP500 → weekly changes


def test_lead_lag_sign(mirror_session) -> None:
    # b is a copy of WALCL two weeks late, so WALCL leads b by +2 weekly periods.
    walcl = mirror_session.series("WALCL", "2015-01-01", "2024-12-31")
    late = walcl.shift(2).dropna().rename("LATE")
    res = compare.compare(walcl, late, "2016-01-01", "2024-12-31", freq_a="W", freq_b="W")
    lag, corr = res.best_lag()
    assert lag == 2 and corr == pytest.approx(1.0)
    assert res.correlation is not None and res.correlation < 0.9


def test_value_at_or_before_errors(mirror_session) -> None:
    sp = mirror_session.series("SP500")
    with pytest.raises(NoDataError, match="starts 2016-01-04"):
        returns.value_at_or_before(sp, "2010-01-01", "SP500")
    walcl = mirror_session.series("WALCL")
    with pytest.raises(UsageError):
        compare.compare(walcl, sp, "2024-01-01", "2023-01-01")


# -- total return ---------------------------------------------------------------------------
def shiller(other: Path) -> pd.DataFrame:
    df = pd.read_csv(other / "s-and-p-500_monthly.csv", parse_dates=["Date"], index_col="Date")
    return df


def test_total_return_from_the_file(other_data: Path) -> None:
    df = shiller(other_data)
    tr = returns.total_return_index(df["SP500"], df["Dividend"])
    # Hand check of one month: TR grows by (P_t + D_t/12) / P_{t-1}.
    t0, t1 = pd.Timestamp("2010-01-01"), pd.Timestamp("2010-02-01")
    growth = (df.loc[t1, "SP500"] + df.loc[t1, "Dividend"] / 12) / df.loc[t0, "SP500"]
    assert tr.loc[t1, "total_return"] / tr.loc[t0, "total_return"] == pytest.approx(growth)
    # 2010-2020: dividends add roughly 2 percentage points a year to the price return.
    p = df.loc["2020-01-01", "SP500"] / df.loc["2010-01-01", "SP500"]
    r = tr.loc["2020-01-01", "total_return"] / tr.loc["2010-01-01", "total_return"]
    assert 1.15 < r / p < 1.35
    # Dividends stop in mid-2023 (0.0 placeholders): price-only from the first of those months.
    first_zero = df.index[(df["Dividend"] == 0.0) & (df.index > "2000-01-01")][0]
    assert first_zero == pd.Timestamp("2023-07-01")
    assert tr.loc[:"2023-06-01", "dividend_included"].all()
    assert not tr.loc["2023-07-01":, "dividend_included"].any()
    after = tr.loc["2023-07-01":, "total_return"]
    price_after = df.loc["2023-07-01":, "SP500"]
    assert (after / after.iloc[0]).to_numpy() == pytest.approx(
        (price_after / price_after.iloc[0]).to_numpy()
    )


def test_sp500tr_labelled(capsys, opts) -> None:
    code, out, _ = run(
        capsys,
        "compare",
        "SP500TR",
        "WALCL",
        "--start",
        "2010-01-01",
        "--end",
        "2019-12-31",
        "--json",
        *opts,
    )
    assert code == 0
    data = json.loads(out)
    assert data["a"]["id"] == "SP500TR" and data["a"]["total_return"] is True
    # 2023-2025: the file's dividends cover 6 of 36 months, so no "total return" is printed:
    # the price index is compared and named as such.
    code, out, _ = run(
        capsys,
        "compare",
        "SP500TR",
        "WALCL",
        "--start",
        "2023-01-01",
        "--end",
        "2025-12-31",
        "--json",
        *opts,
    )
    a = json.loads(out)["a"]
    assert code == 0 and a["id"] == "SPX_SHILLER" and a["total_return"] is False
    assert a["price_only"] is True and "dividends in the data end in 2023-06" in a["note"]
    code, out, _ = run(
        capsys, "compare", "SP500TR", "WALCL", "--start", "2021-01-01", "--end", "2024-12-31", *opts
    )
    words = " ".join(re.sub(r"[│┃]", " ", out).split())
    assert code == 0 and "total return not shown" in words and "SPX_SHILLER" in words
    assert "S&P 500 total return" not in words
    code, out, _ = run(
        capsys, "compare", "WALCL", "SP500", "--start", "2023-01-01", "--end", "2025-12-31", *opts
    )
    words = " ".join(re.sub(r"[│┃]", " ", out).split())  # table cells may wrap
    assert "price only" in words and "Correlation of weekly" in words


@pytest.mark.parametrize(
    ("sid", "start", "end", "d0", "d1", "pp"),
    [
        # the 2013 taper tantrum: 1.66 % -> 2.98 %, +1.32 pp (a percent change would say +79.5 %)
        ("DGS10", "2013-05-02", "2013-09-05", "2013-05-02", "2013-09-05", 1.32),
        # 2022: the 10-year TIPS yield from -1.04 % to +1.58 %, +2.62 pp (not -251.9 %)
        ("DFII10", "2022-01-01", "2022-12-31", "2021-12-31", "2022-12-30", 2.62),
    ],
)
def test_rates_change_in_points(capsys, opts, fred_mirror, sid, start, end, d0, d1, pp) -> None:
    rows = raw(fred_mirror, sid)
    (c0, v0), (c1, v1) = at_or_before(rows, start), at_or_before(rows, end)
    assert (c0, c1) == (d0, d1) and v1 - v0 == pytest.approx(pp)
    code, out, err = run(capsys, "compare", sid, "WALCL", "--start", start, "--end", end,
                         "--json", *opts)  # fmt: skip
    assert code == 0, err
    a = json.loads(out)["a"]
    assert a["unit"] == "percent" and a["change_kind"] == "points"
    assert a["change_pp"] == pytest.approx(pp) and a["change_bp"] == pytest.approx(pp * 100)
    assert a["change_pct"] is None  # a percent change of a rate is not reported
    ep = json.loads(out)["episodes"]
    assert all(e["a_change_pct"] is None and e["a_change_pp"] is not None for e in ep)
    code, out, _ = run(capsys, "compare", sid, "WALCL", "--start", start, "--end", end, *opts)
    assert f"+{pp:.2f} pp" in out and "+79.5" not in out and "-251.9" not in out


def test_rate_changes_correlate_as_differences(mirror_session) -> None:
    dgs = mirror_session.series("DGS10", "2013-01-01", "2013-12-31").rename("DGS10")
    weekly = compare.period_changes(dgs, "W", "points")
    last = dgs.resample("W-WED").last()
    assert weekly.iloc[0] == pytest.approx(last.iloc[1] - last.iloc[0])
    rebased = returns.rebase(dgs, "2013-05-02", kind="points")
    assert rebased.iloc[0] == 0 and rebased.loc["2013-09-05"] == pytest.approx(1.32)


def test_compare_text_and_chart_zh(capsys, opts, tmp_path: Path) -> None:
    chart = tmp_path / "cmp.html"
    code, out, _ = run(
        capsys,
        "compare",
        "WALCL",
        "SP500",
        "--start",
        "2023-01-01",
        "--end",
        "2025-12-31",
        "--lang",
        "zh-TW",
        "--chart",
        str(chart),
        *opts,
    )
    assert code == 0 and "量化緊縮" in out and "2022年12月28日" in out
    assert "window.vegaEmbed=" in chart.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "exit_code", "pattern"),
    [
        (["WALCL", "NOPE", "--start", "2023-01-01", "--end", "2025-12-31"], 2, "unknown series"),
        (["WALCL", "SP500", "--start", "2025-12-31", "--end", "2023-01-01"], 2, "swap"),
        (["WALCL", "SP500", "--start", "2030-01-01", "--end", "2031-12-31"], 1, "no observation"),
        (["WALCL", "SP500", "--start", "2010-01-01", "--end", "2012-12-31"], 1, "SP500"),
        (["WALCL", "SP500", "--start", "soon", "--end", "2021-01-01"], 2, "not a date"),
    ],
)
def test_bad_input(capsys, opts, args: list[str], exit_code: int, pattern: str) -> None:
    code, out, err = run(capsys, "compare", *args, *opts)
    assert code == exit_code and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and pattern in lines[0] and "Traceback" not in err


def test_a_series_the_mirror_lacks(capsys, partial_mirror, tmp_path) -> None:
    mirror = partial_mirror(["WALCL"])  # JPNASSETS is in the catalog, not in this mirror
    args = ["WALCL", "JPNASSETS", "--start", "2020-01-01", "--end", "2021-01-01"]
    code, out, err = run(
        capsys, "compare", *args, "--mirror", str(mirror), "--store", str(tmp_path / "s.db")
    )
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "JPNASSETS" in lines[0] and "Traceback" not in err
