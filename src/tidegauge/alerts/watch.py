"""The watch: fetch what the release calendar says is due, check the rules, deliver alerts.

One round (:func:`run_round`, ``tidegauge watch --once``):

1. **update** the series whose next release is due (:func:`tidegauge.releases.due`) or that the
   store lacks — the rules' inputs, the ``[watch] ids`` of the rules file and the catalog series
   already in the store; a failed source is logged and tried again next round;
2. **check** each rule on its signal's current reading and record the alerts that fire, their
   deliveries and the rules' states in one transaction (:mod:`tidegauge.store.alertstate`): an
   alert fires once, a restart records nothing twice;
3. **deliver** every pending delivery (new or left from an earlier round); a channel that fails
   is logged, its alerts stay pending and are tried again next round.

If the store cannot be written (read-only, full disk, locked), nothing is recorded or sent and
the round ends; the next one finds the same alerts. :func:`watch` repeats rounds until stopped
(SIGINT/SIGTERM set its ``stop`` event), sleeping until the next release or the interval.
Nothing here raises for a failed source, store or channel: each is one log line.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import StoreError, TidegaugeError
from ..i18n import t
from .channels import Channel, DeliveryError, make_channel
from .engine import Alert, step
from .rules import AlertConfig
from .signals import Reading, get_signal

__all__ = ["RoundReport", "run_round", "watch", "watched_ids"]

log = logging.getLogger("tidegauge.watch")

FETCH_GRACE = dt.timedelta(minutes=15)
"""Wait this long after a scheduled release before fetching (FRED posts a little later)."""


@dataclass
class RoundReport:
    """What one round did."""

    started: dt.datetime
    checked: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    fired: list[Alert] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)
    pending: int = 0
    problems: list[str] = field(default_factory=list)
    next_due: tuple[str, dt.datetime] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and not self.failed and not self.pending


def watched_ids(tg: Any, config: AlertConfig) -> list[str]:
    """The rules' inputs, the ``[watch] ids`` and the catalog series already stored."""
    from ..catalog import CATALOG

    stored = [s.id for s in tg.store.all_series() if s.id in CATALOG]
    return list(dict.fromkeys([*config.inputs(), *config.ids, *stored]))


def due_ids(tg: Any, ids: Sequence[str], now: dt.datetime) -> tuple[list[str], Any]:
    """The ids to fetch now, and the next (id, release moment) after ``now``."""
    from ..releases import due

    out, upcoming = [], None
    for sid in ids:
        stored = tg.store.series(sid)
        if stored is None or stored.last_date is None:
            out.append(sid)
            continue
        _, when = due(sid, dt.date.fromisoformat(stored.last_date))
        if when + FETCH_GRACE <= now:
            out.append(sid)
        elif upcoming is None or when < upcoming[1]:
            upcoming = (sid, when)
    return out, upcoming


def _problem(report: RoundReport, text: str) -> None:
    report.problems.append(text)
    log.warning(text)


def _readings(tg: Any, config: AlertConfig) -> dict[str, Reading | None]:
    from ..analysis.asof import snapshot

    snap = snapshot(tg, list(config.inputs()), None, fetch=False)
    out: dict[str, Reading | None] = {}
    today = dt.date.today()
    for rule in config.rules:
        sig = get_signal(rule.signal)
        if sig is not None and sig.id not in out:
            out[sig.id] = sig.read(snap.data, today)
    return out


def run_round(
    tg: Any,
    config: AlertConfig,
    *,
    lang: str = "en",
    echo: Callable[[str], None] = print,
    now: dt.datetime | None = None,
    update: bool = True,
) -> RoundReport:
    """One round (see the module docstring); never raises for a source, store or channel."""
    from ..store.alertstate import AlertState

    now = now or dt.datetime.now(dt.UTC)
    report = RoundReport(now)
    ids = watched_ids(tg, config)
    report.checked = ids
    todo, report.next_due = due_ids(tg, ids, now)
    try:
        if update and todo:
            res = tg.update(todo)
            report.updated = [r.series_id for r in res.results if r.status == "ok" and r.new]
            for r in res.failed:
                report.failed.append(r.series_id)
                log.warning(t("watch.update_failed", lang, series=r.series_id, error=r.note(lang)))
        state = AlertState(tg.store)
        readings = _readings(tg, config)
        stored = state.rule_states()
        fired, states = [], {}
        today = now.astimezone(_eastern()).date()
        for rule in config.rules:
            reading = readings.get(rule.signal)
            if reading is None:
                continue
            signature, previous = stored.get(rule.id, ("", {}))
            alert, new_state = step(
                rule, reading, previous if signature == rule.signature else {}, today
            )
            states[rule.id] = (rule.signature, new_state)
            if alert is not None:
                fired.append((alert.key, rule.id, alert.to_payload(), config.channels_for(rule)))
                report.fired.append(alert)
        state.record(fired, states)
    except StoreError as exc:
        _problem(report, t("watch.store_failed", lang, error=exc.message(lang)))
        return report
    except TidegaugeError as exc:
        _problem(report, t("watch.round_failed", lang, error=exc.message(lang)))
        return report
    _deliver(state, config, report, lang, echo)
    return report


def _eastern() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/New_York")


def _deliver(
    state: Any, config: AlertConfig, report: RoundReport, lang: str, echo: Callable[[str], None]
) -> None:
    channels: dict[str, Channel] = {
        name: make_channel(name, conf, echo) for name, conf in config.channels.items()
    }
    down: set[str] = set()
    for d in state.pending(channels):
        if d.channel in down:
            report.pending += 1
            continue
        alert = Alert.from_payload(d.payload)
        try:
            channels[d.channel].send(alert, d.key, lang)
        except DeliveryError as exc:
            down.add(d.channel)  # one failure per channel and round (no pile of timeouts)
            report.pending += 1
            _problem(report, exc.message(lang))
            try:
                state.mark_failed(d, str(exc))
            except StoreError as store_exc:
                _problem(report, t("watch.store_failed", lang, error=store_exc.message(lang)))
                return
            continue
        try:
            state.mark_sent(d)
        except StoreError as exc:  # sent but not recorded: may be sent again (at least once)
            _problem(report, t("watch.store_failed", lang, error=exc.message(lang)))
            return
        report.sent.append((d.key, d.channel))


def watch(
    tg: Any,
    config: AlertConfig,
    *,
    stop: threading.Event,
    lang: str = "en",
    echo: Callable[[str], None] = print,
    once: bool = False,
) -> RoundReport:
    """Rounds until ``stop`` is set (or one with ``once``); returns the last round's report.

    Between rounds it sleeps until the next scheduled release (plus :data:`FETCH_GRACE`) or for
    the rules file's ``interval_minutes``, whichever comes first.
    """
    ids = watched_ids(tg, config)
    log.info(
        t(
            "watch.started",
            lang,
            series=len(ids),
            rules=len(config.rules),
            channels=", ".join(config.channels) or "-",
        )
    )
    while True:
        try:
            report = run_round(tg, config, lang=lang, echo=echo)
        except Exception as exc:  # a bug must not end the watch: log it, try again later
            log.exception(t("watch.round_failed", lang, error=f"{type(exc).__name__}: {exc}"))
            report = RoundReport(dt.datetime.now(dt.UTC), problems=[str(exc)])
        log.info(
            t(
                "watch.round",
                lang,
                updated=len(report.updated),
                failed=len(report.failed),
                fired=len(report.fired),
                sent=len(report.sent),
                pending=report.pending,
            )
        )
        if once or stop.is_set():
            break
        wait = config.interval_minutes * 60.0
        if report.next_due is not None:
            sid, when = report.next_due
            until = (when + FETCH_GRACE - dt.datetime.now(dt.UTC)).total_seconds()
            wait = max(1.0, min(wait, until))
            log.info(t("watch.next", lang, series=sid, due=when.isoformat(timespec="minutes")))
        if stop.wait(wait):
            break
    log.info(t("watch.stopped", lang))
    return report
