"""Programs as announced: each catalog program's window on the balance sheet, whole.

Detection (:mod:`.regimes`) cuts the balance sheet where its behaviour changes, so QT2 is two
QT episodes around the March 2023 bank lending. A program as announced runs from its effective
date to its end (or the data's end): :func:`program_windows` measures total assets over that
window — the level at the last observation on or before each end, the change, the peak and
the trough with their dates — and lists the detected episodes of *other* kinds inside it as
interruptions (the lending of March 2023 inside QT2).

>>> from tidegauge.analysis.regimes import fed_regimes              # doctest: +SKIP
>>> res = fed_regimes(tg)                                            # doctest: +SKIP
>>> program_windows(res).set_index("program").loc["QT2", "change"]   # doctest: +SKIP
-2362.631
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ..catalog.programs import Program
    from .regimes import RegimeResult

__all__ = ["BALANCE_KINDS", "extremes", "previous_program", "program_windows"]

BALANCE_KINDS = ("QE", "QT", "reserve_management")
"""Program kinds measured as windows (lending is shown inside them; a taper is part of its QE,
a twist leaves the size unchanged)."""


def extremes(s: pd.Series, start: Any, end: Any) -> dict[str, Any]:
    """Peak and trough of ``s`` between ``start`` and ``end`` (inclusive) with their dates."""
    import pandas as pd

    part = s.loc[pd.Timestamp(start) : pd.Timestamp(end)].dropna()
    if part.empty:
        return {"peak": None, "peak_date": None, "trough": None, "trough_date": None}
    return {
        "peak": float(part.max()),
        "peak_date": pd.Timestamp(str(part.idxmax())).date().isoformat(),
        "trough": float(part.min()),
        "trough_date": pd.Timestamp(str(part.idxmin())).date().isoformat(),
    }


def program_windows(res: RegimeResult, programs: Sequence[Program] | None = None) -> pd.DataFrame:
    """One row per program of ``BALANCE_KINDS`` that the data cover.

    Columns: ``program``, ``kind``, ``announced``, ``effective``, ``end`` (``None``: running),
    ``start_date``/``end_date`` (the observations used: the last on or before the effective
    date and before the end), ``start_level``, ``end_level``, ``change``, ``change_pct``,
    ``peak``/``peak_date``, ``trough``/``trough_date`` and ``interruptions`` (a list of
    ``{kind, program, start, end, change}`` for detected episodes of another kind inside).

    Notes
    -----
    The windows are found with ``numpy.searchsorted`` on the dates of total assets, and the
    episodes inside with masks over their columns as arrays (what :func:`extremes` and
    boolean indexing of the frames did, at a tenth of the cost).
    """
    import numpy as np
    import pandas as pd

    from ..catalog.programs import load_programs

    progs = programs if programs is not None else load_programs(res.bank)
    s = res.total_assets.dropna()
    days = pd.DatetimeIndex(s.index)
    stamps = days.asi8
    values = s.to_numpy(dtype=float)
    eps = res.episodes
    starts = pd.DatetimeIndex(eps["start"]).as_unit(days.unit)
    ends = pd.DatetimeIndex(eps["end"]).as_unit(days.unit)
    dated = ~(np.isnat(starts.to_numpy()) | np.isnat(ends.to_numpy()))  # NaT compares false
    ep_start, ep_end = starts.asi8, ends.asi8
    ep_kind = eps["kind"].to_numpy(dtype=object)
    rows = []
    for p in progs:
        if p.kind not in BALANCE_KINDS:
            continue
        t0 = pd.Timestamp(p.effective)
        t1 = pd.Timestamp(p.end) - pd.Timedelta(days=1) if p.end else days[-1]
        i0 = int(days.searchsorted(t0, side="right")) - 1  # the last observation on or before
        i1 = int(days.searchsorted(t1, side="right")) - 1
        if i0 < 0 or i1 <= i0:
            continue
        d0, d1 = days[i0], days[i1]
        v0, v1 = float(values[i0]), float(values[i1])
        inside = dated & (ep_start >= stamps[i0]) & (ep_end <= stamps[i1])
        inside &= (ep_kind != p.kind) & (ep_kind != "flat")
        part = values[i0 : i1 + 1]
        peak, trough = i0 + int(np.argmax(part)), i0 + int(np.argmin(part))
        rows.append(
            {
                "program": p.id,
                "kind": p.kind,
                "announced": p.announced.isoformat(),
                "effective": p.effective.isoformat(),
                "end": p.end.isoformat() if p.end else None,
                "start_date": d0.date().isoformat(),
                "end_date": d1.date().isoformat(),
                "start_level": v0,
                "end_level": v1,
                "change": v1 - v0,
                "change_pct": (v1 / v0 - 1) * 100,
                "peak": float(values[peak]),
                "peak_date": days[peak].date().isoformat(),
                "trough": float(values[trough]),
                "trough_date": days[trough].date().isoformat(),
                "interruptions": [
                    {
                        "kind": str(r["kind"]),
                        "program": r["program"] if isinstance(r["program"], str) else None,
                        "start": r["start"].date().isoformat(),
                        "end": r["end"].date().isoformat(),
                        "change": float(r["change"]),
                    }
                    for r in eps[inside].to_dict("records")
                ]
                if inside.any()
                else [],
            }
        )
    return pd.DataFrame(rows)


def previous_program(windows: pd.DataFrame, current: str | None) -> dict[str, Any] | None:
    """The program that ended last before the current one (``current``: its catalog id)."""
    if windows.empty:
        return None
    ended = windows[windows["end"].notna() & (windows["program"] != current)]
    if ended.empty:
        return None
    row = ended.sort_values("end").iloc[-1].to_dict()
    return {str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
