"""``tidegauge export IDS... --out FILE [--format csv|xlsx|parquet]``."""

from __future__ import annotations

import click

from ._common import common_options, console, session


@click.command("export")
@click.argument("ids", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "parquet"]),
    default=None,
    help="Output format (default: from the --out suffix: .csv, .xlsx, .parquet).",
)
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="File to write.")
@click.option("--start", default=None, metavar="DATE", help="First date (YYYY-MM-DD).")
@click.option("--end", default=None, metavar="DATE", help="Last date (YYYY-MM-DD).")
@common_options
def export_cmd(
    ids: tuple[str, ...],
    fmt: str | None,
    out: str,
    start: str | None,
    end: str | None,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """Write series in canonical units (USD billions, percent) with unit metadata.

    CSV is plain (pandas.read_csv and spreadsheets read it as is); its metadata (name, unit,
    as-of date of each column) goes to FILE-metadata.json beside it. XLSX is a real workbook
    with an 'about' sheet; Parquet keeps the metadata on each field.
    IDS are catalog ids or any other FRED ids (kept as published).
    """
    from pathlib import Path

    from ..catalog import normalise_ids
    from ..export import export_format
    from ..i18n import t

    export_format(Path(out), fmt)  # a bad suffix or format fails before any fetch
    series_ids = normalise_ids(ids)  # malformed ids fail before any request
    with session(mirror, store) as tg:
        df = tg.load(series_ids, start, end)
        from ..errors import NoDataError

        if df.empty:
            raise NoDataError.t("errors.data.nothing_to_export")
        from ..export import write_export

        path = write_export(df, Path(out), fmt)
    console().print(t("export.written", lang, n=len(series_ids), rows=len(df), path=path))
