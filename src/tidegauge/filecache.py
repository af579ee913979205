"""Small JSON caches in the user cache folder, for results that are costly to compute and are
pure functions of their key (chart specifications, alert replays, dashboard answers).

A key must name everything the value depends on; :func:`code_stamp` is the part that stands for
the code (the package version plus the size and modification time of every file of the package,
message catalogs and templates included), so an upgrade or a local edit never serves a stale
value. A corrupt or unreadable entry is a miss; a cache that cannot be written is skipped (it is
an optimisation); at most ``keep`` entries are kept per kind.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["ENV_CACHE", "cache_dir", "code_stamp", "digest", "load_json", "save_json"]

ENV_CACHE = "TIDEGAUGE_CACHE_DIR"
"""Folder for the caches (default: the user cache folder)."""


def cache_dir() -> Path:
    """``TIDEGAUGE_CACHE_DIR``, else the user cache folder (``~/.cache/tidegauge``)."""
    override = os.environ.get(ENV_CACHE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("tidegauge", appauthor=False)


@functools.cache
def code_stamp() -> str:
    """The version and the size and modification time of every file of the package: modules,
    message catalogs, templates, static files (once per process)."""
    from ._version import __version__

    pkg = Path(__file__).resolve().parent
    parts = [__version__]
    for path in sorted(pkg.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        st = path.stat()
        parts.append(f"{path.relative_to(pkg)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def digest(doc: Any) -> str:
    """A key for ``doc`` (JSON-able; the code stamp is added)."""
    payload = json.dumps({"doc": doc, "code": code_stamp()}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def load_json(kind: str, key: str) -> Any | None:
    """The entry ``key`` of ``kind``, or ``None`` (missing, unreadable or corrupt)."""
    try:
        return json.loads((cache_dir() / kind / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save_json(kind: str, key: str, doc: Any, *, keep: int = 24) -> None:
    """Store ``doc`` as the entry ``key`` of ``kind`` (written whole, then renamed)."""
    root = cache_dir() / kind
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / f"{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        tmp.replace(root / f"{key}.json")
        entries = sorted(root.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
