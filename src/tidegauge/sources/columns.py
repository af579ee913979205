"""Observations held as two arrays, read as a sequence of :class:`Observation`.

A parsed file of a million rows is two numpy arrays (``datetime64[D]`` dates, strictly increasing,
and ``float64`` values, NaN for a missing value) instead of a million objects. The class is a
``Sequence[Observation]``, so code written for a list of observations works unchanged (an item
is made when it is asked for); the store reads :attr:`days` and :attr:`values` directly.

Examples
--------
>>> import numpy as np
>>> obs = ObservationArrays(np.array(["2024-01-03", "2024-01-10"], dtype="datetime64[D]"),
...                         np.array([1.5, np.nan]))
>>> len(obs), obs[0].date, obs[0].value, obs[-1].value is None
(2, datetime.date(2024, 1, 3), 1.5, True)
>>> [o.date.isoformat() for o in obs.window(dt.date(2024, 1, 4), None)]
['2024-01-10']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from .base import Observation

if TYPE_CHECKING:
    import numpy as np

__all__ = ["ObservationArrays"]


class ObservationArrays(Sequence[Observation]):
    """Dates (``datetime64[D]``, strictly increasing) and values (``float64``, NaN = missing)."""

    __slots__ = ("days", "values")

    def __init__(self, days: np.ndarray, values: np.ndarray) -> None:
        self.days = days
        self.values = values

    def __len__(self) -> int:
        return len(self.days)

    @overload
    def __getitem__(self, i: int) -> Observation: ...
    @overload
    def __getitem__(self, i: slice) -> ObservationArrays: ...
    def __getitem__(self, i: int | slice) -> Observation | ObservationArrays:
        if isinstance(i, slice):
            return ObservationArrays(self.days[i], self.values[i])
        value = float(self.values[i])
        return Observation(self.days[i].item(), None if value != value else value)

    def __iter__(self) -> Iterator[Observation]:
        return map(Observation, self.days.tolist(), self.value_list())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ObservationArrays({len(self)} observations)"

    def value_list(self) -> list[float | None]:
        """The values as Python floats, ``None`` for a missing one."""
        values: list[Any] = self.values.tolist()
        return [None if v != v else v for v in values]

    def iso_dates(self) -> list[str]:
        """The dates as ``YYYY-MM-DD`` strings (the store's form)."""
        strings: list[str] = self.days.astype("U10").tolist()
        return strings

    def date_bounds(self) -> tuple[dt.date, dt.date] | None:
        """First and last date (the dates are sorted), or ``None`` when empty."""
        if not len(self.days):
            return None
        return self.days[0].item(), self.days[-1].item()

    def window(self, start: dt.date | None, end: dt.date | None) -> ObservationArrays:
        """The observations dated from ``start`` to ``end`` (both included, ``None``: open)."""
        import numpy as np

        lo = 0 if start is None else int(np.searchsorted(self.days, np.datetime64(start, "D")))
        hi = (
            len(self.days)
            if end is None
            else int(np.searchsorted(self.days, np.datetime64(end, "D"), side="right"))
        )
        return self[lo:hi]
