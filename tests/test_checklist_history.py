"""The checklist's month-end verdict history since 2003 and the calibration of every threshold,
recomputed from the mirror's CSV files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from helpers import fred_values
from tidegauge.analysis.checklist import INPUTS, Thresholds, checklist
from tidegauge.analysis.checklist_history import checklist_history
from tidegauge.cli import cli

TH = Thresholds()


def csv_series(mirror: Path, sid: str) -> pd.Series:
    v = fred_values(mirror, sid)
    return pd.Series(list(v.values()), index=pd.to_datetime(list(v))).sort_index()


@pytest.fixture(scope="module")
def history(mirror_session):
    data = {sid: mirror_session.series(sid) for sid in INPUTS}
    return checklist_history(data, end="2026-06-30")


def test_history_archetypes_and_no_flip_flops(history, mirror_session) -> None:
    f = history.frame
    assert f.index[0] == pd.Timestamp("2003-01-31") and f.index[-1] == pd.Timestamp("2026-06-30")
    for day in ("2008-11-30", "2008-12-31", "2009-03-31", "2020-03-31", "2020-04-30"):
        assert history.at(day) == "recession", day
    assert history.at("2021-06-30") == "bubble"
    for day in ("2022-09-30", "2022-10-31", "2022-11-30"):
        assert history.at(day) == "not_easing", day
    # The same verdict as a single evaluation of that date (which carries the previous months).
    assert history.at("2020-03-31") == checklist(mirror_session, "2020-03-31").verdict
    # No verdict flips for one month and back (A, B, A) on noise.
    runs = history.runs()
    for before, mid, after in zip(runs, runs[1:], runs[2:], strict=False):
        assert not (mid["months"] == 1 and before["verdict"] == after["verdict"]), mid
    assert history.changes() <= 25


def test_history_cli_json_and_chart(mirror_session, opts, tmp_path: Path) -> None:
    png = tmp_path / "verdicts.png"
    res = CliRunner().invoke(
        cli,
        ["checklist", "history", "--start", "2019-01-31", "--end", "2021-12-31", "--json", *opts],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    months = {m["date"]: m["verdict"] for m in d["months"]}
    assert len(months) == 36 and months["2020-03-31"] == "recession"
    assert months["2021-06-30"] == "bubble"
    assert d["runs"][0]["start"] == "2019-01-31" and "sections" in d
    text = CliRunner().invoke(
        cli, ["checklist", "history", "--end", "2010-12-31", "--chart", str(png), *opts]
    )
    assert text.exit_code == 0, text.output
    assert "stimulating a recession" in text.output and png.stat().st_size > 10_000


# -- calibration: each threshold's justification, recomputed from the data -------------------
def test_significant_expansion_is_calibrated_on_normal_growth(fred_mirror: Path) -> None:
    sec = (csv_series(fred_mirror, "TREAST") + csv_series(fred_mirror, "WSHOMCB")).dropna()
    rate = (sec / sec.shift(13) - 1) * 100 * 365.25 / 91
    normal = rate["2003-03-19":"2007-07-31"]  # supplying currency, before the crisis
    assert normal.median() == pytest.approx(4.9, abs=0.15)
    p95 = float(np.percentile(normal, 95))
    assert 10 < p95 <= TH.bs_significant_pct and TH.bs_significant_pct - p95 < 1
    # Reserve-management bills of 2026 grow below it; 2020 and 2021 QE far above.
    assert rate["2026-03-25"] < TH.bs_significant_pct < rate["2021-06-23"]


def test_credit_and_deficit_thresholds(fred_mirror: Path) -> None:
    bk = csv_series(fred_mirror, "TOTBKCR")
    yoy = (bk / bk.shift(52) - 1) * 100
    median = float(yoy["1974":"2025"].median())
    assert median == pytest.approx(7.05, abs=0.05) and round(median) == TH.credit_growth_pct
    fy = csv_series(fred_mirror, "FYFSD") / 1000  # USD millions → billions
    gdp = csv_series(fred_mirror, "GDP")
    shares = []
    for end, balance in fy["1975":"2024"].items():
        q = gdp[(gdp.index > end - pd.DateOffset(years=1)) & (gdp.index <= end)]
        assert len(q) == 4
        shares.append(-balance / q.mean() * 100)
    avg = float(np.mean(shares))
    assert len(shares) == 50 and avg == pytest.approx(3.8, abs=0.05)
    assert avg < TH.deficit_pct_gdp


def test_market_thresholds(fred_mirror: Path) -> None:
    nfci = csv_series(fred_mirror, "NFCI")
    assert abs(nfci.mean()) < 0.01 and TH.nfci_strained == 0  # zero = average, by construction
    vix = csv_series(fred_mirror, "VIXCLS")
    assert float(np.percentile(vix, TH.vix_percentile)) == pytest.approx(28.5, abs=0.2)
    # One FOMC step (0.25 pp, June 2003) shows as less in 30-day averages of the daily rate.
    dff = csv_series(fred_mirror, "DFF")
    now, then = dff["2003-07-02":"2003-07-31"].mean(), dff["2003-01-02":"2003-01-31"].mean()
    assert -0.25 < now - then <= -TH.rate_step_pp


def test_stale_limits_come_from_freshness(mirror_session) -> None:
    """One age rule: the catalog's frequency and publication lag (tidegauge.freshness)."""
    from tidegauge.freshness import assess

    r = checklist(mirror_session, "2026-12-01")
    for c in r.conditions:
        if c.inputs:
            status = assess(dict(c.inputs), dt.date(2026, 12, 1)).status
            assert c.stale == (status == "stale"), c.id
