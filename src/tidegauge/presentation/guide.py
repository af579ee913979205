"""The user guide in the reader's language, for the dashboard (``/guide``) and the report.

The guides are ``docs/guide.md``, ``docs/guide.zh-TW.md`` and ``docs/guide.zh-CN.md``; the
package ships them as ``tidegauge/guide/<lang>.md`` (links to those files, so the two never
differ). Markdown becomes HTML with markdown-it (already installed with rich); raw HTML in the
source is escaped, and links to other documentation files become plain text (they are not pages
of the dashboard or parts of the report).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from markupsafe import Markup

__all__ = ["guide_html", "guide_markdown"]

_DOC_LINK = re.compile(r"\[([^\]]+)\]\((?!#|https?:)[^)]*\)")


def guide_markdown(lang: str) -> str:
    """The guide's Markdown in ``lang`` (English when a translation is missing)."""
    folder = resources.files("tidegauge") / "guide"
    for name in (f"{lang}.md", "en.md"):
        try:
            return (folder / name).read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            continue
    return ""


@functools.cache
def guide_html(lang: str) -> Markup:
    """The guide as HTML (its first heading left out: the page has its own title).

    Kept in the cache folder under a digest of the Markdown, the markdown-it version and the
    code (importing markdown-it and rendering took about 0.2 s of every report)."""
    from importlib.metadata import version

    from ..filecache import digest, load_text, save_text

    source = guide_markdown(lang)
    name = f"{digest({'md': source, 'markdown-it': version('markdown-it-py')})}.html"
    kept = load_text("guide", name)
    if kept is not None:
        return Markup(kept)  # our own rendering below, kept in the user's cache folder
    from markdown_it import MarkdownIt

    text = _DOC_LINK.sub(r"\1", source)
    text = re.sub(r"\A# [^\n]*\n", "", text)
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    html = md.render(text)  # markdown-it escapes the text; raw HTML is off
    save_text("guide", name, html, keep=6)
    return Markup(html)
