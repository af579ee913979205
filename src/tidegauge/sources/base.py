"""The source contract: query → source parameters → fetch (I/O only) → parse (typed records).

A source never writes to the store; it returns a :class:`FetchResult` whose observations are
typed and validated. Parsing is a pure function of the raw payload, so it is tested without a
network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from ..config import Settings
from ..errors import ConfigError


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


@dataclass
class FetchResult:
    """The typed outcome of one successful fetch."""

    series_id: str
    observations: list[Observation]
    meta: SeriesMeta | None = None
    bytes: int = 0
    requests: int = 0
    unchanged: bool = False  # the source says nothing changed since ``last_updated``


@dataclass(frozen=True)
class KnownState:
    """What the store already holds for a series, so a source can skip or narrow a fetch."""

    last_updated: str | None = None


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

    def parse(self, query: Query, raw: RawPayload) -> list[Observation]:
        raise NotImplementedError

    def get(self, query: Query, known: KnownState | None = None) -> FetchResult:
        raw = self.fetch(query, known)
        if raw.kind == "unchanged":
            return FetchResult(query.series_id, [], raw.meta, 0, raw.requests, unchanged=True)
        observations = self.parse(query, raw)
        return FetchResult(
            series_id=query.series_id,
            observations=observations,
            meta=raw.meta,
            bytes=len(raw.body),
            requests=raw.requests,
        )

    def close(self) -> None:  # pragma: no cover - trivial
        return None


_REGISTRY: dict[str, Callable[[Settings], Source]] = {}


SourceFactory = Callable[[Settings], Source]


def register_source(name: str) -> Callable[[SourceFactory], SourceFactory]:
    """Register a source factory under ``name`` (built-ins use the same path as plug-ins)."""

    def deco(factory: Callable[[Settings], Source]) -> Callable[[Settings], Source]:
        _REGISTRY[name] = factory
        return factory

    return deco


def source_names() -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY)


def make_source(settings: Settings, name: str | None = None, *, family: str = "fred") -> Source:
    """The source for a family of series (``fred``, ``datahub``).

    For the ``fred`` family: the mirror when one is set, else FRED. Other families are looked up
    by name (each handles its own offline folder).
    """
    _load_builtins()
    if name is None and family != "fred":
        name = family
    chosen = name or ("mirror" if settings.mirror is not None else "fred")
    try:
        factory = _REGISTRY[chosen]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise ConfigError.t("errors.config.unknown_source", chosen=chosen, known=known) from None
    return factory(settings)


def _load_builtins() -> None:
    from . import datahub, dts, fred, mirror  # noqa: F401  (registration side effect)


def describe(source: Any) -> str:
    return getattr(source, "description", getattr(source, "name", "source"))
