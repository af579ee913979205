"""One typed parameter model per indicator: names, kinds, bounds and defaults in one place.

The CLI options, the dashboard's form fields and the validation of the JSON API are all
generated from an indicator's :class:`Param` tuple, so a bound or a default is written once.
Numbers parse as ASCII decimals only (no ``1_000``, no non-ASCII digits), dates as ISO
``YYYY-MM-DD`` within :data:`MIN_DATE`–:data:`MAX_DATE`.

>>> p = Param("months", "int", default=24, lo=1, hi=600)
>>> p.parse("36"), p.parse(None)
(36, 24)
>>> p.parse("1_000")
Traceback (most recent call last):
...
tidegauge.indicators.params.ParamError: parameter 'months': '1_000' is not a whole number
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import UsageError

__all__ = ["MAX_DATE", "MIN_DATE", "Param", "ParamError", "merge_params", "parse_params"]

Kind = Literal["int", "float", "date", "choice", "series", "bool"]

MIN_DATE = dt.date(1800, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
"""Dates accepted anywhere (the analyses use pandas, whose calendar ends in 2262)."""

_INT_RE = re.compile(r"[+-]?[0-9]{1,9}")
_FLOAT_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SERIES_RE = re.compile(r"[A-Za-z0-9_]{1,32}")


class ParamError(UsageError):
    """A parameter value is invalid (exit code 2 in the CLI, HTTP 400 on the dashboard)."""


def _show(value: str) -> str:
    """The offending value for an error message: quoted and cut to 40 characters."""
    return repr(value[:40] + ("…" if len(value) > 40 else ""))


@dataclass(frozen=True)
class Param:
    """One parameter of an indicator.

    Attributes
    ----------
    name
        Python and query name (``treasury_cap``); the CLI option is ``--treasury-cap``.
    kind
        ``int``, ``float``, ``date``, ``choice``, ``series`` (a series id) or ``bool``.
    default
        Used when the parameter is absent (``None``: the indicator decides, e.g. "the latest
        observation").
    lo, hi
        Inclusive bounds of a number.
    choices
        Allowed values of a ``choice``.
    help
        English help of the CLI option (also the tooltip of the dashboard field).
    label
        Message key of the field's label on the dashboard (default ``params.<name>``).
    metavar
        Shown in ``--help`` (``DATE``, ``USD_BN``...).
    required
        The CLI requires it (the dashboard then needs a default).
    positional
        A CLI argument rather than an option (``compare SERIES_A SERIES_B``).
    step
        Step of the dashboard's number field.
    extra
        More accepted values of a ``series`` besides catalog ids (``SP500TR``).
    only
        The values of the indicator's subcommand parameter this one applies to (``("qt",)``):
        the CLI shows it under those subcommands only, the dashboard for those values.
    not_future
        A date that may not lie after today (a date of knowledge).
    keywords
        Words a ``date`` also accepts (``("last-update",)`` for ``changes --since``).
    """

    name: str
    kind: Kind
    default: Any = None
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""
    label: str | None = None
    metavar: str | None = None
    required: bool = False
    positional: bool = False
    step: str | None = None
    extra: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    not_future: bool = False
    keywords: tuple[str, ...] = ()

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def label_key(self) -> str:
        return self.label or f"params.{self.name}"

    def parse(self, raw: Any, shown: str | None = None) -> Any:
        """``raw`` (text from a command line or a query, or a Python value) → a checked value.

        ``shown`` is how an error names the parameter (``--rstar`` on the command line; the
        query name by default).

        Raises
        ------
        ParamError
            One line naming the parameter and what is valid.
        """
        if raw is None or raw == "":
            return self.default
        name = shown or self.name
        if self.kind == "bool":
            return _parse_bool(name, raw)
        if self.kind == "choice":
            return self._choice(str(raw), name)
        if self.kind == "series":
            return self._series(str(raw), name)
        if self.kind == "date":
            if isinstance(raw, str) and raw.strip().lower() in self.keywords:
                return raw.strip().lower()
            return parse_date_value(raw, name, not_future=self.not_future)
        return self._number(raw, name)

    def _number(self, raw: Any, name: str) -> float | int:
        if isinstance(raw, bool):
            raise ParamError.t("errors.web.not_a_number", name=name, value=_show(str(raw)))
        if isinstance(raw, int | float):
            number: float | int = raw
            text = repr(raw)
        else:
            text = str(raw).strip()
            pattern = _INT_RE if self.kind == "int" else _FLOAT_RE
            if len(text) > 32 or not pattern.fullmatch(text):
                key = "errors.web.not_whole" if self.kind == "int" else "errors.web.not_a_number"
                raise ParamError.t(key, name=name, value=_show(text))
            number = int(text) if self.kind == "int" else float(text)
        if self.kind == "int" and (isinstance(number, float) and not number.is_integer()):
            raise ParamError.t("errors.web.not_whole", name=name, value=_show(text))
        if self.kind == "int":
            number = int(number)
        if not math.isfinite(number):
            raise ParamError.t("errors.web.not_a_number", name=name, value=_show(text))
        lo = -math.inf if self.lo is None else self.lo
        hi = math.inf if self.hi is None else self.hi
        if not lo <= number <= hi:
            if self.kind == "int":
                raise ParamError.t(
                    "errors.web.int_range", name=name, value=text, lo=int(lo), hi=int(hi)
                )
            raise ParamError.t("errors.web.float_range", name=name, value=text, lo=lo, hi=hi)
        return number

    def _choice(self, raw: str, name: str) -> str:
        value = raw.strip().lower()
        if value not in self.choices:
            raise ParamError.t(
                "errors.params.choice",
                name=name,
                value=_show(raw),
                choices=", ".join(self.choices),
            )
        return value

    def _series(self, raw: str, name: str) -> str:
        from ..catalog import get

        if not _SERIES_RE.fullmatch(raw):
            raise ParamError.t("errors.web.not_series_id", name=name, value=_show(raw))
        key = raw.upper()
        if key in {e.upper() for e in self.extra}:
            return key
        try:
            return get(key).id
        except UsageError as exc:
            raise ParamError.t("errors.web.parameter", name=name, cause=exc) from None


def _parse_bool(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ParamError.t("errors.params.not_bool", name=name, value=_show(str(raw)))


def parse_date_value(raw: Any, name: str, *, not_future: bool = False) -> dt.date:
    """An ISO date between :data:`MIN_DATE` and :data:`MAX_DATE` (a ``date`` passes through);
    with ``not_future``, not after today."""
    if isinstance(raw, dt.datetime):
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    else:
        text = str(raw).strip()
        if not _DATE_RE.fullmatch(text):
            raise ParamError.t("errors.web.not_a_date", name=name, value=_show(text))
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ParamError.t("errors.web.invalid_date", name=name, value=_show(text)) from None
    if not_future and day > dt.date.today():
        raise ParamError.t("errors.params.future", name=name, day=day)
    if not MIN_DATE <= day <= MAX_DATE:
        raise ParamError.t(
            "errors.web.date_range", name=name, value=day.isoformat(), lo=MIN_DATE, hi=MAX_DATE
        )
    return day


def parse_params(
    params: Sequence[Param], raw: Mapping[str, Any], *, cli: bool = False
) -> dict[str, Any]:
    """Every parameter of ``params`` parsed from ``raw`` (absent ones get their default).

    Names in ``raw`` that are not parameters are refused (:class:`ParamError`). With ``cli``,
    errors name the command-line option (``--rstar``) rather than the query parameter.
    """
    known = {p.name: p for p in params}
    for name in raw:
        if name not in known:
            raise ParamError.t(
                "errors.web.unknown_parameter",
                name=_show(str(name)),
                known=", ".join(sorted(known)) or "—",
            )

    def shown(p: Param) -> str | None:
        if not cli:
            return None
        return p.name.upper() if p.positional else p.option

    return {p.name: p.parse(raw.get(p.name), shown(p)) for p in params}


def merge_params(groups: Iterable[Sequence[Param]]) -> tuple[Param, ...]:
    """The union of several indicators' parameters (a name shared must mean the same)."""
    out: dict[str, Param] = {}
    for group in groups:
        for p in group:
            if p.name in out and out[p.name] != p:
                raise ValueError(f"parameter {p.name!r} is declared twice, differently")
            out.setdefault(p.name, p)
    return tuple(out.values())
