"""The checklist "is the Fed stimulating into a recession or into a bubble?", as the article
frames it (Dalio on the Fed ending QT, November 2025).

**Policy** (:mod:`.checklist_policy`). *Easing* is either tool adding stimulus while neither
tightens: the balance sheet expanding significantly (``balance_sheet``) or the policy rate being
cut (``rate_cut``), and neither the balance sheet shrinking (``balance_sheet_shrinking``) nor
the rate being raised (``rate_hike``). A Fed buying bonds at the zero bound eases; a Fed raising
rates does not. *Monetisation* is three things at once — the balance sheet expanding
significantly, rates being cut and a large deficit (``deficit``) — and is reported beside the
verdict.

**The two sides** (:mod:`.checklist_sides`): six signs of a bubble and seven of a recession,
each a documented rule, evaluated the same way. A side is *dominant* when at least the share
``most`` of its available conditions is met and the other side's share is lower. A side that
was dominant at the previous month end stays dominant while at least ``stay`` of its conditions
are met and more than on the other side (hysteresis: the verdict does not flip back and forth
when one condition crosses its threshold for a month).

Verdict: ``not_easing`` (no easing, or a tightening tool in use); ``recession`` (easing, the
recession side dominant); ``bubble`` (easing, the bubble side dominant); ``mixed`` otherwise,
also when either side has fewer than ``min_side_available`` conditions; ``insufficient`` when
the policy inputs are too stale or missing to tell whether the Fed is easing.

**Stale inputs.** Each condition's inputs are assessed by :func:`tidegauge.freshness.assess`
(the series' frequency and publication lag, the same rule as every figure): a condition with a
*stale* input is unavailable, shown with its value and age, and not counted; the result lists
them (``stale``) and says when the verdict rests on them or on few inputs (``reliable``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from .._typing import DateLike
from . import checklist_policy as _pol
from . import checklist_sides as _side
from .checklist_rules import Condition, Rule, Thresholds

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONDITIONS",
    "INPUTS",
    "RULES",
    "ChecklistResult",
    "Condition",
    "Thresholds",
    "checklist",
    "evaluate",
]

_SYMBOL = {">=": "≥", "<=": "≤"}
Verdict = Literal["recession", "bubble", "mixed", "not_easing", "insufficient"]
Easing = Literal["yes", "no", "unknown"]

INPUTS: tuple[str, ...] = (
    "TREAST",
    "WSHOMCB",
    "WALCL",
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
    "NFCI",
    "VIXCLS",
)
"""Catalog ids the checklist reads."""

RULES: dict[str, Rule] = {
    "balance_sheet": ("easing", "policy", ("TREAST", "WSHOMCB"), _pol.balance_sheet),
    "rate_cut": ("easing", "policy", ("DFF",), _pol.rate_cut),
    "deficit": ("fiscal", "policy", ("FYFSD", "GDP"), _pol.deficit),
    "balance_sheet_shrinking": (
        "tightening",
        "policy",
        ("TREAST", "WSHOMCB", "WALCL"),
        _pol.balance_sheet_shrinking,
    ),
    "rate_hike": ("tightening", "policy", ("DFF",), _pol.rate_hike),
    **{cid: ("boom", "bubble", needs, getattr(_side, cid)) for cid, needs in _side.BUBBLE.items()},
    **{
        cid: ("bust", "recession", needs, getattr(_side, cid))
        for cid, needs in _side.RECESSION.items()
    },
}
"""Every condition: ``(kind, side, required ids, rule)``, in display order."""
CONDITIONS: tuple[str, ...] = tuple(RULES)


@dataclass(frozen=True)
class ChecklistResult:
    """The evaluated checklist: conditions, the easing test, monetisation and the verdict.

    ``boom_met``/``boom_available`` count the bubble side (kept from the first version of the
    checklist), ``bust_met``/``bust_available`` the recession side.
    """

    as_of: dt.date
    conditions: list[Condition]
    verdict: Verdict
    easing_status: Easing
    monetisation: bool
    boom_met: int
    boom_available: int
    bust_met: int
    bust_available: int
    thresholds: Thresholds

    @property
    def easing(self) -> bool:
        return self.easing_status == "yes"

    @property
    def stale(self) -> list[str]:
        """Ids of the conditions left out because an input is stale."""
        return [c.id for c in self.conditions if c.stale]

    @property
    def reliable(self) -> bool:
        """``False`` when a policy input is stale or missing, or a side has few inputs."""
        policy = [c for c in self.conditions if c.side == "policy" and c.kind != "fiscal"]
        few = min(self.boom_available, self.bust_available) < self.thresholds.min_side_available
        return all(c.available for c in policy) and not few

    def condition(self, cid: str) -> Condition:
        return next(c for c in self.conditions if c.id == cid)

    def side(self, side: str) -> list[Condition]:
        return [c for c in self.conditions if c.side == side]

    def share(self, side: str) -> float | None:
        """Share of ``side``'s available conditions that are met."""
        met, n = (
            (self.boom_met, self.boom_available)
            if side == "bubble"
            else (self.bust_met, self.bust_available)
        )
        return met / n if n else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "verdict": self.verdict,
            "easing": self.easing,
            "easing_status": self.easing_status,
            "monetisation": self.monetisation,
            "boom_met": self.boom_met,
            "boom_available": self.boom_available,
            "bust_met": self.bust_met,
            "bust_available": self.bust_available,
            "reliable": self.reliable,
            "stale": self.stale,
            "conditions": [c.to_dict() for c in self.conditions],
            "thresholds": asdict(self.thresholds),
        }

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {k: v for k, v in c.to_dict().items() if k not in ("evidence", "inputs")}
            for c in self.conditions
        ]
        return pd.DataFrame(rows).set_index("id")

    def summary(self, lang: str = "en") -> str:
        """Plain-text summary: each condition with its comparison, date and why; the verdict."""
        from ..i18n import t

        out = [t("judgment.checklist.title", lang, as_of=self.as_of.isoformat())]
        for c in self.conditions:
            mark = "?" if c.met is None else ("✓" if c.met else "✗")
            name = t(f"judgment.condition.{c.id}.name", lang)
            if c.value is None:
                out.append(f"[{mark}] {name}: {t('judgment.common.not_available', lang)}")
            else:
                unit = t(f"judgment.unit.{c.unit}", lang)
                n = c.decimals
                value, threshold = f"{c.value:,.{n}f} {unit}", f"{c.threshold:,.{n}f} {unit}"
                out.append(
                    f"[{mark}] {name}: {value} {_SYMBOL[c.op]} {threshold} "
                    f"({t('judgment.common.as_of', lang, date=c.as_of)})"
                )
            if c.note:
                out.append(f"      {c.note_in(lang)}")
        out.append(t(f"judgment.easing.{self.easing_status}", lang))
        out.append(
            t(
                "judgment.monetisation.yes" if self.monetisation else "judgment.monetisation.no",
                lang,
            )
        )
        out.append(
            f"{t('judgment.checklist.verdict_label', lang)}: "
            f"{t(f'judgment.verdict.{self.verdict}', lang)}"
        )
        out.append(t("judgment.checklist.method_note", lang, as_of=self.as_of.isoformat()))
        return "\n".join(out)


def _stale(c: Condition, day: dt.date) -> Condition:
    """``c`` with its age; unavailable (value kept) when an input is stale."""
    from ..freshness import assess

    if not c.inputs:
        return c
    f = assess(dict(c.inputs), day)
    age = (day - min(c.inputs.values())).days
    freqs = [i.frequency for i in f.inputs if i.frequency]
    order = "DWMQA"
    freq = max(freqs, key=order.index) if freqs else None
    c = replace(c, age_days=age, frequency=freq)
    if f.status != "stale":
        return c
    worst = f.worst[0]
    assert worst.last is not None
    return replace(c, met=None, stale=True).with_note(
        "notes.checklist.stale", id=worst.id, last=worst.last, age=(day - worst.last).days
    )


def evaluate(
    data: Mapping[str, pd.Series],
    as_of: DateLike,
    thresholds: Thresholds | None = None,
    *,
    previous: Verdict | Literal["auto"] | None = "auto",
) -> ChecklistResult:
    """Evaluate every condition on point-in-time series (pure function).

    Parameters
    ----------
    data
        ``{catalog id: Series}`` already restricted to what was published by ``as_of``
        (:func:`tidegauge.analysis.asof.snapshot` does that); missing ids make the conditions
        that need them unavailable.
    as_of
        The date of knowledge (the staleness of each input is judged against it).
    thresholds
        Rule parameters; default :class:`Thresholds` ().
    previous
        The verdict at the previous month end (for the hysteresis); ``"auto"`` evaluates the
        ``carry_months`` month ends before ``as_of`` from ``data`` (catalog publication lags),
        ``None`` applies no hysteresis.

    Returns
    -------
    ChecklistResult
    """
    from .asof import parse_as_of

    th = thresholds or Thresholds()
    day = parse_as_of(as_of)
    assert day is not None
    if previous == "auto":
        previous = _carried(data, day, th)
    return judge(day, conditions(data, day, th), th, previous)


def _carried(data: Mapping[str, pd.Series], day: dt.date, th: Thresholds) -> Verdict | None:
    """The verdict at the month end before ``day``, chained over ``th.carry_months`` months."""
    import pandas as pd

    from ..catalog import CATALOG
    from .asof import published_by

    ends = pd.date_range(
        end=pd.Timestamp(day) - pd.offsets.MonthEnd(0), periods=th.carry_months + 1, freq="ME"
    )
    prev: Verdict | None = None
    for end in ends:
        d = end.date()
        if d >= day:
            continue
        snap = {
            sid: part
            for sid, s in data.items()
            if not (
                part := published_by(
                    s, d, CATALOG[sid].publication_lag_days if sid in CATALOG else 0
                )
            ).empty
        }
        prev = judge(d, conditions(snap, d, th), th, prev).verdict
    return prev


def conditions(data: Mapping[str, pd.Series], day: dt.date, th: Thresholds) -> list[Condition]:
    """Every condition of :data:`RULES` evaluated on ``data`` as of ``day``."""
    conds: list[Condition] = []
    for cid, (kind, side, needs, rule) in RULES.items():
        lacking = [sid for sid in needs if sid not in data or data[sid].empty]
        if lacking:
            conds.append(
                Condition.unavailable(
                    cid, kind, side, "notes.checklist.no_data", ids=", ".join(lacking)
                )
            )
            continue
        try:
            conds.append(_stale(rule(data, th, day), day))
        except LookupError as exc:
            conds.append(
                Condition.unavailable(
                    cid, kind, side, "notes.checklist.unavailable", reason=str(exc)
                )
            )
    return conds


def judge(
    day: dt.date, conds: list[Condition], th: Thresholds, previous: Verdict | None = None
) -> ChecklistResult:
    """The easing test, monetisation and the verdict from evaluated conditions (``previous``:
    the verdict at the previous month end, for the hysteresis)."""
    by = {c.id: c for c in conds}
    policy = [c for c in conds if c.kind in ("easing", "tightening")]
    status: Easing
    if any(c.met for c in policy if c.kind == "tightening"):
        status = "no"
    elif any(c.met for c in policy if c.kind == "easing"):
        status = "yes"
    elif all(c.available for c in policy):
        status = "no"
    else:
        status = "unknown"
    monetisation = all(
        bool(by[k].met) for k in ("balance_sheet", "rate_cut", "deficit") if k in by
    ) and all(k in by for k in ("balance_sheet", "rate_cut", "deficit"))
    boom = [c for c in conds if c.side == "bubble" and c.available]
    bust = [c for c in conds if c.side == "recession" and c.available]
    b_met, r_met = sum(bool(c.met) for c in boom), sum(bool(c.met) for c in bust)
    verdict: Verdict
    if status == "no":
        verdict = "not_easing"
    elif status == "unknown":
        verdict = "insufficient"
    elif min(len(boom), len(bust)) < th.min_side_available:
        verdict = "mixed"
    else:
        b, r = b_met / len(boom), r_met / len(bust)
        eps = 1e-9
        if r >= th.most - eps and r > b:
            verdict = "recession"
        elif b >= th.most - eps and b > r:
            verdict = "bubble"
        elif previous == "recession" and r >= th.stay - eps and r > b:
            verdict = "recession"
        elif previous == "bubble" and b >= th.stay - eps and b > r:
            verdict = "bubble"
        else:
            verdict = "mixed"
    return ChecklistResult(
        day, conds, verdict, status, monetisation, b_met, len(boom), r_met, len(bust), th
    )


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
