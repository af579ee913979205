"""Links to where the data comes from: every series id a page names links to its source page.

>>> source_url("WALCL")
'https://fred.stlouisfed.org/series/WALCL'
>>> str(linkify("Source: FRED, series WALCL, DGS10 <b>"))  # doctest: +NORMALIZE_WHITESPACE
'Source: FRED, series <a href="https://fred.stlouisfed.org/series/WALCL" rel="noopener"
target="_blank">WALCL</a>, <a href="https://fred.stlouisfed.org/series/DGS10" rel="noopener"
target="_blank">DGS10</a> &lt;b&gt;'
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

__all__ = ["linkify", "source_name", "source_url"]

FRED_SERIES = "https://fred.stlouisfed.org/series/{id}"
DATAHUB = {
    "SPX_SHILLER": "https://datahub.io/core/s-and-p-500",
    "SPX_DIV": "https://datahub.io/core/s-and-p-500",
    "SPX_EARN": "https://datahub.io/core/s-and-p-500",
    "SPX_CAPE": "https://datahub.io/core/s-and-p-500",
    "SP500TR": "https://datahub.io/core/s-and-p-500",
    "GOLD": "https://datahub.io/core/gold-prices",
}
"""Series that are not on FRED → the page of their open dataset."""

_NAMES = {"fred": "FRED", "datahub": "Shiller / datahub"}
_ID = re.compile(r"\b[A-Z][A-Z0-9_]{2,31}\b")


def source_url(sid: str) -> str | None:
    """The web page of series ``sid`` at its source (``None`` for an unknown id)."""
    from ..catalog import CATALOG

    if sid in DATAHUB:
        return DATAHUB[sid]
    info = CATALOG.get(sid)
    if info is None or info.source != "fred":
        return None
    return FRED_SERIES.format(id=sid)


def source_name(sid: str) -> str:
    """``FRED`` or ``Shiller / datahub``: the source family of ``sid``."""
    from ..catalog import CATALOG

    info = CATALOG.get(sid)
    return _NAMES.get(info.source, info.source) if info else "FRED"


def _link(sid: str) -> Markup:
    url = source_url(sid)
    if url is None:
        return escape(sid)
    return Markup('<a href="{}" rel="noopener" target="_blank">{}</a>').format(url, sid)


def linkify(text: str) -> Markup:
    """``text`` escaped for HTML, with every known series id turned into a link to its page."""
    out, last = [], 0
    for m in _ID.finditer(text):
        if source_url(m.group()) is None:
            continue
        out += [escape(text[last : m.start()]), _link(m.group())]
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
