"""Latest real-rate figures, each with its own as-of date: what ``tidegauge realrate`` shows.

Inputs end on different days (a series may be discontinued, or published later than another);
the snapshot never pretends a stale figure is current — every figure carries the date of the
observation it comes from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import NoDataError
from .fisher import FisherMethod, forward_rate
from .realrates import (
    DEFAULT_NEUTRAL_BAND,
    DEFAULT_RSTAR,
    MARKET_IDS,
    REALISED_IDS,
    Alignment,
    MarketRates,
    RealisedRates,
    Stance,
    classify_stance,
    market_rates,
    realised_real_rates,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..api import Tidegauge

__all__ = ["FIGURES", "SNAPSHOT_IDS", "RealRateSnapshot", "load_inputs", "real_rate_snapshot"]

SNAPSHOT_IDS: tuple[str, ...] = tuple(dict.fromkeys((*MARKET_IDS, *REALISED_IDS)))
"""Every series the snapshot reads."""

FIGURES: tuple[str, ...] = (
    "nominal_10y",
    "tips_10y",
    "breakeven_10y",
    "breakeven_5y",
    "forward_5y5y",
    "cpi_yoy",
    "real_policy_rate_expost",
    "real_10y_expost",
)
"""The figures of the snapshot, in display order (all percent)."""


@dataclass(frozen=True)
class RealRateSnapshot:
    """The latest real-rate figures with their dates and sources.

    Attributes
    ----------
    as_of
        The ``as_of`` asked for, or else the latest date of any figure (ISO).
    values
        Figure → value in percent (``None`` when no data), keys :data:`FIGURES`.
    dates
        Figure → ISO date of the observation used (monthly figures are dated the first day of
        their month), plus series id → its last observation on or before ``as_of``.
    sources
        Figure → how it was computed (FRED ids and formula).
    rstar, band
        Neutral real rate and the half-width of the neutral band, percent / pp.
    rstar_is_default
        Whether ``rstar`` is :data:`~tidegauge.analysis.realrates.DEFAULT_RSTAR`.
    stance
        Real policy rate versus ``rstar`` (``None`` without a real policy rate).
    published
        FRED's own breakevens and forward at their latest dates: id → (value, date).
    computed_5y_date
        Last date of the computed 5-year breakeven ``DGS5 − DFII5`` (``None`` without one); when
        it is older than ``T5YIE`` the 5-year figures use ``T5YIE`` and the summary says so.
    """

    as_of: str
    values: dict[str, float | None]
    dates: dict[str, str | None]
    sources: dict[str, str]
    rstar: float
    band: float
    rstar_is_default: bool
    stance: Stance | None
    published: dict[str, tuple[float, str]] = field(default_factory=dict)
    alignment: Alignment = "mean"
    method: FisherMethod = "approx"
    source_keys: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict, repr=False)
    """Figure → catalog key and parameters of its ``sources`` text, where that has words."""
    computed_5y_date: str | None = None

    def source(self, name: str, lang: str = "en") -> str:
        """How figure ``name`` was computed, in ``lang`` (ids and formulas stay as they are)."""
        if name in self.source_keys:
            from ..i18n import t

            key, params = self.source_keys[name]
            return t(key, lang, **params)
        return self.sources.get(name, "")

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``tidegauge realrate --json``."""
        out: dict[str, Any] = {"as_of": self.as_of}
        for name in FIGURES:
            v = self.values.get(name)
            out[name] = None if v is None else round(float(v), 4)
        out["rstar"] = self.rstar
        out["stance"] = self.stance
        out["dates"] = dict(self.dates)
        return out

    def summary(self, lang: str = "en") -> str:
        """Plain-text summary: every figure with its unit, as-of date and source."""
        from ..i18n import t

        lines = [t("realrates.snapshot.title", lang, as_of=self.as_of)]
        for name in FIGURES:
            v = self.values.get(name)
            label = t(f"realrates.figure.{name}", lang)
            if v is None:
                lines.append(f"  {label}: {t('realrates.snapshot.no_data', lang)}")
                continue
            lines.append(
                "  "
                + t(
                    "realrates.snapshot.line",
                    lang,
                    label=label,
                    value=f"{v:.2f}",
                    date=self.dates.get(name) or "—",
                    source=self.source(name, lang),
                )
            )
        for sid, (value, date) in self.published.items():
            lines.append(
                "  "
                + t("realrates.snapshot.published", lang, id=sid, value=f"{value:.2f}", date=date)
            )
        lines.append(
            "  "
            + t(
                "realrates.snapshot.rstar",
                lang,
                rstar=f"{self.rstar:.2f}",
                band=f"{self.band:.2f}",
                source=t("realrates.rstar_default_source", lang)
                if self.rstar_is_default
                else t("realrates.rstar_user", lang),
            )
        )
        if self.stance is not None:
            lines.append(
                "  "
                + t(
                    "realrates.snapshot.stance",
                    lang,
                    stance=t(f"realrates.stance.{self.stance}", lang),
                    date=self.dates.get("real_policy_rate_expost") or "—",
                )
            )
        lines.append("  " + t(f"realrates.snapshot.alignment_{self.alignment}", lang))
        if self.sources.get("breakeven_5y") == "T5YIE":
            lines.append(
                "  "
                + t(
                    "realrates.snapshot.be5_published_note",
                    lang,
                    date=self.computed_5y_date or "—",
                    published=self.dates.get("breakeven_5y") or "—",
                )
            )
        lines.append("  " + t("realrates.snapshot.lag_note", lang))
        lines.append("  " + t("realrates.premia_caveat", lang))
        return "\n".join(lines)


def _last(series: pd.Series) -> tuple[float | None, str | None]:
    """The last non-missing value and its ISO date (``(None, None)``: none)."""
    if series.dtype.kind == "f":  # the last valid position, without a copy of the rest
        valid = np.flatnonzero(~np.isnan(series.to_numpy()))
        if not len(valid):
            return None, None
        i = int(valid[-1])
        return float(series.iloc[i]), series.index[i].strftime("%Y-%m-%d")
    s = series.dropna()
    if s.empty:
        return None, None
    return float(s.iloc[-1]), s.index[-1].strftime("%Y-%m-%d")


def load_inputs(tg: Tidegauge, as_of: dt.date | str | None = None) -> pd.DataFrame:
    """Every series the snapshot needs, with observations dated on or before ``as_of``.

    Observation dates only: publication lags are **not** applied (FRED dates a monthly value on
    the first day of its month, so ``as_of=2022-06-15`` includes June 2022 averages that were
    published in July). The current vintage of each series is used.
    """
    return tg.load(list(SNAPSHOT_IDS), end=as_of)


def real_rate_snapshot(
    data: pd.DataFrame,
    *,
    as_of: dt.date | str | None = None,
    rstar: float | None = None,
    band: float = DEFAULT_NEUTRAL_BAND,
    alignment: Alignment = "mean",
    method: FisherMethod = "approx",
    realised: RealisedRates | None = None,
    market: MarketRates | None = None,
) -> RealRateSnapshot:
    """The latest value of every real-rate figure, each with its own date.

    Parameters
    ----------
    data
        Wide frame with :data:`SNAPSHOT_IDS` in percent (CPIAUCSL as an index).
    as_of
        Use only observations dated on or before this date (no publication lags applied).
    rstar
        Neutral real policy rate, percent; default
        :data:`~tidegauge.analysis.realrates.DEFAULT_RSTAR`.
    band
        Neutral band half-width around r*, pp.
    alignment, method
        Passed to :func:`~tidegauge.analysis.realrates.realised_real_rates`.
    realised
        The realised real rates of ``data`` when the caller has them already (the same
        ``alignment`` and ``method``, without ``as_of``): they are not computed again.
    market
        The market rates of ``data`` (:func:`~tidegauge.analysis.realrates.market_rates`)
        when the caller has them already; used only without ``as_of``.

    Returns
    -------
    RealRateSnapshot

    Notes
    -----
    The 5-year breakeven is ``DGS5 − DFII5`` where DFII5 has a value; when FRED's published
    ``T5YIE`` is more recent it is used instead (its source says so). The 5y5y forward is
    computed with the compounded formula from the latest day having both a 10-year breakeven and
    a 5-year breakeven.
    """
    from .._dates import parse_date

    cutoff = parse_date(as_of, "as_of") if as_of is not None else None
    if cutoff is not None:
        data = data.loc[: np.datetime64(cutoff.isoformat())]
    if data.dropna(how="all").empty:
        if cutoff:
            raise NoDataError.t("errors.data.no_real_inputs_before", date=cutoff)
        raise NoDataError.t("errors.data.no_real_inputs")
    r_star = DEFAULT_RSTAR if rstar is None else float(rstar)
    rates = market if market is not None and cutoff is None else market_rates(data)
    mkt = rates.frame
    values: dict[str, float | None] = {}
    dates: dict[str, str | None] = {}
    sources: dict[str, str] = {}
    source_keys: dict[str, tuple[str, dict[str, Any]]] = {}

    def put(name: str, series: pd.Series, source: str) -> None:
        values[name], dates[name] = _last(series)
        sources[name] = source

    def keyed(name: str, key: str, **params: Any) -> str:
        from ..i18n import t

        source_keys[name] = (key, params)
        return t(key, "en", **params)

    put("nominal_10y", mkt["nominal_10y"], "DGS10")
    put("tips_10y", mkt["tips_10y"], "DFII10")
    put("breakeven_10y", mkt["breakeven_10y"], "DGS10 − DFII10")
    computed5 = _last(mkt["breakeven_5y"])
    published5 = _last(mkt["T5YIE"])
    if published5[1] is not None and (computed5[1] is None or published5[1] > computed5[1]):
        put("breakeven_5y", mkt["T5YIE"], "T5YIE")
    else:
        put("breakeven_5y", mkt["breakeven_5y"], "DGS5 − DFII5")
    best5 = mkt["breakeven_5y"].combine_first(mkt["T5YIE"])
    forward = forward_rate(best5, mkt["breakeven_10y"], 5, 10)
    fwd_value, fwd_date = _last(forward)
    values["forward_5y5y"], dates["forward_5y5y"] = fwd_value, fwd_date
    own5 = mkt["breakeven_5y"].dropna()
    five_from = "DGS5 − DFII5" if fwd_date is not None and fwd_date in own5.index else "T5YIE"

    sources["forward_5y5y"] = keyed("forward_5y5y", "notes.realrates.forward", five=five_from)

    if realised is None and "CPIAUCSL" in data.columns and data["CPIAUCSL"].notna().any():
        realised = realised_real_rates(data, alignment=alignment, method=method)
    if realised is not None:
        f = realised.frame
        pol, lng = realised.sources["policy_rate"], realised.sources["yield_10y"]
        put("cpi_yoy", f["cpi_yoy"], "CPIAUCSL(t) / CPIAUCSL(t−12) − 1")
        for name, column, rate in (
            ("real_policy_rate_expost", "real_policy_rate", pol),
            ("real_10y_expost", "real_10y", lng),
        ):
            key = "notes.realrates.approx" if method == "approx" else "notes.realrates.exact"
            values[name], dates[name] = _last(f[column])
            sources[name] = keyed(name, key, rate=rate)
    else:
        for name in ("cpi_yoy", "real_policy_rate_expost", "real_10y_expost"):
            values[name], dates[name] = None, None
            sources[name] = keyed(name, "notes.realrates.cpi_missing")

    for sid in SNAPSHOT_IDS:
        dates[sid] = _last(data[sid])[1] if sid in data.columns else None

    real_policy = values.get("real_policy_rate_expost")
    stance = classify_stance(real_policy, r_star, band) if real_policy is not None else None
    if stance is None:  # still validate a user's r* and band
        classify_stance(0.0, r_star, band)
    figure_dates = [d for name in FIGURES if (d := dates.get(name))]
    snapshot_date = cutoff.isoformat() if cutoff else max(figure_dates, default="")
    published = {}
    for sid in ("T10YIE", "T5YIE", "T5YIFR"):
        v, d = _last(mkt[sid])
        if v is not None and d is not None:
            published[sid] = (v, d)
    return RealRateSnapshot(
        as_of=snapshot_date,
        values=values,
        dates=dates,
        sources=sources,
        rstar=r_star,
        band=band,
        rstar_is_default=rstar is None,
        stance=stance,
        published=published,
        alignment=alignment,
        method=method,
        source_keys=source_keys,
        computed_5y_date=computed5[1],
    )
