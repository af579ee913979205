"""The yield curve: the 10-year minus the 2-year Treasury yield (``tidegauge curve``).

An inverted curve (the 2-year yield above the 10-year) says markets expect the policy rate to be
cut — historically a sign of tight policy ahead of a recession. The spread is computed from the
two daily yields on the days both exist (DGS10 − DGS2, percentage points). An *inversion* is a
stretch of days with a negative spread: runs of at least :data:`MIN_DAYS` trading days, merged
when separated by fewer than :data:`MERGE_GAP_DAYS` trading days (a brief return above zero does
not end an inversion).

>>> import pandas as pd
>>> s = pd.Series([0.1, -0.1, -0.2, 0.05, -0.1, -0.3, 0.2],
...               index=pd.bdate_range("2024-01-01", periods=7))
>>> [(e["start"].date().isoformat(), e["days"]) for e in inversions(s, min_days=2, merge_gap=2)]
[('2024-01-02', 4)]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..i18n import Message
from ..values import Day, Quantity, as_date
from .base import Indicator, Inputs, figure
from .model import Chart, Column, Row, Section, Table
from .params import Param

if TYPE_CHECKING:
    import pandas as pd

MIN_DAYS = 5
"""Trading days below zero that make an inversion (a day or two is noise)."""
MERGE_GAP_DAYS = 20
"""Trading days (about a month) above zero that do not end an inversion."""


def spread(dgs10: pd.Series, dgs2: pd.Series) -> pd.Series:
    """DGS10 − DGS2 on the days both are published, percentage points."""
    both = dgs10.to_frame("a").join(dgs2.to_frame("b"), how="inner").dropna()
    return (both["a"] - both["b"]).round(6).rename("spread_10y2y")


def inversions(
    s: pd.Series, *, min_days: int = MIN_DAYS, merge_gap: int = MERGE_GAP_DAYS
) -> list[dict[str, Any]]:
    """Inversion episodes of spread ``s``: start, end, trough, trough date, trading days."""
    runs: list[list[int]] = []  # [first position, last position]
    for i, value in enumerate(s.to_numpy()):
        if value < 0:
            if runs and i - runs[-1][1] - 1 < merge_gap:
                runs[-1][1] = i  # the same inversion (after at most a short return above zero)
            else:
                runs.append([i, i])
    out = []
    for first, last in runs:
        part = s.iloc[first : last + 1]
        negative = int((part < 0).sum())
        if negative < min_days:
            continue
        out.append(
            {
                "start": s.index[first],
                "end": s.index[last],
                "trough": float(part.min()),
                "trough_date": part.idxmin(),
                "days": negative,
            }
        )
    return out


class Curve(Indicator):
    id = "curve"
    title = "curve.title"
    intro = "curve.intro"
    summary = "The yield curve: 10-year minus 2-year Treasury yield, and its inversions."
    description = (
        "The yield curve: the 10-year minus the 2-year Treasury yield (DGS10 − DGS2) with the "
        "date of each yield, whether it is inverted, and every inversion since 1976."
    )
    inputs = ("DGS10", "DGS2")
    params = (
        Param("as_of", "date", metavar="DATE", not_future=True,
              help="Use only data published by DATE (YYYY-MM-DD); default: everything stored."),
    )  # fmt: skip
    as_of_param = "as_of"
    command = ("curve",)
    endpoint = "curve"
    in_report = True
    charts = ("curve",)

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        s = spread(inputs.series("DGS10"), inputs.series("DGS2"))
        return {"spread": s, "inversions": inversions(s)}

    def to_json(self, res: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        s = res["spread"]
        return {
            "as_of": as_date(s.index[-1]),
            "spread_pp": round(float(s.iloc[-1]), 4),
            "inverted": bool(s.iloc[-1] < 0),
            "inversions": res["inversions"],
        }

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s, eps = res["spread"], res["inversions"]
        day = as_date(s.index[-1])
        both = {"DGS10": inputs.last_date("DGS10"), "DGS2": inputs.last_date("DGS2")}
        last = float(s.iloc[-1])
        sec = Section(self.id, Message(self.title), Message(self.intro))
        sec.figures = [
            figure("spread_10y2y", label="curve.figure", explanation=Message("curve.explain"),
                   value=last, unit="pp", sign=True, as_of=day, sources=("DGS10", "DGS2"),
                   inputs=both),
            figure("curve_shape", label="curve.shape", explanation=None, unit="category",
                   code="inverted" if last < 0 else "positive",
                   category=Message("curve.inverted" if last < 0 else "curve.positive"),
                   as_of=day, sources=("DGS10", "DGS2"), inputs=both),
        ]  # fmt: skip
        rows = tuple(
            Row((
                Day(e["start"]), Day(e["end"]), Quantity(e["trough"], "pp", sign=True),
                Day(e["trough_date"]), e["days"],
            ))
            for e in reversed(eps)
        )  # fmt: skip
        cols = (
            Column("start", Message("report.col.start")),
            Column("end", Message("report.col.end")),
            Column("trough", Message("curve.col_trough"), "right"),
            Column("trough_date", Message("curve.col_trough_date"), priority=1),
            Column("days", Message("curve.col_days"), "right"),
        )
        sec.tables.append(Table("inversions", cols, rows, title=Message("curve.table")))
        sec.notes.append(
            Message("curve.rule", min_days=MIN_DAYS, gap=MERGE_GAP_DAYS, first=Day(s.index[0]))
        )
        sec.charts.append(Chart("curve", "curve:curve_chart", (s, eps)))
        return sec
