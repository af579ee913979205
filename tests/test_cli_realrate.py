"""``tidegauge realrate`` and ``tidegauge calc`` end to end (in-process and one subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import common_dates, fred_values, run
from tidegauge.analysis.realrates_snapshot import FIGURES, SNAPSHOT_IDS


def test_realrate_json_shape_and_dates(capsys, opts, fred_mirror: Path) -> None:
    code, out, _ = run(capsys, "realrate", "--json", *opts)
    assert code == 0
    data = json.loads(out)
    assert [k for k in data if k != "sections"] == ["as_of", *FIGURES, "rstar", "stance", "dates"]
    assert [s["id"] for s in data["sections"]] == ["realrates", "stance"]
    assert data["rstar"] == 1.0 and data["stance"] in ("restrictive", "neutral", "accommodative")
    for key in (*FIGURES, *SNAPSHOT_IDS):
        assert data["dates"][key], key
    # The 5-year breakeven is dated by the newer of DGS5 − DFII5 and FRED's T5YIE (the CSVs).
    computed = common_dates(fred_mirror, "DGS5", "DFII5")[-1]
    published = max(fred_values(fred_mirror, "T5YIE"))
    assert data["dates"]["breakeven_5y"] == max(computed, published)


def test_realrate_as_of_and_rstar(capsys, opts, fred_mirror: Path) -> None:
    """``--as-of`` means "published by", as everywhere: on 2022-06-30 the June averages
    (FEDFUNDS early July, CPI mid-July) were not out, so May 2022 is the latest month."""
    code, out, _ = run(capsys, "realrate", "--as-of", "2022-06-30", "--json", *opts)
    assert code == 0
    default = json.loads(out)
    assert default["as_of"] == "2022-06-30" and default["stance"] == "accommodative"
    assert default["dates"]["real_policy_rate_expost"] == "2022-05-01"
    cpi = fred_values(fred_mirror, "CPIAUCSL")
    inflation = (cpi["2022-05-01"] / cpi["2021-05-01"] - 1) * 100
    expected = fred_values(fred_mirror, "FEDFUNDS")["2022-05-01"] - inflation
    assert default["real_policy_rate_expost"] == pytest.approx(expected, abs=1e-4)
    code, out, _ = run(
        capsys, "realrate", "--as-of", "2024-08-31", "--rstar", "2.5", "--json", *opts
    )
    assert json.loads(out)["stance"] == "neutral" and json.loads(out)["rstar"] == 2.5


def test_realrate_text_every_figure_with_unit_and_date(capsys, opts, mirror_session) -> None:
    from tidegauge.indicators.registry import by_command
    from tidegauge.presentation.text import figure_text

    code, out, _ = run(capsys, "realrate", "--lang", "zh-TW", *opts)
    assert code == 0
    flat = out.replace("\n", "")
    for ind in by_command(("realrate",)):  # the real rates, then the stance
        section = ind.run(ind.load(mirror_session, {}), {})
        for f in section.figures:
            ft = figure_text(f, "zh-TW")
            assert ft.value in out and ft.date in flat, ft.label
            assert ft.value.endswith("%") or f.unit == "category", ft.value
    assert "政策立場" in out


def test_realrate_history(capsys, opts) -> None:
    code, out, _ = run(capsys, "realrate", "history", "--json", *opts)
    assert code == 0
    rows = {r["key"]: r for r in json.loads(out)["episodes"]}
    assert rows["post_pandemic"]["real_avg"] < 0 < rows["volcker"]["real_avg"]
    code, out, _ = run(capsys, "realrate", "history", *opts)
    assert code == 0 and "Volcker" in out and "1979-10" in out


def test_calc_real_return_json(capsys) -> None:
    code, out, _ = run(
        capsys, "calc", "real-return", "--nominal", "10", "--inflation", "2", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"approx", "exact"}
    assert data["approx"] == 8.0 and data["exact"] == pytest.approx(7.843, abs=5e-4)


def test_calc_purchasing_power_and_retirement(capsys) -> None:
    code, out, _ = run(
        capsys,
        "calc",
        "purchasing-power",
        "--amount",
        "1000",
        "--inflation",
        "3",
        "--years",
        "10",
        "--lang",
        "zh-CN",
    )
    assert code == 0 and "744.09" in out and "购买力" in out
    code, out, _ = run(
        capsys,
        "calc",
        "retirement",
        "--contribution",
        "10000",
        "--years",
        "30",
        "--return",
        "5",
        "--inflation",
        "2",
        "--json",
    )
    assert code == 0 and json.loads(out)["nest_egg_today"] == pytest.approx(471246.31, abs=0.01)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["calc", "real-return", "--nominal", "5", "--inflation", "-100"], "-100%"),
        (
            ["calc", "purchasing-power", "--amount", "1", "--inflation", "2", "--years", "-3"],
            "negative",
        ),
        (["calc", "real-return", "--nominal", "abc", "--inflation", "2"], "is not a number"),
        (["calc", "retirement", "--years", "10", "--return", "5", "--inflation", "-150"], "-100%"),
        (["realrate", "--as-of", "2022-13-40"], "not a date"),
        (["realrate", "--rstar", "99"], "--rstar"),
        (["realrate", "--band", "-1"], "band"),
        (["realrate", "--as-of", "1900-01-01"], "no real-rate inputs"),
    ],
)
def test_bad_input_one_line_nonzero_no_traceback(capsys, opts, args, needle) -> None:
    code, out, err = run(capsys, *args, *(opts if args[0] == "realrate" else []))
    assert code != 0
    assert needle in err
    assert "Traceback" not in err + out
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines[-1].startswith("Error") and needle in lines[-1]


def test_console_script_bad_input(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tidegauge",
            "calc",
            "real-return",
            "--nominal",
            "3",
            "--inflation",
            "-200",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "-100%" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_realrate_chart_option(capsys, opts, tmp_path: Path) -> None:
    out_png = tmp_path / "policy.png"
    code, out, err = run(
        capsys,
        "realrate",
        "--chart",
        str(out_png),
        "--chart-kind",
        "policy",
        "--rstar",
        "0.5",
        "--json",
        *opts,
    )
    assert code == 0 and out_png.stat().st_size > 20_000
    assert json.loads(out)["rstar"] == 0.5
    code, _, err = run(capsys, "realrate", "--chart", str(tmp_path / "x.pdf"), *opts)
    assert code == 2 and ".png, .svg or .html" in err and "Traceback" not in err
