"""Compare any two series over a window: changes, rebased index, correlations, episodes.

* **Change** of each series from the observation *at or before* the window's start to the one at
  or before its end; the dates actually used are part of the result.
* **Rebased index**: each series divided by its start value, times 100.
* **Correlation** of period changes after resampling both series to a common frequency (the
  coarser of the two: daily < weekly < monthly < quarterly < annual; last value of each period,
  weeks ending Wednesday like the H.4.1). Also a rolling correlation and a lead/lag profile.
* **Episodes**: for every Fed balance-sheet episode (QE, QT, lending, ...) overlapping the window,
  the change of both series over the part of the episode inside the window.
* **Total return**: the pseudo-series ``SP500TR`` is the Shiller monthly S&P 500 with dividends
  reinvested (:func:`tidegauge.analysis.returns.total_return_index`). The file's dividends stop
  in mid-2023 (``0.0`` placeholders, read as missing); months without a dividend are price-only
  and the result says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import NoDataError, UsageError
from .returns import (
    PRICE_ONLY_IDS,
    TOTAL_RETURN_IDS,
    rebase,
    total_return_index,
    value_at_or_before,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TOTAL_RETURN_IDS",
    "CompareResult",
    "Endpoint",
    "compare",
    "episode_table",
    "from_session",
]

Freq = Literal["D", "W", "M", "Q", "A"]
_ORDER: tuple[Freq, ...] = ("D", "W", "M", "Q", "A")
_RULE = {"D": "B", "W": "W-WED", "M": "ME", "Q": "QE", "A": "YE"}
ROLLING_WINDOW: dict[str, int] = {"D": 63, "W": 26, "M": 12, "Q": 8, "A": 5}
"""Default rolling-correlation window per common frequency (about a quarter of daily data, half a
year of weeks, a year of months, two years of quarters)."""
MAX_LAG: dict[str, int] = {"D": 20, "W": 12, "M": 12, "Q": 4, "A": 3}
"""Default largest lead/lag, in periods of the common frequency."""


@dataclass
class Endpoint:
    """One series' change over the window and the observations used at each end."""

    id: str
    start_date: str
    end_date: str
    start_value: float
    end_value: float
    change_pct: float
    total_return: bool
    unit: str = ""
    price_only: bool = False
    price_only_from: str | None = None

    def note(self, lang: str = "en") -> str | None:
        """*price only* for an equity price index; where a total return stops reinvesting."""
        from ..i18n import t

        if self.price_only_from:
            return t("compare.price_only_from", lang, date=self.price_only_from)
        return t("compare.price_only", lang) if self.price_only else None

    def to_dict(self) -> dict[str, Any]:
        keys = (
            "id",
            "start_date",
            "end_date",
            "start_value",
            "end_value",
            "change_pct",
            "total_return",
        )
        return {k: getattr(self, k) for k in keys}


def _endpoint(
    s: pd.Series,
    sid: str,
    start: Any,
    end: Any,
    *,
    total_return: bool,
    unit: str = "",
    price_only: bool = False,
    price_only_from: str | None = None,
) -> Endpoint:
    import pandas as pd

    d0, v0 = value_at_or_before(s, start, sid)
    d1, v1 = value_at_or_before(s, end, sid)
    if d1 <= d0:
        raise NoDataError.t(
            "errors.data.none_in_window",
            series_id=sid,
            start=pd.Timestamp(start).date(),
            end=pd.Timestamp(end).date(),
        )
    return Endpoint(
        sid,
        d0.date().isoformat(),
        d1.date().isoformat(),
        v0,
        v1,
        (v1 / v0 - 1.0) * 100.0,
        total_return,
        unit,
        price_only,
        price_only_from,
    )


def common_frequency(fa: str, fb: str) -> Freq:
    """The coarser of two frequencies."""
    return _ORDER[max(_ORDER.index(fa), _ORDER.index(fb))]  # type: ignore[arg-type,unused-ignore]


def period_changes(s: pd.Series, freq: str) -> pd.Series:
    """Percent change between consecutive periods (last value of each period)."""
    last = s.dropna().resample(_RULE[freq]).last()
    return (last.pct_change(fill_method=None) * 100.0).dropna()


def episode_table(
    a: pd.Series,
    b: pd.Series,
    episodes: pd.DataFrame | None,
    start: Any,
    end: Any,
    a_id: str = "a",
    b_id: str = "b",
) -> pd.DataFrame:
    """Change of ``a`` and ``b`` over each episode's part inside ``start``..``end``.

    ``episodes`` has (at least) ``kind``, ``start``, ``end``, ``program`` and optionally
    ``change_pct`` (the whole episode's balance-sheet change); every episode overlapping the
    window is kept, clipped to it. Changes use observations at or before each clipped end.
    """
    import pandas as pd

    cols = [
        "kind",
        "program",
        "episode_start",
        "episode_end",
        "start",
        "end",
        "a_change_pct",
        "b_change_pct",
        "episode_change_pct",
    ]
    if episodes is None or episodes.empty:
        return pd.DataFrame(columns=cols)
    w0, w1 = pd.Timestamp(start), pd.Timestamp(end)
    rows = []
    has_change = "change_pct" in episodes
    for rec in episodes.to_dict(orient="records"):
        ep: dict[str, Any] = {str(k): v for k, v in rec.items()}
        e0 = pd.Timestamp(ep["start"])
        e1 = pd.Timestamp(ep["end"]) if ep["end"] is not None and not pd.isna(ep["end"]) else w1
        if e0 >= w1 or e1 <= w0:  # touching at one date only is no overlap
            continue
        c0, c1 = max(e0, w0), min(e1, w1)
        row: dict[str, Any] = {
            "kind": ep["kind"],
            "program": None if pd.isna(ep.get("program")) else ep["program"],
            "episode_start": e0.date().isoformat(),
            "episode_end": e1.date().isoformat(),
            "start": c0.date().isoformat(),
            "end": c1.date().isoformat(),
            "episode_change_pct": float(ep["change_pct"]) if has_change else None,
        }
        for key, s, sid in (("a", a, a_id), ("b", b, b_id)):
            try:
                ch = _endpoint(s, sid, c0, c1, total_return=False).change_pct
            except NoDataError:
                ch = None
            row[f"{key}_change_pct"] = ch
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


@dataclass
class CompareResult:
    """Everything :func:`compare` measured. ``to_dict`` gives the CLI's JSON."""

    a: Endpoint
    b: Endpoint
    start: str
    end: str
    frequency: str
    correlation: float | None
    rebased: pd.DataFrame
    changes: pd.DataFrame
    rolling_correlation: pd.Series
    rolling_window: int
    lead_lag: pd.Series
    episodes: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    note_keys: list[tuple[str, dict[str, Any]]] = field(default_factory=list, repr=False)
    """Catalog key and parameters of each note (``notes`` is their English text)."""

    def notes_in(self, lang: str = "en") -> list[str]:
        """The notes in ``lang``."""
        from ..i18n import t

        if not self.note_keys:
            return list(self.notes)
        out = []
        for key, params in self.note_keys:
            p = dict(params)
            if "freq" in p:
                p["freq"] = t(f"frequency.{p['freq']}", lang)
            out.append(t(key, lang, **p))
        return out

    def to_frame(self) -> pd.DataFrame:
        """The rebased index of both series (100 at the start observation)."""
        return self.rebased.copy()

    def best_lag(self) -> tuple[int, float] | None:
        ll = self.lead_lag.dropna()
        if ll.empty:
            return None
        k = int(ll.abs().idxmax())  # type: ignore[call-overload,unused-ignore]
        return k, float(ll.loc[k])

    def to_dict(self) -> dict[str, Any]:
        eps = [
            {k: (None if _isnan(v) else v) for k, v in r.items()}
            for r in self.episodes.to_dict(orient="records")
        ]
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "correlation": self.correlation,
            "episodes": eps,
        }

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        lines = [t("compare.window", lang, start=self.start, end=self.end)]
        for e in (self.a, self.b):
            is_tr = e.total_return or e.price_only_from is not None
            kind = t("compare.total_return" if is_tr else "compare.level", lang)
            lines.append(
                t(
                    "compare.change_line",
                    lang,
                    id=e.id,
                    change=f"{e.change_pct:+.1f}",
                    v0=f"{e.start_value:,.2f}",
                    d0=e.start_date,
                    v1=f"{e.end_value:,.2f}",
                    d1=e.end_date,
                    kind=kind,
                    unit=_unit_label(e.unit, lang),
                )
            )
            note = e.note(lang)
            if note:
                lines.append("  " + note)
        corr = "—" if self.correlation is None else f"{self.correlation:+.2f}"
        lines.append(
            t(
                "compare.correlation_line",
                lang,
                corr=corr,
                freq=t(f"frequency.{self.frequency}", lang),
            )
        )
        bl = self.best_lag()
        if bl is not None:
            lines.append(
                t(
                    "compare.lead_lag_line",
                    lang,
                    lag=bl[0],
                    corr=f"{bl[1]:+.2f}",
                    freq=t(f"frequency.{self.frequency}", lang),
                )
            )
        return "\n".join(lines)


def _unit_label(unit: str, lang: str) -> str:
    """The catalog unit in ``lang`` (the raw unit when the catalog has no label for it)."""
    from ..i18n import catalog, t

    return t(f"unit.{unit}", lang) if f"unit.{unit}" in catalog() else unit


def _isnan(v: Any) -> bool:
    return isinstance(v, float) and v != v


def compare(
    a: pd.Series,
    b: pd.Series,
    start: Any,
    end: Any,
    *,
    freq_a: Freq = "D",
    freq_b: Freq = "D",
    episodes: pd.DataFrame | None = None,
    rolling_window: int | None = None,
    max_lag: int | None = None,
    total_return_a: bool = False,
    total_return_b: bool = False,
    units: tuple[str, str] = ("", ""),
    price_only: tuple[bool, bool] = (False, False),
    price_only_from: tuple[str | None, str | None] = (None, None),
) -> CompareResult:
    """Compare two series over ``start``..``end``.

    Parameters
    ----------
    a, b
        The series (named by their ids), canonical units.
    start, end
        The window; each end uses the observation at or before it.
    freq_a, freq_b
        Native frequencies; the correlations use the coarser one.
    episodes
        Fed episodes (``kind``, ``start``, ``end``, ``program``, ``change_pct``), e.g.
        ``fed_regimes(tg).episodes``.
    rolling_window, max_lag
        Periods of the common frequency; defaults in :data:`ROLLING_WINDOW` and :data:`MAX_LAG`.
    total_return_a, total_return_b
        Whether the series is a total-return index over the whole window (reported as is).
    units
        Canonical units of ``a`` and ``b`` (for display).
    price_only, price_only_from
        Per series: an equity price index (labelled *price only*); the month from which a
        total-return index has no dividends.

    Returns
    -------
    CompareResult
    """
    import pandas as pd

    w0, w1 = pd.Timestamp(start), pd.Timestamp(end)
    if w0 >= w1:
        raise UsageError.t("errors.dates.not_before", start=w0.date(), end=w1.date())
    a_id, b_id = str(a.name), str(b.name)
    ea = _endpoint(
        a,
        a_id,
        w0,
        w1,
        total_return=total_return_a,
        unit=units[0],
        price_only=price_only[0],
        price_only_from=price_only_from[0],
    )
    eb = _endpoint(
        b,
        b_id,
        w0,
        w1,
        total_return=total_return_b,
        unit=units[1],
        price_only=price_only[1],
        price_only_from=price_only_from[1],
    )
    freq = common_frequency(freq_a, freq_b)
    ca = period_changes(a.loc[pd.Timestamp(ea.start_date) : w1], freq)
    cb = period_changes(b.loc[pd.Timestamp(eb.start_date) : w1], freq)
    changes = pd.concat({a_id: ca, b_id: cb}, axis=1, sort=True).loc[:w1].dropna()
    corr = float(changes[a_id].corr(changes[b_id])) if len(changes) > 2 else None
    if corr is not None and corr != corr:
        corr = None
    window = rolling_window or ROLLING_WINDOW[freq]
    rolling = changes[a_id].rolling(window).corr(changes[b_id]).dropna()
    lags = range(-(max_lag or MAX_LAG[freq]), (max_lag or MAX_LAG[freq]) + 1)
    lead_lag = pd.Series(
        {k: changes[a_id].corr(changes[b_id].shift(-k)) for k in lags}, name="correlation"
    )
    lead_lag.index.name = "lag"
    rebased = pd.concat({a_id: rebase(a, w0, w1), b_id: rebase(b, w0, w1)}, axis=1, sort=True)
    eps = episode_table(a, b, episodes, w0, w1, a_id, b_id)
    note_keys: list[tuple[str, dict[str, Any]]] = [
        ("notes.compare.resampled", {"freq": freq}),
        ("notes.compare.lead_lag", {"a": a_id, "b": b_id}),
    ]
    res = CompareResult(
        ea,
        eb,
        w0.date().isoformat(),
        w1.date().isoformat(),
        freq,
        corr,
        rebased,
        changes,
        rolling,
        window,
        lead_lag,
        eps,
        note_keys=note_keys,
    )
    res.notes = res.notes_in("en")
    return res


@dataclass
class _Loaded:
    series: pd.Series
    freq: str
    total_return: bool
    unit: str
    price_only: bool = False
    price_only_from: str | None = None


def input_ids(sid: str) -> tuple[str, ...]:
    """The stored series ``sid`` is built from (``SP500TR``: the Shiller price and dividends)."""
    if sid.upper() in TOTAL_RETURN_IDS:
        return ("SPX_SHILLER", "SPX_DIV")
    return (sid.upper(),)


def prepare(data: Any, sid: str, start: pd.Timestamp, end: pd.Timestamp) -> _Loaded:
    """A catalog id from ``data`` (``{id: Series}``), or the total-return pseudo-id built from
    the Shiller price and dividends; observations after ``end`` are left out."""
    import pandas as pd

    from ..catalog import get

    early = start - pd.DateOffset(years=1)
    if sid.upper() in TOTAL_RETURN_IDS:
        for need in input_ids(sid):
            if need not in data:
                raise NoDataError.t("errors.data.missing_in_store", ids=need)
        price = data["SPX_SHILLER"].loc[early:end]
        div = data["SPX_DIV"].loc[early:end]
        tr = total_return_index(price, div)
        s = tr["total_return"].rename("SP500TR")
        d0, _ = value_at_or_before(s, start, "SP500TR")
        d1, _ = value_at_or_before(s, end, "SP500TR")
        inc = tr["dividend_included"].loc[d0 + pd.Timedelta(days=1) : d1]
        full = bool(inc.all()) and not inc.empty
        stop = None if full or inc.empty else inc[~inc].index[0].date().isoformat()[:7]
        return _Loaded(s, "M", full, "index", price_only=False, price_only_from=stop)
    info = get(sid)
    raw = data.get(info.id)
    if raw is None or raw.loc[:end].dropna().empty:
        raise NoDataError.t("errors.data.none_before_window", series_id=info.id, date=end.date())
    s = raw.loc[:end].dropna()
    return _Loaded(
        s.rename(info.id), info.frequency, False, info.unit, price_only=info.id in PRICE_ONLY_IDS
    )


def _load(tg: Any, sid: str, start: pd.Timestamp, end: pd.Timestamp) -> _Loaded:
    """:func:`prepare` with the series read from a session."""
    data = {}
    for need in input_ids(sid):
        try:
            data[need] = tg.series(need, None, end.date())
        except NoDataError:
            continue
    return prepare(data, sid, start, end)


def compare_loaded(la: _Loaded, lb: _Loaded, start: Any, end: Any, **kwargs: Any) -> CompareResult:
    """:func:`compare` two prepared series (:func:`prepare`)."""
    return compare(
        la.series,
        lb.series,
        start,
        end,
        freq_a=la.freq,  # type: ignore[arg-type]
        freq_b=lb.freq,  # type: ignore[arg-type]
        total_return_a=la.total_return,
        total_return_b=lb.total_return,
        units=(la.unit, lb.unit),
        price_only=(la.price_only, lb.price_only),
        price_only_from=(la.price_only_from, lb.price_only_from),
        **kwargs,
    )


def from_session(
    tg: Any,
    a_id: str,
    b_id: str,
    start: str | dt.date,
    end: str | dt.date,
    *,
    episodes: pd.DataFrame | None = None,
    **kwargs: Any,
) -> CompareResult:
    """:func:`compare` two ids of a session (``SP500TR`` = S&P 500 total return); the Fed
    episodes default to ``tidegauge.analysis.regimes.fed_regimes(tg).episodes``."""
    import pandas as pd

    from .._dates import check_window, parse_date

    d0, d1 = parse_date(start, "start"), parse_date(end, "end")
    if d0 is None or d1 is None:
        raise UsageError.t("errors.dates.compare_needs_both")
    check_window(d0, d1)
    w0, w1 = pd.Timestamp(d0), pd.Timestamp(d1)
    la, lb = _load(tg, a_id, w0, w1), _load(tg, b_id, w0, w1)
    if episodes is None:
        episodes = fed_episodes(tg)
    return compare_loaded(la, lb, w0, w1, episodes=episodes, **kwargs)


def fed_episodes(tg: Any) -> pd.DataFrame:
    """The Fed's detected balance-sheet episodes (``tidegauge.analysis.regimes``)."""
    from .regimes import fed_regimes  # type: ignore[import-not-found,unused-ignore]

    episodes: pd.DataFrame = fed_regimes(tg).episodes
    return episodes
