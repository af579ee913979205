"""Datahub source: the long monthly S&P 500 (Shiller: price, dividends, earnings, CAPE) and gold.

These histories are not on FRED (FRED's SP500 covers only ten years, without dividends). They come
from the open datasets ``datasets/s-and-p-500`` (``data/data.csv``) and ``datasets/gold-prices``
(``data/monthly.csv``). Offline, the same files are read from a folder:
``TIDEGAUGE_DATAHUB_MIRROR``, or, when a FRED mirror is set, the mirror folder itself or its
sibling ``other/`` folder.

In the S&P file the newest months carry ``0.0`` placeholders for dividends, earnings and CAPE that
are not yet available (and CAPE is ``0.0`` for the first ten years): a ``0.0`` in those columns is
read as missing, never as a value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Settings
from ..errors import ConfigError, NotInSource, ParseError
from .base import BaseSource, KnownState, Observation, Query, RawPayload
from .csvparse import parse_date, parse_value
from .filestamp import make_stamp, same_content, same_key, stat_key
from .limits import read_file

if TYPE_CHECKING:
    from .http import HttpClient

DEFAULT_URLS = {
    "s-and-p-500_monthly.csv": "https://raw.githubusercontent.com/datasets/s-and-p-500/main/data/data.csv",
    "gold-prices_monthly.csv": "https://raw.githubusercontent.com/datasets/gold-prices/main/data/monthly.csv",
}


@dataclass(frozen=True)
class Column:
    file: str
    column: str
    zero_is_missing: bool


COLUMNS: dict[str, Column] = {
    "SPX_SHILLER": Column("s-and-p-500_monthly.csv", "SP500", False),
    "SPX_DIV": Column("s-and-p-500_monthly.csv", "Dividend", True),
    "SPX_EARN": Column("s-and-p-500_monthly.csv", "Earnings", True),
    "SPX_CAPE": Column("s-and-p-500_monthly.csv", "PE10", True),
    "GOLD": Column("gold-prices_monthly.csv", "Price", False),
}
"""Catalog id → file and column."""


def _parse_month(text: str, series_id: str, lineno: int) -> dt.date:
    text = text.strip()
    return parse_date(text + "-01" if len(text) == 7 else text, series_id, lineno)


def parse_datahub_csv(body: bytes | str, series_id: str) -> list[Observation]:
    """Parse one column of a datahub CSV (header row with ``Date`` and the column's name)."""
    spec = COLUMNS[series_id]
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ParseError.t("errors.parse.empty", series_id=series_id) from None
    if "Date" not in header or spec.column not in header:
        raise ParseError.t("errors.parse.not_datahub", series_id=series_id, column=spec.column)
    di, vi = header.index("Date"), header.index(spec.column)
    out: list[Observation] = []
    previous: dt.date | None = None
    for lineno, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise ParseError.t(
                "errors.parse.field_count_n", series_id=series_id, n=len(header), line=lineno
            )
        date = _parse_month(row[di], series_id, lineno)
        if previous is not None and date <= previous:
            raise ParseError.t("errors.parse.out_of_order", series_id=series_id, line=lineno)
        previous = date
        value = parse_value(row[vi], series_id, lineno)
        if spec.zero_is_missing and value == 0:
            value = None
        out.append(Observation(date, value))
    return out


class DatahubSource(BaseSource):
    """Reads the datahub files from a folder (offline) or over HTTP."""

    name = "datahub"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.folder = _find_folder(settings)
        self._client: HttpClient | None = None
        self.description = f"datahub {self.folder}" if self.folder else "datahub (GitHub)"

    def fetch(self, query: Query, known: KnownState | None = None) -> RawPayload:
        spec = COLUMNS.get(query.series_id)
        if spec is None:
            raise NotInSource.t("errors.source.not_datahub", series_id=query.series_id)
        if self.folder is not None:
            path = self.folder / spec.file
            known_stamp = known.stamp if known is not None else None
            key = stat_key(path)
            if same_key(known_stamp, key):  # the file is as it was at the last fetch
                return RawPayload(b"", "unchanged", requests=0, stamp=known_stamp)
            try:
                body = read_file(path, self.settings.max_file_bytes, query.series_id)
                stamp = make_stamp(key, body)
                if same_content(known_stamp, stamp):
                    return RawPayload(b"", "unchanged", requests=0, stamp=stamp)
                return RawPayload(body, "csv", requests=0, stamp=stamp)
            except FileNotFoundError:
                raise NotInSource.t(
                    "errors.source.datahub_file_missing",
                    series_id=query.series_id,
                    file=spec.file,
                    folder=self.folder,
                ) from None
        if self.settings.mirror is not None:
            raise NotInSource.t(
                "errors.source.datahub_beside_mirror", series_id=query.series_id, file=spec.file
            )
        if self._client is None:
            from .http import HttpClient

            self._client = HttpClient(
                rate=self.settings.rate,
                timeout=self.settings.timeout,
                max_attempts=self.settings.max_attempts,
                max_total=self.settings.max_total,
                max_body=self.settings.max_body_bytes,
            )
        response = self._client.get(DEFAULT_URLS[spec.file], {})
        return RawPayload(response.content, "csv")

    def parse(self, query: Query, raw: RawPayload) -> list[Observation]:
        obs = parse_datahub_csv(raw.body, query.series_id)
        if query.start is not None:
            obs = [o for o in obs if o.date >= query.start]
        return obs

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def _find_folder(settings: Settings) -> Path | None:
    import os

    explicit = os.environ.get("TIDEGAUGE_DATAHUB_MIRROR")
    if explicit:
        folder = Path(explicit).expanduser()
        if not folder.is_dir():
            raise ConfigError.t("errors.config.datahub_not_dir", path=explicit)
        return folder
    if settings.mirror is None:
        return None
    for candidate in (settings.mirror, settings.mirror.parent / "other"):
        if any((candidate / c.file).is_file() for c in COLUMNS.values()):
            return candidate
    return None


def make_datahub_source(settings: Settings) -> DatahubSource:
    """The datahub files: a local folder when one is found, else GitHub over HTTP."""
    return DatahubSource(settings)
