"""Daily Treasury Statement source: the Treasury General Account's daily closing balance.

The Treasury publishes its cash position every business day in the Daily Treasury Statement
(DTS), about 16:00 ET the next business day. Catalog id ``DTS_TGA`` is the closing balance of
the Treasury General Account (TGA) at the Federal Reserve, in **USD millions** (the DTS is
"rounded in millions"; the catalog scales it to billions).

Online it comes from the Fiscal Data API (no key), one dataset, paged::

    GET {base}/v1/accounting/dts/operating_cash_balance
        ?filter=account_type:eq:Treasury General Account (TGA) Closing Balance
                [,record_date:gte:START][,record_date:lte:END]
        &fields=record_date,open_today_bal
        &sort=record_date
        &page[number]=N&page[size]=SIZE

Since the DTS format of October 2021 the row of account type "Treasury General Account (TGA)
Closing Balance" carries the day's **closing** balance in the field ``open_today_bal`` (the
columns keep the names of the older table). The answer is ``{"data": [...], "meta": {"count",
"total-count", "total-pages", ...}, "links": {...}}``; amounts are strings, a missing one is
``"null"``. Pages are requested up to ``meta["total-pages"]`` and every page must agree on
``total-count`` (otherwise the data changed while paging and nothing is stored).

Offline, the same series is read from ``DTS_TGA_closing_balance_daily.csv`` (header
``record_date,tga_closing_balance_usd_mn``, business days): ``TIDEGAUGE_DTS_MIRROR`` names its
folder, or, when a FRED mirror is set, the mirror folder itself or its sibling ``other/`` folder
(as for :mod:`~tidegauge.sources.datahub`). ``TIDEGAUGE_DTS_URL`` overrides the API's base URL
(tests point it at a server on 127.0.0.1).

On every Wednesday the DTS closing balance equals the H.4.1 Wednesday level of the TGA (FRED
``WDTGAL``): both are the balance at the close of business.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..config import Settings
from ..errors import ConfigError, NotInSource, ParseError, SourceError
from .base import BaseSource, KnownState, Observation, Query, RawPayload
from .csvparse import parse_date, parse_value
from .limits import read_file

if TYPE_CHECKING:
    from .http import HttpClient

__all__ = [
    "ACCOUNT_TYPE",
    "DEFAULT_URL",
    "ENDPOINT",
    "MIRROR_FILE",
    "DtsSource",
    "make_dts_source",
    "parse_dts_csv",
    "parse_dts_pages",
]

DEFAULT_URL = "https://api.fiscaldata.treasury.gov/services/api/fiscal_service"
"""Base URL of the Fiscal Data API (``TIDEGAUGE_DTS_URL`` overrides it)."""
ENDPOINT = "/v1/accounting/dts/operating_cash_balance"
ACCOUNT_TYPE = "Treasury General Account (TGA) Closing Balance"
VALUE_FIELD = "open_today_bal"
"""The field that holds the closing balance in the TGA closing-balance row (see module doc)."""
MIRROR_FILE = "DTS_TGA_closing_balance_daily.csv"
MIRROR_HEADER = ("record_date", "tga_closing_balance_usd_mn")
SERIES: dict[str, str] = {"DTS_TGA": ACCOUNT_TYPE}
"""Catalog id → account type of ``operating_cash_balance``."""
ENV_URL = "TIDEGAUGE_DTS_URL"
ENV_MIRROR = "TIDEGAUGE_DTS_MIRROR"
PAGE_SEP = b"\x1e"
"""Joins the pages of one fetch in its payload (a control character valid JSON never holds)."""
MAX_PAGES = 10_000
"""A server that claims more pages than this is not believed (no endless paging)."""

_MISSING = {"", "null"}


def _date(text: Any, series_id: str, where: int) -> dt.date:
    """An observation date (ISO, within ``EARLIEST..LATEST``), as the FRED parsers check it."""
    if not isinstance(text, str):
        raise ParseError.t(
            "errors.parse.malformed_date", series_id=series_id, text=str(text)[:20], line=where
        )
    return parse_date(text.strip(), series_id, where)


def _value(text: Any, series_id: str, where: int) -> float | None:
    """An amount: ``None`` for ``null`` or an empty field, else a finite ASCII decimal."""
    if text is None or (isinstance(text, str) and text.strip() in _MISSING):
        return None
    if not isinstance(text, str):
        raise ParseError.t(
            "errors.parse.malformed_value", series_id=series_id, text=str(text)[:20], line=where
        )
    return parse_value(text, series_id, where)


def _in_order(obs: list[Observation], series_id: str) -> list[Observation]:
    for i in range(1, len(obs)):
        if obs[i].date <= obs[i - 1].date:
            raise ParseError.t("errors.parse.out_of_order", series_id=series_id, line=i + 1)
    return obs


def parse_dts_csv(body: bytes | str, series_id: str = "DTS_TGA") -> list[Observation]:
    """The mirror file (``record_date,tga_closing_balance_usd_mn``) as observations in USD
    millions.

    Examples
    --------
    >>> [(o.date.isoformat(), o.value) for o in parse_dts_csv(
    ...     "record_date,tga_closing_balance_usd_mn\\n2024-06-26,744206\\n")]
    [('2024-06-26', 744206.0)]
    """
    try:
        text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise ParseError.t("errors.parse.not_utf8", series_id=series_id) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ParseError.t("errors.parse.empty", series_id=series_id)
    if tuple(c.strip() for c in rows[0]) != MIRROR_HEADER:
        raise ParseError.t("errors.dts.not_dts_csv", series_id=series_id, header=",".join(rows[0]))
    out: list[Observation] = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != 2:
            raise ParseError.t(
                "errors.parse.field_count", series_id=series_id, line=lineno, got=len(row)
            )
        out.append(
            Observation(_date(row[0].strip(), series_id, lineno), _value(row[1], series_id, lineno))
        )
    return _in_order(out, series_id)


def _page(body: bytes, series_id: str) -> tuple[list[dict[str, Any]], int, int]:
    """``(rows, total_count, total_pages)`` of one API page, or :class:`ParseError`."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ParseError.t("errors.parse.not_json", series_id=series_id) from None
    try:
        rows, meta = doc["data"], doc["meta"]
        total, pages = meta["total-count"], meta["total-pages"]
    except (KeyError, TypeError):
        raise ParseError.t("errors.parse.unexpected_api", series_id=series_id) from None
    ints = all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (total, pages))
    if not isinstance(rows, list) or not ints or pages > MAX_PAGES:
        raise ParseError.t("errors.parse.unexpected_api", series_id=series_id)
    return rows, total, pages


def parse_dts_pages(pages: list[bytes], series_id: str = "DTS_TGA") -> list[Observation]:
    """Every page of an ``operating_cash_balance`` answer as observations in USD millions.

    Raises
    ------
    ParseError
        A page is not the API's JSON, the pages disagree on ``total-count`` (the data changed
        while paging), the rows do not add up to it, a date or an amount is malformed, or the
        dates are not strictly increasing.
    """
    out: list[Observation] = []
    expected: int | None = None
    for body in pages:
        rows, total, _ = _page(body, series_id)
        if expected is not None and total != expected:
            raise ParseError.t(
                "errors.vintages.count_changed", series_id=series_id, before=expected, now=total
            )
        expected = total
        for row in rows:
            n = len(out) + 1
            if not isinstance(row, dict):
                raise ParseError.t("errors.parse.malformed_observation", series_id=series_id, n=n)
            out.append(
                Observation(
                    _date(row.get("record_date"), series_id, n),
                    _value(row.get(VALUE_FIELD), series_id, n),
                )
            )
    if expected is not None and len(out) != expected:
        raise ParseError.t("errors.dts.short", series_id=series_id, got=len(out), count=expected)
    return _in_order(out, series_id)


class DtsSource(BaseSource):
    """The Daily Treasury Statement: the Fiscal Data API, or the mirror file offline."""

    name = "dts"
    aliases: ClassVar[dict[str, str]] = {"start": "record_date:gte", "end": "record_date:lte"}
    page_size: ClassVar[int] = 1000
    """Rows per request (the API allows up to 10,000)."""

    def __init__(self, settings: Settings, *, base_url: str | None = None) -> None:
        self.settings = settings
        self.folder = _find_folder(settings)
        self.base = (base_url or os.environ.get(ENV_URL) or DEFAULT_URL).rstrip("/")
        self._client: HttpClient | None = None
        self.description = f"DTS {self.folder}" if self.folder else f"DTS ({self.base})"

    def params(self, query: Query) -> dict[str, str]:
        """The API's query: the account filter, the window, fields and order (page added later).

        >>> DtsSource(Settings(), base_url="http://127.0.0.1:1").params(
        ...     Query("DTS_TGA", dt.date(2024, 6, 1)))["filter"]
        'account_type:eq:Treasury General Account (TGA) Closing Balance,record_date:gte:2024-06-01'
        """
        filters = [f"account_type:eq:{SERIES[query.series_id]}"]
        for key, value in (("start", query.start), ("end", query.end)):
            if value is not None:
                filters.append(f"{self.aliases[key]}:{value.isoformat()}")
        return {
            "filter": ",".join(filters),
            "fields": f"record_date,{VALUE_FIELD}",
            "sort": "record_date",
            "page[size]": str(self.page_size),
        }

    def fetch(self, query: Query, known: KnownState | None = None) -> RawPayload:
        if query.series_id not in SERIES:
            raise NotInSource.t("errors.dts.unknown", series_id=query.series_id)
        if self.folder is not None:
            path = self.folder / MIRROR_FILE
            try:
                body = read_file(path, self.settings.max_file_bytes, query.series_id)
                return RawPayload(body, "csv", requests=0)
            except FileNotFoundError:
                raise NotInSource.t(
                    "errors.dts.file_missing",
                    series_id=query.series_id,
                    file=MIRROR_FILE,
                    folder=self.folder,
                ) from None
        if self.settings.mirror is not None:
            raise NotInSource.t(
                "errors.dts.beside_mirror", series_id=query.series_id, file=MIRROR_FILE
            )
        client = self._http()
        before = client.counters.requests
        params, pages, number, total_pages = self.params(query), [], 1, 1
        size, limit = 0, self.settings.max_body_bytes
        while number <= total_pages:
            response = client.get(f"{self.base}{ENDPOINT}", {**params, "page[number]": str(number)})
            size += len(response.content)
            if size > limit:  # the pages together are bounded like one body
                raise SourceError.t("errors.http.too_large", host=self.base, mb=limit / 1e6)
            pages.append(response.content)
            _, _, total_pages = _page(response.content, query.series_id)
            number += 1
        return RawPayload(PAGE_SEP.join(pages), "dts-pages", client.counters.requests - before)

    def parse(self, query: Query, raw: RawPayload) -> list[Observation]:
        if raw.kind == "csv":
            obs = parse_dts_csv(raw.body, query.series_id)
            if query.start is not None:
                obs = [o for o in obs if o.date >= query.start]
            if query.end is not None:
                obs = [o for o in obs if o.date <= query.end]
            return obs
        return parse_dts_pages(raw.body.split(PAGE_SEP), query.series_id)

    def _http(self) -> HttpClient:
        if self._client is None:
            from .http import HttpClient

            s = self.settings
            self._client = HttpClient(
                rate=s.rate,
                timeout=s.timeout,
                max_attempts=s.max_attempts,
                max_total=s.max_total,
                backoff_base=s.backoff_base,
                backoff_max=s.backoff_max,
                max_body=s.max_body_bytes,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def _find_folder(settings: Settings) -> Path | None:
    explicit = os.environ.get(ENV_MIRROR)
    if explicit:
        folder = Path(explicit).expanduser()
        if not folder.is_dir():
            raise ConfigError.t("errors.dts.mirror_not_dir", path=explicit)
        return folder
    if settings.mirror is None:
        return None
    for candidate in (settings.mirror, settings.mirror.parent / "other"):
        if (candidate / MIRROR_FILE).is_file():
            return candidate
    return None


def make_dts_source(settings: Settings) -> DtsSource:
    """The Daily Treasury Statement: the mirror file when one is found, else the Fiscal Data
    API over HTTP."""
    return DtsSource(settings)
