"""FRED source: the public CSV download without a key, the FRED API with ``FRED_API_KEY``.

Without a key: ``GET {fred_url}/graph/fredgraph.csv?id=ID&cosd=START&coed=END``, one series per
request. With a key: ``GET {fred_api_url}/series`` for metadata (title, units, frequency,
``last_updated``; a series whose ``last_updated`` has not changed is not downloaded again) and
``GET {fred_api_url}/series/observations`` for the values.

With a key, :meth:`FredApiSource.vintages` also fetches every ALFRED vintage of a series
(``realtime_start=1776-07-04&realtime_end=9999-12-31&output_type=1``: one row per observation
date and real-time period), page by page (``limit``/``offset``), and checks that the periods of
each date neither overlap nor come out of order before anything is stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, ClassVar

from ..config import Settings
from ..errors import NotInSource, ParseError, SourceError
from .base import (
    BaseSource,
    FetchResult,
    KnownState,
    Observation,
    Query,
    RawPayload,
    SeriesMeta,
)
from .csvparse import parse_fred_columns, parse_fred_json
from .http import HttpClient, redact

ALFRED_START = "1776-07-04"
ALFRED_END = "9999-12-31"
"""The widest real-time period the API accepts: every vintage."""
PAGE_LIMIT = 100_000
"""Most rows the API returns per request (its maximum ``limit``)."""


class FredCsvSource(BaseSource):
    """FRED's public ``fredgraph.csv`` download (no key)."""

    name = "fred"
    aliases: ClassVar[dict[str, str]] = {"series_id": "id", "start": "cosd", "end": "coed"}

    def __init__(self, settings: Settings, client: HttpClient | None = None) -> None:
        self.base = settings.fred_url.rstrip("/")
        self.client = client or HttpClient(
            rate=settings.rate,
            timeout=settings.timeout,
            max_attempts=settings.max_attempts,
            max_total=settings.max_total,
            backoff_base=settings.backoff_base,
            backoff_max=settings.backoff_max,
            max_body=settings.max_body_bytes,
        )
        self.description = f"FRED CSV ({self.base})"

    def fetch(self, query: Query, known: KnownState | None = None) -> RawPayload:
        before = self.client.counters.requests
        response = self.client.get(f"{self.base}/graph/fredgraph.csv", self.params(query))
        if response.status_code == 404:  # pragma: no cover - get() raises for >= 400
            raise NotInSource.t("errors.source.not_on_fred", series_id=query.series_id)
        return RawPayload(response.content, "csv", self.client.counters.requests - before)

    def parse(self, query: Query, raw: RawPayload) -> Sequence[Observation]:
        # fredgraph.csv always ends with a newline; without it the body was cut (possibly
        # mid-number, which would otherwise parse as a wrong but valid value)
        if raw.body and not raw.body.endswith(b"\n"):
            raise ParseError.t("errors.parse.truncated", series_id=query.series_id)
        return parse_fred_columns(raw.body, query.series_id)

    def close(self) -> None:
        self.client.close()


class FredApiSource(FredCsvSource):
    """The FRED API (``FRED_API_KEY``): metadata, skip-if-unchanged, observations as JSON."""

    aliases: ClassVar[dict[str, str]] = {
        "series_id": "series_id",
        "start": "observation_start",
        "end": "observation_end",
    }

    key_probe: ClassVar[str] = "GDP"
    """A series FRED surely has: asked for when another id gets HTTP 400, to tell an unknown id
    (the probe works) from a key FRED refuses (it fails too)."""

    def __init__(self, settings: Settings, client: HttpClient | None = None) -> None:
        super().__init__(settings, client)
        if settings.api_key is None:
            raise SourceError.t("errors.source.needs_key")
        self._key = settings.api_key
        self._key_ok: bool | None = None  # checked on the first HTTP 400 (see metadata)
        self.api = settings.fred_api_url.rstrip("/")
        self.description = f"FRED API ({self.api})"

    def _auth(self, params: dict[str, str]) -> dict[str, str]:
        return {**params, "api_key": self._key.reveal(), "file_type": "json"}

    def metadata(self, series_id: str) -> SeriesMeta:
        try:
            response = self.client.get(f"{self.api}/series", self._auth({"series_id": series_id}))
        except SourceError as exc:
            # The API answers an unknown id with 400 "The series does not exist", and a bad key
            # with 400 too; the status is all the client reports, so ask for a known series.
            if _status(exc) != 400 or series_id == self.key_probe or not self._key_works():
                raise
            raise NotInSource.t("errors.source.not_on_fred", series_id=series_id) from None
        try:
            doc = json.loads(response.content)
            row = doc["seriess"][0]
        except (ValueError, KeyError, IndexError, TypeError):
            raise ParseError.t("errors.parse.metadata", series_id=series_id) from None
        return SeriesMeta(
            title=row.get("title"),
            units=row.get("units"),
            frequency=row.get("frequency_short") or row.get("frequency"),
            last_updated=row.get("last_updated"),
        )

    def _key_works(self) -> bool:
        if self._key_ok is None:
            try:
                self.metadata(self.key_probe)
                self._key_ok = True
            except SourceError:
                self._key_ok = False
        return self._key_ok

    def fetch(self, query: Query, known: KnownState | None = None) -> RawPayload:
        before = self.client.counters.requests
        meta = self.metadata(query.series_id)
        if known is not None and known.last_updated and known.last_updated == meta.last_updated:
            return RawPayload(b"", "unchanged", self.client.counters.requests - before, meta)
        response = self.client.get(
            f"{self.api}/series/observations", self._auth(self.params(query))
        )
        return RawPayload(response.content, "json", self.client.counters.requests - before, meta)

    def parse(self, query: Query, raw: RawPayload) -> list[Observation]:
        return _parse_json(raw.body, query.series_id)

    page_limit: int = PAGE_LIMIT
    """Rows per request for :meth:`vintages` (the API's maximum)."""

    def vintages(self, series_id: str, *, limit: int | None = None) -> FetchResult:
        """Every ALFRED vintage of ``series_id`` with its real-time period.

        Pages of at most ``limit`` rows (default :attr:`page_limit`) are requested until the
        response's ``count`` is reached; all pages are fetched and checked before the result is
        returned, so a failure on any page stores nothing.

        Returns
        -------
        FetchResult
            Observations ordered by date, then ``realtime_start``; ``realtime_end`` is ``None``
            for the current vintage (ALFRED's ``9999-12-31``).

        Raises
        ------
        ParseError
            A page is not valid API JSON, the pages disagree on ``count`` (the series changed
            while paging), or the periods of a date overlap or are out of order.
        """
        limit = limit or self.page_limit
        before = self.client.counters.requests
        meta = self.metadata(series_id)
        rows: list[Observation] = []
        nbytes = 0
        expected: int | None = None
        while expected is None or len(rows) < expected:
            params = {
                "series_id": series_id,
                "realtime_start": ALFRED_START,
                "realtime_end": ALFRED_END,
                "output_type": "1",
                "limit": str(limit),
                "offset": str(len(rows)),
            }
            response = self.client.get(f"{self.api}/series/observations", self._auth(params))
            nbytes += len(response.content)
            page = _parse_json(response.content, series_id)
            count = _count(response.content, series_id)
            if expected is not None and count != expected:
                raise ParseError.t(
                    "errors.vintages.count_changed", series_id=series_id, before=expected, now=count
                )
            expected = count
            if not page and len(rows) < expected:
                raise ParseError.t(
                    "errors.vintages.short", series_id=series_id, got=len(rows), count=expected
                )
            rows += page
        check_periods(rows, series_id)
        rows.sort(key=lambda o: (o.date, o.realtime_start))
        return FetchResult(
            series_id=series_id,
            observations=rows,
            meta=meta,
            bytes=nbytes,
            requests=self.client.counters.requests - before,
        )


def _status(exc: SourceError) -> int | None:
    """The HTTP status of a failed request (``None`` for other failures)."""
    return exc.params.get("status") if exc.key == "errors.http.failed" else None


def _parse_json(body: bytes, series_id: str) -> list[Observation]:
    try:
        return parse_fred_json(body, series_id)
    except ParseError as exc:  # the API's own error text may quote the request
        params: dict[str, Any] = {
            k: redact(v) if isinstance(v, str) else v for k, v in exc.params.items()
        }
        raise ParseError.t(str(exc.key), **params) from None


def _count(body: bytes, series_id: str) -> int:
    """The ``count`` of an observations page (rows in all pages together)."""
    count = json.loads(body).get("count")  # a valid page: parse_fred_json has checked it
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ParseError.t("errors.vintages.no_count", series_id=series_id)
    return count


def check_periods(rows: list[Observation], series_id: str) -> None:
    """Raise :class:`ParseError` unless every row has a real-time period, each period ends on
    or after it starts, and the periods of one date come in order without overlapping.

    Examples
    --------
    >>> d = dt.date(2020, 1, 1)
    >>> check_periods([Observation(d, 1.0, dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
    ...                Observation(d, 1.1, dt.date(2020, 3, 1), None)], "X")
    >>> check_periods([Observation(d, 1.0, dt.date(2020, 2, 1), None),
    ...                Observation(d, 1.1, dt.date(2020, 3, 1), None)], "X")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tidegauge.errors.ParseError: X: vintages of 2020-01-01 overlap (2020-03-01 starts ...
    """
    last: dict[dt.date, Observation] = {}
    for o in rows:
        if o.realtime_start is None:
            raise ParseError.t("errors.vintages.no_period", series_id=series_id)
        if o.realtime_end is not None and o.realtime_end < o.realtime_start:
            raise ParseError.t(
                "errors.vintages.reversed",
                series_id=series_id,
                date=o.date,
                start=o.realtime_start,
                end=o.realtime_end,
            )
        prev = last.get(o.date)
        if prev is not None:
            assert prev.realtime_start is not None
            if o.realtime_start <= prev.realtime_start:
                raise ParseError.t(
                    "errors.vintages.out_of_order",
                    series_id=series_id,
                    date=o.date,
                    start=o.realtime_start,
                )
            if prev.realtime_end is None or o.realtime_start <= prev.realtime_end:
                raise ParseError.t(
                    "errors.vintages.overlap",
                    series_id=series_id,
                    date=o.date,
                    start=o.realtime_start,
                )
        last[o.date] = o


def make_fred_source(settings: Settings) -> FredCsvSource:
    """The FRED API source when ``FRED_API_KEY`` is set, else the public CSV download."""
    if settings.api_key:
        return FredApiSource(settings)
    return FredCsvSource(settings)
