"""On-disk caches of the HTML faces: chart specifications, the Vega JavaScript bundle and the
report page.

Building the charts (the display copies of the series, sixteen Vega-Lite specifications) is a
part of the time of ``tidegauge report`` worth keeping. When the store has not changed since the
last report, the charts are the same, so their specifications are kept as JSON in the user cache
folder under a key made of everything they depend on:

* the store's content fingerprint (``Store.fingerprint()``, one indexed read) and the ids the
  report reads: new data or a revision changes it, an update that fetched nothing new does not;
* the language, ``--as-of`` and r*;
* the code (package version plus the size and modification time of every file), so an
  upgrade or a local edit never serves a stale chart;
* ``TIDEGAUGE_CJK_FONT_DIR`` (the chart font).

A corrupt or unreadable cache entry is ignored; at most :data:`KEEP` entries are kept.

The whole HTML report is kept too (:func:`load_page`), under the keys of its model (see
:mod:`tidegauge.indicators.report_cache`) and of its charts: it is a function of them and of
the Vega bundle, and is used only when both were taken from the cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..filecache import cache_dir, code_stamp, load_json, load_text, save_json, save_text

__all__ = [
    "KEEP",
    "chart_key",
    "load_page",
    "load_specs",
    "page_key",
    "save_page",
    "save_specs",
    "vega_bundle_path",
    "vega_javascript_cached",
]

PAGES_KEPT = 4
"""Report pages kept (each holds the Vega bundle: about 2.4 MB)."""

KEEP = 24
"""Cache entries kept (the oldest are removed)."""


@functools.cache
def vega_javascript() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script (sets ``window.vegaEmbed``); no network."""
    import vl_convert

    js: str = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # snippet is optional
    return js.replace("</script", "<\\/script")


def _bundle_name() -> str:
    import vl_convert

    return f"vega-bundle-{getattr(vl_convert, '__version__', 'unknown')}.js"


def vega_bundle_path() -> Path:
    """The file in the cache folder that holds the bundle of the installed vl-convert."""
    return cache_dir() / "vega" / _bundle_name()


def vega_javascript_cached() -> str:
    """:func:`vega_javascript`, read from a file in the cache
    folder when one exists for this vl-convert version (vl-convert assembles the bundle on each
    call, about two seconds; a cache that cannot be written is silently skipped)."""
    text = load_text("vega", _bundle_name())
    if text is not None and "vegaEmbed" in text:
        return text
    js = vega_javascript()
    save_text("vega", _bundle_name(), js, keep=2)
    return js


def chart_key(tg: Any, ids: tuple[str, ...], **settings: Any) -> str:
    """The cache key of the charts for the store behind ``tg`` and ``settings`` (language,
    as-of date, r*...)."""
    payload = json.dumps(
        {
            "store": tg.store.fingerprint(),
            "ids": sorted(ids),
            "settings": {k: str(v) for k, v in sorted(settings.items())},
            "code": code_stamp(),
            "font": os.environ.get("TIDEGAUGE_CJK_FONT_DIR", ""),
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def load_specs(key: str) -> dict[str, dict[str, Any]] | None:
    """The cached specifications for ``key``, or ``None``."""
    data = load_json("charts", key)
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        return None
    return data


def save_specs(key: str, specs: dict[str, dict[str, Any]]) -> None:
    """Store ``specs`` under ``key`` (errors are ignored: the cache is an optimisation)."""
    save_json("charts", key, specs, keep=KEEP)


def page_key(model_key: str, charts_key: str) -> str:
    """The cache key of the HTML report of a model and its charts (and the Vega bundle)."""
    import vl_convert

    version = getattr(vl_convert, "__version__", "unknown")
    payload = "|".join((model_key, charts_key, version))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def load_page(key: str) -> str | None:
    """The HTML report kept under ``key``, or ``None``."""
    page = load_text("pages", f"{key}.html")
    return page if page and page.rstrip().endswith("</html>") else None


def save_page(key: str, page: str) -> None:
    """Keep the HTML report ``page`` under ``key`` (errors are ignored)."""
    save_text("pages", f"{key}.html", page, keep=PAGES_KEPT)
