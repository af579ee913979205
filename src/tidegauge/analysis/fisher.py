"""The Fisher equation: nominal rate, real rate and inflation.

Every function takes rates **in percent** (``5.0`` means 5 %) and returns percent. Inputs may be
Python floats, NumPy arrays or pandas Series (Series keep their index; two Series are aligned by
pandas as usual). Two forms are offered:

* **approximate**: ``r = i - π`` — what newspapers and most central-bank charts use;
* **exact**: ``(1 + i) = (1 + r)(1 + π)``, i.e. ``r = (1 + i) / (1 + π) - 1``.

The two differ by a second-order term: ``approx - exact = π (i - π) / (1 + π)`` (in fractions),
a few hundredths of a point at everyday rates but several points in a hyperinflation.

Examples
--------
>>> round(real_rate(10.0, 2.0, method="approx"), 6)
8.0
>>> round(real_rate(10.0, 2.0), 4)
7.8431
>>> round(nominal_rate(real_rate(5.0, 3.0), 3.0), 12)
5.0
>>> round(forward_rate(2.0, 2.5, 5, 10), 4)
3.0025
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import numpy as np

from ..errors import Term, UsageError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FisherMethod",
    "approx_minus_exact",
    "forward_rate",
    "implied_inflation",
    "nominal_rate",
    "real_rate",
]

FisherMethod = Literal["approx", "exact"]
"""``"approx"``: r = i − π; ``"exact"``: (1 + i) = (1 + r)(1 + π)."""

R = TypeVar("R", float, "np.ndarray[Any, Any]", "pd.Series[float]")


def _check_method(method: str) -> None:
    if method not in ("approx", "exact"):
        raise UsageError.t("errors.value.method", method=method)


def _check_gross(value: Any, name: str | Term) -> None:
    """Rates at or below −100 % have no gross factor (1 + x ≤ 0): reject them clearly."""
    arr = np.asarray(value, dtype=float)
    bad = arr <= -100.0
    if np.any(bad):
        worst = float(np.nanmin(arr[bad]))
        raise UsageError.t("errors.value.gross", name=name, value=worst)


@overload
def real_rate(nominal: float, inflation: float, method: FisherMethod = ...) -> float: ...
@overload
def real_rate(nominal: R, inflation: Any, method: FisherMethod = ...) -> R: ...
def real_rate(nominal: Any, inflation: Any, method: FisherMethod = "exact") -> Any:
    """Real rate from a nominal rate and inflation (percent in, percent out).

    Parameters
    ----------
    nominal
        Nominal interest rate, percent per year.
    inflation
        Inflation over the same period, percent per year; must be above −100 % for ``exact``.
    method
        ``"exact"`` (default): ``(1 + i) / (1 + π) − 1``; ``"approx"``: ``i − π``.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The real rate in percent, same shape as the inputs.

    Raises
    ------
    UsageError
        Unknown method, or inflation at or below −100 % with ``method="exact"``.

    Examples
    --------
    >>> real_rate(10.0, 2.0, method="approx")
    8.0
    >>> round(real_rate(10.0, 2.0, method="exact"), 3)
    7.843
    """
    _check_method(method)
    if method == "approx":
        return nominal - inflation
    _check_gross(inflation, Term("errors.names.inflation"))
    _check_gross(nominal, Term("errors.names.nominal_rate"))
    return ((1 + nominal / 100.0) / (1 + inflation / 100.0) - 1) * 100.0


@overload
def nominal_rate(real: float, inflation: float, method: FisherMethod = ...) -> float: ...
@overload
def nominal_rate(real: R, inflation: Any, method: FisherMethod = ...) -> R: ...
def nominal_rate(real: Any, inflation: Any, method: FisherMethod = "exact") -> Any:
    """Nominal rate from a real rate and inflation: the inverse of :func:`real_rate`.

    ``exact``: ``(1 + r)(1 + π) − 1``; ``approx``: ``r + π``.

    Examples
    --------
    >>> round(nominal_rate(7.843137254901961, 2.0), 10)
    10.0
    """
    _check_method(method)
    if method == "approx":
        return real + inflation
    _check_gross(inflation, Term("errors.names.inflation"))
    _check_gross(real, Term("errors.names.real_rate"))
    return ((1 + real / 100.0) * (1 + inflation / 100.0) - 1) * 100.0


@overload
def implied_inflation(nominal: float, real: float, method: FisherMethod = ...) -> float: ...
@overload
def implied_inflation(nominal: R, real: Any, method: FisherMethod = ...) -> R: ...
def implied_inflation(nominal: Any, real: Any, method: FisherMethod = "approx") -> Any:
    """Inflation implied by a nominal and a real rate — the *breakeven* inflation rate.

    The default is ``approx`` (``i − r``) because that is how the Federal Reserve and FRED
    define breakevens (``T10YIE = DGS10 − DFII10``).

    Examples
    --------
    >>> implied_inflation(4.25, 1.75)
    2.5
    """
    _check_method(method)
    if method == "approx":
        return nominal - real
    _check_gross(nominal, Term("errors.names.nominal_rate"))
    _check_gross(real, Term("errors.names.real_rate"))
    return ((1 + nominal / 100.0) / (1 + real / 100.0) - 1) * 100.0


@overload
def approx_minus_exact(nominal: float, inflation: float) -> float: ...
@overload
def approx_minus_exact(nominal: R, inflation: Any) -> R: ...
def approx_minus_exact(nominal: Any, inflation: Any) -> Any:
    """How far the approximation overstates the exact real rate, in percentage points.

    Closed form: ``100 · π (i − π) / (1 + π)`` with ``i``, ``π`` as fractions — second order in
    the rates, so it vanishes when either inflation or the approximate real rate is zero.

    Examples
    --------
    >>> round(approx_minus_exact(10.0, 2.0), 4)
    0.1569
    """
    _check_gross(inflation, Term("errors.names.inflation"))
    i, p = nominal / 100.0, inflation / 100.0
    return 100.0 * p * (i - p) / (1 + p)


@overload
def forward_rate(short: float, long: float, short_years: float, long_years: float) -> float: ...
@overload
def forward_rate(short: R, long: Any, short_years: float, long_years: float) -> R: ...
def forward_rate(short: Any, long: Any, short_years: float, long_years: float) -> Any:
    """Compounded forward rate between two horizons (percent per year).

    ``((1 + L)^T_L / (1 + S)^T_S)^(1 / (T_L − T_S)) − 1``: the rate over years ``T_S``..``T_L``
    that, compounded after the short rate, gives the long rate. With breakevens at 5 and 10
    years this is the **5-year, 5-year forward** inflation expectation, the formula FRED uses
    for ``T5YIFR``.

    Parameters
    ----------
    short, long
        Annual rates over the short and the long horizon, percent.
    short_years, long_years
        The horizons in years; ``0 <= short_years < long_years``.

    Examples
    --------
    >>> round(forward_rate(2.0, 2.0, 5, 10), 12)
    2.0
    """
    if not 0 <= short_years < long_years:
        raise UsageError.t("errors.value.horizons", short=short_years, long=long_years)
    _check_gross(short, Term("errors.names.short_rate"))
    _check_gross(long, Term("errors.names.long_rate"))
    gross = (1 + long / 100.0) ** long_years / (1 + short / 100.0) ** short_years
    return (gross ** (1.0 / (long_years - short_years)) - 1) * 100.0
