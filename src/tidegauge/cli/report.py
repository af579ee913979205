"""``tidegauge report``: update the store, print the terminal summary, write the HTML report
(and optionally Markdown and chart files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ._common import common_options, console, session

DEFAULT_HTML = "tidegauge-report.html"


def default_html(lang: str) -> str:
    """The report file when ``--html`` is not given: one per language, so that a report in
    another language never overwrites the English one (``tidegauge-report.zh-TW.html``)."""
    return DEFAULT_HTML if lang == "en" else DEFAULT_HTML.replace(".html", f".{lang}.html")


class _Offline(Exception):
    """The first series of the update failed: stop trying the others."""


def _check_file(path: str, suffixes: tuple[str, ...], option: str) -> Path:
    from ..errors import UsageError

    out = Path(path).expanduser()
    if out.suffix.lower() not in suffixes:
        raise UsageError.t(
            "errors.files.suffix", option=option, path=path, suffixes=" / ".join(suffixes)
        )
    if out.is_dir():
        raise UsageError.t("errors.files.is_dir", option=option, path=path)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError.t("errors.files.no_folder", option=option, path=str(parent))
    return out


def _check_dir(path: str) -> Path:
    from ..errors import UsageError

    out = Path(path).expanduser()
    if out.exists() and not out.is_dir():
        raise UsageError.t("errors.files.charts_is_file", path=path)
    if not out.exists() and not out.parent.is_dir():
        raise UsageError.t("errors.files.no_folder", option="--charts", path=str(out.parent))
    return out


def _has_data(tg: Any) -> bool:
    return any(s.last_date for s in tg.store.all_series())


def _update(tg: Any, lang: str) -> None:
    """Update the whole catalog incrementally with a progress bar on stderr.

    When the first series fails (no network, proxy, FRED down) the rest is not tried. With
    nothing stored that is an error; otherwise one warning line and the report uses the store.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..catalog import CATALOG
    from ..errors import SourceError
    from ..i18n import t
    from ..sources.base import describe

    seen: list[Any] = []

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[current]}"),
        console=console(stderr=True),
        transient=True,
    )

    error: Any = None  # the first failure (a SourceError, or its text)
    failed: list[Any] = []
    with progress:
        task = progress.add_task(
            t("report.terminal.updating", lang, source=describe(tg.source)),
            total=len(CATALOG),
            current="",
        )

        def on_result(r: Any) -> None:
            seen.append(r)
            progress.update(task, advance=1, current=r.series_id)
            if r.status == "failed" and len(seen) == 1:
                raise _Offline(r)

        try:
            report = tg.update(None, on_result=on_result)
            failed = report.failed
        except _Offline as exc:
            error = exc.args[0].exc or exc.args[0].error or "unknown error"
            failed = seen
    if error is None and failed:
        error = failed[0].exc or failed[0].error or "unknown error"
    if error is None:
        return
    if not _has_data(tg):
        raise SourceError.t("report.terminal.no_data_offline", error=error)
    n = len(CATALOG) - len(seen) + len(failed) if len(seen) == 1 else len(failed)
    if isinstance(error, SourceError):
        error = error.message(lang)
    message = t("report.terminal.update_failed", lang, n=n, error=" ".join(str(error).split()))
    click.echo(message, err=True)


def _from_cache(tg: Any, lang: str, day: Any, model_key: str) -> tuple[Any, str | None, Any]:
    """``(report, page, specs)`` from the cache: the model of a store that has not changed since
    the last report (nor any freshness mark since: see ``indicators/report_cache.py``) with its
    HTML page, else with its charts' specifications; ``(None, None, None)`` when one is missing
    (a cached model has no chart data, so it is used only with one of them)."""
    from ..indicators.report_cache import load_report
    from ..presentation.chartcache import chart_key, load_page, load_specs, page_key

    rep = load_report(model_key, lang)
    if rep is None:
        return None, None, None
    key = chart_key(tg, tuple(rep.series_as_of), lang=lang, as_of=day)
    page = load_page(page_key(model_key, key))
    if page is not None:
        return rep, page, None
    specs = load_specs(key)
    return (rep, None, specs) if specs is not None else (None, None, None)


@click.command("report")
@click.option(
    "--html",
    "html_path",
    default=None,
    metavar="FILE",
    help=f"Where to write the self-contained HTML report (default: ./{DEFAULT_HTML}, or "
    "./tidegauge-report.LANG.html for --lang zh-TW / zh-CN).",
)
@click.option(
    "--md",
    "md_path",
    default=None,
    metavar="FILE",
    help="Also write a Markdown report with PNG charts.",
)
@click.option(
    "--charts",
    "charts_dir",
    default=None,
    metavar="DIR",
    help="Write every chart as PNG and SVG into DIR (with --md, the Markdown's PNGs go here).",
)
@click.option("--no-update", is_flag=True, help="Report from the store without updating it.")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="Use only data published by DATE (YYYY-MM-DD); default: everything stored.",
)
@common_options
def report_cmd(
    html_path: str | None,
    md_path: str | None,
    charts_dir: str | None,
    no_update: bool,
    as_of: str | None,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """Update the store, print a summary of every headline figure (unit and as-of date) and
    the checklist verdict, and write the full HTML report (offline, self-contained)."""
    import datetime as dt

    from ..analysis.asof import parse_as_of
    from ..errors import NoDataError, UsageError
    from ..i18n import t

    day = parse_as_of(as_of)  # bad input fails before any work
    if day is not None and day > dt.date.today():
        raise UsageError.t("errors.dates.as_of_future", day=day)
    html_out = _check_file(html_path or default_html(lang), (".html", ".htm"), "--html")
    md_out = _check_file(md_path, (".md", ".markdown"), "--md") if md_path else None
    chart_folder = _check_dir(charts_dir) if charts_dir else None

    from ..indicators.report_cache import report_key, save_report
    from ..presentation.chartcache import chart_key, load_specs, page_key, save_page, save_specs

    faces_only = md_out is None and chart_folder is None
    with session(mirror, store) as tg:
        if not no_update:
            _update(tg, lang)
        elif not _has_data(tg):
            raise NoDataError.t("report.terminal.no_data")
        model_key = report_key(tg, lang, as_of=day)
        rep, page, specs = _from_cache(tg, lang, day, model_key) if faces_only else (None,) * 3
        if rep is None:
            rep = tg.report(as_of=day)
            save_report(model_key, rep, lang)
        key = chart_key(tg, tuple(rep.series_as_of), lang=lang, as_of=day)

    # Charts: from the cache when the store has not changed since the last report (the HTML
    # needs only their specifications); built otherwise, and always for PNG/SVG.
    if page is None and specs is None and faces_only:
        specs = load_specs(key)
    charts: dict[str, Any] = {}
    if page is None and specs is None:
        from ..presentation.charts.build import section_charts, spec_of

        charts = section_charts(rep.sections, lang)
        specs = {name: spec_of(chart) for name, chart in charts.items()}
        save_specs(key, specs)
    footer: list[str] = []
    files: list[Path] = []
    if chart_folder is not None:
        from ..presentation.markdown import write_chart_files

        files = write_chart_files(charts, chart_folder)
        footer.append(t("report.terminal.charts_written", lang, n=len(files), path=chart_folder))
    if md_out is not None:
        from ..presentation.markdown import write_markdown

        write_markdown(rep, md_out, lang, charts, chart_dir=chart_folder, rendered=files)
        footer.append(t("report.terminal.markdown_written", lang, path=md_out))
    if page is None:
        from ..presentation.html import render_report

        page = render_report(rep, lang, specs)
        save_page(page_key(model_key, key), page)  # a function of the model and the charts
    html_out.write_text(page, encoding="utf-8")
    footer.append(t("report.terminal.written", lang, path=html_out.resolve()))

    from ..presentation.terminal import print_report

    print_report(rep, lang, console(), footer=footer)
