"""What the web layer shares between requests: read-only sessions over the store and a cache.

The store is read while ``tidegauge update`` may write it (SQLite WAL). Given
:class:`~tidegauge.config.Settings`, :class:`Dashboard` opens a fresh read-only session per
request (its own SQLite connection, so threads never share one); given a ready
:class:`~tidegauge.Tidegauge` (tests, notebooks, an in-memory store) it serialises access to it
with a lock.

Results are cached per ``(endpoint, parameters, store state)``: the store state is
:meth:`Store.fingerprint`, which changes exactly when the stored content changes, so an update
that brought something new makes every cached answer stale at once (nothing stale is ever
served), and an update that brought nothing keeps the cache warm.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from ..api import Tidegauge
from ..config import Settings
from ..errors import LimitError, NoDataError
from ..store import Store

__all__ = ["Dashboard", "ReadOnlySession"]

T = TypeVar("T")


class ReadOnlySession(Tidegauge):
    """A session that never fetches: a series the store lacks is a :class:`NoDataError`.

    A web request must not start a download (no network, or minutes of retries); the user runs
    ``tidegauge update`` (or ``tidegauge serve --update``) instead. The store is opened
    read-only: a request never waits for an update's write transaction, and a store file the
    server may only read can be served.
    """

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(
                self.settings.store_path, readonly=True, timeout=self.settings.store_timeout
            )
        return self._store

    def ensure(self, ids: Iterable[str]) -> None:
        self.require(ids)

    def require(self, ids: Iterable[str]) -> None:
        missing = [s for s in ids if not self.store.has(s)]
        if missing:
            raise NoDataError.t("errors.data.dashboard_missing", ids=", ".join(missing))


class Dashboard:
    """Sessions and the response cache of one dashboard.

    Parameters
    ----------
    source
        Settings (a read-only session is opened per request) or a session to share.
    lang
        Default language of the pages.
    cache_size
        Number of cached responses kept (least recently used are dropped).
    max_response
        Largest answer in bytes (:data:`MAX_RESPONSE`); a larger one is a :class:`LimitError`
        (HTTP 503 with a message) instead of being sent or cached.
    """

    def __init__(
        self,
        source: Settings | Tidegauge,
        *,
        lang: str = "en",
        cache_size: int = 256,
        max_response: int = 16_000_000,
    ):
        self.lang = lang
        self._settings = source if isinstance(source, Settings) else None
        self._shared = None if isinstance(source, Settings) else source
        self._lock = threading.RLock()  # guards the shared session
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_size = cache_size
        self.max_response = max_response
        self.hits = 0
        self.misses = 0

    @contextmanager
    def session(self) -> Iterator[Tidegauge]:
        """A session for one request (fresh, or the shared one under a lock)."""
        if self._shared is not None:
            with self._lock:
                yield self._shared
            return
        assert self._settings is not None
        tg = ReadOnlySession(self._settings)
        try:
            yield tg
        finally:
            tg.close()

    def store_state(self, tg: Tidegauge) -> tuple[Any, ...]:
        """The store's content fingerprint (:meth:`Store.fingerprint`)."""
        return (tg.store.fingerprint(),)

    def cached(self, key: Hashable, compute: Callable[[Tidegauge], T]) -> T:
        """``compute(session)``, or the answer cached for ``key`` and the current store state."""
        with self.session() as tg:
            full = (key, self.store_state(tg))
            with self._cache_lock:
                if full in self._cache:
                    self._cache.move_to_end(full)
                    self.hits += 1
                    return self._cache[full]  # type: ignore[no-any-return,unused-ignore]
            value = compute(tg)
        if isinstance(value, bytes | str) and len(value) > self.max_response:
            raise LimitError.t("errors.web.too_large", mb=self.max_response / 1e6)
        with self._cache_lock:
            self.misses += 1
            self._cache[full] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._cache_lock:
            self._cache.clear()
