"""The last value of each period (business day, week ending Wednesday, month, quarter, year).

:func:`period_last` gives what ``s.dropna().resample(rule).last()`` gives for the rules of
:data:`RULES` (every period from the first observation's to the last one's, an empty period as
``NaN``), computed from period labels in numpy: pandas builds the bins of a calendar rule one
offset at a time, which for a few years of business days costs tens of milliseconds, and a
comparison window asks for two of them. Any other index (with times of day, time zones, not
sorted) goes to pandas itself.

>>> import pandas as pd
>>> s = pd.Series([1.0, 2.0, 3.0], pd.to_datetime(["2024-01-30", "2024-01-31", "2024-03-05"]))
>>> period_last(s, "M").tolist()
[2.0, nan, 3.0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["RULES", "period_labels", "period_last", "period_last_arrays"]

RULES = {"D": "B", "W": "W-WED", "M": "ME", "Q": "QE", "A": "YE"}
"""The pandas rule of each common frequency: business days, weeks ending Wednesday (like the
H.4.1), calendar month, quarter and year ends."""
_MONTHS = {"M": 1, "Q": 3, "A": 12}
_DAY_NS = 86_400_000_000_000


def _weekday(days: np.ndarray) -> np.ndarray:
    """Monday 0 … Sunday 6 of ``datetime64[D]`` values (1970-01-01 was a Thursday)."""
    return (days.view("i8") + 3) % 7


def period_labels(days: np.ndarray, freq: str) -> np.ndarray:
    """The label pandas gives the period of each ``datetime64[D]`` day under ``RULES[freq]``.

    A business day labels itself and a weekend day the Friday before (``B`` bins are closed on
    the left); a week is labelled by its Wednesday, a month, quarter or year by its last day
    (closed on the right).
    """
    import numpy as np

    if freq == "D":
        return days - np.maximum(_weekday(days) - 4, 0)
    if freq == "W":
        return days + (2 - _weekday(days)) % 7
    step = _MONTHS[freq]
    months = days.astype("datetime64[M]")
    m = months.view("i8")
    last_month = months + (step - 1 - m % step)
    return (last_month + 1).astype("datetime64[D]") - 1


def _all_labels(first: np.datetime64, last: np.datetime64, freq: str) -> np.ndarray:
    """Every label from ``first`` to ``last`` (both labels of ``freq``)."""
    import numpy as np

    if freq == "D":
        days = np.arange(first, last + 1, dtype="datetime64[D]")
        return days[_weekday(days) < 5]
    if freq == "W":
        return np.arange(first, last + 1, 7, dtype="datetime64[D]")
    step = _MONTHS[freq]
    m0, m1 = first.astype("datetime64[M]"), last.astype("datetime64[M]")
    months = np.arange(m0, m1 + 1, step, dtype="datetime64[M]")
    return (months + 1).astype("datetime64[D]") - 1


def period_last_arrays(
    days: np.ndarray, values: np.ndarray, freq: str
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`period_last` on arrays: ``days`` (``datetime64[D]``, sorted, at least one) and
    their ``values`` (float64, none missing) give every period label from the first day's to
    the last day's and the last value in each period (``NaN`` for a period without one)."""
    import numpy as np

    labels = period_labels(days, freq)
    full = _all_labels(labels[0], labels[-1], freq)
    last_of_period = np.flatnonzero(np.append(labels[1:] != labels[:-1], True))
    out = np.full(len(full), np.nan)
    out[np.searchsorted(full, labels[last_of_period])] = values[last_of_period]
    return full, out


def period_last(s: pd.Series, freq: str) -> pd.Series:
    """``s.dropna().resample(RULES[freq]).last()``, without pandas' bin generation.

    The index keeps ``s``'s dtype and name (its ``freq`` is not set: nothing downstream reads
    it). For an index pandas must handle itself (times of day, a time zone, unsorted, not
    dates) it is what pandas gives.
    """
    import numpy as np
    import pandas as pd

    clean = s.dropna() if s.hasnans else s
    index = clean.index
    if (
        not isinstance(index, pd.DatetimeIndex)
        or index.tz is not None
        or not index.is_monotonic_increasing
        or clean.dtype != np.float64
    ):
        return clean.resample(RULES[freq]).last()
    stamps = index.as_unit("ns").asi8
    if len(clean) == 0 or bool((stamps % _DAY_NS).any()):
        return clean.resample(RULES[freq]).last()
    days = stamps.astype("datetime64[ns]").astype("datetime64[D]")
    full, values = period_last_arrays(days, clean.to_numpy(), freq)
    out_index = pd.DatetimeIndex(full.astype(f"datetime64[{index.unit}]"), name=index.name)
    return pd.Series(values, index=out_index, name=s.name)
