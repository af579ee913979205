"""Reading pandas columns as Python values, fast."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["pylist"]


def pylist(column: pd.Series) -> list[Any]:
    """``column.tolist()``; a column of pandas' string dtype is read through one object array
    (pandas' own ``tolist`` reads it value by value, most of a small table's time). A missing
    string is the dtype's missing value, as ``tolist`` gives it."""
    if column.dtype == "str":
        out: list[Any] = column.to_numpy(dtype=object).tolist()
        return out
    return column.tolist()
