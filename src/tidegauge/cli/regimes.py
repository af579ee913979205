"""``tidegauge regimes``: QE / QT / lending episodes of a central-bank balance sheet."""

from __future__ import annotations

from typing import Any

import click

from ._common import chart_option, common_options, console, json_option, print_json, session


@click.command("regimes")
@click.option(
    "--bank",
    default="fed",
    show_default=True,
    metavar="fed|ecb|boj",
    help="Central bank: fed, ecb or boj.",
)
@click.option(
    "--start",
    default=None,
    metavar="DATE",
    help="Show episodes overlapping from this date (YYYY-MM-DD).",
)
@click.option(
    "--end",
    default=None,
    metavar="DATE",
    help="Show episodes overlapping up to this date (YYYY-MM-DD).",
)
@json_option
@chart_option("a chart of total assets with the episodes shaded")
@common_options
def regimes_cmd(
    bank: str,
    start: str | None,
    end: str | None,
    as_json: bool,
    chart_path: str | None,
    mirror: str | None,
    store: str | None,
    lang: Any,
) -> None:
    """Detect balance-sheet regimes (QE, QT, crisis lending, reserve management, flat).

    Every week of the Fed's balance sheet is classified from securities held outright
    (TREAST + WSHOMCB) and total assets (WALCL), and each episode is matched with the program
    catalog. Levels and changes are total assets in billions of the bank's currency.
    """
    from ..analysis.regimes import bank_regimes
    from ..catalog.programs import BANKS
    from ..errors import UsageError

    key = bank.strip().lower()
    if key not in BANKS:
        raise UsageError.t("errors.catalog.unknown_bank", bank=bank, choices=", ".join(BANKS))
    if chart_path is not None and key != "fed":
        raise UsageError.t("errors.files.regimes_chart_fed")
    with session(mirror, store) as tg:
        res = bank_regimes(tg, key, start, end)
        assets = tg.series(res.total_assets.name) if chart_path is not None else None
    if chart_path is not None:
        _write_chart(assets, res, lang, chart_path, start)
    if as_json:
        print_json(res.to_dict())
        return
    _print_table(res, lang)
    if chart_path is not None:
        from ..i18n import t

        console().print(t("regimes.chart_written", lang, path=chart_path))


def _write_chart(assets: Any, res: Any, lang: Any, path: str, start: str | None) -> None:
    from pathlib import Path

    from ..errors import UsageError

    try:
        from ..presentation.charts import render
        from ..presentation.charts.balance import fed_assets_chart
    except ImportError as exc:  # pragma: no cover - the chart extra is missing
        raise UsageError.t("errors.files.charts_unavailable", reason=str(exc)) from None
    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".svg", ".html"):
        raise UsageError.t("errors.files.regimes_chart_suffix", path=path)
    chart = fed_assets_chart(assets, res.episodes, lang, start=start or "2008-01-01")
    render(chart, path)


def _print_table(res: Any, lang: Any) -> None:
    from rich.table import Table

    from ..i18n import t

    unit = t(f"unit.{res.unit}", lang)
    table = Table(
        title=t("regimes.title", lang, bank=t(f"regimes.bank.{res.bank}", lang), unit=unit)
    )
    table.add_column(t("regimes.col_kind", lang), no_wrap=True)
    table.add_column(t("regimes.col_start", lang), no_wrap=True)
    table.add_column(t("regimes.col_end", lang), no_wrap=True)
    for key in (
        "col_start_level",
        "col_end_level",
        "col_extreme",
        "col_change",
        "col_change_pct",
        "col_weeks",
        "col_pace",
    ):
        table.add_column(t(f"regimes.{key}", lang), justify="right", no_wrap=True)
    table.add_column(t("regimes.col_program", lang), no_wrap=True)
    for r in res.episodes.itertuples(index=False):
        table.add_row(
            t(f"regimes.kind_short.{r.kind}", lang),
            r.start.date().isoformat(),
            r.end.date().isoformat(),
            f"{r.start_level:,.0f}",
            f"{r.end_level:,.0f}",
            f"{r.peak_or_trough:,.0f}",
            f"{r.change:+,.0f}",
            f"{r.change_pct:+.1f}",
            str(r.weeks),
            f"{r.monthly_pace:+,.1f}",
            r.program if isinstance(r.program, str) else "—",
        )
    con = console()
    con.print(table)
    con.print(t("regimes.levels_note", lang, unit=unit))
    if res.securities is None:
        con.print(t("regimes.total_assets_only", lang))
    cur = res.current
    program = cur.program if isinstance(cur.program, str) else t("regimes.no_program", lang)
    con.print(
        "[bold]"
        + t(
            "regimes.current",
            lang,
            kind=t(f"regimes.kind.{cur.kind}", lang),
            start=cur.start.date().isoformat(),
            program=program,
        )
        + "[/bold]"
    )
    for line in res.edge_notes(lang):
        con.print(line)
