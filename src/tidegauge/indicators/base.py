"""The indicator: declared inputs and parameters, a pure computation, and a section to show.

An indicator is a class with a few declarations and two methods::

    class Liquidity(Indicator):
        id = "liquidity"                      # the section's id
        title = "report.section.liquidity.title"
        inputs = ("WALCL", "WDTGAL", ...)     # catalog ids it reads
        params = (Param(...), ...)            # -> CLI options, dashboard form, API validation
        command = ("liquidity",)              # `tidegauge liquidity`
        page = "liquidity"                    # the dashboard page it appears on
        endpoint = "liquidity"                # /api/liquidity
        in_report = True                      # a section of `tidegauge report`
        headline = ("net_liquidity", ...)     # figures in the report's headline table

        def compute(self, inputs, p): ...     # pure: data in, result object out
        def section(self, result, inputs, p): ...   # the result as a Section (data, no words)

Every face (terminal, HTML report, dashboard page, Markdown, JSON) renders the section; the CLI
command, the dashboard page and the API endpoint are generated from the declarations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ..errors import NoDataError, StoreError, TidegaugeError
from ..i18n import Message
from ..jsonutil import jsonable
from ..values import Lazy, as_date
from .model import Figure, Section, with_freshness
from .params import Param

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Indicator", "Inputs", "error_text", "load_inputs"]

T = TypeVar("T")
_MISSING = object()


@dataclass
class Inputs:
    """Point-in-time series in canonical units, and what could not be had.

    Attributes
    ----------
    data
        ``{id: Series}`` without missing values.
    report_date
        The date the figures are shown for: the ``as_of`` date of a point-in-time question,
        otherwise today.
    point_in_time
        Whether only data published by ``report_date`` was loaded.
    errors
        ``{id: error}`` for series that could not be loaded (not stored, nothing published).
    memo
        Results shared by indicators computed from the same inputs (:meth:`cached`).
    session
        The session the inputs were loaded from, for the few indicators that read the store's
        history itself ("What changed"); ``None`` for inputs built by hand.
    """

    data: dict[str, pd.Series]
    report_date: dt.date
    point_in_time: bool = False
    errors: dict[str, TidegaugeError] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)
    session: Any = field(default=None, repr=False, compare=False)

    def has(self, sid: str) -> bool:
        return sid in self.data

    def need(self, *ids: str) -> None:
        """:class:`NoDataError` naming the missing ids (and why) unless all are loaded."""
        missing = [sid for sid in ids if sid not in self.data]
        if not missing:
            return
        if missing[0] in self.errors:
            raise self.errors[missing[0]]
        raise NoDataError.t("errors.data.missing_in_store", ids=", ".join(missing))

    def series(self, sid: str) -> pd.Series:
        self.need(sid)
        return self.data[sid]

    def subset(self, ids: Iterable[str]) -> dict[str, pd.Series]:
        return {sid: self.data[sid] for sid in ids if sid in self.data}

    def frame(self, ids: Iterable[str]) -> pd.DataFrame:
        """The series ``ids`` side by side (a missing one is a column of NaN).

        Aligning the series on the union of their dates is built once per set of ids and
        series (several indicators of a report ask for the same frame); each call gets its own
        copy.
        """
        import pandas as pd

        ids = list(ids)
        present = tuple(self.data.get(sid) for sid in ids)
        key = f"frame:{'|'.join(ids)}"
        kept = self.memo.get(key)
        if kept is None or any(a is not b for a, b in zip(kept[0], present, strict=True)):
            given = {sid: self.data[sid] for sid in ids if sid in self.data}
            frame = aligned(given)
            if frame is None:
                frame = pd.DataFrame(given)
            for sid in ids:
                if sid not in frame:
                    frame[sid] = float("nan")
            kept = self.memo[key] = (present, frame[ids])
        return kept[1].copy()

    def last(self, sid: str) -> tuple[float | None, dt.date | None]:
        """The latest value and its date (``(None, None)`` when not loaded); read once per
        series (every section's freshness asks for every input's)."""
        s = self.data.get(sid)
        if s is None or s.empty:
            return None, None
        lasts = self.memo.setdefault("last:", {})
        kept = lasts.get(sid)
        if kept is None or kept[0] is not s:
            kept = lasts[sid] = (s, (float(s.iloc[-1]), as_date(s.index[-1])))
        return kept[1]

    def last_date(self, sid: str) -> dt.date | None:
        return self.last(sid)[1]

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per :class:`Inputs` (shared by the indicators of one report)."""
        value = self.memo.get(key, _MISSING)
        if value is _MISSING:  # (a memo shared between requests may drop a key meanwhile)
            value = self.memo[key] = compute()
        return value  # type: ignore[no-any-return,unused-ignore]


def aligned(series: Mapping[str, pd.Series]) -> pd.DataFrame | None:
    """``pd.DataFrame(series)`` for float series on sorted, unique, naive dates of one
    resolution (what the point-in-time loader gives), aligned with numpy: the union of the
    dates once, then each series placed by binary search (pandas reindexes each series on the
    union, ~2 ms a series). ``None`` for anything else (then use pandas).
    """
    import numpy as np
    import pandas as pd

    if not series:
        return None
    indexes = [s.index for s in series.values()]
    first = indexes[0]
    if not isinstance(first, pd.DatetimeIndex) or first.tz is not None:
        return None
    for s in series.values():
        idx = s.index
        if (
            s.dtype != np.float64
            or not isinstance(idx, pd.DatetimeIndex)
            or idx.tz is not None
            or idx.unit != first.unit
            or idx.name != first.name
            or not idx.is_monotonic_increasing
            or not idx.is_unique
        ):
            return None
    if all(idx.equals(first) for idx in indexes[1:]):
        return None  # one shared index: pandas keeps it as it is (its freq too)
    stamps = [idx.to_numpy().view("i8") for idx in indexes]
    keys = np.unique(np.concatenate(stamps))
    # pandas infers the union's frequency (weekly Wednesdays for the H.4.1 series)
    index = pd.DatetimeIndex(keys.view(f"M8[{first.unit}]"), name=first.name, freq="infer")
    data = np.full((len(keys), len(series)), np.nan, order="F")
    for j, (s, at) in enumerate(zip(series.values(), stamps, strict=True)):
        data[np.searchsorted(keys, at), j] = s.to_numpy()
    return pd.DataFrame(data, index=index, columns=list(series), copy=False)


def load_inputs(
    tg: Any,
    ids: Iterable[str],
    as_of: dt.date | None = None,
    *,
    fetch: bool = True,
    start: dt.date | None = None,
) -> Inputs:
    """The one point-in-time loader: ``ids`` as published by ``as_of`` (default: current).

    See :func:`tidegauge.analysis.asof.snapshot` for how "published by" is decided (the store's
    vintages, else the catalog's publication lag). ``fetch``: series the store lacks are
    fetched first (the dashboard never fetches). Without fetching, within
    :func:`tidegauge.indicators.shared.sharing` (the dashboard's requests), the inputs and the
    results computed from them are shared by the requests of one store state.
    """
    from .shared import current

    wanted = list(dict.fromkeys(ids))
    cache = None if fetch else current()
    if cache is None:
        return _load_inputs(tg, wanted, as_of, fetch, start)
    return cache.inputs(
        tg, wanted, as_of, start, lambda: _load_inputs(tg, wanted, as_of, fetch, start)
    )


def _load_inputs(
    tg: Any, ids: list[str], as_of: dt.date | None, fetch: bool, start: dt.date | None
) -> Inputs:
    from ..analysis.asof import snapshot

    snap = snapshot(tg, ids, as_of, start=start, fetch=fetch)
    for s in snap.data.values():
        # pandas deep-copies ``attrs`` into every result: the hundreds of slices and sums an
        # analysis makes would each copy the load's metadata, which no indicator reads
        s.attrs = {}
    return Inputs(
        data=dict(snap.data),
        report_date=snap.as_of,
        point_in_time=as_of is not None,
        errors=dict(snap.errors),
        session=tg,
    )


def error_text(exc: TidegaugeError) -> Lazy:
    """An error's message, rendered in the face's language."""
    return Lazy(lambda lang: " ".join(exc.message(lang).split()))


class Indicator:
    """Base class of indicators (see the module docstring)."""

    id: ClassVar[str]
    title: ClassVar[str]
    """Message key of the section title."""
    intro: ClassVar[str | None] = None
    """Message key of the section's introduction."""
    summary: ClassVar[str] = ""
    """One line of help for ``tidegauge --help`` (English)."""
    description: ClassVar[str] = ""
    """The command's longer help (English)."""
    inputs: ClassVar[tuple[str, ...]] = ()
    params: ClassVar[tuple[Param, ...]] = ()
    command: ClassVar[tuple[str, ...] | None] = None
    page: ClassVar[str | None] = None
    endpoint: ClassVar[str | None] = None
    in_report: ClassVar[bool] = False
    headline: ClassVar[tuple[str, ...]] = ()
    as_of_param: ClassVar[str | None] = None
    """Name of the parameter that sets the date of knowledge (loads point-in-time inputs)."""
    charts: ClassVar[tuple[str, ...]] = ()
    """Ids of the charts its section draws (``--chart-kind`` choices)."""
    subcommand: ClassVar[str | None] = None
    """Name of a ``choice`` parameter whose values are CLI subcommands (``simulate qt``)."""

    # -- to implement ----------------------------------------------------------------------
    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        """The analysis: a pure function of ``inputs`` and the parsed parameters ``p``."""
        raise NotImplementedError

    def section(self, result: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        """``result`` as a :class:`Section`."""
        raise NotImplementedError

    def to_json(self, result: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        """The JSON of ``result`` (``--json`` and the API); by default ``result.to_dict()``."""
        return dict(result.to_dict())

    def report_params(self, inputs: Inputs) -> dict[str, Any]:
        """Parameters of this indicator's section in the report (default: the defaults)."""
        return {}

    # -- provided --------------------------------------------------------------------------
    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        """The series to load for parameters ``p`` (default: :attr:`inputs`)."""
        return self.inputs

    def defaults(self) -> dict[str, Any]:
        return {q.name: q.default for q in self.params}

    def as_of(self, p: Mapping[str, Any]) -> dt.date | None:
        return p.get(self.as_of_param) if self.as_of_param else None

    def load(self, tg: Any, p: Mapping[str, Any], *, fetch: bool = True) -> Inputs:
        return load_inputs(tg, self.input_ids(p), self.as_of(p), fetch=fetch)

    def run(self, inputs: Inputs, p: Mapping[str, Any] | None = None) -> Section:
        """Compute and build the section; errors propagate (a command fails with one line)."""
        params = {**self.defaults(), **(p or {})}
        result = self.compute(inputs, params)
        section = self.section(result, inputs, params)
        section.result = result
        section.to_json = lambda lang="en": jsonable(self.to_json(result, params, lang))
        latest = {sid: inputs.last_date(sid) for sid in inputs.data}
        return finish(section, inputs.report_date, latest)

    def run_or_explain(self, inputs: Inputs, p: Mapping[str, Any] | None = None) -> Section:
        """:meth:`run`, or a section that says why it is not available (the report)."""
        try:
            return self.run(inputs, p)
        except StoreError:
            raise  # the store cannot be read: no section can be shown, the command fails
        except TidegaugeError as exc:
            return self.unavailable(exc)
        except (LookupError, ValueError, ZeroDivisionError) as exc:  # a bug: say so, go on
            text = " ".join(str(exc).split()) or type(exc).__name__
            return self.unavailable(None, text)

    def unavailable(self, exc: TidegaugeError | None, text: str | None = None) -> Section:
        reason = error_text(exc) if exc is not None else (text or "")
        return Section(
            id=self.id,
            title=Message(self.title),
            intro=Message(self.intro) if self.intro else None,
            errors=[Message("report.text.not_available", reason=reason)],
        )


def finish(
    section: Section, report_date: dt.date, latest: Mapping[str, dt.date | None] | None = None
) -> Section:
    """Give every figure of ``section`` its freshness against ``report_date`` (``latest``: the
    last observation of each loaded series, see :func:`tidegauge.freshness.assess`)."""
    section.figures = [with_freshness(f, report_date, latest) for f in section.figures]
    return section


def figure(key: str, label: str | Message | None = None, **kw: Any) -> Figure:
    """A :class:`Figure` whose label and explanation are the ``report.figure.<key>`` and
    ``report.explain.<key>`` messages unless given (a label may be a key or a message)."""
    kw.setdefault("explanation", Message(f"report.explain.{key}"))
    text = label if isinstance(label, Message) else Message(label or f"report.figure.{key}")
    return Figure(key=key, label=text, **kw)
