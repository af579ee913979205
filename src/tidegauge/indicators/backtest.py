"""Back-tests of the simulator's default (``tidegauge simulate backtest``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..i18n import Message
from ..values import Day, Quantity
from .base import Indicator, Inputs
from .model import Chart, Column, Row, Section, Table
from .params import Param
from .simulate import USD, _inputs, schedule_table


class Backtest(Indicator):
    id = "backtest"
    title = "judgment.simulate.backtest_section"
    summary = "Back-test: the announced policy from START versus the actual path."
    description = (
        "Back-test of the default projection (the policy announced by START, from the program "
        "catalog) against the actual H.4.1 path, and of the same default from several starts "
        "(with what was known at each start, and with every announcement)."
    )
    params = (
        Param("start", "date", dt.date(2022, 6, 1), metavar="DATE", help="First month of QT."),
        Param("end", "date", dt.date(2024, 5, 31), metavar="DATE", help="Last day compared."),
        Param(
            "mbs_paydown",
            "float",
            16.0,
            lo=0,
            hi=200,
            help="Realistic MBS paydowns per month, USD bn.",
        ),
        Param(
            "announcements",
            "choice",
            "at_start",
            choices=("at_start", "all"),
            label="judgment.simulate.announcements_label",
            help="at_start: only what was announced by START; all: every announcement to END.",
        ),
    )
    command = ("simulate", "backtest")
    charts = ("backtest",)

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        return _inputs()

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..analysis.backtest import backtest_qt, backtest_starts

        bt = backtest_qt(
            inputs.data,
            p["start"],
            p["end"],
            mbs_paydown_bn=p["mbs_paydown"],
            announcements=p.get("announcements") or "at_start",
        )
        return bt, backtest_starts(inputs.data, mbs_paydown_bn=p["mbs_paydown"])

    def to_json(self, res: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        bt, starts = res
        return {**bt.to_dict(), "starts": starts}

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        bt, starts = res
        s = Section(
            self.id, Message(self.title, start=Day(bt.projection.start.date), end=Day(bt.end))
        )
        rows = tuple(
            Row(
                (
                    Message(f"judgment.simulate.col_{col}"),
                    Quantity(m["rmse_bn"], USD, 1, style="number"),
                    Quantity(m["final_error_bn"], USD, 1, sign=True, style="number"),
                    Quantity(m["final_error_pct"], "percent", 2, sign=True),
                )
            )
            for col, m in bt.metrics.items()
        )
        cols = (
            Column("series", Message("report.col.series")),
            Column("rmse", Message("judgment.simulate.col_rmse"), "right"),
            Column("final", Message("judgment.simulate.col_final_error"), "right"),
            Column("final_pct", Message("judgment.simulate.col_final_error_pct"), "right"),
        )
        s.tables.append(Table("metrics", cols, rows))
        if bt.projection.params.get("schedule"):
            s.tables.append(schedule_table(bt.projection.params["schedule"]))
        s.tables.append(starts_table(starts))
        s.charts.append(Chart("backtest", "simulate:backtest_chart", (bt,)))
        return s


def starts_table(starts: list[dict[str, Any]]) -> Table:
    """The default back-tested from several starts: final errors (USD bn) with what was known
    at the start and with every announcement."""
    rows = []
    for r in starts:
        for how in ("at_start", "all"):
            m = r[how]
            rows.append(
                Row(
                    (
                        Message("report.text.period", start=Day(r["start"]), end=Day(r["end"])),
                        Message(f"judgment.simulate.known_{how}"),
                        Quantity(m["treasury_final_error_bn"], USD, 0, sign=True, style="number"),
                        Quantity(m["securities_final_error_bn"], USD, 0, sign=True, style="number"),
                        Quantity(m["securities_rmse_bn"], USD, 0, style="number"),
                    )
                )
            )
    cols = (
        Column("window", Message("report.col.period")),
        Column("known", Message("judgment.simulate.col_known")),
        Column("treasury", Message("judgment.simulate.col_treasury_error"), "right"),
        Column("securities", Message("judgment.simulate.col_securities_error"), "right"),
        Column("rmse", Message("judgment.simulate.col_rmse"), "right", 1),
    )
    return Table("starts", cols, tuple(rows), title=Message("judgment.simulate.backtests_title"))
