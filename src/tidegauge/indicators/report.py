"""The report: every registered indicator's section, computed from one load of the store.

>>> rep = build_report(Tidegauge(mirror="../shared/data/fred"))     # doctest: +SKIP
>>> rep.figure("total_assets").value                                # doctest: +SKIP
6730.912

The faces render it: :func:`tidegauge.presentation.terminal.print_report` (terminal summary),
:func:`tidegauge.presentation.html.render_report` (the self-contained HTML file),
:func:`tidegauge.presentation.markdown.render_markdown` and
:func:`tidegauge.presentation.jsonface.report_json`. ``Tidegauge.report()`` is the Python API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import NoDataError, UsageError
from .base import Indicator, load_inputs
from .model import Figure, Section

__all__ = ["Report", "build_report", "report_indicators"]


def report_indicators(only: Iterable[str] | None = None) -> tuple[Indicator, ...]:
    from .registry import indicators

    wanted = set(only) if only is not None else None
    return tuple(i for i in indicators() if i.in_report and (wanted is None or i.id in wanted))


@dataclass
class Report:
    """Sections in registry order, the headline figures, and the dates behind them.

    Attributes
    ----------
    report_date
        The date the report speaks for: the ``as_of`` date, or today.
    point_in_time
        Whether only data published by ``report_date`` was used.
    sections
        One per indicator (a section that could not be computed says why).
    headline
        The figures each indicator names in its ``headline``, in order.
    series_as_of
        Last observation date of every input series (``None``: not available).
    """

    report_date: dt.date
    point_in_time: bool
    sections: list[Section]
    headline: list[Figure]
    series_as_of: dict[str, dt.date | None] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def section(self, sid: str) -> Section:
        return next(s for s in self.sections if s.id == sid)

    def figure(self, key: str) -> Figure:
        return next(f for s in self.sections for f in s.figures if f.key == key)

    @property
    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]

    def _dated_inputs(self) -> list[tuple[str, dt.date]]:
        seen: dict[str, dt.date] = {}
        for f in self.headline:
            if f.freshness is None:
                continue
            for i in f.freshness.inputs:
                if i.last is not None:
                    seen[i.id] = max(seen.get(i.id, i.last), i.last)
        return sorted(seen.items(), key=lambda kv: kv[1])

    @property
    def newest(self) -> tuple[str, dt.date] | None:
        """The newest input of the headline figures (id, last observation)."""
        dated = self._dated_inputs()
        return dated[-1] if dated else None

    @property
    def oldest(self) -> tuple[str, dt.date] | None:
        """The oldest input of the headline figures (id, last observation)."""
        dated = self._dated_inputs()
        return dated[0] if dated else None

    @property
    def errors(self) -> dict[str, Section]:
        """Sections that could not be computed, by id."""
        return {s.id: s for s in self.sections if s.errors and not s.figures and not s.tables}


def build_report(
    tg: Any,
    *,
    as_of: dt.date | None = None,
    only: Iterable[str] | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    fetch: bool = False,
) -> Report:
    """Load the inputs of every report indicator once and build each section.

    Parameters
    ----------
    tg
        A :class:`~tidegauge.Tidegauge` session (nothing is fetched unless ``fetch``).
    as_of
        Date of knowledge: only data published by then (default: everything stored).
    only
        Indicator ids to include (default: every indicator with ``in_report``).
    params
        ``{indicator id: parameters}`` overriding an indicator's report parameters (e.g. the
        stance's ``rstar``).

    Raises
    ------
    NoDataError
        When the store holds none of the series (run ``tidegauge update`` first).
    UsageError
        ``as_of`` in the future.
    """
    if as_of is not None and as_of > dt.date.today():
        raise UsageError.t("errors.dates.as_of_future", day=as_of)
    chosen = report_indicators(only)
    ids: list[str] = []
    for ind in chosen:
        ids += ind.input_ids(ind.defaults())
    inputs = load_inputs(tg, ids, as_of, fetch=fetch)
    if not inputs.data:
        raise NoDataError.t("errors.data.store_empty")
    sections, headline, used = [], [], {}
    for ind in chosen:
        try:
            p = {**ind.defaults(), **ind.report_params(inputs), **(params or {}).get(ind.id, {})}
        except (NoDataError, LookupError) as exc:
            from ..errors import TidegaugeError

            section = ind.unavailable(exc if isinstance(exc, TidegaugeError) else None, str(exc))
            sections.append(section)
            continue
        used[ind.id] = p
        section = ind.run_or_explain(inputs, p)
        sections.append(section)
        figs = {f.key: f for f in section.figures}
        headline += [figs.get(key) or _placeholder(key) for key in ind.headline]
    series_as_of = {sid: inputs.last_date(sid) for sid in dict.fromkeys(ids)}
    return Report(
        report_date=inputs.report_date,
        point_in_time=as_of is not None,
        sections=sections,
        headline=headline,
        series_as_of=series_as_of,
        params=used,
    )


def _placeholder(key: str) -> Figure:
    """A headline figure its section could not compute: shown as unavailable ("?")."""
    from ..i18n import Message

    return Figure(
        key, Message(f"report.figure.{key}"), explanation=Message(f"report.explain.{key}")
    )
