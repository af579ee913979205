"""``tidegauge attractiveness``, ``tidegauge effectiveness``, ``tidegauge events``."""

from __future__ import annotations

import click

from ._common import common_options, json_option, print_json, session


def _emit(result: object, as_json: bool, lang: str) -> None:

    if as_json:
        print_json(result.to_dict())  # type: ignore[attr-defined]
    else:
        click.echo(result.summary(lang))  # type: ignore[attr-defined]


@click.command("attractiveness")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="Use the data published by this date (YYYY-MM-DD); default: today.",
)
@json_option
@common_options
def attractiveness_cmd(
    as_of: str | None, as_json: bool, mirror: str | None, store: str | None, lang: str
) -> None:
    """Gold's hurdle (the 10-year yield), real returns of bonds and cash, educational playbook."""
    from ..analysis.asof import parse_as_of, snapshot
    from ..analysis.attractiveness import INPUTS, attractiveness

    day = parse_as_of(as_of)
    with session(mirror, store) as tg:
        snap = snapshot(tg, INPUTS, day)
    _emit(attractiveness(snap.data), as_json, lang)


@click.command("effectiveness")
@click.option(
    "--after-months",
    type=click.IntRange(1, 60),
    default=12,
    show_default=True,
    help="Horizon after each episode's end.",
)
@json_option
@common_options
def effectiveness_cmd(
    after_months: int, as_json: bool, mirror: str | None, store: str | None, lang: str
) -> None:
    """QE scorecard: inflation, unemployment, 10-year yield, spreads per QE episode."""
    from ..analysis.asof import snapshot
    from ..analysis.effectiveness import INPUTS, scorecard

    with session(mirror, store) as tg:
        snap = snapshot(tg, INPUTS)
    _emit(scorecard(snap.data, after_months=after_months, lang=lang), as_json, lang)


@click.command("events")
@click.option(
    "--bank",
    type=click.Choice(["fed", "ecb", "boj", "all"]),
    default="fed",
    show_default=True,
    help="Whose announcements (the yield is the US 10-year).",
)
@json_option
@common_options
def events_cmd(bank: str, as_json: bool, mirror: str | None, store: str | None, lang: str) -> None:
    """Event study: 1- and 2-day 10-year yield changes around each program announcement."""
    from ..analysis.effectiveness import event_study

    with session(mirror, store) as tg:
        dgs10 = tg.series("DGS10")
    _emit(
        event_study(dgs10, bank=None if bank == "all" else bank, lang=lang),  # type: ignore[arg-type]
        as_json,
        lang,
    )
