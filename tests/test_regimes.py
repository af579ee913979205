"""Regime detection on the real Fed balance sheet (../shared/data/fred via the mirror).

Acceptance: the detected episodes include QE1, QE2, QE3, QT1, the pandemic QE, QT2 and the
late-2025 turn, each starting within ``TOLERANCE`` of the catalog's effective date; autumn 2008
and March 2023 are lending, not QE; statistics agree with the raw CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tidegauge import Tidegauge
from tidegauge.analysis import episodes as episodes_module
from tidegauge.analysis import regimes as regimes_module
from tidegauge.analysis import runoff as runoff_module
from tidegauge.analysis.regimes import bank_regimes, fed_regimes, qt_runoff
from tidegauge.catalog.programs import get_program, load_programs
from tidegauge.cli import cli
from tidegauge.errors import NoDataError, SourceError, UsageError

TOLERANCE = pd.Timedelta(weeks=8)
"""Largest allowed gap between a detected start and the catalog's effective date. Most starts
are within 3 weeks; QT1 is the loosest (about 7.5 weeks): its first caps ($6B + $4B a month)
are smaller than the weekly swings of MBS holdings around settlement dates, so the decline
only becomes visible in late November 2017."""


def raw(fred_mirror: Path, sid: str) -> dict[str, float]:
    """``{date: value in USD billions}`` straight from the CSV file."""
    with (fred_mirror / f"{sid}.csv").open() as fh:
        rows = list(csv.reader(fh))[1:]
    return {d: float(v) / 1000 for d, v in rows if v not in ("", ".")}


@pytest.fixture(scope="module")
def fed(mirror_session):
    return fed_regimes(mirror_session)


def episode(res, program: str, nth: int = 0) -> pd.Series:
    rows = res.episodes[res.episodes["program"] == program]
    assert len(rows) > nth, f"no episode named {program}: {res.episodes}"
    return rows.iloc[nth]


@pytest.mark.parametrize(
    ("program", "kind"),
    [
        ("QE1", "QE"),
        ("QE2", "QE"),
        ("QE3", "QE"),
        ("QT1", "QT"),
        ("QE4", "QE"),
        ("QT2", "QT"),
        ("RMP2019", "reserve_management"),
        ("RMP2025", "reserve_management"),
        ("LEND2008", "lending"),
        ("LEND2023", "lending"),
    ],
)
def test_detected_episodes_start_near_catalog_effective_dates(fed, program: str, kind: str) -> None:
    ep = episode(fed, program)
    assert ep.kind == kind
    effective = pd.Timestamp(get_program(program).effective)
    assert abs(ep.start - effective) <= TOLERANCE, (program, ep.start, effective)


def test_late_2025_turn_qt_ends_and_reserve_management_begins(fed) -> None:
    qt2_last = episode(fed, "QT2", nth=1)  # QT2 resumes after the March 2023 lending
    assert abs(qt2_last.end - pd.Timestamp("2025-12-01")) <= pd.Timedelta(weeks=4)
    current = fed.current
    assert current.kind == "reserve_management" and current.program == "RMP2025"
    assert current.start == qt2_last.end


def test_autumn_2008_and_march_2023_are_lending_not_qe(fed) -> None:
    weekly = fed.weekly
    assert set(weekly.loc["2008-09-24":"2008-12-17"]) == {"lending"}
    assert set(weekly.loc["2023-03-15":"2023-03-22"]) == {"lending"}
    # and the securities-driven episodes around them are QE / QT
    assert weekly.loc["2009-06-03"] == "QE"
    assert weekly.loc["2023-06-07"] == "QT"


def test_qt2_statistics_match_the_raw_csv(fed, fred_mirror: Path) -> None:
    walcl = raw(fred_mirror, "WALCL")
    ep = episode(fed, "QT2", nth=1)
    start, end = ep.start.strftime("%Y-%m-%d"), ep.end.strftime("%Y-%m-%d")
    assert ep.start_level == pytest.approx(walcl[start], abs=1e-9)
    assert ep.end_level == pytest.approx(walcl[end], abs=1e-9)
    assert ep.change == pytest.approx(walcl[end] - walcl[start], abs=1e-9)
    assert ep.change_pct == pytest.approx((walcl[end] / walcl[start] - 1) * 100, rel=1e-12)
    inside = [v for d, v in walcl.items() if start <= d <= end]
    assert ep.peak_or_trough == pytest.approx(min(inside), abs=1e-9)
    days = (ep.end - ep.start).days
    assert ep.weeks == round(days / 7)
    assert ep.monthly_pace == pytest.approx(ep.change / (days / (365.25 / 12)), rel=1e-12)
    # public fact: QT2 shrank total assets by well over $1.5 trillion from the 2023 spike
    assert ep.change < -1500


def test_episodes_tile_the_history_and_changes_add_up(fed, fred_mirror: Path) -> None:
    ep = fed.episodes
    assert list(ep.columns) == [
        "kind",
        "start",
        "end",
        "start_level",
        "end_level",
        "peak_or_trough",
        "change",
        "change_pct",
        "weeks",
        "monthly_pace",
        "program",
    ]
    assert (ep["start"].iloc[1:].to_numpy() == ep["end"].iloc[:-1].to_numpy()).all()
    walcl = raw(fred_mirror, "WALCL")
    first, last = ep["start"].iloc[0], ep["end"].iloc[-1]
    total = walcl[last.strftime("%Y-%m-%d")] - walcl[first.strftime("%Y-%m-%d")]
    assert ep["change"].sum() == pytest.approx(total, abs=1e-6)
    assert set(ep["kind"]) <= {"QE", "QT", "lending", "reserve_management", "flat"}


def test_ragged_edge_is_explicit(fed, fred_mirror: Path) -> None:
    last_walcl = max(raw(fred_mirror, "WALCL"))
    last_sec = min(max(raw(fred_mirror, "TREAST")), max(raw(fred_mirror, "WSHOMCB")))
    assert last_walcl > last_sec  # the mirror's WALCL runs past the securities series
    assert fed.classified_through == pd.Timestamp(last_sec)
    assert fed.as_of["WALCL"] == last_walcl
    notes = " ".join(fed.edge_notes("en"))
    assert last_walcl in notes and last_sec in notes
    assert "2026" in fed.summary("zh-TW") and "準備金管理" in fed.summary("zh-TW")


def test_to_dict_has_the_issue_json_shape(fed) -> None:
    d = json.loads(json.dumps(fed.to_dict()))
    assert set(d) == {"bank", "episodes", "programs", "unit"}
    assert d["bank"] == "fed" and d["unit"] == "USD billions"
    keys = {"kind", "start", "end", "start_level", "end_level", "change", "change_pct", "program",
            "peak", "peak_date", "trough", "trough_date"}  # fmt: skip
    assert all(set(e) == keys for e in d["episodes"])
    assert d["episodes"][0]["program"] is None and d["episodes"][-1]["program"] == "RMP2025"
    dt.date.fromisoformat(d["episodes"][-1]["end"])


def test_window_keeps_overlapping_episodes_and_rejects_empty_or_reversed(mirror_session) -> None:
    res = fed_regimes(mirror_session, start="2023-01-01", end="2023-12-31")
    assert list(res.episodes["program"]) == ["QT2", "LEND2023", "QT2"]
    with pytest.raises(NoDataError, match="no Fed balance-sheet observations"):
        fed_regimes(mirror_session, start="1990-01-01", end="1995-01-01")
    with pytest.raises(UsageError, match="after end"):
        fed_regimes(mirror_session, start="2024-01-01", end="2023-01-01")


def test_qt_runoff_against_caps(mirror_session, fred_mirror: Path) -> None:
    df = mirror_session.load(["TREAST", "WSHOMCB"])
    run = qt_runoff(df["TREAST"], df["WSHOMCB"], load_programs("fed"))
    by_month = run.set_index("month")
    assert by_month.loc["2022-06-01", ["treasury_cap", "mbs_cap"]].tolist() == [30.0, 17.5]
    assert by_month.loc["2022-09-01", ["treasury_cap", "mbs_cap"]].tolist() == [60.0, 35.0]
    assert by_month.loc["2024-06-01", "treasury_cap"] == 25.0
    assert by_month.loc["2025-04-01", "treasury_cap"] == 5.0
    assert by_month.loc["2018-01-01", ["treasury_cap", "mbs_cap"]].tolist() == [12.0, 8.0]
    assert pd.Timestamp("2025-12-01") not in by_month.index  # QT ended on 1 Dec 2025
    # one month recomputed by hand from the CSV: last Wednesdays of Dec 2022 and Jan 2023
    treast = raw(fred_mirror, "TREAST")
    row = by_month.loc["2023-01-01"]
    dec = max(d for d in treast if d.startswith("2022-12"))
    jan = max(d for d in treast if d.startswith("2023-01"))
    assert row.start_date == pd.Timestamp(dec) and row.end_date == pd.Timestamp(jan)
    assert row.treasury_runoff == pytest.approx(treast[dec] - treast[jan], abs=1e-9)
    # public facts: Treasuries ran off at about the $60B cap; MBS stayed below its $35B cap
    full = run[(run["month"] >= "2022-10-01") & (run["month"] < "2024-06-01")]
    assert full["treasury_runoff"].mean() == pytest.approx(60, abs=6)
    assert full["mbs_runoff"].mean() < 35


def test_ecb_from_total_assets_with_its_catalog(mirror_session, fred_mirror: Path) -> None:
    res = bank_regimes(mirror_session, "ecb")
    assert res.unit == "EUR billions" and res.securities is None
    assert res.classified_through == pd.Timestamp(max(raw(fred_mirror, "ECBASSETSW")))
    assert res.weekly.loc["2016-06-03"] == "QE"  # APP at €80B a month
    assert res.weekly.loc["2021-06-04"] == "QE"  # PEPP
    assert res.weekly.loc["2024-06-07"] == "QT"
    assert episode(res, "ECB-APP").kind == "QE"
    assert episode(res, "ECB-SMP").kind == "QE"  # May 2010
    # programs running inside the APP (TLTROs, CBPP3) do not name its episodes
    assert not set(res.episodes["program"].dropna()) & {"ECB-TLTRO2", "ECB-CBPP3"}
    assert episode(res, "ECB-LTRO").kind == "lending"


def test_boj_from_total_assets_with_its_catalog(mirror_session, fred_mirror: Path) -> None:
    res = bank_regimes(mirror_session, "boj")
    assert res.unit == "JPY billions" and res.securities is None
    assert res.classified_through == pd.Timestamp(max(raw(fred_mirror, "JPNASSETS")))
    assert res.weekly.loc["2014-06-01"] == "QE"  # QQE: the monetary base doubled in two years
    assert res.weekly.loc["2025-06-01"] == "QT"  # JGB purchases cut from August 2024
    assert episode(res, "BOJ-QQE").kind == "QE"
    assert episode(res, "BOJ-QT").kind == "QT"


def test_boj_without_data_and_unknown_bank_are_clear_errors(
    mirror_session, partial_mirror, tmp_path: Path
) -> None:
    mirror = partial_mirror(["WALCL", "ECBASSETSW"])  # no JPNASSETS
    with (
        Tidegauge(mirror=str(mirror), store_path=str(tmp_path / "s.db")) as tg,
        pytest.raises(SourceError, match="BOJ total assets \\(JPNASSETS\\)"),
    ):
        bank_regimes(tg, "boj")
    with pytest.raises(UsageError, match="unknown bank 'boe'"):
        bank_regimes(mirror_session, "boe")


def test_docstring_examples_run() -> None:
    for module in (regimes_module, runoff_module, episodes_module):
        assert doctest.testmod(module).failed == 0


# -- CLI ------------------------------------------------------------------------------------


def invoke(fred_mirror: Path, tmp_path: Path, *args: str):
    store = tmp_path / "s.db"
    return CliRunner().invoke(
        cli,
        ["regimes", "--mirror", str(fred_mirror), "--store", str(store), *args],
        env={"COLUMNS": "200", "TIDEGAUGE_LANG": ""},
    )


def test_cli_table_and_json(fred_mirror: Path, tmp_path: Path) -> None:
    out = invoke(fred_mirror, tmp_path, "--start", "2022-01-01")
    assert out.exit_code == 0, out.output
    assert "USD billions" in out.output and "QT2" in out.output and "RMP2025" in out.output
    assert "Aug 26, 2026" in out.output  # the ragged edge is stated
    js = invoke(fred_mirror, tmp_path, "--json", "--start", "2025-01-01")
    assert js.exit_code == 0
    data = json.loads(js.output)
    assert [e["program"] for e in data["episodes"]] == ["QT2", "RMP2025"]
    zh = invoke(fred_mirror, tmp_path, "--lang", "zh-CN", "--start", "2025-01-01")
    assert "量化紧缩" in zh.output and "十亿美元" in zh.output


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (("--bank", "boe"), "is not one of fed, ecb, boj", 2),
        (("--start", "1990-01-01", "--end", "1995-01-01"), "no Fed balance-sheet", 1),
        (("--start", "yesterday"), "is not a date", 2),
        (("--bank", "ecb", "--chart", "x.png"), "Fed only", 2),
    ],
)
def test_cli_bad_input(fred_mirror: Path, tmp_path: Path, args, message: str, code: int) -> None:
    out = invoke(fred_mirror, tmp_path, *args)
    assert out.exit_code == code
    text = out.output + (str(out.exception) if out.exception else "")
    assert message in text


def test_cli_bank_the_mirror_lacks(partial_mirror, tmp_path: Path) -> None:
    out = invoke(partial_mirror(["WALCL", "ECBASSETSW"]), tmp_path, "--bank", "boj")
    assert out.exit_code == 1
    assert "JPNASSETS" in out.output + (str(out.exception) if out.exception else "")


def test_cli_chart_writes_a_png(fred_mirror: Path, tmp_path: Path) -> None:
    path = tmp_path / "fed.png"
    out = invoke(fred_mirror, tmp_path, "--chart", str(path))
    assert out.exit_code == 0, out.output
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = invoke(fred_mirror, tmp_path, "--chart", str(tmp_path / "fed.gif"))
    assert bad.exit_code == 2


def test_programs_as_announced_qt2_whole(fed, fred_mirror: Path) -> None:
    """Detection cuts QT2 at the March 2023 bank lending (-$2.15T, -24.7% after it); as
    announced, QT2 runs from 2022-06-01 to 2025-12-01 with the lending shown inside."""
    walcl = raw(fred_mirror, "WALCL")
    after = [e for e in fed.to_dict()["episodes"] if e["program"] == "QT2"][-1]
    assert after["start"] == "2023-03-29" and after["change"] == pytest.approx(-2149.081)
    assert after["change_pct"] == pytest.approx(-24.69, abs=0.01)
    qt2 = fed.programs().set_index("program").loc["QT2"]
    assert (qt2["start_date"], qt2["end_date"]) == ("2022-06-01", "2025-11-26")
    change = walcl["2025-11-26"] - walcl["2022-06-01"]
    assert qt2["change"] == pytest.approx(change) and round(change / 1000, 2) == -2.36
    assert qt2["change_pct"] == pytest.approx((walcl["2025-11-26"] / walcl["2022-06-01"] - 1) * 100)
    assert -26.6 < qt2["change_pct"] < -26.4
    (lending,) = qt2["interruptions"]
    assert lending["kind"] == "lending" and lending["program"] == "LEND2023"
    assert lending["start"] == "2023-03-08" and lending["change"] > 300
    # peak and trough with their dates, recomputed from the CSV
    inside = {d: v for d, v in walcl.items() if "2022-06-01" <= d <= "2025-11-26"}
    top = max(inside, key=inside.get)
    assert (qt2["peak_date"], qt2["peak"]) == (top, pytest.approx(inside[top]))
    assert qt2["trough_date"] == "2025-11-26"


def test_report_previous_episode_is_the_program_as_announced(mirror_session) -> None:
    from tidegauge.indicators.base import load_inputs
    from tidegauge.indicators.registry import by_id
    from tidegauge.presentation.text import figure_text

    ind = by_id("balance")
    section = ind.run(load_inputs(mirror_session, ind.inputs), {})
    prev = section.figure("previous_episode")
    assert prev.detail["program"] == "QT2" and round(prev.value / 1000, 2) == -2.36
    text = figure_text(prev, "en")
    assert "QT2 as announced" in text.context and "crisis lending" in text.context
    assert "Mar 8, 2023" in text.context
    assert "programs" in [t.id for t in section.tables]


def test_regimes_json_peaks_and_troughs(capsys, opts) -> None:
    from helpers import run

    _, out, _ = run(capsys, "regimes", "--json", *opts)
    d = json.loads(out)
    qe4 = next(e for e in d["episodes"] if e["program"] == "QE4")
    assert qe4["peak_date"] >= qe4["start"] and qe4["trough_date"] <= qe4["end"]
    assert qe4["peak"] >= max(qe4["start_level"], qe4["end_level"])
    assert any(p["program"] == "QT2" and p["interruptions"] for p in d["programs"])
