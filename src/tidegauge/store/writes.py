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
from .compact import (
    EPOCH_ORDINAL,
    day_number,
    iso_day,
    known_series_key,
    pack,
    series_key,
    stamp_key,
    unpack,
    wrote,
)
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
        key = series_key(conn, sid)
        days, values = _columns(obs)
        current = {
            d: (v, vf)
            for d, v, vf in conn.execute(
                "SELECT day, value, vf FROM obs WHERE series = ? AND day >= ? AND vt IS NULL",
                (key, days[0]),
            )
        }
        added: list[tuple[int, float | None]] = []
        closed: list[int] = []
        latest: set[int] = set()
        if not current:
            fresh = (
                not has_snapshot
                and not conn.execute(
                    "SELECT 1 FROM obs WHERE series = ? LIMIT 1", (key,)
                ).fetchone()
            )
            added = list(zip(days, values, strict=True))
            new = len(added)
        else:
            for d, v in zip(days, values, strict=True):
                known = current.get(d)
                if known is None:
                    added.append((d, v))
                    new += 1
                elif known[0] == v:
                    unchanged += 1
                else:
                    closed.append(d)
                    added.append((d, v))
                    latest.add(known[1])
                    revised += 1
        if added:
            if latest:  # another writer stamped later, or the clock went back
                (last,) = conn.execute(
                    f"SELECT MAX(at) FROM stamps WHERE key IN ({','.join('?' * len(latest))})",
                    sorted(latest),
                ).fetchone()
                if stamp <= last:
                    stamp = _after(last)
            vf = stamp_key(conn, stamp)
            conn.executemany(
                "UPDATE obs SET vt = ? WHERE series = ? AND day = ? AND vt IS NULL",
                [(vf, key, d) for d in closed],
            )
            conn.executemany(
                f"INSERT INTO obs (series, day, vf, value) VALUES ({key}, ?, {vf}, ?)", added
            )
            # the first day written (closed days are written too); every day, C-speed, when
            # the series had no current row (a first load: about 16 million days at 3,500 series)
            first = min(days) if not current else min(d for d, _ in added)
            wrote(conn, key, {vf: first})
    extent = None  # from the snapshot written now, else read from the stored one
    if fresh and isinstance(obs, ObservationArrays):
        extent = _put_snapshot(conn, sid, obs.days, obs.values)
    elif new or revised or not has_snapshot:
        extent = write_snapshot(conn, sid)
    shown = write_series_row(conn, result, source, stamp, extent=extent)
    if new or revised or shown:
        touch(conn)
    return ApplyStats(new, revised, unchanged)


def replace_history(
    conn: sqlite3.Connection, result: FetchResult, source: str, seen_at: str | None
) -> VintageStats:
    """Replace a series' rows with ALFRED vintages (see :meth:`Store.replace_vintages`); the
    caller has checked that every observation has its ``realtime_start``."""
    sid = result.series_id
    rows: list[tuple[str, float | None, str, str | None]] = []
    current: dict[str, float | None] = {}
    first_vintage: str | None = None
    for o in result.observations:
        assert o.realtime_start is not None
        d = o.date.isoformat()
        valid_to = None if o.realtime_end is None else day_start(o.realtime_end, 1)
        rows.append((d, o.value, day_start(o.realtime_start), valid_to))
        if valid_to is None:
            current[d] = o.value
        start = o.realtime_start.isoformat()
        first_vintage = start if first_vintage is None else min(first_vintage, start)
    old = conn.execute(
        "SELECT date, value, valid_from, valid_to FROM observations "
        "WHERE series_id = ? ORDER BY date, valid_from",
        (sid,),
    ).fetchall()
    before = {r[0] for r in old if r[3] is None}
    changed = old != sorted(rows, key=lambda r: (r[0], r[2]))
    if changed:
        key = series_key(conn, sid)
        conn.execute("DELETE FROM obs WHERE series = ?", (key,))
        conn.execute("DELETE FROM stamp_series WHERE series = ?", (key,))
        stamps: dict[str, int] = {}
        for _d, _v, vf, vt in rows:
            for at in (vf, vt):
                if at is not None and at not in stamps:
                    stamps[at] = stamp_key(conn, at)
        conn.executemany(
            "INSERT INTO obs (series, day, vf, vt, value) VALUES (?, ?, ?, ?, ?)",
            [
                (key, day_number(d), stamps[vf], None if vt is None else stamps[vt], v)
                for d, v, vf, vt in rows
            ],
        )
        first: dict[int, int] = {}
        for d, _v, vf, vt in rows:
            for at in (vf, vt) if vt is not None else (vf,):
                day = day_number(d)
                first[stamps[at]] = min(first.get(stamps[at], day), day)
        wrote(conn, key, first)
        extent = write_snapshot(conn, sid)
    else:
        extent = None
    shown = write_series_row(
        conn, result, source, seen_at or utc_now(), vintages="alfred", extent=extent
    )
    if changed or shown:
        touch(conn)
    return VintageStats(
        new=sum(1 for d in current if d not in before),
        revisions=sum(1 for r in rows if r[3] is not None),
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
    extent: Extent | None = None,
) -> bool:
    """Insert or refresh the ``series`` row from the current vintage (``extent``: that of the
    snapshot just written; ``None`` reads the stored one); ``vintages`` ``None``
    keeps the stored kind (``observed`` for a new series). Returns whether anything users see
    changed (a new row, or any column but ``fetched_at`` and ``source_stamp``, which is set to
    the fetch's: ``None`` when the source gives none)."""
    sid = result.series_id
    before = conn.execute(f"SELECT {_SHOWN} FROM series WHERE id = ?", (sid,)).fetchone()
    first, last, n = extent if extent is not None else _extent(conn, sid)
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


def _columns(obs: Sequence[Observation]) -> tuple[list[int], list[float | None]]:
    """Day numbers and values (``None`` = missing) of a fetch, from its arrays when it has
    them."""
    if isinstance(obs, ObservationArrays):
        days: list[int] = obs.days.astype("datetime64[D]").astype("int64").tolist()
        return days, obs.value_list()
    return [o.date.toordinal() - EPOCH_ORDINAL for o in obs], [o.value for o in obs]


Extent = tuple[str | None, str | None, int]
"""First and last date with a value, and how many values, in the current vintage."""


def _extent(conn: sqlite3.Connection, series_id: str) -> Extent:
    """The :data:`Extent` of the stored snapshot, else of the rows."""
    row = conn.execute(
        "SELECT days, vals FROM snapshots WHERE series_id = ?", (series_id,)
    ).fetchone()
    if row is None:
        first, last, n = conn.execute(
            "SELECT MIN(day), MAX(day), COUNT(*) FROM obs "
            "WHERE series = ? AND vt IS NULL AND value IS NOT NULL",
            (known_series_key(conn, series_id),),
        ).fetchone()
        return (None, None, 0) if not n else (iso_day(first), iso_day(last), int(n))
    return _extent_of(*unpack(*row))


def _extent_of(days: Any, vals: Any) -> Extent:
    import numpy as np

    valued = np.flatnonzero(~np.isnan(np.asarray(vals, dtype="<f8")))
    if not len(valued):
        return None, None, 0
    d = np.asarray(days).astype("datetime64[D]")
    return str(d[valued[0]]), str(d[valued[-1]]), len(valued)


def write_snapshot(conn: sqlite3.Connection, series_id: str) -> Extent:
    """Pack the current vintage of ``series_id`` into ``snapshots``; its extent."""
    import numpy as np

    rows = conn.execute(
        "SELECT day, value FROM obs WHERE series = ? AND vt IS NULL ORDER BY day",
        (known_series_key(conn, series_id),),
    ).fetchall()
    days = np.array([r[0] for r in rows], dtype="<i4").astype("datetime64[D]")
    vals = np.array([r[1] for r in rows], dtype="<f8")  # None becomes NaN
    return _put_snapshot(conn, series_id, days, vals)


def _put_snapshot(conn: sqlite3.Connection, series_id: str, days: Any, vals: Any) -> Extent:
    conn.execute(
        "INSERT INTO snapshots (series_id, days, vals) VALUES (?, ?, ?) "
        "ON CONFLICT(series_id) DO UPDATE SET days = excluded.days, vals = excluded.vals",
        (series_id, *pack(days, vals)),
    )
    return _extent_of(days, vals)
