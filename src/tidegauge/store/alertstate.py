"""Alert bookkeeping in the store: rule states, fired alerts and their deliveries per channel.

Three small tables, created by the store's ``alert tables`` migration
(:mod:`tidegauge.store.schema`):

``alert_rules(rule, signature, state, updated_at)``
    The state each rule keeps between checks (JSON), and the digest of the rule's definition:
    a changed rule starts again from a baseline.
``alert_events(id, key, rule, fired_at, payload)``
    Every alert that fired, once: ``key`` is unique (rule, observation date, state), so a check
    repeated after a restart finds the alert already recorded and records nothing.
``alert_deliveries(event_id, channel, status, attempts, last_error, sent_at)``
    One row per alert and channel: ``pending`` until the channel accepted it, then ``sent``.

An alert, its deliveries and the rule states advance in one transaction, before anything is
sent: if the store cannot be written nothing is sent (and the next check finds the alert
again); a delivery is marked sent right after the channel accepted it. Delivery is therefore
at least once, and exactly once per channel unless the store fails between the two steps.

The update log's run marks (``meta`` rows ``update.last_started`` and ``update.previous_started``)
live here too: ``tidegauge changes --since last-update`` reads them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .model import utc_now
from .sqlite import Store

__all__ = [
    "AlertState",
    "Delivery",
    "create_alert_tables",
    "data_fingerprint",
    "last_update_started",
    "mark_update",
]


def create_alert_tables(conn: sqlite3.Connection) -> None:
    """Create the alert tables if they are missing (the ``alert tables`` migration of
    :mod:`tidegauge.store.schema` does this for every store; kept for callers with a bare
    connection)."""
    from .schema import _alert_tables

    _alert_tables(conn)


@dataclass(frozen=True)
class Delivery:
    """A pending delivery: the alert (its stored payload) and the channel it is owed to."""

    event_id: int
    key: str
    channel: str
    payload: dict[str, Any]
    attempts: int
    last_error: str | None


class AlertState:
    """The alert tables of one store (see the module docstring).

    Raises :class:`~tidegauge.errors.StoreError` when the store cannot be written.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._conn = store._conn  # the store's reader; writes go through store._write()

    def rule_states(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """``{rule: (signature, state)}``."""
        rows = self._conn.execute("SELECT rule, signature, state FROM alert_rules").fetchall()
        return {r[0]: (r[1], json.loads(r[2])) for r in rows}

    def record(
        self,
        fired: Iterable[tuple[str, str, dict[str, Any], Iterable[str]]],
        states: Mapping[str, tuple[str, Mapping[str, Any]]],
    ) -> list[str]:
        """In one transaction: the fired alerts ``(key, rule, payload, channels)`` with a pending
        delivery per channel (an alert whose key is already recorded is skipped), and the rules'
        new states. Returns the keys that were new."""
        now = utc_now()
        new: list[str] = []
        with self.store._write() as conn:
            for key, rule, payload, channels in fired:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO alert_events (key, rule, fired_at, payload) "
                    "VALUES (?, ?, ?, ?)",
                    (key, rule, now, json.dumps(payload, ensure_ascii=False)),
                )
                if cur.rowcount != 1:
                    continue
                new.append(key)
                conn.executemany(
                    "INSERT INTO alert_deliveries (event_id, channel) VALUES (?, ?)",
                    [(cur.lastrowid, ch) for ch in channels],
                )
            conn.executemany(
                "INSERT INTO alert_rules (rule, signature, state, updated_at) VALUES (?,?,?,?) "
                "ON CONFLICT(rule) DO UPDATE SET signature = excluded.signature, "
                "state = excluded.state, updated_at = excluded.updated_at",
                [(r, sig, json.dumps(st), now) for r, (sig, st) in states.items()],
            )
        return new

    def pending(self, channels: Iterable[str] | None = None) -> list[Delivery]:
        """Deliveries not yet accepted by their channel, oldest first."""
        rows = self._conn.execute(
            "SELECT d.event_id, e.key, d.channel, e.payload, d.attempts, d.last_error "
            "FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id "
            "WHERE d.status = 'pending' ORDER BY d.event_id, d.channel"
        ).fetchall()
        wanted = set(channels) if channels is not None else None
        return [
            Delivery(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5])
            for r in rows
            if wanted is None or r[2] in wanted
        ]

    def mark_sent(self, d: Delivery) -> None:
        with self.store._write() as conn:
            conn.execute(
                "UPDATE alert_deliveries SET status = 'sent', attempts = attempts + 1, "
                "sent_at = ?, last_error = NULL WHERE event_id = ? AND channel = ?",
                (utc_now(), d.event_id, d.channel),
            )

    def mark_failed(self, d: Delivery, error: str) -> None:
        with self.store._write() as conn:
            conn.execute(
                "UPDATE alert_deliveries SET attempts = attempts + 1, last_error = ? "
                "WHERE event_id = ? AND channel = ?",
                (error[:500], d.event_id, d.channel),
            )

    def events(self, limit: int = 100) -> list[dict[str, Any]]:
        """The latest fired alerts with the status of each channel, newest first."""
        rows = self._conn.execute(
            "SELECT id, key, fired_at, payload FROM alert_events ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        out = []
        for eid, key, fired_at, payload in rows:
            chans = self._conn.execute(
                "SELECT channel, status, attempts, last_error FROM alert_deliveries "
                "WHERE event_id = ? ORDER BY channel",
                (eid,),
            ).fetchall()
            out.append(
                {
                    "key": key,
                    "fired_at": fired_at,
                    "payload": json.loads(payload),
                    "channels": {
                        c: {"status": s, "attempts": a, "error": e} for c, s, a, e in chans
                    },
                }
            )
        return out


def mark_update(store: Store, started: str) -> None:
    """Record the start of an update run (``changes --since last-update`` reads it)."""
    with store._write() as conn:
        conn.execute(
            "INSERT INTO meta (key, value) SELECT 'update.previous_started', value FROM meta "
            "WHERE key = 'update.last_started' "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        )
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('update.last_started', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (started,),
        )


def last_update_started(store: Store) -> str | None:
    """When the last update run started (UTC ISO timestamp), or ``None``."""
    row = store._conn.execute("SELECT value FROM meta WHERE key = 'update.last_started'").fetchone()
    return str(row[0]) if row else None


def data_fingerprint(store: Store, ids: Iterable[str]) -> str:
    """A digest of the current values of ``ids`` (their packed snapshots): equal digests, equal
    data — a replay computed for one store serves another that holds the same values."""
    import hashlib

    wanted = sorted(set(ids))
    digest = hashlib.sha256()
    if wanted:
        rows = store._conn.execute(
            f"SELECT series_id, days, vals FROM snapshots WHERE series_id IN "
            f"({','.join('?' * len(wanted))}) ORDER BY series_id",
            wanted,
        )
        for sid, days, vals in rows:
            digest.update(sid.encode() + b"\0" + bytes(days) + bytes(vals))
    return digest.hexdigest()
