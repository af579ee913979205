"""``tidegauge update [IDS...]``: fetch incrementally into the store, with a progress bar;
``--vintages`` imports every ALFRED vintage instead (FRED API)."""

from __future__ import annotations

from typing import Any

import click

from ._common import common_options, console, session

NETWORK_KEYS = ("errors.http.network", "errors.http.unreachable", "errors.http.timed_out")
"""Errors that all mean "the source could not be reached"."""


def failure_kinds(results: list[Any], lang: str) -> dict[str, list[Any]]:
    """Failed results grouped by kind of error (its message key; every network failure is one
    kind), so that an offline update says so once instead of once per series."""
    out: dict[str, list[Any]] = {}
    for r in results:
        if r.status != "failed":
            continue
        key = getattr(r.exc, "key", None)
        if key is None:
            key = (r.note(lang) or r.error or "").split(":")[0].strip()
        out.setdefault("network" if key in NETWORK_KEYS else key, []).append(r)
    return out


@click.command("update")
@click.argument("ids", nargs=-1)
@click.option("--full", is_flag=True, help="Refetch whole histories instead of the recent window.")
@click.option(
    "--vintages",
    is_flag=True,
    help="Import every ALFRED vintage (what FRED published on each day), replacing the stored "
    "history; needs FRED_API_KEY.",
)
@common_options
def update_cmd(
    ids: tuple[str, ...],
    full: bool,
    vintages: bool,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """Fetch IDS (any FRED id; default: the whole catalog) into the store, incrementally.

    With --vintages, every ALFRED vintage of each FRED series is imported with its real-time
    period, so that --as-of answers show what was published on that day (see docs/vintages.md).

    Exit code 1 when any series failed (the others are still stored).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from ..catalog import CATALOG, normalise_ids, unknown_series
    from ..errors import NotInSource
    from ..i18n import t
    from ..updater import vintage_fetcher

    series_ids = normalise_ids(ids) if ids else None  # malformed ids fail before any fetch
    total = len(series_ids) if series_ids else len(CATALOG)
    con = console()
    with session(mirror, store) as tg:
        source_desc = getattr(tg.source, "description", tg.source.name)
        if vintages:
            vintage_fetcher(tg.source)  # no FRED API: one-line error before any progress bar
        _check_mirror_has(tg.source, series_ids or [])
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
                t("vintages.progress" if vintages else "update.progress", lang, source=source_desc),
                total=total,
                current="",
            )
            report = tg.update(
                series_ids,
                full=full,
                vintages=vintages,
                on_result=lambda r: progress.update(task, advance=1, current=r.series_id),
            )
        store_path = tg.settings.store_path
    title = "vintages.title" if vintages else "update.title"
    table = Table(title=t(title, lang, source=report.source))
    columns = [
        ("update.col_series", "left"),
        ("update.col_status", "left"),
        ("update.col_new", "right"),
        ("vintages.col_revisions" if vintages else "update.col_revised", "right"),
    ]
    if vintages:
        columns += [("vintages.col_vintages", "right"), ("vintages.col_since", "left")]
    columns += [("update.col_last", "left"), ("update.col_note", "left")]
    for key, justify in columns:
        table.add_column(t(key, lang), justify=justify)  # type: ignore[arg-type]
    failures = failure_kinds(report.results, lang)
    grouped = {r.series_id for rows in failures.values() if len(rows) > 1 for r in rows}
    shown = [r for r in report.results if r.series_id not in grouped]
    for r in shown:
        status = t(f"update.status_{r.status}", lang)
        if r.status == "failed":
            status = f"[red]{status}[/red]"
        cells = [r.series_id, status, str(r.new), str(r.revised)]
        if vintages:
            cells += [str(r.vintages), r.first_vintage or "—"]
        table.add_row(*cells, r.last_date or "—", r.note(lang))
    if shown:
        con.print(table)
    for rows in failures.values():  # one line per kind of failure shared by several series
        if len(rows) > 1:
            names = ", ".join(r.series_id for r in rows[:8])
            more = t("update.and_more", lang, n=len(rows) - 8) if len(rows) > 8 else ""
            con.print(
                t(
                    "update.failed_kind",
                    lang,
                    n=len(rows),
                    ids=names + more,
                    error=rows[0].note(lang),
                ),
                style="red",
                soft_wrap=True,
            )
    counts = {
        s: sum(1 for r in report.results if r.status == s)
        for s in ("ok", "unchanged", "skipped", "failed")
    }
    totals = {
        "skipped": counts["skipped"],
        "failed": counts["failed"],
        "requests": report.requests,
        "kb": f"{report.bytes / 1000:,.1f}",
    }
    if vintages:
        con.print(
            t(
                "vintages.summary",
                lang,
                ok=counts["ok"],
                rows=sum(r.vintages for r in report.results),
                revisions=sum(r.revised for r in report.results),
                **totals,
            )
        )
    else:
        con.print(
            t(
                "update.summary",
                lang,
                ok=counts["ok"] + counts["unchanged"],
                new=sum(r.new for r in report.results),
                revised=sum(r.revised for r in report.results),
                **totals,
            )
        )
    con.print(t("update.store", lang, path=store_path))
    if report.failed:
        if any(
            "network" in (r.error or "") or "timed out" in (r.error or "") for r in report.failed
        ):
            console(stderr=True).print(t("update.offline_hint", lang))
        for r in report.failed:  # an id neither the catalog nor the source knows: exit 2
            if r.series_id not in CATALOG and isinstance(r.exc, NotInSource):
                raise unknown_series(r.series_id, r.exc)
        raise SystemExit(1)


def _check_mirror_has(source: Any, series_ids: list[str]) -> None:
    """An id outside the catalog that a mirror lacks: a one-line error before the progress bar
    (FRED itself can only answer during the update; the error then follows the table)."""
    from ..catalog import CATALOG, unknown_series
    from ..errors import NotInSource
    from ..sources.base import Query

    has = getattr(source, "has", None)
    if not callable(has):
        return
    for sid in series_ids:
        if sid not in CATALOG and not has(sid):
            try:
                source.fetch(Query(sid))  # the mirror's own "not in mirror DIR"
            except NotInSource as exc:
                raise unknown_series(sid, exc) from None
