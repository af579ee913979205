"""How fresh a figure is: current, late or stale, from the release calendar.

Each input series has a release calendar (:mod:`tidegauge.releases`): from its last
observation, the next one is *due* when the calendar releases it (the H.4.1 for the week to
Wednesday on Thursday at 16:30 US Eastern, SOFR at 08:00 on the next business day...). Against
the moment of the report (now for today's report; the end of the ``--as-of`` day, US Eastern,
for a point-in-time report):

``current``
    the next observation is not yet due;
``late``
    its release has passed and nothing new arrived;
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
>>> at = dt.datetime(2026, 9, 3, 20, 0, tzinfo=dt.UTC)      # 16:00 EDT: not yet released
>>> assess({"WALCL": dt.date(2026, 8, 26)}, dt.date(2026, 9, 3), at=at).status
'current'
>>> assess({"WALCL": dt.date(2026, 8, 26)}, dt.date(2026, 9, 3)).status   # end of that day
'late'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

__all__ = [
    "STALE_AFTER_DAYS",
    "Freshness",
    "InputAge",
    "Status",
    "assess",
    "next_due",
]

Status = Literal["current", "late", "stale"]
_RANK: dict[Status, int] = {"current": 0, "late": 1, "stale": 2}

STALE_AFTER_DAYS: dict[str, int] = {"D": 14, "W": 21, "M": 62, "Q": 120, "A": 400}
"""Days past an input's due date before it counts as stale: about two weeks of missing daily
data, three missed weekly releases, two missed monthly ones, more than a missed quarter."""

EASTERN = "America/New_York"

PERIOD_DAYS: dict[str, int] = {"D": 1, "W": 7, "M": 31, "Q": 92, "A": 366}
"""Length of one period of each frequency (for ``mixed``)."""


def next_due(last: dt.date, frequency: str, lag_days: int) -> dt.date:
    """When the observation after ``last`` is expected from its publication lag alone (the
    release calendar, :func:`tidegauge.releases.due`, is what freshness uses).

    >>> next_due(dt.date(2026, 7, 1), "M", 45)   # CPI for August, mid-September
    datetime.date(2026, 9, 15)
    """
    from .releases import add_period

    return add_period(last, frequency) + dt.timedelta(days=lag_days)


@dataclass(frozen=True)
class InputAge:
    """One input of a figure: its last observation, when the next was due, its status."""

    id: str
    last: dt.date | None
    due: dt.date | None
    status: Status
    frequency: str | None = None
    due_at: dt.datetime | None = None
    """When the next observation is released (UTC), by the release calendar."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "last": self.last.isoformat() if self.last else None,
            "due": self.due.isoformat() if self.due else None,
            "due_at": self.due_at.isoformat() if self.due_at else None,
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
    at: dt.datetime | None = None,
    latest: Mapping[str, dt.date | None] | None = None,
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
    at
        The moment to judge at; default: now when ``report_date`` is today, else the end of
        ``report_date`` (US Eastern).
    latest
        The last observation of each series (when known): lateness asks whether the *series*
        has something new, so a figure that uses an earlier observation on purpose (ON RRP on
        the H.4.1 Wednesday, a comparison's end date) is not late for it.
    """
    from .releases import as_moment
    from .releases import due as release_due

    if catalog is None:
        from .catalog import CATALOG

        catalog = CATALOG
    if at is None:
        today = dt.date.today()
        at = dt.datetime.now(dt.UTC) if report_date == today else as_moment(report_date)
    ages: list[InputAge] = []
    for sid, last in inputs.items():
        info = catalog.get(sid)
        if last is None or info is None:
            ages.append(InputAge(sid, last, None, "current"))
            continue
        newest = max(last, (latest or {}).get(sid) or last)
        _, due_at = release_due(info, newest)
        status: Status = "current"
        if at > due_at + dt.timedelta(days=STALE_AFTER_DAYS[info.frequency]):
            status = "stale"
        elif at > due_at:
            status = "late"
        due_day = due_at.astimezone(ZoneInfo(info.release.tz if info.release else EASTERN)).date()
        ages.append(InputAge(sid, last, due_day, status, info.frequency, due_at))
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
