"""The one JSON encoder: every JSON tidegauge writes (CLI ``--json``, the dashboard's API, the
report's data) goes through :func:`jsonable` and :func:`dumps`.

Dates become ISO strings, numpy scalars plain numbers, NaN and infinities ``null``.

>>> import datetime as dt
>>> jsonable({"d": dt.date(2026, 8, 26), "x": float("nan"), "t": (1, 2.5)})
{'d': '2026-08-26', 'x': None, 't': [1, 2.5]}
>>> dumps({"a": 1})
b'{"a": 1}'
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

__all__ = ["dumps", "jsonable"]


def jsonable(x: Any) -> Any:
    """``x`` made of JSON types only (recursively)."""
    if isinstance(x, bool) or x is None or isinstance(x, str | int):
        return x
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple | set | frozenset):
        return [jsonable(v) for v in x]
    if isinstance(x, dt.datetime):  # includes pandas Timestamp; a bare date stays a date
        if x != x:  # NaT
            return None
        midnight = x.time() == dt.time() and x.tzinfo is None
        return x.date().isoformat() if midnight else x.isoformat()
    if isinstance(x, dt.date):
        return x.isoformat()
    if hasattr(x, "to_dict") and callable(x.to_dict) and not hasattr(x, "dtype"):
        return jsonable(x.to_dict())
    if hasattr(x, "item"):  # numpy scalar
        return jsonable(x.item())
    if hasattr(x, "isoformat"):
        return x.isoformat()
    return str(x)


def dumps(value: Any, *, indent: int | None = None) -> bytes:
    """UTF-8 JSON of ``value`` (through :func:`jsonable`)."""
    text = json.dumps(jsonable(value), ensure_ascii=False, allow_nan=False, indent=indent)
    return text.encode("utf-8")
