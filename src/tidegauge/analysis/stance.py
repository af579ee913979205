"""Policy stance: the realised real policy rate against a neutral real rate r* (re-exported by
:mod:`tidegauge.analysis.realrates`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from ..errors import NoDataError, UsageError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_NEUTRAL_BAND",
    "DEFAULT_RSTAR",
    "RSTAR_SOURCE",
    "Stance",
    "classify_stance",
    "stance_series",
]

Stance = Literal["restrictive", "neutral", "accommodative"]

DEFAULT_RSTAR = 1.0
"""Default neutral real policy rate r*, percent.

The FOMC's Summary of Economic Projections put the median longer-run federal funds rate at
3.0 % in September 2025 (unchanged in the December 2025 SEP; FRED series FEDTARMDLR); minus the
2 % longer-run inflation objective this is a real neutral rate of 1.0 %. Override with
``rstar=`` / ``--rstar``. See docs/realrates.md for the citation and alternatives."""

RSTAR_SOURCE = (
    "FOMC Summary of Economic Projections, longer-run median federal funds rate 3.0% "
    "(Sep 2025, unchanged Dec 2025; FRED FEDTARMDLR) minus the 2% inflation objective"
)

DEFAULT_NEUTRAL_BAND = 0.5
"""Half-width of the neutral band around r*, percentage points: within ±0.5 pp is neutral."""

_EPS = 1e-9  # published values have 2 decimals; absorb binary floating-point noise


def _check_band(band: float) -> None:
    if not band >= 0 or not np.isfinite(band):
        raise UsageError.t("errors.value.band", band=band)


def _check_rstar(rstar: float) -> None:
    if not np.isfinite(rstar) or not -10.0 <= rstar <= 10.0:
        raise UsageError.t("errors.value.rstar", rstar=rstar)


def classify_stance(
    real_policy_rate: float,
    rstar: float = DEFAULT_RSTAR,
    band: float = DEFAULT_NEUTRAL_BAND,
) -> Stance:
    """Policy stance from the real policy rate versus the neutral real rate r*.

    ``restrictive`` when ``real > r* + band``, ``accommodative`` when ``real < r* − band``,
    otherwise ``neutral`` (the band's edges count as neutral).

    Examples
    --------
    >>> classify_stance(3.0), classify_stance(1.2), classify_stance(-2.0)
    ('restrictive', 'neutral', 'accommodative')
    >>> classify_stance(1.2, rstar=0.0)
    'restrictive'
    """
    _check_rstar(rstar)
    _check_band(band)
    if not np.isfinite(real_policy_rate):
        raise NoDataError.t("errors.data.no_real_policy")
    gap = real_policy_rate - rstar
    if gap > band + _EPS:
        return "restrictive"
    if gap < -band - _EPS:
        return "accommodative"
    return "neutral"


def stance_series(
    real_policy_rate: pd.Series,
    rstar: float = DEFAULT_RSTAR,
    band: float = DEFAULT_NEUTRAL_BAND,
) -> pd.Series:
    """:func:`classify_stance` for every non-missing value of a series."""
    s = real_policy_rate.dropna()
    return s.map(lambda v: classify_stance(float(v), rstar, band)).rename("stance")
