"""A report model as JSON, for one language: what the report cache keeps on disk.

:func:`encode` turns a :class:`~tidegauge.indicators.report.Report` into plain JSON data and
:func:`decode` gives back a report the faces render exactly as the original, in the language
it was encoded for:

* figures, tables, notes, freshness and typed values (:class:`~tidegauge.i18n.Message`,
  :class:`~tidegauge.values.Quantity`, :class:`~tidegauge.values.Day`...) keep their types, so
  every face formats them as before;
* a text computed per language (:class:`~tidegauge.values.Lazy`, an error's message, a glossary
  term) is kept as its words in that language (a :class:`~tidegauge.values.Localized`);
* what only the Python API or chart building uses is left out: a section's ``result`` and
  ``to_json``, a chart's data (``args``, ``kwargs``) and the report's ``params``.

Anything else (a pandas object in a message, a numpy integer...) raises :class:`Unsupported`:
such a report is not cached, never cached wrongly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Any

from ..errors import Term, TidegaugeError
from ..freshness import Freshness, InputAge
from ..i18n import Message
from ..values import Day, Joined, Lazy, Localized, Quantity
from .model import Chart, Column, Figure, Row, Section, Table

__all__ = ["Unsupported", "decode", "encode"]

FORMAT = 1
"""Version of the encoding (in the cache key; an edit of this module changes the code stamp
too)."""

_LEFT_OUT: dict[str, tuple[str, ...]] = {
    "Report": ("params",),
    "Section": ("result", "to_json"),
    "Chart": ("args", "kwargs"),
}
"""Fields not encoded (a decoded object has their defaults)."""


@functools.cache
def _classes() -> dict[str, type]:
    from .report import Report

    kinds = (Report, Section, Figure, Table, Column, Row, Chart, Freshness, InputAge)
    return {c.__name__: c for c in (*kinds, Quantity, Day, Joined, Localized)}


class Unsupported(TypeError):
    """A value the encoding does not know (the report is then not cached)."""


def encode(obj: Any, lang: str) -> Any:
    """``obj`` (a report, or any part of one) as JSON data for ``lang``."""
    if obj is None or type(obj) in (bool, int, float, str):
        return obj
    if isinstance(obj, float):  # numpy.float64 formats as a float does
        return float(obj)
    if isinstance(obj, dt.datetime):
        return {"$": "datetime", "v": obj.isoformat()}
    if isinstance(obj, dt.date):
        return {"$": "date", "v": obj.isoformat()}
    if isinstance(obj, list):
        return [encode(v, lang) for v in obj]
    if isinstance(obj, tuple):
        return {"$": "tuple", "v": [encode(v, lang) for v in obj]}
    if type(obj) is dict:
        return {"$": "dict", "v": [[encode(k, lang), encode(v, lang)] for k, v in obj.items()]}
    if isinstance(obj, Message):
        return {"$": "Message", "k": obj.key, "p": encode(dict(obj.params), lang)}
    if isinstance(obj, Lazy | Term):
        return {"$": "text", "v": obj.text(lang)}
    if isinstance(obj, TidegaugeError):
        return {"$": "text", "v": " ".join(obj.message(lang).split())}
    cls: type = type(obj)
    name = cls.__name__
    if _classes().get(name) is cls:
        fields = {f: encode(getattr(obj, f), lang) for f in _encoded_fields(cls)}
        return {"$": name, "f": fields}
    raise Unsupported(f"cannot encode a {cls.__module__}.{name} in a report model")


@functools.cache
def _encoded_fields(cls: type) -> tuple[str, ...]:
    """The fields of dataclass ``cls`` that are encoded (``init`` fields not left out)."""
    skip = _LEFT_OUT.get(cls.__name__, ())
    return tuple(f.name for f in dataclasses.fields(cls) if f.init and f.name not in skip)


def decode(doc: Any, lang: str) -> Any:
    """The object :func:`encode` gave ``doc`` for (``lang``: the language it was encoded in)."""
    if isinstance(doc, list):
        return [decode(v, lang) for v in doc]
    if not isinstance(doc, dict):
        return doc
    kind = doc["$"]
    if kind == "date":
        return dt.date.fromisoformat(doc["v"])
    if kind == "datetime":
        return dt.datetime.fromisoformat(doc["v"])
    if kind == "tuple":
        return tuple(decode(v, lang) for v in doc["v"])
    if kind == "dict":
        return {decode(k, lang): decode(v, lang) for k, v in doc["v"]}
    if kind == "Message":
        return Message(doc["k"], **decode(doc["p"], lang))
    if kind == "text":
        return Localized({lang: doc["v"]})
    cls = _classes()[kind]
    fields = {k: decode(v, lang) for k, v in doc["f"].items()}
    return cls(**fields)
