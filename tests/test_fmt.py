"""Locale formatting (presentation/fmt.py): numbers, percents, amounts and dates per language."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from tidegauge.errors import UsageError
from tidegauge.presentation.fmt import (
    NA,
    fmt_bp,
    fmt_date,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_value,
    html_lang,
    to_date,
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "Aug 26, 2026"), ("zh-TW", "2026年8月26日"), ("zh-CN", "2026年8月26日")],
)
def test_dates_per_locale(lang: str, expected: str) -> None:
    assert fmt_date(dt.date(2026, 8, 26), lang) == expected
    assert fmt_date("2026-08-26", lang) == expected
    assert fmt_date(pd.Timestamp("2026-08-26"), lang) == expected
    assert fmt_date(dt.datetime(2026, 8, 26, 23, 59), lang) == expected


def test_month_and_year_precision() -> None:
    assert fmt_date("2026-07-01", "en", precision="month") == "Jul 2026"
    assert fmt_date("2026-07-01", "zh-TW", precision="month") == "2026年7月"
    assert fmt_date("2025-09-30", "zh-CN", precision="year") == "2025年"


def test_missing_values_show_a_dash() -> None:
    assert fmt_date(None, "en") == NA
    for f in (fmt_number, fmt_pct, fmt_pp, fmt_bp):
        assert f(None, "en") == NA
        assert f(math.nan, "zh-TW") == NA
    assert fmt_value(None, "USD billions", "en") == NA
    assert fmt_value(float("nan"), "percent", "zh-CN") == NA


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        # WALCL on 2026-08-26 in the mirror is 6,730,912 USD millions = 6,730.912 billions
        (6730.912, "en", "$6.73 trillion"),
        (6730.912, "zh-TW", "6.73 兆美元"),
        (6730.912, "zh-CN", "6.73 万亿美元"),
        # below a trillion: billions in English, 億/亿 (10^8) in Chinese
        (925.725, "en", "$925.7 billion"),
        (925.725, "zh-TW", "9,257 億美元"),
        (925.725, "zh-CN", "9,257 亿美元"),
        (-95.3, "en", "-$95.3 billion"),
        (-95.3, "zh-TW", "-953 億美元"),
    ],
)
def test_amounts_read_naturally(value: float, lang: str, expected: str) -> None:
    assert fmt_value(value, "USD billions", lang) == expected


def test_amount_in_unit_style_keeps_the_canonical_unit() -> None:
    assert fmt_value(6720.404, "USD billions", "en", style="unit") == "6,720.4 USD billions"
    assert fmt_value(6720.404, "USD billions", "zh-TW", style="unit") == "6,720.4 十億美元"
    assert fmt_value(4850.0, "EUR billions", "zh-CN") == "4.85 万亿欧元"


def test_percent_pp_bp() -> None:
    assert fmt_pct(4.331, "en") == "4.33%"
    assert fmt_pct(0.25, "zh-TW", sign=True) == "+0.25%"
    assert fmt_pp(-0.5, "en") == "-0.50 pp"
    assert fmt_pp(1.25, "zh-TW") == "+1.25 個百分點"
    assert fmt_pp(1.25, "zh-CN") == "+1.25 个百分点"
    assert fmt_bp(-47, "en") == "-47 bp"
    assert fmt_value(-47, "bp", "zh-TW") == "-47 個基點"
    assert fmt_value(2.0, "percent", "en") == "2.00%"


def test_no_negative_zero() -> None:
    assert fmt_number(-0.004, "en", decimals=2) == "0.00"
    assert fmt_pp(-0.001, "en") == "0.00 pp"


def test_grouping_and_catalog_units() -> None:
    assert fmt_number(1234567.891, "en", decimals=2) == "1,234,567.89"
    assert fmt_number(1234567.891, "zh-TW", decimals=0) == "1,234,568"
    assert fmt_value(2345.6, "USD per troy ounce", "zh-TW") == "2,345.6 美元／金衡盎司"
    assert fmt_value(37.456, "ratio", "en") == "37.46×"


def test_language_aliases_and_unknown_language() -> None:
    assert fmt_pct(1.0, "zh_TW") == "1.00%"
    assert html_lang("zh-TW") == "zh-Hant-TW"
    assert html_lang("zh-cn") == "zh-Hans-CN"
    assert html_lang("en") == "en"
    with pytest.raises(UsageError, match="unknown language"):
        fmt_date("2026-01-01", "fr")


def test_to_date() -> None:
    assert to_date("2026-08-26T10:00:00") == dt.date(2026, 8, 26)
    assert to_date(None) is None
    assert to_date(pd.Timestamp("2020-03-15")) == dt.date(2020, 3, 15)
