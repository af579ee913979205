"""Parsers for FRED payloads: the ``fredgraph.csv`` download and the API's JSON observations.

Both are strict: anything that is not well-formed FRED data (an HTML error page served with
status 200, a truncated line, a malformed number, dates out of order, a date outside
:data:`~tidegauge._dates.EARLIEST`..:data:`~tidegauge._dates.LATEST`, a value too small to
represent) raises :class:`~tidegauge.errors.ParseError` so that the store keeps its last good data.

The CSV is read by pyarrow's CSV reader into two arrays (:func:`parse_fred_columns`, about 20×
faster than reading it line by line in Python), then checked as a whole: dates strictly in
``YYYY-MM-DD`` form, in range and strictly increasing, values finite and not underflowing. A body
the fast path does not accept outright (any error, whitespace around a field, a non-ASCII byte,
a line with another number of fields...) is read again line by line by the reference parser
(:func:`_parse_lines`), which raises the precise error naming the line, or accepts what it
accepts. So both paths accept exactly the same bodies and say the same things
(``tests/test_csvparse.py`` checks it on generated bodies).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterator
from typing import Any

from .._dates import EARLIEST, LATEST
from .._numbers import parse_decimal, underflows
from ..errors import ParseError
from .base import Observation
from .columns import ObservationArrays

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
    """Parse a FRED CSV (header ``observation_date,ID`` or ``DATE,ID``) into a list.

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
    return list(parse_fred_columns(body, series_id))


def parse_fred_columns(body: bytes | str, series_id: str) -> ObservationArrays:
    """Parse a FRED CSV into two arrays (see :class:`~.columns.ObservationArrays`); the same
    bodies are accepted and refused as by :func:`parse_fred_csv`.

    Examples
    --------
    >>> obs = parse_fred_columns(b"DATE,DFF\\n2025-01-01,4.33\\n2025-01-02,.\\n", "DFF")
    >>> obs.days.tolist(), obs.value_list()
    ([datetime.date(2025, 1, 1), datetime.date(2025, 1, 2)], [4.33, None])
    """
    raw = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
    fast = _fast_columns(raw, series_id)
    if fast is not None:
        return fast
    return _to_arrays(_parse_lines(body, series_id))


_BOM = b"\xef\xbb\xbf"
_FAST_HEADERS = {b"observation_date", b"date"}


def _fast_columns(raw: bytes, series_id: str) -> ObservationArrays | None:
    """The body read by pyarrow and checked as a whole, or ``None`` when anything is unusual
    (the line-by-line parser then decides, and names the line of any error)."""
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    if not raw.isascii():
        return None
    ends = [i for i in (raw.find(b"\n"), raw.find(b"\r")) if i >= 0]
    if not ends:
        return None
    cut = min(ends)
    head = raw[:cut].split(b",")
    if (
        len(head) != 2
        or head[0].lower() not in _FAST_HEADERS
        or head[1].upper() != series_id.upper().encode("ascii", "replace")
    ):
        return None  # stray whitespace, another header: the reference parser decides
    rest = raw[cut + 2 if raw[cut : cut + 2] == b"\r\n" else cut + 1 :]
    import numpy as np

    if not rest.strip(b"\r\n"):
        return ObservationArrays(np.empty(0, "datetime64[D]"), np.empty(0, "f8"))
    try:
        import pyarrow as pa
        from pyarrow import csv as pacsv

        table = pacsv.read_csv(
            pa.BufferReader(rest),
            read_options=pacsv.ReadOptions(
                column_names=["d", "v"], use_threads=len(rest) > 4_000_000
            ),
            parse_options=pacsv.ParseOptions(
                quote_char=False, escape_char=False, newlines_in_values=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={"d": pa.string(), "v": pa.float64()},
                null_values=["", "."],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except Exception:  # ImportError, or anything pyarrow refuses: line by line
        return None
    texts: Any = table.column("d").combine_chunks()
    if texts.null_count:
        return None
    # every date exactly YYYY-MM-DD: 10 ASCII bytes each, digits and dashes in place
    n = len(texts)
    offsets = np.frombuffer(texts.buffers()[1], dtype="<i4")[texts.offset : texts.offset + n + 1]
    if n == 0 or offsets[-1] - offsets[0] != 10 * n or not (np.diff(offsets) == 10).all():
        return None
    chars = np.frombuffer(texts.buffers()[2], dtype="u1")[offsets[0] : offsets[-1]]
    grid = chars.reshape(n, 10)
    digits = grid[:, [0, 1, 2, 3, 5, 6, 8, 9]]
    if not ((grid[:, [4, 7]] == ord("-")).all() and ((digits >= 48) & (digits <= 57)).all()):
        return None
    try:  # numpy refuses a month or day out of range (2024-02-30)
        days = grid.copy().view("S10").ravel().astype("datetime64[D]")
    except ValueError:
        return None
    lo, hi = np.datetime64(EARLIEST, "D"), np.datetime64(LATEST, "D")
    if days[0] < lo or days[-1] > hi or (np.diff(days) <= np.timedelta64(0, "D")).any():
        return None
    column: Any = table.column("v").combine_chunks()
    # read the Arrow buffers directly: ``to_numpy`` of a column with nulls imports pandas
    validity, data = column.buffers()[:2]
    span = slice(column.offset, column.offset + n)
    values = np.frombuffer(data, dtype="<f8")[span].copy()
    if validity is None:
        present = np.ones(n, dtype=bool)
    else:
        bits = np.unpackbits(np.frombuffer(validity, dtype="u1"), bitorder="little")
        present = bits[span].astype(bool)
    values[~present] = np.nan
    if not np.isfinite(values[present]).all():  # nan, inf, 1e999
        return None
    if (values[present] == 0).any() and _underflow_among_zeros(rest, values, present):
        return None
    return ObservationArrays(days, values)


def _underflow_among_zeros(rest: bytes, values: Any, present: Any) -> bool:
    """Whether a value read as 0.0 was written with a non-zero digit (``1e-999``)."""
    import numpy as np

    rows = set(np.flatnonzero(present & (values == 0)).tolist())
    lines = [ln for ln in rest.splitlines() if ln]
    return any(underflows(lines[i].split(b",")[1].decode(), 0.0) for i in rows)


def _to_arrays(observations: list[Observation]) -> ObservationArrays:
    import numpy as np

    days = np.array([o.date for o in observations], dtype="datetime64[D]")
    values = np.array([o.value for o in observations], dtype="f8")  # None becomes NaN
    return ObservationArrays(days, values)


def _parse_lines(body: bytes | str, series_id: str) -> list[Observation]:
    """The reference parser, line by line: every error names its line."""
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
