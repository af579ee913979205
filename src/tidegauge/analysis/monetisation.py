"""Debt-monetisation flag: the Fed adding Treasuries while the federal deficit is large.

Rule (all thresholds are parameters of :func:`monetisation`):

* the Fed's Treasury holdings (TREAST) grew more than ``min_growth_pct`` % over the last
  ``window_weeks`` weeks, **and**
* the last published fiscal-year deficit (FYFSD) exceeds ``deficit_pct_gdp`` % of GDP.

The evidence also says how much of that fiscal year's deficit the Fed's Treasury purchases over
the window would have covered (``share_of_deficit_pct``). :func:`history` applies the same
comparison to every fiscal year since the H.4.1 series begins (2002): the change in TREAST over
the fiscal year against that year's deficit.

The other half of the question — whether the Treasury is shortening the maturity of what it
issues (more bills) — needs issuance data by maturity (Treasury auction results, the bills share
of marketable debt), which the offline mirror does not have: it is reported as not available.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["INPUTS", "MonetisationResult", "history", "monetisation"]

INPUTS: tuple[str, ...] = ("TREAST", "FYFSD", "GDP")
MATURITY_NOTE = (
    "not available: Treasury issuance by maturity (bills share) is not in the data; "
    "the maturity-shortening test cannot be made"
)


def _fy_gdp(gdp: pd.Series, fy_end: pd.Timestamp) -> float:
    import pandas as pd

    q = gdp[(gdp.index > fy_end - pd.DateOffset(years=1)) & (gdp.index <= fy_end)]
    return float((q if not q.empty else gdp.iloc[-4:]).mean())


@dataclass(frozen=True)
class MonetisationResult:
    """The flag with its evidence (USD billions, percent)."""

    flagged: bool
    treasury_change_bn: float
    treasury_growth_pct: float
    window_start: dt.date
    window_end: dt.date
    deficit_bn: float
    deficit_pct_gdp: float
    fiscal_year: int
    share_of_deficit_pct: float
    thresholds: dict[str, float]
    maturity_note: str = MATURITY_NOTE

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["window_start"] = self.window_start.isoformat()
        out["window_end"] = self.window_end.isoformat()
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        key = "flagged" if self.flagged else "not_flagged"
        return "\n".join(
            [
                t(f"judgment.monetisation.{key}", lang),
                t(
                    "judgment.monetisation.evidence",
                    lang,
                    change=f"{self.treasury_change_bn:+,.0f}",
                    growth=f"{self.treasury_growth_pct:+.1f}",
                    start=self.window_start.isoformat(),
                    end=self.window_end.isoformat(),
                    fy=self.fiscal_year,
                    deficit=f"{self.deficit_bn:,.0f}",
                    pct=f"{self.deficit_pct_gdp:.1f}",
                    share=f"{self.share_of_deficit_pct:.0f}",
                ),
                t("judgment.monetisation.maturity", lang),
            ]
        )


def monetisation(
    data: Mapping[str, pd.Series],
    *,
    window_weeks: int = 52,
    min_growth_pct: float = 5.0,
    deficit_pct_gdp: float = 4.0,
) -> MonetisationResult:
    """Evaluate the flag on point-in-time series (see the module docstring).

    Parameters
    ----------
    data
        ``TREAST``, ``FYFSD`` and ``GDP`` in canonical units (USD billions).
    window_weeks : int, default 52
        Window of the Fed's Treasury purchases.
    min_growth_pct : float, default 5.0
        Treasury holdings must grow more than this over the window.
    deficit_pct_gdp : float, default 4.0
        "Large" deficit (same default as the checklist).
    """
    import pandas as pd

    t = data["TREAST"].dropna()
    end = t.index[-1]
    t0 = t[t.index <= end - pd.Timedelta(weeks=window_weeks)]
    if t0.empty:
        raise LookupError("TREAST does not reach back over the window")
    change = float(t.iloc[-1] - t0.iloc[-1])
    growth = change / float(t0.iloc[-1]) * 100
    fy = data["FYFSD"].dropna()
    fy_end = fy.index[-1]
    deficit = -float(fy.iloc[-1])
    pct = deficit / _fy_gdp(data["GDP"].dropna(), fy_end) * 100
    share = change / deficit * 100 if deficit > 0 else float("nan")
    flagged = growth > min_growth_pct and pct > deficit_pct_gdp
    return MonetisationResult(
        flagged,
        change,
        growth,
        t0.index[-1].date(),
        end.date(),
        deficit,
        pct,
        fy_end.year,
        share,
        {
            "window_weeks": window_weeks,
            "min_growth_pct": min_growth_pct,
            "deficit_pct_gdp": deficit_pct_gdp,
        },
    )


def history(
    data: Mapping[str, pd.Series], *, deficit_pct_gdp: float = 4.0, min_growth_pct: float = 5.0
) -> pd.DataFrame:
    """Per fiscal year since TREAST begins: Fed Treasury change, deficit, share and the flag."""
    import pandas as pd

    t = data["TREAST"].dropna()
    fy = data["FYFSD"].dropna()
    rows = []
    for fy_end, balance in zip(pd.DatetimeIndex(fy.index), fy.to_numpy(), strict=True):
        start = fy_end - pd.DateOffset(years=1)
        if start < t.index[0] or fy_end > t.index[-1]:
            continue
        t0 = float(t[t.index <= start].iloc[-1])
        t1 = float(t[t.index <= fy_end].iloc[-1])
        deficit = -float(balance)
        pct = deficit / _fy_gdp(data["GDP"].dropna(), fy_end) * 100
        growth = (t1 / t0 - 1) * 100
        rows.append(
            {
                "fiscal_year": fy_end.year,
                "treasury_change_bn": t1 - t0,
                "treasury_growth_pct": growth,
                "deficit_bn": deficit,
                "deficit_pct_gdp": pct,
                "share_of_deficit_pct": (t1 - t0) / deficit * 100 if deficit > 0 else None,
                "flagged": growth > min_growth_pct and pct > deficit_pct_gdp,
            }
        )
    return pd.DataFrame(rows).set_index("fiscal_year")
