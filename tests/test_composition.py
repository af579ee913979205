"""The Fed's T-account, recomputed by hand from the CSV files in ../shared/data/fred and checked
against the Federal Reserve's own H.4.1 data-download extracts in ../shared/data/other."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from helpers import fred_values, run
from tidegauge.analysis.composition import COMPOSITION_IDS, composition

H41_2021 = "FRB_H41_DDP_2021-04-28_2023-03-22.csv"
H41_2016 = "FRB_H41_DDP_2016-02-03_2017-12-27.csv"


def h41(other: Path, name: str) -> dict[str, dict[str, float]]:
    """``{Wednesday: {series: USD millions}}`` of a Data Download Program extract (six header
    rows; the sixth holds the series' identifiers)."""
    with (other / name).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    ids = rows[5]
    return {
        r[0]: {k: float(v) for k, v in zip(ids[1:], r[1:], strict=True) if v not in ("", "NA")}
        for r in rows[6:]
    }


@pytest.fixture(scope="module")
def data(mirror_session) -> dict:
    return {sid: mirror_session.series(sid) for sid in COMPOSITION_IDS}


def test_t_account_by_hand(data, fred_mirror: Path) -> None:
    d = "2022-06-01"  # the first day of QT2
    v = {sid: fred_values(fred_mirror, sid)[d] for sid in COMPOSITION_IDS}
    # 8,915,050 − 5,770,779 − 2,707,446 = 436,825 USD millions of other assets
    assert v["WALCL"] - v["TREAST"] - v["WSHOMCB"] == 436_825
    # 8,915.050 − 2,278.642 − 3,357.395 − 780.575 − 1,965.015 = 533.423 USD billions
    other = (v["WALCL"] - v["WCURCIR"] - v["WRBWFRBL"] - v["WDTGAL"]) / 1000 - v["RRPONTSYD"]
    assert other == pytest.approx(533.423, abs=1e-6)
    now = composition(data, end=d).at(composition(data, end=d).end)
    assert now["date"] == d
    assert now["assets"] == pytest.approx(
        {"treasuries": 5770.779, "mbs": 2707.446, "other": 436.825}
    )
    assert now["liabilities"] == pytest.approx(
        {
            "currency": 2278.642,
            "reserves": 3357.395,
            "tga": 780.575,
            "on_rrp": 1965.015,
            "other": 533.423,
        }
    )
    assert sum(now["assets"].values()) == pytest.approx(now["total"], abs=1e-9)
    assert sum(now["liabilities"].values()) == pytest.approx(now["total"], abs=1e-9)
    assert now["total"] == v["WALCL"] / 1000


def test_where_did_qt2_go(data, fred_mirror: Path) -> None:
    # QT2 ran from 2022-06-01 to 2025-12-01; its last Wednesday is 2025-11-26
    ch = composition(data, start="2022-06-01", end="2025-12-01").change()
    assert (ch["start"], ch["end"], ch["direction"]) == ("2022-06-01", "2025-11-26", "down")
    walcl, rrp = fred_values(fred_mirror, "WALCL"), fred_values(fred_mirror, "RRPONTSYD")
    res = fred_values(fred_mirror, "WRBWFRBL")
    # 6,552,419 − 8,915,050 = −2,362,631 USD millions; ON RRP 2.217 − 1,965.015 = −1,962.798
    assert ch["total"] == pytest.approx((walcl["2025-11-26"] - walcl["2022-06-01"]) / 1000)
    assert ch["total"] == pytest.approx(-2362.631, abs=1e-6)
    assert ch["liabilities"]["on_rrp"] == pytest.approx(rrp["2025-11-26"] - rrp["2022-06-01"])
    assert ch["liabilities"]["on_rrp"] == pytest.approx(-1962.798, abs=1e-6)
    assert ch["liabilities"]["reserves"] == pytest.approx(
        (res["2025-11-26"] - res["2022-06-01"]) / 1000
    )
    # most of QT drained the reverse repo facility, not bank reserves
    assert ch["liability_shares_pct"]["on_rrp"] == pytest.approx(83.08, abs=0.01)
    assert ch["liability_shares_pct"]["reserves"] == pytest.approx(19.44, abs=0.01)
    assert sum(ch["liabilities"].values()) == pytest.approx(ch["total"], abs=1e-9)
    assert sum(ch["assets"].values()) == pytest.approx(ch["total"], abs=1e-9)


def test_pandemic_qe_went_to_reserves_and_the_reverse_repo(data) -> None:
    ch = composition(data, start="2020-03-11", end="2022-03-16").change()
    assert ch["direction"] == "up" and ch["total"] > 4500
    top = sorted(ch["liabilities"], key=lambda k: -ch["liabilities"][k])[:2]
    assert top == ["reserves", "on_rrp"]


def test_small_change_has_no_shares(data) -> None:
    ch = composition(data, start="2025-06-18", end="2026-06-17").change()  # +55 of 6,681 bn
    assert abs(ch["total_pct"]) < 5
    assert all(v is None for v in ch["liability_shares_pct"].values())


# -- against the Federal Reserve's H.4.1 extracts --------------------------------------------------
def test_items_match_the_h41_extract(data, other_data: Path) -> None:
    ddp = h41(other_data, H41_2021)
    assert len(ddp) == 100
    frame = composition(data).to_frame()
    for day, r in ddp.items():
        row = frame.loc[day]
        assert row["a_treasuries"] * 1000 == pytest.approx(r["RESPPALGUO_N.WW"]), day
        assert row["a_mbs"] * 1000 == pytest.approx(r["RESPPALGASMO_N.WW"]), day
        assert row["l_reserves"] * 1000 == pytest.approx(r["RESH4R_N.WW"]), day
        assert row["l_tga"] * 1000 == pytest.approx(r["RESPPLLDT_N.WW"]), day
        # ON RRP: RRPONTSYD of the Wednesday is the H.4.1 item "reverse repos: others"
        assert row["l_on_rrp"] * 1000 == pytest.approx(r["RESPPLLRD_N.WW"]), day


def test_other_liabilities_are_what_the_h41_says_they_are(data, other_data: Path) -> None:
    # The residual = foreign-official reverse repos + foreign-official and other deposits +
    # other liabilities and capital + the Treasury's contribution to facilities + (currency's
    # Wednesday level − its week average) − Treasury currency outstanding (coin: in currency in
    # circulation, not a Fed liability) + Treasury cash holdings. Within USD 3 billion on each
    # of the 100 Wednesdays (the rest: deferred availability items and float).
    frame = composition(data).to_frame()
    worst = 0.0
    for day, r in h41(other_data, H41_2021).items():
        items = (
            r["RESPPLLRF_N.WW"] + r["RESPPLLDF_N.WW"] + r["RESPPLLDO_N.WW"] + r["RESH4AO_N.WW"]
            + r["RESH4E_N.WW"] + r["RESTBC_N.WW"] - frame.loc[day, "l_currency"] * 1000
            - r["RESTBMT_N.WW"] + r["RESTBHT_N.WW"]
        )  # fmt: skip
        worst = max(worst, abs(frame.loc[day, "l_other"] * 1000 - items))
    assert worst < 3000


def test_tga_matches_the_2016_2017_extract(data, other_data: Path) -> None:
    frame = composition(data).to_frame()
    ddp = h41(other_data, H41_2016)
    assert len(ddp) == 100
    for day, r in ddp.items():
        assert frame.loc[day, "l_tga"] * 1000 == pytest.approx(r["RESPPLLDT_N.WW"]), day


# -- CLI -------------------------------------------------------------------------------------
def test_cli_composition_as_of_json(capsys, opts, fred_mirror: Path) -> None:
    # WALCL of Wednesday 2022-06-01 is published on Thursday 2022-06-02
    code, out, err = run(capsys, "composition", "--as-of", "2022-06-02", "--json", *opts)
    assert code == 0, err
    d = json.loads(out)
    assert d["date"] == "2022-06-01" and d["unit"] == "USD billions"
    assert set(d["assets"]) == {"treasuries", "mbs", "other"}
    assert set(d["liabilities"]) == {"currency", "reserves", "tga", "on_rrp", "other"}
    walcl = fred_values(fred_mirror, "WALCL")["2022-06-01"] / 1000
    assert sum(d["assets"].values()) == pytest.approx(walcl, abs=1e-9)
    assert sum(d["liabilities"].values()) == pytest.approx(walcl, abs=1e-9)
    assert d["change"]["start"] == "2021-06-02"  # 52 weeks before by default
    assert d["inputs"]["RRPONTSYD"] == "2022-06-01" and d["currency_is_week_average"]


def test_cli_composition_window_and_text(capsys, opts) -> None:
    code, out, err = run(capsys, "composition", "--start", "2022-06-01", "--end", "2025-12-01",
                         "--json", *opts)  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["change"]["liabilities"]["on_rrp"] == pytest.approx(-1962.798)
    code, out, err = run(capsys, "composition", "--start", "2022-06-01", "--lang", "zh-CN", *opts)
    assert code == 0, err
    assert "准备金" in out and "隔夜逆回购" in out and "周平均" in out


@pytest.mark.parametrize(
    "args",
    [["--start", "2025-01-01", "--end", "2024-01-01"], ["--end", "2001-01-01"],
     ["--start", "2024-13-01"]],
)  # fmt: skip
def test_cli_composition_bad_input(capsys, opts, args: list[str]) -> None:
    code, out, err = run(capsys, "composition", *args, *opts)
    assert code in (1, 2) and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_composition_charts(capsys, opts, tmp_path: Path) -> None:
    for kind in ("composition", "composition_change"):
        chart = tmp_path / f"{kind}.png"
        code, _, err = run(capsys, "composition", "--chart", str(chart), "--chart-kind", kind,
                           *opts)  # fmt: skip
        assert code == 0, err
        assert chart.read_bytes()[:4] == b"\x89PNG"
