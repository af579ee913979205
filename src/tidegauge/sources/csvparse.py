"""Parsers for FRED payloads: the ``fredgraph.csv`` download and the API's JSON observations.

Both are strict: anything that is not well-formed FRED data (an HTML error page served with
status 200, a truncated line, a malformed number, dates out of order, a date outside
:data:`~tidegauge._dates.EARLIEST`..:data:`~tidegauge._dates.LATEST`, a value too small to
represent) raises :class:`~tidegauge.errors.ParseError` so that the store keeps its last good data.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterator

from .._dates import EARLIEST, LATEST
from .._numbers import parse_decimal, underflows
from ..errors import ParseError
from .base import Observation

_DATE_HEADERS = {"observation_date", "date"}
_MISSING = {"", "."}
# ASCII only: ``float()`` and ``date.fromisoformat()`` also accept forms FRED never writes
# ("1_000", non-ASCII digits, ISO week dates such as "2020-W01-1", "20200101").
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_value(text: str, series_id: str, lineno: int) -> float | None:
    """One value: ``None`` for an empty field or ``.``; an ASCII decimal that is finite and
    does not underflow to zero; else :class:`ParseError` naming the line."""
    text = text.strip()
    if text in _MISSING:
        return None
    value = parse_decimal(text)
    if value is None:
        raise ParseError.t(
            "errors.parse.malformed_value", series_id=series_id, text=text[:20], line=lineno
        )
    if not math.isfinite(value):
        raise ParseError.t(
            "errors.parse.non_finite", series_id=series_id, text=text[:20], line=lineno
        )
    if underflows(text, value):
        raise ParseError.t(
            "errors.parse.underflow", series_id=series_id, text=text[:20], line=lineno
        )
    return value


def parse_date(text: str, series_id: str, lineno: int, *, observation: bool = True) -> dt.date:
    """An ISO ``YYYY-MM-DD`` date; an ``observation`` date must lie in
    ``EARLIEST..LATEST`` (the dates the analyses can hold)."""
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ParseError.t(
            "errors.parse.malformed_date", series_id=series_id, text=text[:20], line=lineno
        ) from None
    if observation and not EARLIEST <= day <= LATEST:
        raise ParseError.t(
            "errors.parse.date_range",
            series_id=series_id,
            date=day,
            line=lineno,
            lo=EARLIEST,
            hi=LATEST,
        )
    return day


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time (``\n``, ``\r\n`` or ``\r``), without a list of
    them all (a file of 30 million empty lines would make a 240 MB list)."""
    for line in io.StringIO(text, newline=None):
        yield line.rstrip("\n")


def parse_fred_csv(body: bytes | str, series_id: str) -> list[Observation]:
    """Parse a FRED CSV (header ``observation_date,ID`` or ``DATE,ID``).

    Parameters
    ----------
    body
        The payload, bytes (UTF-8, BOM tolerated) or text.
    series_id
        The series the payload must contain; a different column name is an error.

    Returns
    -------
    list of Observation
        In date order; an empty field or ``.`` becomes ``None``.

    Examples
    --------
    >>> body = b"observation_date,WALCL\\n2025-01-01,6850000\\n2025-01-08,\\n"
    >>> obs = parse_fred_csv(body, "WALCL")
    >>> obs[0].date, obs[0].value, obs[1].value
    (datetime.date(2025, 1, 1), 6850000.0, None)
    """
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ParseError.t("errors.parse.not_utf8", series_id=series_id) from None
    else:
        text = body.lstrip("\ufeff")
    lines = _lines(text)
    first = next(lines, None)
    if first is None:
        raise ParseError.t("errors.parse.empty", series_id=series_id)
    header = [h.strip() for h in first.split(",")]
    if (
        len(header) != 2
        or header[0].lower() not in _DATE_HEADERS
        or header[1].upper() != series_id.upper()
    ):
        snippet = first[:60]
        raise ParseError.t("errors.parse.not_fred_csv", series_id=series_id, header=snippet)
    out: list[Observation] = []
    previous: dt.date | None = None
    for lineno, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        parts = line.split(",")
        if len(parts) != 2:
            raise ParseError.t(
                "errors.parse.field_count", series_id=series_id, line=lineno, got=len(parts)
            )
        date = parse_date(parts[0].strip(), series_id, lineno)
        if previous is not None and date <= previous:
            raise ParseError.t("errors.parse.out_of_order", series_id=series_id, line=lineno)
        previous = date
        out.append(Observation(date, parse_value(parts[1], series_id, lineno)))
    return out


def parse_fred_json(body: bytes | str, series_id: str) -> list[Observation]:
    """Parse the FRED API's ``series/observations`` JSON (values are strings, ``.`` = missing).

    Realtime periods are kept; ``9999-12-31`` as ``realtime_end`` means "still current".
    """
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ParseError.t("errors.parse.not_json", series_id=series_id) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("observations"), list):
        message = doc.get("error_message") if isinstance(doc, dict) else None
        if message:
            raise ParseError.t(
                "errors.parse.unexpected_api_detail", series_id=series_id, detail=str(message)
            )
        raise ParseError.t("errors.parse.unexpected_api", series_id=series_id)
    out: list[Observation] = []
    for i, row in enumerate(doc["observations"], start=1):
        try:
            date = parse_date(str(row["date"]), series_id, i)
            value = parse_value(str(row["value"]), series_id, i)
            rs = row.get("realtime_start")
            re_ = row.get("realtime_end")
        except (KeyError, TypeError, AttributeError):
            raise ParseError.t(
                "errors.parse.malformed_observation", series_id=series_id, n=i
            ) from None
        start = parse_date(str(rs), series_id, i, observation=False) if rs else None
        end = (
            parse_date(str(re_), series_id, i, observation=False)
            if re_ and re_ != "9999-12-31"
            else None
        )
        out.append(Observation(date, value, start, end))
    return out
