"""The layers of the package: no import cycle, and no layer imports a face or a front end.

Every module of ``src/tidegauge`` is parsed (not imported) and every ``import`` in it — at module
level and inside functions, but not under ``if TYPE_CHECKING:`` — becomes an edge of the module
graph. The graph must have no cycle, and the data, analysis and indicator layers must not
import ``presentation``, ``cli`` or ``web`` (see docs/architecture.md, "Layers").
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "tidegauge"

FACES = ("tidegauge.presentation", "tidegauge.cli", "tidegauge.web")
LOWER = (
    "tidegauge.catalog",
    "tidegauge.sources",
    "tidegauge.store",
    "tidegauge.updater",
    "tidegauge.api",
    "tidegauge.export",
    "tidegauge.freshness",
    "tidegauge.holidays",
    "tidegauge.releases",
    "tidegauge.alerts.signals",
    "tidegauge.alerts.rules",
    "tidegauge.alerts.engine",
    "tidegauge.alerts.changes",
    "tidegauge.analysis",
    "tidegauge.indicators",
    "tidegauge.errors",
    "tidegauge.i18n",
    "tidegauge.values",
    "tidegauge.jsonutil",
    "tidegauge.config",
    "tidegauge._dates",
    "tidegauge._numbers",
    "tidegauge._typing",
)
"""Layers below the faces (the bottom layer, data, analysis, indicators)."""


def _module_name(path: Path) -> str:
    parts = ["tidegauge", *path.relative_to(PKG).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PKG.rglob("*.py")}


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                for inner in ast.walk(sub):
                    if hasattr(inner, "lineno"):
                        lines.add(inner.lineno)
    return lines


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that ``name`` imports (resolving relative imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            # "from pkg import module" imports the module; "from module import name" the module
            targets = [f"{stem}.{a.name}" for a in node.names if f"{stem}.{a.name}" in known]
            targets = targets or [stem]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith("tidegauge"):
                out.add(target)
    return out


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    # importing a package's submodule runs the package's __init__ too, but an __init__ that
    # only re-exports is not a dependency of the submodule: edges are explicit imports only
    return {name: _imports(name, path, known) for name, path in mods.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _is_init_of(pkg: str, mod: str) -> bool:
    return mod.startswith(pkg + ".")


def test_no_import_cycles(graph: dict[str, set[str]]) -> None:
    # a package importing its own submodules (re-exports in __init__) is not a cycle of layers
    pruned = {
        v: {w for w in ws if not (_is_init_of(v, w) and v in graph and w in graph)}
        for v, ws in graph.items()
    }
    assert _cycles(pruned) == []


def test_lower_layers_do_not_import_faces(graph: dict[str, set[str]]) -> None:
    bad = {
        mod: sorted(t for t in targets if t.startswith(FACES))
        for mod, targets in graph.items()
        if mod.startswith(LOWER) and any(t.startswith(FACES) for t in targets)
    }
    assert bad == {}


def test_the_graph_is_real(graph: dict[str, set[str]]) -> None:
    """The parser finds the edges it must (the test would pass vacuously otherwise)."""
    assert "tidegauge.indicators.base" in graph["tidegauge.indicators.liquidity"]
    assert "tidegauge.analysis.liquidity" in graph["tidegauge.indicators.liquidity"]
    assert "tidegauge.presentation.text" in graph["tidegauge.presentation.terminal"]
    assert "tidegauge.i18n" in graph["tidegauge.errors"]


def test_no_module_over_400_lines() -> None:
    long = {
        _module_name(p): n
        for p in PKG.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
