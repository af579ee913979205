"""The recession-or-bubble checklist on real data, condition by condition.

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


def read_fred(folder: Path, sid: str, as_of: str) -> pd.Series:
    """A FRED CSV as published by ``as_of`` (catalog lag), native units, no missing values."""
    with (folder / f"{sid}.csv").open() as fh:
        rows = [(r[0], float(r[1])) for r in list(csv.reader(fh))[1:] if r[1] not in ("", ".")]
    s = pd.Series([v for _, v in rows], index=pd.to_datetime([d for d, _ in rows]), name=sid)
    return published_by(s, dt.date.fromisoformat(as_of), CATALOG[sid].publication_lag_days)


@pytest.fixture(scope="module")
def results(mirror_session):
    return {d: checklist(mirror_session, d) for d in ("2009-03-31", "2021-06-30", "2025-12-31")}


def test_2009_easing_into_a_recession(results, fred_mirror: Path) -> None:
    r = results["2009-03-31"]
    assert r.easing and r.verdict == "recession"
    # Securities held outright: TREAST + WSHOMCB, 13 weeks to the last H.4.1 week (2009-03-25).
    t = read_fred(fred_mirror, "TREAST", "2009-03-31")
    m = read_fred(fred_mirror, "WSHOMCB", "2009-03-31")
    sec = (t + m).dropna()
    growth = sec.iloc[-1] / sec[sec.index <= sec.index[-1] - pd.Timedelta(weeks=13)].iloc[-1] - 1
    bs = r.condition("balance_sheet")
    assert bs.met and bs.value == pytest.approx(growth * 100, abs=1e-9)
    assert bs.value > 40  # the first MBS purchases: about +$235bn on $476bn
    # Rate cut: DFF near 0.18 % in March 2009 against about 1.8 % six months earlier.
    assert r.condition("rate_cut").met and r.condition("rate_cut").value < -1.5
    # The last fiscal year published by March 2009 is FY2008 (the FY2009 deficit came in October).
    fy = read_fred(fred_mirror, "FYFSD", "2009-03-31")
    gdp = read_fred(fred_mirror, "GDP", "2009-03-31")
    fy08 = -fy.iloc[-1] / gdp["2007-10-01":"2008-07-01"].mean() * 100  # FYFSD is in millions
    deficit = r.condition("deficit")
    assert fy.index[-1] == pd.Timestamp("2008-09-30")
    assert deficit.value == pytest.approx(fy08 / 1000, rel=1e-12)
    assert deficit.met is False and deficit.value < 4.0
    # Stocks were half their record, spreads at the top of their history, unemployment high.
    assert r.condition("stocks_high").value < -45 and not r.condition("stocks_high").met
    hy = read_fred(fred_mirror, "BAMLH0A0HYM2", "2009-03-31")
    assert r.condition("tight_spreads").value == hy.iloc[-1]
    assert r.condition("tight_spreads").threshold == pytest.approx(hy.quantile(0.25))
    assert not r.condition("tight_spreads").met
    un = read_fred(fred_mirror, "UNRATE", "2009-03-31")
    assert un.index[-1] == pd.Timestamp("2009-02-01")  # March's rate appeared on April 3
    assert (
        r.condition("low_unemployment").value == un.iloc[-1]
        and not r.condition("low_unemployment").met
    )
    # Core PCE: the latest published month is January 2009, 12-month change below 2 %.
    pce = read_fred(fred_mirror, "PCEPILFE", "2009-03-31")
    yoy = (pce.iloc[-1] / pce[pce.index[-1] - pd.DateOffset(years=1)] - 1) * 100
    assert r.condition("inflation").value == pytest.approx(yoy)
    assert not r.condition("inflation").met
    assert not r.condition("credit").met and not r.condition("valuation").met
    assert (r.boom_met, r.boom_available) == (0, 7)


def test_2021_easing_into_a_bubble(results, fred_mirror: Path) -> None:
    r = results["2021-06-30"]
    assert r.verdict == "bubble" and r.easing
    assert r.condition("balance_sheet").met  # $120bn a month of purchases
    assert not r.condition("rate_cut").met  # already at zero: nothing left to cut
    fy = read_fred(fred_mirror, "FYFSD", "2021-06-30")
    assert fy.index[-1] == pd.Timestamp("2020-09-30")
    assert r.condition("deficit").met and r.condition("deficit").value > 14  # FY2020
    sp = read_fred(fred_mirror, "SP500", "2021-06-30")
    assert r.condition("stocks_high").evidence["level"] == sp.iloc[-1]
    assert r.condition("stocks_high").met
    assert r.condition("tight_spreads").met
    un = read_fred(fred_mirror, "UNRATE", "2021-06-30")
    ten = un[un.index > un.index[-1] - pd.DateOffset(years=10)]
    assert r.condition("low_unemployment").threshold == pytest.approx(ten.median())
    assert not r.condition("low_unemployment").met  # 5.8 % in May 2021, above the median
    assert r.condition("inflation").met and r.condition("inflation").value > 3
    assert r.condition("valuation").met and r.condition("valuation").evidence["percentile"] > 95
    bk = read_fred(fred_mirror, "TOTBKCR", "2021-06-30")
    yoy = (bk.iloc[-1] / bk[bk.index <= bk.index[-1] - pd.Timedelta(weeks=52)].iloc[-1] - 1) * 100
    assert r.condition("credit").value == pytest.approx(yoy) and not r.condition("credit").met
    assert (r.boom_met, r.boom_available) == (5, 7)


def test_december_2025_what_the_data_says(results, fred_mirror: Path) -> None:
    r = results["2025-12-31"]
    # Three cuts (September, October, December 2025): easing through the policy rate, while
    # securities held outright were still shrinking (QT ended on 1 December).
    assert r.condition("rate_cut").met and not r.condition("balance_sheet").met
    dff = read_fred(fred_mirror, "DFF", "2025-12-31")
    now = dff[dff.index > dff.index[-1] - pd.Timedelta(days=30)].mean()
    assert r.condition("rate_cut").evidence["now_avg"] == pytest.approx(now)
    fy = read_fred(fred_mirror, "FYFSD", "2025-12-31")
    gdp = read_fred(fred_mirror, "GDP", "2025-12-31")
    share = -fy.iloc[-1] / 1000 / gdp["2024-10-01":"2025-07-01"].mean() * 100
    assert r.condition("deficit").value == pytest.approx(share) and r.condition("deficit").met
    assert r.condition("stocks_high").met and r.condition("tight_spreads").met
    assert r.condition("inflation").met and not r.condition("low_unemployment").met
    # CAPE ends in 2023-09: the valuation gauge is stale, reported but not counted.
    val = r.condition("valuation")
    assert val.met is None and val.as_of == dt.date(2023, 9, 1) and "stale" in (val.note or "")
    assert (r.boom_met, r.boom_available) == (4, 6)
    assert r.verdict == "bubble"  # 4 of 6 is exactly the two-thirds "most"


def test_verdict_rule_is_parameterised(mirror_session) -> None:
    snap = snapshot(mirror_session, ("TREAST", "WSHOMCB", "DFF"), "2009-03-31")
    easing_only = evaluate(snap.data, snap.as_of)
    # No boom condition can be evaluated: easing, but too few conditions → mixed.
    assert easing_only.easing and easing_only.boom_available == 0
    assert easing_only.verdict == "mixed"
    assert {c.id for c in easing_only.conditions if not c.available} == {
        "deficit",
        "credit",
        "stocks_high",
        "tight_spreads",
        "low_unemployment",
        "inflation",
        "valuation",
    }
    strict = checklist(mirror_session, "2025-12-31", Thresholds(most=0.8))
    assert strict.verdict == "mixed"  # 4 of 6 is not 80 %
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


def test_cli_json_and_bad_input(mirror_session, fred_mirror: Path) -> None:
    store = str(mirror_session.settings.store_path)
    runner = CliRunner()
    res = runner.invoke(
        cli,
        [
            "checklist",
            "--as-of",
            "2009-03-31",
            "--json",
            "--mirror",
            str(fred_mirror),
            "--store",
            store,
        ],
    )
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert payload["as_of"] == "2009-03-31" and payload["verdict"] == "recession"
    assert len(payload["conditions"]) == 9
    for c in payload["conditions"]:
        assert {"id", "met", "value", "threshold", "as_of"} <= set(c)
        assert isinstance(c["met"], bool)
    text = runner.invoke(
        cli,
        [
            "checklist",
            "--as-of",
            "2009-03-31",
            "--lang",
            "zh-TW",
            "--mirror",
            str(fred_mirror),
            "--store",
            store,
        ],
    )
    # dates are written for the language, on every face
    assert text.exit_code == 0 and "刺激衰退" in text.output and "2009年3月25日" in text.output
    bad = runner.invoke(cli, ["checklist", "--as-of", "31/03/2009", "--store", store])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
    future = runner.invoke(cli, ["checklist", "--as-of", "2999-01-01", "--store", store])
    assert future.exit_code == 2 and "future" in future.output
