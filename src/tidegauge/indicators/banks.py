"""Fed, ECB and BOJ balance sheets side by side (``tidegauge banks``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..errors import NoDataError, TidegaugeError
from ..i18n import Message
from ..values import Day, Lazy, Quantity
from .base import Indicator, Inputs, figure
from .model import Chart, Column, Figure, Row, Section, Table
from .params import Param


def _quarter(d: dt.date | None) -> str | None:
    return None if d is None else f"{d.year}Q{(d.month - 1) // 3 + 1}"


class Banks(Indicator):
    id = "banks"
    title = "banks.section_title"
    intro = "banks.explain"
    summary = "Fed, ECB and BOJ balance sheets side by side, in own currency and % of GDP."
    description = (
        "Fed (WALCL), ECB (ECBASSETSW) and BOJ (JPNASSETS) total assets side by side.\n\n"
        "For each bank: total assets in billions of its own currency with the as-of date, the "
        "change over one year and since --start, the peak since then, the share of nominal GDP "
        "(GDP, EUNNGDP, JPNNGDP: the latest quarter published by the as-of date) and the program "
        "of the program catalog running then. A bank or GDP series that cannot be had is a note, "
        "not an error, unless no bank has data."
    )
    params = (
        Param(
            "start",
            "date",
            dt.date(2007, 12, 31),
            metavar="DATE",
            help="Measure changes (and the peak) from the last observation on or before this "
            "date (YYYY-MM-DD; default 2007-12-31, the pre-2008 level).",
        ),
    )
    command = ("banks",)
    in_report = True
    charts = ("banks",)

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        from ..analysis.central_banks import BANK_ASSETS, BANK_GDP

        return (*BANK_ASSETS.values(), *BANK_GDP.values())

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..analysis.central_banks import BANK_ASSETS, BANK_GDP, BASE_DATE, balance_sheets

        def get(sid: str) -> Any:
            if sid in inputs.data:
                return inputs.data[sid]
            err = inputs.errors.get(sid) or NoDataError.t("errors.data.missing_in_store", ids=sid)
            cause = err.params.get("cause")
            return cause if isinstance(cause, TidegaugeError) else err

        assets = {bank: get(sid) for bank, sid in BANK_ASSETS.items()}
        gdp = {bank: get(BANK_GDP[bank]) for bank in BANK_ASSETS}
        result = balance_sheets(assets, gdp, start=p.get("start") or BASE_DATE)
        if not any(r.available for r in result.rows.values()):
            rows = result.rows
            raise NoDataError.t(
                "errors.banks.none_available",
                fed=rows["fed"].problem,
                ecb=rows["ecb"].problem,
                boj=rows["boj"].problem,
            )
        return result

    def to_json(self, res: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        return dict(res.to_dict(lang))

    def section(self, res: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title, start=Day(res.start)), Message(self.intro))
        rows = list(res.rows.values())
        for r in rows:
            s.figures += _bank_figures(r, inputs)
        s.tables.append(_table(rows, res.start))
        s.notes += [Lazy(n.text) for n in res.notes()]
        s.charts.append(
            Chart(
                "banks",
                "balance:cb_gdp_chart",
                (res.pct_gdp,),
                {
                    "levels": res.levels,
                    "no_gdp": res.no_gdp,
                    "missing": res.missing,
                    "start": res.start.isoformat(),
                },
            )
        )
        return s


def _bank_figures(r: Any, inputs: Inputs) -> list[Figure]:
    bank = Message(f"liquidity.bank.{r.bank}")
    period = "month" if r.bank == "boj" else "week"
    out = [
        figure(
            f"bank_{r.bank}_assets",
            label=Message("banks.figure_assets", bank=bank),
            explanation=None,
            value=r.value,
            unit=r.unit,
            as_of=r.date,
            period=period,
            sources=(r.series_id,),
        )
    ]
    if r.available:
        out.append(
            figure(
                f"bank_{r.bank}_pct_gdp",
                label=Message("banks.figure_pct_gdp", bank=bank),
                explanation=None,
                value=r.pct_gdp,
                unit="percent",
                decimals=1,
                as_of=r.date,
                period=period,
                sources=(r.series_id, r.gdp_id),
                inputs={r.series_id: r.date, r.gdp_id: inputs.last_date(r.gdp_id)},
            )
        )
    return out


def _change(value: float | None, pct: float | None, since: dt.date | None, unit: str) -> Any:
    if value is None:
        return None
    return Message(
        "banks.change_cell",
        value=Quantity(value, unit, 1, sign=True, style="number"),
        pct=Message("banks.pct_paren", pct=Quantity(pct, "percent", 1, sign=True))
        if pct is not None
        else "",
        date=Day(since),
    )


def _table(rows: list[Any], start: dt.date) -> Table:
    def program(r: Any) -> Any:
        if not r.programs:
            return Message("banks.no_program")
        first, others = r.programs[0], r.programs[1:]
        if not others:
            return Lazy(first.label)
        return Message(
            "report.text.then",
            text=Lazy(first.label),
            note=Message("banks.more_programs", ids=", ".join(o.id for o in others)),
        )

    def gdp(r: Any) -> Any:
        if not r.available:
            return None
        if r.pct_gdp is None:
            return Message("banks.no_gdp")
        return Message(
            "banks.gdp_cell", pct=Quantity(r.pct_gdp, "percent", 1), quarter=_quarter(r.gdp_quarter)
        )

    measures: list[tuple[str, list[Any]]] = [
        ("col_series", [r.series_id for r in rows]),
        (
            "col_assets",
            [
                Quantity(r.value, r.unit, 1, style="number")
                if r.available
                else Message("banks.unavailable")
                for r in rows
            ],
        ),
        ("col_unit", [Message(f"unit.{r.unit}") if r.unit else "" for r in rows]),
        ("col_as_of", [Day(r.date) for r in rows]),
        ("col_1y", [_change(r.change_1y, r.change_1y_pct, r.year_ago_date, r.unit) for r in rows]),
        (
            "col_since",
            [_change(r.change_base, r.change_base_pct, r.base_date, r.unit) for r in rows],
        ),
        (
            "col_peak",
            [
                Message(
                    "report.text.value_on",
                    value=Quantity(r.peak_value, r.unit, 1, style="number"),
                    date=Day(r.peak_date),
                )
                if r.peak_value is not None
                else None
                for r in rows
            ],
        ),
        ("col_gdp", [gdp(r) for r in rows]),
        ("col_program", [program(r) for r in rows]),
    ]
    cols = (
        Column("measure", Message("banks.col_measure")),
        *(Column(r.bank, Message(f"liquidity.bank.{r.bank}"), "right") for r in rows),
    )
    body = tuple(Row((Message(f"banks.{key}"), *values)) for key, values in measures)
    return Table("banks", cols, body, title=Message("banks.title", start=Day(start)))
