"""Judgment beside the checklist: relative attractiveness and the playbook
(``tidegauge attractiveness``), QE effectiveness (``tidegauge effectiveness``) and the
announcement-day event study (``tidegauge events``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import Message
from ..values import Day, Lazy, Quantity, as_date
from .base import Indicator, Inputs, figure
from .model import Chart, Column, Row, Section, Table
from .params import Param

PCT = "percent"


def program_label(pid: str) -> Lazy:
    """A program's name from the program catalog, in the face's language."""
    from ..catalog.programs import BANKS, load_programs

    for bank in BANKS:
        for prog in load_programs(bank):
            if prog.id == pid:
                return Lazy(prog.label)  # type: ignore[arg-type]
    return Lazy(lambda lang: pid)


class Attractiveness(Indicator):
    id = "attractiveness"
    title = "report.section.attractiveness.title"
    intro = "report.section.attractiveness.intro"
    summary = "Gold's hurdle (the 10-year yield), real returns of bonds and cash, playbook."
    description = (
        "Gold's hurdle (the 10-year yield), real returns of bonds and cash, educational playbook."
    )
    params = (
        Param(
            "as_of",
            "date",
            metavar="DATE",
            not_future=True,
            help="Use the data published by this date (YYYY-MM-DD); default: today.",
        ),
    )
    as_of_param = "as_of"
    command = ("attractiveness",)
    in_report = True

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        from ..analysis.attractiveness import INPUTS
        from ..analysis.checklist import INPUTS as CHECKLIST

        return tuple(dict.fromkeys((*INPUTS, *CHECKLIST)))

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..analysis.attractiveness import INPUTS, attractiveness
        from ..analysis.checklist import INPUTS as CHECKLIST
        from ..analysis.checklist import evaluate

        inputs.need("DGS10", "DFF", "CPIAUCSL")
        ck = inputs.cached(
            "checklist", lambda: evaluate(inputs.subset(CHECKLIST), inputs.report_date)
        )
        return attractiveness(inputs.subset(INPUTS), checklist=ck)

    def section(self, a: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title), Message(self.intro))
        d = a.as_of
        s.figures = [
            figure(
                "hurdle_10y",
                label="judgment.attractiveness.fig_hurdle",
                explanation=None,
                value=a.yield_10y,
                unit=PCT,
                as_of=as_date(d["DGS10"]),
                sources=("DGS10",),
            ),
            figure(
                "real_bond",
                label="judgment.attractiveness.fig_real_bond",
                explanation=None,
                value=a.real_bond,
                unit=PCT,
                sign=True,
                as_of=as_date(d["CPIAUCSL"]),
                period="month",
                sources=("DGS10", "CPIAUCSL"),
                inputs={"DGS10": as_date(d["DGS10"]), "CPIAUCSL": as_date(d["CPIAUCSL"])},
            ),
            figure(
                "real_cash",
                label="judgment.attractiveness.fig_real_cash",
                explanation=None,
                value=a.real_cash,
                unit=PCT,
                sign=True,
                as_of=as_date(d["DFF"]),
                sources=("DFF", "CPIAUCSL"),
                inputs={"DFF": as_date(d["DFF"]), "CPIAUCSL": as_date(d["CPIAUCSL"])},
            ),
        ]
        s.paragraphs.append(
            Message(
                "report.text.hurdle",
                y=Quantity(a.yield_10y, PCT),
                total=Quantity(a.hurdle_10y_total_pct, PCT, 0),
                date=Day(d["DGS10"]),
            )
        )
        if a.gold_10y_annualised is not None and a.hurdle_10y_ago is not None:
            s.paragraphs.append(
                Message(
                    "report.text.gold",
                    g=Quantity(a.gold_10y_annualised, PCT, 1),
                    date=Day(d["GOLD"], "month"),
                    h=Quantity(a.hurdle_10y_ago, PCT),
                )
            )
        pi = Quantity(a.inflation, PCT)
        s.paragraphs += [
            Message(
                "report.text.real_bond",
                r=Quantity(a.real_bond, PCT, sign=True),
                y=Quantity(a.yield_10y, PCT),
                pi=pi,
                date=Day(d["CPIAUCSL"], "month"),
            ),
            Message(
                "report.text.real_cash",
                r=Quantity(a.real_cash, PCT, sign=True),
                i=Quantity(a.cash_rate, PCT),
                pi=pi,
                date=Day(d["DFF"]),
            ),
            Message("judgment.playbook.title"),
        ]
        if not a.regimes:
            s.paragraphs.append(Message("judgment.playbook.none"))
        for r in a.regimes:
            s.paragraphs.append(
                Message(
                    "report.text.labelled",
                    name=Message(f"judgment.playbook.{r}.name"),
                    text=Message(f"judgment.playbook.{r}.text"),
                )
            )
        s.notice = Message("judgment.common.not_advice")
        return s


def scorecard_table(sc: Any) -> Table:
    """One row per program: the change of each indicator during the program / after it."""
    tab = sc.table
    indicators = [i for i in dict.fromkeys(tab["indicator"]) if i not in sc.missing]
    by_program: dict[str, dict[str, dict[Any, Any]]] = {}
    for rec in tab.to_dict("records"):
        by_program.setdefault(str(rec["program"]), {})[str(rec["indicator"])] = rec
    rows = []
    for pid, recs in by_program.items():
        first = next(iter(recs.values()))
        cells: list[Any] = [
            Message(
                "report.text.program_period",
                program=program_label(pid),
                start=Day(first["start"]),
                end=Day(first["end"]),
            )
        ]
        for i in indicators:
            r = recs[i]
            cells.append(
                Message(
                    "report.text.during_after",
                    during=Quantity(_num(r["change_during"]), "pp", sign=True),
                    after=Quantity(_num(r["change_after"]), "pp", sign=True),
                )
            )
        rows.append(Row(tuple(cells)))
    cols = (
        Column("program", Message("report.col.program")),
        *(Column(i, Message(f"judgment.effectiveness.ind_{i}"), "right", 1) for i in indicators),
    )
    caption = Message(
        "report.text.during_after",
        during=Message("report.col.during"),
        after=Message("report.col.after", months=sc.after_months),
    )
    return Table("scorecard", cols, tuple(rows), caption=caption)


def _num(v: Any) -> float | None:
    return None if v is None or v != v else float(v)


class Effectiveness(Indicator):
    id = "effectiveness"
    title = "report.section.effectiveness.title"
    intro = "report.section.effectiveness.intro"
    summary = "QE scorecard: inflation, unemployment, 10-year yield, spreads per QE episode."
    description = summary
    params = (
        Param("after_months", "int", 12, lo=1, hi=60, help="Horizon after each episode's end."),
    )
    command = ("effectiveness",)
    in_report = True
    charts = ("events",)

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        from ..analysis.effectiveness import INPUTS

        return INPUTS

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..analysis.effectiveness import INPUTS, event_study, scorecard

        sc = scorecard(inputs.subset(INPUTS), after_months=p.get("after_months") or 12)
        events = event_study(inputs.series("DGS10")) if inputs.has("DGS10") else None
        return sc, events

    def to_json(self, res: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        return dict(res[0].to_dict())

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        sc, ev = res
        s = Section(self.id, Message(self.title), Message(self.intro))
        s.tables.append(scorecard_table(sc))
        if sc.missing:
            s.notes.append(
                Message(
                    "report.text.missing_inputs",
                    items=", ".join(f"{k} ({v.split()[0]})" for k, v in sc.missing.items()),
                )
            )
        s.notes.append(Message("judgment.effectiveness.caveat"))
        if ev is not None:
            s.paragraphs.append(events_total(ev))
            s.charts.append(Chart("events", "effectiveness:events_chart", (ev,)))
        return s


def events_total(ev: Any) -> Message:
    return Message(
        "report.text.events_total",
        d1=Quantity(ev.cumulative_1d_bp, "bp"),
        d2=Quantity(ev.cumulative_2d_bp, "bp"),
        q1=Quantity(ev.cumulative_qe_1d_bp, "bp"),
        q2=Quantity(ev.cumulative_qe_2d_bp, "bp"),
    )


class Events(Indicator):
    id = "events"
    title = "judgment.events.title"
    summary = "Event study: 10-year yield changes around each program announcement."
    description = (
        "Event study: 1- and 2-day 10-year yield changes around each program announcement."
    )
    inputs = ("DGS10",)
    params = (
        Param(
            "bank",
            "choice",
            "fed",
            choices=("fed", "ecb", "boj", "all"),
            label="params.label.bank",
            help="Whose announcements (the yield is the US 10-year).",
        ),
    )
    command = ("events",)
    charts = ("events",)

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..analysis.effectiveness import event_study

        bank = p.get("bank") or "fed"
        return event_study(
            inputs.series("DGS10"),
            bank=None if bank == "all" else bank,  # type: ignore[arg-type]
        )

    def section(self, ev: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title))
        rows = tuple(
            Row(
                (
                    Day(r["announced"]),
                    program_label(str(r["program"])),
                    Quantity(float(r["base_yield"]), PCT),
                    Quantity(float(r["change_1d_bp"]), "bp"),
                    Quantity(float(r["change_2d_bp"]), "bp"),
                )
            )
            for r in ev.table.to_dict("records")
        )
        cols = (
            Column("announced", Message("report.col.announced")),
            Column("program", Message("report.col.program")),
            Column("base", Message("report.col.base_yield"), "right", 1),
            Column("day1", Message("report.col.day1"), "right"),
            Column("day2", Message("report.col.day2"), "right"),
        )
        s.tables.append(Table("events", cols, rows))
        s.paragraphs.append(events_total(ev))
        s.charts.append(Chart("events", "effectiveness:events_chart", (ev,)))
        return s
