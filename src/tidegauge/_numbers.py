"""Numbers as text: ASCII decimals only.

Python's ``float()`` and ``int()`` also accept ``1_000``, non-ASCII digits (``١٢``, ``１２``),
``inf``, ``nan`` and surrounding whitespace. Data files, environment variables and request
parameters accept none of these: a number is an optional sign, ASCII digits with an optional
decimal point and an optional exponent.
"""

from __future__ import annotations

import math
import re

__all__ = ["DECIMAL", "INTEGER", "parse_decimal", "underflows"]

DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
"""An ASCII decimal number (``12``, ``-0.5``, ``.5``, ``1e-3``)."""
INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
"""An ASCII whole number."""


def parse_decimal(text: str) -> float | None:
    """``text`` as a float if it is an ASCII decimal, else ``None`` (the value may be infinite
    when the exponent is too large: check with :func:`math.isfinite`).

    Examples
    --------
    >>> parse_decimal("-1.5e3"), parse_decimal("1_000"), parse_decimal("١٢"), parse_decimal("nan")
    (-1500.0, None, None, None)
    """
    if not DECIMAL.fullmatch(text):
        return None
    return float(text)


def underflows(text: str, value: float) -> bool:
    """Whether the decimal ``text`` is not zero but parsed to ``value == 0.0`` (too small for a
    float, e.g. ``1e-999``).

    Examples
    --------
    >>> underflows("1e-999", 0.0), underflows("0.000", 0.0), underflows("1e-300", 1e-300)
    (True, False, False)
    """
    if value != 0.0 or not math.isfinite(value):
        return False
    mantissa = re.split(r"[eE]", text, maxsplit=1)[0]
    return any(c in "123456789" for c in mantissa)
