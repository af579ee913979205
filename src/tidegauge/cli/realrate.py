"""``tidegauge realrate`` (latest real rates and stance) and ``tidegauge realrate history``."""

from __future__ import annotations

import click

from ._common import chart_option, common_options, console, json_option, print_json, session

CHART_CHOICES = ("market", "policy", "forward")


_alignment_option = click.option(
    "--alignment",
    type=click.Choice(["mean", "last"]),
    default="mean",
    show_default=True,
    help="Monthly rates: month average (FEDFUNDS, GS10) or month end (DFF, DGS10).",
)


@click.group("realrate", invoke_without_command=True)
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="Use only observations dated on or before DATE (YYYY-MM-DD); "
    "publication lags are not applied.",
)
@click.option(
    "--rstar",
    type=float,
    default=None,
    metavar="FLOAT",
    help="Neutral real policy rate r* in percent (default 1.0: FOMC longer-run "
    "median 3.0% minus the 2% target).",
)
@click.option(
    "--band",
    type=float,
    default=None,
    metavar="PP",
    help="Half-width of the neutral band around r*, percentage points (default 0.5).",
)
@_alignment_option
@json_option
@chart_option("a chart")
@click.option(
    "--chart-kind",
    type=click.Choice(CHART_CHOICES),
    default="market",
    show_default=True,
    help="Which chart --chart writes.",
)
@common_options
@click.pass_context
def realrate_group(
    ctx: click.Context,
    as_of: str | None,
    rstar: float | None,
    band: float | None,
    alignment: str,
    as_json: bool,
    chart_path: str | None,
    chart_kind: str,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """Real interest rates: TIPS yields, breakevens, 5y5y forward, realised real rates and the
    policy stance versus r*, every figure with its as-of date."""
    ctx.ensure_object(dict)
    ctx.obj.update(mirror=mirror, store=store, lang=lang)
    if ctx.invoked_subcommand is not None:
        return
    from .._dates import parse_date
    from ..analysis.realrates import DEFAULT_NEUTRAL_BAND
    from ..analysis.realrates_snapshot import load_inputs, real_rate_snapshot

    cutoff = parse_date(as_of, "--as-of")
    with session(mirror, store) as tg:
        data = load_inputs(tg, cutoff)
    snap = real_rate_snapshot(
        data,
        as_of=cutoff,
        rstar=rstar,
        band=DEFAULT_NEUTRAL_BAND if band is None else band,
        alignment=alignment,  # type: ignore[arg-type]
    )
    if chart_path is not None:
        from ..presentation.charts.realrates import write_chart

        written = write_chart(
            chart_kind,
            data,
            chart_path,
            lang=lang,
            rstar=snap.rstar,
            band=snap.band,
            alignment=alignment,
        )
    if as_json:
        print_json(snap.to_dict())
    else:
        click.echo(snap.summary(lang))
    if chart_path is not None:
        click.echo(f"{written}", err=True)


@realrate_group.command("history")
@json_option
@_alignment_option
@common_options
@click.pass_context
def history_cmd(
    ctx: click.Context,
    as_json: bool,
    alignment: str,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """The episodes table: 1970s, Volcker, 2009-2015, 2021-2022, 2023 on — computed from data."""
    from ..analysis.realrates import realised_real_rates
    from ..analysis.realrates_history import history_table

    parent = ctx.obj or {}
    mirror = mirror or parent.get("mirror")
    store = store or parent.get("store")
    with session(mirror, store) as tg:
        ids = (
            ["CPIAUCSL", "FEDFUNDS", "GS10"]
            if alignment == "mean"
            else ["CPIAUCSL", "DFF", "DGS10"]
        )
        data = tg.load(ids)
    hist = history_table(realised_real_rates(data, alignment=alignment))  # type: ignore[arg-type]
    if as_json:
        print_json(hist.to_dict())
        return
    from rich import box
    from rich.table import Table

    from ..i18n import t

    table = Table(
        title=t("realrates.history.title", lang),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column(t("realrates.history.col_episode", lang), min_width=16)
    for col in ("col_avg", "col_extreme", "col_nominal", "col_inflation", "col_real_10y"):
        table.add_column(
            t(f"realrates.history.{col}", lang), justify="right", no_wrap=col == "col_extreme"
        )
    for r in hist.rows:
        table.add_row(
            f"{t(f'realrates.episode.{r.key}', lang)}\n{r.start}–{r.end}",
            f"{r.real_avg:.2f}",
            f"{r.real_extreme:.2f} ({r.real_extreme_month})",
            f"{r.nominal_avg:.2f}",
            f"{r.inflation_avg:.2f}",
            f"{r.real_10y_avg:.2f}",
        )
    console().print(table)
