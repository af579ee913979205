"""The Fed's T-account and where the QE or QT went (``tidegauge composition``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import Message
from ..values import Day, Quantity
from .base import Indicator, Inputs, figure
from .liquidity import AS_OF
from .model import Chart, Column, Figure, Row, Section, Table
from .params import Param

USD = "USD billions"
START = Param(
    "start",
    "date",
    metavar="DATE",
    help="Measure the change from the last Wednesday on or before this date (YYYY-MM-DD; "
    "default: 52 weeks before the end).",
)
END = Param(
    "end",
    "date",
    metavar="DATE",
    help="Show the T-account of the last Wednesday with every item on or before this date "
    "(YYYY-MM-DD; default: the latest).",
)
ITEMS = {
    "assets": ("treasuries", "mbs", "other"),
    "liabilities": ("currency", "reserves", "tga", "on_rrp", "other"),
}


def _item(side: str, key: str) -> Message:
    return Message(f"composition.item.{side}.{key}")


class Composition(Indicator):
    id = "composition"
    title = "composition.section_title"
    intro = "composition.intro"
    summary = "The Fed's T-account: what QE bought and where the reserves it created went."
    description = (
        "The Fed's balance sheet as a T-account on a Wednesday, in USD billions: assets "
        "(Treasuries TREAST, MBS WSHOMCB, everything else WALCL − TREAST − WSHOMCB) against "
        "liabilities (currency WCURCIR — a week average —, reserves WRBWFRBL, TGA WDTGAL, ON "
        "RRP RRPONTSYD and the residual), each side summing to WALCL. For the window "
        "--start..--end it splits the change in total assets into the change of each "
        "liability: where the QE went, or where the QT came from."
    )
    params = (AS_OF, START, END)
    as_of_param = "as_of"
    command = ("composition",)
    page = "composition"
    endpoint = "composition"
    in_report = True
    charts = ("composition", "composition_change")

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        from ..analysis.composition import COMPOSITION_IDS

        return COMPOSITION_IDS

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from .._dates import check_window
        from ..analysis.composition import COMPOSITION_IDS, composition

        check_window(p.get("start"), p.get("end"))
        inputs.need(*COMPOSITION_IDS)
        return composition(inputs.subset(COMPOSITION_IDS), start=p.get("start"), end=p.get("end"))

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title), Message(self.intro))
        now, ch = res.at(res.end), res.change()
        s.figures = _figures(res, now, ch)
        s.tables += [_t_account(now), _where(res, ch)]
        direction = ch["direction"]
        s.paragraphs.append(
            Message(
                f"composition.reading.{direction}",
                start=Day(ch["start"]),
                end=Day(ch["end"]),
                total=Quantity(abs(ch["total"]), USD),
                top=_item("liabilities", _largest(ch)),
                top_value=Quantity(ch["liabilities"][_largest(ch)], USD, sign=True),
            )
        )
        s.paragraphs.append(Message("composition.how_qe_works"))
        s.notes += [
            Message("composition.note.currency"),
            Message("composition.note.other"),
            Message("composition.note.identity"),
        ]
        if ch["liability_shares_pct"]["reserves"] is None:
            s.notes.append(Message("composition.note.small_change"))
        s.charts += [
            Chart("composition", "composition:composition_chart", (res.to_frame(),)),
            Chart("composition_change", "composition:composition_change_chart", (ch,)),
        ]
        return s


def _largest(ch: Mapping[str, Any]) -> str:
    """The liability whose change went most in the direction of the total's."""
    sign = 1 if ch["total"] >= 0 else -1
    return max(ITEMS["liabilities"], key=lambda k: sign * ch["liabilities"][k])


def _figures(res: Any, now: Mapping[str, Any], ch: Mapping[str, Any]) -> list[Figure]:
    from ..analysis.composition import COMPOSITION_IDS, SOURCES

    day = res.end
    window = {"start": ch["start"], "end": ch["end"]}
    out = [
        figure(
            "tacct_total",
            label="composition.figure.total",
            explanation=Message("composition.explain.total"),
            value=now["total"],
            unit=USD,
            as_of=day,
            period="week",
            sources=COMPOSITION_IDS,
            detail={"assets": now["assets"], "liabilities": now["liabilities"]},
        ),
        figure(
            "tacct_change",
            label="composition.figure.change",
            explanation=Message("composition.explain.change"),
            value=ch["total"],
            unit=USD,
            sign=True,
            as_of=day,
            period="week",
            sources=("WALCL",),
            detail={**window, "pct": ch["total_pct"]},
            context=Message(
                "composition.context.window",
                start=Day(ch["start"]),
                pct=Quantity(ch["total_pct"], "percent", 1, sign=True),
            ),
        ),
    ]
    for key in ITEMS["liabilities"]:
        share = ch["liability_shares_pct"][key]
        out.append(
            figure(
                f"tacct_{key}",
                label=Message("composition.figure.item_change", item=_item("liabilities", key)),
                explanation=Message(f"composition.explain.{key}"),
                value=ch["liabilities"][key],
                unit=USD,
                sign=True,
                as_of=day,
                period="week",
                sources=SOURCES[f"liabilities.{key}"],
                detail={**window, "share_pct": share, "level": now["liabilities"][key]},
                context=Message(
                    "composition.context.share"
                    if share is not None
                    else "composition.context.level",
                    share=Quantity(share, "percent", 0),
                    level=Quantity(now["liabilities"][key], USD),
                    start=Day(ch["start"]),
                ),
            )
        )
    return out


def _t_account(now: Mapping[str, Any]) -> Table:
    n = max(len(v) for v in ITEMS.values())
    rows = []
    for i in range(n):
        cells: list[Any] = []
        for side in ("assets", "liabilities"):
            keys = ITEMS[side]
            if i < len(keys):
                cells += [
                    _item(side, keys[i]),
                    Quantity(now[side][keys[i]], USD, 1, style="number"),
                ]
            else:
                cells += [None, None]
        rows.append(Row(tuple(cells)))
    total = Quantity(now["total"], USD, 1, style="number")
    rows.append(
        Row((Message("composition.total"), total, Message("composition.total"), total), "total")
    )
    cols = (
        Column("asset", Message("composition.assets")),
        Column("asset_value", Message("composition.col_usd"), "right"),
        Column("liability", Message("composition.liabilities")),
        Column("liability_value", Message("composition.col_usd"), "right"),
    )
    return Table(
        "t_account",
        cols,
        tuple(rows),
        title=Message("composition.table_title", date=Day(now["date"])),
    )


def _where(res: Any, ch: Mapping[str, Any]) -> Table:
    a, b = res.at(res.start), res.at(res.end)
    rows = []
    for side in ("assets", "liabilities"):
        for key in ITEMS[side]:
            share = ch["liability_shares_pct"][key] if side == "liabilities" else None
            rows.append(
                Row(
                    (
                        _item(side, key),
                        Quantity(a[side][key], USD, 1, style="number"),
                        Quantity(b[side][key], USD, 1, style="number"),
                        Quantity(ch[side][key], USD, 1, sign=True, style="number"),
                        Quantity(share, "percent", 0) if share is not None else None,
                    ),
                    side,
                )
            )
    rows.append(
        Row(
            (
                Message("composition.total"),
                Quantity(a["total"], USD, 1, style="number"),
                Quantity(b["total"], USD, 1, style="number"),
                Quantity(ch["total"], USD, 1, sign=True, style="number"),
                None,
            ),
            "total",
        )
    )
    cols = (
        Column("item", Message("composition.col_item")),
        Column("start", Message("composition.col_level", date=Day(ch["start"])), "right", 2),
        Column("end", Message("composition.col_level", date=Day(ch["end"])), "right", 1),
        Column("change", Message("composition.col_change"), "right"),
        Column("share", Message("composition.col_share"), "right", 1),
    )
    return Table(
        "where",
        cols,
        tuple(rows),
        title=Message("composition.where_title", start=Day(ch["start"]), end=Day(ch["end"])),
    )
