"""The parts of a Vega-Lite specification that :mod:`.vl` writes: encoding channels from field
shorthands (``X("date:T", axis=Axis(format="%Y"))``), constant values, ``datum`` expressions,
selection parameters and conditions. Each is written as the plain dict Altair would write.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "X2",
    "Y2",
    "Axis",
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
    "plain",
    "selection_interval",
    "selection_point",
    "value",
]

_TYPES = {"Q": "quantitative", "T": "temporal", "N": "nominal", "O": "ordinal"}


# -- values and expressions ----------------------------------------------------------------------
def _js(v: Any) -> str:
    """A Python constant as a Vega expression literal (strings as Python's repr, as Altair)."""
    if isinstance(v, Expr):
        return v.text
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    return repr(v)


class Expr:
    """A Vega expression (``datum.value >= 0``) written as text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _op(self, op: str, other: Any) -> Expr:
        return Expr(f"({self.text} {op} {_js(other)})")

    def __eq__(self, other: object) -> Expr:  # type: ignore[override]
        return self._op("===", other)

    def __ne__(self, other: object) -> Expr:  # type: ignore[override]
        return self._op("!==", other)

    def __lt__(self, other: Any) -> Expr:
        return self._op("<", other)

    def __le__(self, other: Any) -> Expr:
        return self._op("<=", other)

    def __gt__(self, other: Any) -> Expr:
        return self._op(">", other)

    def __ge__(self, other: Any) -> Expr:
        return self._op(">=", other)

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.text


class _Datum:
    def __getattr__(self, name: str) -> Expr:
        return Expr(f"datum.{name}")


datum = _Datum()
"""``datum.value >= 0`` → the expression ``(datum.value >= 0)``."""


def value(v: Any) -> dict[str, Any]:
    """A constant channel value."""
    return {"value": v}


class Param:
    def __init__(self, spec: dict[str, Any], empty: bool | None) -> None:
        self.spec = spec
        self.empty = empty


def selection_point(name: str, *, empty: bool | None = None, **select: Any) -> Param:
    """A point selection named ``name`` (``nearest``, ``on``, ``fields``, ``clear``...)."""
    return Param({"name": name, "select": {"type": "point", **select}}, empty)


def selection_interval(
    name: str, *, bind: str | None = None, empty: bool | None = None, **select: Any
) -> Param:
    """An interval selection; ``bind="scales"`` makes it zoom and pan the scales."""
    spec: dict[str, Any] = {"name": name, "select": {"type": "interval", **select}}
    if bind is not None:
        spec["bind"] = bind
    return Param(spec, empty)


def condition(test: Param | Expr | str, if_true: Any, if_false: Any) -> dict[str, Any]:
    """``{"condition": {...test, **if_true}, **if_false}`` (a selection or an expression)."""
    if isinstance(test, Param):
        cond: dict[str, Any] = {"param": test.spec["name"]}
        if test.empty is not None:
            cond["empty"] = test.empty
    else:
        cond = {"test": str(test)}
    return {"condition": {**cond, **plain(if_true)}, **plain(if_false)}


# -- channels and their parts --------------------------------------------------------------------
def plain(v: Any) -> Any:
    """``v`` with every builder object replaced by its dict."""
    if isinstance(v, _Part):
        return v.dict()
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


class _Part:
    """A part of a specification given by keyword arguments (``Axis(format="%Y")``)."""

    def __init__(self, **kw: Any) -> None:
        self.kw = kw

    def dict(self) -> dict[str, Any]:
        return {k: plain(v) for k, v in self.kw.items()}


class Axis(_Part):
    pass


class Scale(_Part):
    pass


class Legend(_Part):
    pass


class TitleParams(_Part):
    def __init__(self, text: Any = None, **kw: Any) -> None:
        super().__init__(**({"text": text} if text is not None else {}), **kw)


def _shorthand(text: str) -> dict[str, Any]:
    """``"date:T"`` → ``{"field": "date", "type": "temporal"}`` (the type code is optional)."""
    field, sep, code = text.rpartition(":")
    if sep and code in _TYPES:
        return {"field": field, "type": _TYPES[code]}
    return {"field": text}


class _Channel(_Part):
    """An encoding channel from a field shorthand plus keyword arguments."""

    typed = True

    def __init__(self, shorthand: str | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.shorthand = shorthand

    def dict(self) -> dict[str, Any]:
        out = _shorthand(self.shorthand) if self.shorthand is not None else {}
        if not self.typed:
            out.pop("type", None)
        return {**out, **super().dict()}


class X(_Channel):
    pass


class Y(_Channel):
    pass


class X2(_Channel):
    typed = False


class Y2(_Channel):
    typed = False


class Color(_Channel):
    pass


class Text(_Channel):
    pass


class Tooltip(_Channel):
    pass


class Order(_Channel):
    pass


class StrokeDash(_Channel):
    pass


class YOffset(_Channel):
    pass


def channel(v: Any) -> Any:
    if isinstance(v, str):
        return _shorthand(v)
    if isinstance(v, list):
        return [channel(x) for x in v]
    return plain(v)
