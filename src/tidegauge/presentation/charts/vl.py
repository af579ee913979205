"""Vega-Lite specifications as plain dicts, built with the few Altair-style calls the chart layer
uses (``Chart(df).mark_line(...).encode(x=X("date:T"), ...)``, ``layer``, ``vconcat``).

Why not Altair itself: the chart layer's specifications are fixed and tested, and Altair spends
most of a report's chart time on what they do not need — importing its schema wrappers (0.4 s),
validating and deep-copying every object as it is made, converting shorthands through the whole
Vega-Lite schema. These builders write the same JSON directly (``tests/test_charts_vl.py``
validates every chart of the report and the dashboard against the Vega-Lite schema).

What is kept from Altair's output, because pages and PNGs rely on it:

* a DataFrame becomes a named dataset in the top-level ``datasets`` (values written by
  :func:`records`: ISO dates, floats rounded to 4 decimals, NaN as null), referenced by
  ``{"name": ...}``; layers that share one DataFrame share one dataset, which is moved up to
  the layer (Altair's rule: the same object in every sub-chart);
* selection parameters of a layered or concatenated chart are lifted to the top level with
  the ``views`` they belong to, as Vega-Lite requires;
* ``config.view`` carries Altair's default continuous size (300 × 300).

Every builder returns a new object; nothing is shared between the charts built from one base.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..._frames import pylist
from .vl_parts import (
    X2,
    Y2,
    Axis,
    Color,
    Expr,
    Legend,
    Order,
    Param,
    Scale,
    StrokeDash,
    Text,
    TitleParams,
    Tooltip,
    X,
    Y,
    YOffset,
    channel,
    condition,
    datum,
    plain,
    selection_interval,
    selection_point,
    value,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "X2",
    "Y2",
    "Axis",
    "Chart",
    "Color",
    "Expr",
    "Legend",
    "Order",
    "Param",
    "Scale",
    "StrokeDash",
    "Text",
    "TitleParams",
    "Tooltip",
    "X",
    "Y",
    "YOffset",
    "channel",
    "condition",
    "datum",
    "layer",
    "plain",
    "records",
    "selection_interval",
    "selection_point",
    "value",
    "vconcat",
]

DEFAULT_VIEW = {"continuousWidth": 300, "continuousHeight": 300}


# -- data --------------------------------------------------------------------------------------
def records(data: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame's rows as JSON-ready dicts: timestamps as ISO strings (``2020-01-01T00:00:00``,
    as Altair writes them), floats rounded to 4 decimals for a lighter page, NaN and NaT as null.
    The index is not written (a chart's columns are its fields)."""
    import numpy as np
    import pandas as pd

    columns: list[list[Any]] = []
    for name in data.columns:
        col = data[name]
        if pd.api.types.is_datetime64_any_dtype(col) and col.dt.tz is None:
            stamps = col.to_numpy("datetime64[s]")
            text = np.datetime_as_string(stamps, unit="s").tolist()
            if np.isnat(stamps).any():
                text = [None if v == "NaT" else v for v in text]
            columns.append(text)
        elif pd.api.types.is_float_dtype(col):
            arr = np.round(col.to_numpy(dtype=float), 4)
            floats = arr.tolist()
            columns.append(
                [None if v != v else v for v in floats] if np.isnan(arr).any() else floats
            )
        elif pd.api.types.is_integer_dtype(col) or pd.api.types.is_bool_dtype(col):
            columns.append(col.tolist())
        else:  # (through an object array: pandas iterates a string column element by element)
            objs = pylist(col)
            columns.append([None if v is None or v != v else v for v in objs])
    return _rows([str(c) for c in data.columns], columns)


def _rows(names: list[str], columns: list[list[Any]]) -> list[dict[str, Any]]:
    """Row dicts of equally long ``columns`` (a dict display for up to four fields is about
    four times faster than ``dict(zip(...))`` per row)."""
    if len(names) == 1:
        (a,) = names
        return [{a: x} for x in columns[0]]
    if len(names) == 2:
        a, b = names
        return [{a: x, b: y} for x, y in zip(*columns, strict=True)]
    if len(names) == 3:
        a, b, c = names
        return [{a: x, b: y, c: z} for x, y, z in zip(*columns, strict=True)]
    if len(names) == 4:
        a, b, c, d = names
        return [{a: x, b: y, c: z, d: w} for x, y, z, w in zip(*columns, strict=True)]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


# -- charts ------------------------------------------------------------------------------------
class _Top:
    """What :meth:`_Spec.to_dict` gathers while writing the tree: datasets and lifted params."""

    def __init__(self) -> None:
        self.datasets: dict[str, list[dict[str, Any]]] = {}
        self.names: dict[int, str] = {}
        self.params: list[dict[str, Any]] = []
        self.views = 0

    def dataset(self, data: Any) -> dict[str, Any]:
        if isinstance(data, dict):
            return data
        if id(data) not in self.names:
            values = records(data)
            name = f"data-{_digest(data)}"  # equal frames (content) share one dataset
            self.datasets[name] = values
            self.names[id(data)] = name
        return {"name": self.names[id(data)]}


def _digest(data: pd.DataFrame) -> str:
    """A digest of a DataFrame's columns (names, types, values) without writing it as JSON."""
    h = hashlib.md5()
    for name in data.columns:
        col = data[name]
        h.update(f"\x1e{name}\x1f{col.dtype}\x1f".encode())
        if col.dtype.kind in "biufcmM":
            h.update(col.to_numpy().tobytes())
        else:
            text = map(str, pylist(col))
            h.update("\x1f".join(text).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class _Spec:
    """A chart: its own properties, its data (a DataFrame or ``None``) and its sub-charts."""

    kind = ""

    def __init__(self, data: Any = None, spec: dict[str, Any] | None = None) -> None:
        self.data = data
        self.spec: dict[str, Any] = dict(spec or {})
        self.parts: list[_Spec] = []

    def _copy(self) -> Any:
        new = object.__new__(type(self))
        new.data, new.spec, new.parts = self.data, dict(self.spec), list(self.parts)
        return new

    def _set(self, **kw: Any) -> Any:
        new = self._copy()
        new.spec.update(kw)
        return new

    def properties(self, **kw: Any) -> Any:
        return self._set(**{k: plain(v) for k, v in kw.items()})

    def _config(self, section: str | None, **kw: Any) -> Any:
        config = dict(self.spec.get("config", {}))
        if section is None:
            config.update(plain(kw))
        else:
            config[section] = {**config.get(section, {}), **plain(kw)}
        return self._set(config=config)

    def configure(self, **kw: Any) -> Any:
        return self._config(None, **kw)

    def configure_view(self, **kw: Any) -> Any:
        return self._config("view", **kw)

    def configure_legend(self, **kw: Any) -> Any:
        return self._config("legend", **kw)

    def resolve_scale(self, **kw: Any) -> Any:
        resolve = dict(self.spec.get("resolve", {}))
        resolve["scale"] = {**resolve.get("scale", {}), **kw}
        return self._set(resolve=resolve)

    def __add__(self, other: _Spec) -> LayerChart:
        return layer(self, other)

    # -- writing -------------------------------------------------------------------------------
    def _write(self, top: _Top, lift: bool) -> dict[str, Any]:
        out = {k: v for k, v in self.spec.items() if k not in ("params",)}
        if self.parts:
            out[self.kind] = [p._write(top, True) for p in self.parts]
        if self.data is not None:
            out["data"] = top.dataset(self.data)
        params = self.spec.get("params", [])
        if params and lift:
            if "name" not in out:
                top.views += 1
                out["name"] = f"view_{top.views}"
            top.params += [{**p, "views": [out["name"]]} for p in params]
        elif params:
            out["params"] = params
        return out

    def to_dict(self) -> dict[str, Any]:
        """The whole Vega-Lite specification (``datasets`` and lifted params at the top)."""
        top = _Top()
        out = self._write(top, lift=False)
        config = dict(out.get("config", {}))
        config["view"] = {**DEFAULT_VIEW, **config.get("view", {})}
        out["config"] = config
        if top.params:
            out["params"] = [*out.get("params", []), *top.params]
        if top.datasets:
            out["datasets"] = top.datasets
        return out


class Chart(_Spec):
    """A single view: ``Chart(df).mark_line(color=...).encode(x=X("date:T"), ...)``."""

    def __init__(self, data: Any = None, **kw: Any) -> None:
        super().__init__(data, {k: plain(v) for k, v in kw.items()})

    def _mark(self, kind: str, kw: dict[str, Any]) -> Chart:
        new: Chart = self._set(mark={"type": kind, **kw})
        return new

    def mark_line(self, **kw: Any) -> Chart:
        return self._mark("line", kw)

    def mark_rule(self, **kw: Any) -> Chart:
        return self._mark("rule", kw)

    def mark_rect(self, **kw: Any) -> Chart:
        return self._mark("rect", kw)

    def mark_text(self, **kw: Any) -> Chart:
        return self._mark("text", kw)

    def mark_bar(self, **kw: Any) -> Chart:
        return self._mark("bar", kw)

    def mark_area(self, **kw: Any) -> Chart:
        return self._mark("area", kw)

    def mark_circle(self, **kw: Any) -> Chart:
        return self._mark("circle", kw)

    def encode(self, **channels: Any) -> Chart:
        encoding = {
            **self.spec.get("encoding", {}),
            **{k: channel(v) for k, v in channels.items()},
        }
        new: Chart = self._set(encoding=encoding)
        return new

    def _transform(self, step: dict[str, Any]) -> Chart:
        new: Chart = self._set(transform=[*self.spec.get("transform", []), step])
        return new

    def transform_filter(self, test: Expr | str) -> Chart:
        return self._transform({"filter": str(test)})

    def transform_calculate(self, **exprs: str) -> Chart:
        new = self
        for name, expr in exprs.items():
            new = new._transform({"calculate": str(expr), "as": name})
        return new

    def transform_fold(self, fields: Iterable[str], as_: Iterable[str]) -> Chart:
        return self._transform({"fold": list(fields), "as": list(as_)})

    def transform_pivot(self, pivot: str, value: str, groupby: Iterable[str]) -> Chart:
        return self._transform({"pivot": pivot, "value": value, "groupby": list(groupby)})

    def add_params(self, *params: Param) -> Chart:
        new: Chart = self._set(params=[*self.spec.get("params", []), *(p.spec for p in params)])
        return new


class LayerChart(_Spec):
    kind = "layer"

    def __add__(self, other: _Spec) -> LayerChart:  # (a + b) + c is one layer of three
        new: LayerChart = _combine(self._copy(), [*self.parts, other])
        return new


class VConcatChart(_Spec):
    kind = "vconcat"


def _combine(parent: Any, parts: list[_Spec]) -> Any:
    """``parent`` with sub-charts ``parts``; a DataFrame every sub-chart has (the same object)
    is given once, to the parent (Altair's rule, which also applies when layers are added)."""
    shared = parent.data
    first = parts[0].data if parts else None
    if shared is None and first is not None and all(p.data is first for p in parts):
        shared = first
    if shared is not None and all(p.data is None or p.data is shared for p in parts):
        parent.data = shared
        parts = [p._copy() for p in parts]
        for p in parts:
            p.data = None
    if isinstance(parent, LayerChart):  # a layer's size is the layer's, not its parts'
        for prop in ("height", "width", "view"):
            values = [p.spec[prop] for p in parts if prop in p.spec]
            if prop not in parent.spec and values:
                if any(v != values[0] for v in values):
                    raise ValueError(f"inconsistent {prop} in the layers: {values}")
                parent.spec[prop] = values[0]
            if values:
                parts = [p._copy() for p in parts]
                for p in parts:
                    p.spec.pop(prop, None)
    parent.parts = parts
    return parent


def layer(*charts: _Spec, **kw: Any) -> LayerChart:
    """Charts drawn on top of each other (the first at the bottom)."""
    out: LayerChart = _combine(LayerChart(None, plain(kw)), list(charts))
    return out


def vconcat(*charts: _Spec, **kw: Any) -> VConcatChart:
    """Charts one above the other."""
    out: VConcatChart = _combine(VConcatChart(None, plain(kw)), list(charts))
    return out
