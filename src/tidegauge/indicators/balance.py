"""Balance sheet and QE/QT episodes (``tidegauge regimes``, the report's first section)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import Message
from ..values import Day, Joined, Quantity, as_date
from .base import Indicator, Inputs, figure
from .model import Chart, Column, Figure, Row, Section, Table
from .params import Param

FED_IDS = ("WALCL", "TREAST", "WSHOMCB")
BANK_SERIES = {"fed": "WALCL", "ecb": "ECBASSETSW", "boj": "JPNASSETS"}


def regimes_of(inputs: Inputs, bank: str = "fed") -> Any:
    """Regimes of ``bank`` from loaded inputs (shared with the other indicators of a report)."""
    from ..analysis.regimes import BANK_SERIES as UNITS
    from ..analysis.regimes import MIN_PACE_BN, detect_regimes
    from ..catalog.programs import load_programs

    def compute() -> Any:
        if bank == "fed":
            inputs.need(*FED_IDS)
            d = inputs.data
            securities = d["TREAST"].add(d["WSHOMCB"]).dropna().rename("TREAST+WSHOMCB")
            res = detect_regimes(
                d["WALCL"],
                securities,
                programs=load_programs("fed"),
                bank="fed",
                unit="USD billions",
            )
            res.as_of = {sid: str(inputs.last_date(sid)) for sid in FED_IDS}
            return res
        sid, unit = UNITS[bank]  # type: ignore[index]
        return detect_regimes(
            inputs.series(sid).rename(sid),
            None,
            programs=load_programs(bank),  # type: ignore[arg-type]
            bank=bank,  # type: ignore[arg-type]
            unit=unit,
            min_pace_bn=MIN_PACE_BN[bank],  # type: ignore[index]
        )

    return inputs.cached(f"regimes:{bank}", compute)


def _program(value: Any) -> Message | str:
    return Message("report.context.program", program=value) if isinstance(value, str) else ""


def _kind(value: Any) -> Message:
    return Message(f"regimes.kind.{value}")


class Balance(Indicator):
    id = "balance"
    title = "report.section.balance.title"
    intro = "report.section.balance.intro"
    summary = "QE / QT / lending episodes of a central-bank balance sheet."
    description = (
        "Detect balance-sheet regimes (QE, QT, crisis lending, reserve management, flat).\n\n"
        "Every week of the Fed's balance sheet is classified from securities held outright "
        "(TREAST + WSHOMCB) and total assets (WALCL), and each episode is matched with the "
        "program catalog. Levels and changes are total assets in billions of the bank's currency."
    )
    inputs = FED_IDS
    params = (
        Param(
            "bank",
            "choice",
            "fed",
            choices=("fed", "ecb", "boj"),
            label="params.label.bank",
            metavar="fed|ecb|boj",
            help="Central bank: fed, ecb or boj.",
        ),
        Param(
            "start",
            "date",
            metavar="DATE",
            help="Show episodes overlapping from this date (YYYY-MM-DD).",
        ),
        Param(
            "end",
            "date",
            metavar="DATE",
            help="Show episodes overlapping up to this date (YYYY-MM-DD).",
        ),
    )
    command = ("regimes",)
    page = "balance"
    endpoint = "regimes"
    in_report = True
    charts = ("fed_assets",)
    headline = ("regime", "episode_change", "previous_episode", "total_assets")

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        return FED_IDS if p.get("bank", "fed") == "fed" else (BANK_SERIES[p["bank"]],)

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from .._dates import check_window

        check_window(p.get("start"), p.get("end"))
        res = regimes_of(inputs, p.get("bank") or "fed")
        if p.get("start") or p.get("end"):
            res = res.window(p.get("start"), p.get("end"))
        return res

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title), Message(self.intro))
        s.figures = self._figures(res, inputs)
        unit = res.unit
        s.tables.append(
            Table(
                "episodes",
                (
                    Column("kind", Message("report.col.kind")),
                    Column("program", Message("report.col.program")),
                    Column("start", Message("report.col.start")),
                    Column("end", Message("report.col.end")),
                    Column("start_level", Message("regimes.col_start_level"), "right", 2),
                    Column("end_level", Message("regimes.col_end_level"), "right", 2),
                    Column("extreme", Message("regimes.col_extreme"), "right", 3),
                    Column("change", Message("report.col.change"), "right"),
                    Column("change_pct", Message("report.col.change_pct"), "right"),
                    Column("weeks", Message("regimes.col_weeks"), "right", 3),
                    Column("pace", Message("report.col.pace"), "right", 1),
                ),
                tuple(
                    Row(
                        (
                            _kind(r["kind"]),
                            r["program"] if isinstance(r["program"], str) else None,
                            Day(r["start"]),
                            Day(r["end"]),
                            Quantity(float(r["start_level"]), unit, 0, style="number"),
                            Quantity(float(r["end_level"]), unit, 0, style="number"),
                            Quantity(float(r["peak_or_trough"]), unit, 0, style="number"),
                            Quantity(float(r["change"]), unit, sign=True),
                            Quantity(float(r["change_pct"]), "percent", 1, sign=True),
                            int(r["weeks"]),
                            Quantity(float(r["monthly_pace"]), unit, sign=True),
                        )
                    )
                    for r in res.episodes.to_dict("records")
                ),
                title=Message(
                    "regimes.title",
                    bank=Message(f"regimes.bank.{res.bank}"),
                    unit=Message(f"unit.{unit}"),
                ),
            )
        )
        s.tables.append(programs_table(res))
        s.notes.append(Message("regimes.levels_note", unit=Message(f"unit.{unit}")))
        if res.securities is None:
            s.notes.append(Message("regimes.total_assets_only"))
        through = res.classified_through
        s.notes.append(Message("regimes.as_of", date=Day(through)))
        for sid, last in res.as_of.items():
            if last and as_date(last) and as_date(last) > as_date(through):  # type: ignore[operator]
                s.notes.append(
                    Message("regimes.ragged_edge", series=sid, last=Day(last), date=Day(through))
                )
        if res.bank == "fed":
            start = p.get("start") or "2008-01-01"
            s.charts.append(
                Chart(
                    "fed_assets",
                    "balance:fed_assets_chart",
                    (res.total_assets, res.episodes),
                    {"start": str(start)},
                )
            )
        return s

    def _figures(self, res: Any, inputs: Inputs) -> list[Figure]:
        ids = tuple(res.as_of) or (res.total_assets.name,)
        through = as_date(res.classified_through)
        inputs_at = {sid: through for sid in ids}
        unit = res.unit
        cur = res.current
        detail = _episode_detail(cur)
        out = [
            figure(
                "regime",
                value=None,
                unit="category",
                code=str(cur["kind"]),
                category=_kind(cur["kind"]),
                as_of=through,
                period="week",
                sources=ids,
                inputs=inputs_at,
                detail=detail,
                context=Message(
                    "report.context.regime",
                    start=Day(cur["start"]),
                    program=_program(cur["program"]),
                ),
            ),
            figure(
                "episode_change",
                value=float(cur["change"]),
                unit=unit,
                sign=True,
                as_of=through,
                period="week",
                sources=ids,
                inputs=inputs_at,
                detail=detail,
                context=Message(
                    "report.context.episode_change",
                    start=Day(cur["start"]),
                    pct=Quantity(float(cur["change_pct"]), "percent", 1, True),
                    pace=Quantity(float(cur["monthly_pace"]), unit, sign=True),
                ),
            ),
        ]
        prev = _previous(res)
        if prev is not None:
            out.append(prev)
        sid = str(res.total_assets.name)
        value, date = inputs.last(sid)
        out.append(
            figure(
                "total_assets", value=value, unit=unit, as_of=date, period="week", sources=(sid,)
            )
        )
        return out


def _previous(res: Any) -> Figure | None:
    """The previous program as announced (QT2 whole, the March 2023 lending inside it), or
    the previous detected episode when no catalog program applies (ECB, BOJ before 2013)."""
    from ..analysis.announced import previous_program

    ids = tuple(res.as_of) or (res.total_assets.name,)
    through = as_date(res.classified_through)
    cur = res.current["program"] if isinstance(res.current["program"], str) else None
    prog = previous_program(res.programs(), cur)
    if prog is None:
        return None
    inside = [
        Message(
            "regimes.interruption",
            kind=_kind(i["kind"]),
            start=Day(i["start"]),
            end=Day(i["end"]),
            change=Quantity(float(i["change"]), res.unit, sign=True),
        )
        for i in prog["interruptions"]
    ]
    return figure(
        "previous_episode",
        value=float(prog["change"]),
        unit=res.unit,
        sign=True,
        as_of=as_date(prog["end_date"]),
        period="week",
        sources=ids,
        inputs={s: through for s in ids},
        detail=prog,
        context=Message(
            "regimes.previous_program",
            program=prog["program"],
            start=Day(prog["effective"]),
            end=Day(prog["end"]),
            pct=Quantity(float(prog["change_pct"]), "percent", 1, True),
            inside=Joined(tuple(inside), ""),
        ),
    )


def programs_table(res: Any) -> Table:
    """The catalog's programs as announced, each measured whole, interruptions inside."""
    from ..analysis.announced import program_windows

    unit = res.unit
    rows = []
    for r in program_windows(res).to_dict("records"):
        parts = [
            Message("report.text.period", start=Day(i["start"]), end=Day(i["end"]))
            for i in r["interruptions"]
        ]
        kinds = [_kind(i["kind"]) for i in r["interruptions"]]
        inside = _joined(kinds, parts) if parts else None
        rows.append(
            Row(
                (
                    r["program"],
                    _kind(r["kind"]),
                    Day(r["effective"]),
                    Day(r["end"]) if r["end"] else None,
                    Quantity(float(r["change"]), unit, sign=True),
                    Quantity(float(r["change_pct"]), "percent", 1, sign=True),
                    Message(
                        "regimes.level_on",
                        level=Quantity(r["peak"], unit, 0, style="number"),
                        date=Day(r["peak_date"]),
                    ),
                    Message(
                        "regimes.level_on",
                        level=Quantity(r["trough"], unit, 0, style="number"),
                        date=Day(r["trough_date"]),
                    ),
                    inside,
                )
            )
        )
    cols = (
        Column("program", Message("report.col.program")),
        Column("kind", Message("report.col.kind")),
        Column("start", Message("report.col.start")),
        Column("end", Message("report.col.end")),
        Column("change", Message("report.col.change"), "right"),
        Column("change_pct", Message("report.col.change_pct"), "right"),
        Column("peak", Message("regimes.col_peak"), "right", 2),
        Column("trough", Message("regimes.col_trough"), "right", 2),
        Column("inside", Message("regimes.col_inside"), priority=3),
    )
    return Table(
        "programs",
        cols,
        tuple(rows),
        title=Message("regimes.programs_title", unit=Message(f"unit.{unit}")),
    )


def _joined(kinds: list[Message], periods: list[Message]) -> Joined:
    return Joined(tuple(Joined((k, p), " ") for k, p in zip(kinds, periods, strict=True)))


def _episode_detail(row: Any) -> dict[str, Any]:
    return {
        "kind": str(row["kind"]),
        "start": as_date(row["start"]),
        "end": as_date(row["end"]),
        "program": row["program"] if isinstance(row["program"], str) else None,
        "start_level": float(row["start_level"]),
        "end_level": float(row["end_level"]),
        "change_pct": float(row["change_pct"]),
        "monthly_pace": float(row["monthly_pace"]),
    }
