"""``tidegauge series list`` and ``tidegauge series show ID``."""

from __future__ import annotations

import click

from ..catalog import CATALOG, UNKNOWN_UNIT, normalise_id
from ..values import Day, Localized
from ._common import common_options, console, format_option, print_tables, session


@click.group("series")
def series_group() -> None:
    """The series catalog: what tidegauge knows and what the store holds."""


@series_group.command("list")
@click.option("--category", default=None, help="Only this category (balance_sheet, rates, ...).")
@format_option
@common_options
def list_cmd(
    category: str | None, fmt: str, mirror: str | None, store: str | None, lang: str
) -> None:
    """List every catalog series with its unit and frequency."""
    from ..i18n import Message
    from ..indicators.model import Column, Row, Table

    entries = [s for s in CATALOG.values() if category is None or s.category == category]
    if not entries:
        cats = sorted({s.category for s in CATALOG.values()})
        from ..errors import UsageError

        raise UsageError.t(
            "errors.catalog.unknown_category", category=category, choices=", ".join(cats)
        )
    stored: dict[str, str | None] = {}
    if store is not None or mirror is not None:
        with session(mirror, store) as tg:
            stored = {s.id: s.last_date for s in tg.store.all_series()}
    # priority: which columns a narrow terminal leaves out first (higher first)
    columns = [
        Column("id", Message("series.col_id")),
        Column("name", Message("series.col_name")),
        Column("unit", Message("series.col_unit"), priority=1),
        Column("frequency", Message("series.col_frequency"), priority=2),
        Column("category", Message("series.col_category"), priority=3),
    ]
    if stored:
        columns.append(Column("stored", Message("series.col_stored")))
    rows = []
    for s in entries:
        cells: list[object] = [
            s.id,
            Localized({str(k): v for k, v in s.name.items()}),
            Message(f"unit.{s.unit}"),
            Message(f"frequency.{s.frequency}"),
            Message(f"category.{s.category}"),
        ]
        if stored:
            last = stored.get(s.id)
            cells.append(Day(last) if last else None)
        rows.append(Row(tuple(cells)))  # type: ignore[arg-type]
    table = Table(
        "series",
        tuple(columns),
        tuple(rows),
        title=Message("series.list_title", n=len(entries)),
    )
    print_tables([table], fmt, lang)


@series_group.command("show")
@click.argument("series_id")
@click.option(
    "--last",
    "n_last",
    default=10,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="How many recent observations to show.",
)
@common_options
def show_cmd(series_id: str, n_last: int, mirror: str | None, store: str | None, lang: str) -> None:
    """Describe one series and show its latest values (fetching it first if needed).

    SERIES_ID is a catalog id or any other FRED id (units as FRED's metadata gives them with
    FRED_API_KEY, else unknown).
    """
    from rich.table import Table

    from ..i18n import catalog, t

    sid = normalise_id(series_id)  # a malformed id fails before any request
    con = console()
    with session(mirror, store) as tg:
        tg.ensure([sid])  # an id the source lacks: one line naming close catalog ids
        info = tg.info(sid)
        stored = tg.store.series(sid)
        rows = [r for r in tg.store.observations(sid) if r[1] is not None]
        source = tg.settings.mirror or tg.settings.fred_url
    known = sid in CATALOG

    def tr(key: str, text: str) -> str:  # a message if there is one (FRED's units are not)
        return t(key, lang) if key in catalog() else text

    unit = tr(f"unit.{info.unit}", info.unit)
    con.print(f"[bold]{info.id}[/bold] — {info.label(lang)}")
    con.print(
        f"  {t('series.native_unit', lang)}: {tr(f'unit.{info.native_unit}', info.native_unit)}"
    )
    con.print(f"  {t('series.canonical_unit', lang)}: {unit}")
    con.print(f"  {t('series.col_frequency', lang)}: {t(f'frequency.{info.frequency}', lang)}")
    con.print(f"  {t('series.col_category', lang)}: {t(f'category.{info.category}', lang)}")
    lag = t("series.publication_lag_value", lang, days=info.publication_lag_days)
    con.print(
        f"  {t('series.publication_lag', lang)}: {lag if known else t('series.unknown', lang)}"
    )
    con.print(f"  {t('series.source', lang)}: {source}")
    if stored is None or not rows:
        con.print(f"  {t('series.stored_range', lang)}: {t('series.not_stored', lang)}")
        return
    con.print(
        f"  {t('series.stored_range', lang)}: "
        + t(
            "series.stored_range_value",
            lang,
            n=stored.n_obs,
            first=stored.first_date,
            last=stored.last_date,
        )
    )
    con.print(f"  {t('series.fetched_at', lang)}: {stored.fetched_at[:19].replace('T', ' ')} UTC")
    if info.unit == UNKNOWN_UNIT:  # said in full above; short beside the values
        unit = t("series.unknown", lang)
    last_date, last_value = rows[-1]
    value = info.to_canonical(float(last_value))
    con.print(
        f"  [bold]{t('series.latest', lang)}: "
        + t("series.latest_value", lang, value=f"{value:,.3f}", unit=unit, date=last_date)
        + "[/bold]"
    )
    table = Table(title=t("series.recent", lang))
    table.add_column(t("series.col_date", lang))
    table.add_column(f"{t('series.col_value', lang)} ({unit})", justify="right")
    for d, v in rows[-n_last:]:
        table.add_row(d, f"{info.to_canonical(float(v)):,.3f}")
    con.print(table)
