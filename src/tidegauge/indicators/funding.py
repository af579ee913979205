"""Funding stress beside the reserves gauge: "are reserves still ample?" (``tidegauge funding``).

The quantity side is the reserves gauge of :mod:`~tidegauge.indicators.liquidity` (reserves as a
share of GDP, Wednesday levels); the price side is :mod:`tidegauge.analysis.funding` (SOFR and
EFFR against IORB, EFFR in the target range, the ON RRP rate, and a calm / pressure / stress
status that tells a month-end spike from persistent pressure).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import TidegaugeError
from ..i18n import Message
from ..values import Day, Quantity
from .base import Indicator, Inputs, error_text, figure
from .liquidity import AS_OF, liquidity_of, weekly_ids
from .model import Chart, Column, Figure, Row, Section, Table
from .params import Param

WINDOW = Param(
    "window",
    "int",
    20,
    lo=5,
    hi=250,
    label="params.label.window",
    metavar="DAYS",
    help="Business days of SOFR − IORB the status looks at (about a month: one month-end).",
)


def _label(key: str) -> dict[str, Any]:
    return {"label": f"funding.figure.{key}", "explanation": Message(f"funding.explain.{key}")}


class Funding(Indicator):
    id = "funding"
    title = "funding.section_title"
    intro = "funding.intro"
    summary = "Funding stress: SOFR and EFFR against IORB, and whether reserves are still ample."
    description = (
        "The price of reserves beside their quantity: SOFR − IORB and EFFR − IORB in basis "
        "points, where EFFR sits in the target range (DFEDTARL–DFEDTARU), the ON RRP award "
        "rate, and a status over the last --window days: stress when EFFR reaches IORB or the "
        "top of the range or SOFR prints 50 bp over IORB; pressure when SOFR is above IORB on "
        "at least half the days; otherwise calm (a month-end spike alone stays calm). Beside "
        "it, reserves as a share of GDP (WRBWFRBL / GDP) and the ample/scarce gauge."
    )
    params = (AS_OF, WINDOW)
    as_of_param = "as_of"
    command = ("funding",)
    page = "liquidity"
    endpoint = "funding"
    in_report = True
    charts = ("funding",)
    headline = ("funding_status",)

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        from ..analysis.funding import FUNDING_IDS

        return (*FUNDING_IDS, *weekly_ids("wednesday"))

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..analysis.funding import FUNDING_IDS, funding

        rates = inputs.subset(FUNDING_IDS)
        inputs.need(*FUNDING_IDS[:5])
        result = funding(rates, window=int(p.get("window") or WINDOW.default))
        try:
            quantity: Any = liquidity_of(inputs, "wednesday")
        except TidegaugeError as exc:
            quantity = exc
        return result, quantity

    def to_json(self, res: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        result, quantity = res
        out = result.to_dict()
        if isinstance(quantity, TidegaugeError):
            out["reserves"] = None
        else:
            d = quantity.latest()
            out["reserves"] = {
                "pct_gdp": d["reserves_pct_gdp"]["value"],
                "value_bn": d["reserves"]["value"],
                "date": d["reserves_pct_gdp"]["date"],
                "gauge": d["gauge"]["level"],
                "series": "WRBWFRBL",
            }
        return out

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        result, quantity = res
        s = Section(self.id, Message(self.title), Message(self.intro))
        s.figures = _figures(result)
        s.tables.append(_ample_table(result, quantity))
        w = result.window
        gauge = None if isinstance(quantity, TidegaugeError) else quantity.latest()["gauge"]
        s.paragraphs.append(Message(f"funding.reason.{result.reason}", **_window_words(w)))
        if gauge is not None:
            tight = gauge["level"] == "scarce"
            agree = tight == (result.status != "calm")
            s.paragraphs.append(
                Message(
                    "funding.reading_agree" if agree else "funding.reading_disagree",
                    gauge=Message(f"liquidity.gauge.{gauge['level']}"),
                    status=Message(f"funding.status.{result.status}"),
                )
            )
        s.paragraphs.append(Message("funding.nyfed"))
        t = result.thresholds
        s.notes.append(
            Message(
                "funding.method_note",
                window=int(t["window"]),
                share=Quantity(t["pressure_share"] * 100, "percent", 0),
                effr=Quantity(t["stress_effr_iorb_bp"], "bp"),
                sofr=Quantity(t["stress_sofr_iorb_bp"], "bp"),
            )
        )
        if w.effr_max_iorb_bp is None:
            s.notes.append(Message("funding.no_effr_in_window", start=Day(w.start)))
        s.notes.append(Message("funding.iorb_note"))
        s.charts.append(Chart("funding", "funding:funding_chart", (result.to_frame(),)))
        return s


def _window_words(w: Any) -> dict[str, Any]:
    return {
        "above": w.days_above,
        "days": w.days,
        "start": Day(w.start),
        "end": Day(w.end),
        "max": Quantity(w.max_bp, "bp"),
        "max_date": Day(w.max_date),
    }


def _figures(r: Any) -> list[Figure]:
    sofr, effr, w = r.sofr(), r.effr(), r.window
    out = [
        figure(
            "sofr_iorb",
            **_label("sofr_iorb"),
            value=sofr["bp"],
            unit="bp",
            sign=True,
            as_of=sofr["date"],
            sources=("SOFR", "IORB"),
            detail={"sofr": sofr["sofr"], "iorb": sofr["iorb"]},
            context=Message(
                "funding.context.sofr",
                sofr=Quantity(sofr["sofr"], "percent"),
                iorb=Quantity(sofr["iorb"], "percent"),
            ),
        )
    ]
    if effr is not None:
        out += [
            figure(
                "effr_iorb",
                **_label("effr_iorb"),
                value=effr["bp"],
                unit="bp",
                sign=True,
                as_of=effr["date"],
                sources=("EFFR", "IORB"),
                detail={"effr": effr["effr"], "iorb": effr["iorb"]},
                context=Message(
                    "funding.context.effr",
                    effr=Quantity(effr["effr"], "percent"),
                    iorb=Quantity(effr["iorb"], "percent"),
                ),
            ),
            figure(
                "effr_in_range",
                **_label("effr_in_range"),
                value=effr["above_low_bp"],
                unit="bp",
                as_of=effr["date"],
                sources=("EFFR", "DFEDTARL", "DFEDTARU"),
                detail={"low": effr["low"], "high": effr["high"], "position": effr["position"]},
                context=Message(
                    "funding.context.range",
                    effr=Quantity(effr["effr"], "percent"),
                    low=Quantity(effr["low"], "percent"),
                    high=Quantity(effr["high"], "percent"),
                    position=Message(f"funding.position.{effr['position']}"),
                ),
            ),
        ]
    if r.rrp_rate is not None:
        out.append(
            figure(
                "on_rrp_rate",
                **_label("on_rrp_rate"),
                value=r.rrp_rate,
                unit="percent",
                as_of=r.rrp_date,
                sources=("RRPONTSYAWARD",),
            )
        )
    inputs = {"SOFR": w.end, "IORB": w.end}
    if effr is not None:
        inputs["EFFR"] = effr["date"]
    out.append(
        figure(
            "funding_status",  # a headline figure: labelled like the others (report.figure)
            label="report.figure.funding_status",
            explanation=Message("report.explain.funding_status"),
            unit="category",
            code=r.status,
            category=Message(f"funding.status.{r.status}"),
            as_of=w.end,
            sources=tuple(inputs),
            inputs=inputs,
            detail={"reason": r.reason, **w.to_dict(), **r.thresholds},
            context=Message("funding.context.status", **_window_words(w)),
        )
    )
    return out


def _ample_table(r: Any, quantity: Any) -> Table:
    sofr, effr, w = r.sofr(), r.effr(), r.window
    if isinstance(quantity, TidegaugeError):
        qrow: tuple[Any, ...] = (
            Message("funding.table.quantity"),
            Message("report.text.not_available", reason=error_text(quantity)),
            None,
            None,
        )
    else:
        d = quantity.latest()
        qrow = (
            Message("funding.table.quantity"),
            Quantity(d["reserves_pct_gdp"]["value"], "percent", 1),
            Message(f"liquidity.gauge.{d['gauge']['level']}"),
            Day(d["reserves_pct_gdp"]["date"]),
        )
    rows = [
        Row(qrow),
        Row(
            (
                Message("funding.table.price_repo"),
                Quantity(sofr["bp"], "bp", sign=True),
                Message(
                    "funding.table.status_cell",
                    status=Message(f"funding.status.{r.status}"),
                    above=w.days_above,
                    days=w.days,
                ),
                Day(sofr["date"]),
            )
        ),
    ]
    if effr is not None:
        rows.append(
            Row(
                (
                    Message("funding.table.price_ffr"),
                    Quantity(effr["bp"], "bp", sign=True),
                    Message(f"funding.position.{effr['position']}"),
                    Day(effr["date"]),
                )
            )
        )
    cols = (
        Column("measure", Message("funding.table.col_measure")),
        Column("value", Message("funding.table.col_value"), "right"),
        Column("reading", Message("funding.table.col_reading")),
        Column("as_of", Message("funding.table.col_as_of")),
    )
    return Table("ample", cols, tuple(rows), title=Message("funding.table.title"))
