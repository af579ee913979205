"""Fed, ECB and BOJ balance sheets side by side: own currency and share of nominal GDP.

Each bank's total assets are kept in billions of its own currency (WALCL: USD, ECBASSETSW: EUR,
JPNASSETS: JPY; the catalog scales the published millions / 100 millions). The share of GDP needs
the same economy's nominal GDP in the same currency: :func:`assets_pct_gdp` is generic (any
assets series and any GDP series, with the GDP's annualisation stated). The built-in catalog and
the offline mirror only carry US GDP, so only the Fed's share is computed by
:func:`from_session`; the ECB and BOJ shares appear once a euro-area / Japan nominal GDP series is
passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .liquidity import GDP_PUBLICATION_LAG_DAYS, gdp_known_at

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BANK_ASSETS", "BalanceSheetsResult", "assets_pct_gdp", "balance_sheets", "from_session"]

BANK_ASSETS: dict[str, str] = {"fed": "WALCL", "ecb": "ECBASSETSW", "boj": "JPNASSETS"}
"""Bank → catalog id of its total assets."""

BANK_GDP: dict[str, str] = {"fed": "GDP"}
"""Bank → catalog id of its economy's nominal GDP (SAAR) where the catalog has one."""


def assets_pct_gdp(
    assets: pd.Series,
    gdp: pd.Series,
    *,
    gdp_periods_per_year: int = 1,
    publication_lag_days: int = GDP_PUBLICATION_LAG_DAYS,
) -> pd.Series:
    """Total assets as percent of the nominal GDP known at each date.

    Parameters
    ----------
    assets
        Total assets, billions of a currency.
    gdp
        Nominal GDP in billions of the same currency.
    gdp_periods_per_year
        1 when ``gdp`` is already an annual rate (US SAAR); 4 for a quarterly level (many
        euro-area and Japanese series), which is multiplied by 4 to an annual rate.
    publication_lag_days
        A GDP observation counts as known this many days after its date.
    """
    import pandas as pd

    a = assets.dropna()
    g = gdp_known_at(gdp, pd.DatetimeIndex(a.index), publication_lag_days=publication_lag_days)[
        "gdp"
    ]
    return (a / (g.to_numpy() * gdp_periods_per_year) * 100.0).rename(assets.name)


@dataclass
class BalanceSheetsResult:
    """Total assets per bank in own currency (``levels``) and as % of GDP (``pct_gdp``).

    Both frames have one column per bank (``fed``, ``ecb``, ``boj``) at each bank's own dates;
    ``units`` gives each bank's currency unit, ``missing`` the banks without data and
    ``no_gdp`` the banks without a GDP series.
    """

    levels: pd.DataFrame
    pct_gdp: pd.DataFrame
    units: dict[str, str]
    as_of: dict[str, str | None]
    missing: list[str] = field(default_factory=list)
    no_gdp: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        return self.levels.join(self.pct_gdp, rsuffix="_pct_gdp", how="outer")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"banks": {}, "missing": self.missing, "no_gdp": self.no_gdp}
        for bank in self.levels.columns:
            lv = self.levels[bank].dropna()
            pg = self.pct_gdp[bank].dropna() if bank in self.pct_gdp else None
            out["banks"][bank] = {
                "assets": float(lv.iloc[-1]),
                "unit": self.units[bank],
                "date": lv.index[-1].date().isoformat(),
                "pct_gdp": None if pg is None or pg.empty else float(pg.iloc[-1]),
                "pct_gdp_date": None if pg is None or pg.empty else pg.index[-1].date().isoformat(),
            }
        return out

    def summary(self, lang: str = "en") -> str:
        from ..presentation.i18n import t

        lines = []
        for bank, d in self.to_dict()["banks"].items():
            pct = "—" if d["pct_gdp"] is None else f"{d['pct_gdp']:.1f}%"
            lines.append(
                t(
                    "liquidity.cb_line",
                    lang,
                    bank=t(f"liquidity.bank.{bank}", lang),
                    value=f"{d['assets']:,.0f}",
                    unit=t(f"unit.{d['unit']}", lang),
                    date=d["date"],
                    pct=pct,
                )
            )
        return "\n".join(lines)


def balance_sheets(
    assets: dict[str, pd.Series],
    gdp: dict[str, pd.Series] | None = None,
    *,
    units: dict[str, str] | None = None,
    gdp_periods_per_year: dict[str, int] | None = None,
) -> BalanceSheetsResult:
    """Side-by-side balance sheets from ``{bank: assets}`` and optional ``{bank: gdp}``."""
    import pandas as pd

    gdp = gdp or {}
    ppy = gdp_periods_per_year or {}
    levels = pd.concat({b: s.dropna() for b, s in assets.items()}, axis=1, sort=True)
    pct = {
        b: assets_pct_gdp(assets[b], g, gdp_periods_per_year=ppy.get(b, 1))
        for b, g in gdp.items()
        if b in assets
    }
    pct_gdp = pd.concat(pct, axis=1, sort=True) if pct else pd.DataFrame(index=levels.index)
    return BalanceSheetsResult(
        levels=levels,
        pct_gdp=pct_gdp,
        units=units or {b: "" for b in assets},
        as_of={b: s.dropna().index[-1].date().isoformat() for b, s in assets.items()},
        no_gdp=[b for b in assets if b not in gdp],
    )


def from_session(tg: Any, start: Any = None, end: Any = None) -> BalanceSheetsResult:
    """Fed, ECB and BOJ from a session; banks whose series the source lacks are listed in
    ``missing`` (the offline mirror has no JPNASSETS)."""
    from ..catalog import CATALOG
    from ..errors import NoDataError, SourceError

    assets: dict[str, pd.Series] = {}
    missing: list[str] = []
    for bank, sid in BANK_ASSETS.items():
        try:
            assets[bank] = tg.series(sid, start, end)
        except (SourceError, NoDataError):
            missing.append(bank)
    if not assets:
        raise NoDataError.t("errors.data.no_central_banks")
    gdp = {b: tg.series(g) for b, g in BANK_GDP.items() if b in assets}
    result = balance_sheets(assets, gdp, units={b: CATALOG[BANK_ASSETS[b]].unit for b in assets})
    result.missing = missing
    return result
