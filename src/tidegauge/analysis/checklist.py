"""The checklist "is the Fed stimulating into a recession or into a bubble?".

Nine conditions, each a documented rule over point-in-time data (see :mod:`.asof`):

========================  =====================================================================
``balance_sheet``         securities held outright (TREAST + WSHOMCB) grew more than
                          ``bs_growth_pct`` % over the last ``bs_window_weeks`` weeks
``rate_cut``              the fed funds rate (DFF, ``rate_avg_days``-day average) fell by at
                          least ``rate_cut_pp`` points over ``rate_window_months`` months
``deficit``               the last published fiscal-year deficit (FYFSD) exceeds
                          ``deficit_pct_gdp`` % of nominal GDP of that fiscal year
``credit``                bank credit (TOTBKCR) grew more than ``credit_growth_pct`` % year on year
``stocks_high``           the S&P 500 is within ``near_high_pct`` % of its record (daily SP500 when
                          it is the most recent, else Shiller's monthly averages since 1871)
``tight_spreads``         the high-yield spread (BAMLH0A0HYM2) is at or below the
                          ``spread_percentile`` th percentile of its history
``low_unemployment``      unemployment (UNRATE) is below the ``unemployment_percentile`` th
                          percentile of the last ``unemployment_lookback_years`` years
``inflation``             core PCE inflation (PCEPILFE, 12 months) above ``inflation_target`` %
``valuation``             Shiller CAPE at or above the ``cape_percentile`` th percentile of its
                          history since 1881; *unavailable* when its last value is older than
                          ``cape_max_age_days`` (the data ends 2023-09)
========================  =====================================================================

The first two are the **easing** conditions, the other seven the **boom** conditions.

Verdict: ``not_easing`` when neither easing condition is met. Otherwise, over the boom conditions
that are *available*: ``bubble`` when at least the share ``most`` of them is met, ``recession``
when at least the share ``most`` is not met, else ``mixed`` (also ``mixed`` when fewer than
``min_boom_available`` are available). With the default ``most = 2/3`` and seven available
conditions: 5 or more met → bubble, 2 or fewer → recession.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from .._typing import DateLike
from .checklist_rules import CONDITIONS, RULES, Condition, Thresholds

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONDITIONS",
    "INPUTS",
    "ChecklistResult",
    "Condition",
    "Thresholds",
    "checklist",
    "evaluate",
]

Verdict = Literal["recession", "bubble", "mixed", "not_easing"]

INPUTS: tuple[str, ...] = (
    "TREAST",
    "WSHOMCB",
    "DFF",
    "FYFSD",
    "GDP",
    "TOTBKCR",
    "SP500",
    "SPX_SHILLER",
    "BAMLH0A0HYM2",
    "UNRATE",
    "PCEPILFE",
    "SPX_CAPE",
)
"""Catalog ids the checklist reads."""


@dataclass(frozen=True)
class ChecklistResult:
    """The evaluated checklist: conditions, the easing test and the verdict."""

    as_of: dt.date
    conditions: list[Condition]
    verdict: Verdict
    easing: bool
    boom_met: int
    boom_available: int
    thresholds: Thresholds

    def condition(self, cid: str) -> Condition:
        return next(c for c in self.conditions if c.id == cid)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "verdict": self.verdict,
            "easing": self.easing,
            "boom_met": self.boom_met,
            "boom_available": self.boom_available,
            "conditions": [c.to_dict() for c in self.conditions],
            "thresholds": asdict(self.thresholds),
        }

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [{k: v for k, v in c.to_dict().items() if k != "evidence"} for c in self.conditions]
        return pd.DataFrame(rows).set_index("id")

    def need(self) -> int:
        """How many available boom conditions make "most"."""
        return math.ceil(self.thresholds.most * self.boom_available - 1e-9)

    def summary(self, lang: str = "en") -> str:
        """Plain-text summary: each condition with value, threshold, as-of date and why."""
        from ..i18n import t

        out = [t("judgment.checklist.title", lang, as_of=self.as_of.isoformat())]
        for c in self.conditions:
            mark = "?" if c.met is None else ("✓" if c.met else "✗")
            name = t(f"judgment.condition.{c.id}.name", lang)
            if c.value is None:
                out.append(
                    f"[{mark}] {name}: {t('judgment.common.not_available', lang)} "
                    f"({c.note_in(lang)})"
                )
                continue
            unit = t(f"judgment.unit.{c.unit}", lang)
            out.append(
                f"[{mark}] {name}: {c.value:,.2f} {unit} "
                f"({t('judgment.checklist.col_threshold', lang)} {c.threshold:,.2f} {unit}; "
                f"{t('judgment.common.as_of', lang, date=c.as_of)})"
            )
            out.append(f"      {t(f'judgment.condition.{c.id}.why', lang)}")
            if c.note:
                out.append(f"      {c.note_in(lang)}")
        answer = t("judgment.common.yes" if self.easing else "judgment.common.no", lang)
        out.append(t("judgment.checklist.easing", lang, answer=answer))
        out.append(
            t(
                "judgment.checklist.boom_count",
                lang,
                met=self.boom_met,
                available=self.boom_available,
                need=self.need(),
            )
        )
        out.append(
            f"{t('judgment.checklist.verdict_label', lang)}: "
            f"{t(f'judgment.verdict.{self.verdict}', lang)}"
        )
        out.append(t("judgment.checklist.method_note", lang, as_of=self.as_of.isoformat()))
        return "\n".join(out)


def evaluate(
    data: Mapping[str, pd.Series], as_of: DateLike, thresholds: Thresholds | None = None
) -> ChecklistResult:
    """Evaluate the nine conditions on point-in-time series (pure function).

    Parameters
    ----------
    data
        ``{catalog id: Series}`` already restricted to what was published by ``as_of``
        (:func:`tidegauge.analysis.asof.snapshot` does that); missing ids make the conditions
        that need them unavailable.
    as_of
        The date of knowledge (used for the staleness of CAPE).
    thresholds
        Rule parameters; default :class:`Thresholds` ().

    Returns
    -------
    ChecklistResult
    """
    from .asof import parse_as_of

    th = thresholds or Thresholds()
    day = parse_as_of(as_of)
    assert day is not None
    conds: list[Condition] = []
    for cid, (kind, needs, rule) in RULES.items():
        lacking = [sid for sid in needs if sid not in data or data[sid].empty]
        if lacking:
            conds.append(
                Condition.unavailable(cid, kind, "notes.checklist.no_data", ids=", ".join(lacking))
            )
            continue
        try:
            conds.append(rule(data, th, day) if cid == "valuation" else rule(data, th))
        except LookupError as exc:
            conds.append(
                Condition.unavailable(cid, kind, "notes.checklist.unavailable", reason=str(exc))
            )
    easing = any(c.met for c in conds if c.kind == "easing")
    boom = [c for c in conds if c.kind == "boom" and c.available]
    met = sum(bool(c.met) for c in boom)
    n = len(boom)
    need = math.ceil(th.most * n - 1e-9)
    verdict: Verdict
    if not easing:
        verdict = "not_easing"
    elif n < th.min_boom_available:
        verdict = "mixed"
    elif met >= need:
        verdict = "bubble"
    elif n - met >= need:
        verdict = "recession"
    else:
        verdict = "mixed"
    return ChecklistResult(day, conds, verdict, easing, met, n, th)


def checklist(
    tg: Any, as_of: DateLike | None = None, thresholds: Thresholds | None = None
) -> ChecklistResult:
    """Load :data:`INPUTS` as published by ``as_of`` (default: today) and :func:`evaluate` them.

    Examples
    --------
    >>> res = checklist(tg, as_of="2009-03-31")   # doctest: +SKIP
    >>> res.verdict                               # doctest: +SKIP
    'recession'
    """
    from .asof import snapshot

    snap = snapshot(tg, INPUTS, as_of)
    return evaluate(snap.data, snap.as_of, thresholds)
