"""Typed values a face formats for its language: an amount with its unit, a date, a text given
in every language, or a text computed per language.

They are data (bottom layer): indicators put them in figures, table cells and message
parameters; :func:`tidegauge.presentation.text.say` turns them into words.

>>> Quantity(6720.4, "USD billions").unit
'USD billions'
>>> Day("2026-08-26").date
datetime.date(2026, 8, 26)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Day", "Joined", "Lazy", "Localized", "Precision", "Quantity", "as_date"]

Precision = Literal["day", "month", "year"]


def as_date(value: Any) -> dt.date | None:
    """A ``date`` from a date, datetime, pandas Timestamp or ISO string (``None`` stays)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp
        d = value.date()
        return d if isinstance(d, dt.date) else None
    text = str(value)[:10]
    if text in ("NaT", "nan", "None"):
        return None
    return dt.date.fromisoformat(text)


@dataclass(frozen=True)
class Quantity:
    """A number in a canonical unit (``"USD billions"``, ``"percent"``, ``"pp"``, ``"bp"``...).

    ``decimals`` and ``sign`` are display hints; ``style="unit"`` keeps the unit name instead of
    the natural reading (``6,720.4 USD billions`` rather than ``$6.72 trillion``).
    """

    value: float | None
    unit: str
    decimals: int | None = None
    sign: bool = False
    style: Literal["natural", "unit", "number"] = "natural"


@dataclass(frozen=True)
class Day:
    """A date shown with ``precision`` (monthly data is dated the first of its month)."""

    date: dt.date | None
    precision: Precision = "day"

    def __init__(self, date: Any, precision: Precision = "day") -> None:
        object.__setattr__(self, "date", as_date(date))
        object.__setattr__(self, "precision", precision)


@dataclass(frozen=True)
class Localized:
    """A text given in each language (program names from the program catalog)."""

    texts: Mapping[str, str]

    def text(self, lang: str = "en") -> str:
        return self.texts.get(lang) or self.texts.get("en") or ""


@dataclass(frozen=True)
class Lazy:
    """A text computed for a language when rendered (wraps an analysis's ``note(lang)``)."""

    render: Callable[[str], str] = field(compare=False)

    def text(self, lang: str = "en") -> str:
        return self.render(lang)


@dataclass(frozen=True)
class Joined:
    """Several texts or values shown one after the other, separated by ``sep`` (each rendered
    in the face's language)."""

    items: tuple[Any, ...]
    sep: str = "; "
