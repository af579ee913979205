"""``tidegauge checklist [--as-of DATE] [--json]``: QE into a recession or into a bubble?"""

from __future__ import annotations

import click

from ._common import common_options, json_option, print_json, session


@click.command("checklist")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="Judge with the data published by this date (YYYY-MM-DD); default: today.",
)
@json_option
@common_options
def checklist_cmd(
    as_of: str | None, as_json: bool, mirror: str | None, store: str | None, lang: str
) -> None:
    """The nine-condition checklist: is the Fed stimulating a recession or a bubble?"""

    from ..analysis.asof import parse_as_of
    from ..analysis.checklist import checklist

    day = parse_as_of(as_of)  # a bad date fails before the store is opened
    from ..analysis.asof import snapshot
    from ..analysis.monetisation import INPUTS, monetisation

    with session(mirror, store) as tg:
        result = checklist(tg, day)
        snap = snapshot(tg, INPUTS, day)
    try:
        flag = monetisation(snap.data)
    except (LookupError, KeyError):  # inputs do not reach back far enough
        flag = None
    if as_json:
        payload = result.to_dict()
        payload["monetisation"] = flag.to_dict() if flag else None
        print_json(payload)
        return
    click.echo(result.summary(lang))
    if flag is not None:
        click.echo(flag.summary(lang))
