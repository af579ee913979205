"""Global central-bank liquidity in US dollars: Fed, ECB and BOJ, and whether a change came from
policy or from the exchange rate (``tidegauge global``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import Message
from ..values import Day, Quantity, as_date
from .base import Indicator, Inputs, figure
from .liquidity import AS_OF
from .model import Chart, Column, Figure, Row, Section, Table
from .params import Param

USD = "USD billions"
START = Param(
    "start",
    "date",
    metavar="DATE",
    help="Measure each bank's change from its last observation on or before this date "
    "(YYYY-MM-DD; default: one year before its latest).",
)


def _bank(code: str) -> Message:
    return Message(f"liquidity.bank.{code}")


class GlobalLiquidity(Indicator):
    id = "global"
    title = "global.section_title"
    intro = "global.intro"
    summary = "Fed, ECB and BOJ balance sheets in US dollars: total, shares, policy vs FX."
    description = (
        "Global central-bank liquidity in USD billions: the Fed (WALCL), the ECB "
        "(ECBASSETSW × DEXUSEU) and the BOJ (JPNASSETS, in 100 million yen, ÷ 10 ÷ DEXJPUS), "
        "each at the exchange rate of its own date and with its own as-of date; the total and "
        "each bank's share; and each bank's change since --start split into the policy effect "
        "(its balance sheet in its own currency) and the exchange-rate effect."
    )
    params = (AS_OF, START)
    as_of_param = "as_of"
    command = ("global",)
    page = "global"
    endpoint = "global"
    in_report = True
    charts = ("global", "global_change")

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        from ..analysis.global_liquidity import GLOBAL_IDS

        return GLOBAL_IDS

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..analysis.global_liquidity import GLOBAL_IDS, global_liquidity

        inputs.need(*GLOBAL_IDS)
        res = global_liquidity(inputs.subset(GLOBAL_IDS), start=p.get("start"))
        res.as_of = inputs.report_date
        return res

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title), Message(self.intro))
        d = res.to_dict()
        s.figures = _figures(res, d)
        s.tables.append(_table(d))
        ch = d["change"]
        if ch is not None:
            s.paragraphs.append(
                Message(
                    "global.reading",
                    total=Quantity(ch["usd_bn"], USD, sign=True),
                    policy=Quantity(ch["policy_usd_bn"], USD, sign=True),
                    fx=Quantity(ch["fx_usd_bn"], USD, sign=True),
                )
            )
        s.paragraphs.append(Message("global.why_split"))
        s.notes += [Message("global.note.rates"), Message("global.note.split")]
        s.notes.append(
            Message("global.note.dates", oldest=Day(d["oldest"]), newest=Day(d["newest"]))
        )
        s.charts += [
            Chart("global", "global_liquidity:global_chart", (res.to_frame(),)),
            Chart("global_change", "global_liquidity:global_change_chart", (d,)),
        ]
        return s


def _figures(res: Any, d: Mapping[str, Any]) -> list[Figure]:
    from ..analysis.global_liquidity import GLOBAL_IDS

    out = []
    inputs: dict[str, Any] = {}
    for b in d["banks"]:
        code = b["bank"].lower()
        # freshness follows the balance sheet: the rate is the one of its date by design (a
        # newer rate exists but belongs to no newer balance sheet), so it is a source, not an
        # input whose age would mark the figure
        mine = {b["series"]: as_date(b["as_of"])}
        inputs |= mine
        sources = (b["series"], b["fx_series"]) if b["fx_series"] else (b["series"],)
        context = (
            Message("global.context.fed")
            if b["fx_series"] is None
            else Message(
                f"global.context.{code}",
                own=Quantity(b["own_bn"], f"{b['currency']} billions"),
                fx=Quantity(b["fx"], "number", 4 if code == "ecb" else 2),
                fx_date=Day(b["fx_date"]),
                share=Quantity(b["share_pct"], "percent", 1),
            )
        )
        out.append(
            figure(
                f"global_{code}",
                label=Message("global.figure.bank", bank=_bank(code)),
                explanation=Message(f"global.explain.{code}"),
                value=b["usd_bn"],
                unit=USD,
                as_of=as_date(b["as_of"]),
                period="month" if code == "boj" else "week",
                sources=sources,
                inputs=mine,
                detail={k: b[k] for k in ("share_pct", "own_bn", "fx", "fx_date", "stock_date")},
                context=context,
            )
        )
    total = figure(
        "global_total",
        label="global.figure.total",
        explanation=Message("global.explain.total"),
        value=d["total_usd_bn"],
        unit=USD,
        as_of=as_date(d["oldest"]),
        period="week",
        sources=GLOBAL_IDS,
        inputs=inputs,
        detail={"newest": d["newest"], "oldest": d["oldest"]},
        context=Message(
            "global.context.total",
            **{
                b["bank"].lower(): Day(b["as_of"], "month" if b["bank"] == "BOJ" else "day")
                for b in d["banks"]
            },
        ),
    )
    out.insert(0, total)
    ch = d["change"]
    if ch is not None:
        out.append(
            figure(
                "global_change",
                label="global.figure.change",
                explanation=Message("global.explain.change"),
                value=ch["usd_bn"],
                unit=USD,
                sign=True,
                as_of=as_date(d["oldest"]),
                period="week",
                sources=GLOBAL_IDS,
                inputs=inputs,
                detail=dict(ch),
                context=Message(
                    "global.context.change",
                    policy=Quantity(ch["policy_usd_bn"], USD, sign=True),
                    fx=Quantity(ch["fx_usd_bn"], USD, sign=True),
                ),
            )
        )
    return out


def _table(d: Mapping[str, Any]) -> Table:
    rows = []
    for b in d["banks"]:
        ch = b["change"] or {}
        own_unit = f"{b['currency']} billions"
        rows.append(
            Row(
                (
                    _bank(b["bank"].lower()),
                    Message(
                        "global.own_cell",
                        own=Quantity(b["own_bn"], own_unit, 1, style="unit"),
                        date=Day(b["as_of"], "month" if b["bank"] == "BOJ" else "day"),
                    ),
                    Message(
                        "global.fx_cell",
                        fx=Quantity(b["fx"], "number", 4 if b["bank"] == "ECB" else 2),
                        series=b["fx_series"],
                        date=Day(b["fx_date"]),
                    )
                    if b["fx_series"]
                    else "—",
                    Quantity(b["usd_bn"], USD, 1, style="number"),
                    Quantity(b["share_pct"], "percent", 1),
                    Message("global.since_cell", date=Day(ch["start"])) if ch else None,
                    Quantity(ch.get("usd_bn"), USD, 1, sign=True, style="number") if ch else None,
                    Quantity(ch.get("policy_usd_bn"), USD, 1, sign=True, style="number")
                    if ch
                    else None,
                    Quantity(ch.get("fx_usd_bn"), USD, 1, sign=True, style="number")
                    if ch
                    else None,
                )
            )
        )
    total = d["change"] or {}
    rows.append(
        Row(
            (
                Message("global.total_row"),
                None,
                None,
                Quantity(d["total_usd_bn"], USD, 1, style="number"),
                Quantity(100.0, "percent", 1),
                None,
                Quantity(total.get("usd_bn"), USD, 1, sign=True, style="number"),
                Quantity(total.get("policy_usd_bn"), USD, 1, sign=True, style="number"),
                Quantity(total.get("fx_usd_bn"), USD, 1, sign=True, style="number"),
            ),
            "total",
        )
    )
    cols = (
        Column("bank", Message("global.col.bank")),
        Column("own", Message("global.col.own"), "right", 2),
        Column("fx", Message("global.col.fx"), "right", 3),
        Column("usd", Message("global.col.usd"), "right"),
        Column("share", Message("global.col.share"), "right", 1),
        Column("since", Message("global.col.since"), "left", 3),
        Column("change", Message("global.col.change"), "right"),
        Column("policy", Message("global.col.policy"), "right"),
        Column("fx_effect", Message("global.col.fx_effect"), "right"),
    )
    return Table("global", cols, tuple(rows), title=Message("global.table_title"))
