"""Numbers and dates read exactly as Babel's own ``format_decimal`` and ``format_date`` give
them (:mod:`tidegauge.presentation.fmt` parses each pattern and locale once), on real values."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from helpers import fred_values
from tidegauge.presentation.fmt import LOCALES, fmt_date, fmt_number

LANGS = tuple(LOCALES)


def test_fmt_number_is_format_decimal(fred_mirror: Path) -> None:
    walcl = list(fred_values(fred_mirror, "WALCL").values())
    dgs10 = list(fred_values(fred_mirror, "DGS10").values())
    changes = [b - a for a, b in itertools.pairwise(dgs10)]  # negatives and zeros
    values = [*walcl[::7], *dgs10[::97], *changes[::53]]
    assert min(values) < 0 and 0.0 in values and max(values) > 8000  # WALCL above $8 trillion
    for lang in LANGS:
        for decimals in (0, 1, 2, 3):
            for grouping in (True, False):
                body = ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals else "")
                for v in values:
                    shown = 0.0 if round(v, decimals) == 0 else v
                    want = format_decimal(
                        shown, body, locale=LOCALES[lang], decimal_quantization=True
                    )
                    want = ("+" + want) if shown > 0 else want
                    got = fmt_number(v, lang, decimals=decimals, sign=True, grouping=grouping)
                    assert got == want, (v, lang, decimals, grouping)


@pytest.mark.parametrize("lang", LANGS)
def test_fmt_date_is_format_date(fred_mirror: Path, lang: str) -> None:
    days = [dt.date.fromisoformat(d) for d in list(fred_values(fred_mirror, "WALCL"))[::29]]
    loc = LOCALES[lang]  # type: ignore[index]
    for d in days:
        for _ in range(2):  # the second time from the memo
            assert fmt_date(d, lang) == format_date(d, "medium", locale=loc)
            assert fmt_date(d.isoformat(), lang, precision="month") == format_skeleton(
                "yMMM", d, locale=loc
            )
            assert fmt_date(d, lang, precision="year") == format_skeleton("y", d, locale=loc)
