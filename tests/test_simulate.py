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
