"""Personal-finance calculators: closed forms, identities and input validation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidegauge.analysis.calculators import purchasing_power, real_return, retirement
from tidegauge.errors import UsageError


def test_real_return_issue_example() -> None:
    rr = real_return(10, 2)
    assert rr.to_dict() == {"approx": 8.0, "exact": pytest.approx(7.843, abs=5e-4)}
    assert rr.exact == pytest.approx(100 * (1.10 / 1.02 - 1), rel=1e-14)


def test_loan_in_high_inflation_has_negative_real_cost() -> None:
    # a 3 % mortgage in 2022 with CPI inflation near 9 %: debt eroded by about 5.5 % a year
    rr = real_return(3.0, 9.0, kind="loan")
    assert rr.exact == pytest.approx(100 * (1.03 / 1.09 - 1))
    assert rr.exact < -5.0
    assert "loan" in rr.summary("en")


def test_purchasing_power_rule_of_70() -> None:
    # at 2 % inflation prices double in about 35 years: 1000 then buys what 500 buys now
    pp = purchasing_power(1000, 2, 35)
    assert pp.real_value == pytest.approx(1000 / 1.02**35)
    assert pp.real_value == pytest.approx(500, abs=1)
    assert pp.needed_nominal * pp.real_value == pytest.approx(1000**2)
    assert pp.loss_pct == pytest.approx(100 * (1 - 1 / 1.02**35))
    assert purchasing_power(100, 5, 0).real_value == 100


@given(st.floats(0, 1e9), st.floats(-50, 50), st.floats(0, 100))
def test_purchasing_power_round_trip(amount: float, inflation: float, years: float) -> None:
    pp = purchasing_power(amount, inflation, years)
    assert pp.real_value * (1 + inflation / 100) ** years == pytest.approx(
        amount, rel=1e-9, abs=1e-6
    )


def test_retirement_nest_egg_closed_form() -> None:
    plan = retirement(0, 10_000, 30, 5.0, 2.0)
    r = 1.05 / 1.02 - 1
    fv = 10_000 * ((1 + r) ** 30 - 1) / r
    assert plan.real_return == pytest.approx(100 * r)
    assert plan.nest_egg_today == pytest.approx(fv)
    assert plan.nest_egg_nominal == pytest.approx(fv * 1.02**30)
    # the sustainable inflation-adjusted withdrawal exhausts the egg in exactly 30 years
    balance = plan.nest_egg_today
    for _ in range(30):
        balance = (balance - plan.sustainable_withdrawal) * (1 + r)
    assert balance == pytest.approx(0, abs=1e-6)


def test_retirement_withdrawals() -> None:
    plan = retirement(100_000, 0, 0, 5.0, 2.0, years_in_retirement=30, withdrawal=5_000)
    assert plan.required_nest_egg is not None and plan.shortfall is not None
    assert plan.shortfall == pytest.approx(plan.required_nest_egg - 100_000)
    assert plan.years_lasting == 29  # 5,000 a year is a bit more than the 30-year annuity
    never = retirement(100_000, 0, 0, 5.0, 2.0, withdrawal=2_000)
    assert never.years_lasting is None  # the real return (2.94 %) covers 2,000 a year
    zero_real = retirement(100_000, 0, 0, 2.0, 2.0, years_in_retirement=20, withdrawal=10_000)
    assert zero_real.sustainable_withdrawal == pytest.approx(5_000)
    assert zero_real.years_lasting == 10


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: real_return(5, -100), "inflation -100% is at or below -100%"),
        (lambda: real_return(-120, 2), "nominal rate -120%"),
        (lambda: real_return(5, float("nan")), "finite"),
        (lambda: purchasing_power(100, 2, -1), "years -1 is negative"),
        (lambda: purchasing_power(-5, 2, 1), "amount -5 is negative"),
        (lambda: purchasing_power(100, 2, 500), "more than 200"),
        (lambda: retirement(0, 100, 10, 5, -101), "inflation"),
        (lambda: retirement(0, 100, -3, 5, 2), "years to retirement -3"),
        (lambda: retirement(0, 100, 10, 5, 2, withdrawal=-1), "withdrawal -1"),
        (lambda: real_return(5, 2, kind="stock"), "kind"),  # type: ignore[arg-type]
    ],
)
def test_bad_inputs_raise_usage_error(call, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        call()


def test_summaries_in_every_language() -> None:
    for lang in ("en", "zh-TW", "zh-CN"):
        assert "7.843" in real_return(10, 2).summary(lang)
        assert "744.09" in purchasing_power(1000, 3, 10).summary(lang)
        text = retirement(0, 10_000, 30, 5, 2, withdrawal=30_000).summary(lang)
        assert "471,246" in text
    assert math.isclose(purchasing_power(1000, 3, 10).real_value, 744.0939, rel_tol=1e-6)
