"""The balance-sheet simulator: QT run-off, a QE scenario (``tidegauge simulate qt|qe``) and the
QT2 back-test (``tidegauge simulate backtest``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..i18n import Message
from ..values import Day, Lazy, Quantity, as_date
from .base import Indicator, Inputs, figure
from .model import Chart, Column, Figure, Row, Section, Table
from .params import Param

USD = "USD billions"
QT, QE = ("qt",), ("qe",)

PARAMS = (
    Param(
        "kind",
        "choice",
        "qt",
        choices=("qt", "qe"),
        label="web.simulate.kind",
        help="qt: run-off; qe: purchases.",
    ),
    Param(
        "start",
        "date",
        metavar="DATE",
        not_future=True,
        help="Start from the H.4.1 holdings of this date (default: the latest).",
    ),
    Param("months", "int", 24, lo=1, hi=600, step="1", help="Months to project."),
    Param(
        "treasury_cap",
        "float",
        None,
        lo=0,
        hi=500,
        step="any",
        only=QT,
        help="Monthly Treasury cap, USD bn (default: the QT2 schedule).",
    ),
    Param(
        "mbs_cap",
        "float",
        None,
        lo=0,
        hi=500,
        step="any",
        only=QT,
        help="Monthly MBS cap, USD bn (default: the QT2 schedule).",
    ),
    Param(
        "mbs_paydown",
        "float",
        16.0,
        lo=0,
        hi=200,
        step="any",
        only=QT,
        help="Realistic MBS paydowns per month, USD bn (MBS run-off = min(cap, paydown)).",
    ),
    Param(
        "per_month",
        "float",
        120.0,
        lo=0.01,
        hi=2000,
        step="any",
        only=QE,
        help="Purchases per month, USD bn.",
    ),
    Param(
        "treasury_share",
        "float",
        2 / 3,
        lo=0,
        hi=1,
        step="any",
        only=QE,
        help="Fraction (0-1) of purchases in Treasuries; the rest is MBS.",
    ),
    Param(
        "tga",
        "float",
        None,
        lo=0,
        hi=5000,
        step="any",
        help="Treasury General Account assumed, USD bn (default: start level).",
    ),
    Param(
        "rrp",
        "float",
        None,
        lo=0,
        hi=5000,
        step="any",
        help="Overnight reverse repo assumed, USD bn (default: start level).",
    ),
    Param(
        "gdp_growth",
        "float",
        4.0,
        lo=-20,
        hi=30,
        step="any",
        help="Nominal GDP growth, percent a year (for reserves/GDP).",
    ),
)


def _inputs() -> tuple[str, ...]:
    from ..analysis.simulate import INPUTS

    return INPUTS


class Simulate(Indicator):
    id = "simulate"
    title = "web.page.simulate"
    summary = "Project the Fed's balance sheet: QT run-off, a QE scenario, the QT2 back-test."
    description = "QT run-off or a QE scenario: projected holdings, total assets, reserves."
    params = PARAMS
    command = ("simulate",)
    subcommand = "kind"
    charts = ("projection",)
    page = "simulate"
    endpoint = "simulate"

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        return _inputs()

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..analysis.simulate import CapPeriod, default_caps, project_qe, project_qt, start_state
        from ..errors import NoDataError

        last = inputs.last_date("TREAST")
        if last is None:
            raise NoDataError.t("errors.data.no_treasuries")
        state = start_state(inputs.data, p.get("start") or last)
        common = {
            "tga_bn": p.get("tga"),
            "rrp_bn": p.get("rrp"),
            "gdp_growth_pct": p.get("gdp_growth", 4.0),
        }
        if p.get("kind") == "qe":
            return project_qe(
                state, p["per_month"], p["months"], treasury_share=p["treasury_share"], **common
            )
        caps = None
        if p.get("treasury_cap") is not None or p.get("mbs_cap") is not None:
            final = default_caps()[-1]
            t_cap = (
                p["treasury_cap"] if p.get("treasury_cap") is not None else final.treasury_cap_bn
            )
            m_cap = p["mbs_cap"] if p.get("mbs_cap") is not None else final.mbs_cap_bn
            caps = [CapPeriod(dt.date(1900, 1, 1), t_cap, m_cap)]
        return project_qt(state, p["months"], caps=caps, mbs_paydown_bn=p["mbs_paydown"], **common)

    def section(self, proj: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(f"judgment.simulate.section_{proj.kind}"))
        st, end = proj.start, proj.path.iloc[-1]
        # the latest start is assessed for freshness; a start the user picked is history on purpose
        latest = not p.get("start")
        start_inputs = {sid: as_date(d) for sid, d in st.as_of.items()} if latest else {}
        end_date = as_date(proj.path.index[-1])
        s.figures = [
            _fig(
                "sim_start_assets",
                "judgment.simulate.fig_start_assets",
                st.total_assets_bn,
                st.date,
                start_inputs,
                period="day",
            ),
            _fig(
                "sim_end_assets",
                "judgment.simulate.fig_end_assets",
                float(end["total_assets"]),
                end_date,
                {},
            ),
            _fig(
                "sim_end_reserves",
                "judgment.simulate.fig_end_reserves",
                float(end["reserves"]),
                end_date,
                {},
            ),
            _fig(
                "sim_end_reserves_pct_gdp",
                "judgment.simulate.fig_end_reserves_pct_gdp",
                float(end["reserves_pct_gdp"]),
                end_date,
                {},
                unit="percent",
            ),
            figure(
                "sim_scarce_date",
                label="judgment.simulate.fig_scarce",
                explanation=None,
                unit="category",
                code=proj.scarce_date.isoformat() if proj.scarce_date else "never",
                category=Day(proj.scarce_date)
                if proj.scarce_date
                else Message("judgment.simulate.fig_never"),
                as_of=end_date,
                period="month",
            ),
        ]
        s.paragraphs.append(Lazy(proj.summary))
        s.tables.append(path_table(proj))
        s.charts.append(Chart("projection", "simulate:projection_chart", (proj,)))
        return s


def _fig(
    key: str,
    label: str,
    value: float,
    as_of: Any,
    inputs: dict[str, Any],
    unit: str = USD,
    period: Any = "month",
) -> Figure:
    # a projected figure has no inputs of its own: only the start's freshness is assessed
    return figure(
        key,
        label=label,
        explanation=None,
        value=value,
        unit=unit,
        as_of=as_of,
        period=period,
        sources=tuple(inputs),
        inputs=inputs,
    )


def path_table(proj: Any) -> Table:
    """The projected path, one row per month (USD billions; reserves also as % of GDP)."""
    cols = ("treasury", "mbs", "total_assets", "reserves", "tga", "rrp")
    rows = tuple(
        Row(
            (
                Day(d, "month"),
                *(Quantity(float(r[c]), USD, 0, style="number") for c in cols),
                Quantity(float(r["reserves_pct_gdp"]), "percent", 1),
            )
        )
        for d, r in proj.path.iterrows()
    )
    head = (
        Column("date", Message("report.col.month")),
        *(Column(c, Message(f"judgment.simulate.col_{c}"), "right", 1) for c in cols),
        Column("reserves_pct_gdp", Message("judgment.simulate.col_reserves_pct_gdp"), "right"),
    )
    return Table("path", head, rows, caption=Message("judgment.simulate.path_caption"))


class Backtest(Indicator):
    id = "backtest"
    title = "judgment.simulate.backtest_section"
    summary = "Back-test: QT with the announced caps from START versus the actual path."
    description = summary
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
    )
    command = ("simulate", "backtest")
    charts = ("backtest",)

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        return _inputs()

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..analysis.backtest import backtest_qt

        return backtest_qt(inputs.data, p["start"], p["end"], mbs_paydown_bn=p["mbs_paydown"])

    def section(self, bt: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
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
        s.charts.append(Chart("backtest", "simulate:backtest_chart", (bt,)))
        return s
