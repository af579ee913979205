"""The store's writes, each run inside the caller's ``BEGIN IMMEDIATE`` transaction.

Every timestamp a write stores is chosen here, under SQLite's write lock: a vintage is closed at
the moment its replacement opens, and that moment is later than the closed vintage's start even
when two updates fetched in the other order or the clock stepped back. So two processes updating
one store cannot interleave their vintage bookkeeping (``valid_from <= valid_to`` always; a
trigger refuses anything else, see :mod:`.schema`).

Every write that changes the stored content (observations, vintages, the series metadata shown
to users) replaces ``meta.content_token``; an update that fetched nothing new leaves it alone.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from typing import Any

from ..sources.base import FetchResult, Observation
from ..sources.columns import ObservationArrays
from .model import ApplyStats, VintageKind, VintageStats, day_start, utc_now

_SHOWN = "source, title, units, frequency, last_updated, first_date, last_date, n_obs, vintages"
"""Series columns that are stored content (``fetched_at`` and ``source_stamp`` are not: a no-op
update rewrites them)."""


def touch(conn: sqlite3.Connection) -> None:
    """Record that the stored content changed (a new random ``content_token``)."""
    conn.execute("UPDATE meta SET value = lower(hex(randomblob(16))) WHERE key = 'content_token'")


def _after(stamp: str) -> str:
    """The timestamp one microsecond after ``stamp`` (the store's ISO format)."""
    moment = dt.datetime.fromisoformat(stamp) + dt.timedelta(microseconds=1)
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def apply_fetch(
    conn: sqlite3.Connection, result: FetchResult, source: str, seen_at: str | None
) -> ApplyStats:
    """Merge one fetch (see :meth:`Store.apply`)."""
    sid = result.series_id
    obs = result.observations
    stamp = seen_at or utc_now()
    new = revised = unchanged = 0
    has_snapshot = conn.execute("SELECT 1 FROM snapshots WHERE series_id = ?", (sid,)).fetchone()
    fresh = False  # a series without any stored row: its snapshot is the fetch itself
    if obs:
        dates, values = _columns(obs)
        current = {
            d: (v, vf)
            for d, v, vf in conn.execute(
                "SELECT date, value, valid_from FROM observations "
                "WHERE series_id = ? AND valid_to IS NULL AND date >= ?",
                (sid, dates[0]),
            )
        }
        added: list[tuple[str, float | None]] = []
        closed: list[str] = []
        latest = ""
        if not current:
            fresh = (
                not has_snapshot
                and not conn.execute(
                    "SELECT 1 FROM observations WHERE series_id = ? LIMIT 1", (sid,)
                ).fetchone()
            )
            added = list(zip(dates, values, strict=True))
            new = len(added)
        else:
            for d, v in zip(dates, values, strict=True):
                known = current.get(d)
                if known is None:
                    added.append((d, v))
                    new += 1
                elif known[0] == v:
                    unchanged += 1
                else:
                    closed.append(d)
                    added.append((d, v))
                    latest = max(latest, known[1])
                    revised += 1
        if latest and stamp <= latest:  # another writer stamped later, or the clock went back
            stamp = _after(latest)
        conn.executemany(
            "UPDATE observations SET valid_to = ? "
            "WHERE series_id = ? AND date = ? AND valid_to IS NULL",
            [(stamp, sid, d) for d in closed],
        )
        conn.executemany(
            "INSERT INTO observations (series_id, date, value, valid_from) VALUES (?, ?, ?, ?)",
            ((sid, d, v, stamp) for d, v in added),
        )
    if fresh and isinstance(obs, ObservationArrays):
        _put_snapshot(conn, sid, obs.days, obs.values)
    elif new or revised or not has_snapshot:
        write_snapshot(conn, sid)
    shown = write_series_row(conn, result, source, stamp)
    if new or revised or shown:
        touch(conn)
    return ApplyStats(new, revised, unchanged)


def replace_history(
    conn: sqlite3.Connection, result: FetchResult, source: str, seen_at: str | None
) -> VintageStats:
    """Replace a series' rows with ALFRED vintages (see :meth:`Store.replace_vintages`); the
    caller has checked that every observation has its ``realtime_start``."""
    sid = result.series_id
    rows: list[tuple[str, str, float | None, str, str | None]] = []
    current: dict[str, float | None] = {}
    first_vintage: str | None = None
    for o in result.observations:
        assert o.realtime_start is not None
        d = o.date.isoformat()
        valid_to = None if o.realtime_end is None else day_start(o.realtime_end, 1)
        rows.append((sid, d, o.value, day_start(o.realtime_start), valid_to))
        if valid_to is None:
            current[d] = o.value
        start = o.realtime_start.isoformat()
        first_vintage = start if first_vintage is None else min(first_vintage, start)
    old = conn.execute(
        "SELECT series_id, date, value, valid_from, valid_to FROM observations "
        "WHERE series_id = ? ORDER BY date, valid_from",
        (sid,),
    ).fetchall()
    before = {r[1] for r in old if r[4] is None}
    changed = old != sorted(rows, key=lambda r: (r[1], r[3]))
    if changed:
        conn.execute("DELETE FROM observations WHERE series_id = ?", (sid,))
        conn.executemany(
            "INSERT INTO observations (series_id, date, value, valid_from, valid_to) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        write_snapshot(conn, sid)
    shown = write_series_row(conn, result, source, seen_at or utc_now(), vintages="alfred")
    if changed or shown:
        touch(conn)
    return VintageStats(
        new=sum(1 for d in current if d not in before),
        revisions=sum(1 for r in rows if r[4] is not None),
        rows=len(rows),
        first_vintage=first_vintage,
    )


def write_series_row(
    conn: sqlite3.Connection,
    result: FetchResult,
    source: str,
    seen_at: str,
    *,
    vintages: VintageKind | None = None,
) -> bool:
    """Insert or refresh the ``series`` row from the current vintage; ``vintages`` ``None``
    keeps the stored kind (``observed`` for a new series). Returns whether anything users see
    changed (a new row, or any column but ``fetched_at`` and ``source_stamp``, which is set to
    the fetch's: ``None`` when the source gives none)."""
    sid = result.series_id
    before = conn.execute(f"SELECT {_SHOWN} FROM series WHERE id = ?", (sid,)).fetchone()
    first, last, n = conn.execute(
        "SELECT MIN(date), MAX(date), COUNT(*) FROM observations "
        "WHERE series_id = ? AND valid_to IS NULL AND value IS NOT NULL",
        (sid,),
    ).fetchone()
    meta = result.meta
    conn.execute(
        "INSERT INTO series (id, source, title, units, frequency, last_updated, "
        "fetched_at, first_date, last_date, n_obs, vintages, source_stamp) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,COALESCE(?, 'observed'),?) "
        "ON CONFLICT(id) DO UPDATE SET source=excluded.source, "
        "title=COALESCE(excluded.title, series.title), "
        "units=COALESCE(excluded.units, series.units), "
        "frequency=COALESCE(excluded.frequency, series.frequency), "
        "last_updated=COALESCE(excluded.last_updated, series.last_updated), "
        "fetched_at=excluded.fetched_at, first_date=excluded.first_date, "
        "last_date=excluded.last_date, n_obs=excluded.n_obs, "
        "vintages=COALESCE(?, series.vintages), source_stamp=excluded.source_stamp",
        (
            sid,
            source,
            meta.title if meta else None,
            meta.units if meta else None,
            meta.frequency if meta else None,
            meta.last_updated if meta else None,
            seen_at,
            first,
            last,
            n,
            vintages,
            result.stamp,
            vintages,
        ),
    )
    after = conn.execute(f"SELECT {_SHOWN} FROM series WHERE id = ?", (sid,)).fetchone()
    return bool(before != after)


def _columns(obs: Sequence[Observation]) -> tuple[list[str], list[float | None]]:
    """ISO dates and values (``None`` = missing) of a fetch, from its arrays when it has them."""
    if isinstance(obs, ObservationArrays):
        return obs.iso_dates(), obs.value_list()
    return [o.date.isoformat() for o in obs], [o.value for o in obs]


def write_snapshot(conn: sqlite3.Connection, series_id: str) -> None:
    """Pack the current vintage of ``series_id`` into ``snapshots``."""
    import numpy as np

    rows = conn.execute(
        "SELECT date, value FROM observations WHERE series_id = ? AND valid_to IS NULL "
        "ORDER BY date",
        (series_id,),
    ).fetchall()
    days = np.array([r[0] for r in rows], dtype="datetime64[D]")
    vals = np.array([r[1] for r in rows], dtype="<f8")  # None becomes NaN
    _put_snapshot(conn, series_id, days, vals)


def _put_snapshot(conn: sqlite3.Connection, series_id: str, days: Any, vals: Any) -> None:
    days = days.astype("datetime64[D]").astype("<i4")
    vals = vals.astype("<f8")
    conn.execute(
        "INSERT INTO snapshots (series_id, days, vals) VALUES (?, ?, ?) "
        "ON CONFLICT(series_id) DO UPDATE SET days = excluded.days, vals = excluded.vals",
        (series_id, days.tobytes(), vals.tobytes()),
    )
