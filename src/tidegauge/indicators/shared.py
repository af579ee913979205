"""Inputs shared by the requests of one store state (the dashboard).

A dashboard request loads its inputs afresh (:func:`~tidegauge.indicators.base.load_inputs`)
and computes the intermediate results its indicators share (:meth:`Inputs.cached`: the Fed's
balance-sheet regimes, the checklist, the liquidity series). A new comparison window, a new
simulator variant or a new checklist date needs the same inputs and the same intermediate
results as the previous one. Within :func:`sharing`, :func:`load_inputs` takes them from an
:class:`InputsCache` instead:

* an entry is keyed by the series ids, the date of knowledge and the first date loaded, and
  belongs to one store state, :meth:`Store.fingerprint` and today's date (the freshness of a
  current snapshot depends on the day). A new state empties the cache: nothing loaded or
  computed before an update is used after it. An entry is kept only when the store's state is
  the same after loading as before (an update that wrote meanwhile does not leave data under the
  old state);
* each request gets its own :class:`Inputs` (its own dict, shallow copies of the series, its own
  session) over the entry's data, and the entry's ``memo``: the results of :meth:`Inputs.cached`
  are computed once per entry and shared, as they are by the indicators of one report (its keys
  name everything a result depends on besides the inputs, and results are not modified);
* at most ``size`` entries and ``max_bytes`` of series are kept, the least recently used
  dropped; an entry keeps the results of at most :data:`MEMO_SIZE` keys (a key may name a
  parameter, e.g. the real-rate snapshot's r*).

Only loads that do not fetch are shared (the dashboard never fetches): a fetch changes the store.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import Inputs

__all__ = ["MEMO_SIZE", "InputsCache", "current", "sharing"]

MEMO_SIZE = 16
"""Results of :meth:`Inputs.cached` an entry keeps (the oldest dropped first)."""

_CURRENT: ContextVar[InputsCache | None] = ContextVar("tidegauge_shared_inputs", default=None)


class InputsCache:
    """Loaded inputs and their shared results, per store state (see the module docstring).

    Parameters
    ----------
    size
        Entries kept (one per set of ids, date of knowledge and start).
    max_bytes
        Memory of the series kept (values and dates: 16 bytes an observation; about as much
        again goes to the look-up tables pandas builds for their dates once searched); the
        entry just loaded is kept whatever its size.
    """

    def __init__(self, size: int = 32, max_bytes: int = 24_000_000) -> None:
        self.size = max(1, size)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._state: Hashable = None
        self._entries: OrderedDict[Hashable, Inputs] = OrderedDict()
        self._bytes: dict[Hashable, int] = {}
        self.hits = 0
        self.misses = 0

    @property
    def nbytes(self) -> int:
        """Memory of the series kept."""
        return sum(self._bytes.values())

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes.clear()
            self._state = None

    def inputs(
        self,
        tg: Any,
        ids: Sequence[str],
        as_of: dt.date | None,
        start: dt.date | None,
        load: Callable[[], Inputs],
    ) -> Inputs:
        """The inputs ``load()`` gives for ``ids`` on session ``tg``, shared per store state."""
        state = _state(tg)
        key = (tuple(ids), as_of, start)
        with self._lock:
            if state != self._state:
                self._entries.clear()
                self._bytes.clear()
                self._state = state
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
        if entry is None:
            entry = load()
            entry.memo = _Memo()
            if _state(tg) == state:
                entry = self._keep(state, key, entry)
        return _fork(entry, tg)

    def _keep(self, state: Hashable, key: Hashable, entry: Inputs) -> Inputs:
        """Keep ``entry`` (or use the one another request kept meanwhile)."""
        size = sum(s.values.nbytes + s.index.nbytes for s in entry.data.values())
        with self._lock:
            if state != self._state:
                return entry  # the store changed meanwhile: used by this request only
            if key in self._entries:
                return self._entries[key]
            self._entries[key], self._bytes[key] = entry, size
            while len(self._entries) > 1 and (
                len(self._entries) > self.size or sum(self._bytes.values()) > self.max_bytes
            ):
                old, _ = self._entries.popitem(last=False)
                del self._bytes[old]
        return entry


class _Memo(OrderedDict[str, Any]):
    """The shared results of one entry: at most :data:`MEMO_SIZE`, the oldest dropped."""

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        while len(self) > MEMO_SIZE:
            self.popitem(last=False)


def _state(tg: Any) -> tuple[str, str]:
    return (tg.store.fingerprint(), dt.date.today().isoformat())


def _fork(entry: Inputs, tg: Any) -> Inputs:
    """A request's own :class:`Inputs` over a shared entry (its results shared too)."""
    return replace(
        entry,
        data={sid: s.copy(deep=False) for sid, s in entry.data.items()},
        errors=dict(entry.errors),
        memo=entry.memo,
        session=tg,
    )


def current() -> InputsCache | None:
    """The cache of :func:`sharing` in effect, if any."""
    return _CURRENT.get()


@contextmanager
def sharing(cache: InputsCache | None) -> Iterator[None]:
    """Within it, :func:`~tidegauge.indicators.base.load_inputs` without fetching shares
    ``cache`` (``None``: nothing is shared)."""
    token = _CURRENT.set(cache)
    try:
        yield
    finally:
        _CURRENT.reset(token)
