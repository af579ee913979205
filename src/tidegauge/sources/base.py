"""The source contract: query → source parameters → fetch (I/O only) → parse (typed records).

A source never writes to the store; it returns a :class:`FetchResult` whose observations are
typed and validated. Parsing is a pure function of the raw payload, so it is tested without a
network.

This module knows no source: the name → factory map lives in :mod:`tidegauge.sources.registry`,
which imports this contract and every built-in source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from .._dates import EARLIEST, LATEST
from ..errors import ParseError


@dataclass(frozen=True)
class Query:
    """What the user asks for, in tidegauge's vocabulary."""

    series_id: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Observation:
    """One value. ``value`` is ``None`` for a missing observation (holiday, not yet published).

    ``realtime_start``/``realtime_end`` are the vintage period when the source reports one
    (the FRED API); otherwise ``None`` and the store uses the time it saw the value.
    """

    date: dt.date
    value: float | None
    realtime_start: dt.date | None = None
    realtime_end: dt.date | None = None


@dataclass(frozen=True)
class SeriesMeta:
    """Series metadata as the source reports it (all optional)."""

    title: str | None = None
    units: str | None = None
    frequency: str | None = None
    last_updated: str | None = None


@dataclass(frozen=True)
class RawPayload:
    """Bytes as fetched plus what it took to fetch them."""

    body: bytes
    kind: str  # "csv" or "json"
    requests: int = 1
    meta: SeriesMeta | None = None
    stamp: str | None = None
    """What identifies this payload without reading it again (a mirror file's
    :func:`~.filestamp.file_stamp`), stored with the series when it is applied."""


@dataclass
class FetchResult:
    """The typed outcome of one successful fetch."""

    series_id: str
    observations: Sequence[Observation]
    """A list, or the two arrays of a parsed file (:class:`~.columns.ObservationArrays`)."""
    meta: SeriesMeta | None = None
    bytes: int = 0
    requests: int = 0
    unchanged: bool = False  # the source says nothing changed since ``last_updated``/``stamp``
    stamp: str | None = None
    """The payload's stamp (:attr:`RawPayload.stamp`), kept by the store for the next fetch."""


@dataclass(frozen=True)
class KnownState:
    """What the store already holds for a series, so a source can skip or narrow a fetch."""

    last_updated: str | None = None
    stamp: str | None = None
    """The stamp of the payload last applied (``series.source_stamp``); a source whose payload
    still has it answers ``"unchanged"`` without reading or parsing it. ``None`` after an
    update by another source and for ``full`` updates."""


class Source(Protocol):
    """Every source: ``get(query)`` returns a :class:`FetchResult` or raises ``SourceError``."""

    @property
    def name(self) -> str: ...  # read-only, so a ``ClassVar[str]`` satisfies it

    def get(self, query: Query, known: KnownState | None = None) -> FetchResult: ...

    def close(self) -> None: ...


class BaseSource:
    """Template for sources: ``params`` → ``fetch`` → ``parse``."""

    name: ClassVar[str] = "base"
    aliases: ClassVar[dict[str, str]] = {}
    """Map from tidegauge's vocabulary (``series_id``, ``start``, ``end``) to the source's."""

    def params(self, query: Query) -> dict[str, str]:
        values = {"series_id": query.series_id, "start": query.start, "end": query.end}
        return {
            self.aliases.get(k, k): v.isoformat() if isinstance(v, dt.date) else str(v)
            for k, v in values.items()
            if v is not None
        }

    def fetch(self, query: Query, known: KnownState | None = None) -> RawPayload:
        raise NotImplementedError

    def parse(self, query: Query, raw: RawPayload) -> Sequence[Observation]:
        raise NotImplementedError

    def get(self, query: Query, known: KnownState | None = None) -> FetchResult:
        raw = self.fetch(query, known)
        if raw.kind == "unchanged":
            return FetchResult(
                query.series_id, [], raw.meta, 0, raw.requests, unchanged=True, stamp=raw.stamp
            )
        observations = self.parse(query, raw)
        check_dates(query.series_id, observations)
        return FetchResult(
            series_id=query.series_id,
            observations=observations,
            meta=raw.meta,
            bytes=len(raw.body),
            requests=raw.requests,
            stamp=raw.stamp,
        )

    def close(self) -> None:  # pragma: no cover - trivial
        return None


def check_dates(series_id: str, observations: Sequence[Observation]) -> None:
    """Refuse observation dates the analyses cannot hold (outside ``EARLIEST..LATEST``): the
    built-in parsers check each line, and this catches any other source's at the door."""
    if not observations:
        return
    bounds = getattr(observations, "date_bounds", None)  # sorted arrays: the two ends
    if bounds is not None:
        lo, hi = bounds()
    else:
        lo = min(o.date for o in observations)
        hi = max(o.date for o in observations)
    for day in (lo, hi):
        if not EARLIEST <= day <= LATEST:
            raise ParseError.t(
                "errors.parse.date_range_any",
                series_id=series_id,
                date=day,
                lo=EARLIEST,
                hi=LATEST,
            )


def describe(source: Any) -> str:
    return getattr(source, "description", getattr(source, "name", "source"))
