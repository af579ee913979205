"""``tidegauge banks``: Fed, ECB and BOJ balance sheets side by side."""

from __future__ import annotations

from typing import Any

import click

from ._common import chart_option, common_options, console, json_option, print_json, session


@click.command("banks")
@click.option(
    "--start",
    default=None,
    metavar="DATE",
    help="Measure changes (and the peak) from the last observation on or before this date "
    "(YYYY-MM-DD; default 2007-12-31, the pre-2008 level).",
)
@json_option
@chart_option("the balance sheets as % of GDP and as an index")
@common_options
def banks_cmd(
    start: str | None,
    as_json: bool,
    chart_path: str | None,
    mirror: str | None,
    store: str | None,
    lang: Any,
) -> None:
    """Fed (WALCL), ECB (ECBASSETSW) and BOJ (JPNASSETS) total assets side by side.

    For each bank: total assets in billions of its own currency with the as-of date, the change
    over one year and since --start, the peak since then, the share of nominal GDP (GDP,
    EUNNGDP, JPNNGDP: the latest quarter published by the as-of date) and the program of the
    program catalog running then. A bank or GDP series that cannot be had is a note, not an
    error, unless no bank has data.
    """
    from .._dates import parse_date
    from ..analysis.central_banks import BASE_DATE, from_session

    d0 = parse_date(start, "start")  # a malformed date fails before the store is opened
    with session(mirror, store) as tg:
        result = from_session(tg, d0 or BASE_DATE)
    if chart_path is not None:
        from ..presentation.charts import render
        from ..presentation.charts.balance import cb_gdp_chart

        chart = cb_gdp_chart(
            result.pct_gdp,
            lang,
            levels=result.levels,
            no_gdp=result.no_gdp,
            missing=result.missing,
            start=result.start.isoformat(),
        )
        render(chart, chart_path)
    if as_json:
        print_json(result.to_dict(lang))
        return
    _print_table(result, lang)
    if chart_path is not None:
        from ..i18n import t

        console().print(t("banks.chart_written", lang, path=chart_path))


def _print_table(result: Any, lang: Any) -> None:
    """One column per bank, one row per measure (fits an 80-column terminal)."""
    from rich.table import Table

    from ..i18n import t

    rows = list(result.rows.values())
    table = Table(title=t("banks.title", lang, start=result.start.isoformat()))
    table.add_column(t("banks.col_measure", lang), no_wrap=True)
    for row in rows:
        table.add_column(t(f"liquidity.bank.{row.bank}", lang), justify="right", overflow="fold")
    cells: list[tuple[str, list[str]]] = [
        ("col_series", [r.series_id for r in rows]),
        (
            "col_assets",
            [f"{r.value:,.1f}" if r.available else t("banks.unavailable", lang) for r in rows],
        ),
        ("col_unit", [t(f"unit.{r.unit}", lang) if r.unit else "" for r in rows]),
        ("col_as_of", [_iso(r.date) for r in rows]),
        ("col_1y", [_change(r.change_1y, r.change_1y_pct, r.year_ago_date, lang) for r in rows]),
        ("col_since", [_change(r.change_base, r.change_base_pct, r.base_date, lang) for r in rows]),
        ("col_peak", [_peak(r) for r in rows]),
        ("col_gdp", [_gdp(r, lang) for r in rows]),
        ("col_program", [_program(r, lang) for r in rows]),
    ]
    for key, values in cells:
        table.add_row(t(f"banks.{key}", lang), *values)
    con = console()
    con.print(table)
    notes = result.notes()
    if notes:
        con.print(t("banks.notes", lang))
        for note in notes:
            con.print(f"  • {note.text(lang)}", highlight=False, markup=False)
    con.print(t("banks.explain", lang), style="dim")


def _iso(d: Any) -> str:
    return "—" if d is None else str(d.isoformat())


def _change(value: float | None, pct: float | None, since: Any, lang: Any) -> str:
    from ..i18n import t

    if value is None:
        return "—"
    text = f"{value:+,.1f}" + (f" ({pct:+.1f}%)" if pct is not None else "")
    return f"{text}\n" + t("banks.from_date", lang, date=_iso(since))


def _peak(row: Any) -> str:
    if row.peak_value is None:
        return "—"
    return f"{row.peak_value:,.1f}\n{_iso(row.peak_date)}"


def _gdp(row: Any, lang: Any) -> str:
    from ..i18n import t

    if not row.available:
        return "—"
    if row.pct_gdp is None:
        return t("banks.no_gdp", lang)
    q = row.gdp_quarter
    quarter = f"{q.year}Q{(q.month - 1) // 3 + 1}"
    return f"{row.pct_gdp:.1f}%\n" + t("banks.gdp_quarter", lang, quarter=quarter)


def _program(row: Any, lang: Any) -> str:
    from ..i18n import t

    if not row.programs:
        return t("banks.no_program", lang)
    first, others = row.programs[0], row.programs[1:]  # most recent first
    more = t("banks.more_programs", lang, ids=", ".join(p.id for p in others)) if others else ""
    return first.label(lang) + (f"\n{more}" if more else "")
