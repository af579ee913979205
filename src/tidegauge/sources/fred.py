"""FRED source: the public CSV download without a key, the FRED API with ``FRED_API_KEY``.

Without a key: ``GET {fred_url}/graph/fredgraph.csv?id=ID&cosd=START&coed=END``, one series per
request. With a key: ``GET {fred_api_url}/series`` for metadata (title, units, frequency,
``last_updated``; a series whose ``last_updated`` has not changed is not downloaded again) and
``GET {fred_api_url}/series/observations`` for the values.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from ..config import Settings
from ..errors import NotInSource, ParseError, SourceError
from .base import (
    BaseSource,
    KnownState,
    Observation,
    Query,
    RawPayload,
    SeriesMeta,
    register_source,
)
from .csvparse import parse_fred_csv, parse_fred_json
from .http import HttpClient, redact


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
        )
        self.description = f"FRED CSV ({self.base})"

    def fetch(self, query: Query, known: KnownState | None = None) -> RawPayload:
        before = self.client.counters.requests
        response = self.client.get(f"{self.base}/graph/fredgraph.csv", self.params(query))
        if response.status_code == 404:  # pragma: no cover - get() raises for >= 400
            raise NotInSource.t("errors.source.not_on_fred", series_id=query.series_id)
        return RawPayload(response.content, "csv", self.client.counters.requests - before)

    def parse(self, query: Query, raw: RawPayload) -> list[Observation]:
        # fredgraph.csv always ends with a newline; without it the body was cut (possibly
        # mid-number, which would otherwise parse as a wrong but valid value)
        if raw.body and not raw.body.endswith(b"\n"):
            raise ParseError.t("errors.parse.truncated", series_id=query.series_id)
        return parse_fred_csv(raw.body, query.series_id)

    def close(self) -> None:
        self.client.close()


class FredApiSource(FredCsvSource):
    """The FRED API (``FRED_API_KEY``): metadata, skip-if-unchanged, observations as JSON."""

    aliases: ClassVar[dict[str, str]] = {
        "series_id": "series_id",
        "start": "observation_start",
        "end": "observation_end",
    }

    def __init__(self, settings: Settings, client: HttpClient | None = None) -> None:
        super().__init__(settings, client)
        if settings.api_key is None:
            raise SourceError.t("errors.source.needs_key")
        self._key = settings.api_key
        self.api = settings.fred_api_url.rstrip("/")
        self.description = f"FRED API ({self.api})"

    def _auth(self, params: dict[str, str]) -> dict[str, str]:
        return {**params, "api_key": self._key.reveal(), "file_type": "json"}

    def metadata(self, series_id: str) -> SeriesMeta:
        response = self.client.get(f"{self.api}/series", self._auth({"series_id": series_id}))
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
        try:
            return parse_fred_json(raw.body, query.series_id)
        except ParseError as exc:  # the API's own error text may quote the request
            params: dict[str, Any] = {
                k: redact(v) if isinstance(v, str) else v for k, v in exc.params.items()
            }
            raise ParseError.t(str(exc.key), **params) from None


@register_source("fred")
def _factory(settings: Settings) -> FredCsvSource:
    if settings.api_key:
        return FredApiSource(settings)
    return FredCsvSource(settings)
