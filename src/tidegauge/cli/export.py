"""``tidegauge export IDS... --format csv|parquet --out FILE``."""

from __future__ import annotations

import click

from ._common import common_options, console, session


@click.command("export")
@click.argument("ids", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="Output format.",
)
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="File to write.")
@click.option("--start", default=None, metavar="DATE", help="First date (YYYY-MM-DD).")
@click.option("--end", default=None, metavar="DATE", help="Last date (YYYY-MM-DD).")
@common_options
def export_cmd(
    ids: tuple[str, ...],
    fmt: str,
    out: str,
    start: str | None,
    end: str | None,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """Write series in canonical units (USD billions, percent) with unit metadata.

    IDS are catalog ids or any other FRED ids (kept as published).
    """
    from ..catalog import normalise_ids
    from ..i18n import t

    series_ids = normalise_ids(ids)  # malformed ids fail before any request
    with session(mirror, store) as tg:
        df = tg.load(series_ids, start, end)
        from ..errors import NoDataError

        if df.empty:
            raise NoDataError.t("errors.data.nothing_to_export")
        from pathlib import Path

        from ..export import write_export

        path = write_export(df, Path(out), fmt)
    console().print(t("export.written", lang, n=len(series_ids), rows=len(df), path=path))
