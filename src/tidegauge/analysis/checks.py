"""Validation of calculator inputs: finite numbers, rates above -100 %, amounts and horizons
that are not negative. Each failure is a :class:`~tidegauge.errors.UsageError` that says what to
change."""

from __future__ import annotations

import math

from ..errors import Term, UsageError

__all__ = ["MAX_YEARS", "check_amount", "check_finite", "check_rate", "check_years"]

MAX_YEARS = 200
"""Longest horizon accepted, years (beyond that compounding is meaningless for a person)."""


def check_finite(value: float, name: str | Term) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise UsageError.t("errors.value.not_a_number", name=name, value=value) from None
    if not math.isfinite(v):
        raise UsageError.t("errors.value.not_finite", name=name, value=value)
    return v


def check_rate(value: float, name: str | Term) -> float:
    v = check_finite(value, name)
    if v <= -100.0:
        raise UsageError.t("errors.value.rate_too_low", name=name, value=v)
    if v > 1000.0:
        raise UsageError.t("errors.value.rate_too_high", name=name, value=v)
    return v


def check_amount(value: float, name: str | Term) -> float:
    v = check_finite(value, name)
    if v < 0:
        raise UsageError.t("errors.value.negative_amount", name=name, value=v)
    return v


YEARS_TERM = Term("errors.names.years")


def check_years(value: float, name: str | Term = YEARS_TERM) -> float:
    v = check_finite(value, name)
    if v < 0:
        raise UsageError.t("errors.value.negative_years", name=name, value=v)
    if v > MAX_YEARS:
        raise UsageError.t("errors.value.too_many_years", name=name, value=v, max=MAX_YEARS)
    return v
