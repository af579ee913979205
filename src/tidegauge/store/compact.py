"""The compact observations table (migration 7), the series each stamp wrote (migration 8) and
the packed snapshots.

Before version 7 every stored observation was one row of text keys: the series id, the ISO date
and two ISO timestamps, plus an index of the current rows, about 155 bytes per observation.
Version 7 stores the same facts with integer keys:

``series_keys(key, id)``
    a small integer per series id (never reused, survives ``VACUUM``);
``stamps(key, at)``
    a small integer per distinct vintage timestamp (the store's UTC ISO text, unchanged);
``obs(series, day, vf, vt, value)``
    one row per (series, date, vintage): ``day`` is the date as days since 1970-01-01, ``vf`` and
    ``vt`` are stamp keys (``vt`` ``NULL`` while current), ``value`` the native value (``NULL`` =
    missing). ``WITHOUT ROWID``, keyed ``(series, day, vf)``; no secondary index.

``observations`` stays, as a view with the old columns over these tables, with ``INSTEAD OF``
triggers, so every query written against it (and a user's own SQL) keeps working; the store's
hot paths use the tables directly. A vintage still never ends before it starts: a trigger on
``obs`` compares the stamps when a vintage is closed (and the view's insert trigger when a row
comes with its ``valid_to``); the store's own inserts of closed vintages (ALFRED imports) end a
day after they start by construction. Inserts into ``obs`` carry no trigger: one would double
the cost of loading a series.

Snapshots (the current vintage of a series, see :mod:`.sqlite`) are packed as zlib-compressed
int32 day *differences* and float64 values: a daily series' days compress to almost nothing.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import zlib
from collections.abc import Mapping
from typing import Any

EPOCH_ORDINAL = 719163
"""``datetime.date(1970, 1, 1).toordinal()``."""

DAY_SQL = "CAST(julianday({}) - 2440587.5 AS INTEGER)"
"""SQL turning an ISO date into the day number (exact: midnight is a half Julian day)."""

ISO_SQL = "date({} * 86400, 'unixepoch')"
"""SQL turning a day number into its ISO date."""

_CHECK = (
    "WHEN NEW.vt IS NOT NULL AND (SELECT at FROM stamps WHERE key = NEW.vt) < "
    "(SELECT at FROM stamps WHERE key = NEW.vf) "
    "BEGIN SELECT RAISE(ABORT, 'valid_to before valid_from'); END"
)

_KEY_OF = "SELECT key FROM series_keys WHERE id = {}"
_STAMP_OF = "SELECT key FROM stamps WHERE at = {}"
_KEY = f"({_KEY_OF})"
_STAMP = f"({_STAMP_OF})"

SERIES_KEY_SQL = _KEY.format("?")
"""SQL sub-query: the key of the series id bound to ``?``."""

DDL = (
    "CREATE TABLE series_keys (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)",
    "CREATE TABLE stamps (key INTEGER PRIMARY KEY, at TEXT NOT NULL UNIQUE)",
    """CREATE TABLE obs (
        series INTEGER NOT NULL,
        day INTEGER NOT NULL,
        vf INTEGER NOT NULL,
        vt INTEGER,
        value REAL,
        PRIMARY KEY (series, day, vf)
    ) WITHOUT ROWID""",
    f"CREATE TRIGGER obs_valid_period_update BEFORE UPDATE ON obs {_CHECK}",
)

VIEW = (
    f"""CREATE VIEW observations (series_id, date, value, valid_from, valid_to) AS
        SELECT k.id, {ISO_SQL.format("o.day")}, o.value, f.at, t.at
        FROM obs AS o JOIN series_keys AS k ON k.key = o.series
        JOIN stamps AS f ON f.key = o.vf LEFT JOIN stamps AS t ON t.key = o.vt""",
    f"""CREATE TRIGGER observations_insert INSTEAD OF INSERT ON observations BEGIN
        INSERT OR IGNORE INTO series_keys (id) VALUES (NEW.series_id);
        INSERT OR IGNORE INTO stamps (at) VALUES (NEW.valid_from);
        INSERT OR IGNORE INTO stamps (at) SELECT NEW.valid_to WHERE NEW.valid_to IS NOT NULL;
        SELECT RAISE(ABORT, 'valid_to before valid_from') WHERE NEW.valid_to < NEW.valid_from;
        INSERT INTO obs (series, day, vf, vt, value) VALUES ({_KEY.format("NEW.series_id")},
            {DAY_SQL.format("NEW.date")}, {_STAMP.format("NEW.valid_from")},
            {_STAMP.format("NEW.valid_to")}, NEW.value);
    END""",
    f"""CREATE TRIGGER observations_update INSTEAD OF UPDATE ON observations BEGIN
        SELECT RAISE(ABORT, 'only value and valid_to of an observation can change')
            WHERE NEW.series_id IS NOT OLD.series_id OR NEW.date IS NOT OLD.date
               OR NEW.valid_from IS NOT OLD.valid_from;
        INSERT OR IGNORE INTO stamps (at) SELECT NEW.valid_to WHERE NEW.valid_to IS NOT NULL;
        UPDATE obs SET value = NEW.value, vt = {_STAMP.format("NEW.valid_to")}
            WHERE series = {_KEY.format("OLD.series_id")} AND day = {DAY_SQL.format("OLD.date")}
              AND vf = {_STAMP.format("OLD.valid_from")};
    END""",
    f"""CREATE TRIGGER observations_delete INSTEAD OF DELETE ON observations BEGIN
        DELETE FROM obs WHERE series = {_KEY.format("OLD.series_id")}
            AND day = {DAY_SQL.format("OLD.date")} AND vf = {_STAMP.format("OLD.valid_from")};
    END""",
)


def compact_observations(conn: sqlite3.Connection) -> None:
    """Migration 7: move the rows of the text-keyed ``observations`` table into ``obs`` (every
    value, vintage and timestamp kept), replace the table with the view and repack the
    snapshots."""
    for statement in DDL:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO series_keys (id) SELECT DISTINCT series_id FROM observations "
        "ORDER BY series_id"
    )
    conn.execute(
        "INSERT INTO stamps (at) SELECT valid_from FROM observations UNION "
        "SELECT valid_to FROM observations WHERE valid_to IS NOT NULL ORDER BY 1"
    )
    conn.execute(
        f"""INSERT INTO obs (series, day, vf, vt, value)
            SELECT k.key, {DAY_SQL.format("o.date")}, f.key, t.key, o.value
            FROM observations AS o JOIN series_keys AS k ON k.id = o.series_id
            JOIN stamps AS f ON f.at = o.valid_from LEFT JOIN stamps AS t ON t.at = o.valid_to
            ORDER BY 1, 2, 3"""
    )
    conn.execute("DROP TABLE observations")  # its index and triggers go with it
    for statement in VIEW:
        conn.execute(statement)
    import numpy as np

    for sid, days, vals in conn.execute("SELECT series_id, days, vals FROM snapshots").fetchall():
        packed = pack(np.frombuffer(days, dtype="<i4"), np.frombuffer(vals, dtype="<f8"))
        conn.execute("UPDATE snapshots SET days = ?, vals = ? WHERE series_id = ?", (*packed, sid))


_WROTE = (
    "INSERT INTO stamp_series (stamp, series, day) SELECT {stamp}, "
    f"{_KEY.format('NEW.series_id')}, {DAY_SQL.format('{day}')} WHERE {{at}} IS NOT NULL "
    "ON CONFLICT (stamp, series) DO UPDATE SET day = min(day, excluded.day)"
)
"""SQL of a view trigger: the series wrote (or closed) the row of date ``{day}`` under the
timestamp ``{at}`` (whose key is ``{stamp}``)."""


def stamp_series(conn: sqlite3.Connection) -> None:
    """Migration 8: ``stamp_series(stamp, series, day)``, the series each stamp wrote rows under
    (as ``vf``) or closed rows with (as ``vt``), and a day at or before the first such row,
    filled from ``obs``. "What changed" in a window then reads the rows of the series its stamps
    touched from that day on (an update's new and revised rows) instead of every row of the
    store (no index on ``vf``: about 3.5 s at 3,500 series). Every write records its stamps:
    the store's own writes (:func:`wrote`) and, from now on, the ``observations`` view's
    triggers. (A row deleted later leaves its stamp listed: the list may hold more, never
    less.)"""
    conn.execute(
        "CREATE TABLE stamp_series (stamp INTEGER NOT NULL, series INTEGER NOT NULL, "
        "day INTEGER NOT NULL, PRIMARY KEY (stamp, series)) WITHOUT ROWID"
    )
    conn.execute("CREATE INDEX stamp_series_by_series ON stamp_series (series)")  # first loads
    conn.execute(
        "INSERT INTO stamp_series (stamp, series, day) "
        "SELECT stamp, series, MIN(day) FROM (SELECT vf AS stamp, series, day FROM obs "
        "UNION ALL SELECT vt, series, day FROM obs WHERE vt IS NOT NULL) GROUP BY stamp, series"
    )
    rows = {
        "observations_insert": (("NEW.valid_from", "NEW.date"), ("NEW.valid_to", "NEW.date")),
        "observations_update": (("NEW.valid_to", "OLD.date"),),
    }
    for sql in VIEW[1:3]:  # the view's insert and update triggers, as migration 7 made them
        name = sql.split("TRIGGER ", 1)[1].split()[0]
        body, end = sql.rsplit("END", 1)
        added = "".join(
            f"    {_WROTE.format(stamp=_STAMP.format(at), at=at, day=day)};\n    "
            for at, day in rows[name]
        )
        conn.execute(f"DROP TRIGGER {name}")
        conn.execute(f"{body}{added}END{end}")


def wrote(conn: sqlite3.Connection, key: int, first_days: Mapping[int, int]) -> None:
    """Record that series ``key`` wrote or closed rows under each stamp of ``first_days``, from
    the day it maps to on (:func:`stamp_series`)."""
    conn.executemany(
        "INSERT INTO stamp_series (stamp, series, day) VALUES (?, ?, ?) "
        "ON CONFLICT (stamp, series) DO UPDATE SET day = min(day, excluded.day)",
        [(stamp, key, day) for stamp, day in first_days.items()],
    )


def reclaim(conn: sqlite3.Connection) -> bool:
    """``VACUUM`` a store that is more than a quarter free pages (after migration 7 the old
    table's pages are free: the file would keep its old size). Best effort: a busy store or a
    full disk leaves it as it is (``VACUUM`` is one transaction). Returns whether it ran."""
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    if free < 64 or free * 4 < pages:
        return False
    try:
        conn.execute("VACUUM")
    except sqlite3.OperationalError:
        return False
    return True


# --------------------------------------------------------------------------- keys


def series_key(conn: sqlite3.Connection, series_id: str) -> int:
    """The integer key of ``series_id`` (created on first use)."""
    conn.execute("INSERT OR IGNORE INTO series_keys (id) VALUES (?)", (series_id,))
    return int(conn.execute(_KEY_OF.format("?"), (series_id,)).fetchone()[0])


def known_series_key(conn: sqlite3.Connection, series_id: str) -> int | None:
    """The key of ``series_id``, or ``None`` when the store never held it (reads only)."""
    row = conn.execute(_KEY_OF.format("?"), (series_id,)).fetchone()
    return None if row is None else int(row[0])


def stamp_key(conn: sqlite3.Connection, at: str) -> int:
    """The integer key of the timestamp ``at`` (created on first use)."""
    conn.execute("INSERT OR IGNORE INTO stamps (at) VALUES (?)", (at,))
    return int(conn.execute(_STAMP_OF.format("?"), (at,)).fetchone()[0])


def day_number(iso: str) -> int:
    """The day number of an ISO date.

    >>> day_number("1970-01-02"), day_number("1954-07-01")
    (1, -5663)
    """
    return dt.date.fromisoformat(iso).toordinal() - EPOCH_ORDINAL


def iso_day(day: int) -> str:
    """The ISO date of a day number.

    >>> iso_day(1), iso_day(-5663)
    ('1970-01-02', '1954-07-01')
    """
    return dt.date.fromordinal(day + EPOCH_ORDINAL).isoformat()


# --------------------------------------------------------------------------- snapshots


def pack(days: Any, vals: Any) -> tuple[bytes, bytes]:
    """``(days, values)`` arrays → the two snapshot BLOBs (zlib of int32 day differences, the
    first difference from day 0, and zlib of float64 values)."""
    import numpy as np

    d = np.asarray(days).astype("datetime64[D]").astype("<i4")
    steps = np.diff(d, prepend=np.int32(0)).astype("<i4")
    v = np.asarray(vals).astype("<f8")
    return zlib.compress(steps.tobytes(), 1), zlib.compress(v.tobytes(), 1)


def unpack(days: bytes, vals: bytes) -> tuple[Any, Any]:
    """The snapshot BLOBs → ``(datetime64[D] dates, float64 values)`` (see :func:`pack`)."""
    import numpy as np

    return unpack_days(days), np.frombuffer(zlib.decompress(vals), dtype="<f8")


def unpack_days(days: bytes) -> Any:
    """The snapshot's ``days`` BLOB → its ``datetime64[D]`` dates (the cheap half of
    :func:`unpack`: the values are most of the unpacking)."""
    import numpy as np

    steps = np.frombuffer(zlib.decompress(days), dtype="<i4")
    return np.cumsum(steps, dtype="<i4").astype("datetime64[D]")
