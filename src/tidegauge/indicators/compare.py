"""Compare two series over a window (``tidegauge compare``; the report's QT2 comparison)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..errors import NoDataError, TidegaugeError, UsageError
from ..i18n import Message
from ..values import Day, Lazy, Quantity, as_date
from .balance import FED_IDS, regimes_of
from .base import Indicator, Inputs
from .model import Chart, Column, Figure, Row, Section, Table
from .params import Param

REPORT_PROGRAM = "QT2"
"""The report compares Fed total assets with the S&P 500 over this program's window."""
REPORT_MAX_LAG = 4
"""Lead/lag searched in the report (weeks either side; ``tidegauge compare`` searches further)."""
EXTRA = ("SP500TR",)
"""Ids compare accepts besides the catalog (S&P 500 total return, from Shiller data)."""


class Compare(Indicator):
    id = "compare"
    title = "report.section.compare.title"
    intro = "report.section.compare.intro"
    summary = "Compare two series over a window: changes, correlation, lead/lag, episodes."
    description = (
        "Compare SERIES_A and SERIES_B from --start to --end: the change of each (with the "
        "observations used), correlation and lead/lag of their changes, and the change of both "
        "in each Fed balance-sheet episode overlapping the window. SP500TR is the S&P 500 with "
        "dividends reinvested (Shiller monthly data)."
    )
    params = (
        Param(
            "a",
            "series",
            "WALCL",
            positional=True,
            metavar="SERIES_A",
            extra=EXTRA,
            help="First series (a catalog id or SP500TR).",
        ),
        Param(
            "b",
            "series",
            "SP500",
            positional=True,
            metavar="SERIES_B",
            extra=EXTRA,
            help="Second series.",
        ),
        Param(
            "start",
            "date",
            dt.date(2022, 6, 1),
            required=True,
            metavar="DATE",
            help="Window start (YYYY-MM-DD).",
        ),
        Param("end", "date", None, required=True, metavar="DATE", help="Window end (YYYY-MM-DD)."),
        Param(
            "view",
            "choice",
            "level",
            choices=("level", "log"),
            label="params.label.view",
            metavar="level|log",
            help="Chart of the rebased series: level or log scale.",
        ),
    )
    command = ("compare",)
    page = "compare"
    endpoint = "compare"
    in_report = True
    charts = ("compare",)

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        from ..analysis.compare_load import input_ids

        a, b = p.get("a") or "WALCL", p.get("b") or "SP500"
        return (*input_ids(a), *input_ids(b), *FED_IDS)

    def report_params(self, inputs: Inputs) -> dict[str, Any]:
        """The report's comparison: WALCL and SP500 over :data:`REPORT_PROGRAM`'s window."""
        from ..catalog.programs import load_programs

        inputs.need("WALCL", "SP500")
        prog = next(p for p in load_programs("fed") if p.id == REPORT_PROGRAM)
        dates = [d for d in (inputs.last_date("WALCL"), inputs.last_date("SP500")) if d]
        latest = min(dates)
        end = min(prog.end, latest) if prog.end else latest
        return {"a": "WALCL", "b": "SP500", "start": prog.effective, "end": end, "max_lag": 4}

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        import pandas as pd

        from ..analysis.compare_load import compare_loaded, prepare

        start, end = p.get("start"), p.get("end") or dt.date.today()
        if start is None:
            raise UsageError.t("errors.dates.compare_needs_both")
        if start >= end:
            key = "errors.dates.reversed" if start > end else "errors.dates.not_before"
            raise UsageError.t(key, start=start, end=end)
        w0, w1 = pd.Timestamp(start), pd.Timestamp(end)
        la = prepare(inputs.data, p["a"], w0, w1)
        lb = prepare(inputs.data, p["b"], w0, w1)
        try:
            episodes = regimes_of(inputs, "fed").episodes
        except TidegaugeError:
            episodes = None
        kw = {"max_lag": p["max_lag"]} if p.get("max_lag") else {}
        return compare_loaded(la, lb, w0, w1, episodes=episodes, **kw)

    def to_json(self, res: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        out = res.to_dict()
        out.update(start=res.start, end=res.end, frequency=res.frequency, notes=list(res.notes))
        return dict(out)

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(
            self.id,
            Message(self.title),
            Message(self.intro, start=Day(res.start), end=Day(res.end)),
        )
        s.figures = [_change(key, e, res) for key, e in (("a", res.a), ("b", res.b))]
        s.figures.append(
            Figure(
                "compare_correlation",
                Message("web.compare.correlation", freq=Message(f"frequency.{res.frequency}")),
                value=res.correlation,
                unit="number",
                decimals=2,
                sign=True,
                as_of=min(as_date(res.a.end_date), as_date(res.b.end_date)),  # type: ignore[type-var]
                sources=(res.a.id, res.b.id),
                inputs={res.a.id: as_date(res.a.end_date), res.b.id: as_date(res.b.end_date)},
            )
        )
        bl = res.best_lag()
        if bl is not None:
            s.paragraphs.append(
                Message(
                    "compare.lead_lag_line",
                    lag=bl[0],
                    corr=Quantity(bl[1], "number", 2, sign=True),
                    freq=Message(f"frequency.{res.frequency}"),
                )
            )
        s.tables.append(_endpoints(res))
        s.tables.append(_episodes(res))
        s.notes += [_note(res, i) for i in range(len(res.notes))]
        s.notes += [_endpoint_note(e) for e in (res.a, res.b) if e.note("en")]
        rates = [e.id for e in (res.a, res.b) if e.change_kind == "points"]
        if rates:  # a rate rebased to 100 means nothing (and flips sign below zero)
            s.notes.append(Message("compare.rates_chart", ids=", ".join(rates)))
            return s
        a = res.rebased[res.a.id].dropna()
        b = res.rebased[res.b.id].dropna()
        s.charts.append(
            Chart(
                "compare",
                "balance:rebased_chart",
                (a, b),
                {"start": res.start, "end": res.end, "view": p.get("view") or "level"},
            )
        )
        return s


def _change(key: str, e: Any, res: Any) -> Figure:
    if e.end_value is None:
        raise NoDataError.t(
            "errors.data.none_in_window", series_id=e.id, start=res.start, end=res.end
        )
    points = e.change_kind == "points"
    return Figure(
        f"compare_{key}",
        Message("web.compare.change", name=_label(e.id)),
        value=e.change,
        unit="pp" if points else "percent",
        decimals=2 if points else 1,
        sign=True,
        as_of=as_date(e.end_date),
        sources=(e.id,),
        context=Message(
            "web.compare.used",
            v0=Quantity(e.start_value, e.unit or "index", 2, style="number"),
            d0=Day(e.start_date),
            v1=Quantity(e.end_value, e.unit or "index", 2, style="number"),
            d1=Day(e.end_date),
        ),
        detail={
            "start_date": e.start_date,
            "start_value": e.start_value,
            "end_value": e.end_value,
            "unit": e.unit,
            "change_kind": e.change_kind,
        },
    )


def _note(res: Any, i: int) -> Lazy:
    return Lazy(lambda lang: str(res.notes_in(lang)[i]))


def _endpoint_note(e: Any) -> Lazy:
    return Lazy(lambda lang: f"{e.id}: {e.note(lang)}")


def _label(sid: str) -> Any:
    from ..catalog import CATALOG
    from ..values import Localized

    if sid in CATALOG:
        return Localized({str(k): v for k, v in CATALOG[sid].name.items()})
    return Message("charts.sp500tr") if sid in EXTRA else sid


def _endpoints(res: Any) -> Table:
    rows = []
    for e in (res.a, res.b):
        unit = e.unit or "index"
        rows.append(
            Row(
                (
                    _label(e.id),
                    Message(
                        "report.text.value_on",
                        value=Quantity(e.start_value, unit, 2, style="unit"),
                        date=Day(e.start_date),
                    ),
                    Message(
                        "report.text.value_on",
                        value=Quantity(e.end_value, unit, 2, style="unit"),
                        date=Day(e.end_date),
                    ),
                    _change_cell(e.change, e.change_kind),
                )
            )
        )
    cols = ("series", "from_value", "to_value", "change")
    return Table(
        "endpoints",
        tuple(
            Column(c, Message(f"report.col.{c}"), "right" if c == "change" else "left")
            for c in cols
        ),
        tuple(rows),
    )


def _change_cell(value: float | None, kind: str) -> Quantity:
    """A change in percent (a level) or in percentage points (a rate)."""
    if kind == "points":
        return Quantity(value, "pp", 2, sign=True)
    return Quantity(value, "percent", 1, sign=True)


def _episodes(res: Any) -> Table:
    from ..analysis.compare_result import records

    rows = tuple(
        Row(
            (
                Message(f"charts.kind.{r['kind']}"),
                r["program"] if isinstance(r["program"], str) else None,
                Message("report.text.period", start=Day(r["start"]), end=Day(r["end"])),
                _change_cell(_num(r["a_change"]), res.a.change_kind),
                _change_cell(_num(r["b_change"]), res.b.change_kind),
            )
        )
        for r in records(res.episodes)
    )
    return Table(
        "episodes",
        (
            Column("kind", Message("compare.col_kind")),
            Column("program", Message("compare.col_program")),
            Column("period", Message("compare.col_period")),
            Column("a_change", Message("compare.col_change", id=res.a.id), "right"),
            Column("b_change", Message("compare.col_change", id=res.b.id), "right"),
        ),
        rows,
        title=Message("compare.episodes_title"),
        empty=Message("compare.no_episodes"),
    )


def _num(v: Any) -> float | None:
    return None if v is None or v != v else float(v)
