"""A comparison computed on arrays (:mod:`tidegauge.analysis.compare_arrays`) is the comparison
the pandas formulation gives, on real mirror data: WALCL against each of DGS10, SP500, WRESBAL
and WTREGEN over many windows, every field of the result equal (not approximately equal),
down to the frequency pandas infers for an index.

The reference is the pandas formulation written out here as it was before the array path:
``period_changes`` on :func:`~tidegauge.analysis.periods.period_last`, ``concat`` of the
changes, ``rebase`` by slicing, the episode table row by row from
``to_dict(orient="records")``, the lead/lag profile as ``Series.corr`` of shifted series.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from test_compare_equivalence import pandas_lead_lag  # the pandas formulation, written once
from tidegauge.analysis import compare, compare_arrays, compare_load
from tidegauge.analysis.periods import period_last
from tidegauge.errors import NoDataError, TidegaugeError

PAIRS = (("WALCL", "DGS10"), ("WALCL", "SP500"), ("WALCL", "WRESBAL"), ("WALCL", "WTREGEN"))


def old_period_changes(s: pd.Series, freq: str, kind: str = "percent") -> pd.Series:
    last = period_last(s, freq)  # resample(RULES[freq]).last(), without setting a freq
    if kind == "points":
        return last.diff().dropna()
    return (last.pct_change(fill_method=None) * 100.0).dropna()


def old_value_at_or_before(s: pd.Series, date: Any, name: str = "series") -> tuple[Any, float]:
    part = s.dropna().loc[: pd.Timestamp(date)]
    if part.empty:
        raise NoDataError(f"no {name} before {date}")
    return part.index[-1], float(part.iloc[-1])


def old_episode_table(
    a: pd.Series,
    b: pd.Series,
    episodes: pd.DataFrame | None,
    start: Any,
    end: Any,
    a_id: str = "a",
    b_id: str = "b",
    units: tuple[str, str] = ("", ""),
) -> pd.DataFrame:
    cols = list(compare_arrays.EPISODE_COLUMNS)
    if episodes is None or episodes.empty:
        return pd.DataFrame(columns=cols)
    w0, w1 = pd.Timestamp(start), pd.Timestamp(end)
    rows = []
    has_change = "change_pct" in episodes
    for ep in episodes.to_dict(orient="records"):
        e0 = pd.Timestamp(ep["start"])
        e1 = pd.Timestamp(ep["end"]) if ep["end"] is not None and not pd.isna(ep["end"]) else w1
        if e0 >= w1 or e1 <= w0:
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
        for key, s, sid, unit in (("a", a, a_id, units[0]), ("b", b, b_id, units[1])):
            try:
                e = compare._endpoint(s, sid, c0, c1, total_return=False, unit=unit)
            except NoDataError:
                e = None
            row[f"{key}_change"] = None if e is None else e.change
            row[f"{key}_change_pct"] = None if e is None else e.change_pct
            row[f"{key}_change_pp"] = None if e is None else e.change_pp
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def windows() -> list[tuple[str, dt.date]]:
    """Window starts every five months from 2003 (the first of the month and mid-month), to
    the mirror's end or over three years; short windows (a few weeks) included."""
    out = []
    for i, y in enumerate(range(2003, 2027)):
        for m in (1 + i % 5, 6 + i % 5, 11):
            day = 1 if (y + m) % 2 else 15
            start = dt.date(y, m, day)
            for end in (
                dt.date(2026, 8, 31),
                dt.date(min(y + 3, 2026), 2, 28),
                start + dt.timedelta(days=40),
            ):
                if start < end:
                    out.append((start.isoformat(), end))
    return out


def assert_same(got: Any, want: Any) -> None:
    assert got.to_dict() == want.to_dict()
    assert (got.start, got.end, got.frequency) == (want.start, want.end, want.frequency)
    assert got.correlation == want.correlation and got.best_lag() == want.best_lag()
    assert got.notes == want.notes and got.note_keys == want.note_keys
    assert got.rolling_window == want.rolling_window
    assert got.a == want.a and got.b == want.b
    for g, w in ((got.changes, want.changes), (got.rebased, want.rebased)):
        pd.testing.assert_frame_equal(g, w, check_exact=True, check_freq=True)
        assert g.index.freq == w.index.freq and g.index.name == w.index.name
        assert g.index.dtype == w.index.dtype and g.columns.dtype == w.columns.dtype
    pd.testing.assert_series_equal(
        got.rolling_correlation, want.rolling_correlation, check_exact=True, check_freq=True
    )
    pd.testing.assert_series_equal(got.lead_lag, want.lead_lag, check_exact=True)
    pd.testing.assert_frame_equal(got.episodes, want.episodes, check_exact=True)
    assert list(got.episodes.dtypes) == list(want.episodes.dtypes)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_arrays_equal_old_pandas_formulation(
    mirror_session, monkeypatch: pytest.MonkeyPatch, a: str, b: str
) -> None:
    from tidegauge.analysis.regimes import fed_regimes

    episodes = fed_regimes(mirror_session).episodes

    def run(start: str, end: dt.date) -> Any:
        try:
            return compare_load.from_session(mirror_session, a, b, start, end, episodes=episodes)
        except TidegaugeError as exc:
            return type(exc)

    cases = windows()
    fast = [run(*w) for w in cases]
    with monkeypatch.context() as m:
        m.setattr(compare, "window_frames", lambda *args, **kwargs: None)
        m.setattr(compare, "period_changes", old_period_changes)
        m.setattr(compare, "lead_lag_profile", pandas_lead_lag)
        m.setattr(compare, "episode_table", old_episode_table)
        m.setattr(compare, "value_at_or_before", old_value_at_or_before)
        slow = [run(*w) for w in cases]
    compared = with_episodes = 0
    for got, want in zip(fast, slow, strict=True):
        if isinstance(want, type):
            assert got is want
            continue
        compared += 1
        with_episodes += not want.episodes.empty
        assert_same(got, want)
    assert compared >= 60 and with_episodes >= 40  # (SP500 on FRED: ten years)


def test_arrays_path_is_taken(mirror_session) -> None:
    """The store's series take the array path (the test above compares something)."""
    s = mirror_session.series("WALCL").rename("WALCL")
    arr = compare_arrays.arrays(s)
    assert arr is not None and len(arr.ns) == len(s)
    assert compare_arrays.arrays(s.tz_localize("UTC")) is None
    holed = s.reindex(s.index.union(mirror_session.series("DGS10").index))
    assert compare_arrays.arrays(holed) is None
