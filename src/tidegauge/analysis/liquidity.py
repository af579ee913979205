"""Liquidity: net liquidity, bank reserves, reserves/GDP and an ample-reserves gauge.

Net liquidity (total assets − Treasury General Account − ON RRP, USD billions) is computed by
:mod:`tidegauge.analysis.netliq`, on Wednesday levels by default (``WALCL``, ``WDTGAL``,
``RRPONTSYD`` of the Wednesday, reserves ``WRBWFRBL``) or on the week-average basis
(``WTREGEN``, ``WRESBAL``); see :data:`~tidegauge.analysis.netliq.BASIS_IDS`. The H.4.1 items
are published in USD **millions** (the catalog scales them to billions), ``RRPONTSYD`` in USD
**billions**: every input here is in canonical units.

Reserves/GDP divides the reserve balances of the basis (``WRBWFRBL``, the Wednesday level, or
``WRESBAL``, the average of the week ending Wednesday) by the nominal GDP (SAAR) that had been
*published* by that Wednesday: a quarter counts from its first day plus
``gdp_publication_lag_days`` (default 120: the advance estimate comes about a month after the
quarter ends). Later revisions of GDP are not replayed (the store's current vintage is used).

Other central banks (ECB, BOJ) are handled by :mod:`tidegauge.analysis.central_banks`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..catalog import CATALOG
from ..i18n import t
from .netliq import (
    BASIS_IDS,
    RRP_FACILITY_START,
    Basis,
    _iso,
    _ns,
    _sorted_ns,
    align_to_dates,
    asof_positions,
    net_liquidity,
    take_at,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ABUNDANT_ABOVE_PCT",
    "BASIS_IDS",
    "RRP_FACILITY_START",
    "SCARCE_BELOW_PCT",
    "STRESS_2019_DATE",
    "LiquidityResult",
    "align_to_dates",
    "classify_reserves",
    "from_session",
    "gdp_known_at",
    "liquidity",
    "net_liquidity",
]

Gauge = Literal["scarce", "ample", "abundant"]

SCARCE_BELOW_PCT = 7.5
"""Reserves below this share of nominal GDP are *scarce*.

Basis: in the week of the 16–17 September 2019 repo-rate spike reserves were about $1.4 trillion,
6.5% of GDP on current data (the Fed then started bill purchases to add reserves). In January
2019, when (as Governor Waller recalled at the Council on Foreign Relations, 20 January 2023)
reserves were around 8–9% of GDP and "everything was working fine", they were 7.8% of GDP on
today's GDP vintage (the week average WRESBAL; 7.7% on the Wednesday level WRBWFRBL). 7.5% lies
between the calm and the stress.
"""

ABUNDANT_ABOVE_PCT = 12.0
"""Reserves above this share of GDP are *abundant* (more than banks need).

Basis: Waller (20 January 2023; Brookings Q&A 16 January 2024) put the approximate end point of
draining reserves at 10–11% of GDP; Fed officials describe the ample level as "somewhat above"
the point where reserves become scarce. Above 12% the system is clearly beyond that zone; between
7.5% and 12% reserves are *ample*.
"""

STRESS_2019_DATE = "2019-09-18"
"""The H.4.1 Wednesday of the 16–17 September 2019 repo-rate spike."""

GDP_PUBLICATION_LAG_DAYS = CATALOG["GDP"].publication_lag_days
"""Days from a quarter's first day to the first GDP estimate for it (advance estimate ≈ 30 days
after the quarter ends); taken from the series catalog."""


def gdp_known_at(
    gdp: pd.Series, dates: pd.DatetimeIndex, *, publication_lag_days: int = GDP_PUBLICATION_LAG_DAYS
) -> pd.DataFrame:
    """The latest GDP published by each date: ``gdp`` and ``gdp_quarter`` (its observation date)."""
    import numpy as np
    import pandas as pd

    g = gdp.dropna().sort_index()
    quarters = _ns(g.index).asi8
    known = quarters + pd.Timedelta(days=publication_lag_days).value
    pos = asof_positions(known, _sorted_ns(dates))
    return pd.DataFrame(
        {
            "gdp": take_at(g.to_numpy(dtype=float), pos, np.nan),
            "gdp_quarter": take_at(quarters, pos, np.datetime64("NaT").astype("int64")).view(
                "M8[ns]"
            ),
        },
        index=pd.DatetimeIndex(dates),
    )


def classify_reserves(
    pct_of_gdp: float,
    *,
    scarce_below_pct: float = SCARCE_BELOW_PCT,
    abundant_above_pct: float = ABUNDANT_ABOVE_PCT,
) -> Gauge:
    """``scarce`` below ``scarce_below_pct``, ``abundant`` above ``abundant_above_pct``, else
    ``ample``."""
    if pct_of_gdp < scarce_below_pct:
        return "scarce"
    if pct_of_gdp > abundant_above_pct:
        return "abundant"
    return "ample"


@dataclass
class LiquidityResult:
    """Weekly liquidity measures and the reserves gauge.

    Attributes
    ----------
    frame
        Weekly (Wednesday) rows: ``walcl``, ``tga``, ``rrp``, ``rrp_date``, ``net_liquidity``,
        ``reserves``, ``gdp``, ``gdp_quarter``, ``reserves_pct_gdp``, ``gauge``; USD billions and
        percent.
    scarce_below_pct, abundant_above_pct
        Gauge thresholds used (percent of GDP).
    stress_date
        The reference date of the September 2019 repo stress.
    basis
        ``wednesday`` (Wednesday levels throughout) or ``week_average`` (the TGA and reserves
        as averages of the week); :data:`ids` names the series of each term.
    """

    frame: pd.DataFrame
    scarce_below_pct: float
    abundant_above_pct: float
    stress_date: str = STRESS_2019_DATE
    unit: str = "USD billions"
    basis: Basis = "wednesday"
    notes: list[str] = field(default_factory=list)
    note_keys: list[tuple[str, dict[str, Any]]] = field(default_factory=list, repr=False)
    """Catalog key and parameters of each note (``notes`` is their English text)."""

    def notes_in(self, lang: str = "en") -> list[str]:
        """The notes in ``lang``."""
        if not self.note_keys:
            return list(self.notes)
        return [t(key, lang, **params) for key, params in self.note_keys]

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    @property
    def ids(self) -> dict[str, str]:
        """Term → catalog id (``walcl``, ``tga``, ``rrp``, ``reserves``) of this basis."""
        return dict(zip(("walcl", "tga", "rrp", "reserves"), BASIS_IDS[self.basis], strict=True))

    def _last(self, column: str) -> pd.Series:
        col = self.frame[column].dropna()
        if col.empty:
            raise ValueError(f"no {column} values")
        return self.frame.loc[col.index[-1]]

    def latest(self) -> dict[str, Any]:
        """Latest net liquidity (with its components) and latest reserves (with GDP and gauge)."""
        nl = self._last("net_liquidity")
        rs = self._last("reserves_pct_gdp")
        return {
            "net_liquidity": {
                "value": float(nl["net_liquidity"]),
                "date": _iso(nl.name),
                "walcl": float(nl["walcl"]),
                "tga": float(nl["tga"]),
                "rrp": float(nl["rrp"]),
                "rrp_date": _iso(nl["rrp_date"]),
                "unit": self.unit,
            },
            "reserves": {"value": float(rs["reserves"]), "date": _iso(rs.name), "unit": self.unit},
            "reserves_pct_gdp": {
                "value": float(rs["reserves_pct_gdp"]),
                "date": _iso(rs.name),
                "gdp": float(rs["gdp"]),
                "gdp_quarter": _iso(rs["gdp_quarter"]),
                "unit": "percent",
            },
            "gauge": {
                "level": str(rs["gauge"]),
                "date": _iso(rs.name),
                "scarce_below_pct": self.scarce_below_pct,
                "abundant_above_pct": self.abundant_above_pct,
            },
        }

    def stress_2019(self) -> dict[str, Any] | None:
        """Reserves, reserves/GDP and gauge in the week of the September 2019 repo stress."""
        import pandas as pd

        rows = self.frame.loc[: pd.Timestamp(self.stress_date)].dropna(subset=["reserves_pct_gdp"])
        if rows.empty:
            return None
        row = rows.iloc[-1]
        return {
            "date": _iso(rows.index[-1]),
            "reserves": float(row["reserves"]),
            "reserves_pct_gdp": float(row["reserves_pct_gdp"]),
            "gauge": str(row["gauge"]),
        }

    def to_dict(self) -> dict[str, Any]:
        out = self.latest()
        out["stress_2019"] = self.stress_2019()
        out["basis"] = self.basis
        out["series"] = self.ids
        out["notes"] = list(self.notes)
        return out

    def summary(self, lang: str = "en") -> str:
        d = self.latest()
        nl, rs, rp, g = d["net_liquidity"], d["reserves"], d["reserves_pct_gdp"], d["gauge"]
        unit = t(f"unit.{self.unit}", lang)
        lines = [
            t(
                "liquidity.net_liquidity_line",
                lang,
                value=f"{nl['value']:,.1f}",
                unit=unit,
                date=nl["date"],
            ),
            t(
                "liquidity.components_line",
                lang,
                walcl=f"{nl['walcl']:,.1f}",
                tga=f"{nl['tga']:,.1f}",
                rrp=f"{nl['rrp']:,.1f}",
                rrp_date=nl["rrp_date"] or "—",
            ),
            t(
                "liquidity.reserves_line",
                lang,
                value=f"{rs['value']:,.1f}",
                unit=unit,
                date=rs["date"],
            ),
            t(
                "liquidity.reserves_gdp_line",
                lang,
                pct=f"{rp['value']:.1f}",
                gdp=f"{rp['gdp']:,.0f}",
                quarter=rp["gdp_quarter"],
                date=rp["date"],
            ),
            t(
                "liquidity.gauge_line",
                lang,
                level=t(f"liquidity.gauge.{g['level']}", lang),
                scarce=f"{g['scarce_below_pct']:g}",
                abundant=f"{g['abundant_above_pct']:g}",
            ),
        ]
        s = self.stress_2019()
        if s is not None:
            lines.append(
                t(
                    "liquidity.stress_line",
                    lang,
                    date=s["date"],
                    value=f"{s['reserves']:,.0f}",
                    unit=unit,
                    pct=f"{s['reserves_pct_gdp']:.1f}",
                    level=t(f"liquidity.gauge.{s['gauge']}", lang),
                )
            )
        return "\n".join(lines)


def liquidity(
    walcl: pd.Series,
    tga: pd.Series,
    rrp: pd.Series,
    reserves: pd.Series,
    gdp: pd.Series,
    *,
    scarce_below_pct: float = SCARCE_BELOW_PCT,
    abundant_above_pct: float = ABUNDANT_ABOVE_PCT,
    gdp_publication_lag_days: int = GDP_PUBLICATION_LAG_DAYS,
    rrp_zero_before: str = RRP_FACILITY_START,
    stress_date: str = STRESS_2019_DATE,
    basis: Basis = "wednesday",
) -> LiquidityResult:
    """Net liquidity, reserves, reserves/GDP and the reserves gauge, weekly.

    Parameters
    ----------
    walcl, tga, reserves
        USD billions, dated Wednesdays: on the ``wednesday`` basis the Wednesday levels WALCL,
        WDTGAL and WRBWFRBL; on the ``week_average`` basis WALCL, WTREGEN and WRESBAL.
    rrp
        Daily ON RRP in USD billions (RRPONTSYD).
    gdp
        Nominal GDP, USD billions SAAR, quarterly (observation date = first day of the quarter).
    scarce_below_pct, abundant_above_pct
        Gauge thresholds in percent of GDP; see :data:`SCARCE_BELOW_PCT` and
        :data:`ABUNDANT_ABOVE_PCT`.
    gdp_publication_lag_days
        When a quarter's GDP counts as known (see module notes).
    rrp_zero_before, stress_date
        See :data:`RRP_FACILITY_START` and :data:`STRESS_2019_DATE`.
    basis
        Which series ``tga`` and ``reserves`` are (recorded in the result and its notes).

    Returns
    -------
    LiquidityResult

    Examples
    --------
    >>> import pandas as pd
    >>> wed = pd.to_datetime(["2024-01-03", "2024-01-10"])
    >>> rrp = pd.Series([700.0, 650.0], pd.to_datetime(["2024-01-03", "2024-01-09"]))
    >>> gdp = pd.Series([27600.0], pd.to_datetime(["2023-07-01"]))
    >>> r = liquidity(pd.Series([7700.0, 7680.0], wed), pd.Series([750.0, 800.0], wed), rrp,
    ...               pd.Series([3500.0, 3450.0], wed), gdp)
    >>> r.frame["net_liquidity"].tolist()
    [6250.0, 6230.0]
    >>> r.latest()["gauge"]["level"]
    'abundant'
    """
    import pandas as pd

    if scarce_below_pct >= abundant_above_pct:
        from ..errors import UsageError

        raise UsageError.t("errors.value.thresholds")
    df = net_liquidity(walcl, tga, rrp, rrp_zero_before=rrp_zero_before)
    idx = df.index.union(pd.DatetimeIndex(reserves.dropna().index)).rename("date")
    df = df.reindex(idx)
    df["reserves"] = reserves.reindex(idx).astype(float)
    g = gdp_known_at(gdp, pd.DatetimeIndex(idx), publication_lag_days=gdp_publication_lag_days)
    df["gdp"] = g["gdp"].to_numpy()
    df["gdp_quarter"] = g["gdp_quarter"].to_numpy()
    df["reserves_pct_gdp"] = df["reserves"] / df["gdp"] * 100.0
    df["gauge"] = [
        None
        if v != v
        else classify_reserves(
            v, scarce_below_pct=scarce_below_pct, abundant_above_pct=abundant_above_pct
        )
        for v in df["reserves_pct_gdp"].to_numpy(dtype=float)
    ]
    note_keys: list[tuple[str, dict[str, Any]]] = [
        (f"notes.liquidity.basis_{basis}", {}),
        ("notes.liquidity.rrp", {}),
        ("notes.liquidity.gdp", {"days": gdp_publication_lag_days}),
    ]
    return LiquidityResult(
        frame=df,
        scarce_below_pct=scarce_below_pct,
        abundant_above_pct=abundant_above_pct,
        stress_date=stress_date,
        basis=basis,
        notes=[t(key, "en", **params) for key, params in note_keys],
        note_keys=note_keys,
    )


def from_session(
    tg: Any,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    *,
    basis: Basis = "wednesday",
    **kwargs: Any,
) -> LiquidityResult:
    """:func:`liquidity` on the series of a :class:`~tidegauge.Tidegauge` session.

    GDP is loaded from two years before ``start`` so the first weeks have a known GDP.
    """
    import pandas as pd

    walcl_id, tga_id, rrp_id, reserves_id = BASIS_IDS[basis]
    gdp_start = None if start is None else (pd.Timestamp(start) - pd.DateOffset(years=2)).date()
    walcl = tg.series(walcl_id, start, end)
    tga = tg.series(tga_id, start, end)
    rrp_start = None if start is None else (pd.Timestamp(start) - pd.Timedelta(days=10)).date()
    rrp = tg.series(rrp_id, rrp_start, end)
    reserves = tg.series(reserves_id, start, end)
    gdp = tg.series("GDP", gdp_start, end)
    return liquidity(walcl, tga, rrp, reserves, gdp, basis=basis, **kwargs)
