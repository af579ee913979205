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
    """The Altair chart (or Vega-Lite dict) of ``chart`` in ``lang``."""
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
    tables).

    Altair's debug mode (every object validated against the schema as it is made) is off
    while they are built: the chart layer's specifications are tested, and the validation was
    a fifth of the charts' time."""
    from altair.utils.schemapi import debug_mode

    out: dict[str, Any] = {}
    with debug_mode(False):
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


def _fast_values(data: Any) -> Any:
    """Altair data transformer: a DataFrame to inline ``values`` with vectorised conversion
    (timestamps as ISO strings like Altair's own, floats rounded to 4 decimals for a lighter
    page, NaN as null). Anything else goes to Altair's default transformer."""
    import numpy as np
    import pandas as pd
    from altair.utils.data import to_values

    if not isinstance(data, pd.DataFrame) or isinstance(data.index, pd.MultiIndex):
        return to_values(data)
    columns: list[list[Any]] = []
    for name in data.columns:
        col = data[name]
        if pd.api.types.is_datetime64_any_dtype(col) and col.dt.tz is None:
            text = np.datetime_as_string(col.to_numpy("datetime64[s]"), unit="s")
            columns.append([None if v == "NaT" else str(v) for v in text])
        elif pd.api.types.is_float_dtype(col):
            arr = np.round(col.to_numpy(dtype=float), 4)
            columns.append([None if v != v else v for v in arr.tolist()])
        elif pd.api.types.is_integer_dtype(col) or pd.api.types.is_bool_dtype(col):
            columns.append(col.tolist())
        else:
            columns.append([None if v is None or v != v else v for v in col.astype(object)])
    names = [str(c) for c in data.columns]
    return {"values": [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]}


def _transformer() -> Any:
    import altair as alt

    if "tidegauge" not in alt.data_transformers.names():
        alt.data_transformers.register("tidegauge", _fast_values)
    return alt.data_transformers.enable("tidegauge")


def spec_of(chart: Any) -> dict[str, Any]:
    """The Vega-Lite dict of ``chart`` for a web page: no ``$schema`` URL, a CJK font fallback
    list for browsers, no validation pass (the chart layer's specs are tested) and a vectorised
    data conversion (:func:`_fast_values`)."""
    from . import HTML_FONT_FALLBACKS

    if isinstance(chart, dict):
        spec: dict[str, Any] = chart
    else:
        with _transformer():
            spec = chart.to_dict(validate=False)
    spec = dict(spec)
    spec.pop("$schema", None)
    config = dict(spec.get("config", {}))
    if config.get("font"):
        config["font"] = f'"{config["font"]}", {HTML_FONT_FALLBACKS}'
        spec["config"] = config
    return spec
