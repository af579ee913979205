"""The numpy core of a comparison window (:func:`.compare.compare`).

A new window asks for the period changes of both series, their join, both series rebased and
joined, and the change of each series over every episode. In pandas that is some forty
slices, concatenations and frames, most of the time of a comparison; here the window's work is
done on arrays (dates as int64 nanoseconds, values as float64) and the result's few frames are
built once at the end, with exactly the figures the pandas formulation gives (the same
arithmetic in the same order; tests/test_compare_equivalence.py holds the two side by side).

Only series the store gives take this path: a tz-naive, strictly increasing index of dates
(midnights), float64 values, none missing, both series with the same index unit. Anything else
(:func:`arrays` returns ``None``) is computed by the pandas formulation in :mod:`.compare`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .compare import Endpoint

__all__ = [
    "EPISODE_COLUMNS",
    "Arrays",
    "arrays",
    "changes_frame",
    "episode_rows",
    "rebased_frame",
    "window_frames",
]

_DAY_NS = 86_400_000_000_000
EPISODE_COLUMNS = [
    "kind",
    "program",
    "episode_start",
    "episode_end",
    "start",
    "end",
    "a_change",
    "b_change",
    "a_change_pct",
    "b_change_pct",
    "a_change_pp",
    "b_change_pp",
    "episode_change_pct",
]
"""The columns of a comparison's episode table."""


@dataclass
class Arrays:
    """A series as arrays: ``ns`` (int64 nanoseconds, strictly increasing midnights) and
    ``values`` (float64, none missing), with its index (and the index's unit and name)."""

    ns: np.ndarray
    values: np.ndarray
    unit: str
    name: Any
    index: pd.DatetimeIndex


def arrays(s: pd.Series) -> Arrays | None:
    """``s`` as :class:`Arrays`, or ``None`` for a series the pandas formulation must handle."""
    import numpy as np
    import pandas as pd

    index = s.index
    if (
        not isinstance(index, pd.DatetimeIndex)
        or index.tz is not None
        or s.dtype != np.float64
        or len(s) == 0
    ):
        return None
    try:
        ns = index.as_unit("ns").asi8
    except (OverflowError, ValueError):  # (dates out of the nanosecond range)
        return None
    values = s.to_numpy()
    if (ns % _DAY_NS).any() or not (ns[1:] > ns[:-1]).all() or np.isnan(values).any():
        return None
    return Arrays(ns, values, str(index.unit), index.name, index)


def _at_or_before(arr: Arrays, when: Any) -> np.ndarray:
    """For each of ``when`` (ns), the number of observations on or before it (0: none)."""
    import numpy as np

    return np.searchsorted(arr.ns, when, side="right")


def period_changes(
    arr: Arrays, lo: int, hi: int, freq: str, kind: str
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`.compare.period_changes` of observations ``lo:hi`` (at least one): the period
    labels (``datetime64[D]``) and changes, none missing."""
    import numpy as np

    from .periods import period_last_arrays

    days = (arr.ns[lo:hi] // _DAY_NS).astype("datetime64[D]")
    labels, last = period_last_arrays(days, arr.values[lo:hi], freq)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Series.diff, and Series.pct_change: ``self / self.shift() - 1``
        change = last[1:] - last[:-1] if kind == "points" else (last[1:] / last[:-1] - 1) * 100.0
    keep = ~np.isnan(change)
    return labels[1:][keep], change[keep]


def _index(days_or_ns: np.ndarray, unit: str, name: Any) -> pd.DatetimeIndex:
    import pandas as pd

    return pd.DatetimeIndex(days_or_ns.astype(f"datetime64[{unit}]"), name=name)


def _union(indexes: list[pd.DatetimeIndex]) -> pd.DatetimeIndex:
    """The index ``pd.concat(..., axis=1, sort=True)`` gives Series on ``indexes``: pandas'
    own union (its name, and the frequency it infers for a union of different dates)."""
    from pandas.core.indexes.api import _get_combined_index  # type: ignore[attr-defined]

    union: pd.DatetimeIndex = _get_combined_index(indexes, sort=True)[0]
    return union


def changes_frame(
    a: Arrays,
    b: Arrays,
    starts: tuple[int, int],
    w1: int,
    freq: str,
    kinds: tuple[str, str],
    ids: tuple[str, str],
) -> pd.DataFrame | None:
    """Both series' period changes from their start observations (``starts``, ns) through
    ``w1``, on the periods both have (``concat(...).loc[:w1].dropna()``); ``None`` when there
    are none (left to pandas)."""
    import numpy as np

    parts = []
    for arr, s0, kind in ((a, starts[0], kinds[0]), (b, starts[1], kinds[1])):
        lo = int(np.searchsorted(arr.ns, s0, side="left"))
        hi = int(_at_or_before(arr, np.int64(w1)))
        if hi <= lo:
            return None
        parts.append(period_changes(arr, lo, hi, freq, kind))
    (la, va), (lb, vb) = parts
    common, ia, ib = np.intersect1d(la, lb, assume_unique=True, return_indices=True)
    keep = common.astype("datetime64[ns]").view("i8") <= w1
    if not keep.any():
        return None
    # the index is taken from the union of both, as concat and dropna take it: the same name
    # and the same frequency (a union of different dates infers one; a take of consecutive
    # dates keeps it)
    both = [_index(la, a.unit, a.name), _index(lb, b.unit, b.name)]
    union = _union(both)
    index = union.take(np.searchsorted(union.asi8, _index(common[keep], a.unit, None).asi8))
    return _frame(va[ia[keep]], vb[ib[keep]], index, ids)


def _rebased(arr: Arrays, w0: int, w1: int, kind: str) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """:func:`.returns.rebase` of ``arr`` over ``w0``..``w1`` (ns): its dates and values."""
    import numpy as np

    n0, hi = (int(n) for n in _at_or_before(arr, np.array([w0, w1], dtype=np.int64)))
    v0 = float(arr.values[n0 - 1])  # (the window's endpoint exists: n0 >= 1)
    part = arr.values[n0 - 1 : hi]
    return arr.index[n0 - 1 : hi], (part - v0 if kind == "points" else part / v0 * 100.0)


def rebased_frame(
    a: Arrays, b: Arrays, w0: int, w1: int, kinds: tuple[str, str], ids: tuple[str, str]
) -> pd.DataFrame:
    """Both series rebased (:func:`.returns.rebase`) on the union of their dates, like
    ``pd.concat({a: ..., b: ...}, axis=1, sort=True)`` (the union is pandas' own: the same
    name and inferred frequency)."""
    import numpy as np

    (ia, ra), (ib, rb) = _rebased(a, w0, w1, kinds[0]), _rebased(b, w0, w1, kinds[1])
    union = _union([ia, ib])
    cols = []
    for index, values in ((ia, ra), (ib, rb)):
        col = np.full(len(union), np.nan)
        col[np.searchsorted(union.asi8, index.asi8)] = values
        cols.append(col)
    return _frame(cols[0], cols[1], union, ids)


def _frame(x: np.ndarray, y: np.ndarray, index: pd.Index, ids: tuple[str, str]) -> pd.DataFrame:
    """``pd.DataFrame({ids[0]: x, ids[1]: y}, index=index)``: the same one block of two
    contiguous columns, without the constructor's consolidation."""
    import numpy as np
    import pandas as pd

    return pd.DataFrame(np.vstack([x, y]).T, index=index, columns=_columns(ids))


@lru_cache(maxsize=64)
def _columns(ids: tuple[str, str]) -> pd.Index:
    """The columns of a pair's frames (an index is immutable: shared, not rebuilt, since the
    strings of a new one are converted to Arrow)."""
    import pandas as pd

    return pd.Index(list(ids))


def _iso(ns: np.ndarray) -> list[str]:
    import numpy as np

    return np.datetime_as_string(ns.astype("datetime64[ns]"), unit="D").tolist()


def _changes(arr: Arrays, c0: np.ndarray, c1: np.ndarray, kind: str) -> list[tuple[Any, ...]]:
    """``(change, change_pct, change_pp)`` of ``arr`` from each ``c0`` to each ``c1`` (ns),
    from the observations at or before them; ``None``s where :func:`.compare._endpoint` finds
    no change (no observation, the same one at both ends, a level starting at zero)."""
    n0s, n1s = _at_or_before(arr, c0).tolist(), _at_or_before(arr, c1).tolist()
    out: list[tuple[Any, ...]] = []
    for n0, n1 in zip(n0s, n1s, strict=True):
        v0 = float(arr.values[n0 - 1]) if n0 else 0.0
        if n0 == 0 or n1 <= n0 or (kind == "percent" and v0 == 0):
            out.append((None, None, None))
            continue
        v1 = float(arr.values[n1 - 1])
        if kind == "points":
            pp = round(v1 - v0, 10)
            out.append((pp, None, pp))
        else:
            pct = (v1 / v0 - 1.0) * 100.0
            out.append((pct, pct, None))
    return out


def episode_rows(
    a: Arrays,
    b: Arrays,
    episodes: pd.DataFrame,
    w0: int,
    w1: int,
    kinds: tuple[str, str],
) -> list[tuple[Any, ...]] | None:
    """The rows (:data:`EPISODE_COLUMNS`) of :func:`.compare.episode_table` for episodes whose
    ``start`` and ``end`` are tz-naive dates (``end`` missing: still running); ``None`` for
    other episode tables (left to pandas)."""
    import numpy as np
    import pandas as pd

    from .._frames import pylist

    cols = episodes.columns
    if "start" not in cols or "end" not in cols or "kind" not in cols:
        return None
    column = {
        c: episodes[c] for c in ("start", "end", "kind", "program", "change_pct") if c in cols
    }
    dtypes = [column[c].dtype for c in ("start", "end")]
    if not all(isinstance(d, np.dtype) and d.kind == "M" for d in dtypes):
        return None
    starts = column["start"].to_numpy().astype("datetime64[ns]")
    ends_raw = column["end"].to_numpy().astype("datetime64[ns]")
    if np.isnat(starts).any():
        return None
    e0 = starts.view("i8")
    e1 = np.where(np.isnat(ends_raw), np.int64(w1), ends_raw.view("i8"))
    kept = np.flatnonzero(~((e0 >= w1) | (e1 <= w0)))  # touching at one date is no overlap
    e0, e1 = e0[kept], e1[kept]
    c0, c1 = np.maximum(e0, w0), np.minimum(e1, w1)
    kinds_all = pylist(column["kind"])
    kind = [kinds_all[i] for i in kept.tolist()]
    program = column["program"].tolist() if "program" in column else [None] * len(episodes)
    change = column["change_pct"].tolist() if "change_pct" in column else None
    iso = [_iso(x) for x in (e0, e1, c0, c1)]
    ca, cb = _changes(a, c0, c1, kinds[0]), _changes(b, c0, c1, kinds[1])
    rows = []
    for j, i in enumerate(kept.tolist()):
        prog = program[i]
        rows.append(
            (
                kind[j],
                None if pd.isna(prog) else prog,
                *(x[j] for x in iso),
                ca[j][0],
                cb[j][0],
                ca[j][1],
                cb[j][1],
                ca[j][2],
                cb[j][2],
                None if change is None else float(change[i]),
            )
        )
    return rows


def window_frames(
    a: pd.Series,
    b: pd.Series,
    ea: Endpoint,
    eb: Endpoint,
    w0: pd.Timestamp,
    w1: pd.Timestamp,
    freq: str,
    episodes: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[Any, ...]] | None] | None:
    """The window's changes, rebased frame and episode rows, computed on arrays; ``None``
    where the pandas formulation must compute them all (``rows`` ``None``: the episodes)."""
    import pandas as pd

    if w0.tz is not None or w1.tz is not None or ea.id == eb.id:
        return None
    xa, xb = arrays(a), arrays(b)
    if xa is None or xb is None or xa.unit != xb.unit:
        return None
    kinds, ids = (ea.change_kind, eb.change_kind), (ea.id, eb.id)
    starts = (pd.Timestamp(ea.start_date).value, pd.Timestamp(eb.start_date).value)
    changes = changes_frame(xa, xb, starts, w1.value, freq, kinds, ids)
    if changes is None:
        return None
    rebased = rebased_frame(xa, xb, w0.value, w1.value, kinds, ids)
    rows = None
    if episodes is not None and not episodes.empty:
        rows = episode_rows(xa, xb, episodes, w0.value, w1.value, kinds)
    return changes, rebased, rows
