"""``tidegauge update [IDS...]``: fetch incrementally into the store, with a progress bar."""

from __future__ import annotations

import click

from ._common import common_options, console, session


@click.command("update")
@click.argument("ids", nargs=-1)
@click.option("--full", is_flag=True, help="Refetch whole histories instead of the recent window.")
@common_options
def update_cmd(
    ids: tuple[str, ...], full: bool, mirror: str | None, store: str | None, lang: str
) -> None:
    """Fetch IDS (default: the whole catalog) into the store, incrementally.

    Exit code 1 when any series failed (the others are still stored).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from ..catalog import resolve_ids
    from ..presentation.i18n import t

    series_ids = resolve_ids(ids) if ids else None  # unknown ids fail before any fetch
    total = len(series_ids) if series_ids else len(resolve_ids(None))
    con = console()
    with session(mirror, store) as tg:
        source_desc = getattr(tg.source, "description", tg.source.name)
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}"),
            console=console(stderr=True),
            transient=True,
        )
        with progress:
            task = progress.add_task(
                t("update.progress", lang, source=source_desc), total=total, current=""
            )
            report = tg.update(
                series_ids,
                full=full,
                on_result=lambda r: progress.update(task, advance=1, current=r.series_id),
            )
        store_path = tg.settings.store_path
    table = Table(title=t("update.title", lang, source=report.source))
    for col, justify in (
        ("col_series", "left"),
        ("col_status", "left"),
        ("col_new", "right"),
        ("col_revised", "right"),
        ("col_last", "left"),
        ("col_note", "left"),
    ):
        table.add_column(t(f"update.{col}", lang), justify=justify)  # type: ignore[arg-type]
    for r in report.results:
        status = t(f"update.status_{r.status}", lang)
        if r.status == "failed":
            status = f"[red]{status}[/red]"
        table.add_row(
            r.series_id, status, str(r.new), str(r.revised), r.last_date or "—", r.note(lang)
        )
    con.print(table)
    counts = {
        s: sum(1 for r in report.results if r.status == s)
        for s in ("ok", "unchanged", "skipped", "failed")
    }
    con.print(
        t(
            "update.summary",
            lang,
            ok=counts["ok"] + counts["unchanged"],
            skipped=counts["skipped"],
            failed=counts["failed"],
            new=sum(r.new for r in report.results),
            revised=sum(r.revised for r in report.results),
            requests=report.requests,
            kb=f"{report.bytes / 1000:,.1f}",
        )
    )
    con.print(t("update.store", lang, path=store_path))
    if report.failed:
        if any(
            "network" in (r.error or "") or "timed out" in (r.error or "") for r in report.failed
        ):
            console(stderr=True).print(t("update.offline_hint", lang))
        raise SystemExit(1)
