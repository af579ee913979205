"""The overview: every headline figure and section result of ``tidegauge report`` in one tree.

:func:`build_overview` loads the series it needs **once** (one :meth:`Tidegauge.load`, or two
for a past ``as_of``), hands them to the pure analyses and returns an :class:`Overview`:

* ``figures`` — the headline :class:`Figure` s (regime, total assets, net liquidity, reserves and
  the gauge, policy rate, 10-year nominal / TIPS / breakeven, realised real policy rate and the
  stance, the checklist verdict), each with its unit, the date of the observation it comes from,
  its FRED ids and the message key of its explanation;
* the section results (:class:`~tidegauge.analysis.regimes.RegimeResult`, liquidity, compare,
  real rates, checklist, attractiveness, effectiveness), or the reason a section is missing in
  ``errors``.

The terminal summary, the HTML and Markdown reports and the dashboard all render this one model;
:meth:`Overview.to_dict` is its JSON.

>>> ov = build_overview(Tidegauge(mirror="../shared/data/fred"))   # doctest: +SKIP
>>> ov.figure("total_assets").value, ov.figure("total_assets").as_of  # doctest: +SKIP
(6730.912, '2026-08-26')
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .._typing import DateLike, Lang
from ..errors import NoDataError, StoreError, TidegaugeError
from ..i18n import t
from .fmt import NA, fmt_date, fmt_value

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.attractiveness import Attractiveness
    from ..analysis.checklist import ChecklistResult
    from ..analysis.compare import CompareResult
    from ..analysis.effectiveness import EventStudy, Scorecard
    from ..analysis.liquidity import LiquidityResult
    from ..analysis.realrates import MarketRates, RealisedRates
    from ..analysis.realrates_history import RealRateHistory
    from ..analysis.realrates_snapshot import RealRateSnapshot
    from ..analysis.regimes import RegimeResult

__all__ = ["FIGURE_KEYS", "IDS", "SECTIONS", "Figure", "Overview", "build_overview", "load_data"]

Period = Literal["day", "week", "month", "quarter", "year"]

IDS: tuple[str, ...] = (
    "WALCL", "TREAST", "WSHOMCB", "WRESBAL", "WTREGEN", "RRPONTSYD", "GDP",
    "DFF", "FEDFUNDS", "DGS10", "DFII10", "DGS5", "DFII5", "T10YIE", "T5YIE", "T5YIFR", "GS10",
    "CPIAUCSL", "PCEPILFE", "UNRATE", "TOTBKCR", "FYFSD", "SP500", "SPX_SHILLER", "SPX_CAPE",
    "BAMLH0A0HYM2", "GOLD", "GDPC1", "UMCSENT",
)  # fmt: skip
"""Every series the overview reads (series the store lacks make their parts unavailable)."""

SECTIONS: tuple[str, ...] = (
    "balance", "liquidity", "compare", "realrates", "stance", "checklist", "attractiveness",
    "effectiveness",
)  # fmt: skip
"""Report sections, in order."""

FIGURE_KEYS: tuple[str, ...] = (
    "regime", "episode_change", "previous_episode", "total_assets", "net_liquidity", "reserves",
    "reserves_pct_gdp", "reserves_gauge", "policy_rate", "nominal_10y", "tips_10y",
    "breakeven_10y", "cpi_yoy", "real_policy_rate", "stance", "checklist_verdict",
)  # fmt: skip
"""Headline figures, in display order (each has ``report.figure.<key>`` and
``report.explain.<key>`` messages)."""

COMPARE_PROGRAM = "QT2"
"""The compare section shows Fed total assets versus the S&P 500 over this program's window."""

R = TypeVar("R")


@dataclass(frozen=True)
class Figure:
    """One headline figure.

    Attributes
    ----------
    key
        Identifier (:data:`FIGURE_KEYS`); label ``report.figure.<key>``.
    value
        A number in ``unit``, a category code when ``unit == "category"`` (a regime kind, a
        gauge level, a stance, a verdict), or ``None`` when not available.
    unit
        Canonical unit (``"USD billions"``, ``"percent"``) or ``"category"``.
    as_of
        ISO date of the observation the value comes from.
    source_ids
        Catalog ids it is computed from.
    explanation_key
        Message key of the short explanation (what it is, why it matters).
    period
        Granularity of ``as_of`` (monthly data is dated the first of its month).
    detail
        Supporting numbers (episode start, thresholds, components...), JSON-ready.
    category
        For categories: the message key that names ``value``.
    """

    key: str
    value: float | str | None
    unit: str
    as_of: str | None
    source_ids: tuple[str, ...]
    explanation_key: str
    period: Period = "day"
    detail: dict[str, Any] = field(default_factory=dict)
    category: str | None = None
    note: str | None = None

    @property
    def available(self) -> bool:
        return self.value is not None

    def label(self, lang: Lang = "en") -> str:
        return t(f"report.figure.{self.key}", lang)

    def text(self, lang: Lang = "en") -> str:
        """The value formatted for ``lang`` (translated category, or number with its unit)."""
        if self.value is None:
            return NA
        if self.unit == "category":
            return t(str(self.category), lang)
        sign = self.key in ("episode_change", "previous_episode")
        return fmt_value(float(self.value), self.unit, lang, sign=sign)

    def date_text(self, lang: Lang = "en") -> str:
        precision: Literal["day", "month", "year"] = (
            "year"
            if self.period == "year"
            else "month"
            if self.period in ("month", "quarter")
            else "day"
        )
        return fmt_date(self.as_of, lang, precision=precision)

    def explanation(self, lang: Lang = "en") -> str:
        return t(self.explanation_key, lang)

    def context(self, lang: Lang = "en") -> str:
        """A short line of supporting detail (episode dates, thresholds...), or ``""``."""
        from .report._context import figure_context

        return figure_context(self, lang)

    def to_dict(self, lang: Lang | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "value": _json(self.value),
            "unit": self.unit,
            "as_of": self.as_of,
            "period": self.period,
            "source_ids": list(self.source_ids),
            "explanation_key": self.explanation_key,
            "detail": _json(self.detail),
        }
        if lang is not None:
            out |= {
                "label": self.label(lang),
                "text": self.text(lang),
                "date_text": self.date_text(lang),
                "context": self.context(lang),
                "explanation": self.explanation(lang),
            }
        return out


@dataclass
class Overview:
    """Everything the report shows; sections that could not be computed are ``None`` and named
    in ``errors`` with the reason."""

    as_of: str
    point_in_time: bool
    figures: list[Figure]
    series_as_of: dict[str, str | None]
    regimes: RegimeResult | None = None
    liquidity: LiquidityResult | None = None
    compare: CompareResult | None = None
    realrates: RealRateSnapshot | None = None
    market: MarketRates | None = None
    realised: RealisedRates | None = None
    history: RealRateHistory | None = None
    checklist: ChecklistResult | None = None
    attractiveness: Attractiveness | None = None
    scorecard: Scorecard | None = None
    events: EventStudy | None = None
    errors: dict[str, str] = field(default_factory=dict)
    data: dict[str, pd.Series] = field(default_factory=dict, repr=False)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    @property
    def data_date(self) -> str:
        """The date the report speaks for: the chosen ``--as-of`` date, otherwise the newest
        observation among the headline figures (not the day the report was run)."""
        if self.point_in_time:
            return self.as_of
        dates = [f.as_of for f in self.figures if f.as_of]
        return max(dates) if dates else self.as_of

    def to_dict(self, lang: Lang | None = None) -> dict[str, Any]:
        """JSON-ready tree: figures (formatted too when ``lang`` is given) and section results."""
        sections: dict[str, Any] = {}
        parts: dict[str, Any] = {
            "balance": self.regimes,
            "liquidity": self.liquidity,
            "compare": self.compare,
            "realrates": self.realrates,
            "realrate_history": self.history,
            "checklist": self.checklist,
            "attractiveness": self.attractiveness,
            "effectiveness": self.scorecard,
            "events": self.events,
        }
        for name, part in parts.items():
            sections[name] = None if part is None else _json(part.to_dict())
        return {
            "as_of": self.as_of,
            "data_date": self.data_date,
            "point_in_time": self.point_in_time,
            "figures": [f.to_dict(lang) for f in self.figures],
            "sections": sections,
            "series_as_of": dict(self.series_as_of),
            "errors": dict(self.errors),
        }


def _json(x: Any) -> Any:
    """Recursively JSON-ready: dates → ISO, numpy scalars → Python, NaN → None."""
    if isinstance(x, dict):
        return {str(k): _json(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_json(v) for v in x]
    if isinstance(x, bool) or x is None or isinstance(x, str | int):
        return x
    if isinstance(x, float):
        return None if math.isnan(x) or math.isinf(x) else x
    if isinstance(x, dt.datetime):  # includes pandas Timestamp; a bare date stays a date
        midnight = x.time() == dt.time() and x.tzinfo is None
        return x.date().isoformat() if midnight else x.isoformat()
    if isinstance(x, dt.date):
        return x.isoformat()
    if hasattr(x, "item"):  # numpy scalar
        return _json(x.item())
    return str(x)


# -- data ----------------------------------------------------------------------------------------
def load_data(tg: Any, as_of: dt.date | None = None) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """:data:`IDS` from the store (never fetched here), as a wide frame and a dict of series.

    With ``as_of``: what was published by that date — the store's vintage as of that day when
    it has one, else current values whose observation date plus the catalog's publication lag is
    on or before ``as_of`` (see :mod:`tidegauge.analysis.asof`). Two loads in all.
    """
    import pandas as pd

    from ..analysis.asof import published_by
    from ..catalog import CATALOG

    if as_of is None:
        frame = tg.load(list(IDS), fetch_missing=False)
        data = {sid: frame[sid].dropna() for sid in IDS}
    else:
        known = tg.load(list(IDS), end=as_of, as_of=as_of, fetch_missing=False)
        current = tg.load(list(IDS), end=as_of, fetch_missing=False)
        data = {}
        for sid in IDS:
            s = known[sid].dropna()
            if s.empty:
                s = published_by(current[sid].dropna(), as_of, CATALOG[sid].publication_lag_days)
            data[sid] = s
        frame = pd.DataFrame({sid: s for sid, s in data.items() if not s.empty})
        for sid in IDS:
            if sid not in frame:
                frame[sid] = float("nan")
    data = {sid: s.rename(sid) for sid, s in data.items() if not s.empty}
    return frame, data


def _attempt(errors: dict[str, str], name: str, fn: Callable[[], R], lang: str) -> R | None:
    try:
        return fn()
    except StoreError:
        raise  # the store cannot be read: no section can be shown, the command fails
    except TidegaugeError as exc:
        errors[name] = " ".join(exc.message(lang).split())
        return None
    except (LookupError, ValueError, ZeroDivisionError) as exc:  # a bug: English detail
        errors[name] = " ".join(str(exc).split()) or type(exc).__name__
        return None


_ERROR_SECTION = {"realrate_history": "realrates", "events": "effectiveness"}


def error_label(name: str, lang: str = "en") -> str:
    """The title of the report section an ``Overview.errors`` entry belongs to, in ``lang``."""
    from ..i18n import t

    return t(f"report.section.{_ERROR_SECTION.get(name, name)}.title", lang)


def _iso(x: Any) -> str | None:
    return None if x is None else str(_json(x))


# -- build ---------------------------------------------------------------------------------------
def build_overview(
    tg: Any, *, as_of: DateLike | None = None, lang: Lang = "en", rstar: float | None = None
) -> Overview:
    """Load the data once and compute every figure and section.

    Parameters
    ----------
    tg
        A :class:`~tidegauge.Tidegauge` session (nothing is fetched: update first).
    as_of
        Date of knowledge: only data published by then (default: everything stored).
    lang
        Language of the program labels inside section tables and of ``errors``.
    rstar
        Neutral real policy rate for the stance (default
        :data:`~tidegauge.analysis.realrates.DEFAULT_RSTAR`).

    Raises
    ------
    NoDataError
        When the store holds none of the series (run ``tidegauge update`` first).
    """
    from ..analysis.asof import parse_as_of

    day = parse_as_of(as_of)
    if day is not None and day > dt.date.today():
        from ..errors import UsageError

        raise UsageError.t("errors.dates.as_of_future", day=day)
    frame, data = load_data(tg, day)
    if not data:
        raise NoDataError.t("errors.data.store_empty")
    series_as_of = {sid: (_iso(data[sid].index[-1]) if sid in data else None) for sid in IDS}
    errors: dict[str, str] = {}
    ov = Overview(
        as_of=(day or dt.date.today()).isoformat(),
        point_in_time=day is not None,
        figures=[],
        series_as_of=series_as_of,
        errors=errors,
        data=data,
    )
    from . import overview_sections as sec

    ov.regimes = _attempt(errors, "balance", lambda: sec.regimes(data), lang)
    ov.liquidity = _attempt(errors, "liquidity", lambda: sec.liquidity(data), lang)
    ov.compare = _attempt(errors, "compare", lambda: sec.compare(data, ov.regimes), lang)
    ov.realrates = _attempt(errors, "realrates", lambda: sec.snapshot(frame, rstar), lang)
    rr = _attempt(errors, "realrate_history", lambda: sec.realrate_frames(frame), lang)
    if rr is not None:
        ov.market, ov.realised, ov.history = rr
    ov.checklist = _attempt(errors, "checklist", lambda: sec.checklist(data, ov.as_of), lang)
    ov.attractiveness = _attempt(errors, "attractiveness", lambda: sec.attractiveness(data), lang)
    ov.scorecard = _attempt(errors, "effectiveness", lambda: sec.scorecard(data, lang), lang)
    ov.events = _attempt(errors, "events", lambda: sec.events(data, lang), lang)
    ov.figures = sec.figures(ov)
    return ov
