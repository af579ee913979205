"""Terminal tables never cut a value: at 80 columns (and in a pipe) every number and date of
``regimes`` and ``series list`` is printed whole, lines fit the width, and CJK text never breaks
inside a date. ``--format csv`` gives the raw table for pipes and spreadsheets."""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from tidegauge.cli import cli
from tidegauge.presentation.termlayout import layout, tokens, wrap_text


def _run(*args: str, columns: int) -> str:
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


def _check_no_cut(text: str, width: int) -> None:
    for line in text.splitlines():
        assert "…" not in line, line
    table_lines = [ln for ln in text.splitlines() if ln[:1] in "┏┃┡│└ ─" or "  " in ln]
    for line in table_lines:
        assert cell_len(line) <= width, (cell_len(line), line)


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_regimes_prints_every_value_whole(
    mirror_session: Any, opts: list[str], columns: int, lang: str
) -> None:
    args = ("regimes", *opts, "--lang", lang)
    text = _run(*args, columns=columns)
    _check_no_cut(text, columns)
    raw = pd.read_csv(io.StringIO(_run(*args, "--format", "csv", columns=columns)))
    assert len(raw) >= 15  # QE1 ... RMP2025
    # every change shown is whole: the formatted change of each episode is in the output
    from tidegauge.indicators.registry import by_command
    from tidegauge.presentation.text import say

    ind = by_command(("regimes",))[0]
    section = ind.run(ind.load(mirror_session, {}), {})
    table = section.tables[0]
    change = next(j for j, c in enumerate(table.columns) if c.key == "change")
    start = next(j for j, c in enumerate(table.columns) if c.key == "start")
    flat = " ".join(text.split())
    for row in table.rows:
        assert say(row.cells[change], lang) in flat, say(row.cells[change], lang)
        assert say(row.cells[start], lang) in text  # a date is never split over two lines


@pytest.mark.parametrize("lang", ["en", "zh-TW", "zh-CN"])
def test_series_list_fits_80_columns(opts: list[str], lang: str) -> None:
    text = _run("series", "list", *opts, "--lang", lang, columns=80)
    _check_no_cut(text, 80)
    for date in ("2026-08-26",):
        y, m, d = date.split("-")
        shown = {"en": "Aug 26, 2026"}.get(lang, f"{y}年{int(m)}月{int(d)}日")
        assert shown in text


def test_cjk_text_wraps_between_characters_never_inside_a_date() -> None:
    text = "自2025年12月17日起的準備金管理購買（RMP2025），+2.7%"
    for width in range(8, 30):
        lines = wrap_text(text, width)
        assert "".join(lines) == text
        assert any("2025年12月17日" in ln for ln in lines)
        assert all(cell_len(ln) <= max(width, 14) for ln in lines)
    assert "Jun 17, 2026." in tokens("as of Jun 17, 2026.")  # punctuation stays with it
    # a date in brackets and a Chinese amount with its unit are one token each
    assert "(Feb 23, 2022)" in tokens("8,928 (Feb 23, 2022)")
    assert wrap_text("8,928 (Feb 23, 2022)", 12) == ["8,928", "(Feb 23, 2022)"]
    assert "（+3,637 億美元）" in tokens("2023年3月29日（+3,637 億美元）")


def test_a_table_too_wide_for_any_layout_becomes_records() -> None:
    heads = ["a", "b", "c"]
    rows = [["1,234,567,890.12", "2,345,678,901.23", "3,456,789,012.34"]]
    lay = layout(heads, rows, [False] * 3, [0, 0, 0], 30)
    assert lay.records
    ok = layout(heads, rows, [False] * 3, [0, 1, 2], 40)
    assert not ok.records and ok.dropped == (2,)
    assert re.fullmatch(r"[\d,.]+", rows[0][0])
