"""QT run-off projector and QE purchase scenario (the QT2 back-test is in :mod:`.backtest`).

The projector steps month by month from a start date's holdings (H.4.1, USD billions):

* **Treasuries** fall by the cap in force at the start of each month (the Fed redeemed up to the
  cap, topping up with bills when coupons maturing fell short), never below zero;
* **MBS** fall by ``min(cap, mbs_paydown_bn)``: agency MBS are not sold, they only run off as
  homeowners repay, so the cap binds only when paydowns exceed it. The default paydown,
  **$16bn a month**, is about the average monthly decline of WSHOMCB over 2023–2024
  (mortgage rates near 7 % made refinancing rare; realistic range $15–20bn);
* **total assets** move with the securities (other assets held constant);
* **reserves** = start reserves + change in total assets − change in the TGA − change in ON RRP
  (other liabilities, mostly currency, held constant), with the TGA and the RRP at the levels the
  user assumes (a number, or a path such as the actual one in a back-test);
* the **scarcity date** is the first month when reserves fall below
  :data:`tidegauge.analysis.liquidity.SCARCE_BELOW_PCT` % of nominal GDP (GDP grown at
  ``gdp_growth_pct`` a year from the last published quarter).

By default a projection follows the policy **announced by its start date**, read from the
program catalog (:func:`tidegauge.analysis.schedule.announced_steps`): QT caps while QT runs,
then what was announced for its end (after 2025-12-01 Treasury principal is rolled over and MBS
principal reinvested into bills), and reserve-management bill purchases (from 2025-12-12). A
decision taken after the start (the end of QT2, decided 2025-10-29) is not foreseen. Continued
QT is an explicit scenario (``scenario="continue_qt"``); so are the user's own caps. The
projection states the schedule it used and the TGA and RRP it assumed, with their dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._typing import DateLike
from ..catalog.programs import CapPeriod, get_program
from ..errors import NoDataError, UsageError
from .liquidity import GDP_PUBLICATION_LAG_DAYS, SCARCE_BELOW_PCT
from .projection import Projection
from .schedule import (
    Step,
    announced_steps,
    assumption_text,
    cap_steps,
    collapse,
    continued_qt_steps,
    schedule_text,
)
from .schedule import assumed as _assumed

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "INPUTS",
    "SCENARIOS",
    "Projection",
    "StartState",
    "assumption_text",
    "default_caps",
    "project_qe",
    "project_qt",
    "schedule_text",
    "start_state",
]

INPUTS: tuple[str, ...] = ("TREAST", "WSHOMCB", "WALCL", "WRESBAL", "WTREGEN", "RRPONTSYD", "GDP")
DEFAULT_MBS_PAYDOWN_BN = 16.0
DEFAULT_GDP_GROWTH_PCT = 4.0
SCENARIOS = ("announced", "continue_qt")
"""``announced``: the policy announced by the start date; ``continue_qt``: the last known QT
caps carried forward with no end."""


def default_caps() -> tuple[CapPeriod, ...]:
    """The QT2 caps from the program catalog ($30B+$17.5B, $60B+$35B, $25B, $5B Treasuries)."""
    return get_program("QT2").caps


def _last(s: pd.Series, day: Any, name: str) -> tuple[float, dt.date]:
    from .returns import value_at_or_before

    try:
        when, value = value_at_or_before(s, day, name)
    except NoDataError:
        raise NoDataError.t(
            "errors.data.no_data_before", name=name, date=f"{day:%Y-%m-%d}"
        ) from None
    return value, when.date()


def _first_after(s: pd.Series, day: Any, name: str) -> float:
    part = s[s.index >= day].dropna()
    if part.empty or (part.index[0] - day).days > 7:
        raise NoDataError.t("errors.data.no_data_week", name=name, date=f"{day:%Y-%m-%d}")
    return float(part.iloc[0])


@dataclass(frozen=True)
class StartState:
    """Holdings and liabilities at the start (USD billions) and the dates they come from."""

    date: dt.date
    treasury_bn: float
    mbs_bn: float
    total_assets_bn: float
    reserves_bn: float
    tga_bn: float
    rrp_bn: float
    gdp_bn: float
    as_of: dict[str, str] = field(default_factory=dict)


def start_state(data: Mapping[str, pd.Series], start: DateLike) -> StartState:
    """The last observation of each :data:`INPUTS` series on or before ``start``.

    GDP is the last quarter published by then (``GDP_PUBLICATION_LAG_DAYS``); a missing RRP
    before the facility existed counts as zero.
    """
    import pandas as pd

    from .asof import parse_as_of

    day = parse_as_of(start)
    assert day is not None
    ts = pd.Timestamp(day)
    vals: dict[str, float] = {}
    as_of: dict[str, str] = {}
    for sid in ("TREAST", "WSHOMCB", "WALCL", "WRESBAL", "WTREGEN", "RRPONTSYD", "GDP"):
        if sid not in data:
            raise NoDataError.t("errors.data.simulator_input", series_id=sid)
        cutoff = ts - pd.Timedelta(days=GDP_PUBLICATION_LAG_DAYS) if sid == "GDP" else ts
        try:
            vals[sid], when = _last(data[sid], cutoff, sid)
        except NoDataError:
            if sid != "RRPONTSYD":
                raise
            vals[sid], when = 0.0, day
        as_of[sid] = when.isoformat()
    return StartState(
        day,
        vals["TREAST"],
        vals["WSHOMCB"],
        vals["WALCL"],
        vals["WRESBAL"],
        vals["WTREGEN"],
        vals["RRPONTSYD"],
        vals["GDP"],
        as_of,
    )


def _level(assumption: float | pd.Series | None, default: float, day: Any) -> float:
    if assumption is None:
        return default
    if isinstance(assumption, int | float):
        return float(assumption)
    part = assumption[assumption.index <= day].dropna()
    return float(part.iloc[-1]) if not part.empty else default


def _run(
    kind: str,
    state: StartState,
    flows: list[tuple[float, float]],
    *,
    tga_bn: float | pd.Series | None,
    rrp_bn: float | pd.Series | None,
    gdp_growth_pct: float,
    scarce_below_pct: float,
    params: dict[str, Any],
) -> Projection:
    """Apply monthly (treasury change, MBS change) flows; negative = run-off."""
    import pandas as pd

    rows, dates = [], []
    t, m = state.treasury_bn, state.mbs_bn
    scarce: dt.date | None = None
    for k, (dt_, dm_) in enumerate(flows, start=1):
        day = pd.Timestamp(state.date) + pd.DateOffset(months=k)
        t, m = max(t + dt_, 0.0), max(m + dm_, 0.0)
        assets = state.total_assets_bn + (t - state.treasury_bn) + (m - state.mbs_bn)
        tga = _level(tga_bn, state.tga_bn, day)
        rrp = _level(rrp_bn, state.rrp_bn, day)
        reserves = state.reserves_bn + (assets - state.total_assets_bn)
        reserves -= (tga - state.tga_bn) + (rrp - state.rrp_bn)
        gdp = state.gdp_bn * (1 + gdp_growth_pct / 100) ** (k / 12)
        pct = reserves / gdp * 100
        if scarce is None and pct < scarce_below_pct:
            scarce = day.date()
        dates.append(day)
        rows.append(
            {
                "treasury": t,
                "mbs": m,
                "securities": t + m,
                "total_assets": assets,
                "tga": tga,
                "rrp": rrp,
                "reserves": reserves,
                "gdp": gdp,
                "reserves_pct_gdp": pct,
                "treasury_flow": dt_,
                "mbs_flow": dm_,
            }
        )
    path = pd.DataFrame(rows, index=pd.DatetimeIndex(dates, name="date"))
    params = {**params, "gdp_growth_pct": gdp_growth_pct, "scarce_below_pct": scarce_below_pct}
    return Projection(kind, state, path, scarce, params)


def _check_months(months: int) -> None:
    if not 1 <= months <= 600:
        raise UsageError.t("errors.value.months", months=months)


def qt_steps(
    state: StartState,
    months: int,
    scenario: str = "announced",
    known_at: dt.date | None = None,
) -> list[Step]:
    """The monthly rules of a QT projection from ``state`` (see :mod:`.schedule`)."""
    if scenario not in SCENARIOS:
        raise UsageError.t("errors.params.choice", name="scenario", value=repr(scenario),
                           choices=", ".join(SCENARIOS))  # fmt: skip
    known = known_at or state.date
    if scenario == "continue_qt":
        return continued_qt_steps(state.date, months, known)
    return announced_steps(state.date, months, known)


def project_qt(
    state: StartState,
    months: int = 24,
    *,
    caps: Sequence[CapPeriod] | None = None,
    steps: Sequence[Step] | None = None,
    scenario: str = "announced",
    known_at: dt.date | None = None,
    mbs_paydown_bn: float = DEFAULT_MBS_PAYDOWN_BN,
    tga_bn: float | pd.Series | None = None,
    rrp_bn: float | pd.Series | None = None,
    gdp_growth_pct: float = DEFAULT_GDP_GROWTH_PCT,
    scarce_below_pct: float = SCARCE_BELOW_PCT,
) -> Projection:
    """Project QT run-off from ``state`` for ``months`` months.

    Parameters
    ----------
    state
        Holdings at the start (:func:`start_state`).
    months
        Number of monthly steps (1–600).
    caps
        The user's own caps (the period in force at each month's midpoint applies; the last
        one continues); overrides ``scenario``.
    steps
        Monthly rules (:mod:`.schedule`); overrides ``caps`` and ``scenario``.
    scenario : {"announced", "continue_qt"}
        The policy announced by ``known_at`` (default), or QT carried on at its last caps.
    known_at
        Date of knowledge of the announcements (default: the start date).
    mbs_paydown_bn : float, default 16.0
        Realistic MBS principal paydowns per month (USD billions); MBS run-off is
        ``min(cap, paydown)``.
    tga_bn, rrp_bn
        TGA and ON RRP assumed (USD billions; a number or a dated path). Default: start levels.
    gdp_growth_pct : float, default 4.0
        Nominal GDP growth per year for the reserves/GDP ratio.
    scarce_below_pct : float, default SCARCE_BELOW_PCT
        Reserves/GDP below which reserves are scarce (from :mod:`.liquidity`).
    """
    _check_months(months)
    if mbs_paydown_bn < 0:
        raise UsageError.t("errors.value.paydown")
    if steps is None and caps is not None:
        steps = cap_steps(state.date, months, caps)
        scenario = "custom"
    if steps is None:
        steps = qt_steps(state, months, scenario, known_at)
    flows = [st.flows(mbs_paydown_bn) for st in steps[:months]]
    params = {
        "scenario": scenario,
        "known_at": (known_at or state.date).isoformat(),
        "schedule": collapse(steps[:months]),
        "mbs_paydown_bn": mbs_paydown_bn,
        "assumed": {
            "tga": _assumed(tga_bn, state.tga_bn, "WTREGEN", state),
            "rrp": _assumed(rrp_bn, state.rrp_bn, "RRPONTSYD", state),
        },
    }
    return _run(
        "qt",
        state,
        flows,
        tga_bn=tga_bn,
        rrp_bn=rrp_bn,
        gdp_growth_pct=gdp_growth_pct,
        scarce_below_pct=scarce_below_pct,
        params=params,
    )


def project_qe(
    state: StartState,
    purchases_bn: float,
    months: int,
    *,
    treasury_share: float = 2 / 3,
    tga_bn: float | pd.Series | None = None,
    rrp_bn: float | pd.Series | None = None,
    gdp_growth_pct: float = DEFAULT_GDP_GROWTH_PCT,
    scarce_below_pct: float = SCARCE_BELOW_PCT,
) -> Projection:
    """A QE scenario: ``purchases_bn`` a month for ``months`` months.

    Parameters
    ----------
    purchases_bn
        Purchases per month (USD billions, positive).
    treasury_share : float, default 2/3
        Share bought in Treasuries (the rest MBS): 2020–21 purchases were $80B + $40B.
    """
    _check_months(months)
    if purchases_bn <= 0:
        raise UsageError.t("errors.value.purchases", value=purchases_bn)
    if not 0 <= treasury_share <= 1:
        raise UsageError.t("errors.value.treasury_share")
    flows = [(purchases_bn * treasury_share, purchases_bn * (1 - treasury_share))] * months
    params = {
        "purchases_bn": purchases_bn,
        "treasury_share": treasury_share,
        "assumed": {
            "tga": _assumed(tga_bn, state.tga_bn, "WTREGEN", state),
            "rrp": _assumed(rrp_bn, state.rrp_bn, "RRPONTSYD", state),
        },
    }
    return _run(
        "qe",
        state,
        flows,
        tga_bn=tga_bn,
        rrp_bn=rrp_bn,
        gdp_growth_pct=gdp_growth_pct,
        scarce_below_pct=scarce_below_pct,
        params=params,
    )
