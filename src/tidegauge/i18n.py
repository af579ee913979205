"""The message catalog: every user-facing string in en, zh-TW and zh-CN.

Messages live in ``messages/*.toml`` (one file per area, all read into one catalog). Each message
is a table with one entry per language; nested tables make dotted keys::

    [update]
    done = { en = "Updated {n} series", zh-TW = "已更新 {n} 個序列", zh-CN = "已更新 {n} 个序列" }

``t("update.done", "zh-TW", n=3)`` formats it. A test fails when any key lacks a language or the
languages disagree on placeholders.
"""

from __future__ import annotations

from ._catalog import catalog, placeholders, t
from ._typing import LANGS, Lang
from .errors import UsageError

__all__ = ["catalog", "normalise_lang", "placeholders", "t"]

_ALIASES: dict[str, Lang] = {
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
    "zh-tw": "zh-TW",
    "zh-hant": "zh-TW",
    "zh-hk": "zh-TW",
    "zh-cn": "zh-CN",
    "zh-hans": "zh-CN",
    "zh-sg": "zh-CN",
    "zh": "zh-CN",
}


def normalise_lang(lang: str | None) -> Lang:
    """``zh_TW``, ``zh-Hant``, ``ZH-tw`` → ``zh-TW``; an unknown language is a UsageError."""
    if lang is None or lang == "":
        return "en"
    key = lang.strip().replace("_", "-").lower()
    try:
        return _ALIASES[key]
    except KeyError:
        raise UsageError.t(
            "errors.config.unknown_language", lang=lang, choices=", ".join(LANGS)
        ) from None
