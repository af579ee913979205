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

from dataclasses import asdict, dataclass
from typing import Literal

from ..errors import Term, UsageError
from .checks import MAX_YEARS, check_amount, check_rate, check_years
from .fisher import real_rate
from .retirement import RetirementPlan, retirement

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
    i = check_rate(nominal, Term("errors.names.nominal_rate"))
    p = check_rate(inflation, Term("errors.names.inflation"))
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
    a = check_amount(amount, Term("errors.names.amount"))
    p = check_rate(inflation, Term("errors.names.inflation"))
    n = check_years(years)
    factor = (1 + p / 100.0) ** n
    return PurchasingPower(a, p, n, a / factor, a * factor, (1 - 1 / factor) * 100.0)
