"""The self-contained HTML report: one file with all scripts, styles and data inline.

Text comes from :func:`~.view.report_view` and goes through a Jinja2 template with autoescape on,
so every string from the data or the catalog is escaped; chart specifications are embedded as
JSON with ``<``, ``>`` and ``&`` escaped (:func:`~.charts.script_json`). The Vega JavaScript is
included once. Nothing is loaded from the network: the page works offline.

The Vega bundle comes from ``vl-convert``, which assembles it on each call (about two seconds);
:func:`vega_javascript_cached` keeps a copy in the user cache folder, keyed by the vl-convert
version.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..._typing import Lang
from ..fmt import html_lang
from .view import report_view

if TYPE_CHECKING:
    from ..overview import Overview

__all__ = ["render_html", "vega_javascript_cached", "write_html"]

ENV_CACHE = "TIDEGAUGE_CACHE_DIR"
"""Folder for the cached Vega bundle (default: the user cache folder)."""

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ html_lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ v.title }} · {{ v.subtitle }}</title>
<style>
:root { --ink: #1d2733; --muted: #5b6673; --line: #dde3ea; --accent: #1f4e79; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Noto Sans CJK TC", "Noto Sans CJK SC", "PingFang TC", "PingFang SC", "Microsoft JhengHei",
  "Microsoft YaHei", sans-serif; }
header { background: var(--accent); color: #fff; padding: 24px 32px; }
header h1 { margin: 0 0 4px; font-size: 28px; }
header p { margin: 0; opacity: .9; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 32px 48px; }
nav ol { columns: 2; padding-left: 20px; margin: 8px 0 0; }
nav a, table a { color: var(--accent); }
h2 { border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 40px; }
.intro { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px;
  background: var(--bg); }
.card.category .value { font-size: 19px; }
.card .label { font-size: 13px; color: var(--muted); }
.card .value { font-size: 24px; font-weight: 650; margin: 2px 0; }
.card .date { font-size: 12px; color: var(--muted); }
.card .context { font-size: 13px; margin-top: 4px; }
.card .explain { font-size: 13px; margin-top: 8px; border-top: 1px dashed var(--line);
  padding-top: 6px; }
.card .src { font-size: 11px; color: var(--muted); margin-top: 4px; }
table { border-collapse: collapse; width: 100%; margin: 12px 0; font-size: 14px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left;
  vertical-align: top; }
th { background: var(--bg); }
td.num { text-align: right; white-space: nowrap; }
.chart { margin: 16px 0; overflow-x: auto; min-height: 120px; }
.notes { font-size: 13px; color: var(--muted); }
.notice { border-left: 4px solid #e07b00; background: #fff6ea; padding: 8px 12px;
  font-weight: 600; }
.error { border-left: 4px solid #d62728; background: #fdecec; padding: 8px 12px; }
footer { font-size: 12px; color: var(--muted); border-top: 1px solid var(--line);
  margin-top: 40px; padding-top: 8px; }
</style>
</head>
<body>
<header>
<h1>{{ v.title }}</h1>
<p>{{ v.subtitle }}</p>
{% if v.point_in_time %}<p><strong>{{ v.point_in_time }}</strong></p>{% endif %}
</header>
<main>
<section id="headline">
<h2>{{ headline_title }}</h2>
<table class="headline">
<thead><tr>{% for c in headline_cols %}<th>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for f in v.headline %}<tr><td><a href="#fig-{{ f.key }}">{{ f.label }}</a></td>
<td class="num">{{ f.value }}</td><td>{{ f.date }}</td><td>{{ f.context }}</td></tr>
{% endfor %}</tbody>
</table>
<nav><strong>{{ contents }}</strong><ol>
{% for s in v.sections %}<li><a href="#{{ s.id }}">{{ s.title }}</a></li>{% endfor %}
</ol></nav>
<p class="notes">{{ chart_note }}</p>
</section>
{% for s in v.sections %}
<section id="{{ s.id }}">
<h2>{{ s.title }}</h2>
<p class="intro">{{ s.intro }}</p>
{% for e in s.errors %}<p class="error">{{ e }}</p>{% endfor %}
{% if s.notice %}<p class="notice">{{ s.notice }}</p>{% endif %}
{% if s.figures %}<div class="cards">
{% for f in s.figures %}<div class="card {{ f.kind }}" id="fig-{{ f.key }}">
<div class="label">{{ f.label }}</div>
<div class="value">{{ f.value }}</div>
<div class="date">{{ as_of_label }} {{ f.date }}</div>
{% if f.context %}<div class="context">{{ f.context }}</div>{% endif %}
<div class="explain">{{ f.explanation }}</div>
<div class="src">{{ source_label }}: FRED {{ f.sources }}</div>
</div>
{% endfor %}</div>{% endif %}
{% for c in s.charts %}{{ charts[c] }}
{% endfor %}
{% for p in s.paragraphs %}<p>{{ p }}</p>
{% endfor %}
{% for tb in s.tables %}<table>
{% if tb.caption %}<caption>{{ tb.caption }}</caption>{% endif %}
<thead><tr>{% for c in tb.columns %}<th>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in tb.rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
{% endfor %}
{% if s.notes %}<ul class="notes">{% for n in s.notes %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}
</section>
{% endfor %}
<footer>{{ v.footer }}</footer>
</main>
<script>{{ vega_js }}</script>
{{ chart_scripts }}
</body>
</html>
"""


def _cache_dir() -> Path:
    override = os.environ.get(ENV_CACHE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("tidegauge", appauthor=False)


def vega_javascript_cached() -> str:
    """:func:`~tidegauge.presentation.charts.vega_javascript`, read from a file in the cache
    folder when one exists for this vl-convert version (written on first use; a cache that
    cannot be written is silently skipped)."""
    import vl_convert

    version = getattr(vl_convert, "__version__", "unknown")
    path = _cache_dir() / f"vega-bundle-{version}.js"
    try:
        text = path.read_text(encoding="utf-8")
        if "vegaEmbed" in text:
            return text
    except OSError:
        pass
    from ..charts import vega_javascript

    js = vega_javascript()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(js, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
    return js


def render_html(
    ov: Overview,
    lang: Lang,
    charts: dict[str, Any] | None = None,
    *,
    specs: dict[str, dict[str, Any]] | None = None,
) -> str:
    """The whole report page for ``lang``.

    Parameters
    ----------
    charts
        Altair charts by name (default: :func:`~.charts.overview_charts`).
    specs
        Prepared specifications by name (:func:`~.charts.spec_of`, e.g. from the cache);
        used instead of ``charts`` when given.
    """
    import jinja2
    from markupsafe import Markup

    from ...i18n import t
    from .charts import embed_spec, overview_charts, spec_of

    if specs is None:
        if charts is None:
            charts = overview_charts(ov, lang)
        specs = {name: spec_of(chart) for name, chart in charts.items()}
    view = report_view(ov, lang, list(specs))
    # Each chart: its <div> goes in the section, its script at the end of the page (after the
    # Vega bundle has defined vegaEmbed).
    divs, scripts = {}, []
    for name, spec in specs.items():
        div, script = embed_spec(spec, f"chart-{name}")
        divs[name] = Markup(div)
        scripts.append(script)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    page = env.from_string(_TEMPLATE).render(
        v=view,
        html_lang=html_lang(lang),
        headline_title=t("report.html.headline", lang),
        headline_cols=[t(f"report.col.{c}", lang) for c in ("figure", "value", "as_of", "detail")],
        contents=t("report.html.contents", lang),
        chart_note=t("report.html.chart_note", lang),
        as_of_label=t("report.col.as_of", lang),
        source_label=t("report.col.source", lang),
        charts=divs,
        vega_js=Markup(vega_javascript_cached()),
        chart_scripts=Markup("\n".join(scripts)),
    )
    return page


def write_html(
    ov: Overview,
    path: Path | str,
    lang: Lang,
    charts: dict[str, Any] | None = None,
    *,
    specs: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """Write the report to ``path`` (UTF-8) and return it (see :func:`render_html`)."""
    out = Path(path)
    out.write_text(render_html(ov, lang, charts, specs=specs), encoding="utf-8")
    return out
