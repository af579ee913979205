"""The comparison's fast helpers give exactly what their pandas formulation gives, on real data.

:func:`~tidegauge.analysis.periods.period_last` (period labels in numpy) against
``resample(rule).last()``, :func:`~tidegauge.analysis.returns.value_at_or_before` (a binary
search) against ``dropna().loc[:date]``, :func:`~tidegauge.analysis.compare.lead_lag_profile`
against ``Series.corr`` of shifted series, and whole comparisons against the same comparison
computed with the pandas formulations: equal, not approximately equal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidegauge.analysis import compare, compare_load, returns
from tidegauge.analysis.periods import RULES, period_last
from tidegauge.errors import NoDataError, TidegaugeError

IDS = ("DGS10", "DFF", "SP500", "WALCL", "WRESBAL", "CPIAUCSL", "GDP", "SPX_SHILLER")
"""Daily (business days; DFF every calendar day), weekly, monthly and quarterly series."""

_cache: dict[str, pd.Series] = {}


def series(tg: Any, sid: str) -> pd.Series:
    if sid not in _cache:
        _cache[sid] = tg.series(sid).rename(sid)
    return _cache[sid]


def holed(tg: Any) -> pd.Series:
    """WALCL on the union of its dates and DGS10's: missing values on most days."""
    walcl, dgs = series(tg, "WALCL"), series(tg, "DGS10")
    return walcl.reindex(walcl.index.union(dgs.index))


def pandas_period_last(s: pd.Series, freq: str) -> pd.Series:
    return s.dropna().resample(RULES[freq]).last()


def pandas_value_at_or_before(s: pd.Series, date: Any) -> tuple[pd.Timestamp, float] | None:
    part = s.dropna().loc[: pd.Timestamp(date)]
    return None if part.empty else (part.index[-1], float(part.iloc[-1]))


def pandas_lead_lag(x: pd.Series, y: pd.Series, lags: range) -> pd.Series:
    profile = pd.Series(
        {k: x.corr(y.shift(-k), min_periods=compare.LEAD_LAG_MIN_PAIRS) for k in lags},
        name="correlation",
        dtype=float,
    )
    profile.index.name = "lag"
    return profile


def pandas_period_changes(s: pd.Series, freq: str, kind: str = "percent") -> pd.Series:
    last = pandas_period_last(s, freq)
    if kind == "points":
        return last.diff().dropna()
    return (last.pct_change(fill_method=None) * 100.0).dropna()


window = st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sid=st.sampled_from(IDS), freq=st.sampled_from(tuple(RULES)), w=window)
def test_period_last_is_resample_last(mirror_session, sid: str, freq: str, w: list[float]) -> None:
    s = series(mirror_session, sid)
    part = s.iloc[int(w[0] * len(s)) : int(w[1] * len(s)) + 1]
    pd.testing.assert_series_equal(
        period_last(part, freq), pandas_period_last(part, freq), check_freq=False
    )


@pytest.mark.parametrize("freq", tuple(RULES))
def test_period_last_whole_series_and_holes(mirror_session, freq: str) -> None:
    for s in (*(series(mirror_session, sid) for sid in IDS), holed(mirror_session)):
        pd.testing.assert_series_equal(
            period_last(s, freq), pandas_period_last(s, freq), check_freq=False
        )


def test_period_last_hands_other_indexes_to_pandas(mirror_session) -> None:
    s = series(mirror_session, "WALCL").iloc[-60:]
    timed = s.set_axis(s.index + pd.Timedelta(hours=17))  # times of day
    zoned = s.tz_localize("America/New_York")
    for other in (timed, zoned):
        pd.testing.assert_series_equal(period_last(other, "M"), pandas_period_last(other, "M"))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sid=st.sampled_from((*IDS, "holed")), at=st.floats(-0.05, 1.05), hours=st.integers(0, 23))
def test_value_at_or_before_is_last_of_slice(
    mirror_session, sid: str, at: float, hours: int
) -> None:
    s = holed(mirror_session) if sid == "holed" else series(mirror_session, sid)
    first, last = s.index[0], s.index[-1]
    date = first + (last - first) * at + pd.Timedelta(hours=hours)
    want = pandas_value_at_or_before(s, date)
    if want is None:
        with pytest.raises(NoDataError, match=str(s.dropna().index[0].date())):
            returns.value_at_or_before(s, date, sid)
        return
    assert returns.value_at_or_before(s, date, sid) == want
    assert returns.value_at_or_before(s, date.isoformat(), sid) == want


def test_value_at_or_before_on_exact_dates(mirror_session) -> None:
    s = holed(mirror_session)
    dates = s.dropna().index
    for date in dates[1::97]:
        assert returns.value_at_or_before(s, date) == pandas_value_at_or_before(s, date)
        before = date - pd.Timedelta(days=1)
        assert returns.value_at_or_before(s, before) == pandas_value_at_or_before(s, before)
    assert returns.value_at_or_before(s, dates[0]) == pandas_value_at_or_before(s, dates[0])


@pytest.mark.parametrize(("a", "b", "freq"), [("WALCL", "DGS10", "W"), ("DGS10", "SP500", "D")])
def test_lead_lag_profile_is_corr_of_shifted(mirror_session, a: str, b: str, freq: str) -> None:
    sa, sb = series(mirror_session, a), series(mirror_session, b)
    for start in ("2016-02-01", "2019-06-15", "2022-03-01", "2025-09-01"):
        ca = pandas_period_changes(sa.loc[start:], freq)
        cb = pandas_period_changes(sb.loc[start:], freq, "points")
        changes = pd.concat({a: ca, b: cb}, axis=1, sort=True).dropna()
        for n in (len(changes), 20, 9, 5):  # down to fewer pairs than a lag needs
            part = changes.iloc[:n]
            lags = range(-compare.MAX_LAG[freq], compare.MAX_LAG[freq] + 1)
            got = compare.lead_lag_profile(part[a], part[b], lags)
            pd.testing.assert_series_equal(
                got, pandas_lead_lag(part[a], part[b], lags), check_exact=True
            )


PAIRS = (
    ("WALCL", "SP500"),
    ("WALCL", "DGS10"),
    ("WALCL", "WRESBAL"),
    ("WALCL", "WTREGEN"),
    ("SP500TR", "DGS10"),
    ("CPIAUCSL", "DGS10"),
    ("GDP", "WALCL"),
    ("DFF", "SP500"),
)
STARTS = ("2003-01-01", "2008-09-17", "2012-12-31", "2016-03-01", "2020-02-29", "2024-07-01")


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_compare_equals_pandas_formulation(
    mirror_session, monkeypatch: pytest.MonkeyPatch, a: str, b: str
) -> None:
    from tidegauge.analysis.regimes import fed_regimes

    episodes = fed_regimes(mirror_session).episodes
    end = dt.date(2026, 8, 31)

    def run(start: str) -> Any:
        try:
            return compare_load.from_session(mirror_session, a, b, start, end, episodes=episodes)
        except TidegaugeError as exc:
            return type(exc)

    fast = [run(start) for start in STARTS]
    with monkeypatch.context() as m:
        m.setattr(compare, "period_changes", pandas_period_changes)
        m.setattr(compare, "lead_lag_profile", pandas_lead_lag)
        m.setattr(
            compare,
            "value_at_or_before",
            lambda s, date, name="series": returns._value_at_or_before_any(
                s, pd.Timestamp(date), name
            ),
        )
        slow = [run(start) for start in STARTS]
    compared = 0
    for got, want in zip(fast, slow, strict=True):
        if isinstance(want, type):
            assert got is want
            continue
        compared += 1
        assert got.to_dict() == want.to_dict()
        assert got.correlation == want.correlation and got.best_lag() == want.best_lag()
        assert got.notes == want.notes
        pd.testing.assert_frame_equal(got.changes, want.changes, check_freq=False)
        pd.testing.assert_frame_equal(got.rebased, want.rebased, check_freq=False)
        pd.testing.assert_series_equal(
            got.rolling_correlation, want.rolling_correlation, check_freq=False
        )
        pd.testing.assert_series_equal(got.lead_lag, want.lead_lag, check_exact=True)
        pd.testing.assert_frame_equal(got.episodes, want.episodes, check_exact=True)
    assert compared >= 2


def test_records_is_to_dict_records(mirror_session) -> None:
    from tidegauge.analysis.compare_result import records
    from tidegauge.analysis.regimes import fed_regimes

    episodes = fed_regimes(mirror_session).episodes
    res = compare_load.from_session(
        mirror_session, "WALCL", "DGS10", "2008-01-01", "2026-08-31", episodes=episodes
    )
    for frame in (episodes, res.episodes, res.episodes.iloc[:0]):
        got, want = records(frame), frame.to_dict(orient="records")
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert list(g) == list(w)
            for k in w:
                assert type(g[k]) is type(w[k]), k
                assert g[k] == w[k] or (pd.isna(g[k]) and pd.isna(w[k])), k
    assert any(r["program"] == "QT2" for r in records(episodes))
