"""Global central-bank liquidity in US dollars: the Fed, the ECB and the BOJ, and what moved it.

Each balance sheet is converted at the exchange rate of its own date (USD billions):

* Fed: ``WALCL`` (USD millions → billions), a Wednesday level;
* ECB: ``ECBASSETSW`` (EUR millions → billions; the Eurosystem's weekly statement, dated
  Friday) × ``DEXUSEU`` (US dollars per euro);
* BOJ: ``JPNASSETS`` (100 million yen → billions of yen: ÷ 10) ÷ ``DEXJPUS`` (yen per US
  dollar). The BOJ's monthly accounts are an end-of-month stock that FRED dates the first of the
  month, so the rate is the month's last (the last noon rate on or before the month's end).

The rate used is the last one on or before the balance sheet's date, at most
:data:`FX_MAX_GAP_DAYS` earlier; a balance sheet without such a rate is not converted (its dollar
value stays at the last date that has one — each bank keeps its own as-of date). The total adds
the three latest dollar values, whatever their dates, and says so.

**Policy versus exchange rate.** A bank's dollar value is ``A × x`` (own-currency assets times
dollars per unit of its currency). Over a window its change splits exactly into

    Δ(A·x) = ΔA · (x₀ + x₁)/2   +   Δx · (A₀ + A₁)/2
             policy effect          exchange-rate effect

(the symmetric, order-free split: each effect is valued at the average of the other factor; the
two add up to the change with no residual). The Fed's exchange-rate effect is zero. A strong
dollar shrinks the ECB and BOJ in dollars even when they do nothing, and a weak one inflates them;
trackers that add the three in dollars show that as "global liquidity".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import NoDataError
from .netliq import align_to_dates

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BANKS",
    "FX_MAX_GAP_DAYS",
    "GLOBAL_IDS",
    "BankUsd",
    "GlobalResult",
    "global_liquidity",
    "split_change",
    "usd_series",
]


@dataclass(frozen=True)
class Bank:
    code: str  # "fed", "ecb", "boj"
    name: str  # "Fed", "ECB", "BOJ" (the JSON's bank names)
    assets: str
    fx: str | None
    currency: str
    invert: bool  # the rate is own currency per dollar (DEXJPUS)
    monthly: bool  # a monthly stock dated the first of its month


BANKS: tuple[Bank, ...] = (
    Bank("fed", "Fed", "WALCL", None, "USD", False, False),
    Bank("ecb", "ECB", "ECBASSETSW", "DEXUSEU", "EUR", False, False),
    Bank("boj", "BOJ", "JPNASSETS", "DEXJPUS", "JPY", True, True),
)
GLOBAL_IDS = ("WALCL", "ECBASSETSW", "DEXUSEU", "JPNASSETS", "DEXJPUS")
FX_MAX_GAP_DAYS = 7
"""The exchange rate may come from at most this many days before the balance sheet's date (a
holiday week); otherwise the balance sheet is not converted."""


def _stock_dates(s: pd.Series, monthly: bool) -> pd.DatetimeIndex:
    """The date each observation stands for: the month's end for a monthly stock."""
    import pandas as pd

    idx = pd.DatetimeIndex(s.index)
    return idx + pd.offsets.MonthEnd(0) if monthly else idx


def usd_series(bank: Bank, data: dict[str, pd.Series]) -> pd.DataFrame:
    """``bank``'s balance sheet in dollars at every observation with a rate.

    Returns
    -------
    pandas.DataFrame
        Indexed by the observation's own (FRED) date: ``own`` (billions of own currency),
        ``stock_date`` (month end for the BOJ), ``rate`` (dollars per unit of own currency),
        ``fx`` (the rate as published), ``fx_date``, ``usd`` (USD billions).
    """
    import pandas as pd

    a = data[bank.assets].dropna().astype(float)
    out = pd.DataFrame({"own": a.to_numpy()}, index=pd.DatetimeIndex(a.index, name="date"))
    out["stock_date"] = _stock_dates(a, bank.monthly)
    if bank.fx is None:
        out["fx"], out["fx_date"], out["rate"] = float("nan"), pd.NaT, 1.0
    else:
        fx = align_to_dates(
            data[bank.fx], pd.DatetimeIndex(out["stock_date"]), max_gap_days=FX_MAX_GAP_DAYS
        )
        out["fx"], out["fx_date"] = fx["value"].to_numpy(), fx["value_date"].to_numpy()
        out["rate"] = 1.0 / out["fx"] if bank.invert else out["fx"]
    out["usd"] = out["own"] * out["rate"]
    return out.dropna(subset=["usd"])


def split_change(a0: float, a1: float, x0: float, x1: float) -> tuple[float, float]:
    """``(policy, exchange-rate)`` effects of going from ``a0 × x0`` to ``a1 × x1``.

    >>> p, f = split_change(100.0, 120.0, 1.10, 1.00)   # +20 own currency, the euro -10 cents
    >>> round(p, 6), round(f, 6), round(p + f, 6) == round(120 * 1.00 - 100 * 1.10, 6)
    (21.0, -11.0, True)
    """
    return (a1 - a0) * (x0 + x1) / 2, (x1 - x0) * (a0 + a1) / 2


@dataclass(frozen=True)
class BankUsd:
    """One bank's dollar value on its own date and its change over the window."""

    bank: Bank
    row: Any  # the usd_series row at the end
    date: dt.date
    start_row: Any | None
    start_date: dt.date | None

    @property
    def usd(self) -> float:
        return float(self.row["usd"])

    def change(self) -> dict[str, Any] | None:
        if self.start_row is None or self.start_date is None:
            return None
        a0, a1 = float(self.start_row["own"]), float(self.row["own"])
        x0, x1 = float(self.start_row["rate"]), float(self.row["rate"])
        policy, fx = split_change(a0, a1, x0, x1)
        return {
            "start": self.start_date.isoformat(),
            "end": self.date.isoformat(),
            "usd_bn": a1 * x1 - a0 * x0,
            "policy_usd_bn": policy,
            "fx_usd_bn": fx,
            "own_change_bn": a1 - a0,
            "start_usd_bn": a0 * x0,
            "start_fx": None if self.bank.fx is None else float(self.start_row["fx"]),
        }

    def to_dict(self, total: float) -> dict[str, Any]:
        b, r = self.bank, self.row
        fx_date = None if b.fx is None else r["fx_date"].date().isoformat()
        return {
            "bank": b.name,
            "usd_bn": self.usd,
            "as_of": self.date.isoformat(),
            "share_pct": self.usd / total * 100,
            "own_bn": float(r["own"]),
            "currency": b.currency,
            "series": b.assets,
            "stock_date": r["stock_date"].date().isoformat(),
            "fx": None if b.fx is None else float(r["fx"]),
            "fx_series": b.fx,
            "fx_date": fx_date,
            "change": self.change(),
        }


@dataclass
class GlobalResult:
    """The three banks in dollars (:attr:`banks`, in :data:`BANKS` order) and the monthly
    history (:attr:`history`: month-end dollar values, USD billions). :attr:`as_of` is the date
    of knowledge the result answers for (set by the caller; each bank has its own date)."""

    banks: list[BankUsd]
    history: pd.DataFrame
    unit: str = "USD billions"
    as_of: dt.date | None = None

    @property
    def total(self) -> float:
        return sum(b.usd for b in self.banks)

    def change(self) -> dict[str, Any] | None:
        parts = [b.change() for b in self.banks]
        if any(p is None for p in parts):
            return None
        keys = ("usd_bn", "policy_usd_bn", "fx_usd_bn")
        return {k: sum(p[k] for p in parts if p is not None) for k in keys}

    def to_frame(self) -> pd.DataFrame:
        return self.history.copy()

    def to_dict(self) -> dict[str, Any]:
        total = self.total
        dates = [b.date for b in self.banks]
        return {
            "as_of": self.as_of.isoformat() if self.as_of else max(dates).isoformat(),
            "total_usd_bn": total,
            "unit": self.unit,
            "banks": [b.to_dict(total) for b in self.banks],
            "change": self.change(),
            "newest": max(dates).isoformat(),
            "oldest": min(dates).isoformat(),
        }


def _history(series: dict[str, pd.DataFrame], start: str = "2008-01-01") -> pd.DataFrame:
    """Month-end dollar values: each bank's last converted observation by the month's end."""
    import pandas as pd

    from .month_index import month_ends

    ends = month_ends(start, max(s["stock_date"].max() for s in series.values()))
    out = pd.DataFrame(index=pd.DatetimeIndex(ends, name="date"))
    for code, s in series.items():
        by_stock = s.set_index("stock_date")["usd"].sort_index()
        aligned = align_to_dates(by_stock, ends, max_gap_days=10)
        out[code] = aligned["value"].to_numpy()
    return out


def global_liquidity(
    data: dict[str, pd.Series], *, start: dt.date | str | None = None
) -> GlobalResult:
    """The three balance sheets in dollars, their total and shares, and the change since
    ``start`` (each bank from its last converted stock dated on or before ``start`` — the BOJ's
    at its month's end; default: one year before its latest) split into policy and
    exchange-rate effects.

    Raises
    ------
    NoDataError
        An input series is missing, or a bank has no observation with an exchange rate.
    """
    import pandas as pd

    missing = [sid for sid in GLOBAL_IDS if sid not in data]
    if missing:
        raise NoDataError.t("errors.data.missing_in_store", ids=", ".join(missing))
    banks, series = [], {}
    for bank in BANKS:
        s = usd_series(bank, data)
        if s.empty:
            raise NoDataError.t("errors.global.no_rate", series_id=bank.assets, fx=bank.fx or "")
        series[bank.code] = s
        end = s.index[-1]
        stock_end = s["stock_date"].iloc[-1]
        wanted = pd.Timestamp(start) if start is not None else stock_end - pd.DateOffset(years=1)
        before = s[s["stock_date"] <= wanted]  # a monthly stock counts at its month's end
        banks.append(
            BankUsd(
                bank=bank,
                row=s.iloc[-1],
                date=end.date(),
                start_row=before.iloc[-1] if not before.empty else None,
                start_date=before.index[-1].date() if not before.empty else None,
            )
        )
    return GlobalResult(banks, _history(series))
