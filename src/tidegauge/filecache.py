"""Small JSON caches in the user cache folder, for results that are costly to compute and are
pure functions of their key (chart specifications, alert replays, dashboard answers).

A key must name everything the value depends on; :func:`code_stamp` is the part that stands for
the code (the package version plus the size and modification time of every file of the package,
message catalogs and templates included), so an upgrade or a local edit never serves a stale
value. A corrupt or unreadable entry is a miss; a cache that cannot be written is skipped (it is
an optimisation); at most ``keep`` entries are kept per kind.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

__all__ = [
    "ENV_CACHE",
    "cache_dir",
    "code_stamp",
    "digest",
    "load_json",
    "load_text",
    "save_json",
    "save_text",
]

ENV_CACHE = "TIDEGAUGE_CACHE_DIR"
"""Folder for the caches (default: the user cache folder)."""


def cache_dir() -> Path:
    """``TIDEGAUGE_CACHE_DIR``, else the user cache folder (``~/.cache/tidegauge``)."""
    override = os.environ.get(ENV_CACHE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("tidegauge", appauthor=False)


CODE_SUFFIXES = (".py", ".toml", ".html", ".md", ".css", ".js")
"""Files of the package that make up "the code": modules, messages, catalogs, templates."""


@functools.cache
def code_stamp() -> str:
    """The version and the size and modification time of every module, message file, catalog
    and template of the package (once per process)."""
    from ._version import __version__

    pkg = Path(__file__).resolve().parent
    parts = [__version__]
    for path in sorted(pkg.rglob("*")):
        if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts:
            st = path.stat()
            parts.append(f"{path.relative_to(pkg)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def digest(doc: Any) -> str:
    """A key for ``doc`` (JSON-able; the code stamp is added)."""
    payload = json.dumps({"doc": doc, "code": code_stamp()}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def load_text(kind: str, name: str) -> str | None:
    """The file ``name`` of ``kind`` (``None``: missing or unreadable)."""
    try:
        return (cache_dir() / kind / name).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None


def save_text(kind: str, name: str, text: str, *, keep: int = 24) -> None:
    """Store ``text`` as the file ``name`` of ``kind`` (written whole, then renamed).

    At most ``keep`` files of the kind with the same suffix are kept: when there are more, the
    oldest are removed, down to ``keep`` less a tenth of it, so that a folder that is full (the
    dashboard's answers) is sorted by age once in many writes, not on every one."""
    root = cache_dir() / kind
    target = root / name
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / f"{target.stem}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        with os.scandir(root) as it:
            entries = [e for e in it if e.name.endswith(target.suffix)]
        if len(entries) > keep:
            entries.sort(key=_mtime, reverse=True)
            for old in entries[keep - keep // 10 :]:
                with contextlib.suppress(FileNotFoundError):  # removed by another writer
                    os.unlink(old.path)
    except OSError:
        pass


def _mtime(entry: os.DirEntry[str]) -> float:
    try:
        return entry.stat().st_mtime
    except OSError:  # removed meanwhile by another process
        return 0.0


def load_json(kind: str, key: str) -> Any | None:
    """The entry ``key`` of ``kind``, or ``None`` (missing, unreadable or corrupt)."""
    text = load_text(kind, f"{key}.json")
    try:
        return None if text is None else json.loads(text)
    except ValueError:
        return None


def save_json(kind: str, key: str, doc: Any, *, keep: int = 24) -> None:
    """Store ``doc`` as the entry ``key`` of ``kind`` (written whole, then renamed)."""
    save_text(kind, f"{key}.json", json.dumps(doc, ensure_ascii=False), keep=keep)
