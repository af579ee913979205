"""QT/QE simulator on real H.4.1 data, and the QT2 back-test."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tidegauge.analysis.asof import snapshot
from tidegauge.analysis.backtest import backtest_qt
from tidegauge.analysis.liquidity import SCARCE_BELOW_PCT
from tidegauge.analysis.simulate import (
    INPUTS,
    default_caps,
    project_qe,
    project_qt,
    start_state,
)
from tidegauge.cli import cli
from tidegauge.errors import UsageError


@pytest.fixture(scope="module")
def data(mirror_session):
    return snapshot(mirror_session, INPUTS).data


def test_default_caps_are_the_announced_qt2_schedule() -> None:
    caps = [(c.start, c.treasury_cap_bn, c.mbs_cap_bn) for c in default_caps()]
    assert caps[:2] == [(dt.date(2022, 6, 1), 30.0, 17.5), (dt.date(2022, 9, 1), 60.0, 35.0)]
    assert (dt.date(2024, 6, 1), 25.0, 35.0) in caps and (dt.date(2025, 4, 1), 5.0, 35.0) in caps


def test_qt_projection_follows_caps_and_paydowns(data) -> None:
    state = start_state(data, "2022-06-01")
    # 2022-06-01 is an H.4.1 Wednesday: the start is that week's TREAST (USD millions / 1000).
    assert state.treasury_bn == pytest.approx(data["TREAST"][pd.Timestamp("2022-06-01")])
    p = project_qt(state, 6, mbs_paydown_bn=16.0)
    # June-August at $30B + min($17.5B, $16B), then $60B + min($35B, $16B).
    assert list(p.path["treasury_flow"]) == [-30.0] * 3 + [-60.0] * 3
    assert list(p.path["mbs_flow"]) == [-16.0] * 6
    assert p.path["treasury"].iloc[-1] == pytest.approx(state.treasury_bn - 270)
    # Constant TGA and RRP: reserves fall one for one with assets.
    drop = p.path["total_assets"].iloc[-1] - state.total_assets_bn
    assert p.path["reserves"].iloc[-1] - state.reserves_bn == pytest.approx(drop)


def test_scarcity_date_is_the_first_month_below_the_threshold(data) -> None:
    state = start_state(data, "2022-06-01")
    p = project_qt(state, 120, rrp_bn=0.0, tga_bn=state.tga_bn)
    # The threshold is the liquidity gauge's (tidegauge.analysis.liquidity.SCARCE_BELOW_PCT).
    assert p.params["scarce_below_pct"] == SCARCE_BELOW_PCT
    below = p.path.index[p.path["reserves_pct_gdp"] < SCARCE_BELOW_PCT]
    assert p.scarce_date == below[0].date()
    assert (p.path.loc[: below[0]]["reserves_pct_gdp"].iloc[:-1] >= SCARCE_BELOW_PCT).all()


def test_qe_scenario(data) -> None:
    state = start_state(data, "2020-03-11")
    p = project_qe(state, 120.0, 12, treasury_share=2 / 3)
    assert p.path["securities"].iloc[-1] - (state.treasury_bn + state.mbs_bn) == pytest.approx(1440)
    assert p.scarce_date is None or p.path["reserves_pct_gdp"].min() < SCARCE_BELOW_PCT
    with pytest.raises(UsageError):
        project_qe(state, -1.0, 12)
    with pytest.raises(UsageError):
        project_qt(state, 0)


def test_backtest_june_2022_to_may_2024(data) -> None:
    bt = backtest_qt(data, "2022-06-01", "2024-05-31")
    assert len(bt.actual) == 24  # run-off months June 2022 – May 2024
    # The last comparison is the first H.4.1 week on or after 2024-06-01: 2024-06-05.
    t_last = data["TREAST"][pd.Timestamp("2024-06-05")]
    assert bt.actual["treasury"].iloc[-1] == t_last
    proj_last = start_state(data, "2022-06-01").treasury_bn - 3 * 30 - 21 * 60
    assert bt.projection.path["treasury"].iloc[-1] == pytest.approx(proj_last)
    m = bt.metrics["securities"]
    err = bt.projection.path["securities"] - bt.actual["securities"]
    assert m["rmse_bn"] == pytest.approx(float((err**2).mean() ** 0.5))
    # The announced caps explain the path to about 1 % of the $6.8 trillion held in May 2024.
    assert abs(m["final_error_pct"]) < 2.0 and m["rmse_bn"] < 100


def test_cli_simulate(mirror_session, fred_mirror: Path, tmp_path: Path) -> None:
    opts = ["--mirror", str(fred_mirror), "--store", str(mirror_session.settings.store_path)]
    runner = CliRunner()
    png = tmp_path / "bt.png"
    res = runner.invoke(cli, ["simulate", "backtest", "--json", "--chart", str(png), *opts])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert payload["months"] == 24 and "securities" in payload["metrics"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    res = runner.invoke(cli, ["simulate", "qt", "--start", "2025-06-04", "--months", "12", *opts])
    assert res.exit_code == 0 and "Jun 4, 2025" in res.output  # the start, day-precise
    bad = runner.invoke(cli, ["simulate", "qt", "--treasury-cap", "-5", *opts])
    assert bad.exit_code == 2 and "between 0 and 500" in bad.output
    bad = runner.invoke(
        cli,
        [
            "simulate",
            "qe",
            "--per-month",
            "40",
            "--months",
            "3",
            "--chart",
            str(tmp_path / "x.jpg"),
            *opts,
        ],
    )
    assert bad.exit_code == 2 and ".png" in bad.output


# -- the default follows the policy announced by its start --------------------------------------
def test_default_after_qt_ended_does_not_shrink_treasuries(data) -> None:
    """From the latest H.4.1 (after 2025-12-01): Treasury principal rolled over, MBS principal
    reinvested into bills, reserve-management bills bought — Treasury holdings grow."""
    last = data["TREAST"].index[-1].date()
    assert last > dt.date(2025, 12, 1)
    state = start_state(data, last)
    p = project_qt(state, 24)
    assert p.params["scenario"] == "announced" and p.params["known_at"] == last.isoformat()
    assert (p.path["treasury_flow"] > 0).all() and p.path["treasury"].is_monotonic_increasing
    (period,) = p.params["schedule"]
    assert period["treasury"] == "rollover" and period["mbs"] == "bills"
    assert period["purchases_bn"] == 40.0 and period["programs"] == ["QT2", "RMP2025"]
    # flows: +$40bn of bills and the MBS paydowns reinvested into bills
    assert p.path["treasury_flow"].iloc[0] == pytest.approx(40.0 + 16.0)
    assert p.path["mbs_flow"].iloc[0] == pytest.approx(-16.0)
    assert p.scarce_date is None  # no run-off, no "reserves scarce by 2028"
    # the TGA and the RRP assumed, with the date of the value held
    tga, rrp = p.params["assumed"]["tga"], p.params["assumed"]["rrp"]
    assert tga["how"] == "held" and tga["date"] == state.as_of["WTREGEN"]
    assert rrp["bn"] == pytest.approx(state.rrp_bn) and rrp["date"] == state.as_of["RRPONTSYD"]


def test_continued_qt_is_an_explicit_scenario(data) -> None:
    state = start_state(data, data["TREAST"].index[-1].date())
    p = project_qt(state, 12, scenario="continue_qt")
    assert p.params["schedule"][0]["treasury_cap_bn"] == 5.0  # the last QT2 caps
    assert list(p.path["treasury_flow"]) == [-5.0] * 12
    with pytest.raises(UsageError):
        project_qt(state, 12, scenario="forever")


def test_what_was_announced_by_the_start(data) -> None:
    """Started on 2025-06-04, the end of QT2 (decided 2025-10-29) is not yet known; with every
    announcement the schedule switches to roll-over and bills in the month from 2025-12-04."""
    state = start_state(data, "2025-06-04")
    known = project_qt(state, 12)
    assert [r["treasury"] for r in known.params["schedule"]] == ["cap"]
    hindsight = project_qt(state, 12, known_at=dt.date(2026, 6, 3))
    sched = hindsight.params["schedule"]
    # the month from 2025-11-04 has its midpoint (2025-11-19) before the end: still QT
    assert [(r["start"], r["end"], r["treasury"], r["mbs"], r["purchases_bn"]) for r in sched] == [
        ("2025-06-04", "2025-12-04", "cap", "cap", 0.0),
        ("2025-12-04", "2026-06-04", "rollover", "bills", 40.0),  # bills from 2025-12-12
    ]
    assert sched[1]["programs"] == ["QT2", "RMP2025"]


def test_backtests_of_the_default_from_several_starts(data) -> None:
    from tidegauge.analysis.backtest import backtest_starts

    rows = {r["start"]: r for r in backtest_starts(data)}
    assert set(rows) == {"2022-06-01", "2025-06-04", "2025-12-17"}
    qt2 = rows["2022-06-01"]
    # QT2's caps were all announced by June 2022: the same projection either way, ~1 % off
    assert qt2["at_start"] == qt2["all"] and abs(qt2["all"]["securities_final_error_pct"]) < 2
    # From 2025-06-04 what was known then (QT at $5bn) misses the end of QT and the bills by
    # over $300bn; with the later announcements the error falls to tens of billions.
    mid = rows["2025-06-04"]
    assert mid["at_start"]["treasury_final_error_bn"] < -300
    assert abs(mid["all"]["treasury_final_error_bn"]) < 60
    # From 2025-12-17 the default (rolled over, bills) ends within ~1 % of the actual holdings
    late = rows["2025-12-17"]["at_start"]
    assert 0 < late["securities_final_error_bn"] < 80 and late["securities_final_error_pct"] < 1.5


def test_cli_simulate_states_its_schedule(mirror_session, opts) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["simulate", "qt", "--json", *opts])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["params"]["schedule"][0]["treasury"] == "rollover"
    assert d["path"][-1]["treasury"] > d["start"]["treasury_bn"]
    text = runner.invoke(cli, ["simulate", "qt", *opts]).output
    assert "Treasury principal rolled over" in text and "RMP2025" in text
    assert "TGA assumed at USD" in text and "(WTREGEN)" in text
    qt = runner.invoke(cli, ["simulate", "qt", "--scenario", "continue_qt", "--json", *opts])
    assert json.loads(qt.output)["params"]["scenario"] == "continue_qt"
    bt = runner.invoke(cli, ["simulate", "backtest", "--json", *opts])
    assert [r["start"] for r in json.loads(bt.output)["starts"]][:1] == ["2022-06-01"]
