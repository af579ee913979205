"""How fresh a figure is: current, late or stale, from its inputs' frequency and publication lag.

Each input series has a frequency and a typical publication lag (the catalog). From its last
observation the next one is *due* at ``next observation date + lag``. Against the report date
(today, or the ``--as-of`` date of a point-in-time report):

``current``
    the next observation is not overdue (by more than :data:`LATE_AFTER_DAYS`);
``late``
    it is overdue — a release was expected and nothing new arrived;
``stale``
    it is overdue by more than :data:`STALE_AFTER_DAYS`: several releases were missed, the
    figure describes another time.

A figure built from several inputs takes the worst status of its inputs and says when its
inputs come from different times (``mixed``): their dates are further apart than the coarsest
input's period plus its publication lag, or one input is stale while another is not.

Every face shows the same status (a badge in HTML, a marker in the terminal, a field in JSON).

Examples
--------
>>> import datetime as dt
>>> f = assess({"WALCL": dt.date(2026, 8, 26)}, dt.date(2026, 12, 3))
>>> f.status, f.inputs[0].due.isoformat()
('stale', '2026-09-03')
>>> assess({"WALCL": dt.date(2026, 8, 26)}, dt.date(2026, 8, 28)).status
'current'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "LATE_AFTER_DAYS",
    "STALE_AFTER_DAYS",
    "Freshness",
    "InputAge",
    "Status",
    "assess",
    "next_due",
]

Status = Literal["current", "late", "stale"]
_RANK: dict[Status, int] = {"current": 0, "late": 1, "stale": 2}

LATE_AFTER_DAYS: dict[str, int] = {"D": 3, "W": 2, "M": 10, "Q": 21, "A": 45}
"""Days past an input's due date before it counts as late (weekends and holidays for daily
data; a day's slack for the weekly H.4.1; a week or more for monthly and quarterly releases,
whose dates move from month to month)."""

STALE_AFTER_DAYS: dict[str, int] = {"D": 14, "W": 21, "M": 62, "Q": 120, "A": 400}
"""Days past an input's due date before it counts as stale: about two weeks of missing daily
data, three missed weekly releases, two missed monthly ones, more than a missed quarter."""

PERIOD_DAYS: dict[str, int] = {"D": 1, "W": 7, "M": 31, "Q": 92, "A": 366}
"""Length of one period of each frequency (for ``mixed``)."""


def _add_period(day: dt.date, freq: str) -> dt.date:
    if freq == "D":
        return day + dt.timedelta(days=1)
    if freq == "W":
        return day + dt.timedelta(days=7)
    months = {"M": 1, "Q": 3, "A": 12}[freq]
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 always exists


def next_due(last: dt.date, frequency: str, lag_days: int) -> dt.date:
    """When the observation after ``last`` is expected to be published.

    >>> next_due(dt.date(2026, 7, 1), "M", 45)   # CPI for August, mid-September
    datetime.date(2026, 9, 15)
    """
    return _add_period(last, frequency) + dt.timedelta(days=lag_days)


@dataclass(frozen=True)
class InputAge:
    """One input of a figure: its last observation, when the next was due, its status."""

    id: str
    last: dt.date | None
    due: dt.date | None
    status: Status
    frequency: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "last": self.last.isoformat() if self.last else None,
            "due": self.due.isoformat() if self.due else None,
            "status": self.status,
        }


@dataclass(frozen=True)
class Freshness:
    """The status of a figure against ``report_date`` (see the module docstring)."""

    status: Status
    report_date: dt.date
    inputs: tuple[InputAge, ...] = ()
    mixed: bool = False

    @property
    def marked(self) -> bool:
        """Whether a face must mark the figure (late, stale or inputs of different times)."""
        return self.status != "current" or self.mixed

    @property
    def oldest(self) -> dt.date | None:
        days = [i.last for i in self.inputs if i.last is not None]
        return min(days) if days else None

    @property
    def age_days(self) -> int | None:
        """Days from the oldest input's last observation to the report date."""
        o = self.oldest
        return None if o is None else (self.report_date - o).days

    @property
    def worst(self) -> tuple[InputAge, ...]:
        """The inputs that set the status (the stale ones of a stale figure...)."""
        return tuple(i for i in self.inputs if i.status == self.status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "mixed": self.mixed,
            "age_days": self.age_days,
            "report_date": self.report_date.isoformat(),
            "inputs": [i.to_dict() for i in self.inputs],
        }


def assess(
    inputs: Mapping[str, dt.date | None],
    report_date: dt.date,
    *,
    catalog: Mapping[str, Any] | None = None,
) -> Freshness:
    """The freshness of a figure whose inputs ended on ``inputs`` (id → last observation).

    Parameters
    ----------
    inputs
        Last observation date used of each input series (``None``: unknown, not assessed).
    report_date
        The date the figure is shown for.
    catalog
        ``{id: SeriesInfo}`` (default: the built-in catalog); an id it lacks is not assessed.
    """
    if catalog is None:
        from .catalog import CATALOG

        catalog = CATALOG
    ages: list[InputAge] = []
    for sid, last in inputs.items():
        info = catalog.get(sid)
        if last is None or info is None:
            ages.append(InputAge(sid, last, None, "current"))
            continue
        due = next_due(last, info.frequency, info.publication_lag_days)
        late_by = (report_date - due).days
        status: Status = "current"
        if late_by > STALE_AFTER_DAYS[info.frequency]:
            status = "stale"
        elif late_by > LATE_AFTER_DAYS[info.frequency]:
            status = "late"
        ages.append(InputAge(sid, last, due, status, info.frequency))
    worst: Status = max((a.status for a in ages), key=_RANK.__getitem__, default="current")
    return Freshness(worst, report_date, tuple(ages), _mixed(ages, catalog))


def _mixed(ages: list[InputAge], catalog: Mapping[str, Any]) -> bool:
    dated = [a for a in ages if a.last is not None and a.frequency is not None]
    if len(dated) < 2:
        return False
    if len({a.status == "stale" for a in dated}) > 1:
        return True
    span = (max(a.last for a in dated) - min(a.last for a in dated)).days  # type: ignore[type-var,operator]
    slack = max(
        PERIOD_DAYS[a.frequency] + catalog[a.id].publication_lag_days  # type: ignore[index]
        for a in dated
    )
    return span > slack
