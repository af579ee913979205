"""The user's language: ``--lang``, ``TIDEGAUGE_LANG`` and ``?lang=`` normalised to one of
:data:`~tidegauge._typing.LANGS`.

>>> normalise_lang("zh_tw"), normalise_lang("zh-Hans"), normalise_lang(None)
('zh-TW', 'zh-CN', 'en')
"""

from __future__ import annotations

from ._typing import LANGS, Lang
from .errors import UsageError

__all__ = ["normalise_lang"]

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
