"""``tidegauge simulate qt|qe|backtest``: QT run-off projector, QE scenario, QT2 back-test."""

from __future__ import annotations

from typing import Any

import click

from ._common import chart_option, common_options, json_option, print_json, session


def _assumption_options(func: Any) -> Any:
    for opt in reversed(
        [
            click.option(
                "--tga",
                "tga",
                type=float,
                default=None,
                help="Treasury General Account assumed, USD bn (default: start level).",
            ),
            click.option(
                "--rrp",
                "rrp",
                type=float,
                default=None,
                help="Overnight reverse repo assumed, USD bn (default: start level).",
            ),
            click.option(
                "--gdp-growth",
                "gdp_growth",
                type=float,
                default=4.0,
                show_default=True,
                help="Nominal GDP growth, percent a year (for reserves/GDP).",
            ),
        ]
    ):
        func = opt(func)
    return func


def _load(mirror: str | None, store: str | None) -> Any:
    from ..analysis.asof import snapshot
    from ..analysis.simulate import INPUTS

    with session(mirror, store) as tg:
        return snapshot(tg, INPUTS)


def _output(result: Any, as_json: bool, chart: str | None, lang: str, draw: Any) -> None:

    if chart is not None:
        from pathlib import Path

        from ..presentation.charts import render

        render(draw(result, lang), Path(chart))
    if as_json:
        print_json(result.to_dict())
    else:
        click.echo(result.summary(lang))


def _start(start: str | None, mirror: str | None, store: str | None) -> Any:
    """The H.4.1 holdings of ``--start`` (default: the latest Treasuries observation).

    A bad date fails before the store is opened.
    """
    from ..analysis.asof import parse_as_of
    from ..analysis.simulate import start_state

    day = parse_as_of(start, "--start")
    snap = _load(mirror, store)
    return start_state(snap.data, day or snap.last_date("TREAST"))


@click.group("simulate")
def simulate_group() -> None:
    """Project the Fed's balance sheet: QT run-off, a QE scenario, the QT2 back-test."""


@simulate_group.command("qt")
@click.option(
    "--start",
    default=None,
    metavar="DATE",
    help="Start from the H.4.1 holdings of this date (default: the latest).",
)
@click.option("--months", type=int, default=24, show_default=True, help="Months to project.")
@click.option(
    "--treasury-cap",
    type=float,
    default=None,
    help="Monthly Treasury cap, USD bn (default: the QT2 schedule).",
)
@click.option(
    "--mbs-cap",
    type=float,
    default=None,
    help="Monthly MBS cap, USD bn (default: the QT2 schedule).",
)
@click.option(
    "--mbs-paydown",
    type=float,
    default=16.0,
    show_default=True,
    help="Realistic MBS paydowns per month, USD bn (MBS run-off = min(cap, paydown)).",
)
@_assumption_options
@json_option
@chart_option("the chart")
@common_options
def qt_cmd(
    start: str | None,
    months: int,
    treasury_cap: float | None,
    mbs_cap: float | None,
    mbs_paydown: float,
    tga: float | None,
    rrp: float | None,
    gdp_growth: float,
    as_json: bool,
    chart_path: str | None,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """QT run-off: projected holdings, total assets, reserves and the scarcity date."""
    import datetime as dt

    from ..analysis.simulate import CapPeriod, default_caps, project_qt
    from ..errors import UsageError
    from ..presentation.charts.simulate import projection_chart

    for name, v in (("--treasury-cap", treasury_cap), ("--mbs-cap", mbs_cap)):
        if v is not None and v < 0:
            raise UsageError.t("errors.value.negative_cap", name=name, value=v)
    caps = None
    if treasury_cap is not None or mbs_cap is not None:
        last = default_caps()[-1]
        caps = [
            CapPeriod(
                dt.date(1900, 1, 1),
                treasury_cap if treasury_cap is not None else last.treasury_cap_bn,
                mbs_cap if mbs_cap is not None else last.mbs_cap_bn,
            )
        ]
    state = _start(start, mirror, store)
    proj = project_qt(
        state,
        months,
        caps=caps,
        mbs_paydown_bn=mbs_paydown,
        tga_bn=tga,
        rrp_bn=rrp,
        gdp_growth_pct=gdp_growth,
    )
    _output(proj, as_json, chart_path, lang, projection_chart)


@simulate_group.command("qe")
@click.option(
    "--per-month", "per_month", type=float, required=True, help="Purchases per month, USD bn."
)
@click.option("--months", type=int, required=True, help="Months of purchases.")
@click.option(
    "--start",
    default=None,
    metavar="DATE",
    help="Start from the H.4.1 holdings of this date (default: the latest).",
)
@click.option(
    "--treasury-share",
    type=float,
    default=2 / 3,
    show_default=True,
    help="Fraction (0-1) of purchases in Treasuries; the rest is MBS.",
)
@_assumption_options
@json_option
@chart_option("the chart")
@common_options
def qe_cmd(
    per_month: float,
    months: int,
    start: str | None,
    treasury_share: float,
    tga: float | None,
    rrp: float | None,
    gdp_growth: float,
    as_json: bool,
    chart_path: str | None,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """A QE scenario: buy PER_MONTH USD bn a month for MONTHS months."""
    from ..analysis.simulate import project_qe
    from ..presentation.charts.simulate import projection_chart

    state = _start(start, mirror, store)
    proj = project_qe(
        state,
        per_month,
        months,
        treasury_share=treasury_share,
        tga_bn=tga,
        rrp_bn=rrp,
        gdp_growth_pct=gdp_growth,
    )
    _output(proj, as_json, chart_path, lang, projection_chart)


@simulate_group.command("backtest")
@click.option(
    "--start", default="2022-06-01", metavar="DATE", show_default=True, help="First month of QT."
)
@click.option(
    "--end", default="2024-05-31", metavar="DATE", show_default=True, help="Last day compared."
)
@click.option(
    "--mbs-paydown",
    type=float,
    default=16.0,
    show_default=True,
    help="Realistic MBS paydowns per month, USD bn.",
)
@json_option
@chart_option("the chart")
@common_options
def backtest_cmd(
    start: str,
    end: str,
    mbs_paydown: float,
    as_json: bool,
    chart_path: str | None,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """Back-test: QT with the announced caps from START versus the actual path."""
    from ..analysis.asof import parse_as_of
    from ..analysis.backtest import backtest_qt
    from ..presentation.charts.simulate import backtest_chart

    d0, d1 = parse_as_of(start, "--start"), parse_as_of(end, "--end")
    snap = _load(mirror, store)
    result = backtest_qt(
        snap.data, d0 or "2022-06-01", d1 or "2024-05-31", mbs_paydown_bn=mbs_paydown
    )
    _output(result, as_json, chart_path, lang, backtest_chart)
