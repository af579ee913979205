"""Real rates on the real FRED data in ../shared/data/fred (via the mirror session).

Inputs end on different days and the mirror grows, so dates and latest values are recomputed from
the CSV files; the fallback to FRED's T5YIE when DFII5 has ended is tested on a mirror whose
DFII5 stops at 2022-11-25 (its real rows up to then).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import common_dates, fred_values
from tidegauge import Tidegauge
from tidegauge.analysis.realrates import (
    DEFAULT_NEUTRAL_BAND,
    DEFAULT_RSTAR,
    classify_stance,
    cpi_yoy,
    market_rates,
    realised_real_rates,
    stance_series,
)
from tidegauge.analysis.realrates_history import EPISODES, history_table, period_stats
from tidegauge.analysis.realrates_snapshot import (
    FIGURES,
    SNAPSHOT_IDS,
    load_inputs,
    real_rate_snapshot,
)
from tidegauge.errors import NoDataError, UsageError


@pytest.fixture(scope="module")
def inputs(mirror_session) -> pd.DataFrame:
    return load_inputs(mirror_session)


@pytest.fixture(scope="module")
def realised(inputs):
    return realised_real_rates(inputs)


# --- acceptance 1: cross-checks against FRED's published series ------------------------------
def test_breakeven_10y_matches_t10yie(inputs) -> None:
    check = market_rates(inputs).cross_checks()["breakeven_10y"]
    assert check.n_common > 5000  # 2003-01 .. 2026-07
    assert check.share_within >= 0.99
    # in fact exact: FRED computes T10YIE as DGS10 - DFII10 from the same 2-decimal inputs
    assert check.max_abs_diff < 1e-9


def test_breakeven_5y_matches_t5yie_while_dfii5_exists(inputs, fred_mirror: Path) -> None:
    check = market_rates(inputs).cross_checks()["breakeven_5y"]
    assert check.share_within >= 0.99
    # Compared on every day DGS5, DFII5 and T5YIE all have a value in the CSVs.
    days = common_dates(fred_mirror, "DGS5", "DFII5", "T5YIE")
    assert check.n_common == len(days) > 5000
    assert (check.first, check.last) == (days[0], days[-1])


def test_forward_5y5y_matches_t5yifr(inputs) -> None:
    check = market_rates(inputs).cross_checks()["forward_5y5y"]
    assert check.n_common > 4500
    assert check.share_within >= 0.95
    # T5YIFR is rounded to 2 decimals: the gap is rounding only (|d| <= 0.005)
    assert check.max_abs_diff <= 0.005 + 1e-9
    assert abs(check.mean_diff) < 0.002


def test_forward_on_a_known_day(inputs) -> None:
    f = market_rates(inputs).frame.loc["2021-12-31"]
    b5, b10 = f["nominal_5y"] - f["tips_5y"], f["breakeven_10y"]
    expected = (((1 + b10 / 100) ** 10 / (1 + b5 / 100) ** 5) ** 0.2 - 1) * 100
    assert f["forward_5y5y"] == pytest.approx(expected, abs=1e-12)
    assert f["forward_5y5y"] == pytest.approx(f["T5YIFR"], abs=0.005)


# --- realised real rates ---------------------------------------------------------------------
def test_cpi_yoy_matches_a_hand_computation(inputs) -> None:
    cpi = inputs["CPIAUCSL"].dropna()
    yoy = cpi_yoy(cpi)
    june22 = (cpi.loc["2022-06-01"] / cpi.loc["2021-06-01"] - 1) * 100
    assert yoy.loc["2022-06-01"] == pytest.approx(june22, abs=1e-12)
    assert yoy.loc["2022-06-01"] == pytest.approx(9.0, abs=0.2)  # the 2022 peak near 9 %
    # October 2025 CPI was never published (shutdown): NaN then, and a year later stays honest
    assert np.isnan(yoy.loc["2025-10-01"])


def test_realised_is_monthly_back_to_the_1950s(realised) -> None:
    f = realised.frame
    first = f["real_policy_rate"].first_valid_index()
    assert first == pd.Timestamp("1954-07-01")  # FEDFUNDS starts 1954-07; CPI YoY from 1948
    assert f["real_10y"].first_valid_index() < pd.Timestamp("1955-01-01")  # GS10 from 1953-04
    assert (f.index.day == 1).all()
    assert realised.sources == {"policy_rate": "FEDFUNDS", "yield_10y": "GS10"}
    row = f.loc["1981-06-01"]
    assert row["real_policy_rate"] == pytest.approx(row["policy_rate"] - row["cpi_yoy"])
    assert row["policy_rate"] == pytest.approx(19.10)  # FEDFUNDS June 1981


def test_month_end_alignment_uses_dff_and_dgs10(inputs) -> None:
    last = realised_real_rates(inputs, alignment="last")
    assert last.sources == {"policy_rate": "DFF", "yield_10y": "DGS10"}
    dff = inputs["DFF"].dropna()
    assert last.frame.loc["2022-06-01", "policy_rate"] == dff.loc["2022-06"].iloc[-1]
    mean = realised_real_rates(inputs, alignment="mean")
    # the monthly average of daily DFF is FRED's FEDFUNDS (within rounding)
    assert dff.loc["2019-03"].mean() == pytest.approx(
        mean.frame.loc["2019-03-01", "policy_rate"], abs=0.01
    )


def test_exact_method_differs_by_second_order(inputs) -> None:
    a = realised_real_rates(inputs, method="approx").frame.loc["1980-03-01"]
    e = realised_real_rates(inputs, method="exact").frame.loc["1980-03-01"]
    assert e["real_policy_rate"] == pytest.approx(
        100 * ((1 + a["policy_rate"] / 100) / (1 + a["cpi_yoy"] / 100) - 1)
    )
    assert 0 < abs(a["real_policy_rate"] - e["real_policy_rate"]) < 1.0


# --- acceptance 2: the history table -----------------------------------------------------------
def test_history_signs_of_the_classic_episodes(realised) -> None:
    assert period_stats(realised, "1974-01", "1975-12").real_avg < -1.0  # about -1.9
    assert period_stats(realised, "2021-01", "2022-12").real_avg < -4.0  # about -5.5
    volcker = period_stats(realised, "1980-01", "1982-12")
    assert volcker.real_avg > 3.0  # about +4.0: strongly positive
    assert volcker.nominal_max == pytest.approx(19.10)  # fed funds near 20 %


def test_history_table_rows(realised) -> None:
    hist = history_table(realised)
    rows = {r.key: r for r in hist.rows}
    assert list(rows) == [e.key for e in EPISODES]
    assert rows["great_inflation"].real_extreme < -4.5  # -4.97 in 1975-02
    assert rows["great_inflation"].real_extreme_month == "1975-02"
    assert rows["volcker"].real_avg > 3.0 and rows["volcker"].real_extreme > 9.0
    assert rows["zero_bound"].nominal_avg < 0.25 and rows["zero_bound"].real_avg < 0
    assert rows["post_pandemic"].real_avg < -5.0
    assert rows["post_pandemic"].real_extreme_month == "2022-03"
    assert rows["since_2023"].real_avg > 0
    frame = hist.to_frame()
    assert {"real_avg", "nominal_avg", "inflation_avg", "real_extreme"} <= set(frame.columns)
    assert hist.to_dict()["episodes"][0]["key"] == "great_inflation"


def test_period_without_data(realised) -> None:
    with pytest.raises(NoDataError):
        period_stats(realised, "1900-01", "1901-12")


# --- acceptance 4: stance with the default and an overridden r* ------------------------------
def test_default_rstar_is_documented() -> None:
    assert DEFAULT_RSTAR == 1.0 and DEFAULT_NEUTRAL_BAND == 0.5


@pytest.mark.parametrize(
    ("as_of", "rstar", "expected"),
    [
        ("1981-07-15", None, "restrictive"),  # real policy rate about +9 %
        ("2022-06-30", None, "accommodative"),  # about -7.8 %
        ("2024-08-31", None, "restrictive"),  # about +2.7 %
        ("2024-08-31", 2.5, "neutral"),  # the same month with r* = 2.5 %
        ("2024-08-31", 4.0, "accommodative"),
        ("2026-07-31", None, "accommodative"),  # about +0.33 % vs 1.0 ± 0.5
        ("2026-07-31", 0.5, "neutral"),
    ],
)
def test_stance_on_dates(inputs, as_of: str, rstar: float | None, expected: str) -> None:
    snap = real_rate_snapshot(inputs, as_of=as_of, rstar=rstar)
    assert snap.stance == expected
    assert snap.rstar == (DEFAULT_RSTAR if rstar is None else rstar)
    assert snap.rstar_is_default is (rstar is None)


def test_classify_band_edges() -> None:
    assert classify_stance(1.5) == "neutral" and classify_stance(0.5) == "neutral"
    assert classify_stance(1.51) == "restrictive" and classify_stance(0.49) == "accommodative"
    assert classify_stance(1.2, rstar=1.0, band=0.0) == "restrictive"
    s = stance_series(pd.Series([3.0, 1.0, -3.0]))
    assert s.tolist() == ["restrictive", "neutral", "accommodative"]
    with pytest.raises(UsageError, match="r\\*"):
        classify_stance(1.0, rstar=float("nan"))
    with pytest.raises(UsageError, match="band"):
        classify_stance(1.0, band=-1)


# --- snapshot: every figure carries its own date --------------------------------------------
def test_snapshot_dates_for_every_input(inputs, fred_mirror: Path) -> None:
    snap = real_rate_snapshot(inputs)
    d = snap.to_dict()
    assert set(d) == {"as_of", *FIGURES, "rstar", "stance", "dates"}
    for name in FIGURES:
        assert isinstance(d[name], float), name
        assert d["dates"][name], name
    # Inputs end on different days, and each keeps its own last date (from its CSV).
    for sid in SNAPSHOT_IDS:
        assert d["dates"][sid] == max(fred_values(fred_mirror, sid)), sid
    dgs10, dfii10 = fred_values(fred_mirror, "DGS10"), fred_values(fred_mirror, "DFII10")
    b10_day = common_dates(fred_mirror, "DGS10", "DFII10")[-1]
    assert d["dates"]["nominal_10y"] == max(dgs10)
    assert d["dates"]["breakeven_10y"] == b10_day
    assert d["breakeven_10y"] == pytest.approx(dgs10[b10_day] - dfii10[b10_day], abs=1e-4)
    # The 5-year breakeven is the newer of DGS5 − DFII5 and FRED's T5YIE.
    t5 = fred_values(fred_mirror, "T5YIE")
    b5_days = common_dates(fred_mirror, "DGS5", "DFII5")
    assert snap.computed_5y_date == b5_days[-1]
    if max(t5) > b5_days[-1]:
        expected = ("T5YIE", max(t5), t5[max(t5)])
    else:
        dgs5, dfii5 = fred_values(fred_mirror, "DGS5"), fred_values(fred_mirror, "DFII5")
        expected = ("DGS5 − DFII5", b5_days[-1], dgs5[b5_days[-1]] - dfii5[b5_days[-1]])
    assert (snap.sources["breakeven_5y"], d["dates"]["breakeven_5y"]) == expected[:2]
    assert d["breakeven_5y"] == pytest.approx(expected[2], abs=1e-4)
    # The forward: the last day with a 10-year and a (computed or published) 5-year breakeven.
    forward_days = (set(b5_days) | set(t5)) & set(common_dates(fred_mirror, "DGS10", "DFII10"))
    assert d["dates"]["forward_5y5y"] == max(forward_days)
    assert d["as_of"] == max(d["dates"][name] for name in FIGURES)


def test_snapshot_falls_back_to_t5yie_when_dfii5_ended(
    partial_mirror, tmp_path: Path, fred_mirror: Path
) -> None:
    mirror = partial_mirror(SNAPSHOT_IDS, until={"DFII5": "2022-11-25"})
    with Tidegauge(mirror=str(mirror), store_path=str(tmp_path / "s.db")) as tg:
        snap = real_rate_snapshot(load_inputs(tg))
    t5 = fred_values(fred_mirror, "T5YIE")
    t5_last = max(t5)
    assert snap.dates["DFII5"] == snap.computed_5y_date == "2022-11-25"
    assert snap.sources["breakeven_5y"] == "T5YIE"
    assert snap.dates["breakeven_5y"] == t5_last
    assert snap.values["breakeven_5y"] == pytest.approx(t5[t5_last], abs=1e-12)
    # The forward goes on with b5 = T5YIE up to the last day T5YIE and the 10-year pair share.
    b10_days = set(common_dates(fred_mirror, "DGS10", "DFII10"))
    assert snap.dates["forward_5y5y"] == max(set(t5) & b10_days)
    assert "b5 = T5YIE" in snap.sources["forward_5y5y"]
    assert snap.dates["nominal_10y"] == max(fred_values(fred_mirror, "DGS10"))
    en, zh = snap.summary("en"), snap.summary("zh-TW")
    assert f"(DGS5 − DFII5) ends on 2022-11-25, before FRED's published T5YIE ({t5_last})" in en
    assert "只到 2022-11-25" in zh and f"T5YIE（{t5_last}）" in zh


def test_snapshot_as_of_uses_only_earlier_observations(inputs) -> None:
    snap = real_rate_snapshot(inputs, as_of="2021-12-31")
    assert snap.as_of == "2021-12-31"
    assert all(v is None or v <= "2021-12-31" for v in snap.dates.values())
    assert snap.sources["breakeven_5y"] == "DGS5 − DFII5"  # DFII5 still published then
    assert snap.values["nominal_10y"] == pytest.approx(1.52)
    assert snap.values["forward_5y5y"] == pytest.approx(2.25, abs=0.005)  # T5YIFR that day


def test_snapshot_before_any_data(inputs) -> None:
    with pytest.raises(NoDataError):
        real_rate_snapshot(inputs, as_of="1900-01-01")


def test_snapshot_summary_shows_unit_and_date(inputs) -> None:
    snap = real_rate_snapshot(inputs)
    text = snap.summary("en")
    for name in FIGURES:
        value = snap.values[name]
        assert f"{value:.2f}% (as of {snap.dates[name]}" in text
    assert "premium" in text
    zh = snap.summary("zh-TW")
    assert "損益平衡通膨率" in zh
    for name in FIGURES:
        assert f"{snap.values[name]:.2f}%（截至 {snap.dates[name]}；" in zh


# --- charts (acceptance 5; the PNGs were also looked at by eye) ------------------------------
@pytest.mark.parametrize("kind", ["market", "policy", "forward"])
@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_charts_render_png_and_html(inputs, tmp_path, kind: str, lang: str) -> None:
    from tidegauge.presentation.charts.realrates import write_chart

    png = write_chart(kind, inputs, tmp_path / f"{kind}.png", lang=lang, rstar=1.0)
    head = png.read_bytes()[:8]
    assert head == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    html = write_chart(kind, inputs, tmp_path / f"{kind}.html", lang=lang).read_text("utf-8")
    assert "vegaEmbed" in html and "<script src=" not in html  # offline: nothing from a CDN
    if lang == "zh-TW":
        assert "資料來源" in html
    else:
        assert "Source: FRED" in html


def test_unknown_chart_kind(inputs, tmp_path) -> None:
    from tidegauge.presentation.charts.realrates import write_chart

    with pytest.raises(UsageError, match="unknown chart"):
        write_chart("pie", inputs, tmp_path / "x.png")
