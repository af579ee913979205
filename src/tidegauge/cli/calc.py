"""``tidegauge calc``: real return, purchasing power and retirement calculators (no data needed)."""

from __future__ import annotations

from typing import Any

import click

from ._common import common_options, console, print_json


def _emit(result: Any, as_json: bool, lang: str) -> None:
    if as_json:
        print_json(result.to_dict())
    else:
        console().print(result.summary(lang), markup=False)


@click.group("calc")
def calc_group() -> None:
    """Personal-finance calculators in real (inflation-adjusted) terms. Rates in percent."""


@calc_group.command("real-return")
@click.option(
    "--nominal",
    type=float,
    required=True,
    metavar="PCT",
    help="Nominal interest rate or yield, percent per year.",
)
@click.option(
    "--inflation",
    type=float,
    required=True,
    metavar="PCT",
    help="Inflation, percent per year (above -100).",
)
@click.option(
    "--kind",
    type=click.Choice(["deposit", "bond", "loan"]),
    default="deposit",
    show_default=True,
    help="What the rate is paid on (wording only).",
)
@click.option("--json", "as_json", is_flag=True, help='Print {"approx": ..., "exact": ...}.')
@common_options
def real_return_cmd(
    nominal: float,
    inflation: float,
    kind: str,
    as_json: bool,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """Real return of a deposit or bond, or real cost of a loan (approximate and exact)."""
    from ..analysis.calculators import real_return

    _emit(real_return(nominal, inflation, kind), as_json, lang)  # type: ignore[arg-type]


@calc_group.command("purchasing-power")
@click.option("--amount", type=float, required=True, metavar="X", help="Amount of money today.")
@click.option(
    "--inflation",
    type=float,
    required=True,
    metavar="PCT",
    help="Inflation, percent per year (above -100).",
)
@click.option("--years", type=float, required=True, metavar="N", help="Number of years (>= 0).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def purchasing_power_cmd(
    amount: float,
    inflation: float,
    years: float,
    as_json: bool,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """What an amount buys after N years of inflation."""
    from ..analysis.calculators import purchasing_power

    _emit(purchasing_power(amount, inflation, years), as_json, lang)


@calc_group.command("retirement")
@click.option(
    "--savings", type=float, default=0.0, show_default=True, metavar="X", help="Savings today."
)
@click.option(
    "--contribution",
    type=float,
    default=0.0,
    show_default=True,
    metavar="X",
    help="Yearly saving in today's money (raised with inflation).",
)
@click.option("--years", type=float, required=True, metavar="N", help="Years until retirement.")
@click.option(
    "--return",
    "nominal_return",
    type=float,
    required=True,
    metavar="PCT",
    help="Expected nominal return, percent per year.",
)
@click.option(
    "--inflation",
    type=float,
    required=True,
    metavar="PCT",
    help="Expected inflation, percent per year.",
)
@click.option(
    "--retirement-years",
    type=float,
    default=30.0,
    show_default=True,
    metavar="N",
    help="How long withdrawals must last.",
)
@click.option(
    "--withdrawal",
    type=float,
    default=None,
    metavar="X",
    help="Desired yearly withdrawal in today's money (optional).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def retirement_cmd(
    savings: float,
    contribution: float,
    years: float,
    nominal_return: float,
    inflation: float,
    retirement_years: float,
    withdrawal: float | None,
    as_json: bool,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """A retirement nest egg in today's money, with inflation-adjusted withdrawals."""
    from ..analysis.calculators import retirement

    plan = retirement(
        savings,
        contribution,
        years,
        nominal_return,
        inflation,
        years_in_retirement=retirement_years,
        withdrawal=withdrawal,
    )
    _emit(plan, as_json, lang)
