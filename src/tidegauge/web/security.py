"""Security of the dashboard: where it may listen, what a request may ask, what a page may load.

* :func:`check_bind` — loopback only unless the user passes ``--allow-public``.
* ``parse_*`` — every query parameter is validated here (series ids against the catalog, ISO
  dates, numbers within bounds); a bad one is a :class:`BadParameter` (HTTP 400).
* :data:`SECURITY_HEADERS` — a Content-Security-Policy that allows scripts from the dashboard
  itself only (no inline scripts: chart specifications travel as ``application/json`` blocks,
  which browsers never execute), no framing, no referrer, no MIME sniffing.
* :func:`allowed_hosts` — for a loopback bind, requests whose ``Host`` header is not a loopback
  name are refused (defence against DNS rebinding from a web page the user visits).

The FRED API key is never needed by the dashboard: it reads the store only and never fetches.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import re
import socket
from collections.abc import Iterable, Mapping

from .._numbers import INTEGER, parse_decimal
from ..errors import UsageError

__all__ = [
    "SECURITY_HEADERS",
    "BadParameter",
    "allowed_hosts",
    "check_bind",
    "check_params",
    "is_loopback",
    "parse_date",
    "parse_float",
    "parse_int",
    "parse_series_id",
]

SECURITY_HEADERS: dict[str, str] = {
    # Vega compiles its expressions with the Function constructor, hence 'unsafe-eval';
    # 'unsafe-inline' is deliberately absent for scripts.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
"""Headers added to every response."""

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")

_SERIES_RE = re.compile(r"[A-Za-z0-9_]{1,32}", re.ASCII)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
MIN_DATE = dt.date(1800, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


class BadParameter(UsageError):
    """A request parameter is invalid (HTTP 400); the message names it and says what is valid."""


# -- bind ----------------------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) resolves to loopback addresses only."""
    name = host.strip().strip("[]")
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    try:  # a host name: every address it resolves to must be loopback
        infos = socket.getaddrinfo(name, None)
    except OSError:
        return False
    addrs = {info[4][0] for info in infos}
    return bool(addrs) and all(
        ipaddress.ip_address(str(a).split("%")[0]).is_loopback for a in addrs
    )


def check_bind(host: str, allow_public: bool = False) -> None:
    """Refuse a non-loopback ``host`` unless ``allow_public``.

    Raises
    ------
    UsageError
        One line that says how to proceed.
    """
    if not host or not host.strip():
        raise UsageError.t("errors.web.host_empty")
    if not allow_public and not is_loopback(host):
        raise UsageError.t("errors.web.public_bind", host=host)


def allowed_hosts(host: str, allow_public: bool) -> list[str]:
    """``Host`` header values the app accepts: loopback names for a loopback bind, else any."""
    if allow_public and not is_loopback(host):
        return ["*"]
    return list(LOOPBACK_NAMES)


# -- parameters ----------------------------------------------------------------------------------
def _show(value: str) -> str:
    """The offending value for an error message: quoted and cut to 40 characters."""
    return repr(value[:40] + ("…" if len(value) > 40 else ""))


def check_params(
    params: Mapping[str, str], allowed: Iterable[str], *, multi: Iterable[str] = ()
) -> None:
    """Refuse parameters the endpoint does not know, and repeated ones."""
    known = set(allowed)
    for name in params:
        if name not in known:
            if known:
                raise BadParameter.t(
                    "errors.web.unknown_parameter", name=_show(name), known=", ".join(sorted(known))
                )
            raise BadParameter.t("errors.web.unknown_parameter_none", name=_show(name))
    getlist = getattr(params, "getlist", None)
    if getlist is not None:
        for name in set(params) - set(multi):
            if len(getlist(name)) > 1:
                raise BadParameter.t("errors.web.repeated", name=name)


def parse_series_id(value: str | None, name: str = "series", *, extra: Iterable[str] = ()) -> str:
    """A catalog id (case-insensitive) or one of ``extra`` (e.g. ``SP500TR``); else 400."""
    from ..catalog import CATALOG, get
    from ..errors import SeriesNotFound

    if value is None or value == "":
        raise BadParameter.t("errors.web.series_required", name=name)
    if not _SERIES_RE.fullmatch(value):
        raise BadParameter.t("errors.web.not_series_id", name=name, value=_show(value))
    key = value.upper()
    if key in {e.upper() for e in extra}:
        return key
    if key in CATALOG:
        return key
    try:
        get(key)
    except SeriesNotFound as exc:
        raise BadParameter.t("errors.web.parameter", name=name, cause=exc) from None
    raise BadParameter.t(
        "errors.web.unknown_series", name=name, value=_show(value)
    )  # pragma: no cover


def parse_date(value: str | None, name: str, *, default: dt.date | None = None) -> dt.date | None:
    """An ISO ``YYYY-MM-DD`` date between 1800 and 2100, or ``default`` when absent."""
    if value is None or value == "":
        return default
    if not _DATE_RE.fullmatch(value):
        raise BadParameter.t("errors.web.not_a_date", name=name, value=_show(value))
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise BadParameter.t("errors.web.invalid_date", name=name, value=_show(value)) from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise BadParameter.t(
            "errors.web.date_range", name=name, value=value, lo=MIN_DATE, hi=MAX_DATE
        )
    return day


def parse_float(
    value: str | None, name: str, *, lo: float, hi: float, default: float | None = None
) -> float | None:
    """A finite number in ``[lo, hi]``, or ``default`` when absent."""
    if value is None or value == "":
        return default
    number = parse_decimal(value) if len(value) <= 32 else None  # ASCII only: not "1_000"
    if number is None:
        raise BadParameter.t("errors.web.not_a_number", name=name, value=_show(value))
    if not math.isfinite(number) or not lo <= number <= hi:
        raise BadParameter.t("errors.web.float_range", name=name, value=value, lo=lo, hi=hi)
    return number


def parse_int(
    value: str | None, name: str, *, lo: int, hi: int, default: int | None = None
) -> int | None:
    """An integer in ``[lo, hi]``, or ``default`` when absent."""
    if value is None or value == "":
        return default
    if len(value) > 10 or not INTEGER.fullmatch(value):  # ASCII digits only
        raise BadParameter.t("errors.web.not_whole", name=name, value=_show(value))
    number = int(value)
    if not lo <= number <= hi:
        raise BadParameter.t("errors.web.int_range", name=name, value=value, lo=lo, hi=hi)
    return number
