"""Update: fetch series from a source and merge them into the store, incrementally.

A stored series is refetched only over a recent window sized by its frequency
(:data:`REFETCH_WINDOW`), so that revisions inside the window are caught and nothing older is
downloaded again. Each series is fetched and written on its own: one failure does not stop the
others and never touches what is stored: any failure of one series (a source error, a limit
reached, even an unexpected exception) is a ``failed`` row of the report, never an aborted run.
Only a failure of the store itself (full disk, damaged file: :class:`StoreError`) ends the run,
since nothing more could be written.

The whole run has a time limit (``max_seconds``, ``Settings.max_update``): it is enforced inside
HTTP reads (:func:`tidegauge.sources.limits.deadline`), and the series not reached in time are
reported failed.

``vintages=True`` instead imports every ALFRED vintage of each FRED series (FRED API only, see
:meth:`tidegauge.sources.fred.FredApiSource.vintages`) and replaces the series' stored history
with it (:meth:`tidegauge.store.Store.replace_vintages`).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .catalog import CATALOG, guess_frequency, normalise_ids, resolve_ids
from .errors import NotInSource, SourceError, TidegaugeError, UsageError
from .sources.base import FetchResult, KnownState, Query, Source, describe
from .sources.limits import deadline, deadline_seconds, time_left
from .store import Store, utc_now

log = logging.getLogger("tidegauge.update")

REFETCH_WINDOW: dict[str, dt.timedelta] = {
    "D": dt.timedelta(days=45),
    "W": dt.timedelta(weeks=13),
    "M": dt.timedelta(days=730),
    "Q": dt.timedelta(days=3 * 365),
    "A": dt.timedelta(days=5 * 365),
}
"""How far back a stored series is refetched, by frequency (revisions are caught there)."""

Status = Literal["ok", "unchanged", "failed", "skipped"]


@dataclass(frozen=True)
class SeriesUpdate:
    """Outcome of one series' update."""

    series_id: str
    status: Status
    new: int = 0
    revised: int = 0
    requests: int = 0
    bytes: int = 0
    start: dt.date | None = None
    last_date: str | None = None
    vintages: int = 0
    """Vintage rows stored (ALFRED import only); ``revised`` then counts past revisions."""
    first_vintage: str | None = None
    """Earliest ALFRED ``realtime_start`` (ALFRED import only)."""
    error: str | None = None
    exc: SourceError | None = field(default=None, compare=False, repr=False)
    """The failure itself (``error`` is its English text, as logged in the store)."""

    def note(self, lang: str = "en") -> str:
        """The failure in ``lang`` without the leading ``ID: `` ("" when it did not fail)."""
        if self.exc is not None:
            return _short(self.exc.message(lang), self.series_id)
        return self.error or ""


@dataclass
class UpdateReport:
    """Outcome of an update run; ``ok`` is False when any series failed."""

    source: str
    results: list[SeriesUpdate] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def failed(self) -> list[SeriesUpdate]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.results)

    @property
    def bytes(self) -> int:
        return sum(r.bytes for r in self.results)


def refetch_start(store: Store, series_id: str, *, full: bool = False) -> dt.date | None:
    """First date to fetch: ``None`` (everything) for a new series, else the recent window
    (for an id outside the catalog, sized by the frequency its stored dates show)."""
    if full:
        return None
    stored = store.series(series_id)
    if stored is None or stored.last_date is None:
        return None
    info = CATALOG.get(series_id)
    if info is not None:
        frequency = info.frequency
    else:
        guess = guess_frequency(stored.frequency, stored.first_date, stored.last_date, stored.n_obs)
        frequency = guess or "D"
    window = REFETCH_WINDOW[frequency]
    return dt.date.fromisoformat(stored.last_date) - window


ProgressFn = Callable[[SeriesUpdate], None]


def vintage_fetcher(source: Source) -> Callable[[str], FetchResult]:
    """The source's ALFRED import (``source.vintages``), or a :class:`UsageError` saying what
    is needed: FRED without a key needs ``FRED_API_KEY``; other sources (a mirror) have none."""
    fetch: Any = getattr(source, "vintages", None)
    if callable(fetch):
        return fetch
    if source.name == "fred":
        raise UsageError.t("errors.vintages.needs_key")
    raise UsageError.t("errors.vintages.not_supported", source=describe(source))


def update(
    store: Store,
    source: Source,
    ids: Sequence[str] | None = None,
    *,
    full: bool = False,
    on_result: ProgressFn | None = None,
    source_for: Callable[[str], Source] | None = None,
    vintages: bool = False,
    max_seconds: float | None = None,
) -> UpdateReport:
    """Update ``ids`` (default: the whole catalog) from ``source`` into ``store``.

    Parameters
    ----------
    store, source
        Where to write and where to read.
    ids
        Series ids, the catalog's or any other FRED id (:func:`~tidegauge.catalog.normalise_id`
        checks their form first); ``None`` updates the whole catalog and skips series the
        source lacks (a mirror with only some files), while an explicit id the source lacks is
        a failure.
    full
        Refetch the whole history instead of the recent window.
    on_result
        Called after each series (for progress bars).
    source_for
        Picks the source per series (series of another family, e.g. ``datahub``); default:
        ``source`` for every series.
    vintages
        Import every ALFRED vintage instead (needs the FRED API source; ``full`` is implied).
        Series of other families are skipped (failed when asked for by id).
    max_seconds
        Time limit of the whole run (``None``: none). Series not reached in time are failed.

    Returns
    -------
    UpdateReport

    Raises
    ------
    UsageError
        ``vintages`` with a source that has no vintages (no ``FRED_API_KEY``, or a mirror), or
        an id that cannot be a FRED id.
    StoreError
        The store cannot be written (full disk, damaged or read-only file): the series written
        so far stay, the rest is not tried.
    """
    explicit = ids is not None
    series_ids = resolve_ids(None) if ids is None else normalise_ids(ids)
    fetch_vintages = vintage_fetcher(source) if vintages else None
    report = UpdateReport(source=describe(source))
    run_started = utc_now()
    # The next series is fetched and parsed in a worker thread while this one is written
    # (SQLite releases the GIL while it inserts); the store is read and written here only.
    pool = None
    if fetch_vintages is None and len(series_ids) > 1:
        pool = ThreadPoolExecutor(1, thread_name_prefix="tidegauge-fetch")
    with deadline(max_seconds):
        try:
            ahead = _begin(store, source, series_ids[0], full, source_for, pool) if pool else None
            for i, sid in enumerate(series_ids):
                pending = ahead
                if pool is not None and i + 1 < len(series_ids):
                    ahead = _begin(store, source, series_ids[i + 1], full, source_for, pool)
                outcome, src_name = _one(
                    store, source, sid, explicit, full, source_for, fetch_vintages, pending
                )
                store.log_update(
                    sid,
                    source=src_name,
                    started_at=outcome.started,
                    status=outcome.result.status,
                    n_new=outcome.result.new,
                    n_revised=outcome.result.revised,
                    requests=outcome.result.requests,
                    nbytes=outcome.result.bytes,
                    error=outcome.result.error,
                )
                report.results.append(outcome.result)
                if on_result is not None:
                    on_result(outcome.result)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
    if any(r.status in ("ok", "unchanged") for r in report.results):
        from .store.alertstate import mark_update

        mark_update(store, run_started)  # `tidegauge changes --since last-update`
    return report


@dataclass(frozen=True)
class _Outcome:
    result: SeriesUpdate
    started: str


@dataclass(frozen=True)
class _Pending:
    """A fetch of one series under way (or done): what it was asked, and its future."""

    started: str
    start: dt.date | None
    known: KnownState
    src: Source | None
    future: Future[FetchResult]


def _begin(
    store: Store,
    source: Source,
    sid: str,
    full: bool,
    source_for: Callable[[str], Source] | None,
    pool: ThreadPoolExecutor | None,
) -> _Pending:
    """Read what the store knows of ``sid`` (here) and start its fetch: in ``pool``, or now
    when there is none. A failure is kept in the future and raised by :func:`_one`."""
    started = utc_now()
    start = refetch_start(store, sid, full=full)
    known = store.known_state(sid)
    if start is None:  # a new series or a full refetch: read the whole payload again
        known = replace(known, stamp=None)
    try:
        src = source_for(sid) if source_for is not None else source
    except Exception as exc:  # raised again where the result is taken
        return _Pending(started, start, known, None, _settled(exc))
    if pool is not None:  # the deadline is a context variable: the worker runs in a copy
        future = pool.submit(contextvars.copy_context().run, _fetch, src, sid, start, known)
    else:
        try:
            future = _settled(_fetch(src, sid, start, known))
        except Exception as exc:
            future = _settled(exc)
    return _Pending(started, start, known, src, future)


def _settled(outcome: FetchResult | Exception) -> Future[FetchResult]:
    """A future that already holds ``outcome`` (a result, or the exception it raises)."""
    future: Future[FetchResult] = Future()
    if isinstance(outcome, Exception):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
    return future


def _check_time() -> None:
    """A series not reached before the run's deadline fails."""
    left = time_left()
    if left is not None and left <= 0:
        raise SourceError.t("errors.update.not_reached", seconds=deadline_seconds() or 0)


def _fetch(src: Source, sid: str, start: dt.date | None, known: KnownState) -> FetchResult:
    _check_time()
    return src.get(Query(sid, start=start), known)


def _one(
    store: Store,
    source: Source,
    sid: str,
    explicit: bool,
    full: bool,
    source_for: Callable[[str], Source] | None,
    fetch_vintages: Callable[[str], FetchResult] | None,
    pending: _Pending | None = None,
) -> tuple[_Outcome, str]:
    """Update one series; every failure but the store's becomes a ``failed`` result."""
    if fetch_vintages is None and pending is None:
        pending = _begin(store, source, sid, full, source_for, None)
    started = pending.started if pending is not None else utc_now()
    start = pending.start if pending is not None else None
    src = source
    try:
        if fetch_vintages is not None:
            _check_time()
            result = _import_vintages(store, source, fetch_vintages, sid, started, explicit)
        else:
            assert pending is not None
            if pending.src is not None:
                src = pending.src
            result = _update_one(store, pending, sid)
    except NotInSource as exc:
        status: Status = "failed" if explicit else "skipped"
        result = SeriesUpdate(sid, status, start=start, error=_short(str(exc), sid), exc=exc)
    except SourceError as exc:
        result = SeriesUpdate(sid, "failed", start=start, error=_short(str(exc), sid), exc=exc)
    except TidegaugeError:
        raise  # the store cannot be written, or a usage error: nothing more can be done
    except Exception as exc:  # a bug or a resource limit: this series fails, the run goes on
        from .sources.http import redact  # the API key never reaches a message

        log.warning("%s: unexpected %s", sid, type(exc).__name__, exc_info=True)
        err = SourceError.t(
            "errors.update.unexpected",
            kind=type(exc).__name__,
            detail=redact(" ".join(str(exc).split()))[:200] or "-",
        )
        result = SeriesUpdate(sid, "failed", start=start, error=str(err), exc=err)
    return _Outcome(result, started), src.name


def _update_one(store: Store, pending: _Pending, sid: str) -> SeriesUpdate:
    """Write one fetched series (the fetch's ``SourceError`` is raised here; the caller
    records it)."""
    result = pending.future.result()
    src, start, known = pending.src, pending.start, pending.known
    assert src is not None
    if result.unchanged:
        if result.stamp is not None and result.stamp != known.stamp:
            store.remember_stamp(sid, result.stamp)
        return SeriesUpdate(sid, "unchanged", requests=result.requests, start=start)
    stats = store.apply(result, source=src.name, seen_at=pending.started)
    stored = store.series(sid)
    return SeriesUpdate(
        sid,
        "ok",
        new=stats.new,
        revised=stats.revised,
        requests=result.requests,
        bytes=result.bytes,
        start=start,
        last_date=stored.last_date if stored else None,
    )


def _import_vintages(
    store: Store,
    source: Source,
    fetch: Callable[[str], FetchResult],
    sid: str,
    started: str,
    explicit: bool,
) -> SeriesUpdate:
    """ALFRED import of one series: all pages fetched, then one transaction."""
    info = CATALOG.get(sid)
    if info is not None and info.source != "fred":
        exc = NotInSource.t("errors.vintages.not_fred", series_id=sid)
        status: Status = "failed" if explicit else "skipped"
        return SeriesUpdate(sid, status, error=_short(str(exc), sid), exc=exc)
    result = fetch(sid)
    stats = store.replace_vintages(result, source=source.name, seen_at=started)
    stored = store.series(sid)
    return SeriesUpdate(
        sid,
        "ok",
        new=stats.new,
        revised=stats.revisions,
        requests=result.requests,
        bytes=result.bytes,
        last_date=stored.last_date if stored else None,
        vintages=stats.rows,
        first_vintage=stats.first_vintage,
    )


def _short(message: str, series_id: str) -> str:
    """The error without a leading ``ID: `` (the table already names the series)."""
    for sep in (": ", "："):  # English, or a Chinese full-width colon
        if message.startswith(series_id + sep):
            return message[len(series_id) + len(sep) :]
    return message
