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
        "scenario",
        "choice",
        "announced",
        choices=("announced", "continue_qt"),
        only=QT,
        label="judgment.simulate.scenario_label",
        help="announced: the policy announced by the start date (program catalog); "
        "continue_qt: QT carried on at its last caps, with no end.",
    ),
    Param(
        "treasury_cap",
        "float",
        None,
        lo=0,
        hi=500,
        step="any",
        only=QT,
        help="Monthly Treasury cap, USD bn, every month (a custom scenario).",
    ),
    Param(
        "mbs_cap",
        "float",
        None,
        lo=0,
        hi=500,
        step="any",
        only=QT,
        help="Monthly MBS cap, USD bn, every month (a custom scenario).",
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
        return project_qt(
            state,
            p["months"],
            caps=caps,
            scenario=p.get("scenario") or "announced",
            mbs_paydown_bn=p["mbs_paydown"],
            **common,
        )

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
        if proj.params.get("schedule"):
            s.tables.append(schedule_table(proj.params["schedule"]))
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


def _rules_text(row: dict[str, Any]) -> Lazy:
    """The rules of one schedule period, without its dates."""
    from ..analysis.simulate import schedule_text

    def text(lang: str) -> str:
        full = schedule_text(row, lang)
        return full.split("：", 1)[-1] if lang.startswith("zh") else full.split(": ", 1)[-1]

    return Lazy(text)


def schedule_table(schedule: list[dict[str, Any]]) -> Table:
    """The schedule of caps and purchases a projection used, one row per period."""
    rows = tuple(
        Row((Day(r["start"]), Day(r["end"]), r["months"], _rules_text(r))) for r in schedule
    )
    cols = (
        Column("from", Message("judgment.simulate.col_from")),
        Column("to", Message("judgment.simulate.col_to")),
        Column("months", Message("judgment.checklist.col_months"), "right"),
        Column("rules", Message("judgment.simulate.col_rules")),
    )
    return Table("schedule", cols, rows, title=Message("judgment.simulate.schedule_title"))


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
