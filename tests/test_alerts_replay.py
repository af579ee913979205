"""``tidegauge alerts replay`` over the real mirror: what the default rules would have fired in
2019–2020, with point-in-time data (each H.4.1 from Thursday 16:30 ET, GDP 120 days after its
quarter began, SOFR the next business day)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from helpers import fred_values, run
from tidegauge.alerts.channels import alert_text
from tidegauge.alerts.engine import Alert, step
from tidegauge.alerts.rules import DEFAULT_RULES, Rule
from tidegauge.alerts.signals import Reading


@pytest.fixture(scope="module")
def fired(mirror_session, fred_mirror: Path) -> list[dict[str, object]]:
    from tidegauge.cli import main

    store = str(mirror_session.settings.store_path)
    args = ["alerts", "replay", "--start", "2019-01-01", "--end", "2020-12-31", "--json"]
    args += ["--mirror", str(fred_mirror), "--store", store]
    from click.testing import CliRunner

    from tidegauge.cli import cli

    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert main  # the console script is tested below
    return list(json.loads(res.output))


def test_every_firing_has_rule_date_value_message(fired) -> None:
    assert fired
    for f in fired:
        assert {"rule", "date", "value", "message"} <= set(f)
        assert "2019-01-01" <= f["date"] <= "2020-12-31"
    assert [f["date"] for f in fired] == sorted(f["date"] for f in fired)


def test_reserves_fall_toward_scarcity_in_2019(fired, fred_mirror: Path) -> None:
    below = [f for f in fired if f["rule"] == "reserves-below-8"]
    # The signals read the Wednesday level of reserves (WRBWFRBL), as `tidegauge liquidity`.
    # 16 Jan 2019: reserves $1,625.501bn over the GDP published by then, Q3 2018 ($20,798.730bn
    # SAAR; Q4 2018 counts from 120 days after 1 Oct), is 7.82% of GDP; a week before it was
    # 8.00%, so the rule fires on the first 2019 week below 8%.
    jan = below[0]
    assert jan["observed"] == "2019-01-16"
    reserves = fred_values(fred_mirror, "WRBWFRBL")
    gdp = fred_values(fred_mirror, "GDP")["2018-07-01"]
    assert jan["value"] == pytest.approx(reserves["2019-01-16"] / 1000 / gdp * 100, abs=1e-9)
    assert reserves["2019-01-09"] / 1000 / gdp * 100 >= 8.0
    assert jan["date"] == "2019-01-17"  # the Thursday the H.4.1 came out
    # The gauge turns scarce (below 7.5% of GDP) in spring 2019, months before the September
    # 2019 repo stress: 17 Apr 2019, $1,524.297bn.
    scarce = [f for f in fired if f["rule"] == "reserves-gauge" and f["value"] == "scarce"]
    first = scarce[0]
    assert first["date"] == "2019-04-18"
    assert reserves["2019-04-17"] / 1000 / gdp * 100 < 7.5
    assert reserves["2019-04-10"] / 1000 / gdp * 100 >= 7.5
    assert "scarce" in first["message"]


def test_regime_turns_to_qe_in_march_2020(fired) -> None:
    qe = [f for f in fired if f["rule"] == "regime-change" and f["value"] == "QE"]
    assert len(qe) == 1
    # Purchases began on Monday 16 March 2020; the first H.4.1 after them (week to Wednesday
    # 18 March) came out on Thursday 19 March.
    assert qe[0]["date"] == "2020-03-19"
    assert qe[0]["previous"] == "reserve_management"


def test_funding_stress_has_no_data_before_iorb(fired) -> None:
    # IORB starts on 29 July 2021 (it replaced IOER): the SOFR − IORB rule cannot fire earlier.
    assert not [f for f in fired if f["rule"] == "funding-stress"]


def test_replay_in_chinese_and_errors(capsys, mirror_session, fred_mirror: Path) -> None:
    store = str(mirror_session.settings.store_path)
    opts = ["--mirror", str(fred_mirror), "--store", store]
    code, out, _ = run(
        capsys, "alerts", "replay", "--start", "2020-03-01", "--end", "2020-03-31",
        "--lang", "zh-TW", "--json", *opts,
    )  # fmt: skip
    assert code == 0
    qe = next(f for f in json.loads(out) if f["value"] == "QE")
    assert qe["message"].startswith("聯準會資產負債表狀態由「準備金管理購債」轉為「量化寬鬆」")
    code, out, _ = run(
        capsys, "alerts", "replay", "--start", "2020-03-01", "--end", "2020-03-31",
        "--lang", "zh-CN", *opts,
    )  # fmt: skip
    # March 2020: the regime turns to QE and the verdict to recession (19 March); reserves
    # (WRBWFRBL) were already back above the scarce line from 5 February.
    assert code == 0 and "期间规则会触发的 2 条警报" in out
    code, _, err = run(capsys, "alerts", "replay", "--start", "2020-12-31", "--end", "2020-01-01")
    assert code == 2
    assert err.startswith("Error: alerts replay needs --start on or before --end")


def test_step_threshold_fires_once_until_it_stops() -> None:
    rule = Rule("stress", "sofr_iorb_bp", "above", 10.0, days=3)
    day = dt.date(2025, 10, 31)
    state: dict[str, object] = {}
    fired: list[Alert] = []
    # Deliberately made-up spreads (bp), to walk the rule through its states.
    for values in ((2.0, 11.0, 12.0), (11.0, 12.0, 13.0), (12.0, 13.0, 14.0), (13.0, 14.0, 3.0),
                   (14.0, 3.0, 11.0), (11.0, 12.0, 15.0)):  # fmt: skip
        reading = Reading("sofr_iorb_bp", day, value=values[-1], unit="bp", history=values)
        alert, state = step(rule, reading, state, day)
        fired += [alert] if alert else []
        day += dt.timedelta(days=1)
    assert [a.value for a in fired] == [13.0, 15.0]


def test_default_rules_are_documented() -> None:
    example = Path(__file__).resolve().parents[1] / "docs" / "alerts.example.toml"
    from tidegauge.alerts.rules import load_config

    config = load_config(example)
    ids = {r.id for r in config.rules}
    assert {r.id for r in DEFAULT_RULES} <= ids
    assert set(config.channels) == {"log", "jsonl", "atom", "webhook", "email"}


def test_sofr_iorb_above_10bp_three_days_in_a_row(mirror_session, fred_mirror: Path) -> None:
    """Autumn 2025: SOFR traded above IORB as reserves shrank. The first three SOFR days in a
    row more than 10 bp above IORB, recomputed from the CSV files, fire the rule."""
    from tidegauge.alerts.engine import replay

    sofr, iorb = fred_values(fred_mirror, "SOFR"), fred_values(fred_mirror, "IORB")
    days = sorted(d for d in set(sofr) & set(iorb) if "2025-10-01" <= d <= "2025-12-31")
    spread = {d: round((sofr[d] - iorb[d]) * 100, 2) for d in days}
    third = next(
        d for i, d in enumerate(days[2:], 2) if all(spread[x] > 10 for x in days[i - 2 : i + 1])
    )
    assert third == "2025-10-29"  # 27, 28, 29 Oct: 12, 16 and 12 bp
    rule = next(r for r in DEFAULT_RULES if r.id == "funding-stress")
    fired = replay(mirror_session, [rule], dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    first = fired[0]
    assert first.observed.isoformat() == third
    assert first.value == pytest.approx(spread[third])
    # SOFR for 29 Oct is out at 08:00 on the 30th, IORB for that day at 09:00: the rule can
    # only see the third day on the next SOFR release, Friday 31 October.
    assert first.date == dt.date(2025, 10, 31)
    assert "SOFR − IORB above +10 bp for 3 observations in a row" in alert_text(first, "en")
