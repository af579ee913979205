"""Every docstring example of the package runs (examples that need a session or the network are
marked ``# doctest: +SKIP`` in the docstring itself)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import tidegauge

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(tidegauge.__path__, prefix="tidegauge.")
    if not m.name.endswith("__main__")
)


def test_modules_found() -> None:
    assert len(MODULES) > 80 and "tidegauge.freshness" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, report=True)
    assert result.failed == 0, f"{result.failed} failing example(s) in {name}"
