"""The checklist "QE into a recession or into a bubble?" (``tidegauge checklist``) and its
month-end history (``tidegauge checklist history``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import Message
from ..values import Day, Joined, Lazy, Quantity
from .balance import FED_IDS, regimes_of
from .base import Indicator, Inputs, figure
from .model import Chart, Column, Row, Section, Table
from .params import Param

SYMBOLS = {">=": "≥", "<=": "≤"}
"""How a comparison is shown (the JSON keeps ``>=`` / ``<=``)."""

AS_OF = Param(
    "as_of",
    "date",
    metavar="DATE",
    not_future=True,
    help="Judge with the data published by this date (YYYY-MM-DD); default: today.",
)


def _number(value: float, unit: str, decimals: int) -> Message:
    return Message(
        "report.text.number_unit",
        number=Quantity(value, "number", decimals),
        unit=Message(f"judgment.unit.{unit}"),
    )


def condition_cells(c: Any) -> tuple[Any, ...]:
    """Side, name, mark (✓ ✗ ?), value, comparison with the threshold, as-of date and the
    data's frequency of a condition: the same cells on every face.

    Value and threshold share enough decimals that a failed condition never shows as equal to
    its threshold (:func:`tidegauge.analysis.checklist_rules.display_decimals`).
    """
    side = Message(f"judgment.side.{c.side}")
    name = Message(f"judgment.condition.{c.id}.name")
    mark = "?" if c.met is None else ("✓" if c.met else "✗")
    freq = Message(f"judgment.frequency.{c.frequency}") if c.frequency else None
    if c.value is None:
        return side, name, mark, Message("report.text.na"), None, None, freq
    d = c.decimals
    threshold = (
        None
        if c.threshold is None
        else Message(
            "judgment.checklist.compare",
            op=SYMBOLS[c.op],
            threshold=_number(c.threshold, c.unit, d),
        )
    )
    return side, name, mark, _number(c.value, c.unit, d), threshold, Day(c.as_of), freq


CONDITION_COLUMNS = (
    Column("side", Message("judgment.checklist.col_side"), priority=3),
    Column("condition", Message("report.col.condition")),
    Column("met", Message("report.col.met"), "center"),
    Column("value", Message("report.col.value"), "right"),
    Column("threshold", Message("report.col.threshold"), "right"),
    Column("as_of", Message("report.col.as_of")),
    Column("input", Message("judgment.checklist.col_input"), priority=2),
    Column("why", Message("report.col.why"), priority=4),
)


def _why(c: Any) -> Any:
    why: Any = Message(f"judgment.condition.{c.id}.why")
    if c.note:
        why = Message("report.text.with_note", text=why, note=Lazy(c.note_in))
    return why


class Checklist(Indicator):
    id = "checklist"
    title = "report.section.checklist.title"
    intro = "report.section.checklist.intro"
    summary = "The checklist: is the Fed stimulating a recession or a bubble?"
    description = (
        "The checklist as the article frames it: is the Fed easing (a tool adding stimulus "
        "while neither tightens), is it monetising (balance sheet expanding significantly, "
        "rates cut and a large deficit at once), and do the signs of a bubble or of a "
        "recession dominate? Stale inputs are shown with their age and not counted."
    )
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

        result = inputs.cached(
            "checklist", lambda: evaluate(inputs.subset(INPUTS), inputs.report_date)
        )
        try:
            flag = monetisation(inputs.data)
        except (LookupError, KeyError):  # inputs do not reach back far enough
            flag = None
        return result, flag

    def to_json(self, res: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        result, flag = res
        return {**result.to_dict(), "debt_monetisation": flag.to_dict() if flag else None}

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        from ..analysis.checklist import INPUTS

        ck, flag = res
        s = Section(self.id, Message(self.title), Message(self.intro))
        # freshness: the latest observation of every input the conditions read — a stale one
        # too, which is not counted but makes the verdict rest on fewer inputs
        used: dict[str, Any] = {}
        for c in ck.conditions:
            for sid, day in c.inputs.items():
                used[sid] = inputs.last_date(sid) or day
        dates = [c.as_of for c in ck.conditions if c.as_of is not None and c.available]
        yes_no = Message(f"judgment.easing_short.{ck.easing_status}")
        mon = Message(f"report.text.{'yes' if ck.monetisation else 'no'}")
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
                    "monetisation": ck.monetisation,
                    "bubble": [ck.boom_met, ck.boom_available],
                    "recession": [ck.bust_met, ck.bust_available],
                    "reliable": ck.reliable,
                },
                context=Message(
                    "report.context.checklist_verdict",
                    easing=yes_no,
                    b_met=ck.boom_met,
                    b_available=ck.boom_available,
                    r_met=ck.bust_met,
                    r_available=ck.bust_available,
                    monetisation=mon,
                ),
            )
        )
        rows = []
        for c in ck.conditions:
            cls = "unavailable" if c.met is None else ("met" if c.met else "not_met")
            rows.append(Row((*condition_cells(c), _why(c)), cls))
        s.tables.append(Table("conditions", CONDITION_COLUMNS, tuple(rows)))
        s.paragraphs += [
            Message(f"judgment.easing.{ck.easing_status}"),
            Message(f"judgment.monetisation.{'yes' if ck.monetisation else 'no'}"),
            Message(
                "judgment.checklist.sides",
                b_met=ck.boom_met,
                b_available=ck.boom_available,
                r_met=ck.bust_met,
                r_available=ck.bust_available,
                most=Quantity(ck.thresholds.most * 100, "percent", 0),
            ),
            Message(f"judgment.verdict.{ck.verdict}"),
        ]
        if not ck.reliable:
            items = [Message(f"judgment.condition.{cid}.name") for cid in ck.stale]
            if min(ck.boom_available, ck.bust_available) < ck.thresholds.min_side_available:
                items.append(Message("judgment.checklist.few", n=ck.thresholds.min_side_available))
            lacking = [
                c.id
                for c in ck.conditions
                if c.side == "policy" and not c.available and not c.stale
            ]
            items += [Message(f"judgment.condition.{cid}.name") for cid in lacking]
            s.paragraphs.append(Message("judgment.checklist.unreliable", items=_join(items)))
        if flag is not None:
            s.paragraphs.append(Lazy(flag.summary))
        s.notes.append(_speed_note(ck))
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


def _join(items: list[Any]) -> Joined:
    return Joined(tuple(items))


def _speed_note(ck: Any) -> Message:
    """Which conditions rest on fast (daily, weekly) and which on slow (monthly+) inputs."""
    fast = [c for c in ck.conditions if c.frequency in ("D", "W") and c.side != "policy"]
    slow = [c for c in ck.conditions if c.frequency in ("M", "Q", "A") and c.side != "policy"]

    def names(cs: list[Any]) -> Joined:
        return Joined(tuple(Message(f"judgment.condition.{c.id}.name") for c in cs), ", ")

    return Message("judgment.checklist.speed", fast=names(fast), slow=names(slow))


class ChecklistHistory(Indicator):
    id = "checklist_history"
    title = "judgment.checklist.history_title"
    intro = "judgment.checklist.history_intro"
    summary = "The checklist's verdict at every month end since 2003."
    description = (
        "The checklist evaluated at every month end since 2003 with only the data published "
        "by then: one verdict a month, as a table of periods and a chart."
    )
    params = (
        Param("start", "date", None, metavar="DATE", help="First month end (default 2003-01-31)."),
        Param("end", "date", None, metavar="DATE", help="Last month end (default: the data's)."),
    )
    command = ("checklist", "history")
    charts = ("verdicts",)

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        from ..analysis.checklist import INPUTS

        return INPUTS

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from .._dates import check_window
        from ..analysis.checklist import INPUTS
        from ..analysis.checklist_history import HISTORY_START, checklist_history

        check_window(p.get("start"), p.get("end"))
        inputs.need("TREAST", "WSHOMCB", "DFF")
        end = p.get("end") or inputs.report_date
        return checklist_history(inputs.subset(INPUTS), p.get("start") or HISTORY_START, end)

    def section(self, h: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title), Message(self.intro))
        rows = tuple(
            Row(
                (
                    Message(
                        "report.text.period",
                        start=Day(r["start"], "month"),
                        end=Day(r["end"], "month"),
                    ),
                    r["months"],
                    Message(f"report.verdict.{r['verdict']}"),
                ),
                str(r["verdict"]),
            )
            for r in h.runs()
        )
        cols = (
            Column("period", Message("judgment.checklist.col_period")),
            Column("months", Message("judgment.checklist.col_months"), "right"),
            Column("verdict", Message("judgment.checklist.col_verdict")),
        )
        s.tables.append(Table("runs", cols, rows))
        s.paragraphs.append(
            Message(
                "judgment.checklist.history_runs",
                n=len(h.runs()),
                changes=h.changes(),
                months=len(h.frame),
            )
        )
        s.charts.append(Chart("verdicts", "judgment:checklist_history_chart", (h.frame,)))
        s.notice = Message("judgment.common.not_advice")
        return s
