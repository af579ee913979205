"""The checklist "QE into a recession or into a bubble?" (``tidegauge checklist``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import Message
from ..values import Day, Lazy, Quantity
from .balance import FED_IDS, regimes_of
from .base import Indicator, Inputs, figure
from .model import Chart, Column, Row, Section, Table
from .params import Param

_DECIMALS = {"bn": 0, "bp": 0}
AS_OF = Param(
    "as_of",
    "date",
    metavar="DATE",
    not_future=True,
    help="Judge with the data published by this date (YYYY-MM-DD); default: today.",
)


def condition_cells(c: Any) -> tuple[Any, ...]:
    """Name, mark (✓ ✗ ?), value with unit, threshold with unit and as-of date of a condition;
    the same cells on every face."""
    name = Message(f"judgment.condition.{c.id}.name")
    mark = "?" if c.met is None else ("✓" if c.met else "✗")
    if c.value is None:
        return name, mark, Message("report.text.na"), None, None
    d = _DECIMALS.get(c.unit, 2)
    unit = Message(f"judgment.unit.{c.unit}")
    value = Message("report.text.number_unit", number=Quantity(c.value, "number", d), unit=unit)
    threshold = (
        None
        if c.threshold is None
        else Message(
            "report.text.number_unit", number=Quantity(c.threshold, "number", d), unit=unit
        )
    )
    return name, mark, value, threshold, Day(c.as_of)


class Checklist(Indicator):
    id = "checklist"
    title = "report.section.checklist.title"
    intro = "report.section.checklist.intro"
    summary = "The checklist: is the Fed stimulating a recession or a bubble?"
    description = "The nine-condition checklist: is the Fed stimulating a recession or a bubble?"
    params = (AS_OF,)
    as_of_param = "as_of"
    command = ("checklist",)
    page = "checklist"
    endpoint = "checklist"
    in_report = True
    headline = ("checklist_verdict",)
    charts = ("assets_8y",)

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        from ..analysis.checklist import INPUTS
        from ..analysis.monetisation import INPUTS as MON

        return tuple(dict.fromkeys((*INPUTS, *MON, *FED_IDS)))

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..analysis.checklist import INPUTS, evaluate
        from ..analysis.monetisation import monetisation

        result = evaluate(inputs.subset(INPUTS), inputs.report_date)
        try:
            flag = monetisation(inputs.data)
        except (LookupError, KeyError):  # inputs do not reach back far enough
            flag = None
        return result, flag

    def to_json(self, res: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        result, flag = res
        return {**result.to_dict(), "monetisation": flag.to_dict() if flag else None}

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        from ..analysis.checklist import INPUTS
        from ..analysis.checklist_rules import RULES

        ck, flag = res
        s = Section(self.id, Message(self.title), Message(self.intro))
        # freshness: the latest observation of every input the evaluated conditions read
        used = {
            sid: inputs.last_date(sid)
            for c in ck.conditions
            if c.as_of is not None
            for sid in RULES[c.id][1]
        }
        dates = [c.as_of for c in ck.conditions if c.as_of is not None]
        yes_no = Message("report.text.yes" if ck.easing else "report.text.no")
        s.figures.append(
            figure(
                "checklist_verdict",
                unit="category",
                code=ck.verdict,
                category=Message(f"report.verdict.{ck.verdict}"),
                as_of=max(dates) if dates else ck.as_of,
                sources=INPUTS,
                inputs=used,
                detail={
                    "evaluated": ck.as_of,
                    "easing": ck.easing,
                    "boom_met": ck.boom_met,
                    "boom_available": ck.boom_available,
                    "need": ck.need(),
                },
                context=Message(
                    "report.context.checklist_verdict",
                    easing=yes_no,
                    met=ck.boom_met,
                    available=ck.boom_available,
                    need=ck.need(),
                ),
            )
        )
        rows = []
        for c in ck.conditions:
            why: Any = Message(f"judgment.condition.{c.id}.why")
            if c.note:
                why = Message("report.text.with_note", text=why, note=Lazy(c.note_in))
            cls = "unavailable" if c.met is None else ("met" if c.met else "not_met")
            rows.append(Row((*condition_cells(c), why), cls))
        cols = (
            Column("condition", Message("report.col.condition")),
            Column("met", Message("report.col.met"), "center"),
            Column("value", Message("report.col.value"), "right"),
            Column("threshold", Message("report.col.threshold"), "right", 1),
            Column("as_of", Message("report.col.as_of")),
            Column("why", Message("report.col.why"), priority=2),
        )
        s.tables.append(Table("conditions", cols, tuple(rows)))
        s.paragraphs += [
            Message("judgment.checklist.easing", answer=yes_no),
            Message(
                "judgment.checklist.boom_count",
                met=ck.boom_met,
                available=ck.boom_available,
                need=ck.need(),
            ),
            Message(f"judgment.verdict.{ck.verdict}"),
        ]
        if flag is not None:
            s.paragraphs.append(Lazy(flag.summary))
        s.notes.append(Message("judgment.checklist.method_note", as_of=Day(ck.as_of)))
        s.notice = Message("judgment.common.not_advice")
        if inputs.has("WALCL"):  # the balance-sheet condition, drawn: eight years to the date
            import pandas as pd

            start = (pd.Timestamp(ck.as_of) - pd.DateOffset(years=8)).date().isoformat()
            episodes = regimes_of(inputs, "fed").episodes if inputs.has("TREAST") else None
            s.charts.append(
                Chart(
                    "assets_8y",
                    "balance:fed_assets_chart",
                    (inputs.series("WALCL"), episodes),
                    {"start": start},
                    note=Message("web.checklist.chart_note"),
                )
            )
        return s
