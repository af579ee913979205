"""The yield curve (DGS10 − DGS2) on the real mirror: the spread recomputed from the CSVs, the
inversions found, and the 2022–2024 inversion — the longest since the 2-year series begins."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from helpers import common_dates, fred_values, run
from tidegauge.indicators.curve import MIN_DAYS, Curve, inversions, spread


@pytest.fixture(scope="module")
def section(mirror_session: Any) -> Any:
    ind = Curve()
    return ind.run(ind.load(mirror_session, {}), {})


def test_spread_is_dgs10_minus_dgs2_from_the_csvs(section: Any, fred_mirror: Path) -> None:
    a, b = fred_values(fred_mirror, "DGS10"), fred_values(fred_mirror, "DGS2")
    last = common_dates(fred_mirror, "DGS10", "DGS2")[-1]
    fig = section.figure("spread_10y2y")
    assert fig.as_of == dt.date.fromisoformat(last)
    assert fig.value == pytest.approx(a[last] - b[last], abs=1e-9)
    assert fig.unit == "pp"
    assert section.figure("curve_shape").code == ("inverted" if fig.value < 0 else "positive")


def test_inversions_recomputed_from_the_csvs(section: Any, fred_mirror: Path) -> None:
    a, b = fred_values(fred_mirror, "DGS10"), fred_values(fred_mirror, "DGS2")
    days = common_dates(fred_mirror, "DGS10", "DGS2")
    negative = [d for d in days if a[d] - b[d] < 0]
    eps = section.result["inversions"]
    # every negative day of an episode lies inside it, and the episodes are those of the data
    assert sum(e["days"] for e in eps) <= len(negative)
    longest = max(eps, key=lambda e: e["days"])
    # the 2022–2024 inversion: from July 2022 to late August 2024, more than two years
    assert longest["start"].date() == dt.date.fromisoformat(
        next(d for d in negative if d >= "2022-07-01")
    )
    assert longest["start"].year == 2022 and longest["start"].month == 7
    assert longest["end"].date() == dt.date.fromisoformat(max(d for d in negative if d < "2025"))
    assert (longest["end"] - longest["start"]).days > 2 * 365
    assert longest["trough"] == pytest.approx(
        min(a[d] - b[d] for d in negative if d >= "2022-07-01"), abs=1e-9
    )
    # the inversions before the 1980, 1990, 2001 and 2008 recessions are found too
    years = {e["start"].year for e in eps}
    assert {1978, 1989, 2000, 2006} <= years
    assert all(e["days"] >= MIN_DAYS for e in eps)


def test_a_blip_is_not_an_inversion() -> None:
    import pandas as pd

    idx = pd.bdate_range("2019-08-01", periods=30)
    s = pd.Series(0.1, index=idx)
    s.iloc[10:12] = -0.02  # two days below zero (2019-style)
    assert inversions(s) == []
    assert inversions(spread(s + 1, s * 0 + 1)) == []


def test_cli_json_and_text(capsys: Any, opts: list[str]) -> None:
    code, out, _ = run(capsys, "curve", "--json", *opts)
    assert code == 0
    data = json.loads(out)
    assert {"as_of", "spread_pp", "inverted", "inversions", "sections"} <= set(data)
    assert data["inverted"] is (data["spread_pp"] < 0)
    code, out, _ = run(capsys, "curve", "--lang", "zh-TW", *opts)
    assert code == 0 and "殖利率曲線" in out and "倒掛" in out
