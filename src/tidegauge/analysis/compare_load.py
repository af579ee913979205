"""Loading the two series of a comparison: catalog ids in canonical units, with their unit
and frequency, or the ``SP500TR`` pseudo-series (Shiller price with dividends reinvested, only
where the dividends cover the window; otherwise the price index, named as such).
Re-exported by :mod:`.compare`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import NoDataError, UsageError
from .returns import PRICE_ONLY_IDS, TOTAL_RETURN_IDS, total_return_index, value_at_or_before

if TYPE_CHECKING:
    import pandas as pd

    from .compare import CompareResult

__all__ = ["compare_loaded", "fed_episodes", "from_session", "input_ids", "prepare"]


@dataclass
class _Loaded:
    series: pd.Series
    freq: str
    total_return: bool
    unit: str
    price_only: bool = False
    price_only_from: str | None = None
    note_key: tuple[str, dict[str, Any]] | None = None


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
        if bool(inc.all()) and not inc.empty:
            return _Loaded(s, "M", True, "index")
        # dividends do not cover the window: compare the price index, named as such
        last = div.where(div > 0).dropna()
        until = last.index[-1].date().isoformat()[:7] if not last.empty else "—"
        return _Loaded(
            price.dropna().rename("SPX_SHILLER"),
            "M",
            False,
            "index",
            price_only=True,
            note_key=("compare.tr_not_covered", {"until": until}),
        )
    info = get(sid)
    raw = data.get(info.id)
    part: pd.Series | None = None
    if raw is not None:
        part = raw.loc[:end]
        if part.hasnans:  # (the store's series have no missing values: no copy then)
            part = part.dropna()
    if part is None or part.empty:
        raise NoDataError.t("errors.data.none_before_window", series_id=info.id, date=end.date())
    return _Loaded(
        part.rename(info.id), info.frequency, False, info.unit, price_only=info.id in PRICE_ONLY_IDS
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
    """:func:`~.compare.compare` two prepared series (:func:`prepare`)."""
    from .compare import compare

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
        notes=(la.note_key, lb.note_key),
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
