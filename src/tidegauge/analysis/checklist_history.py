"""The checklist's verdict at every month end: one verdict a month since 2003, from the same
rules, with only the data published by each month end (the catalog's publication lags; the
current values are used, revisions are not replayed).

>>> hist = checklist_history(data, start="2003-01-31")     # doctest: +SKIP
>>> hist.at("2020-03-31")                                  # doctest: +SKIP
'recession'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._typing import DateLike
from .checklist import ChecklistResult, Thresholds, evaluate

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["HISTORY_START", "ChecklistHistory", "checklist_history"]

HISTORY_START = dt.date(2003, 1, 31)
"""The first month end: the weekly H.4.1 securities series begin in December 2002."""


@dataclass(frozen=True)
class ChecklistHistory:
    """Month-end verdicts (``frame``: one row per month end) and the results behind them."""

    frame: pd.DataFrame
    results: tuple[ChecklistResult, ...]

    def at(self, day: DateLike) -> str:
        import pandas as pd

        return str(self.frame.loc[pd.Timestamp(str(day)), "verdict"])

    def runs(self) -> list[dict[str, Any]]:
        """Consecutive months with the same verdict: ``{verdict, start, end, months}``."""
        out: list[dict[str, Any]] = []
        for day, verdict in self.frame["verdict"].items():
            d = day.date()  # type: ignore[attr-defined]
            if out and out[-1]["verdict"] == verdict:
                out[-1]["end"], out[-1]["months"] = d, out[-1]["months"] + 1
            else:
                out.append({"verdict": verdict, "start": d, "end": d, "months": 1})
        return out

    def changes(self) -> int:
        return max(len(self.runs()) - 1, 0)

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def to_dict(self) -> dict[str, Any]:
        rows = [
            {"date": day.date().isoformat(), **{k: _plain(v) for k, v in r.items()}}  # type: ignore[attr-defined]
            for day, r in self.frame.iterrows()
        ]
        runs = [
            {**r, "start": r["start"].isoformat(), "end": r["end"].isoformat()} for r in self.runs()
        ]
        return {"months": rows, "runs": runs, "changes": self.changes()}


def _plain(v: Any) -> Any:
    if isinstance(v, float):
        return None if v != v else round(v, 4)
    if hasattr(v, "item"):
        return v.item()
    return v


def checklist_history(
    data: Mapping[str, pd.Series],
    start: DateLike = HISTORY_START,
    end: DateLike | None = None,
    thresholds: Thresholds | None = None,
) -> ChecklistHistory:
    """Evaluate the checklist at every month end from ``start`` to ``end`` (pure function).

    Parameters
    ----------
    data
        ``{catalog id: Series}``: the full current histories of the checklist's inputs.
    start, end
        First and last month end (default: 2003-01-31 to the last month end of the data).
    thresholds
        As for :func:`tidegauge.analysis.checklist.evaluate`.

    Returns
    -------
    ChecklistHistory
        ``frame`` columns: ``verdict``, ``easing``, ``monetisation``, ``boom_met``,
        ``boom_available``, ``bust_met``, ``bust_available``, ``reliable``.
    """
    import pandas as pd

    from ..catalog import CATALOG
    from .asof import published_by

    last = max(s.index[-1] for s in data.values() if not s.empty)
    stop = pd.Timestamp(str(end)) if end is not None else last
    days = pd.date_range(pd.Timestamp(str(start)), stop, freq="ME")
    rows, results = [], []
    previous = None
    for day in days:
        d = day.date()
        snap = {}
        for sid, s in data.items():
            lag = CATALOG[sid].publication_lag_days if sid in CATALOG else 0
            part = published_by(s, d, lag)
            if not part.empty:
                snap[sid] = part
        r = evaluate(snap, d, thresholds, previous=previous)
        previous = r.verdict
        results.append(r)
        rows.append(
            {
                "verdict": r.verdict,
                "easing": r.easing,
                "monetisation": r.monetisation,
                "boom_met": r.boom_met,
                "boom_available": r.boom_available,
                "bust_met": r.bust_met,
                "bust_available": r.bust_available,
                "reliable": r.reliable,
            }
        )
    frame = pd.DataFrame(rows, index=pd.DatetimeIndex(days, name="date"))
    return ChecklistHistory(frame, tuple(results))
