"""Personal-finance calculators in real terms (PRODUCT.md C7).

All rates are **percent per year**; money amounts are in any one currency. Inputs are validated:
a rate at or below −100 %, a negative amount or a negative number of years is a
:class:`~tidegauge.errors.UsageError` with a message that says what to change.

Examples
--------
>>> rr = real_return(10.0, 2.0)
>>> rr.approx, round(rr.exact, 3)
(8.0, 7.843)
>>> round(purchasing_power(100.0, 3.0, 10).real_value, 2)
74.41
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

from ..errors import Term, UsageError
from .fisher import real_rate

__all__ = [
    "MAX_YEARS",
    "InstrumentKind",
    "PurchasingPower",
    "RealReturn",
    "RetirementPlan",
    "purchasing_power",
    "real_return",
    "retirement",
]

InstrumentKind = Literal["deposit", "bond", "loan"]
"""What the nominal rate is paid on: for a loan the real rate is the real cost of borrowing."""

MAX_YEARS = 200
"""Longest horizon accepted, years (beyond that compounding is meaningless for a person)."""


def _finite(value: float, name: str | Term) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise UsageError.t("errors.value.not_a_number", name=name, value=value) from None
    if not math.isfinite(v):
        raise UsageError.t("errors.value.not_finite", name=name, value=value)
    return v


def _rate(value: float, name: str | Term) -> float:
    v = _finite(value, name)
    if v <= -100.0:
        raise UsageError.t("errors.value.rate_too_low", name=name, value=v)
    if v > 1000.0:
        raise UsageError.t("errors.value.rate_too_high", name=name, value=v)
    return v


def _amount(value: float, name: str | Term) -> float:
    v = _finite(value, name)
    if v < 0:
        raise UsageError.t("errors.value.negative_amount", name=name, value=v)
    return v


_YEARS = Term("errors.names.years")


def _years(value: float, name: str | Term = _YEARS) -> float:
    v = _finite(value, name)
    if v < 0:
        raise UsageError.t("errors.value.negative_years", name=name, value=v)
    if v > MAX_YEARS:
        raise UsageError.t("errors.value.too_many_years", name=name, value=v, max=MAX_YEARS)
    return v


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RealReturn:
    """Real return of a deposit or bond, or real cost of a loan (percent per year)."""

    nominal: float
    inflation: float
    kind: InstrumentKind
    approx: float
    exact: float

    def to_dict(self) -> dict[str, float]:
        """``{"approx": ..., "exact": ...}`` — the JSON of ``calc real-return``."""
        return {"approx": self.approx, "exact": self.exact}

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        return "\n".join(
            [
                t(f"calc.real_return.title_{self.kind}", lang),
                "  "
                + t(
                    "calc.real_return.inputs",
                    lang,
                    nominal=f"{self.nominal:g}",
                    inflation=f"{self.inflation:g}",
                ),
                "  " + t("calc.real_return.approx", lang, value=f"{self.approx:.3f}"),
                "  " + t("calc.real_return.exact", lang, value=f"{self.exact:.3f}"),
                "  " + t(f"calc.real_return.meaning_{self.kind}", lang, value=f"{self.exact:.3f}"),
            ]
        )


def real_return(nominal: float, inflation: float, kind: InstrumentKind = "deposit") -> RealReturn:
    """Real rate of a nominal rate given inflation, both approximate and exact.

    Parameters
    ----------
    nominal
        Nominal interest rate, percent per year (a deposit or bond yield, or a loan rate).
    inflation
        Expected or realised inflation, percent per year (> −100).
    kind
        ``"deposit"``, ``"bond"`` or ``"loan"`` — only changes the wording of the summary.

    Examples
    --------
    >>> real_return(10, 2).to_dict()["approx"]
    8.0
    """
    if kind not in ("deposit", "bond", "loan"):
        raise UsageError.t("errors.value.kind", kind=kind)
    i = _rate(nominal, Term("errors.names.nominal_rate"))
    p = _rate(inflation, Term("errors.names.inflation"))
    return RealReturn(i, p, kind, real_rate(i, p, "approx"), real_rate(i, p, "exact"))


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PurchasingPower:
    """What an amount is worth after ``years`` of inflation.

    Attributes
    ----------
    real_value
        Today's-money value of ``amount`` held as cash for ``years``: ``amount / (1 + π)^N``.
    needed_nominal
        Nominal amount needed then to buy what ``amount`` buys today: ``amount · (1 + π)^N``.
    loss_pct
        Share of purchasing power lost, percent.
    """

    amount: float
    inflation: float
    years: float
    real_value: float
    needed_nominal: float
    loss_pct: float

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        kw = {
            "amount": f"{self.amount:,.2f}",
            "inflation": f"{self.inflation:g}",
            "years": f"{self.years:g}",
        }
        return "\n".join(
            [
                t("calc.purchasing_power.title", lang),
                "  " + t("calc.purchasing_power.inputs", lang, **kw),
                "  "
                + t(
                    "calc.purchasing_power.real_value", lang, value=f"{self.real_value:,.2f}", **kw
                ),
                "  "
                + t(
                    "calc.purchasing_power.needed", lang, value=f"{self.needed_nominal:,.2f}", **kw
                ),
                "  " + t("calc.purchasing_power.loss", lang, value=f"{self.loss_pct:.1f}"),
            ]
        )


def purchasing_power(amount: float, inflation: float, years: float) -> PurchasingPower:
    """Purchasing power of ``amount`` after ``years`` at a constant ``inflation`` (percent).

    Examples
    --------
    >>> round(purchasing_power(1000, 2, 35).real_value, 1)
    500.0
    """
    a = _amount(amount, Term("errors.names.amount"))
    p = _rate(inflation, Term("errors.names.inflation"))
    n = _years(years)
    factor = (1 + p / 100.0) ** n
    return PurchasingPower(a, p, n, a / factor, a * factor, (1 - 1 / factor) * 100.0)


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RetirementPlan:
    """A nest egg projected in today's money and what it can pay.

    Everything is computed in real terms at the exact Fisher real return
    ``(1 + i) / (1 + π) − 1``; contributions and withdrawals are constant **in today's money**
    (they grow with inflation in nominal terms).

    Attributes
    ----------
    real_return
        Exact real return, percent per year.
    nest_egg_nominal
        Balance at retirement in the money of that day.
    nest_egg_today
        The same balance in today's money.
    sustainable_withdrawal
        Inflation-adjusted yearly withdrawal (today's money, taken at the start of each year)
        that exhausts the nest egg after exactly ``years_in_retirement`` years.
    required_nest_egg
        Nest egg (today's money) needed to pay ``withdrawal`` for ``years_in_retirement``
        years; ``None`` without a ``withdrawal``.
    shortfall
        ``required_nest_egg − nest_egg_today`` (negative = surplus); ``None`` without one.
    years_lasting
        How many full yearly withdrawals the nest egg pays; ``None`` when it never runs out
        (the real return alone covers the withdrawal) or without a ``withdrawal``.
    """

    savings: float
    contribution: float
    years_to_retirement: float
    nominal_return: float
    inflation: float
    years_in_retirement: float
    withdrawal: float | None
    real_return: float
    nest_egg_nominal: float
    nest_egg_today: float
    sustainable_withdrawal: float
    required_nest_egg: float | None
    shortfall: float | None
    years_lasting: int | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        def money(x: float) -> str:
            return f"{x:,.0f}"

        lines = [
            t("calc.retirement.title", lang),
            "  "
            + t(
                "calc.retirement.inputs",
                lang,
                savings=money(self.savings),
                contribution=money(self.contribution),
                years=f"{self.years_to_retirement:g}",
                nominal=f"{self.nominal_return:g}",
                inflation=f"{self.inflation:g}",
            ),
            "  " + t("calc.retirement.real_return", lang, value=f"{self.real_return:.3f}"),
            "  "
            + t(
                "calc.retirement.nest_egg",
                lang,
                nominal=money(self.nest_egg_nominal),
                today=money(self.nest_egg_today),
                years=f"{self.years_to_retirement:g}",
            ),
            "  "
            + t(
                "calc.retirement.sustainable",
                lang,
                value=money(self.sustainable_withdrawal),
                years=f"{self.years_in_retirement:g}",
            ),
        ]
        if self.withdrawal is not None and self.required_nest_egg is not None:
            lines.append(
                "  "
                + t(
                    "calc.retirement.required",
                    lang,
                    withdrawal=money(self.withdrawal),
                    years=f"{self.years_in_retirement:g}",
                    value=money(self.required_nest_egg),
                )
            )
            lasting = (
                t("calc.retirement.forever", lang)
                if self.years_lasting is None
                else str(self.years_lasting)
            )
            lines.append("  " + t("calc.retirement.lasting", lang, years=lasting))
        lines.append("  " + t("calc.retirement.note", lang))
        return "\n".join(lines)


def _annuity_due_factor(real: float, years: float) -> float:
    """Present value of 1 a year paid at the start of each of ``years`` years at ``real``."""
    if years == 0:
        return 0.0
    r = real / 100.0
    if abs(r) < 1e-12:
        return years
    return (1 - (1 + r) ** -years) / r * (1 + r)


def retirement(
    savings: float,
    contribution: float,
    years_to_retirement: float,
    nominal_return: float,
    inflation: float,
    *,
    years_in_retirement: float = 30,
    withdrawal: float | None = None,
) -> RetirementPlan:
    """Project a nest egg in today's money and test inflation-adjusted withdrawals.

    Parameters
    ----------
    savings
        Savings today (today's money).
    contribution
        Yearly saving in today's money, added at the end of each year until retirement and
        raised with inflation.
    years_to_retirement
        Years until retirement (>= 0).
    nominal_return
        Expected nominal return on the savings, percent per year.
    inflation
        Expected inflation, percent per year.
    years_in_retirement
        How many years the withdrawals must last (default 30).
    withdrawal
        Optional desired yearly withdrawal in today's money (start of each year).

    Returns
    -------
    RetirementPlan

    Examples
    --------
    >>> plan = retirement(0, 10_000, 30, 5.0, 2.0)
    >>> round(plan.nest_egg_today, -3)
    471000.0
    """
    s = _amount(savings, Term("errors.names.savings"))
    c = _amount(contribution, Term("errors.names.contribution"))
    n = _years(years_to_retirement, Term("errors.names.years_to_retirement"))
    i = _rate(nominal_return, Term("errors.names.nominal_return"))
    p = _rate(inflation, Term("errors.names.inflation"))
    m = _years(years_in_retirement, Term("errors.names.years_in_retirement"))
    w = None if withdrawal is None else _amount(withdrawal, Term("errors.names.withdrawal"))
    real = real_rate(i, p, "exact")
    r = real / 100.0
    growth = (1 + r) ** n
    fv_contrib = c * n if abs(r) < 1e-12 else c * (growth - 1) / r
    today = s * growth + fv_contrib
    nominal = today * (1 + p / 100.0) ** n
    factor = _annuity_due_factor(real, m)
    sustainable = today / factor if factor > 0 else 0.0
    required = shortfall = None
    lasting: int | None = None
    if w is not None:
        required = w * factor
        shortfall = required - today
        lasting = _years_lasting(today, w, r)
    return RetirementPlan(
        savings=s,
        contribution=c,
        years_to_retirement=n,
        nominal_return=i,
        inflation=p,
        years_in_retirement=m,
        withdrawal=w,
        real_return=real,
        nest_egg_nominal=nominal,
        nest_egg_today=today,
        sustainable_withdrawal=sustainable,
        required_nest_egg=required,
        shortfall=shortfall,
        years_lasting=lasting,
    )


def _years_lasting(balance: float, withdrawal: float, r: float) -> int | None:
    """Full yearly withdrawals (start of year) a real balance pays; ``None`` if never exhausted."""
    if withdrawal <= 0:
        return None
    if r > 0 and withdrawal <= balance * r / (1 + r) + 1e-9:
        return None  # the return on what is left covers every withdrawal
    years = 0
    while balance + 1e-9 >= withdrawal and years < 10_000:
        balance = (balance - withdrawal) * (1 + r)
        years += 1
    return years
