"""The Fed's T-account: where QE goes and where QT comes from.

When the Fed buys a bond it pays by crediting the seller's bank with reserves: assets and
liabilities grow together. What happens next is up to others: the Treasury may pull cash into its
account (TGA), money funds may park cash at the Fed's overnight reverse repo facility (ON RRP),
the public may hold more banknotes. Each of these turns reserves into another liability. The
balance sheet always balances, so over any window

    Δ total assets = Δ Treasuries + Δ MBS + Δ other assets
                   = Δ currency + Δ reserves + Δ TGA + Δ ON RRP + Δ other liabilities

and the second line says "where the QE went" (or where QT came from).

Items (:data:`ASSETS`, :data:`LIABILITIES`; USD billions, Wednesdays of ``WALCL``):

* assets: Treasuries held outright (``TREAST``), mortgage-backed securities (``WSHOMCB``) and
  everything else (``WALCL − TREAST − WSHOMCB``: agency debt, unamortised premiums, repos,
  loans, central-bank liquidity swaps, facilities' holdings...);
* liabilities: currency in circulation (``WCURCIR`` — the **week average**, the only one: FRED's
  Wednesday level WCICL is not in the catalog), reserve balances (``WRBWFRBL``), the Treasury
  General Account (``WDTGAL``), ON RRP (``RRPONTSYD`` of the Wednesday: on every Wednesday of the
  H.4.1 extract 2021-04-28..2023-03-22 it equals the H.4.1 item "reverse repurchase agreements:
  others"), and the residual "other" (``WALCL`` minus the four): foreign-official reverse repos
  and deposits, other deposits, capital, the gap between the currency's week average and its
  Wednesday level, less the Treasury's coin (counted in currency in circulation, not a Fed
  liability).

Assets and liabilities each sum to ``WALCL`` by construction; the information is in the split.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import NoDataError
from .netliq import RRP_FACILITY_START, _iso, align_to_dates

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ASSETS",
    "COMPOSITION_IDS",
    "LIABILITIES",
    "CompositionResult",
    "composition",
    "composition_frame",
]

COMPOSITION_IDS = ("WALCL", "TREAST", "WSHOMCB", "WCURCIR", "WRBWFRBL", "WDTGAL", "RRPONTSYD")
ASSETS = ("treasuries", "mbs", "other")
LIABILITIES = ("currency", "reserves", "tga", "on_rrp", "other")
SOURCES: dict[str, tuple[str, ...]] = {
    "assets.treasuries": ("TREAST",),
    "assets.mbs": ("WSHOMCB",),
    "assets.other": ("WALCL", "TREAST", "WSHOMCB"),
    "liabilities.currency": ("WCURCIR",),
    "liabilities.reserves": ("WRBWFRBL",),
    "liabilities.tga": ("WDTGAL",),
    "liabilities.on_rrp": ("RRPONTSYD",),
    "liabilities.other": COMPOSITION_IDS[:1] + COMPOSITION_IDS[3:],
}
"""Item → the series it is computed from."""

SHARE_MIN_PCT = 5.0
"""Liabilities' shares of a change are given when total assets moved by at least this percent of
their start level (a QE or QT-sized move); for smaller moves they would swing wildly."""

_COLUMNS = {
    "assets.treasuries": "a_treasuries",
    "assets.mbs": "a_mbs",
    "assets.other": "a_other",
    "liabilities.currency": "l_currency",
    "liabilities.reserves": "l_reserves",
    "liabilities.tga": "l_tga",
    "liabilities.on_rrp": "l_on_rrp",
    "liabilities.other": "l_other",
}


def composition_frame(data: dict[str, pd.Series]) -> pd.DataFrame:
    """Both sides of the balance sheet on the Wednesdays of ``WALCL`` (USD billions).

    Returns
    -------
    pandas.DataFrame
        ``total`` (WALCL), ``a_treasuries``, ``a_mbs``, ``a_other``, ``l_currency``,
        ``l_reserves``, ``l_tga``, ``l_on_rrp``, ``l_other`` and ``rrp_date`` (the ON RRP
        observation used); a row with a missing input has missing items.
    """
    import pandas as pd

    missing = [sid for sid in COMPOSITION_IDS if sid not in data]
    if missing:
        raise NoDataError.t("errors.data.missing_in_store", ids=", ".join(missing))
    walcl = data["WALCL"].dropna()
    idx = pd.DatetimeIndex(walcl.index, name="date")

    def on(sid: str) -> pd.Series:
        return data[sid].dropna().reindex(idx).astype(float)

    rrp = align_to_dates(data["RRPONTSYD"], idx)
    rrp_v = rrp["value"].copy()
    rrp_v[rrp_v.isna() & (idx < pd.Timestamp(RRP_FACILITY_START))] = 0.0
    df = pd.DataFrame(index=idx)
    df["total"] = walcl.astype(float)
    df["a_treasuries"], df["a_mbs"] = on("TREAST"), on("WSHOMCB")
    df["a_other"] = df["total"] - df["a_treasuries"] - df["a_mbs"]
    df["l_currency"], df["l_reserves"], df["l_tga"] = on("WCURCIR"), on("WRBWFRBL"), on("WDTGAL")
    df["l_on_rrp"] = rrp_v.to_numpy()
    df["rrp_date"] = rrp["value_date"].to_numpy()
    named = df[["l_currency", "l_reserves", "l_tga", "l_on_rrp"]].sum(axis=1, min_count=4)
    df["l_other"] = df["total"] - named
    return df


def _side(row: Any, prefix: str, items: tuple[str, ...]) -> dict[str, float]:
    return {k: float(row[f"{prefix}_{k}"]) for k in items}


@dataclass
class CompositionResult:
    """The T-account on a date and the change over a window.

    Attributes
    ----------
    frame
        :func:`composition_frame` (complete rows only).
    start, end
        The Wednesdays the change is measured between.
    """

    frame: pd.DataFrame
    start: dt.date
    end: dt.date
    unit: str = "USD billions"

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def at(self, day: dt.date) -> dict[str, Any]:
        """Both sides on Wednesday ``day`` (a date with a complete row)."""
        import pandas as pd

        row: Any = self.frame.loc[pd.Timestamp(day)]
        return {
            "date": day.isoformat(),
            "total": float(row["total"]),
            "assets": _side(row, "a", ASSETS),
            "liabilities": _side(row, "l", LIABILITIES),
            "on_rrp_date": _iso(row["rrp_date"]),
        }

    def change(self) -> dict[str, Any]:
        """Δ of every item from :attr:`start` to :attr:`end`, and each liability's share of the
        change in total assets (percent; ``None`` when total assets moved by less than
        :data:`SHARE_MIN_PCT` of their start level, where shares of a near-zero change would
        be meaningless)."""
        a, b = self.at(self.start), self.at(self.end)
        total = b["total"] - a["total"]
        assets = {k: b["assets"][k] - a["assets"][k] for k in ASSETS}
        liabilities = {k: b["liabilities"][k] - a["liabilities"][k] for k in LIABILITIES}
        big = abs(total) >= SHARE_MIN_PCT / 100 * a["total"]
        shares = {k: (v / total * 100 if big else None) for k, v in liabilities.items()}
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "total": total,
            "total_pct": total / a["total"] * 100,
            "assets": assets,
            "liabilities": liabilities,
            "liability_shares_pct": shares,
            "direction": "up" if total > 0 else "down" if total < 0 else "flat",
        }

    def to_dict(self) -> dict[str, Any]:
        now = self.at(self.end)
        inputs = {sid: now["date"] for sid in COMPOSITION_IDS}
        inputs["RRPONTSYD"] = now.pop("on_rrp_date")
        return {
            **now,
            "unit": self.unit,
            "inputs": inputs,
            "currency_is_week_average": True,
            "change": self.change(),
        }


def composition(
    data: dict[str, pd.Series],
    *,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
) -> CompositionResult:
    """The T-account on the last complete Wednesday on or before ``end`` (default: the latest),
    and the change since the last one on or before ``start`` (default: 52 weeks earlier).

    Raises
    ------
    NoDataError
        An input is missing, or no Wednesday on or before ``end`` (or ``start``) has them all.

    Examples
    --------
    >>> import pandas as pd
    >>> wed = pd.to_datetime(["2024-06-19", "2024-06-26"])
    >>> s = lambda *v: pd.Series(v, wed)
    >>> r = composition({"WALCL": s(7300.0, 7231.2), "TREAST": s(4400.0, 4390.0),
    ...     "WSHOMCB": s(2350.0, 2340.0), "WCURCIR": s(2330.0, 2332.0),
    ...     "WRBWFRBL": s(3400.0, 3268.9), "WDTGAL": s(760.0, 744.2),
    ...     "RRPONTSYD": s(380.0, 490.2)}, start="2024-06-19")
    >>> round(r.change()["total"], 1), round(r.change()["liabilities"]["reserves"], 1)
    (-68.8, -131.1)
    """
    import pandas as pd

    frame = composition_frame(data).dropna(subset=[c for c in _COLUMNS.values()])
    if frame.empty:
        raise NoDataError.t("errors.composition.no_week")
    last = frame.loc[: pd.Timestamp(end)] if end is not None else frame
    if last.empty:
        raise NoDataError.t("errors.composition.none_before", date=str(end)[:10])
    end_day = last.index[-1]
    first_wanted = pd.Timestamp(start) if start is not None else end_day - pd.Timedelta(weeks=52)
    before = frame.loc[:first_wanted]
    if before.empty:
        raise NoDataError.t("errors.composition.none_before", date=first_wanted.date().isoformat())
    return CompositionResult(frame, before.index[-1].date(), end_day.date())
