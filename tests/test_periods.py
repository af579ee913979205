"""``last_per_period`` (day-number arithmetic) against pandas' resample on the real series."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tidegauge.analysis.periods import RULES, last_per_period, period_ends

IDS = ("DFF", "WALCL", "SP500", "DGS10", "RRPONTSYD", "CPIAUCSL", "T5YIFR", "SOFR")


@pytest.fixture(scope="module")
def series(fred_mirror: Path) -> dict[str, pd.Series]:
    out = {}
    for sid in IDS:
        df = pd.read_csv(fred_mirror / f"{sid}.csv", parse_dates=["observation_date"])
        s = pd.to_numeric(df[sid], errors="coerce")
        out[sid] = pd.Series(s.to_numpy(), index=pd.DatetimeIndex(df["observation_date"]), name=sid)
    return out


@pytest.mark.parametrize("rule", RULES)
def test_last_per_period_is_pandas_resample_last(series: dict[str, pd.Series], rule: str) -> None:
    for sid, s in series.items():
        expected = s.resample(rule).last().dropna()
        got = last_per_period(s, rule)
        pd.testing.assert_series_equal(got, expected, check_freq=False, obj=f"{sid} {rule}")


def test_period_ends_of_known_days() -> None:
    days = np.array(["2026-12-03", "2026-12-02", "2024-02-10", "2025-12-31"], "datetime64[D]")
    # 2026-12-03 is a Thursday: its week ending Wednesday ends 2026-12-09
    assert period_ends(days, "W-WED").astype(str).tolist() == [
        "2026-12-09",
        "2026-12-02",
        "2024-02-14",
        "2025-12-31",
    ]
    assert period_ends(days, "ME").astype(str).tolist()[2] == "2024-02-29"  # a leap year
    assert period_ends(days, "QE").astype(str).tolist() == [
        "2026-12-31",
        "2026-12-31",
        "2024-03-31",
        "2025-12-31",
    ]
    with pytest.raises(ValueError, match="unsupported"):
        period_ends(days, "B")
