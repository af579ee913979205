"""The recession-or-bubble checklist on real data: the archetypes, with every reason asserted
condition by condition.

Every number asserted is recomputed here straight from the mirror's CSV files (not through
tidegauge), applying the same documented rule and publication lag.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tidegauge import Tidegauge
from tidegauge.analysis.asof import published_by, snapshot
from tidegauge.analysis.checklist import Thresholds, checklist, evaluate
from tidegauge.catalog import CATALOG
from tidegauge.cli import cli
from tidegauge.errors import UsageError

OTHER_SP = "s-and-p-500_monthly.csv"


def read_fred(folder: Path, sid: str, as_of: str) -> pd.Series:
    """A FRED CSV as published by ``as_of`` (catalog lag), native units, no missing values."""
    with (folder / f"{sid}.csv").open() as fh:
        rows = [(r[0], float(r[1])) for r in list(csv.reader(fh))[1:] if r[1] not in ("", ".")]
    s = pd.Series([v for _, v in rows], index=pd.to_datetime([d for d, _ in rows]), name=sid)
    return published_by(s, dt.date.fromisoformat(as_of), CATALOG[sid].publication_lag_days)


def securities_rate(folder: Path, as_of: str) -> float:
    """TREAST + WSHOMCB: the 13-week percent change at an annual rate (not compounded)."""
    sec = (read_fred(folder, "TREAST", as_of) + read_fred(folder, "WSHOMCB", as_of)).dropna()
    last = sec.index[-1]
    then = sec[sec.index <= last - pd.Timedelta(weeks=13)]
    days = (last - then.index[-1]).days
    return (sec.iloc[-1] / then.iloc[-1] - 1) * 100 * 365.25 / days


def rate_change(folder: Path, as_of: str) -> float:
    """DFF: the last 30 days' average minus the 30 days' average six months earlier."""
    dff = read_fred(folder, "DFF", as_of)
    last = dff.index[-1]
    then = last - pd.DateOffset(months=6)
    now = dff[dff.index > last - pd.Timedelta(days=30)].mean()
    before = dff[(dff.index > then - pd.Timedelta(days=30)) & (dff.index <= then)].mean()
    return float(now - before)


@pytest.fixture(scope="module")
def results(mirror_session):
    days = ("2008-11-28", "2009-03-31", "2020-03-31", "2020-04-30", "2021-06-30", "2022-10-31")
    return {d: checklist(mirror_session, d) for d in days}


def met(r, side: str) -> set[str]:
    return {c.id for c in r.side(side) if c.met}


def test_late_2008_rate_cuts_into_a_recession(results, fred_mirror: Path) -> None:
    r = results["2008-11-28"]
    assert r.verdict == "recession" and r.easing and r.reliable
    # Easing through the rate: the funds rate fell 1.6 points in six months ...
    cut = r.condition("rate_cut")
    assert cut.met and cut.value == pytest.approx(rate_change(fred_mirror, "2008-11-28"))
    assert cut.value < -1.5 and not r.condition("rate_hike").met
    # ... while securities held outright fell only a little (bills sold to fund the crisis
    # lending): not QT, so nothing tightens. Total assets had doubled.
    bs = r.condition("balance_sheet")
    assert bs.value == pytest.approx(securities_rate(fred_mirror, "2008-11-28"))
    assert -3 < bs.value < 0 and not bs.met
    assert r.condition("balance_sheet_shrinking").met is False
    # The recession side: five of seven signs, each from its own data.
    assert met(r, "recession") == {
        "stocks_falling",
        "contracting",
        "wide_spreads",
        "liquidity_strained",
        "volatility",
    }
    hy = read_fred(fred_mirror, "BAMLH0A0HYM2", "2008-11-28")
    wide = r.condition("wide_spreads")
    assert wide.value == hy.iloc[-1] == 19.77 and wide.threshold == pytest.approx(hy.quantile(0.75))
    nfci = read_fred(fred_mirror, "NFCI", "2008-11-28")
    assert r.condition("liquidity_strained").value == nfci.iloc[-1] > 2  # week of 2008-11-21
    vix = read_fred(fred_mirror, "VIXCLS", "2008-11-28")
    assert r.condition("volatility").value == vix.iloc[-1] == 54.92
    # Before 2016 the S&P 500 is Shiller's monthly average (October 2008, published November).
    falling = r.condition("stocks_falling")
    assert falling.evidence["source"] == "SPX_SHILLER" and falling.frequency == "M"
    assert falling.as_of == dt.date(2008, 10, 1) and falling.value < -30
    # Sahm rule: the three-month average unemployment far above its low of the prior year.
    un = read_fred(fred_mirror, "UNRATE", "2008-11-28")
    avg3 = un.rolling(3).mean().dropna()
    assert r.condition("contracting").value == pytest.approx(
        avg3.iloc[-1] - avg3.iloc[-13:-1].min()
    )
    # The bubble side has only the lagging bank credit and September's core PCE.
    assert met(r, "bubble") == {"credit", "inflation"}
    assert (r.boom_met, r.boom_available, r.bust_met, r.bust_available) == (2, 6, 5, 7)
    # FY2008's deficit (3.1 % of GDP) was not large: no monetisation.
    assert r.condition("deficit").value < 4 and not r.monetisation


def test_march_2009_qe_into_a_recession(results, fred_mirror: Path) -> None:
    r = results["2009-03-31"]
    assert r.verdict == "recession"
    bs = r.condition("balance_sheet")  # the first MBS purchases: +$235bn on $476bn
    assert bs.met and bs.value == pytest.approx(securities_rate(fred_mirror, "2009-03-31"))
    assert bs.value > 150 and r.condition("rate_cut").met
    # Every recession sign and no bubble sign.
    assert (r.bust_met, r.bust_available, r.boom_met, r.boom_available) == (7, 7, 0, 6)
    # Cheap: CAPE (February 2009, 14.1) below its median since 1881.
    cheap = r.condition("cheap")
    assert cheap.met and cheap.evidence["cape_month"] == "2009-02-01" and cheap.value < 16
    # Core PCE for January 2009 (published March): 0.9 %, below target.
    pce = read_fred(fred_mirror, "PCEPILFE", "2009-03-31")
    yoy = (pce.iloc[-1] / pce[pce.index[-1] - pd.DateOffset(years=1)] - 1) * 100
    assert r.condition("low_inflation").value == pytest.approx(yoy) and yoy < 1
    # The last fiscal year published by March 2009 is FY2008 (FY2009 came in October).
    fy = read_fred(fred_mirror, "FYFSD", "2009-03-31")
    gdp = read_fred(fred_mirror, "GDP", "2009-03-31")
    fy08 = -fy.iloc[-1] / gdp["2007-10-01":"2008-07-01"].mean() * 100  # FYFSD is in millions
    assert fy.index[-1] == pd.Timestamp("2008-09-30")
    assert r.condition("deficit").value == pytest.approx(fy08 / 1000, rel=1e-12)
    assert not r.condition("deficit").met and not r.monetisation


def test_march_2020_fast_inputs_see_the_recession(results, fred_mirror: Path) -> None:
    r = results["2020-03-31"]
    assert r.verdict == "recession" and r.easing
    # Daily and weekly series, not February's monthly data, carry the turning point.
    sp = read_fred(fred_mirror, "SP500", "2020-03-31")
    falling = r.condition("stocks_falling")
    year = sp[sp.index > sp.index[-1] - pd.DateOffset(years=1)]
    assert falling.evidence["source"] == "SP500" and falling.as_of == dt.date(2020, 3, 30)
    assert falling.value == pytest.approx((sp.iloc[-1] / year.max() - 1) * 100)  # about −22 %
    assert r.condition("wide_spreads").value == 8.82  # HY spread, 2020-03-30
    assert r.condition("volatility").value == 57.08  # VIX, 2020-03-30
    # NFCI for the week to 2020-03-27 appears on 1 April: the last one known is 2020-03-20.
    strained = r.condition("liquidity_strained")
    assert strained.as_of == dt.date(2020, 3, 20) and strained.value == 0.174
    assert met(r, "recession") == {
        "stocks_falling",
        "low_inflation",
        "wide_spreads",
        "liquidity_strained",
        "volatility",
    }
    # The valuation gauge is February's CAPE carried by the daily S&P 500 to 2020-03-30: 30.7
    # on February's prices, about 24.6 on March's, below its 90th percentile.
    val = r.condition("valuation")
    assert val.evidence["cape_month"] == "2020-02-01" and val.evidence["carried_by"] == "SP500"
    assert val.evidence["cape_month_value"] > 30 and val.value < val.threshold and not val.met
    # What still says "bubble" is slow or distorted: February's unemployment (monthly) and
    # bank credit swollen by credit-line draws.
    assert met(r, "bubble") == {"credit", "low_unemployment"}
    assert r.condition("low_unemployment").frequency == "M"
    assert r.condition("low_unemployment").as_of == dt.date(2020, 2, 1)
    # Monetisation: purchases, cuts and FY2019's deficit (4.6 % of GDP) at once.
    assert r.monetisation and r.condition("deficit").value > 4.5
    assert results["2020-04-30"].verdict == "recession"


def test_mid_2021_easing_into_a_bubble(results, fred_mirror: Path) -> None:
    r = results["2021-06-30"]
    assert r.verdict == "bubble" and r.easing
    assert r.condition("balance_sheet").met  # $120bn a month of purchases
    assert not r.condition("rate_cut").met  # already at zero: nothing left to cut
    assert met(r, "bubble") == {"stocks_high", "tight_spreads", "inflation", "valuation"}
    sp = read_fred(fred_mirror, "SP500", "2021-06-30")
    assert r.condition("stocks_high").evidence["level"] == sp.iloc[-1]
    un = read_fred(fred_mirror, "UNRATE", "2021-06-30")
    ten = un[un.index > un.index[-1] - pd.DateOffset(years=10)]
    low = r.condition("low_unemployment")
    assert low.threshold == pytest.approx(ten.median()) and low.value == 5.8 and not low.met
    bk = read_fred(fred_mirror, "TOTBKCR", "2021-06-30")
    yoy = (bk.iloc[-1] / bk[bk.index <= bk.index[-1] - pd.Timedelta(weeks=52)].iloc[-1] - 1) * 100
    assert r.condition("credit").value == pytest.approx(yoy) and not r.condition("credit").met
    assert met(r, "recession") == set()
    # FY2020's deficit was huge but the rate was not being cut: no monetisation.
    assert r.condition("deficit").value > 14 and not r.monetisation


def test_autumn_2022_hiking_and_qt_is_not_easing(results, fred_mirror: Path) -> None:
    r = results["2022-10-31"]
    assert r.verdict == "not_easing" and not r.easing and r.easing_status == "no"
    hike = r.condition("rate_hike")
    assert hike.met and hike.value == pytest.approx(rate_change(fred_mirror, "2022-10-31"))
    assert hike.value > 2.5
    qt = r.condition("balance_sheet_shrinking")
    assert qt.met and qt.value == pytest.approx(securities_rate(fred_mirror, "2022-10-31"))
    assert qt.evidence["assets_change_bn"] < 0  # total assets fell with the securities
    # Most bubble signs were present: a Fed that hikes is still not "stimulating a bubble".
    assert r.boom_met >= 4


def test_reasons_in_json(mirror_session, opts) -> None:
    res = CliRunner().invoke(cli, ["checklist", "--as-of", "2020-03-31", "--json", *opts])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["verdict"] == "recession" and d["easing"] is True and d["monetisation"] is True
    assert d["debt_monetisation"]["flagged"] is True  # the flag object moved here
    sides = {c["id"]: c["side"] for c in d["conditions"]}
    assert sides["balance_sheet"] == sides["rate_cut"] == sides["deficit"] == "policy"
    assert sides["credit"] == "bubble" and sides["wide_spreads"] == "recession"
    for c in d["conditions"]:
        assert {"id", "met", "value", "threshold", "as_of", "side", "stale", "age_days"} <= set(c)
        assert isinstance(c["met"], bool) and isinstance(c["stale"], bool)
        assert c["op"] in (">=", "<=")
    hy = next(c for c in d["conditions"] if c["id"] == "wide_spreads")
    assert hy["age_days"] == 1 and hy["frequency"] == "D"  # 2020-03-30 seen on 2020-03-31
    assert "sections" in d


def test_stale_inputs_are_shown_with_their_age_and_not_counted(mirror_session) -> None:
    # CAPE ends in 2023-09: by the end of 2025 both valuation conditions are stale.
    r = checklist(mirror_session, "2025-12-31")
    for cid in ("valuation", "cheap"):
        c = r.condition(cid)
        assert c.stale and c.met is None and c.value is not None
        assert c.age_days == (dt.date(2025, 12, 31) - dt.date(2023, 9, 1)).days
        assert "SPX_CAPE" in (c.note or "") and "not counted" in (c.note or "")
    assert {"valuation", "cheap"} <= set(r.stale)
    assert r.boom_available == 5 and r.bust_available == 6
    # A date past the data: the H.4.1 of 2026-06-17 is months old, the funds rate too. The
    # policy inputs are stale, so whether the Fed is easing cannot be told.
    late = checklist(mirror_session, "2026-12-01")
    bs = late.condition("balance_sheet")
    assert bs.stale and bs.age_days == (dt.date(2026, 12, 1) - dt.date(2026, 6, 17)).days
    assert late.verdict == "insufficient" and not late.easing and not late.reliable
    assert late.easing_status == "unknown"


def test_ties_meet_and_display_keeps_failures_apart(mirror_session) -> None:
    from tidegauge.indicators.checklist import condition_cells
    from tidegauge.presentation.text import cell_text

    # August 2018: core PCE 1.9958 % (June) fails "above 2 %" and must not show as 2.00.
    r = checklist(mirror_session, "2018-08-31")
    infl = r.condition("inflation")
    assert infl.value == pytest.approx(1.9958, abs=1e-4) and infl.met is False
    cells = [cell_text(x, "en") for x in condition_cells(infl)]
    assert cells[3] == "1.996 %" and cells[4] == "≥ 2.000 %" and cells[2] == "✗"
    # November 2024: unemployment 4.1 % equals its 10-year median: a tie, which meets "low".
    tie = checklist(mirror_session, "2024-11-30").condition("low_unemployment")
    assert tie.value == tie.threshold == 4.1 and tie.met is True
    assert [cell_text(x, "en") for x in condition_cells(tie)][3:5] == ["4.10 %", "≤ 4.10 %"]


def test_verdict_rule_is_parameterised(mirror_session) -> None:
    snap = snapshot(mirror_session, ("TREAST", "WSHOMCB", "WALCL", "DFF"), "2009-03-31")
    easing_only = evaluate(snap.data, snap.as_of)
    # No side can be evaluated: easing, but too few conditions → mixed.
    assert easing_only.easing and easing_only.boom_available == 0
    assert easing_only.verdict == "mixed" and not easing_only.reliable
    strict = checklist(mirror_session, "2020-03-31", Thresholds(most=0.8))
    assert strict.verdict == "mixed"  # 5 of 7 is not 80 %
    with pytest.raises(UsageError):
        Thresholds(most=0.4)


def test_point_in_time_selection(mirror_session, partial_mirror, tmp_path: Path) -> None:
    # CPI for March 2009 was published mid-April: not known on 2009-04-01 (45-day lag).
    snap = snapshot(mirror_session, ["CPIAUCSL", "GDPC1"], "2009-04-01")
    assert snap.method["CPIAUCSL"] == "lag"
    assert snap.last_date("CPIAUCSL") == dt.date(2009, 2, 1)
    # Q4 2008 GDP was out by the end of January 2009; Q1 2009 only at the end of April.
    assert snap.last_date("GDPC1") == dt.date(2008, 10, 1)
    # A catalog series the source cannot deliver is listed as missing, not raised.
    mirror = partial_mirror(["CPIAUCSL"])
    with Tidegauge(mirror=str(mirror), store_path=str(tmp_path / "s.db")) as tg:
        lacking = snapshot(tg, ["CPIAUCSL", "GDPC1"], "2009-04-01")
    assert lacking.last_date("CPIAUCSL") == dt.date(2009, 2, 1)
    assert set(lacking.missing) == {"GDPC1"}
    # The session's store was filled today: for today the stored vintage is used.
    today = snapshot(mirror_session, ["WALCL"], dt.date.today())
    assert today.method["WALCL"] == "vintage"


def test_cli_text_and_bad_input(mirror_session, opts) -> None:
    runner = CliRunner()
    text = runner.invoke(cli, ["checklist", "--as-of", "2009-03-31", "--lang", "zh-TW", *opts])
    # dates are written for the language, on every face
    assert text.exit_code == 0 and "刺激衰退" in text.output and "2009年3月25日" in text.output
    assert "≥" in text.output and "≤" in text.output
    store = opts[-1]
    bad = runner.invoke(cli, ["checklist", "--as-of", "31/03/2009", "--store", store])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
    future = runner.invoke(cli, ["checklist", "--as-of", "2999-01-01", "--store", store])
    assert future.exit_code == 2 and "future" in future.output
