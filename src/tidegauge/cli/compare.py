"""``tidegauge compare A B --start DATE --end DATE``: two series over a window."""

from __future__ import annotations

import click

from ._common import chart_option, common_options, console, json_option, print_json, session


@click.command("compare")
@click.argument("series_a")
@click.argument("series_b")
@click.option("--start", required=True, metavar="DATE", help="Window start (YYYY-MM-DD).")
@click.option("--end", required=True, metavar="DATE", help="Window end (YYYY-MM-DD).")
@json_option
@chart_option("both series rebased to 100")
@common_options
def compare_cmd(
    series_a: str,
    series_b: str,
    start: str,
    end: str,
    as_json: bool,
    chart_path: str | None,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """Compare SERIES_A and SERIES_B from --start to --end: the change of each (with the
    observations used), correlation and lead/lag of their changes, and the change of both in
    each Fed balance-sheet episode overlapping the window. SP500TR is the S&P 500 with
    dividends reinvested (Shiller monthly data)."""
    from rich.table import Table

    from ..analysis.compare import from_session
    from ..analysis.returns import TOTAL_RETURN_IDS
    from ..catalog import get
    from ..i18n import t

    for sid in (series_a, series_b):  # unknown ids fail before any loading
        if sid.upper() not in TOTAL_RETURN_IDS:
            get(sid)
    with session(mirror, store) as tg:
        result = from_session(tg, series_a, series_b, start, end)
    if chart_path:
        from ..presentation.charts import render
        from ..presentation.charts.balance import rebased_chart

        a = result.rebased[result.a.id].dropna()
        b = result.rebased[result.b.id].dropna()
        render(rebased_chart(a, b, lang, start=result.start, end=result.end), chart_path)
    if as_json:
        print_json(result.to_dict())
        return
    con = console()
    con.print(result.summary(lang))
    eps = result.episodes
    if eps.empty:
        con.print(t("compare.no_episodes", lang))
        return
    table = Table(title=t("compare.episodes_title", lang))
    table.add_column(t("compare.col_kind", lang))
    table.add_column(t("compare.col_program", lang))
    table.add_column(t("compare.col_period", lang))
    table.add_column(t("compare.col_change", lang, id=result.a.id), justify="right")
    table.add_column(t("compare.col_change", lang, id=result.b.id), justify="right")

    def pct(v: float | None) -> str:
        return "—" if v is None or v != v else f"{v:+.1f}%"

    for row in result.to_dict()["episodes"]:  # missing values already None
        table.add_row(
            t(f"charts.kind.{row['kind']}", lang),
            row["program"] or "—",
            f"{row['start']} – {row['end']}",
            pct(row["a_change_pct"]),
            pct(row["b_change_pct"]),
        )
    con.print(table)
