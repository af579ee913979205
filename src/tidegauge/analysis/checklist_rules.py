"""The checklist's building blocks: thresholds, the evaluated condition, the tie rule.

The rules themselves are in :mod:`.checklist_policy` (the Fed's tools and the deficit) and
:mod:`.checklist_sides` (the bubble side and the recession side); :data:`RULES` lists them in
display order. Each rule is a function of point-in-time series, :class:`Thresholds` and the date
of knowledge, returning a :class:`Condition` with its value, threshold (same unit), comparison,
the last observation date of each input it used and the evidence behind it. A rule raises
:class:`LookupError` when its inputs do not reach back far enough; the checklist then marks the
condition unavailable.

**One tie rule.** Every condition compares a value with a threshold by ``>=`` or ``<=``: a value
*equal* to its threshold meets the condition, whatever the condition (differences below
:data:`TIE_EPS`, floating-point noise, are ties).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from ..errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TIE_EPS",
    "Condition",
    "Kind",
    "Op",
    "Rule",
    "Side",
    "Thresholds",
    "compare",
    "display_decimals",
]

Kind = Literal["easing", "tightening", "fiscal", "boom", "bust"]
"""What a condition says: the Fed adds stimulus (``easing``) or withdraws it (``tightening``),
the deficit leg of monetisation (``fiscal``), a bubble sign (``boom``), a recession sign
(``bust``)."""
Side = Literal["policy", "bubble", "recession"]
Op = Literal[">=", "<="]

TIE_EPS = 1e-9
"""Differences smaller than this are ties (and ties meet the condition)."""


def compare(value: float, op: Op, threshold: float) -> bool:
    """The tie rule: ``value op threshold`` with equality (within :data:`TIE_EPS`) meeting it.

    >>> compare(4.1, "<=", 4.1), compare(-0.2466, "<=", -0.25), compare(2.0, ">=", 2.0)
    (True, False, True)
    """
    if op == ">=":
        return value >= threshold - TIE_EPS
    return value <= threshold + TIE_EPS


def display_decimals(value: float, threshold: float | None, base: int = 2, most: int = 6) -> int:
    """Decimals that show ``value`` and ``threshold`` apart unless they are a tie.

    A condition that fails by 0.003 must not display as equal to its threshold:

    >>> display_decimals(-0.2466, -0.25), display_decimals(1.996, 2.0), display_decimals(4.1, 4.1)
    (3, 3, 2)
    """
    if threshold is None or abs(value - threshold) <= TIE_EPS:
        return base
    d = base
    while d < most and round(value, d) == round(threshold, d):
        d += 1
    return d


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of the checklist, with its default (``docs/checklist.md`` gives the
    calibration of each; ``tests/test_checklist_calibration.py`` recomputes it from the data).

    Parameters
    ----------
    bs_window_weeks : int, default 13
        Window of the balance-sheet growth (a quarter of weekly H.4.1 data).
    bs_significant_pct : float, default 11.0
        "Expanding significantly": securities held outright growing at least this fast,
        annualised over the window. Normal growth is what the Fed bought to supply currency
        before 2008: from 2003 to mid-2007 the annualised 13-week growth had a median of 4.9 %
        and a 95th percentile of 10.7 %; 11 % is that percentile rounded up.
    bs_shrinking_pct : float, default -3.0
        "Shrinking" (QT): annualised growth at or below this, with total assets falling by at
        least ``bs_assets_share`` of the fall in securities (otherwise a change of composition,
        e.g. the 2008 bill sales that funded crisis lending). The regime detector's QT entry.
    bs_assets_share : float, default 0.5
        See ``bs_shrinking_pct``.
    rate_window_months : int, default 6
        How far back the policy rate is compared.
    rate_avg_days : int, default 30
        Days averaged at each end (smooths month-end spikes of the daily rate).
    rate_step_pp : float, default 0.2
        A cut (a hike) is a fall (a rise) of at least this many percentage points. One FOMC
        step is 0.25 pp; the 30-day averages of the effective rate sit a few basis points
        around the target (the single cut of June 2003 shows as −0.23 pp in July 2003), so a
        step counts from 0.2 pp.
    deficit_pct_gdp : float, default 4.0
        "Large" deficit, percent of GDP: above the 1975–2024 average of the data (3.8 %).
    credit_growth_pct : float, default 7.0
        "Strong" bank-credit growth, percent year on year: the 1974–2025 median (7.05 %).
    near_high_pct : float, default 5.0
        "At new highs": at most this many percent below the record.
    falling_pct : float, default 10.0
        "Falling": at least this many percent below the high of the last 12 months (a
        correction, by market convention).
    tight_percentile, wide_percentile : float, default 25.0 and 75.0
        High-yield spread at or below (at or above) this percentile of its history to date.
    unemployment_lookback_years : int, default 10
        Length of the "recent history" of unemployment.
    unemployment_percentile : float, default 50.0
        "Low" unemployment: at or below this percentile of the recent history (the median).
    sahm_pp : float, default 0.5
        "Contracting": the three-month average unemployment rate at least this far above its
        low of the previous twelve months (the Sahm rule).
    inflation_target : float, default 2.0
        The Fed's target for PCE inflation, percent: above it on the bubble side, at or below
        on the recession side.
    cape_percentile : float, default 90.0
        Valuation bubble: CAPE at or above this percentile of its history since 1881.
    cheap_percentile : float, default 50.0
        "Cheap": CAPE at or below this percentile (the median).
    nfci_strained : float, default 0.0
        Liquidity strained: the Chicago Fed NFCI at or above this (positive = financial
        conditions tighter than average, by construction of the index).
    vix_percentile : float, default 90.0
        Market stress: VIX at or above this percentile of its history to date.
    most : float, default 2/3
        A side is *dominant* when at least this share of its available conditions is met and
        the other side's share is lower.
    stay : float, default 0.5
        A side dominant at the previous month end stays dominant while at least this share of
        its conditions is met and the other side's share is lower (hysteresis).
    carry_months : int, default 3
        Month ends evaluated before a single date to know the previous verdict.
    min_side_available : int, default 3
        Fewer available conditions than this on either side gives ``mixed`` (too few inputs).
    """

    bs_window_weeks: int = 13
    bs_significant_pct: float = 11.0
    bs_shrinking_pct: float = -3.0
    bs_assets_share: float = 0.5
    rate_window_months: int = 6
    rate_avg_days: int = 30
    rate_step_pp: float = 0.2
    deficit_pct_gdp: float = 4.0
    credit_growth_pct: float = 7.0
    near_high_pct: float = 5.0
    falling_pct: float = 10.0
    tight_percentile: float = 25.0
    wide_percentile: float = 75.0
    unemployment_lookback_years: int = 10
    unemployment_percentile: float = 50.0
    sahm_pp: float = 0.5
    inflation_target: float = 2.0
    cape_percentile: float = 90.0
    cheap_percentile: float = 50.0
    nfci_strained: float = 0.0
    vix_percentile: float = 90.0
    most: float = 2 / 3
    stay: float = 0.5
    carry_months: int = 3
    min_side_available: int = 3

    def __post_init__(self) -> None:
        if not 0.5 < self.most <= 1:
            raise UsageError.t("errors.value.most", most=self.most)
        if not 0 < self.stay <= self.most:
            raise UsageError.t("errors.value.most", most=self.stay)
        for name in (
            "tight_percentile",
            "wide_percentile",
            "unemployment_percentile",
            "cape_percentile",
            "cheap_percentile",
            "vix_percentile",
        ):
            if not 0 <= getattr(self, name) <= 100:
                raise UsageError.t("errors.value.percentile", name=name)
        for name in (
            "bs_window_weeks",
            "rate_window_months",
            "rate_avg_days",
            "unemployment_lookback_years",
            "min_side_available",
            "carry_months",
        ):
            if getattr(self, name) <= 0:
                raise UsageError.t("errors.value.positive", name=name)


@dataclass(frozen=True)
class Condition:
    """One evaluated condition.

    ``met`` is ``None`` when the condition is unavailable (missing inputs, or stale ones:
    ``stale`` then says so and ``note`` gives the age). ``value`` and ``threshold`` share
    ``unit`` and are compared by ``op`` (:func:`compare`, ties meet). ``as_of`` is the date of
    the latest input observation used, ``inputs`` the last observation of each input,
    ``age_days`` the age of the oldest of them on the date of knowledge, ``frequency`` the
    coarsest input's frequency (``D``, ``W``, ``M``, ``Q``, ``A``); ``evidence`` holds the other
    numbers behind the rule.
    """

    id: str
    kind: Kind
    side: Side
    met: bool | None
    value: float | None
    threshold: float | None
    unit: str
    as_of: dt.date | None
    op: Op = ">="
    inputs: Mapping[str, dt.date] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)
    frequency: str | None = None
    stale: bool = False
    age_days: int | None = None
    note: str | None = None
    note_key: tuple[str, dict[str, Any]] | None = field(default=None, compare=False, repr=False)
    """Catalog key and parameters of ``note`` (which is its English text)."""

    @classmethod
    def unavailable(cls, cid: str, kind: Kind, side: Side, key: str, **params: Any) -> Condition:
        """A condition that could not be evaluated, with the reason from the catalog."""
        from ..i18n import t

        return cls(
            cid, kind, side, None, None, None, "", None, note=t(key, "en", **params),
            note_key=(key, params),
        )  # fmt: skip

    def with_note(self, key: str, **params: Any) -> Condition:
        from ..i18n import t

        return replace(self, note=t(key, "en", **params), note_key=(key, params))

    def note_in(self, lang: str = "en") -> str | None:
        """``note`` in ``lang``."""
        if self.note_key is None:
            return self.note
        from ..i18n import t

        return t(self.note_key[0], lang, **self.note_key[1])

    @property
    def available(self) -> bool:
        return self.met is not None

    @property
    def decimals(self) -> int:
        """Decimals to display value and threshold with (:func:`display_decimals`)."""
        base = 0 if self.unit in ("bn", "bp") else 2
        if self.value is None:
            return base
        return display_decimals(self.value, self.threshold, base)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "side": self.side,
            "met": bool(self.met),
            "available": self.available,
            "stale": self.stale,
            "age_days": self.age_days,
            "value": _r(self.value),
            "op": self.op,
            "threshold": _r(self.threshold),
            "unit": self.unit,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "frequency": self.frequency,
            "inputs": {k: v.isoformat() for k, v in self.inputs.items()},
            "evidence": {k: _r(v) if isinstance(v, float) else v for k, v in self.evidence.items()},
            "note": self.note,
        }


Rule = tuple[Kind, Side, tuple[str, ...], Callable[..., Condition]]
"""``(kind, side, required ids, rule function)``."""


def _r(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 6)


def d_(ts: Any) -> dt.date:
    """A Timestamp (or date) as a date."""
    return ts.date() if hasattr(ts, "date") else ts


def at(s: pd.Series, when: Any) -> tuple[float, dt.date]:
    """Last value of ``s`` (sorted by date) on or before ``when`` and its date."""
    import pandas as pd

    i = int(s.index.searchsorted(pd.Timestamp(when), side="right"))
    if i == 0:
        raise LookupError(f"{s.name}: no observation on or before {d_(when)}")
    return float(s.iloc[i - 1]), d_(s.index[i - 1])


def quantile(history: pd.Series, pct: float) -> float:
    """The ``pct`` th percentile of ``history`` (linear interpolation, as pandas)."""
    import numpy as np

    return float(np.quantile(history.to_numpy(dtype=float), pct / 100.0))


def pct_rank(history: pd.Series, value: float) -> float:
    """Percent of ``history`` at or below ``value``."""
    import numpy as np

    return float(np.mean(history.to_numpy(dtype=float) <= value) * 100.0)


def make(
    cid: str,
    kind: Kind,
    side: Side,
    value: float,
    op: Op,
    threshold: float,
    unit: str,
    inputs: Mapping[str, Any],
    evidence: dict[str, Any] | None = None,
) -> Condition:
    """A condition from its comparison (the tie rule decides ``met``)."""
    dates = {sid: d_(d) for sid, d in inputs.items()}
    return Condition(
        cid,
        kind,
        side,
        compare(value, op, threshold),
        value,
        threshold,
        unit,
        max(dates.values()) if dates else None,
        op,
        dates,
        evidence or {},
    )
