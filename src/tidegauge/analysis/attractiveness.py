"""Relative attractiveness: the bond yield as gold's hurdle, real returns, an educational playbook.

* **Hurdle.** Gold pays no coupon. Held instead of a 10-year Treasury bought at yield ``y``, it
  must appreciate by more than ``y`` % a year (``(1 + y)^10 − 1`` over ten years) just to match
  the bond held to maturity. For hindsight, gold's realised annualised price change over the last
  ten years is set against the 10-year yield ten years ago (the hurdle it actually faced).
* **Real returns** at current inflation (trailing 12-month CPI, :func:`~.realrates.cpi_yoy`):
  10-year bond = DGS10, cash = fed funds (DFF, ``cash_avg_days``-day average), both through the
  exact Fisher equation (:func:`~.fisher.real_rate`); the approximation is shown beside it.
* **Playbook.** Regimes read from the checklist (:mod:`.checklist`), so the two never
  disagree: ``early_qe`` (the crisis-recovery playbook) when the checklist says the Fed is
  stimulating a recession, ``late_qe`` when it is stimulating a bubble, ``qt`` when the balance
  sheet is shrinking; and ``negative_real_rates`` (real cash rate below zero). Each comes with
  educational text on what has historically happened in that regime. **Not investment advice.**
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .fisher import real_rate
from .realrates import cpi_yoy

if TYPE_CHECKING:
    import pandas as pd

    from .checklist import ChecklistResult

__all__ = ["INPUTS", "Attractiveness", "Regime", "attractiveness"]

INPUTS: tuple[str, ...] = ("DGS10", "DFF", "CPIAUCSL", "GOLD")
Regime = Literal["early_qe", "late_qe", "qt", "negative_real_rates"]


def _last(s: pd.Series) -> tuple[float, dt.date]:
    s = s.dropna()
    return float(s.iloc[-1]), s.index[-1].date()


@dataclass(frozen=True)
class Attractiveness:
    """Figures in percent per year unless stated; ``as_of`` maps each figure to its data date."""

    yield_10y: float
    hurdle_10y_total_pct: float
    cash_rate: float
    inflation: float
    real_bond: float
    real_bond_approx: float
    real_cash: float
    real_cash_approx: float
    gold_price: float | None
    gold_10y_annualised: float | None
    hurdle_10y_ago: float | None
    regimes: list[Regime]
    as_of: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {k: round(v, 4) if isinstance(v, float) else v for k, v in self.__dict__.items()}
        out["not_advice"] = True
        return out

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        a = self.as_of
        out = [
            t("judgment.attractiveness.title", lang),
            t(
                "judgment.attractiveness.hurdle",
                lang,
                y=f"{self.yield_10y:.2f}",
                total=f"{self.hurdle_10y_total_pct:.0f}",
                date=a["DGS10"],
            ),
        ]
        if self.gold_10y_annualised is not None and self.hurdle_10y_ago is not None:
            out.append(
                t(
                    "judgment.attractiveness.gold_realised",
                    lang,
                    g=f"{self.gold_10y_annualised:.1f}",
                    h=f"{self.hurdle_10y_ago:.2f}",
                    date=a["GOLD"],
                )
            )
        out += [
            t(
                "judgment.attractiveness.real_bond",
                lang,
                r=f"{self.real_bond:+.2f}",
                approx=f"{self.real_bond_approx:+.2f}",
                y=f"{self.yield_10y:.2f}",
                pi=f"{self.inflation:.2f}",
                date=a["CPIAUCSL"],
            ),
            t(
                "judgment.attractiveness.real_cash",
                lang,
                r=f"{self.real_cash:+.2f}",
                approx=f"{self.real_cash_approx:+.2f}",
                i=f"{self.cash_rate:.2f}",
                pi=f"{self.inflation:.2f}",
                date=a["DFF"],
            ),
            t("judgment.playbook.title", lang),
        ]
        if not self.regimes:
            out.append("  " + t("judgment.playbook.none", lang))
        for r in self.regimes:
            out.append(
                f"  {t(f'judgment.playbook.{r}.name', lang)}: "
                f"{t(f'judgment.playbook.{r}.text', lang)}"
            )
        out.append(t("judgment.common.not_advice", lang))
        return "\n".join(out)


PLAYBOOK: dict[str, Regime] = {"recession": "early_qe", "bubble": "late_qe"}
"""Checklist verdict → playbook regime."""


def _regimes(checklist: ChecklistResult | None, real_cash: float) -> list[Regime]:
    out: list[Regime] = []
    if checklist is not None:
        if checklist.verdict in PLAYBOOK:
            out.append(PLAYBOOK[checklist.verdict])
        elif checklist.condition("balance_sheet_shrinking").met:
            out.append("qt")
    if real_cash < 0:
        out.append("negative_real_rates")
    return out


def attractiveness(
    data: Mapping[str, pd.Series],
    *,
    cash_avg_days: int = 30,
    checklist: ChecklistResult | None = None,
) -> Attractiveness:
    """Hurdle, real returns and playbook regimes from point-in-time series (pure function).

    Parameters
    ----------
    data
        ``DGS10``, ``DFF``, ``CPIAUCSL`` required; ``GOLD``, ``TREAST``, ``WSHOMCB`` optional.
    cash_avg_days : int, default 30
        Days of the fed funds rate averaged for the cash rate.
    checklist
        The checklist evaluated on the same date (:func:`tidegauge.analysis.checklist.evaluate`):
        the playbook follows its verdict. ``None``: only ``negative_real_rates`` can show.
    """
    import pandas as pd

    y, y_date = _last(data["DGS10"])
    dff = data["DFF"].dropna()
    cash = float(dff[dff.index > dff.index[-1] - pd.Timedelta(days=cash_avg_days)].mean())
    infl_series = cpi_yoy(data["CPIAUCSL"]).dropna()
    pi, pi_date = float(infl_series.iloc[-1]), infl_series.index[-1].date()
    as_of = {
        "DGS10": y_date.isoformat(),
        "DFF": dff.index[-1].date().isoformat(),
        "CPIAUCSL": pi_date.isoformat(),
    }
    gold_price = gold_ann = hurdle_then = None
    if "GOLD" in data and not data["GOLD"].dropna().empty:
        gold = data["GOLD"].dropna()
        gold_price, g_date = _last(gold)
        then = pd.Timestamp(g_date) - pd.DateOffset(years=10)
        past = gold[gold.index <= then]
        ys = data["DGS10"].dropna()
        past_y = ys[ys.index <= then]
        if not past.empty and not past_y.empty:
            gold_ann = ((gold_price / float(past.iloc[-1])) ** (1 / 10) - 1) * 100
            hurdle_then = float(past_y.iloc[-1])
        as_of["GOLD"] = g_date.isoformat()
    real_cash = real_rate(cash, pi)
    return Attractiveness(
        yield_10y=y,
        hurdle_10y_total_pct=((1 + y / 100) ** 10 - 1) * 100,
        cash_rate=cash,
        inflation=pi,
        real_bond=real_rate(y, pi),
        real_bond_approx=real_rate(y, pi, method="approx"),
        real_cash=real_cash,
        real_cash_approx=real_rate(cash, pi, method="approx"),
        gold_price=gold_price,
        gold_10y_annualised=gold_ann,
        hurdle_10y_ago=hurdle_then,
        regimes=_regimes(checklist, real_cash),
        as_of=as_of,
    )
