"""HTML rendering of the dashboard: Jinja2 with autoescaping, chart specs as inert JSON.

Every string from data or the catalog reaches a page through a Jinja2 template with
autoescaping on, so ``<script>`` in a series name or a parameter is shown, never run. Chart
specifications are embedded as ``<script type="application/json">`` blocks (which browsers do
not execute) with ``<``, ``>`` and ``&`` written as JSON escapes, so no value can close the block.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from .._typing import LANGS
from ..i18n import t

__all__ = ["LANG_LABELS", "PAGES", "chart_section", "environment", "render_page", "safe_json"]

PAGES: tuple[str, ...] = (
    "overview",
    "balance",
    "liquidity",
    "compare",
    "realrates",
    "checklist",
    "simulate",
)
"""Dashboard pages in menu order (``overview`` is ``/``, the others ``/<name>``)."""

LANG_LABELS = {"en": "English", "zh-TW": "繁體中文", "zh-CN": "简体中文"}


def page_path(page: str) -> str:
    return "/" if page == "overview" else f"/{page}"


@functools.cache
def environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("tidegauge.web", "templates"),
        autoescape=True,  # every {{ value }} is HTML-escaped
        trim_blocks=True,
        lstrip_blocks=True,
    )


def safe_json(value: Any) -> Markup:
    """JSON that is safe inside a ``<script type="application/json">`` block."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)  # escaped above for a script data block


def _html_spec(chart: Any) -> dict[str, Any]:
    """The chart's Vega-Lite spec with browser font fallbacks for Chinese."""
    from ..presentation.charts import HTML_FONT_FALLBACKS, find_cjk_font

    find_cjk_font()
    spec: dict[str, Any] = chart if isinstance(chart, dict) else chart.to_dict()
    spec = json.loads(json.dumps(spec))
    font = spec.get("config", {}).get("font")
    if font:
        spec["config"]["font"] = f'"{font}", {HTML_FONT_FALLBACKS}'
    return spec


def chart_section(
    chart: Any, chart_id: str, title: str | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "kind": "chart",
        "chart_id": chart_id,
        "spec_json": safe_json(_html_spec(chart)),
        "title": title,
        **extra,
    }


def _links(
    page: str, lang: str, query: Mapping[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nav = [
        {
            "href": page_path(p) + "?" + urlencode({"lang": lang}),
            "label": t(f"web.nav.{p}", lang),
            "current": p == page,
        }
        for p in PAGES
    ]
    keep = {k: v for k, v in query.items() if k != "lang"}
    langs = [
        {
            "href": page_path(page) + "?" + urlencode({**keep, "lang": code}),
            "code": code,
            "label": LANG_LABELS[code],
            "current": code == lang,
        }
        for code in LANGS
    ]
    return nav, langs


def render_page(page: str, lang: str, query: Mapping[str, str], content: Mapping[str, Any]) -> str:
    """The whole HTML page ``page`` with ``content`` (``title``, ``intro``, ``sections``)."""
    from ..presentation.fmt import html_lang

    nav, langs = _links(page, lang, query)
    return str(
        environment()
        .get_template("page.html")
        .render(
            page=page,
            lang=lang,
            html_lang=html_lang(lang),
            nav=nav,
            langs=langs,
            t=lambda key, **kw: t(key, lang, **kw),
            title=content["title"],
            intro=content.get("intro"),
            sections=content.get("sections", []),
            store_note=content.get("store_note"),
        )
    )


def render_error(lang: str, title: str, message: str) -> str:
    from ..presentation.fmt import html_lang

    return str(
        environment()
        .get_template("error.html")
        .render(
            lang=lang,
            html_lang=html_lang(lang),
            t=lambda key, **kw: t(key, lang, **kw),
            title=title,
            message=message,
        )
    )
