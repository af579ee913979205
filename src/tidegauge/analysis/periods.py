"""The last observation of each calendar period, computed on day numbers.

``s.resample("W-WED").last()`` gives the same answer, but pandas builds the bins of anchored
offsets (weeks, month ends) one date at a time: about 30 ms for a daily series since 1954, paid by
every chart that downsamples a long series. Here the period end of each date is computed with
integer arithmetic on day numbers; ``tests/test_periods.py`` checks the two agree on the real
series of the mirror.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["RULES", "last_per_period", "period_ends"]

_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
RULES = ("W", *(f"W-{d}" for d in _WEEKDAYS), "ME", "QE", "YE")
"""The pandas rules understood: weeks ending on a weekday (``W`` is ``W-SUN``), month, quarter
and year ends (quarters and years ending in December)."""


def period_ends(days: np.ndarray, rule: str) -> np.ndarray:
    """The last day of the period of each of ``days`` (``datetime64[D]``) under ``rule``."""
    if rule not in RULES:
        raise ValueError(f"unsupported period rule {rule!r}")
    if rule.startswith("W"):
        target = _WEEKDAYS.index(rule[2:] if "-" in rule else "SUN")
        n = days.astype("int64")
        weekday = (n + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
        return (n + (target - weekday) % 7).astype("datetime64[D]")
    if rule == "YE":
        return (days.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    months = days.astype("datetime64[M]")
    if rule == "QE":  # the quarter's last month: March, June, September, December
        m = months.astype("int64")
        months = (m + (2 - m % 3)).astype("datetime64[M]")
    return (months + 1).astype("datetime64[D]") - 1


def last_per_period(s: pd.Series, rule: str) -> pd.Series:
    """``s.resample(rule).last().dropna()`` for a series on a sorted, time-zone-naive
    DatetimeIndex: the last non-missing value of each period, labelled by the period's end."""
    import numpy as np
    import pandas as pd

    clean = s.dropna()
    if clean.empty:
        return clean
    index = pd.DatetimeIndex(clean.index)
    labels = period_ends(index.to_numpy().astype("datetime64[D]"), rule)
    last = np.flatnonzero(np.r_[labels[1:] != labels[:-1], True])
    out_index = pd.DatetimeIndex(labels[last], name=index.name).as_unit(index.unit)
    return pd.Series(clean.to_numpy()[last], index=out_index, name=s.name)
