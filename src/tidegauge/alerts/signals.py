"""Signals: the quantities alert rules watch, each computed from point-in-time series.

A :class:`Signal` reads its input series (as published by some moment) and returns a
:class:`Reading`: the observation date it speaks for, a state (``"QT"``, ``"scarce"``...) or a
number with its unit, and the latest values (for "3 days in a row"). The same function serves
``tidegauge watch`` (current data), ``tidegauge changes`` (two moments) and ``tidegauge alerts
replay`` (every release over a window), so the three cannot disagree.

Built-in signals (:data:`SIGNALS`):

``regime``
    The Fed's balance-sheet regime (QE, QT, lending, reserve management, flat) of the latest
    classified week (:func:`~tidegauge.analysis.regimes.detect_regimes`, reconciled with the
    programs announced by then).
``reserves_pct_gdp`` / ``reserves_gauge``
    Bank reserves (the Wednesday level ``WRBWFRBL``, as ``tidegauge liquidity`` uses by default)
    as a percent of the GDP published by then, and the scarce / ample / abundant gauge
    (:mod:`tidegauge.analysis.liquidity`).
``checklist_verdict``
    The checklist's verdict (:func:`~tidegauge.analysis.checklist.evaluate`).
``sofr_iorb_bp``
    SOFR minus the interest rate on reserve balances in basis points (from SOFR and IORB
    themselves); the default rule fires when it is above :data:`FUNDING_STRESS_BP` on
    :data:`FUNDING_STRESS_DAYS` days in a row.
``funding_stress``
    The funding status of ``tidegauge funding`` (``calm`` / ``pressure`` / ``stress``, from
    SOFR, EFFR and IORB over the last 20 business days:
    :func:`tidegauge.analysis.funding.classify`), so "What changed" and the funding section
    never disagree.

Any catalog id is also a signal (``WALCL``): its latest observation (rules ``when = "released"``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analysis.checklist import INPUTS as CHECKLIST_INPUTS
from ..analysis.funding import FUNDING_IDS, WINDOW_DAYS
from ..analysis.netliq import BASIS_IDS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FUNDING_STRESS_BP",
    "FUNDING_STRESS_DAYS",
    "SIGNALS",
    "Reading",
    "Signal",
    "get_signal",
]

FUNDING_STRESS_BP = 10.0
"""The default rule's threshold on ``sofr_iorb_bp``: SOFR above IORB by more than this many
basis points is funding pressure: repo normally
trades a few basis points below IORB when reserves are ample (banks can earn IORB risk-free),
and in September 2019 SOFR rose about 300 bp above the then IOER."""

FUNDING_STRESS_DAYS = 3
"""Days in a row above :data:`FUNDING_STRESS_BP` before the default rule fires (a month-end or
tax-date spike lasts a day or two)."""

RESERVES = BASIS_IDS["wednesday"][3]
"""The reserves the signals read: the Wednesday level, as the liquidity indicator's default."""

FUNDING_INPUTS = FUNDING_IDS[:5]
"""SOFR, EFFR, IORB and the target range (the ON RRP rate does not enter the status)."""

REGIME_MIN_WEEKS = 4
"""Minimum episode length of the ``regime`` signal, in weeks. The episode table of ``tidegauge
regimes`` uses 8 (a retrospective view, robust to noise); a signal has to speak while a turn
happens: with 4, the pandemic purchases read as QE in the H.4.1 of 19 March 2020, the first
after they began (with 8, three weeks later)."""

HISTORY = 10
"""How many of the latest values a reading keeps (for rules "N observations in a row")."""

Data = Mapping[str, "pd.Series"]


@dataclass(frozen=True)
class Reading:
    """One reading of a signal.

    Attributes
    ----------
    signal
        The signal's id.
    date
        Date of the observation the reading speaks for.
    state
        A category (``"QT"``, ``"scarce"``, ``"bubble"``) or ``None`` for a numeric signal.
    value
        The number (``None`` for a state), in ``unit``.
    unit
        ``"percent"``, ``"bp"``, a catalog unit, or ``""``.
    history
        The latest values, oldest first (the last one is ``value``).
    """

    signal: str
    date: dt.date
    state: str | None = None
    value: float | None = None
    unit: str = ""
    history: tuple[float, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "signal": self.signal,
            "date": self.date.isoformat(),
            "state": self.state,
            "value": self.value,
            "unit": self.unit,
        }


@dataclass(frozen=True)
class Signal:
    """A named computation over point-in-time series.

    Attributes
    ----------
    id
        Its name in rules (``signal = "regime"``).
    inputs
        Catalog ids it reads.
    triggers
        Series whose releases make a replay evaluate it again.
    read
        ``read(data, as_of) -> Reading | None`` (``None``: not enough data).
    state_key
        Message-key prefix of its states (``regimes.kind``), ``None`` for a number.
    unit
        Unit of a number (and of a rule's threshold on it).
    """

    id: str
    inputs: tuple[str, ...]
    triggers: tuple[str, ...]
    read: Callable[[Data, dt.date], Reading | None]
    state_key: str | None = None
    unit: str = ""


def _day(ts: Any) -> dt.date:
    import pandas as pd

    return pd.Timestamp(ts).date()


def _regime(data: Data, as_of: dt.date) -> Reading | None:
    from ..analysis.regimes import detect_regimes
    from ..catalog.programs import load_programs

    if not all(k in data and len(data[k]) for k in ("WALCL", "TREAST", "WSHOMCB")):
        return None
    securities = data["TREAST"].add(data["WSHOMCB"]).dropna()
    known = [p for p in load_programs("fed") if p.announced <= as_of]
    from ..errors import TidegaugeError

    try:
        res = detect_regimes(data["WALCL"], securities, programs=known, min_weeks=REGIME_MIN_WEEKS)
    except TidegaugeError:
        return None
    return Reading("regime", _day(res.classified_through), state=str(res.current["kind"]))


def _reserves_frame(data: Data) -> pd.DataFrame | None:
    """The latest reserves as a percent of the GDP published by each Wednesday (the same rule
    as :func:`tidegauge.analysis.liquidity.gdp_known_at`, on the last :data:`HISTORY` weeks)."""
    from ..analysis.liquidity import GDP_PUBLICATION_LAG_DAYS, classify_reserves

    if not all(k in data and len(data[k]) for k in (RESERVES, "GDP")):
        return None
    import numpy as np
    import pandas as pd

    reserves = data[RESERVES].iloc[-HISTORY:]
    gdp = data["GDP"]
    known = gdp.index.values + np.timedelta64(GDP_PUBLICATION_LAG_DAYS, "D")
    pos = np.searchsorted(known, reserves.index.values, side="right") - 1
    ok = pos >= 0
    if not ok.any():
        return None
    values = reserves.to_numpy(dtype=float)[ok] / gdp.to_numpy(dtype=float)[pos[ok]] * 100.0
    frame = pd.DataFrame({"pct": values}, index=reserves.index[ok])
    frame["gauge"] = [classify_reserves(float(v)) for v in values]
    return frame


def _reserves_pct(data: Data, as_of: dt.date) -> Reading | None:
    f = _reserves_frame(data)
    if f is None:
        return None
    values = tuple(float(v) for v in f["pct"])
    return Reading(
        "reserves_pct_gdp", _day(f.index[-1]), value=values[-1], unit="percent", history=values
    )


def _reserves_gauge(data: Data, as_of: dt.date) -> Reading | None:
    f = _reserves_frame(data)
    if f is None:
        return None
    return Reading("reserves_gauge", _day(f.index[-1]), state=str(f["gauge"].iloc[-1]), value=None)


def _checklist(data: Data, as_of: dt.date) -> Reading | None:
    from ..analysis.checklist import INPUTS, evaluate
    from ..errors import TidegaugeError

    subset = {k: data[k] for k in INPUTS if k in data and len(data[k])}
    try:
        res = evaluate(subset, as_of)
    except (TidegaugeError, LookupError, ValueError):
        return None
    return checklist_reading(res, as_of)


def checklist_reading(res: Any, as_of: dt.date) -> Reading:
    """The checklist signal's reading of an evaluated checklist (the report evaluates it once
    for its checklist, judgment and signals sections)."""
    dates = [c.as_of for c in res.conditions if c.as_of is not None]
    return Reading("checklist_verdict", max(dates) if dates else as_of, state=str(res.verdict))


def _spread(data: Data) -> pd.Series | None:
    """SOFR − IORB in basis points on the last days both have a value (numpy: a replay calls
    this for every SOFR release)."""
    if not all(k in data and len(data[k]) for k in ("SOFR", "IORB")):
        return None
    import numpy as np
    import pandas as pd

    sofr, iorb = data["SOFR"].iloc[-HISTORY * 3 :], data["IORB"].iloc[-HISTORY * 6 :]
    days, known = sofr.index.values, iorb.index.values
    pos = np.minimum(np.searchsorted(known, days), len(known) - 1)
    same = known[pos] == days
    if not same.any():
        return None
    values = (sofr.to_numpy(dtype=float)[same] - iorb.to_numpy(dtype=float)[pos[same]]) * 100.0
    spread = pd.Series(np.round(values, 2), index=sofr.index[same]).dropna()
    return spread.iloc[-HISTORY:] if not spread.empty else None


def _sofr_iorb(data: Data, as_of: dt.date) -> Reading | None:
    s = _spread(data)
    if s is None:
        return None
    values = tuple(float(v) for v in s)
    return Reading("sofr_iorb_bp", _day(s.index[-1]), value=values[-1], unit="bp", history=values)


def _funding_stress(data: Data, as_of: dt.date) -> Reading | None:
    """The status of :func:`tidegauge.analysis.funding.classify` on the latest window (the rates
    of the last few months only: a replay calls this for every SOFR release)."""
    from ..analysis.funding import classify, funding_frame
    from ..errors import TidegaugeError

    if not all(k in data and len(data[k]) for k in FUNDING_INPUTS):
        return None
    tail = {k: data[k].dropna().iloc[-WINDOW_DAYS * 4 :] for k in FUNDING_INPUTS}
    frame = funding_frame(
        tail["SOFR"], tail["EFFR"], tail["IORB"], tail["DFEDTARL"], tail["DFEDTARU"]
    )
    try:
        status, _, window = classify(frame)
    except TidegaugeError:
        return None
    last = frame["sofr_iorb_bp"].dropna()
    return Reading(
        "funding_stress", window.end, state=status, value=float(last.iloc[-1]), unit="bp"
    )


def series_signal(sid: str) -> Signal:
    """A catalog series as a signal: its latest observation in its canonical unit."""
    from ..catalog import CATALOG

    unit = CATALOG[sid].unit if sid in CATALOG else ""

    def read(data: Data, as_of: dt.date) -> Reading | None:
        s = data.get(sid)
        if s is None or s.empty:
            return None
        values = tuple(float(v) for v in s.iloc[-HISTORY:])
        return Reading(sid, _day(s.index[-1]), value=values[-1], unit=unit, history=values)

    return Signal(sid, (sid,), (sid,), read, unit=unit)


_H41 = ("WALCL", "TREAST", "WSHOMCB")

SIGNALS: dict[str, Signal] = {
    s.id: s
    for s in (
        Signal("regime", _H41, ("WALCL",), _regime, "regimes.kind"),
        Signal(
            "reserves_pct_gdp", (RESERVES, "GDP"), (RESERVES, "GDP"), _reserves_pct,
            unit="percent",
        ),
        Signal(
            "reserves_gauge", (RESERVES, "GDP"), (RESERVES, "GDP"), _reserves_gauge,
            "liquidity.gauge",
        ),
        Signal("checklist_verdict", CHECKLIST_INPUTS, ("WALCL",), _checklist, "report.verdict"),
        Signal("sofr_iorb_bp", ("SOFR", "IORB"), ("SOFR",), _sofr_iorb, unit="bp"),
        Signal(
            "funding_stress", FUNDING_INPUTS, ("SOFR", "EFFR"), _funding_stress, "funding.status"
        ),
    )
}  # fmt: skip
"""Built-in signals by id (see the module docstring)."""


def get_signal(name: str) -> Signal | None:
    """A built-in signal, or a catalog series as a signal; ``None`` for an unknown name."""
    from ..catalog import CATALOG

    if name in SIGNALS:
        return SIGNALS[name]
    if name.upper() in CATALOG:
        return series_signal(name.upper())
    return None
