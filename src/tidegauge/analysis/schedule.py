"""The balance-sheet policy a projection follows, month by month, from the program catalog.

:func:`announced_steps` reads the Fed's programs as announced by a date of knowledge
(``known_at``: a program, a cap change or an end decided later is not known) and gives each
month of a projection its rules:

* during a QT program (``kind = "QT"``, in force at the month's midpoint): Treasuries run off
  by the cap in force, MBS by ``min(cap, paydowns)``;
* after a QT program's *known* end: its ``after_end`` rules from the catalog — Treasury
  principal rolled over, MBS principal reinvested (into bills after QT2, into Treasuries after
  QT1);
* reserve-management purchases (``kind = "reserve_management"`` with a monthly pace) in force
  at the midpoint add bills.

:func:`continued_qt_steps` is the explicit "QT continues" scenario (the last known caps carried
forward, no end) and :func:`constant_caps_steps` the user's own caps. :func:`collapse` turns
the monthly steps into the schedule a projection prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .._dates import add_months
from ..catalog.programs import CapPeriod, Program, load_programs

__all__ = [
    "Step",
    "announced_steps",
    "assumed",
    "assumption_text",
    "cap_steps",
    "collapse",
    "constant_caps_steps",
    "continued_qt_steps",
    "schedule_text",
]

TreasuryRule = Literal["cap", "rollover"]
MbsRule = Literal["cap", "bills", "treasuries", "hold"]


@dataclass(frozen=True)
class Step:
    """The rules of one projected month (USD billions per month).

    ``treasury``: ``"cap"`` (run off by ``treasury_cap_bn``) or ``"rollover"``; ``mbs``:
    ``"cap"`` (run off by ``min(mbs_cap_bn, paydowns)``), ``"bills"`` / ``"treasuries"``
    (paydowns reinvested into them) or ``"hold"`` (reinvested into MBS); ``purchases_bn``:
    bills bought; ``programs``: the catalog ids behind the rules.
    """

    start: dt.date
    end: dt.date
    treasury: TreasuryRule
    treasury_cap_bn: float | None
    mbs: MbsRule
    mbs_cap_bn: float | None
    purchases_bn: float
    programs: tuple[str, ...]

    def flows(self, paydown_bn: float) -> tuple[float, float]:
        """(change of Treasuries, change of MBS) in the month, given MBS paydowns."""
        t = -(self.treasury_cap_bn or 0.0) if self.treasury == "cap" else 0.0
        m = 0.0
        if self.mbs == "cap":
            m = -min(self.mbs_cap_bn or 0.0, paydown_bn)
        elif self.mbs in ("bills", "treasuries"):
            m, t = -paydown_bn, t + paydown_bn
        return t + self.purchases_bn, m

    def rules(self) -> tuple[Any, ...]:
        return (
            self.treasury,
            self.treasury_cap_bn,
            self.mbs,
            self.mbs_cap_bn,
            self.purchases_bn,
            self.programs,
        )


def _months(start: dt.date, months: int) -> list[tuple[dt.date, dt.date, dt.date]]:
    """``(first day, last day exclusive, midpoint)`` of each month step from ``start``."""
    out = []
    for k in range(months):
        s, e = add_months(start, k), add_months(start, k + 1)
        out.append((s, e, s + (e - s) / 2))
    return out


def _known_caps(p: Program, known_at: dt.date) -> list[CapPeriod]:
    return [c for c in p.caps if (c.announced or p.announced) <= known_at]


def _known_end(p: Program, known_at: dt.date) -> dt.date | None:
    if p.end is None or (p.end_announced or p.announced) > known_at:
        return None
    return p.end


def announced_steps(
    start: dt.date, months: int, known_at: dt.date, programs: Sequence[Program] | None = None
) -> list[Step]:
    """Monthly rules from the programs announced by ``known_at`` (see the module docstring)."""
    progs = [p for p in (programs or load_programs("fed")) if p.announced <= known_at]
    qts = [p for p in progs if p.kind == "QT"]
    rmps = [p for p in progs if p.kind == "reserve_management" and p.purchases_bn_per_month]
    steps = []
    for s, e, mid in _months(start, months):
        t_rule: TreasuryRule = "rollover"
        m_rule: MbsRule = "hold"
        t_cap = m_cap = None
        ids: list[str] = []
        for p in qts:
            end = _known_end(p, known_at)
            if p.effective <= mid and (end is None or mid < end):
                caps = [c for c in _known_caps(p, known_at) if c.start <= mid]
                if caps:
                    t_rule, m_rule = "cap", "cap"
                    t_cap, m_cap = caps[-1].treasury_cap_bn, caps[-1].mbs_cap_bn
                    ids = [p.id]
            elif end is not None and end <= mid and t_rule != "cap":
                t_rule = "rollover"
                m_rule = p.after_end.get("mbs", "hold")  # type: ignore[assignment]
                ids = [p.id]
        purchases = 0.0
        for p in rmps:
            end = _known_end(p, known_at)
            if p.effective <= mid and (end is None or mid < end):
                purchases += float(p.purchases_bn_per_month or 0.0)
                ids.append(p.id)
        steps.append(Step(s, e, t_rule, t_cap, m_rule, m_cap, purchases, tuple(ids)))
    return steps


def continued_qt_steps(
    start: dt.date, months: int, known_at: dt.date, programs: Sequence[Program] | None = None
) -> list[Step]:
    """The scenario "QT continues": the announced steps until the last known cap, which then
    applies every month (no end, no reinvestment, no purchases)."""
    progs = [p for p in (programs or load_programs("fed")) if p.announced <= known_at]
    last: tuple[str, CapPeriod] | None = None
    for p in progs:
        for c in _known_caps(p, known_at):
            if p.kind == "QT" and (last is None or c.start >= last[1].start):
                last = (p.id, c)
    if last is None:
        return announced_steps(start, months, known_at, programs)
    pid, cap = last
    return [
        Step(s, e, "cap", cap.treasury_cap_bn, "cap", cap.mbs_cap_bn, 0.0, (pid,))
        if mid >= cap.start
        else announced_steps(s, 1, known_at, programs)[0]
        for s, e, mid in _months(start, months)
    ]


def constant_caps_steps(
    start: dt.date, months: int, treasury_cap_bn: float, mbs_cap_bn: float
) -> list[Step]:
    """The user's caps every month (a custom QT scenario)."""
    return [
        Step(s, e, "cap", treasury_cap_bn, "cap", mbs_cap_bn, 0.0, ())
        for s, e, _ in _months(start, months)
    ]


def collapse(steps: Sequence[Step]) -> list[dict[str, Any]]:
    """Consecutive months with the same rules as one period (JSON-ready): ``start``, ``end``
    (exclusive), ``months``, ``treasury``, ``treasury_cap_bn``, ``mbs``, ``mbs_cap_bn``,
    ``purchases_bn``, ``programs``."""
    out: list[dict[str, Any]] = []
    for st in steps:
        if out and out[-1]["_rules"] == st.rules():
            out[-1]["end"], out[-1]["months"] = st.end.isoformat(), out[-1]["months"] + 1
            continue
        out.append(
            {
                "_rules": st.rules(),
                "start": st.start.isoformat(),
                "end": st.end.isoformat(),
                "months": 1,
                "treasury": st.treasury,
                "treasury_cap_bn": st.treasury_cap_bn,
                "mbs": st.mbs,
                "mbs_cap_bn": st.mbs_cap_bn,
                "purchases_bn": st.purchases_bn,
                "programs": list(st.programs),
            }
        )
    for row in out:
        del row["_rules"]
    return out


def cap_steps(start: dt.date, months: int, caps: Sequence[CapPeriod]) -> list[Step]:
    """The user's caps: the period in force at each month's midpoint (the last continues)."""
    out = []
    for k in range(months):
        s, e = add_months(start, k), add_months(start, k + 1)
        mid = s + (e - s) / 2
        cap = next((c for c in reversed(caps) if c.start <= mid), None)
        t_cap = (cap.treasury_cap_bn or 0.0) if cap else 0.0
        m_cap = (cap.mbs_cap_bn or 0.0) if cap else 0.0
        out.append(Step(s, e, "cap", t_cap, "cap", m_cap, 0.0, ()))
    return out


def assumed(assumption: Any, start_bn: float, sid: str, state: Any) -> dict[str, Any]:
    """How the TGA or the RRP is assumed: held at its start value (with that value's date),
    a level given by the user, or an actual path (a back-test)."""
    if assumption is None:
        return {"how": "held", "bn": start_bn, "series": sid, "date": state.as_of.get(sid)}
    if isinstance(assumption, int | float):
        return {"how": "given", "bn": float(assumption), "series": sid, "date": None}
    return {"how": "actual", "bn": None, "series": sid, "date": None}


def schedule_text(row: Mapping[str, Any], lang: str = "en") -> str:
    """One period of a schedule in words."""
    from ..i18n import t

    if row["treasury"] == "cap":
        tre = t("judgment.simulate.rule.treasury_cap", lang, cap=f"{row['treasury_cap_bn']:g}")
    else:
        tre = t("judgment.simulate.rule.treasury_rollover", lang)
    if row["mbs"] == "cap":
        mbs = t("judgment.simulate.rule.mbs_cap", lang, cap=f"{row['mbs_cap_bn']:g}")
    else:
        mbs = t(f"judgment.simulate.rule.mbs_{row['mbs']}", lang)
    buy = (
        t("judgment.simulate.rule.purchases", lang, bn=f"{row['purchases_bn']:g}")
        if row["purchases_bn"]
        else ""
    )
    progs = ", ".join(row["programs"]) or t("judgment.simulate.rule.user", lang)
    return t(
        "judgment.simulate.rule.period",
        lang,
        start=row["start"],
        end=row["end"],
        treasury=tre,
        mbs=mbs,
        purchases=buy,
        programs=progs,
    )


def assumption_text(key: str, a: Mapping[str, Any], lang: str = "en") -> str:
    """How the TGA or the RRP was assumed, with its date."""
    from ..i18n import t

    bn = "" if a.get("bn") is None else f"{a['bn']:,.0f}"
    return t(f"judgment.simulate.assumed_{a['how']}", lang, item=key.upper(), bn=bn,
             series=a["series"], date=a.get("date") or "")  # fmt: skip
