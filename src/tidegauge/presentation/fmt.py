"""Numbers, percents, amounts and dates formatted per language (en, zh-TW, zh-CN) with Babel.

Every user-facing figure of the report and the dashboard goes through these functions, so a
figure reads the same in the terminal, the HTML report and the web page:

>>> fmt_value(6720.4, "USD billions", "en")
'$6.72 trillion'
>>> fmt_value(6720.4, "USD billions", "zh-TW")
'6.72 兆美元'
>>> fmt_value(925.725, "USD billions", "zh-CN")
'9,257 亿美元'
>>> fmt_pct(4.331, "en"), fmt_pp(-0.5, "zh-TW")
('4.33%', '-0.50 個百分點')
>>> import datetime as dt
>>> fmt_date(dt.date(2026, 8, 26), "en"), fmt_date("2026-08-26", "zh-TW")
('Aug 26, 2026', '2026年8月26日')
>>> fmt_date("2026-07-01", "en", precision="month")
'Jul 2026'

Amounts in billions are scaled the way each language reads them: English uses billion and
trillion; Chinese uses 億/亿 (10⁸) below a trillion and 兆 (Taiwan) or 万亿 (mainland) above.
``style="unit"`` keeps the canonical unit instead (``6,720.4 USD billions``) for tables.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from typing import Any, Literal

from .._typing import Lang
from ..i18n import t
from ..lang import normalise_lang
from ..values import as_date

__all__ = [
    "LOCALES",
    "NA",
    "fmt_bp",
    "fmt_date",
    "fmt_number",
    "fmt_pct",
    "fmt_pp",
    "fmt_value",
    "html_lang",
    "to_date",
]

LOCALES: dict[Lang, str] = {"en": "en_US", "zh-TW": "zh_Hant_TW", "zh-CN": "zh_Hans_CN"}
"""Babel locale of each language."""

HTML_LANGS: dict[Lang, str] = {"en": "en", "zh-TW": "zh-Hant-TW", "zh-CN": "zh-Hans-CN"}
"""BCP 47 tag for ``<html lang=...>`` (script subtags make browsers pick the right CJK glyphs)."""

NA = "—"
"""What a missing value is shown as."""

Style = Literal["natural", "unit"]

# Currency of a canonical "<CUR> billions" unit: (English prefix, Chinese name per language).
_CURRENCIES: dict[str, tuple[str, dict[str, str]]] = {
    "USD": ("$", {"zh-TW": "美元", "zh-CN": "美元"}),
    "EUR": ("€", {"zh-TW": "歐元", "zh-CN": "欧元"}),
    "JPY": ("¥", {"zh-TW": "日圓", "zh-CN": "日元"}),
}
_TRILLION = {"zh-TW": "兆", "zh-CN": "万亿"}
_HUNDRED_MILLION = {"zh-TW": "億", "zh-CN": "亿"}


def _lang(lang: str | None) -> Lang:
    return lang if lang in LOCALES else normalise_lang(lang)


def html_lang(lang: str | None) -> str:
    """``zh-TW`` → ``zh-Hant-TW`` (the value of ``<html lang=...>``)."""
    return HTML_LANGS[_lang(lang)]


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


@cache
def _pattern(decimals: int, grouping: bool) -> str:
    body = "#,##0" if grouping else "0"
    return body + ("." + "0" * decimals if decimals > 0 else "")


@cache
def _number_format(decimals: int, grouping: bool) -> Any:
    """The parsed Babel pattern (``format_decimal`` would parse it again for every number)."""
    from babel.numbers import parse_pattern

    return parse_pattern(_pattern(decimals, grouping))


@cache
def _locale(lang: Lang) -> Any:
    from babel import Locale

    return Locale.parse(LOCALES[lang])


def fmt_number(
    value: float | None,
    lang: str = "en",
    *,
    decimals: int = 1,
    sign: bool = False,
    grouping: bool = True,
) -> str:
    """``value`` with ``decimals`` decimals and the locale's grouping; :data:`NA` if missing.

    >>> fmt_number(1234.56, "en", decimals=1, sign=True)
    '+1,234.6'
    """
    if _missing(value):
        return NA
    v = float(value)  # type: ignore[arg-type]
    if round(v, decimals) == 0:
        v = 0.0  # never "-0.0"
    # what ``babel.numbers.format_decimal`` does, with the pattern and locale parsed once
    text: str = _number_format(decimals, grouping).apply(
        v, _locale(_lang(lang)), decimal_quantization=True, group_separator=True
    )
    if sign and v > 0:
        text = "+" + text
    return text


def fmt_pct(value: float | None, lang: str = "en", *, decimals: int = 2, sign: bool = False) -> str:
    """A value already in percent: ``4.331`` → ``4.33%``."""
    if _missing(value):
        return NA
    return fmt_number(value, lang, decimals=decimals, sign=sign) + "%"


def fmt_pp(value: float | None, lang: str = "en", *, decimals: int = 2) -> str:
    """A difference of percentages, signed: ``+0.50 pp`` / ``+0.50 個百分點``."""
    if _missing(value):
        return NA
    return t("fmt.pp", _lang(lang), value=fmt_number(value, lang, decimals=decimals, sign=True))


def fmt_bp(value: float | None, lang: str = "en", *, decimals: int = 0) -> str:
    """Basis points, signed: ``-47 bp`` / ``-47 個基點``."""
    if _missing(value):
        return NA
    return t("fmt.bp", _lang(lang), value=fmt_number(value, lang, decimals=decimals, sign=True))


def _amount(value: float, currency: str, lang: Lang, sign: bool) -> str:
    prefix, zh = _CURRENCIES[currency]
    mag = abs(value)
    if lang == "en":
        if mag >= 1000:
            num, word = fmt_number(mag / 1000, lang, decimals=2), "trillion"
        else:
            num, word = fmt_number(mag, lang, decimals=1), "billion"
        neg = "-" if value < 0 else ("+" if sign and value > 0 else "")
        return f"{neg}{prefix}{num} {word}"
    if mag >= 1000:
        num, word = fmt_number(value / 1000, lang, decimals=2, sign=sign), _TRILLION[lang]
    else:  # billions → 億 (1 billion = 10 億)
        num, word = fmt_number(value * 10, lang, decimals=0, sign=sign), _HUNDRED_MILLION[lang]
    return f"{num} {word}{zh[lang]}"


def fmt_value(
    value: float | None,
    unit: str,
    lang: str = "en",
    *,
    decimals: int | None = None,
    sign: bool = False,
    style: Style = "natural",
) -> str:
    """``value`` in canonical ``unit`` (catalog units, ``pp``, ``bp``) as text for ``lang``.

    Parameters
    ----------
    value
        The number; ``None``/NaN gives :data:`NA`.
    unit
        ``"USD billions"`` (also EUR, JPY), ``"percent"``, ``"pp"``, ``"bp"``, ``"index"``,
        ``"ratio"``, ``"number"`` (a plain number) or any catalog unit (shown after the number,
        translated).
    decimals
        Decimals (default by unit: 2 for rates and indices, 1 for other amounts).
    sign
        Show ``+`` on positive values (changes).
    style
        ``"natural"`` (``$6.72 trillion``, ``6.72 兆美元``) or ``"unit"``
        (``6,720.4 USD billions``).

    Examples
    --------
    >>> fmt_value(4.33, "percent", "zh-CN"), fmt_value(37.5, "ratio", "en")
    ('4.33%', '37.50×')
    >>> fmt_value(6720.4, "USD billions", "en", style="unit")
    '6,720.4 USD billions'
    """
    lg = _lang(lang)
    if _missing(value):
        return NA
    v = float(value)  # type: ignore[arg-type]
    if unit == "percent":
        return fmt_pct(v, lg, decimals=2 if decimals is None else decimals, sign=sign)
    if unit == "pp":  # signed when asked (a change), plain otherwise (a band's half-width)
        text = fmt_pp(v, lg, decimals=2 if decimals is None else decimals)
        return text if sign or v < 0 else text.replace("+", "", 1)
    if unit == "number":
        return fmt_number(v, lg, decimals=2 if decimals is None else decimals, sign=sign)
    if unit == "bp":
        return fmt_bp(v, lg, decimals=0 if decimals is None else decimals)
    if unit == "ratio":
        return fmt_number(v, lg, decimals=2 if decimals is None else decimals, sign=sign) + "×"
    currency = unit.split(" ", 1)[0]
    if unit.endswith(" billions") and currency in _CURRENCIES and style == "natural":
        return _amount(v, currency, lg, sign)
    d = decimals if decimals is not None else (2 if unit == "index" else 1)
    number = fmt_number(v, lg, decimals=d, sign=sign)
    label = t(f"unit.{unit}", lg) if f"unit.{unit}" in _unit_keys() else unit
    return f"{number} {label}"


@cache
def _unit_keys() -> frozenset[str]:
    from ..i18n import catalog

    return frozenset(k for k in catalog() if k.startswith("unit."))


to_date = as_date
"""A ``date`` from a date, datetime, Timestamp or ISO string (``None`` stays ``None``)."""


def fmt_date(
    value: Any, lang: str = "en", *, precision: Literal["day", "month", "year"] = "day"
) -> str:
    """A date for ``lang``: ``Aug 26, 2026`` / ``2026年8月26日`` (``precision="month"``:
    ``Jul 2026`` / ``2026年7月``, for monthly data dated the first of the month)."""
    d = to_date(value)
    if d is None:
        return NA
    return _fmt_day(d, _lang(lang), precision)


@lru_cache(maxsize=8192)
def _fmt_day(d: Any, lang: Lang, precision: str) -> str:
    """:func:`fmt_date` of a date (a page shows the same dates many times)."""
    from babel.dates import format_date, format_skeleton

    loc = _locale(lang)
    if precision == "month":
        return str(format_skeleton("yMMM", d, locale=loc))
    if precision == "year":
        return str(format_skeleton("y", d, locale=loc))
    return str(format_date(d, "medium", locale=loc))
