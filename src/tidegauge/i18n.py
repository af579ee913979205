"""The message catalog: every user-facing string in en, zh-TW and zh-CN.

Messages live in ``messages/*.toml`` (one file per area, all read into one catalog). Each message
is a table with one entry per language; nested tables make dotted keys::

    [update]
    done = { en = "Updated {n} series", zh-TW = "已更新 {n} 個序列", zh-CN = "已更新 {n} 个序列" }

``t("update.done", "zh-TW", n=3)`` formats it. A test fails when any key lacks a language or the
languages disagree on placeholders.
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from importlib import resources
from typing import Any


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
    """All messages, ``{key: {lang: text}}``.

    Parsing the TOML files takes longer than the rest of a cached report, so the catalog is
    also kept as JSON in the cache folder under a digest of the files' names, sizes and
    modification times (an edited file gives a new entry).
    """
    from .filecache import load_json, save_json

    folder = resources.files("tidegauge") / "messages"
    files = sorted((e for e in folder.iterdir() if e.name.endswith(".toml")), key=lambda p: p.name)
    key = _stamp(files)
    kept = load_json("messages", key) if key else None
    if _is_catalog(kept):
        return kept  # type: ignore[return-value]  # checked by _is_catalog
    out: dict[str, dict[str, str]] = {}
    for entry in files:
        _flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), out)
    if key:
        save_json("messages", key, out, keep=4)
    return out


def _stamp(files: list[Any]) -> str | None:
    """A digest of the message files' names, sizes and modification times (``None`` when they
    are not plain files, e.g. in a zip)."""
    import hashlib
    from pathlib import Path

    from ._version import __version__

    parts = [__version__]
    for entry in files:
        if not isinstance(entry, Path):
            return None
        st = entry.stat()
        parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:32]


def _is_catalog(doc: Any) -> bool:
    return isinstance(doc, dict) and all(
        isinstance(v, dict) and isinstance(v.get("en"), str) for v in doc.values()
    )


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def t(key: str, lang: str = "en", /, **kwargs: Any) -> str:
    """The message ``key`` in ``lang``, formatted with ``kwargs`` (falls back to English)."""
    entry = catalog().get(key)
    if entry is None:
        raise KeyError(f"no message {key!r} in the catalog")
    text = entry.get(lang) or entry["en"]
    return text.format(**kwargs) if kwargs else text


class Message:
    """A catalog key and its parameters, translated only when a face renders it.

    Analyses and indicators return messages instead of words, so the same result reads in
    every language. Parameters may be plain values, other messages, or the typed values of
    :mod:`tidegauge.values` (amounts with a unit, dates); a face formats them for its language
    (:func:`tidegauge.presentation.text.say`).

    >>> m = Message("report.verdict.bubble")
    >>> m.key, m.params
    ('report.verdict.bubble', {})
    >>> t(m.key, "zh-TW") == Message("report.verdict.bubble").text("zh-TW")
    True
    """

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` with plain parameters (typed values need a face's ``say``)."""
        shown = {k: (v.text(lang) if isinstance(v, Message) else v) for k, v in self.params.items()}
        return t(self.key, lang, **shown)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (other.key, other.params) == (self.key, self.params)

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Message({self.key!r}{args})"
