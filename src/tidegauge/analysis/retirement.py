"""Retirement in real terms: a nest egg projected in today's money and what it can pay
(PRODUCT.md C7; re-exported by :mod:`tidegauge.analysis.calculators`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..errors import Term
from .checks import check_amount, check_rate, check_years
from .fisher import real_rate

__all__ = ["RetirementPlan", "retirement"]


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
    s = check_amount(savings, Term("errors.names.savings"))
    c = check_amount(contribution, Term("errors.names.contribution"))
    n = check_years(years_to_retirement, Term("errors.names.years_to_retirement"))
    i = check_rate(nominal_return, Term("errors.names.nominal_return"))
    p = check_rate(inflation, Term("errors.names.inflation"))
    m = check_years(years_in_retirement, Term("errors.names.years_in_retirement"))
    w = None if withdrawal is None else check_amount(withdrawal, Term("errors.names.withdrawal"))
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
