"""What the web layer shares between requests: read-only sessions over the store and a cache.

The store is read while ``tidegauge update`` may write it (SQLite WAL). Given
:class:`~tidegauge.config.Settings`, :class:`Dashboard` opens a fresh read-only session per
request (its own SQLite connection, so threads never share one); given a ready
:class:`~tidegauge.Tidegauge` (tests, notebooks, an in-memory store) it serialises access to it
with a lock.

Results are cached per ``(endpoint, parameters, store state)``: the store state is
:meth:`Store.fingerprint`, which changes exactly when the stored content changes, so an update
that brought something new makes every cached answer stale at once (nothing stale is ever
served), and an update that brought nothing keeps the cache warm. Answers are kept in memory
and in the cache folder, so a restarted server over the same store answers at once; a request
that arrives while the same answer is being computed waits for it (see :class:`Dashboard`).

A computation that is not cached (a new comparison window, checklist date or simulator
variant) still shares the loaded inputs and the intermediate results computed from them (the
Fed's balance-sheet regimes, the checklist) with the other computations of the same store state
(:mod:`tidegauge.indicators.shared`).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from ..api import Tidegauge
from ..config import Settings
from ..errors import LimitError, NoDataError, TidegaugeError
from ..indicators.shared import InputsCache, sharing
from ..store import Store

__all__ = ["PERSIST_KEEP", "PERSIST_KINDS", "CacheMiss", "Dashboard", "ReadOnlySession"]

T = TypeVar("T")

PERSIST_KINDS = {True: "web", False: "web-params"}
"""Folders of the answers kept on disk: requests without parameters (every page and endpoint as
first opened, in each language: what a restarted server needs at once) apart from requests
with parameters, so that many parameter variants never push the first ones out."""
PERSIST_KEEP = 200
"""Answers kept in each of the two folders (the oldest are removed); about 20 MB each."""
SHARED_INPUTS = 32
"""Sets of loaded inputs (with the results computed from them) shared by the computations of
one store state (:mod:`tidegauge.indicators.shared`): one per page or endpoint, per date of
knowledge asked."""


class ReadOnlySession(Tidegauge):
    """A session that never fetches: a series the store lacks is a :class:`NoDataError`.

    A web request must not start a download (no network, or minutes of retries); the user runs
    ``tidegauge update`` (or ``tidegauge serve --update``) instead. The store is opened
    read-only: a request never waits for an update's write transaction, and a store file the
    server may only read can be served. ``store``, when given, is a read-only store lent to the
    session (:class:`_Readers`): the session uses it and does not close it.
    """

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        super().__init__(settings)
        self._lent = store

    @property
    def store(self) -> Store:
        if self._lent is not None:
            return self._lent
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


class _Readers:
    """Read-only stores reused by the requests, one request at a time each: opening one (a
    connection, its pragmas and the schema check) costs about 1.5 ms, twice per computed answer.

    A store is lent only while its file is the one it was opened on (same device and inode: a
    replaced file gets new connections), and only a store over the file is kept (not the empty
    in-memory store a missing or empty file reads as). Connections are in autocommit mode, so a
    lent store reads what the last committed update wrote, as a fresh one would; at most
    ``size`` idle stores are kept, the others closed.
    """

    def __init__(self, settings: Settings, size: int = 4) -> None:
        self._settings = settings
        self._size = size
        self._idle: list[tuple[tuple[int, int], Store]] = []
        self._lock = threading.Lock()

    @contextmanager
    def lend(self) -> Iterator[Store | None]:
        """A store to use, or ``None`` when the file cannot be looked at (the session then
        opens its own and reports what is wrong)."""
        path = self._settings.store_path
        try:
            st = os.stat(path)
        except OSError:
            yield None
            return
        ident = (st.st_dev, st.st_ino)
        store, stale = None, []
        with self._lock:
            while self._idle and store is None:
                kept, s = self._idle.pop()
                if kept == ident:
                    store = s
                else:
                    stale.append(s)
        for s in stale:
            s.close()
        if store is None:
            store = Store(path, readonly=True, timeout=self._settings.store_timeout)
        done = False
        try:
            yield store
            done = True
        finally:
            if done and store.on_file:
                with self._lock:
                    if len(self._idle) < self._size:
                        self._idle.append((ident, store))
                        store = None
            if store is not None:
                store.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for _, s in idle:
            s.close()


_MEMORY_ONLY: ContextVar[bool] = ContextVar("tidegauge_memory_only", default=False)
_PLAIN: ContextVar[bool] = ContextVar("tidegauge_plain_request", default=False)


class CacheMiss(Exception):
    """Raised by :meth:`Dashboard.cached` under :meth:`Dashboard.memory_only` when the answer
    is not in memory: the caller then runs the request again in a worker thread."""


def today() -> dt.date:
    """Today's date (a function, so a test can move the day)."""
    return dt.date.today()


class _Flight:
    """One computation in progress: the requests that ask for the same answer meanwhile wait
    for it instead of computing it again."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class Dashboard:
    """Sessions and the response cache of one dashboard.

    An answer is looked up in memory (at most ``cache_size``, least recently used dropped),
    then, with ``persist``, in the cache folder (:mod:`tidegauge.filecache`, kinds
    :data:`PERSIST_KINDS`: a new server over the same store starts warm), and only then
    computed. Identical requests that arrive while it
    is computed wait for that one computation (single flight), and at most ``compute_slots``
    computations run at once: they are CPU-bound under one interpreter lock, so more only slow
    each other and the event loop, which serves the cached answers (docs/performance.md).

    The key of an answer is ``(endpoint key, Store.fingerprint(), today)``: the freshness
    marks and the forms' date bounds depend on the day, so an answer computed yesterday is not
    served today; the cache folder's key adds the code (:func:`~tidegauge.filecache.digest`).

    Parameters
    ----------
    source
        Settings (a read-only session is opened per request) or a session to share.
    lang
        Default language of the pages.
    cache_size
        Number of cached responses kept in memory (0 disables every cache, the folder too).
    max_response
        Largest answer in bytes (:data:`MAX_RESPONSE`); a larger one is a :class:`LimitError`
        (HTTP 503 with a message) instead of being sent or cached.
    persist
        Keep answers in the cache folder too (:data:`PERSIST_KEEP` at most per kind);
        ``tidegauge serve`` does.
    compute_slots
        Computations that may run at the same time.
    shared_inputs
        Sets of inputs the computations of one store state share (:data:`SHARED_INPUTS`; none
        when ``cache_size`` is 0).
    """

    def __init__(
        self,
        source: Settings | Tidegauge,
        *,
        lang: str = "en",
        cache_size: int = 256,
        max_response: int = 16_000_000,
        persist: bool = False,
        compute_slots: int = 1,
        shared_inputs: int = SHARED_INPUTS,
    ):
        self.lang = lang
        self._settings = source if isinstance(source, Settings) else None
        self._shared = None if isinstance(source, Settings) else source
        self._lock = threading.RLock()  # guards the shared session
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._flights: dict[Hashable, _Flight] = {}
        self._readers = _Readers(self._settings) if self._settings is not None else None
        self._slots = threading.BoundedSemaphore(max(1, compute_slots))
        self._cache_size = cache_size
        self.persist = persist and cache_size > 0
        self.max_response = max_response
        self.inputs = InputsCache(shared_inputs) if cache_size > 0 and shared_inputs > 0 else None
        self.hits = 0  # answered from memory
        self.misses = 0  # not in memory: read from the cache folder or computed
        self.loaded = 0  # read from the cache folder
        self.computed = 0
        self.joined = 0  # waited for the same computation in progress

    @contextmanager
    def session(self) -> Iterator[Tidegauge]:
        """A session for one request (fresh, or the shared one under a lock)."""
        if self._shared is not None:
            with self._lock:
                yield self._shared
            return
        assert self._settings is not None and self._readers is not None
        with self._readers.lend() as store:
            tg = ReadOnlySession(self._settings, store)
            try:
                yield tg
            finally:
                tg.close()

    def store_state(self, tg: Tidegauge) -> tuple[Any, ...]:
        """The store's content fingerprint (:meth:`Store.fingerprint`) and today's date."""
        return (tg.store.fingerprint(), today().isoformat())

    @contextmanager
    def memory_only(self) -> Iterator[None]:
        """Within it, :meth:`cached` answers from memory or raises :class:`CacheMiss`: the event
        loop serves cached answers itself, without a worker thread and without opening a
        session (under load, every worker thread waits for the interpreter lock behind the
        computations, many times per request)."""
        token = _MEMORY_ONLY.set(True)
        try:
            yield
        finally:
            _MEMORY_ONLY.reset(token)

    @contextmanager
    def plain_request(self, plain: bool) -> Iterator[None]:
        """Within it, answers are kept on disk as those of a request without parameters
        (:data:`PERSIST_KINDS`) when ``plain``."""
        token = _PLAIN.set(plain)
        try:
            yield
        finally:
            _PLAIN.reset(token)

    def _quick_state(self) -> tuple[Any, ...] | None:
        """:meth:`store_state` read on a store lent by the pool (the event loop asks it without
        a session); ``None`` for a shared session or a store file that cannot be read."""
        if self._readers is None:
            return None
        try:
            with self._readers.lend() as store:
                return None if store is None else (store.fingerprint(), today().isoformat())
        except (OSError, TidegaugeError):
            return None

    def cached(self, key: Hashable, compute: Callable[[Tidegauge], T]) -> T:
        """``compute(session)``, or the answer cached for ``key`` and the current store state."""
        if _MEMORY_ONLY.get():
            state = self._quick_state()
            full = (key, state)
            with self._cache_lock:
                if state is not None and full in self._cache:
                    self._cache.move_to_end(full)
                    self.hits += 1
                    return self._cache[full]  # type: ignore[no-any-return,unused-ignore]
            raise CacheMiss
        with self.session() as tg:
            full = (key, self.store_state(tg))
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                self.hits += 1
                return self._cache[full]  # type: ignore[no-any-return,unused-ignore]
            flight = self._flights.get(full)
            leader = flight is None
            if flight is None:
                flight = self._flights[full] = _Flight()
            else:
                self.joined += 1
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.value  # type: ignore[no-any-return,unused-ignore]
        try:
            value = self._fill(full, compute)
            flight.value = value
            return value
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self._cache_lock:
                del self._flights[full]
            flight.done.set()

    def _fill(self, full: tuple[Hashable, Any], compute: Callable[[Tidegauge], T]) -> T:
        """The answer for ``full`` from the cache folder or computed; kept in memory."""
        name = self._file_key(full)
        value: Any = self._load(name)
        loaded = value is not None
        if value is None:
            with self._slots, self.session() as tg, sharing(self.inputs):
                value = compute(tg)
        if isinstance(value, bytes | str) and len(value) > self.max_response:
            raise LimitError.t("errors.web.too_large", mb=self.max_response / 1e6)
        if loaded:
            self.loaded += 1
        else:
            self._save(name, value)
            self.computed += 1
        with self._cache_lock:
            self.misses += 1
            if self._cache_size > 0:
                self._cache[full] = value
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return value  # type: ignore[no-any-return,unused-ignore]

    def _file_key(self, full: tuple[Hashable, Any]) -> str | None:
        if not self.persist:
            return None
        from ..filecache import digest

        return digest({"dashboard": full})

    def _load(self, name: str | None) -> bytes | None:
        from ..filecache import load_json

        doc = load_json(PERSIST_KINDS[_PLAIN.get()], name) if name else None
        if not isinstance(doc, dict) or not isinstance(doc.get("body"), str):
            return None
        return str(doc["body"]).encode("utf-8")

    def _save(self, name: str | None, value: Any) -> None:
        """Keep a text answer (a page, JSON, CSV) in the cache folder; a binary one (an XLSX
        download) stays in memory only."""
        if not name or not isinstance(value, bytes):
            return
        from ..filecache import save_json

        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            return
        save_json(PERSIST_KINDS[_PLAIN.get()], name, {"body": text}, keep=PERSIST_KEEP)

    def clear(self) -> None:
        """Empty the memory cache and the shared inputs (the cache folder stays)."""
        with self._cache_lock:
            self._cache.clear()
        if self.inputs is not None:
            self.inputs.clear()
