"""The source registry: ``sources/base.py`` knows no source, the registry imports them all, and
a plug-in registers the way the built-ins do. (No import cycle anywhere: tests/test_layers.py.)

Every ``import`` and ``from ... import`` in every module (at module level, inside functions and
under ``TYPE_CHECKING``) is an edge from that module to the tidegauge module it names; a package
imported for its submodule (``from . import x``) counts as an edge to the submodule only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tidegauge

PACKAGE = Path(tidegauge.__file__).resolve().parent


def _modules() -> dict[str, tuple[Path, list[str]]]:
    """Module name → (file, package parts used to resolve relative imports)."""
    out: dict[str, tuple[Path, list[str]]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
            out[".".join(parts)] = (path, parts)
        else:
            out[".".join(parts)] = (path, parts[:-1])
    return out


def import_graph() -> dict[str, set[str]]:
    """Module → the tidegauge modules it imports anywhere in its body."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, package) in modules.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                subs = {f"{target}.{a.name}" for a in node.names} & modules.keys()
                edges |= subs or ({target} & modules.keys())
        graph[name] = edges - {name}
    return graph


def test_the_graph_sees_function_level_imports() -> None:
    graph = import_graph()
    assert "tidegauge.sources.registry" in graph["tidegauge.api"]  # imported inside a method
    assert "tidegauge.i18n" in graph["tidegauge.errors"]  # imported inside a function


def test_sources_base_does_not_import_its_sources() -> None:
    graph = import_graph()
    assert graph["tidegauge.sources.base"] <= {"tidegauge._dates", "tidegauge.errors"}
    registry = graph["tidegauge.sources.registry"]
    assert {"tidegauge.sources.fred", "tidegauge.sources.mirror"} <= registry
    assert {"tidegauge.sources.datahub", "tidegauge.sources.base"} <= registry


def test_builtins_and_plugins_register_the_same_way(tmp_path: Path) -> None:
    from tidegauge.config import Settings
    from tidegauge.sources import make_source, register_source, source_names
    from tidegauge.sources.mirror import MirrorSource

    assert {"fred", "mirror", "datahub", "dts"} <= set(source_names())

    @register_source("test-plugin")
    def make(settings: Settings) -> MirrorSource:
        return MirrorSource(tmp_path)

    source = make_source(Settings(store_path=tmp_path / "s.db"), "test-plugin")
    assert isinstance(source, MirrorSource) and "test-plugin" in source_names()
