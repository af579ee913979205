"""``add_months`` moves a date as ``pd.DateOffset(months=...)`` does (the simulator's months)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from helpers import fred_values
from tidegauge._dates import add_months


def test_add_months_is_date_offset(fred_mirror: Path) -> None:
    # the days of the Fed's weekly balance sheet and of the 10-year yield, and a few days after
    days = {
        dt.date.fromisoformat(d)
        for sid in ("WALCL", "DGS10")
        for d in fred_values(fred_mirror, sid)
    }
    days |= {d + dt.timedelta(days=k) for d in list(days)[::50] for k in range(1, 4)}
    for day in sorted(days)[::3]:
        for k in (0, 1, 2, 11, 12, 13, 36, 119, -1, -12):
            assert add_months(day, k) == (pd.Timestamp(day) + pd.DateOffset(months=k)).date()
    assert add_months(pd.Timestamp("2024-01-31"), 1) == dt.date(2024, 2, 29)
