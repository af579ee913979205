"""Two sections built on the watch: "What changed" and the signals' track record.

``WhatChanged`` (``tidegauge changes``, the first section of the report and the dashboard):
new observations, revisions and signal changes since the last update (or a date), from the
store's vintages (:mod:`tidegauge.alerts.changes`).

``Signals``: each alert rule with its signal's current reading and the times it would have
fired over the last years, replayed with point-in-time data (:func:`tidegauge.alerts.engine.
replay`), so that a reader can judge how often it was right.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

from ..errors import NoDataError
from ..i18n import Message
from ..values import Day, Localized, Quantity
from .base import Indicator, Inputs
from .model import Column, Row, Section, Table
from .params import Param

SINCE = Param(
    "since",
    "date",
    keywords=("last-update",),
    metavar="last-update|DATE",
    help="Changes since the start of the last update (default) or since DATE (YYYY-MM-DD).",
)
TRACK_YEARS = Param(
    "track_years",
    "int",
    default=3,
    lo=1,
    hi=30,
    metavar="YEARS",
    help="Years of history the rules are replayed over for their track record.",
)


def _series_name(sid: str) -> Localized | str:
    from ..catalog import CATALOG

    return Localized({k: v for k, v in CATALOG[sid].name.items()}) if sid in CATALOG else sid


def _reading_text(signal: str, state: str | None, value: float | None, unit: str) -> Any:
    from ..alerts.signals import get_signal

    sig = get_signal(signal)
    if state is not None and sig is not None and sig.state_key:
        return Message(f"{sig.state_key}.{state}")
    return Quantity(value, unit) if unit else value


class WhatChanged(Indicator):
    id = "changes"
    title = "report.section.changes.title"
    intro = "report.section.changes.intro"
    summary = "What changed: new observations, revisions and signal changes since an update."
    description = (
        "What changed since the last update (or since DATE): new observations, revisions with "
        "their old and new values and vintage, regime changes, the reserves gauge and funding "
        "stress crossing a threshold, and checklist verdict changes."
    )
    params = (SINCE,)
    command = ("changes",)
    endpoint = "changes"
    in_report = True

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..alerts.changes import changes, resolve_since
        from ..releases import as_moment
        from ..store import as_of_key

        tg = inputs.session
        if tg is None:
            raise NoDataError.t("errors.data.store_empty")
        if inputs.point_in_time:  # the week before the report's date, as the store saw it
            since = str(as_of_key(as_moment(inputs.report_date - dt.timedelta(days=7))))
            return changes(tg, since, str(as_of_key(as_moment(inputs.report_date))))
        return changes(tg, resolve_since(tg.store, p.get("since")))

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title), Message(self.intro))
        since = Day(dt.datetime.fromisoformat(res.since).date())
        if res.empty:
            s.paragraphs.append(Message("changes.nothing", since=since))
            return s
        loaded = [n for n in res.new if n.first_load]
        if loaded:  # a first load is not news: say what was stored, count only later arrivals
            s.paragraphs.append(
                Message(
                    "changes.first_load",
                    series=len(loaded),
                    new=Quantity(sum(n.count for n in loaded), "count", 0, style="number"),
                )
            )
        later = [n for n in res.new if not n.first_load]
        if later or res.revisions or res.signals:
            s.paragraphs.append(
                Message(
                    "changes.summary",
                    since=since,
                    new=Quantity(sum(n.count for n in later), "count", 0, style="number"),
                    series=len(later),
                    revisions=len(res.revisions),
                    signals=len(res.signals),
                )
            )
        cols: tuple[Column, ...]
        if res.signals:
            cols = (
                Column("signal", Message("changes.col.signal")),
                Column("before", Message("changes.col.before")),
                Column("after", Message("changes.col.after")),
                Column("as_of", Message("report.col.as_of")),
            )
            rows = tuple(
                Row(
                    (
                        Message(f"alerts.signal.{c.signal}"),
                        _reading_text(c.signal, c.before.state, c.before.value, c.before.unit),
                        _reading_text(c.signal, c.after.state, c.after.value, c.after.unit),
                        Day(c.after.date),
                    )
                )
                for c in res.signals
            )
            s.tables.append(Table("signals", cols, rows, title=Message("changes.signals")))
        if res.revisions:
            cols = (
                Column("series", Message("changes.col.series")),
                Column("date", Message("changes.col.date")),
                Column("old", Message("changes.col.old"), "right"),
                Column("new", Message("changes.col.new"), "right"),
                Column("vintage", Message("changes.col.vintage"), priority=1),
            )
            rows = tuple(
                Row(
                    (
                        r.series_id,
                        Day(r.date),
                        Quantity(r.old, r.unit, 3, style="unit"),
                        Quantity(r.new, r.unit, 3, style="unit"),
                        r.vintage[:16].replace("T", " ") + " UTC",
                    )
                )
                for r in res.revisions[:50]
            )
            s.tables.append(Table("revisions", cols, rows, title=Message("changes.revisions")))
        if res.new:
            cols = (
                Column("series", Message("changes.col.series")),
                Column("name", Message("changes.col.name"), priority=2),
                Column("count", Message("changes.col.count"), "right"),
                Column("last", Message("changes.col.last")),
                Column("value", Message("changes.col.value"), "right"),
            )
            rows = tuple(
                Row(
                    (
                        n.series_id,
                        _series_name(n.series_id),
                        n.count,
                        Day(n.last),
                        Quantity(n.value, n.unit, style="unit"),
                    )
                )
                for n in res.new
            )
            s.tables.append(Table("new", cols, rows, title=Message("changes.new")))
        return s


def report_rules() -> tuple[Any, ...]:
    """The rules of ``TIDEGAUGE_ALERTS`` (the file ``tidegauge watch`` uses), else the
    defaults."""
    from ..alerts.rules import load_config

    return load_config(os.environ.get("TIDEGAUGE_ALERTS") or None).rules


_REPLAYS: dict[tuple[Any, ...], tuple[Any, ...]] = {}
"""Replays are costly (a regime detection and a checklist per week, seconds): one per data (a
digest of the inputs' current values), rules and window, kept for the process (the dashboard
reuses it) and as a file in the cache folder (:mod:`tidegauge.filecache`; the next report
reuses it while the data, the rules and the code are the same)."""


def _replayed(tg: Any, rules: tuple[Any, ...], start: dt.date, end: dt.date) -> tuple[Any, ...]:
    from ..alerts.engine import Alert, replay
    from ..alerts.signals import get_signal
    from ..filecache import digest, load_json, save_json
    from ..store.alertstate import data_fingerprint

    ids = [i for r in rules for s in [get_signal(r.signal)] if s for i in (*s.inputs, *s.triggers)]
    key = (data_fingerprint(tg.store, ids), rules, start, end)
    if key in _REPLAYS:
        return _REPLAYS[key]
    name = digest([key[0], [r.to_dict() for r in rules], start.isoformat(), end.isoformat()])
    cached = load_json("replays", name)
    fired: tuple[Any, ...] | None = None
    if isinstance(cached, list):
        try:
            fired = tuple(Alert.from_payload(doc) for doc in cached)
        except (KeyError, TypeError, ValueError):
            fired = None
    if fired is None:
        fired = tuple(replay(tg, rules, start, end))
        save_json("replays", name, [a.to_payload() for a in fired])
    if len(_REPLAYS) >= 16:
        _REPLAYS.pop(next(iter(_REPLAYS)))
    _REPLAYS[key] = fired
    return fired


class Signals(Indicator):
    id = "signals"
    title = "report.section.signals.title"
    intro = "report.section.signals.intro"
    summary = "Alert rules, their signals now and when they fired in the past."
    params = (TRACK_YEARS,)
    endpoint = "signals"
    in_report = True

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        from ..alerts.signals import get_signal

        ids: list[str] = []
        for r in report_rules():
            sig = get_signal(r.signal)
            ids += sig.inputs if sig else ()
        return tuple(dict.fromkeys(ids))

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..alerts.signals import get_signal

        tg = inputs.session
        rules = report_rules()
        end = inputs.report_date
        start = end.replace(year=end.year - int(p["track_years"]), day=min(end.day, 28))
        now = {}
        for r in rules:
            sig = get_signal(r.signal)
            if sig is not None and sig.id == "checklist_verdict":
                now[r.id] = _checklist_now(inputs)  # the report's checklist, evaluated once
            elif sig is not None:
                now[r.id] = sig.read(inputs.subset(sig.inputs), end)
        fired = _replayed(tg, tuple(rules), start, end) if tg is not None else ()
        return {"rules": rules, "now": now, "fired": fired, "start": start, "end": end}

    def to_json(self, res: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        return {
            "start": res["start"].isoformat(),
            "end": res["end"].isoformat(),
            "rules": [r.to_dict() for r in res["rules"]],
            "now": {k: v.to_dict() if v else None for k, v in res["now"].items()},
            "fired": [a.to_json() for a in res["fired"]],
        }

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title), Message(self.intro))
        cols = (
            Column("rule", Message("signals.col.rule")),
            Column("condition", Message("signals.col.condition")),
            Column("now", Message("signals.col.now"), "right"),
            Column("count", Message("signals.col.count"), "right"),
            Column("fired", Message("signals.col.fired"), priority=1),
        )
        rows = []
        for r in res["rules"]:
            mine = [a for a in res["fired"] if a.rule == r.id]
            reading = res["now"].get(r.id)
            now = (
                _reading_text(r.signal, reading.state, reading.value, reading.unit)
                if reading
                else None
            )
            dates = ", ".join(a.date.isoformat() for a in mine[-6:])
            rows.append(Row((r.id, _condition(r), now, len(mine), dates or None)))
        s.tables.append(Table("rules", cols, tuple(rows)))
        s.notes.append(Message("signals.window", start=Day(res["start"]), end=Day(res["end"])))
        return s


def _checklist_now(inputs: Inputs) -> Any:
    """The checklist signal's reading now, from the checklist the report's other sections share
    (``signals.read`` would evaluate it again on the same inputs)."""
    from ..alerts.signals import checklist_reading
    from ..analysis.checklist import INPUTS, evaluate
    from ..errors import TidegaugeError

    try:
        res = inputs.cached(
            "checklist", lambda: evaluate(inputs.subset(INPUTS), inputs.report_date)
        )
    except (TidegaugeError, LookupError, ValueError):
        return None
    return checklist_reading(res, inputs.report_date)


def _condition(rule: Any) -> Message:
    from ..alerts.engine import signal_name
    from ..alerts.signals import get_signal

    name = signal_name(rule.signal)
    if rule.when in ("changes", "released"):
        return Message(f"alerts.rule.{rule.when}", signal=name)
    sig = get_signal(rule.signal)
    unit = sig.unit if sig is not None else ""
    key = f"alerts.rule.{rule.when}" + ("_days" if rule.days > 1 else "")
    return Message(key, signal=name, threshold=Quantity(rule.value, unit), days=rule.days)
