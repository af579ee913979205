"""Net liquidity, bank reserves, reserves/GDP and the reserves gauge (``tidegauge liquidity``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import Message
from ..values import Day, Quantity, as_date
from .base import Indicator, Inputs, figure
from .model import Chart, Figure, Section

IDS = ("WALCL", "WTREGEN", "RRPONTSYD", "WRESBAL", "GDP")
USD = "USD billions"


def liquidity_of(inputs: Inputs) -> Any:
    """The liquidity result from loaded inputs (shared by the indicators of one report)."""
    from ..analysis.liquidity import liquidity

    def compute() -> Any:
        inputs.need(*IDS)
        d = inputs.data
        return liquidity(d["WALCL"], d["WTREGEN"], d["RRPONTSYD"], d["WRESBAL"], d["GDP"])

    return inputs.cached("liquidity", compute)


class Liquidity(Indicator):
    id = "liquidity"
    title = "report.section.liquidity.title"
    intro = "report.section.liquidity.intro"
    summary = "Net liquidity, reserves, reserves/GDP and the ample/scarce reserves gauge."
    description = (
        "Net liquidity (total assets − TGA − ON RRP), bank reserves, reserves as % of GDP and "
        "the ample/scarce reserves gauge, each with its unit and as-of date."
    )
    inputs = IDS
    command = ("liquidity",)
    page = "liquidity"
    endpoint = "liquidity"
    in_report = True
    charts = ("net_liquidity",)
    headline = ("net_liquidity", "reserves", "reserves_pct_gdp", "reserves_gauge")

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        return liquidity_of(inputs)

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title), Message(self.intro))
        s.figures = _figures(res, inputs)
        st = res.stress_2019()
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
        s.notes += [Message(key, **params) for key, params in res.note_keys]
        s.charts.append(Chart("net_liquidity", "balance:net_liquidity_chart", (res.to_frame(),)))
        return s


def _figures(res: Any, inputs: Inputs) -> list[Figure]:
    d = res.latest()
    nl, rs, rp, g = d["net_liquidity"], d["reserves"], d["reserves_pct_gdp"], d["gauge"]
    nl_date, rp_date = as_date(nl["date"]), as_date(rp["date"])
    gdp_inputs = {"WRESBAL": rp_date, "GDP": inputs.last_date("GDP")}
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
            sources=("WALCL", "WTREGEN", "RRPONTSYD"),
            inputs={"WALCL": nl_date, "WTREGEN": nl_date, "RRPONTSYD": as_date(nl["rrp_date"])},
            detail={k: nl[k] for k in ("walcl", "tga", "rrp", "rrp_date")},
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
            sources=("WRESBAL",),
        ),
        figure(
            "reserves_pct_gdp",
            value=rp["value"],
            unit="percent",
            decimals=1,
            as_of=rp_date,
            period="week",
            sources=("WRESBAL", "GDP"),
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
            sources=("WRESBAL", "GDP"),
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
