"""Reading the message catalog (``messages/*.toml``) and formatting one message.

The bottom of the package: it imports nothing from tidegauge, so :mod:`tidegauge.errors` can
render its messages without importing :mod:`tidegauge.i18n` (which raises those errors). Use
:mod:`tidegauge.i18n`, which re-exports :func:`t`, :func:`catalog` and :func:`placeholders`.
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["catalog", "placeholders", "t"]


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, dict[str, str]]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if (
            isinstance(value, dict)
            and "en" in value
            and all(isinstance(v, str) for v in value.values())
        ):
            out[full] = value
        elif isinstance(value, dict):
            _flatten(full, value, out)
        else:
            raise ValueError(f"message {full!r} must be a table of languages")


@cache
def catalog() -> dict[str, dict[str, str]]:
    """All messages, ``{key: {lang: text}}``."""
    out: dict[str, dict[str, str]] = {}
    folder = resources.files("tidegauge") / "messages"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            _flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), out)
    return out


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def t(key: str, lang: str = "en", /, **kwargs: Any) -> str:
    """The message ``key`` in ``lang``, formatted with ``kwargs`` (falls back to English)."""
    entry = catalog().get(key)
    if entry is None:
        raise KeyError(f"no message {key!r} in the catalog")
    text = entry.get(lang) or entry["en"]
    return text.format(**kwargs) if kwargs else text
