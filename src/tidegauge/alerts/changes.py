"""What changed: new observations, revisions and signal changes between two moments.

Everything comes from the store's vintages (what tidegauge knew at each moment):

* **new observations** — rows first seen after ``since`` for a date the store did not hold;
* **revisions** — rows that replaced a value after ``since``: the old and the new value and
  the vintage (when tidegauge saw the new value);
* **signal changes** — each state signal (:mod:`tidegauge.alerts.signals`: the regime, the
  reserves gauge crossing scarce/ample/abundant, funding stress, the checklist verdict) read
  from what the store knew at ``since`` and at ``until``. A signal whose inputs the store did
  not hold at ``since`` is not compared (its first reading is not a change).

``tidegauge changes`` prints it, and the report and the dashboard show it as their first
section ("What changed").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..catalog import CATALOG
from ..errors import NoDataError
from .changed_rows import (
    _first_load_rows,
    _first_loaded,
    _holds_every_stamp,
    _stamped_rows,
)
from .signals import SIGNALS, Reading

__all__ = ["Changes", "NewObservations", "Revision", "SignalChange", "changes", "resolve_since"]

STATE_SIGNALS = ("regime", "reserves_gauge", "funding_stress", "checklist_verdict")
"""The signals whose changes are listed (crossings of the reserves gauge and funding stress)."""


@dataclass(frozen=True)
class NewObservations:
    series_id: str
    count: int
    first: dt.date
    last: dt.date
    value: float | None
    unit: str
    first_load: bool = False
    """Every observation of the series arrived in the window (it was loaded for the first
    time), so "new" means "newly stored", not "newly published"."""


@dataclass(frozen=True)
class Revision:
    series_id: str
    date: dt.date
    old: float | None
    new: float | None
    vintage: str
    unit: str


@dataclass(frozen=True)
class SignalChange:
    signal: str
    before: Reading
    after: Reading


@dataclass
class Changes:
    """What changed between ``since`` and ``until`` (UTC ISO timestamps)."""

    since: str
    until: str
    new: list[NewObservations] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    signals: list[SignalChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new or self.revisions or self.signals)

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "new_observations": [
                {
                    "series_id": n.series_id,
                    "count": n.count,
                    "first": n.first.isoformat(),
                    "last": n.last.isoformat(),
                    "value": n.value,
                    "unit": n.unit,
                    "first_load": n.first_load,
                }
                for n in self.new
            ],
            "revisions": [
                {
                    "series_id": r.series_id,
                    "date": r.date.isoformat(),
                    "old": r.old,
                    "new": r.new,
                    "vintage": r.vintage,
                    "unit": r.unit,
                }
                for r in self.revisions
            ],
            "signals": [
                {"signal": c.signal, "before": c.before.to_dict(), "after": c.after.to_dict()}
                for c in self.signals
            ],
        }


def resolve_since(store: Any, since: str | dt.date | dt.datetime | None) -> str:
    """``None`` / ``"last-update"``: the start of the last update run; a date: its start (US
    Eastern); a datetime as given. Returns the store's timestamp key."""
    from ..releases import as_moment
    from ..store import as_of_key
    from ..store.alertstate import last_update_started

    if since is None or since == "last-update":
        started = last_update_started(store)
        if started is None:
            raise NoDataError.t("errors.changes.no_update")
        return started
    if isinstance(since, str):
        since = dt.date.fromisoformat(since)
    if not isinstance(since, dt.datetime):
        since = as_moment(since - dt.timedelta(days=1))  # the end of the day before
    return str(as_of_key(since))


def _canonical(sid: str, value: float | None) -> float | None:
    info = CATALOG.get(sid)
    return value if value is None or info is None else info.to_canonical(value)


def _unit(sid: str) -> str:
    info = CATALOG.get(sid)
    return info.unit if info is not None else ""


def changes(tg: Any, since: str, until: str | None = None) -> Changes:
    """What changed in ``tg``'s store between the timestamps ``since`` and ``until`` (now).

    Parameters
    ----------
    tg
        A :class:`~tidegauge.Tidegauge` session.
    since, until
        UTC ISO timestamps (:func:`resolve_since`); ``until`` defaults to now.
    """
    from ..store import utc_now
    from ..store.compact import DAY_SQL, SERIES_KEY_SQL

    until = until or utc_now()
    conn = tg.store._conn
    window = (since, until)
    # There is no index on ``vf``: the rows of a window are read per series, for the series its
    # stamps wrote (``stamp_series``). A window in which the store stamped nothing (the usual
    # report: no new data since the last update) has no rows to find, which the small stamps
    # table tells at once; a window holding every stamp (a report after the first update) has
    # every row, counted from the snapshots.
    stamped = bool(
        conn.execute("SELECT 1 FROM stamps WHERE at > ? AND at <= ? LIMIT 1", window).fetchone()
    )
    everything = stamped and _holds_every_stamp(conn, window)
    revised: list[Any] = []
    fresh: list[Any] = []
    if everything:  # every row of the store was written in the window
        revised, fresh = _first_load_rows(conn, window)
    elif stamped:
        revised, fresh = _stamped_rows(conn, window)
    out = Changes(since, until)
    for sid, date, old, value, valid_from in revised:
        out.revisions.append(
            Revision(
                sid,
                dt.date.fromisoformat(date),
                _canonical(sid, old),
                _canonical(sid, value),
                valid_from,
                _unit(sid),
            )
        )
    for sid, count, first, last, last_valued in fresh:
        value = None
        if last_valued is not None:
            row = conn.execute(
                "SELECT o.value FROM obs AS o JOIN stamps AS f ON f.key = o.vf "
                f"WHERE o.series = {SERIES_KEY_SQL} AND o.day = {DAY_SQL.format('?')} "
                "AND f.at <= ? ORDER BY f.at DESC LIMIT 1",
                (sid, last_valued, until),
            ).fetchone()
            value = _canonical(sid, row[0]) if row else None
        out.new.append(
            NewObservations(
                sid,
                int(count),
                dt.date.fromisoformat(first),
                dt.date.fromisoformat(last),
                value,
                _unit(sid),
                first_load=everything or _first_loaded(conn, sid, since),
            )
        )
    touched = {r[0] for r in revised} | {r[0] for r in fresh}
    out.signals = _signal_changes(tg, since, until, touched)
    return out


def _signal_changes(tg: Any, since: str, until: str, touched: set[str]) -> list[SignalChange]:
    """Readings of the state signals whose inputs changed, from what the store knew at
    ``since`` and at ``until``."""
    wanted = [SIGNALS[s] for s in STATE_SIGNALS if touched & set(SIGNALS[s].inputs)]
    conn = tg.store._conn
    held = conn.execute("SELECT 1 FROM stamps WHERE at <= ? LIMIT 1", (since,)).fetchone()
    if not wanted or not held:
        return []  # no input changed, or the store held nothing at ``since``
    ids = list(dict.fromkeys(i for s in wanted for i in s.inputs if tg.store.has(i)))
    known_then = conn.execute(
        "SELECT DISTINCT series_id FROM observations WHERE valid_from <= ? AND "
        f"series_id IN ({','.join('?' * len(ids))})",
        (since, *ids),
    ).fetchall()
    ids = [i for i in ids if (i,) in set(known_then)]
    if not ids:  # the store held none of the inputs then: nothing to compare
        return []
    before_frame = tg.load(ids, as_of=dt.datetime.fromisoformat(since), fetch_missing=False)
    after_frame = tg.load(ids, as_of=dt.datetime.fromisoformat(until), fetch_missing=False)
    day_before = dt.datetime.fromisoformat(since).date()
    day_after = dt.datetime.fromisoformat(until).date()
    out = []
    for sig in wanted:
        if not all(i in ids for i in sig.inputs if tg.store.has(i)):
            continue  # an input the store did not hold then
        before = {i: before_frame[i].dropna() for i in sig.inputs if i in before_frame}
        if any(s.empty for s in before.values()):
            continue
        after = {i: after_frame[i].dropna() for i in sig.inputs if i in after_frame}
        old, new = sig.read(before, day_before), sig.read(after, day_after)
        if old is not None and new is not None and old.state != new.state:
            out.append(SignalChange(sig.id, old, new))
    return out
