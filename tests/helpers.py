"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import pytest

from tidegauge.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the console entry point in-process: ``(exit code, stdout, stderr)``."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err
