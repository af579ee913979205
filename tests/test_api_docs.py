"""docs/api.md's table of indicator endpoints is generated from the registry and must not drift."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from helpers import load_tool

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return load_tool("gen_api_docs")


def test_api_reference_is_up_to_date(gen: ModuleType) -> None:
    problem = gen.check()
    assert problem is None, problem


def test_every_endpoint_and_parameter_is_documented(gen: ModuleType) -> None:
    from tidegauge.indicators.registry import indicators

    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    for ind in indicators():
        if ind.endpoint:
            row = next(
                ln for ln in text.splitlines() if ln.startswith(f"| `/api/{ind.endpoint}` |")
            )
            for p in ind.params:
                assert f"`{p.name}`" in row, (ind.endpoint, p.name)


def test_check_mode_reports_drift_in_one_line(
    gen: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "api.md"
    current = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    stale.write_text(current.replace("`/api/checklist`", "`/api/checklst`"), encoding="utf-8")
    assert gen.main(["--check", "--output", str(stale)]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.endswith("python tools/gen_api_docs.py"), err
    assert gen.main(["--output", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == current
