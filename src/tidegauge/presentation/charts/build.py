"""From a declared :class:`~tidegauge.indicators.model.Chart` to a drawing.

An indicator declares ``Chart(id, "balance:fed_assets_chart", args, kwargs)``; :func:`chart_of`
calls that function of :mod:`tidegauge.presentation.charts` with the face's language, and
:func:`spec_of` turns the result into the Vega-Lite dict every HTML face embeds (the report and
the dashboard share :func:`tidegauge.presentation.html.embed_chart`).
"""

from __future__ import annotations

import importlib
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...indicators.model import Chart, Section

__all__ = ["chart_of", "section_charts", "spec_of"]


def chart_of(chart: Chart, lang: str) -> Any:
    """The chart (a :mod:`.vl` builder, or a Vega-Lite dict) of ``chart`` in ``lang``."""
    module, name = chart.builder.split(":")
    fn = getattr(importlib.import_module(f"{__package__}.{module}"), name)
    return fn(*chart.args, lang, **dict(chart.kwargs))


def chart_key(section: Section, chart: Chart) -> str:
    """``"<section>:<chart>"``: the key of a chart in a report (and its file name stem)."""
    return f"{section.id}:{chart.id}"


def section_charts(
    sections: Iterable[Section], lang: str, only: Collection[str] | None = None
) -> dict[str, Any]:
    """Every chart of ``sections`` built in ``lang``, or those whose :func:`chart_key` is in
    ``only`` (a chart that cannot be drawn is left out: its section still shows its figures and
    tables)."""
    out: dict[str, Any] = {}
    for s in sections:
        for c in s.charts:
            key = chart_key(s, c)
            if only is not None and key not in only:
                continue
            try:
                out[key] = chart_of(c, lang)
            except (LookupError, ValueError):
                continue
    return out


def spec_of(chart: Any) -> dict[str, Any]:
    """The Vega-Lite dict of ``chart`` for a web page: no ``$schema`` URL, and a CJK font
    fallback list for browsers."""
    from . import HTML_FONT_FALLBACKS

    spec: dict[str, Any] = dict(chart if isinstance(chart, dict) else chart.to_dict())
    spec.pop("$schema", None)
    config = dict(spec.get("config", {}))
    if config.get("font"):
        config["font"] = f'"{config["font"]}", {HTML_FONT_FALLBACKS}'
        spec["config"] = config
    return spec
