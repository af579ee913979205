"""docs/cli.md is generated from the commands' --help and must not drift from them."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from helpers import load_tool

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return load_tool("gen_cli_docs")


def test_cli_reference_is_up_to_date(gen: ModuleType) -> None:
    # On drift the message names the fix: "...; regenerate it with: python tools/gen_cli_docs.py"
    problem = gen.check()
    assert problem is None, problem


def test_every_registered_command_is_documented(gen: ModuleType) -> None:
    from tidegauge.cli import COMMANDS

    text = gen.render()
    for name in COMMANDS:
        assert f"## `tidegauge {name}`" in text, name
        assert f"Usage: tidegauge {name} [OPTIONS]" in text, name
    # Subcommands of lazy groups are reached too (e.g. simulate qt, series show).
    assert "### `tidegauge simulate qt`" in text
    assert "### `tidegauge series show`" in text


def test_render_ignores_terminal_and_environment(
    gen: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = gen.render()
    monkeypatch.setenv("COLUMNS", "37")
    monkeypatch.setenv("TIDEGAUGE_LANG", "zh-TW")
    monkeypatch.setenv("TIDEGAUGE_STORE", "/nonexistent/elsewhere.db")
    assert gen.render() == baseline
    widest = max(len(line) for line in baseline.splitlines() if not line.startswith(("- [", "<")))
    assert widest <= gen.WIDTH + 4, widest  # help blocks wrap at the fixed width


def test_check_mode_reports_drift_in_one_line(
    gen: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text(gen.render().replace("Usage: tidegauge update", "Usage: tidegauge upd"))
    assert gen.main(["--check", "--output", str(stale)]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert err.endswith("regenerate it with: python tools/gen_cli_docs.py"), err

    assert gen.main(["--check", "--output", str(tmp_path / "missing.md")]) == 1
    assert "is missing" in capsys.readouterr().err

    assert gen.main(["--output", str(stale)]) == 0
    assert gen.main(["--check", "--output", str(stale)]) == 0
    assert stale.read_text() == gen.render()
