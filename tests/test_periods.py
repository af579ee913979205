"""The chart layer's display copies (``downsample``) against the pandas formulation they
replaced (``resample("W-WED"/"ME"/"QE").last().dropna()``), on the real daily series."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tidegauge.presentation.charts import downsample

IDS = ("DFF", "SP500", "DGS10", "RRPONTSYD", "T5YIFR", "SOFR", "DFII10", "T10YIE")


def _resampled(s: pd.Series, max_points: int) -> pd.Series:
    if len(s) <= max_points:
        return s
    for rule in ("W-WED", "ME", "QE"):
        out = s.resample(rule).last().dropna()
        if len(out) <= max_points:
            return out
    return out


@pytest.mark.parametrize("max_points", [1200, 400, 60])
def test_downsample_is_the_last_value_of_each_period(fred_mirror: Path, max_points: int) -> None:
    for sid in IDS:
        df = pd.read_csv(fred_mirror / f"{sid}.csv", parse_dates=["observation_date"])
        s = pd.Series(
            pd.to_numeric(df[sid], errors="coerce").to_numpy(),
            index=pd.DatetimeIndex(df["observation_date"]),
            name=sid,
        )
        got = downsample(s, max_points)
        expected = _resampled(s, max_points)
        assert len(got) <= max(max_points, len(expected))
        pd.testing.assert_series_equal(got, expected, check_freq=False, obj=f"{sid}")
