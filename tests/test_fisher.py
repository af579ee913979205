"""Fisher identities: exact versus approximate, inverses, breakevens, compounded forwards."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidegauge.analysis.fisher import (
    approx_minus_exact,
    forward_rate,
    implied_inflation,
    nominal_rate,
    real_rate,
)
from tidegauge.errors import UsageError

# Everyday-to-extreme rates in percent, well inside the domain (> -100 %).
rates = st.floats(min_value=-50.0, max_value=100.0, allow_nan=False, allow_infinity=False)
small = st.floats(min_value=-10.0, max_value=20.0, allow_nan=False, allow_infinity=False)


def test_issue_example() -> None:
    assert real_rate(10.0, 2.0, "approx") == 8.0
    assert real_rate(10.0, 2.0, "exact") == pytest.approx(7.843137254901961, abs=1e-12)
    assert real_rate(10.0, 2.0) == pytest.approx(100 * (1.10 / 1.02 - 1), rel=1e-15)


@given(rates, rates)
def test_exact_real_rate_satisfies_fisher(i: float, p: float) -> None:
    r = real_rate(i, p, "exact")
    assert (1 + i / 100) == pytest.approx((1 + r / 100) * (1 + p / 100), rel=1e-12, abs=1e-12)


@given(rates, rates)
def test_gap_is_the_second_order_term(i: float, p: float) -> None:
    gap = real_rate(i, p, "approx") - real_rate(i, p, "exact")
    # closed form: 100 * π (i − π) / (1 + π) with fractions
    assert gap == pytest.approx(approx_minus_exact(i, p), abs=1e-9)
    assert gap == pytest.approx(100 * (p / 100) * ((i - p) / 100) / (1 + p / 100), abs=1e-9)


@given(small, small)
def test_gap_is_second_order_small(i: float, p: float) -> None:
    # |gap| <= |π|·|i − π| / (1 + π) / 100 in pp: below 0.3 pp for rates in [-10, 20] %
    gap = abs(real_rate(i, p, "approx") - real_rate(i, p, "exact"))
    bound = abs(p) * abs(i - p) / (100 + p)
    assert gap <= bound + 1e-9
    # scaling both rates by 1/10 shrinks the gap about 100-fold (second order)
    scaled = abs(real_rate(i / 10, p / 10, "approx") - real_rate(i / 10, p / 10, "exact"))
    assert scaled <= gap / 100 * 1.25 + 1e-12


@given(rates, rates, st.sampled_from(["approx", "exact"]))
def test_inverses_round_trip(i: float, p: float, method: str) -> None:
    r = real_rate(i, p, method)  # type: ignore[arg-type]
    assert nominal_rate(r, p, method) == pytest.approx(i, abs=1e-9)  # type: ignore[arg-type]
    assert implied_inflation(i, r, method) == pytest.approx(p, abs=1e-9)  # type: ignore[arg-type]


@given(rates, rates)
def test_breakeven_is_nominal_minus_real(nominal: float, real: float) -> None:
    assert implied_inflation(nominal, real) == pytest.approx(nominal - real, abs=1e-12)


@given(small, small)
def test_forward_compounds_back(b5: float, b10: float) -> None:
    f = forward_rate(b5, b10, 5, 10)
    assert (1 + b5 / 100) ** 5 * (1 + f / 100) ** 5 == pytest.approx(
        (1 + b10 / 100) ** 10, rel=1e-10
    )
    # a flat curve has a flat forward; the forward lies on the far side of b10 from b5
    assert forward_rate(b5, b5, 5, 10) == pytest.approx(b5, abs=1e-9)
    assert (f - b10) * (b10 - b5) >= -1e-9


def test_arrays_and_series_keep_shape_and_index() -> None:
    arr = real_rate(np.array([5.0, 3.0]), np.array([2.0, 3.0]), "approx")
    assert isinstance(arr, np.ndarray) and arr.tolist() == [3.0, 0.0]
    idx = pd.date_range("2022-01-01", periods=3, freq="MS")
    s = real_rate(pd.Series([1.0, 2.0, 3.0], idx), pd.Series([8.0, 8.0, 8.0], idx))
    assert isinstance(s, pd.Series) and s.index.equals(idx)
    assert s.iloc[0] == pytest.approx(100 * (1.01 / 1.08 - 1))
    # NaN propagates instead of raising
    s2 = real_rate(pd.Series([1.0, np.nan], idx[:2]), 2.0)
    assert np.isnan(s2.iloc[1])


@pytest.mark.parametrize("bad", [-100.0, -150.0])
def test_inflation_at_or_below_minus_100_is_rejected(bad: float) -> None:
    with pytest.raises(UsageError, match="-100%"):
        real_rate(5.0, bad)
    with pytest.raises(UsageError, match="-100%"):
        real_rate(np.array([5.0, 5.0]), np.array([2.0, bad]))
    # the approximation is defined everywhere
    assert real_rate(5.0, bad, "approx") == 5.0 - bad


def test_bad_method_and_horizons() -> None:
    with pytest.raises(UsageError, match="method"):
        real_rate(1.0, 1.0, "linear")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="horizons"):
        forward_rate(2.0, 2.0, 10, 5)
