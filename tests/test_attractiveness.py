"""Gold's hurdle, real returns of bonds and cash, playbook regimes and the monetisation flag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tidegauge.analysis.asof import snapshot
from tidegauge.analysis.attractiveness import INPUTS, attractiveness
from tidegauge.analysis.checklist import INPUTS as C_INPUTS
from tidegauge.analysis.checklist import checklist
from tidegauge.analysis.monetisation import INPUTS as M_INPUTS
from tidegauge.analysis.monetisation import history, monetisation
from tidegauge.cli import cli


def test_june_2021_negative_real_rates(mirror_session) -> None:
    snap = snapshot(mirror_session, INPUTS, "2021-06-30")
    a = attractiveness(snap.data, checklist=checklist(mirror_session, "2021-06-30"))
    cpi = snap.data["CPIAUCSL"]
    pi = (cpi.iloc[-1] / cpi[cpi.index[-1] - __import__("pandas").DateOffset(years=1)] - 1) * 100
    assert a.inflation == pytest.approx(pi)  # May 2021 CPI, 12 months: about 4.9 %
    assert a.real_bond == pytest.approx(((1 + a.yield_10y / 100) / (1 + pi / 100) - 1) * 100)
    assert a.real_bond_approx == pytest.approx(a.yield_10y - pi)
    assert a.real_cash < -4 and a.real_bond < -3
    assert a.hurdle_10y_total_pct == pytest.approx(((1 + a.yield_10y / 100) ** 10 - 1) * 100)
    assert a.regimes == ["late_qe", "negative_real_rates"]
    text = a.summary("zh-TW")
    assert "並非投資建議" in text and "負實質利率" in text


def test_march_2009_is_early_qe(mirror_session) -> None:
    ck = checklist(mirror_session, "2009-03-31")
    a = attractiveness(snapshot(mirror_session, INPUTS, "2009-03-31").data, checklist=ck)
    assert ck.verdict == "recession" and a.regimes[0] == "early_qe"


@pytest.mark.parametrize(
    ("day", "verdict", "playbook"),
    [
        ("2020-03-31", "recession", "early_qe"),
        ("2021-06-30", "bubble", "late_qe"),
        ("2022-10-31", "not_easing", "qt"),  # hiking and running off: QT, not early QE
        ("2026-03-31", "mixed", None),  # reserve-management bills are not "early QE"
    ],
)
def test_playbook_follows_the_checklist(mirror_session, day, verdict, playbook) -> None:
    """The playbook never contradicts the checklist (it used to show the crisis-recovery
    playbook while the checklist said "stimulating a bubble")."""
    ck = checklist(mirror_session, day)
    a = attractiveness(snapshot(mirror_session, INPUTS, day).data, checklist=ck)
    assert ck.verdict == verdict
    qe = [r for r in a.regimes if r != "negative_real_rates"]
    assert qe == ([playbook] if playbook else [])


def test_attractiveness_section_uses_the_same_checklist(mirror_session, fred_mirror) -> None:
    from tidegauge.indicators.base import load_inputs
    from tidegauge.indicators.registry import by_id

    ind = by_id("attractiveness")
    inputs = load_inputs(
        mirror_session, (*INPUTS, *C_INPUTS), __import__("datetime").date(2021, 6, 30)
    )
    section = ind.run(inputs, {})
    assert section.result.regimes[0] == "late_qe"
    assert inputs.memo["checklist"].verdict == "bubble"


def test_monetisation_flag(mirror_session) -> None:
    on = monetisation(snapshot(mirror_session, M_INPUTS, "2021-06-30").data)
    assert on.flagged and on.fiscal_year == 2020 and on.deficit_pct_gdp > 14
    off = monetisation(snapshot(mirror_session, M_INPUTS, "2023-06-30").data)
    assert not off.flagged and off.treasury_change_bn < 0  # QT: the Fed shed Treasuries
    assert "not available" in off.maturity_note
    h = history(snapshot(mirror_session, M_INPUTS).data)
    assert bool(h.loc[2020, "flagged"]) and bool(h.loc[2021, "flagged"])
    assert not h.loc[2023, "flagged"]


def test_cli_attractiveness(mirror_session, fred_mirror: Path) -> None:
    opts = ["--mirror", str(fred_mirror), "--store", str(mirror_session.settings.store_path)]
    runner = CliRunner()
    res = runner.invoke(cli, ["attractiveness", "--as-of", "2021-06-30", "--json", *opts])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["not_advice"] is True
    res = runner.invoke(cli, ["attractiveness", "--lang", "zh-CN", *opts])
    assert res.exit_code == 0 and "并非投资建议" in res.output
    bad = runner.invoke(cli, ["attractiveness", "--as-of", "yesterday", *opts])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
