"""The rows behind "What changed" (:func:`tidegauge.alerts.changes.changes`), read from the
compact tables (:mod:`tidegauge.store.compact`): new observations and revisions in a window of
stamps, per series.

There is no index on ``vf``: the series a window's stamps touched are named by
``stamp_series`` (migration 8), and only their rows from the first day touched are read; a
window that holds every stamp (a report after the first update) is counted from the snapshots.
"""

from __future__ import annotations

from typing import Any


def _first_loaded(conn: Any, sid: str, since: str) -> bool:
    """Whether the oldest row of ``sid`` was written after ``since`` (its first load): no stamp
    at or before ``since`` has a row of it (``stamp_series`` names the candidates, each checked
    by one look-up from its first day on)."""
    from ..store.compact import SERIES_KEY_SQL

    return not conn.execute(
        "SELECT 1 FROM stamp_series AS s JOIN stamps AS t ON t.key = s.stamp "
        f"WHERE s.series = {SERIES_KEY_SQL} AND t.at <= ? AND EXISTS (SELECT 1 FROM obs AS o "
        "WHERE o.series = s.series AND o.day >= s.day AND o.vf = s.stamp) LIMIT 1",
        (sid, since),
    ).fetchone()


_STAMPS = "(SELECT key FROM stamps WHERE at > ? AND at <= ?)"
"""SQL sub-query: the keys of the stamps in the window bound to the two ``?``."""

_TOUCHED = (
    f"(SELECT series, MIN(day) AS day FROM stamp_series WHERE stamp IN {_STAMPS} GROUP BY series)"
)
"""SQL: the series the window's stamps wrote or closed rows of, with the first day they did
(:func:`tidegauge.store.compact.stamp_series`; its two ``?`` are the window's)."""

_REPLACED_NOTHING = (
    "AND NOT EXISTS (SELECT 1 FROM obs AS o WHERE o.series = n.series AND o.day = n.day "
    "AND o.vt = n.vf) "
)
"""SQL: the row ``n`` closed no row (it is not a revision): no row ended at its own stamp."""

_EVERY_DAY = -(2**31)
"""A day before any stored day (a bound that keeps every row)."""


def _days_sql() -> str:
    """SQL of the ``(count, first, last, last valued date)`` of the rows ``n``."""
    from ..store.compact import ISO_SQL

    return (
        f"COUNT(*), {ISO_SQL.format('MIN(n.day)')}, {ISO_SQL.format('MAX(n.day)')}, "
        f"{ISO_SQL.format('MAX(CASE WHEN n.value IS NOT NULL THEN n.day END)')}"
    )


def _stamped_rows(conn: Any, window: tuple[str, str]) -> tuple[list[Any], list[Any]]:
    """``(revised, fresh)``: the rows stamped in ``window`` that replaced a value, and per series
    those for a date the store did not hold (count, first, last and last valued date).

    Only the series the window's stamps touched (``stamp_series``) are read, each by its key
    from the first day they touched and for those stamps only: after an update, its new and
    revised rows, not every row of the store. A row that replaced nothing is one no row was
    closed for by its own stamp; only a series with a revision in the window can have others.
    """
    revised = _revised_rows(conn, window, _TOUCHED, window)
    with_revisions = {r[0] for r in revised}
    touched: dict[int, tuple[int, list[int]]] = {}  # series key: (first day, its stamps)
    for stamp, key, day in conn.execute(
        f"SELECT stamp, series, day FROM stamp_series WHERE stamp IN {_STAMPS}", window
    ):
        first, stamps = touched.get(key, (day, []))
        touched[key] = (min(first, day), [*stamps, stamp])
    names = dict(conn.execute("SELECT key, id FROM series_keys").fetchall()) if touched else {}
    fresh: list[Any] = []
    for key, (first, stamps) in touched.items():
        replaced_nothing = _REPLACED_NOTHING if names[key] in with_revisions else ""
        row = conn.execute(  # (stamp keys: integers from the store, written into the SQL)
            f"SELECT {_days_sql()} FROM obs AS n WHERE n.series = ? AND n.day >= ? "
            f"AND n.vf IN ({','.join(str(int(s)) for s in stamps)}) {replaced_nothing}",
            (key, first),
        ).fetchone()
        if row[0]:
            fresh.append((names[key], *row))
    return revised, sorted(fresh)


def _revised_rows(
    conn: Any, window: tuple[str, str], among: str, params: tuple[Any, ...] = ()
) -> list[Any]:
    """The revisions in ``window``: ``(series id, date, old value, new value, vintage)``, of
    the series (and from the days) the SQL ``among`` (with ``params``) gives as ``(series,
    day)``: the only ones that can have one (read by their key, not by a scan of every row)."""
    from ..store.compact import ISO_SQL

    # A revision is a row closed inside the window (``vt``) and the row that replaced it, found
    # by its key (series, day, vf = the closing stamp): driven from the old rows (CROSS JOIN
    # keeps that order), so no row outside the window is probed.
    return list(
        conn.execute(
            f"SELECT k.id, {ISO_SQL.format('n.day')}, o.value, n.value, f.at FROM {among} AS t "
            "CROSS JOIN obs AS o ON o.series = t.series AND o.day >= t.day "
            "CROSS JOIN obs AS n ON n.series = o.series AND n.day = o.day AND n.vf = o.vt "
            "JOIN series_keys AS k ON k.key = n.series JOIN stamps AS f ON f.key = n.vf "
            f"WHERE o.vt IN {_STAMPS} ORDER BY k.id, n.day",
            (*params, *window),
        ).fetchall()
    )


def _series_rows(conn: Any, window: tuple[str, str], sid: str, *, revised: bool) -> list[Any]:
    """The ``fresh`` row of one series (none when it has no such rows): its rows stamped in
    ``window``, without those that replaced a value when it has ``revised`` ones there."""
    from ..store.compact import SERIES_KEY_SQL

    replaced_nothing = _REPLACED_NOTHING if revised else ""
    return list(
        conn.execute(
            f"SELECT k.id, {_days_sql()} FROM obs AS n JOIN series_keys AS k ON k.key = n.series "
            f"WHERE n.series = {SERIES_KEY_SQL} AND n.vf IN {_STAMPS} {replaced_nothing}"
            "GROUP BY k.id HAVING COUNT(*) > 0",
            (sid, *window),
        ).fetchall()
    )


def _holds_every_stamp(conn: Any, window: tuple[str, str]) -> bool:
    """Whether no stamp of the store is outside ``window``: then every row was written (and
    every closed row closed) inside it."""
    return not conn.execute(
        "SELECT 1 FROM stamps WHERE at <= ? UNION ALL SELECT 1 FROM stamps WHERE at > ? LIMIT 1",
        window,
    ).fetchone()


def _first_load_rows(conn: Any, window: tuple[str, str]) -> tuple[list[Any], list[Any]]:
    """:func:`_stamped_rows` for a window that holds every stamp (:func:`_holds_every_stamp`),
    without reading every row twice.

    Every row is then stamped in the window, so a series' ``fresh`` row sums all its rows,
    and every closed row (``vt``) was closed in it. A series without a closed row holds only
    current rows, which are exactly its packed snapshot (every write rewrites it, see
    :mod:`tidegauge.store.sqlite`): the snapshot's dates give its count, first and last date,
    and its rows' key the last date with a value. The series with a closed row (revisions, a
    history imported from ALFRED) and those without a snapshot are read by
    :func:`_series_rows` as :func:`_stamped_rows` reads them. Should the snapshots and those
    series not account for every row of the store, the general queries answer.
    """
    from ..store.compact import ISO_SQL, unpack_days

    closed = {k for (k,) in conn.execute("SELECT DISTINCT series FROM obs WHERE vt IS NOT NULL")}
    among = (  # the keys just read (integers from the store, written into the SQL)
        f"(SELECT key AS series, {_EVERY_DAY} AS day FROM series_keys "
        f"WHERE key IN ({','.join(str(int(k)) for k in sorted(closed))}))"
    )
    revised = _revised_rows(conn, window, among) if closed else []
    with_revisions = {r[0] for r in revised}
    snapshots = dict(conn.execute("SELECT series_id, days FROM snapshots").fetchall())
    fresh: list[Any] = []
    counted = 0  # the rows of the store the snapshots and the counted series account for
    for key, sid in conn.execute("SELECT key, id FROM series_keys ORDER BY id").fetchall():
        if key in closed or sid not in snapshots:
            fresh += _series_rows(conn, window, sid, revised=sid in with_revisions)
            (n,) = conn.execute("SELECT COUNT(*) FROM obs WHERE series = ?", (key,)).fetchone()
            counted += n
            continue
        days = unpack_days(snapshots[sid])
        if not len(days):
            continue
        valued = conn.execute(  # walks the key back from the last date
            f"SELECT {ISO_SQL.format('day')} FROM obs WHERE series = ? AND value IS NOT NULL "
            "ORDER BY day DESC LIMIT 1",
            (key,),
        ).fetchone()
        last_valued = valued[0] if valued else None
        fresh.append((sid, len(days), str(days.min()), str(days.max()), last_valued))
        counted += len(days)
    if counted != conn.execute("SELECT COUNT(*) FROM obs").fetchone()[0]:
        return _stamped_rows(conn, window)
    fresh.sort()
    return revised, fresh
