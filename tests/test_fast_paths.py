"""The report's numpy paths give exactly what their pandas formulations gave, on the real data.

Each reference below is the earlier implementation, kept here verbatim in substance: the as-of
matches were ``pd.merge_asof`` over two frames, the program windows label slices of total
assets and boolean masks over the episode frame.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from tidegauge.analysis import announced, episodes
from tidegauge.analysis.liquidity import gdp_known_at
from tidegauge.analysis.netliq import _ns, align_to_dates
from tidegauge.analysis.regimes import bank_regimes, fed_regimes


def merge_asof_align(daily: pd.Series, dates: pd.DatetimeIndex, max_gap_days: int) -> pd.DataFrame:
    src = daily.dropna().sort_index()
    left = pd.DataFrame({"date": _ns(dates)})
    right = pd.DataFrame({"value_date": _ns(src.index), "value": src.to_numpy(dtype=float)})
    right["date"] = right["value_date"]
    merged = pd.merge_asof(
        left.sort_values("date"),
        right.sort_values("date"),
        on="date",
        direction="backward",
        tolerance=pd.Timedelta(days=max_gap_days),
    )
    out = merged.set_index("date")[["value", "value_date"]]
    out.index = pd.DatetimeIndex(dates)
    return out


def merge_asof_gdp(gdp: pd.Series, dates: pd.DatetimeIndex, lag: int) -> pd.DataFrame:
    g = gdp.dropna().sort_index()
    right = pd.DataFrame(
        {
            "date": _ns(g.index) + pd.Timedelta(days=lag),
            "gdp": g.to_numpy(dtype=float),
            "gdp_quarter": _ns(g.index),
        }
    )
    left = pd.DataFrame({"date": _ns(dates)})
    merged = pd.merge_asof(left.sort_values("date"), right, on="date", direction="backward")
    out = merged.set_index("date")[["gdp", "gdp_quarter"]]
    out.index = pd.DatetimeIndex(dates)
    return out


def sliced_windows(res: Any) -> pd.DataFrame:
    from tidegauge.catalog.programs import load_programs

    s = res.total_assets.dropna()
    rows = []
    for p in load_programs(res.bank):
        if p.kind not in announced.BALANCE_KINDS:
            continue
        t0 = pd.Timestamp(p.effective)
        t1 = pd.Timestamp(p.end) - pd.Timedelta(days=1) if p.end else s.index[-1]
        before, inside = s.loc[:t0], s.loc[:t1]
        if before.empty or inside.empty or inside.index[-1] <= before.index[-1]:
            continue
        d0, d1 = before.index[-1], inside.index[-1]
        v0, v1 = float(before.iloc[-1]), float(inside.iloc[-1])
        eps = res.episodes
        inner = eps[(eps["start"] >= d0) & (eps["end"] <= d1) & (eps["kind"] != p.kind)]
        inner = inner[inner["kind"] != "flat"]
        rows.append(
            {
                "program": p.id,
                "kind": p.kind,
                "announced": p.announced.isoformat(),
                "effective": p.effective.isoformat(),
                "end": p.end.isoformat() if p.end else None,
                "start_date": d0.date().isoformat(),
                "end_date": d1.date().isoformat(),
                "start_level": v0,
                "end_level": v1,
                "change": v1 - v0,
                "change_pct": (v1 / v0 - 1) * 100,
                **announced.extremes(s, d0, d1),
                "interruptions": [
                    {
                        "kind": str(r["kind"]),
                        "program": r["program"] if isinstance(r["program"], str) else None,
                        "start": r["start"].date().isoformat(),
                        "end": r["end"].date().isoformat(),
                        "change": float(r["change"]),
                    }
                    for r in inner.to_dict("records")
                ],
            }
        )
    return pd.DataFrame(rows)


def numpy_scalar_classify(assets: np.ndarray, securities: np.ndarray, p: Any) -> list[str]:
    """The hysteresis machine stepping through numpy scalars (as before)."""
    d_sec = episodes.lagged_change(securities, p.window)
    base = np.roll(securities, p.window)
    months = p.window / p.obs_per_month
    pace = d_sec / months
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(base > 0, d_sec / base * (12.0 / months) * 100.0, np.nan)
    d_assets = episodes.lagged_change(assets, p.window)
    d_a_l = episodes.lagged_change(assets, p.lending_window)
    d_o_l = episodes.lagged_change(assets - securities, p.lending_window)
    base_l = np.roll(assets, p.lending_window)
    states: list[str] = []
    prev = "flat"
    for t in range(len(assets)):
        g, v = pct[t], pace[t]
        if np.isnan(g):
            states.append("flat")
            continue
        lending = False
        if p.lending and not np.isnan(d_a_l[t]):
            rel = d_a_l[t] / base_l[t] * 100.0
            enter = rel >= p.lending_enter_pct and d_o_l[t] >= p.lending_share * d_a_l[t]
            stay = prev == "lending" and 0 < p.lending_share * d_a_l[t] <= d_o_l[t]
            lending = enter or stay
        if lending:
            state = "lending"
        elif (
            g <= -p.qt_enter_pct
            and v <= -p.min_pace
            and d_assets[t] <= p.qt_assets_share * d_sec[t]
        ) or (prev == "QT" and g <= -p.qt_exit_pct):
            state = "QT"
        elif (g >= p.growth_enter_pct and v >= p.min_pace) or (
            prev in episodes.GROWTH and g >= p.growth_exit_pct and v >= p.min_pace / 2
        ):
            state = "QE" if g >= p.qe_min_pct else "reserve_management"
        else:
            state = "flat"
        states.append(state)
        prev = state
    return states


@pytest.fixture(scope="module")
def frame(mirror_session: Any) -> pd.DataFrame:
    return mirror_session.load(["WALCL", "RRPONTSYD", "WDTGAL", "GDP", "DEXUSEU", "ECBASSETSW"])


@pytest.mark.parametrize(
    ("sid", "on", "gap"),
    [
        ("RRPONTSYD", "WALCL", 6),  # ON RRP of each Wednesday, or of the last operation before
        ("RRPONTSYD", "WALCL", 0),  # exact days only
        ("WALCL", "RRPONTSYD", 6),  # the last Wednesday's total assets on each operation day
        ("DEXUSEU", "ECBASSETSW", 10),  # the euro rate at each ECB Friday
    ],
)
def test_align_to_dates_equals_merge_asof(frame: pd.DataFrame, sid: str, on: str, gap: int) -> None:
    dates = pd.DatetimeIndex(frame[on].dropna().index, name="date")
    got = align_to_dates(frame[sid], dates, max_gap_days=gap)
    pd.testing.assert_frame_equal(got, merge_asof_align(frame[sid], dates, gap), check_exact=True)
    assert got["value"].notna().sum() > 500  # the pair overlaps for years


def test_align_to_dates_unsorted_and_empty(frame: pd.DataFrame) -> None:
    dates = pd.DatetimeIndex(frame["WALCL"].dropna().index[::-1][:300])  # newest first
    for series in (frame["RRPONTSYD"], frame["RRPONTSYD"].iloc[:0]):
        pd.testing.assert_frame_equal(
            align_to_dates(series, dates), merge_asof_align(series, dates, 6), check_exact=True
        )


@pytest.mark.parametrize("lag", [0, 120])
def test_gdp_known_at_equals_merge_asof(frame: pd.DataFrame, lag: int) -> None:
    dates = pd.DatetimeIndex(frame["WDTGAL"].dropna().index, name="date")
    got = gdp_known_at(frame["GDP"], dates, publication_lag_days=lag)
    pd.testing.assert_frame_equal(got, merge_asof_gdp(frame["GDP"], dates, lag), check_exact=True)
    # GDP of 2019Q2 (published end of July) is the one known on the 2019 repo spike's Wednesday
    assert got.loc["2019-09-18", "gdp_quarter"] == pd.Timestamp(
        "2019-04-01" if lag else "2019-07-01"
    )


@pytest.mark.parametrize("bank", ["fed", "ecb", "boj"])
def test_program_windows_equal_sliced_formulation(mirror_session: Any, bank: str) -> None:
    res = fed_regimes(mirror_session) if bank == "fed" else bank_regimes(mirror_session, bank)
    got = announced.program_windows(res)
    pd.testing.assert_frame_equal(got, sliced_windows(res), check_exact=True)
    if bank == "fed":  # QT2 held the March 2023 lending inside it
        qt2 = got.set_index("program").loc["QT2"]
        assert [i["kind"] for i in qt2["interruptions"]] == ["lending"]


@pytest.mark.parametrize("start", [None, "2020-01-01"])
def test_load_series_equals_load_columns(mirror_session: Any, start: str | None) -> None:
    from tidegauge.catalog import CATALOG

    ids = [sid for sid in CATALOG if mirror_session.store.has(sid)]
    frame = mirror_session.load(ids, start=start, fetch_missing=False)
    each = mirror_session.load_series(ids, start=start)
    assert list(each) == ids and len(ids) > 40
    for sid in ids:
        expected = frame[sid].dropna()
        expected.attrs = {k: {sid: v[sid]} for k, v in frame.attrs.items()}
        pd.testing.assert_series_equal(each[sid], expected, check_exact=True, check_freq=True)
        assert each[sid].attrs == expected.attrs
    # the Fed's total assets peaked on 2022-04-13 at USD 8,965 billion
    walcl = each["WALCL"]
    assert walcl.idxmax() == pd.Timestamp("2022-04-13") and round(walcl.max()) == 8965


def test_classify_equals_numpy_scalar_machine(mirror_session: Any, monkeypatch: Any) -> None:
    seen: list[int] = []
    fast = episodes.classify

    def both(assets: np.ndarray, securities: np.ndarray, p: Any) -> list[str]:
        got = fast(assets, securities, p)
        assert got == numpy_scalar_classify(assets, securities, p)
        seen.append(got.count("lending"))
        return got

    monkeypatch.setattr(episodes, "classify", both)
    fed = fed_regimes(mirror_session)
    for bank in ("ecb", "boj"):
        bank_regimes(mirror_session, bank)
    assert fed_regimes(mirror_session, min_weeks=4) is not None
    assert len(seen) == 4 and seen[0] > 0  # the Fed's weeks of emergency lending (2008, 2020, 2023)
    kinds = set(fed.episodes["kind"])
    assert {"QE", "QT", "lending"} <= kinds


def month_windows(mirror_session: Any) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Windows of the real data: every series' first and last observation, at its resolution,
    and some shorter ones cut from them (a mid-month start or end, a few months)."""
    out = []
    for s in mirror_session.load_series(["CPIAUCSL", "WALCL", "ECBASSETSW", "DGS10"]).values():
        a, b = s.index[0], s.index[-1]
        out += [(a, b), (a, a + pd.Timedelta(days=75)), (b - pd.Timedelta(days=40), b)]
        out += [(d, b) for d in s.index[:: max(1, len(s) // 25)]]
    return out


def test_month_indexes_equal_date_range(mirror_session: Any) -> None:
    from tidegauge.analysis.month_index import month_ends, month_starts

    windows = month_windows(mirror_session)
    for a, b in [*windows, (pd.Timestamp("2008-01-01"), windows[0][1])]:
        for fast, freq in ((month_starts, "MS"), (month_ends, "ME")):
            expected = pd.date_range(a, b, freq=freq)
            got = fast(a, b)
            pd.testing.assert_index_equal(got, expected, exact=True)
            assert got.freq == expected.freq
    # CPI since January 1947: one month start a month, the last one that of the latest CPI
    cpi = mirror_session.load_series(["CPIAUCSL"])["CPIAUCSL"]
    starts = month_starts(cpi.index[0], cpi.index[-1])
    assert starts[0] == pd.Timestamp("1947-01-01") and starts[-1] == cpi.index[-1]


def test_value_at_equals_mask(mirror_session: Any) -> None:
    from tidegauge.analysis.effectiveness import _value_at

    data = mirror_session.load_series(["CPIAUCSL", "UNRATE", "DGS10", "GDPC1"])
    days = [d.date() for d in pd.date_range("1940-01-01", "2027-01-01", freq="97D")]
    for s in data.values():
        for day in days:
            part = s[s.index <= pd.Timestamp(day)]
            expected = None if part.empty else (float(part.iloc[-1]), part.index[-1].date())
            assert _value_at(s, day) == expected
    # the unemployment rate of April 2020, the pandemic's peak, 14.8% (BLS, as revised)
    assert _value_at(data["UNRATE"], pd.Timestamp("2020-04-30").date())[0] == 14.8


def test_aligned_frame_equals_pandas(mirror_session: Any) -> None:
    from tidegauge.analysis.realrates_snapshot import SNAPSHOT_IDS
    from tidegauge.indicators.base import aligned, load_inputs
    from tidegauge.indicators.report import report_indicators

    ids = [i for ind in report_indicators() for i in ind.input_ids(ind.defaults())]
    inputs = load_inputs(mirror_session, ids, fetch=False)
    sets = [SNAPSHOT_IDS, ("WALCL", "TREAST", "WSHOMCB"), tuple(inputs.data), ("GDP", "DFF")]
    for chosen in sets:
        given = {sid: inputs.data[sid] for sid in chosen if sid in inputs.data}
        got = aligned(given)
        assert got is not None
        expected = pd.DataFrame(given)
        pd.testing.assert_frame_equal(got, expected, check_exact=True, check_freq=True)
        assert got.attrs == expected.attrs and got.index.freq == expected.index.freq
    frame = inputs.frame(SNAPSHOT_IDS)  # the 10-year yield on the day of the 2020 low
    assert frame.loc["2020-08-04", "DGS10"] == 0.52


def test_snapshot_last_equals_dropna(mirror_session: Any) -> None:
    from tidegauge.analysis.realrates import market_rates, realised_real_rates
    from tidegauge.analysis.realrates_snapshot import SNAPSHOT_IDS, _last

    data = mirror_session.load(list(SNAPSHOT_IDS), fetch_missing=False)
    frames = [data, market_rates(data).frame, realised_real_rates(data).frame]
    columns = [f[c] for f in frames for c in f.columns]
    columns += [c.iloc[:0] for c in columns[:3]] + [c.loc[:"1960-01-01"] for c in columns]
    for s in columns:
        kept = s.dropna()
        expected = (None, None) if kept.empty else (float(kept.iloc[-1]), str(kept.index[-1])[:10])
        assert _last(s) == expected
    # the 10-year TIPS yield's first observation, 2003-01-02 (FRED's DFII10 starts then)
    assert _last(data["DFII10"].loc[:"2003-01-02"]) == (2.43, "2003-01-02")
