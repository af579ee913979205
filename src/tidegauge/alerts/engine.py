"""Evaluating rules: one step per reading, and a replay over history with point-in-time data.

:func:`step` is the whole rule logic: given a rule, the new reading of its signal and the state
kept from the previous step, it returns the alert that fires (or ``None``) and the next state.
``tidegauge watch`` keeps the state in the store; :func:`replay` keeps it in memory while it
walks through every release of the signal's trigger series between two dates, with the data as
the release calendar says it was published at that moment (:func:`tidegauge.releases.released_by`
semantics: current values, so revisions are not replayed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..i18n import Message
from ..values import Day, Localized, Quantity
from .rules import Rule
from .signals import Reading, get_signal

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Alert", "replay", "signal_name", "step"]

State = dict[str, Any]
EASTERN = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class Alert:
    """One firing of a rule.

    Attributes
    ----------
    rule, signal, when
        The rule that fired.
    date
        The day it fired (US Eastern): the release day of the data in a replay, the day of the
        check in ``watch``.
    observed
        Date of the observation the reading speaks for.
    value
        The state (``"QE"``) or the number.
    unit
        Unit of a number.
    previous
        The state before (``changes``).
    threshold, days
        Of a ``below`` / ``above`` rule.
    key
        Unique per firing: the store records it once, whatever happens after.
    """

    rule: str
    signal: str
    when: str
    date: dt.date
    observed: dt.date
    value: float | str | None
    unit: str = ""
    previous: str | None = None
    threshold: float | None = None
    days: int = 1

    @property
    def key(self) -> str:
        shown = self.value if self.when in ("changes",) else ""
        return f"{self.rule}:{self.observed.isoformat()}:{shown}"

    def message(self) -> Message:
        """The alert in words (rendered by a face: terminal, feed, e-mail...)."""
        sig = get_signal(self.signal)
        state_key = sig.state_key if sig else None
        name = signal_name(self.signal)
        date = Day(self.observed)
        if self.when == "changes":
            return Message(
                "alerts.fired.changes",
                signal=name,
                old=Message(f"{state_key}.{self.previous}") if self.previous else "—",
                new=Message(f"{state_key}.{self.value}"),
                date=date,
            )
        number = Quantity(self.value if isinstance(self.value, float) else None, self.unit)
        if self.when == "released":
            return Message("alerts.fired.released", signal=name, value=number, date=date)
        key = f"alerts.fired.{self.when}" + ("_days" if self.days > 1 else "")
        limit = Quantity(self.threshold, self.unit)
        return Message(key, signal=name, value=number, threshold=limit, days=self.days, date=date)

    def to_payload(self) -> dict[str, Any]:
        """The fields as JSON (what the store keeps; :meth:`from_payload` reads it back)."""
        doc = {k: getattr(self, k) for k in self.__dataclass_fields__}
        doc["date"], doc["observed"] = self.date.isoformat(), self.observed.isoformat()
        return doc

    @classmethod
    def from_payload(cls, doc: Mapping[str, Any]) -> Alert:
        fields = {k: doc[k] for k in cls.__dataclass_fields__ if k in doc}
        fields["date"] = dt.date.fromisoformat(fields["date"])
        fields["observed"] = dt.date.fromisoformat(fields["observed"])
        return cls(**fields)

    def to_json(self) -> dict[str, Any]:
        """The alert as JSON without words (faces add ``message``:
        :func:`tidegauge.alerts.channels.alert_json`)."""
        return {**self.to_payload(), "key": self.key}


def signal_name(signal: str) -> Message | Localized:
    """The name of a signal (a catalog series' name in every language)."""
    from ..catalog import CATALOG

    if signal in CATALOG:
        return Localized({k: v for k, v in CATALOG[signal].name.items()})
    return Message(f"alerts.signal.{signal}")


def step(
    rule: Rule, reading: Reading, state: Mapping[str, Any], day: dt.date
) -> tuple[Alert | None, State]:
    """The alert ``rule`` fires on ``reading`` (or ``None``) and the next state.

    ``state`` is what the previous step returned (``{}`` at first); ``day`` is the day of the
    check (the alert's date).

    Examples
    --------
    >>> from tidegauge.alerts.rules import Rule
    >>> rule = Rule("r", "regime", "changes")
    >>> a, s = step(rule, Reading("regime", dt.date(2020, 3, 4), state="reserve_management"), {},
    ...             dt.date(2020, 3, 5))
    >>> a is None, s["state"]
    (True, 'reserve_management')
    >>> a, s = step(rule, Reading("regime", dt.date(2020, 3, 18), state="QE"), s,
    ...             dt.date(2020, 3, 19))
    >>> a.previous, a.value
    ('reserve_management', 'QE')
    """
    new: State = {"date": reading.date.isoformat()}
    alert: Alert | None = None
    base: dict[str, Any] = {"rule": rule.id, "signal": rule.signal, "when": rule.when, "date": day}
    if rule.when == "changes":
        prev = state.get("state")
        new["state"] = reading.state
        if prev is not None and reading.state is not None and reading.state != prev:
            alert = Alert(**base, observed=reading.date, value=reading.state, previous=prev)
    elif rule.when == "released":
        prev_date = state.get("date")
        new["date"] = max(prev_date or "", reading.date.isoformat())
        if prev_date is not None and reading.date.isoformat() > prev_date:
            alert = Alert(**base, observed=reading.date, value=reading.value, unit=reading.unit)
    else:
        assert rule.value is not None
        tail = reading.history[-rule.days :] if reading.history else ()
        if rule.when == "below":
            holds = len(tail) >= rule.days and all(v < rule.value for v in tail)
        else:
            holds = len(tail) >= rule.days and all(v > rule.value for v in tail)
        new["active"] = holds
        if holds and not state.get("active"):
            alert = Alert(
                **base,
                observed=reading.date,
                value=reading.value,
                unit=reading.unit,
                threshold=rule.value,
                days=rule.days,
            )
    return alert, new


def _release_moments(series: pd.Series, sid: str, since: dt.date) -> Any:
    """UTC release moments (int64 ns) of each observation; those long before ``since`` are 0."""
    import numpy as np

    from ..releases import release_at, release_of

    release = release_of(sid)[0]
    out = np.zeros(len(series), dtype="int64")
    cutoff = since - dt.timedelta(days=400)
    for i, ts in enumerate(series.index):
        day = ts.date()
        if day >= cutoff:
            out[i] = int(release_at(release, day).timestamp() * 1e9)
    return out


def replay(
    tg: Any,
    rules: Iterable[Rule],
    start: dt.date,
    end: dt.date,
    *,
    on_progress: Callable[[str], None] | None = None,
) -> list[Alert]:
    """What ``rules`` would have fired between ``start`` and ``end``, with point-in-time data.

    Every rule is first checked at the start of ``start`` (its baseline: what was already known
    then primes the rule's state and fires nothing), then at each release
    of its signal's trigger series until the end of ``end`` (US Eastern), each time with the
    observations released by that moment.

    Returns
    -------
    list of Alert
        In date order (``Alert.date`` is the release day).
    """
    import numpy as np

    rules = list(rules)
    signals = {r.signal: get_signal(r.signal) for r in rules}
    ids: list[str] = []
    for sig in signals.values():
        assert sig is not None
        ids += [*sig.inputs, *sig.triggers]
    ids = list(dict.fromkeys(ids))
    from ..analysis.asof import snapshot

    snap = snapshot(tg, ids, None, fetch=True)
    data = {}
    for sid, s in snap.data.items():
        s = s.copy()
        s.attrs = {}  # pandas deep-copies attrs on every slice: thousands of slices follow
        data[sid] = s
    moments = {sid: _release_moments(s, sid, start) for sid, s in data.items()}
    t0 = dt.datetime.combine(start, dt.time(0), tzinfo=EASTERN).astimezone(dt.UTC)
    t1 = dt.datetime.combine(end, dt.time(23, 59, 59), tzinfo=EASTERN).astimezone(dt.UTC)
    lo, hi = int(t0.timestamp() * 1e9), int(t1.timestamp() * 1e9)
    alerts: list[Alert] = []
    for name, sig in signals.items():
        assert sig is not None
        times = sorted(
            {int(m) for sid in sig.triggers if sid in moments for m in moments[sid] if lo < m <= hi}
        )
        if on_progress is not None:
            on_progress(name)
        readings: list[tuple[dt.date, Reading | None]] = []
        for t in [lo, *times]:
            cut = {
                sid: data[sid].iloc[: int(np.searchsorted(moments[sid], t, "right"))]
                for sid in sig.inputs
                if sid in data
            }
            day = dt.datetime.fromtimestamp(t / 1e9, dt.UTC).astimezone(EASTERN).date()
            readings.append((day, sig.read(cut, day)))
        for rule in (r for r in rules if r.signal == name):
            state: State = {}
            for i, (day, reading) in enumerate(readings):
                if reading is None:
                    continue
                alert, state = step(rule, reading, state, day)
                if alert is not None and i > 0:  # the baseline only primes the state
                    alerts.append(alert)
    alerts.sort(key=lambda a: (a.date, a.rule))
    return alerts
