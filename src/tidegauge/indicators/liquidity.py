"""Net liquidity (weekly and daily), reserves, reserves/GDP and the reserves gauge
(``tidegauge liquidity``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..errors import NoDataError, TidegaugeError
from ..i18n import Message
from ..values import Day, Quantity, as_date
from .base import Indicator, Inputs, error_text, figure
from .model import Chart, Figure, Section
from .params import Param

USD = "USD billions"
AS_OF = Param(
    "as_of",
    "date",
    metavar="DATE",
    not_future=True,
    help="Use only the data published by this date (YYYY-MM-DD); default: everything stored.",
)
"""The date of knowledge, shared by the liquidity, funding, composition and global indicators."""
BASIS = Param(
    "basis",
    "choice",
    "wednesday",
    choices=("wednesday", "week_average"),
    label="params.label.basis",
    metavar="wednesday|week_average",
    help="Weekly net liquidity and reserves on Wednesday levels (WDTGAL, WRBWFRBL) or on the "
    "week-average variant (WTREGEN, WRESBAL).",
)
DAILY = Param(
    "daily",
    "bool",
    False,
    label="params.label.daily",
    help="Lead with the daily net liquidity: the latest WALCL − the day's TGA (Daily Treasury "
    "Statement) − the day's ON RRP; --json then prints it at the top.",
)


def weekly_ids(basis: str = "wednesday") -> tuple[str, ...]:
    """The series of the weekly measures on ``basis`` (with GDP for reserves/GDP)."""
    from ..analysis.netliq import BASIS_IDS

    return (*BASIS_IDS[basis], "GDP")


def liquidity_of(inputs: Inputs, basis: str = "wednesday") -> Any:
    """The weekly liquidity result from loaded inputs (shared by the indicators of one report)."""
    from ..analysis.liquidity import liquidity

    def compute() -> Any:
        ids = weekly_ids(basis)
        inputs.need(*ids)
        d = inputs.data
        return liquidity(*(d[sid] for sid in ids), basis=basis)  # type: ignore[arg-type]

    return inputs.cached(f"liquidity:{basis}", compute)


def daily_of(inputs: Inputs) -> Any:
    """The daily net liquidity from loaded inputs (``NoDataError`` naming what is missing)."""
    from ..analysis.netliq import DAILY_IDS, daily_net_liquidity

    def compute() -> Any:
        inputs.need(*DAILY_IDS)
        d = inputs.data
        res = daily_net_liquidity(d["WALCL"], d["DTS_TGA"], d["RRPONTSYD"])
        if res.frame["net_liquidity"].dropna().empty:
            raise NoDataError.t("errors.data.missing_in_store", ids=", ".join(DAILY_IDS))
        return res

    return inputs.cached("liquidity:daily", compute)


class Liquidity(Indicator):
    id = "liquidity"
    title = "report.section.liquidity.title"
    intro = "report.section.liquidity.intro"
    summary = "Net liquidity (weekly and daily), reserves, reserves/GDP and the reserves gauge."
    description = (
        "Net liquidity (total assets − TGA − ON RRP), bank reserves, reserves as % of GDP and "
        "the ample/scarce reserves gauge, each with its unit and as-of date.\n\n"
        "Weekly figures use Wednesday levels throughout (WALCL, WDTGAL, RRPONTSYD on the "
        "Wednesday, reserves WRBWFRBL); --basis week_average uses the week averages WTREGEN "
        "and WRESBAL instead. The daily figure (--daily) takes the TGA from the Treasury's "
        "Daily Treasury Statement (DTS_TGA) and equals the weekly one on Wednesdays."
    )
    params = (AS_OF, BASIS, DAILY)
    as_of_param = "as_of"
    command = ("liquidity",)
    page = "liquidity"
    endpoint = "liquidity"
    in_report = True
    charts = ("net_liquidity", "net_liquidity_daily")
    headline = ("net_liquidity", "reserves", "reserves_pct_gdp", "reserves_gauge")

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        return (*weekly_ids(p.get("basis") or "wednesday"), "DTS_TGA")

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        weekly = liquidity_of(inputs, p.get("basis") or "wednesday")
        try:
            daily: Any = daily_of(inputs)
        except TidegaugeError as exc:
            if p.get("daily"):
                raise
            daily = exc
        return weekly, daily

    def to_json(self, res: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        weekly, daily = res
        week = dict(weekly.to_dict())
        day = None if isinstance(daily, TidegaugeError) else daily.to_dict()
        if p.get("daily") and day is not None:
            return {**day, "weekly": week}
        return {**week, "daily": day}

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        weekly, daily = res
        s = Section(self.id, Message(self.title), Message(self.intro))
        s.figures = _figures(weekly, inputs)
        st = weekly.stress_2019()
        if st is not None:
            s.paragraphs.append(
                Message(
                    "liquidity.stress_line",
                    date=Day(st["date"]),
                    value=Quantity(st["reserves"], USD, 0, style="number"),
                    unit=Message(f"unit.{USD}"),
                    pct=Quantity(st["reserves_pct_gdp"], "percent", 1, style="number"),
                    level=Message(f"liquidity.gauge.{st['gauge']}"),
                )
            )
        s.notes += [Message(key, **params) for key, params in weekly.note_keys]
        weekly_chart = Chart(
            "net_liquidity",
            "liquidity:net_liquidity_chart",
            (weekly.to_frame(),),
            {"ids": list(weekly.ids.values())},
        )
        if isinstance(daily, TidegaugeError):
            s.notes.append(Message("notes.liquidity.no_daily", reason=error_text(daily)))
            s.charts.append(weekly_chart)
            return s
        fig = _daily_figure(daily.latest())
        s.figures.insert(0 if p.get("daily") else 1, fig)
        s.notes.append(Message("notes.liquidity.daily"))
        daily_chart = Chart(
            "net_liquidity_daily",
            "liquidity:daily_net_liquidity_chart",
            # the dots are the weekly figure on Wednesday levels, which the daily one equals
            (daily.to_frame(), weekly.to_frame() if weekly.basis == "wednesday" else None),
        )
        s.charts += [daily_chart, weekly_chart] if p.get("daily") else [weekly_chart, daily_chart]
        return s


def _daily_figure(d: Mapping[str, Any]) -> Figure:
    day = as_date(d["date"])
    inputs: dict[str, dt.date | None] = {sid: as_date(v) for sid, v in d["inputs"].items()}
    return figure(
        "net_liquidity_daily",
        label="netliq.figure_daily",
        explanation=Message("netliq.explain_daily"),
        value=d["net_liquidity_bn"],
        unit=USD,
        as_of=day,
        period="day",
        sources=("WALCL", "DTS_TGA", "RRPONTSYD"),
        inputs=inputs,
        detail={k: d[k] for k in ("walcl_bn", "walcl_date", "tga_bn", "on_rrp_bn", "on_rrp_date")},
        context=Message(
            "netliq.context_daily",
            walcl=Quantity(d["walcl_bn"], USD),
            walcl_date=Day(d["walcl_date"]),
            tga=Quantity(d["tga_bn"], USD),
            rrp=Quantity(d["on_rrp_bn"], USD),
            rrp_date=Day(d["on_rrp_date"]),
        ),
    )


def _figures(res: Any, inputs: Inputs) -> list[Figure]:
    d = res.latest()
    ids = res.ids
    nl, rs, rp, g = d["net_liquidity"], d["reserves"], d["reserves_pct_gdp"], d["gauge"]
    nl_date, rp_date = as_date(nl["date"]), as_date(rp["date"])
    gdp_inputs = {ids["reserves"]: rp_date, "GDP": inputs.last_date("GDP")}
    thresholds = {
        "scarce_below_pct": g["scarce_below_pct"],
        "abundant_above_pct": g["abundant_above_pct"],
    }
    return [
        figure(
            "net_liquidity",
            value=nl["value"],
            unit=USD,
            as_of=nl_date,
            period="week",
            sources=(ids["walcl"], ids["tga"], ids["rrp"]),
            inputs={
                ids["walcl"]: nl_date,
                ids["tga"]: nl_date,
                ids["rrp"]: as_date(nl["rrp_date"]),
            },
            detail={**{k: nl[k] for k in ("walcl", "tga", "rrp", "rrp_date")}, "basis": res.basis},
            context=Message(
                "report.context.net_liquidity",
                walcl=Quantity(nl["walcl"], USD),
                tga=Quantity(nl["tga"], USD),
                rrp=Quantity(nl["rrp"], USD),
            ),
        ),
        figure(
            "reserves",
            value=rs["value"],
            unit=USD,
            as_of=as_date(rs["date"]),
            period="week",
            sources=(ids["reserves"],),
            detail={"series": ids["reserves"]},
        ),
        figure(
            "reserves_pct_gdp",
            value=rp["value"],
            unit="percent",
            decimals=1,
            as_of=rp_date,
            period="week",
            sources=(ids["reserves"], "GDP"),
            inputs=gdp_inputs,
            detail={"gdp": rp["gdp"], "gdp_quarter": rp["gdp_quarter"]},
            context=Message(
                "report.context.reserves_pct_gdp",
                gdp=Quantity(rp["gdp"], USD),
                quarter=Day(rp["gdp_quarter"], "month"),
            ),
        ),
        figure(
            "reserves_gauge",
            unit="category",
            code=g["level"],
            category=Message(f"liquidity.gauge.{g['level']}"),
            as_of=rp_date,
            period="week",
            sources=(ids["reserves"], "GDP"),
            inputs=gdp_inputs,
            detail={**thresholds, "pct_gdp": rp["value"]},
            context=Message(
                "report.context.reserves_gauge",
                pct=Quantity(rp["value"], "percent", 1),
                scarce=Quantity(g["scarce_below_pct"], "percent", 1),
                abundant=Quantity(g["abundant_above_pct"], "percent", 1),
            ),
        ),
    ]
