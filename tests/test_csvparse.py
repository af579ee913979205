"""Property tests for the FRED CSV and JSON parsers (acceptance item 7).

A generated series (strictly increasing dates, finite floats or missing values) written in any of
the forms FRED uses must parse back to exactly the same observations; anything else must raise
:class:`ParseError` and nothing else.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from tidegauge.catalog import CATALOG
from tidegauge.errors import ParseError, SourceError
from tidegauge.sources.csvparse import parse_fred_csv, parse_fred_json

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

series_ids = st.one_of(
    st.sampled_from(sorted(CATALOG)),
    st.from_regex(r"[A-Z][A-Z0-9]{0,14}", fullmatch=True),
)
values = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))
dates = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31))


@st.composite
def series(draw: st.DrawFn, min_size: int = 0) -> list[tuple[dt.date, float | None]]:
    ds = sorted(draw(st.lists(dates, min_size=min_size, max_size=40, unique=True)))
    return [(d, draw(values)) for d in ds]


@st.composite
def csv_styles(draw: st.DrawFn) -> dict[str, object]:
    return {
        "header": draw(st.sampled_from(["observation_date", "DATE"])),
        "missing": draw(st.sampled_from(["", "."])),
        "newline": draw(st.sampled_from(["\n", "\r\n"])),
        "trailing_newline": draw(st.booleans()),
        "bom": draw(st.booleans()),
        "as_bytes": draw(st.booleans()),
    }


def write_csv(
    sid: str, obs: list[tuple[dt.date, float | None]], style: dict[str, object]
) -> bytes | str:
    missing = str(style["missing"])
    lines = [f"{style['header']},{sid}"]
    lines += [f"{d.isoformat()},{missing if v is None else repr(v)}" for d, v in obs]
    newline = str(style["newline"])
    text = newline.join(lines) + (newline if style["trailing_newline"] else "")
    if style["bom"]:
        text = "\ufeff" + text
    return text.encode("utf-8") if style["as_bytes"] else text


# --------------------------------------------------------------------------- round trips


@FAST
@given(sid=series_ids, obs=series(), style=csv_styles())
def test_csv_round_trip(sid: str, obs: list[tuple[dt.date, float | None]], style: dict) -> None:
    parsed = parse_fred_csv(write_csv(sid, obs, style), sid)
    assert [(o.date, o.value) for o in parsed] == obs
    assert all(o.realtime_start is None and o.realtime_end is None for o in parsed)


@FAST
@given(sid=series_ids, obs=series())
def test_csv_series_id_is_case_insensitive(sid: str, obs: list) -> None:
    style = {
        "header": "DATE",
        "missing": ".",
        "newline": "\n",
        "trailing_newline": True,
        "bom": False,
        "as_bytes": True,
    }
    parsed = parse_fred_csv(write_csv(sid.lower(), obs, style), sid)
    assert [(o.date, o.value) for o in parsed] == obs


@FAST
@given(
    sid=series_ids,
    obs=series(),
    realtime=st.lists(st.tuples(dates, st.one_of(st.none(), dates)), min_size=40, max_size=40),
    as_bytes=st.booleans(),
)
def test_json_round_trip(sid: str, obs: list, realtime: list, as_bytes: bool) -> None:
    rows = []
    for (d, v), (rs, re_) in zip(obs, realtime, strict=False):
        rows.append(
            {
                "realtime_start": rs.isoformat(),
                "realtime_end": re_.isoformat() if re_ else "9999-12-31",
                "date": d.isoformat(),
                "value": "." if v is None else repr(v),
            }
        )
    doc = json.dumps({"units": "lin", "count": len(rows), "observations": rows})
    parsed = parse_fred_json(doc.encode() if as_bytes else doc, sid)
    assert [(o.date, o.value) for o in parsed] == obs
    for o, (rs, re_) in zip(parsed, realtime, strict=False):
        assert o.realtime_start == rs
        assert o.realtime_end == re_  # 9999-12-31 ("still current") becomes None


def test_csv_real_mirror_files_parse(fred_mirror: Path) -> None:
    """Every catalog file in the mirror parses with its own id and matches its line count."""
    checked = 0
    for path in sorted(fred_mirror.glob("*.csv")):
        if path.stem not in CATALOG:
            continue
        body = path.read_bytes()
        obs = parse_fred_csv(body, path.stem)
        n_lines = len([ln for ln in body.decode().splitlines()[1:] if ln.strip()])
        assert len(obs) == n_lines, path.name
        assert all(a.date < b.date for a, b in itertools.pairwise(obs))
        checked += 1
    assert checked >= 30


def test_walcl_known_value_and_missing_rrp_values(fred_mirror: Path) -> None:
    walcl = {
        o.date: o.value for o in parse_fred_csv((fred_mirror / "WALCL.csv").read_bytes(), "WALCL")
    }
    assert walcl[dt.date(2008, 9, 10)] == 925725.0  # line "2008-09-10,925725" of the mirror
    rrp = parse_fred_csv((fred_mirror / "RRPONTSYD.csv").read_bytes(), "RRPONTSYD")
    # SOURCES.csv: the RRPONTSYD file has 2831 empty values (days without an operation).
    assert sum(o.value is None for o in rrp) == 2831


# --------------------------------------------------------------------------- garbage

HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>FRED - Error</title></head>\n"
    "<body><h1>Service temporarily unavailable</h1></body></html>\n"
)


@pytest.mark.parametrize(
    "body", [HTML_PAGE, HTML_PAGE.encode(), "", b"", "\ufeff", b"\xff\xfe\x00"]
)
def test_csv_html_or_empty_is_parse_error(body: str | bytes) -> None:
    with pytest.raises(ParseError):
        parse_fred_csv(body, "WALCL")


def test_parse_error_is_a_source_error() -> None:
    # The updater reports SourceErrors per series; a ParseError must be one of them.
    assert issubclass(ParseError, SourceError)


@FAST
@given(obs=series(min_size=1), style=csv_styles(), cut=st.integers(min_value=1, max_value=10))
def test_csv_truncated_last_line(obs: list, style: dict, cut: int) -> None:
    """A body cut inside the date (or before the comma) of its last line is a ParseError.

    A cut inside the value ("2020-01-01,12" for "...,123") still looks like valid data; that case
    is left to the HTTP layer, which compares the body length with Content-Length.
    """
    style = {**style, "trailing_newline": False, "as_bytes": False}
    text = str(write_csv("WALCL", obs, style))
    last_line = text.rsplit(str(style["newline"]), 1)[-1]
    truncated = text[: len(text) - len(last_line) + cut]
    with pytest.raises(ParseError):
        parse_fred_csv(truncated, "WALCL")


MALFORMED_NUMBERS = [
    "1,234",
    "12a",
    "1.2.3",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "1e999",
    "--5",
    "1_000",
    "١٢٣",
    "０.５",
    "0x10",
    "1e",
    "e5",
    "+",
    "N/A",
    "#N/A",
    "null",
]


@pytest.mark.parametrize("bad", MALFORMED_NUMBERS)
def test_csv_malformed_number(bad: str) -> None:
    body = f"observation_date,DGS10\n2024-01-02,3.95\n2024-01-03,{bad}\n"
    with pytest.raises(ParseError):
        parse_fred_csv(body, "DGS10")


@pytest.mark.parametrize("bad", MALFORMED_NUMBERS)
def test_json_malformed_number(bad: str) -> None:
    doc = {"observations": [{"date": "2024-01-03", "value": bad}]}
    with pytest.raises(ParseError):
        parse_fred_json(json.dumps(doc), "DGS10")


@pytest.mark.parametrize(
    "bad_date",
    [
        "2024-13-01",
        "2024-02-30",
        "2024-1-05",
        "24-01-05",
        "2024/01/05",
        "2024-W01-1",
        "20240105",
        "2024-01-05T00:00",
        "２０２４-01-05",
        "",
    ],
)
def test_csv_malformed_date(bad_date: str) -> None:
    with pytest.raises(ParseError):
        parse_fred_csv(f"observation_date,DGS10\n{bad_date},3.95\n", "DGS10")


@FAST
@given(obs=series(), header_id=series_ids, wanted=series_ids)
def test_csv_wrong_series_id_in_header(obs: list, header_id: str, wanted: str) -> None:
    assume(header_id.upper() != wanted.upper())
    style = {
        "header": "observation_date",
        "missing": "",
        "newline": "\n",
        "trailing_newline": True,
        "bom": False,
        "as_bytes": True,
    }
    with pytest.raises(ParseError, match="header"):
        parse_fred_csv(write_csv(header_id, obs, style), wanted)


@pytest.mark.parametrize(
    "header",
    [
        "date,value",
        "observation_date",
        "observation_date,WALCL,extra",
        "WALCL,date",
        "realtime_start,WALCL",
    ],
)
def test_csv_other_headers_are_rejected(header: str) -> None:
    with pytest.raises(ParseError):
        parse_fred_csv(f"{header}\n2024-01-03,7700000\n", "WALCL")


@FAST
@given(obs=series(min_size=2), data=st.data())
def test_csv_out_of_order_or_duplicate_dates(obs: list, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(obs) - 2))
    j = data.draw(st.integers(i + 1, len(obs) - 1))
    shuffled = list(obs)
    if data.draw(st.booleans()):
        shuffled[i], shuffled[j] = shuffled[j], shuffled[i]  # out of order
    else:
        shuffled[j] = (shuffled[i][0], shuffled[j][1])  # a date repeated later
    style = {
        "header": "DATE",
        "missing": ".",
        "newline": "\n",
        "trailing_newline": True,
        "bom": False,
        "as_bytes": True,
    }
    with pytest.raises(ParseError, match="out of order"):
        parse_fred_csv(write_csv("WALCL", shuffled, style), "WALCL")


@pytest.mark.parametrize(
    "doc",
    [
        HTML_PAGE,
        "",
        "null",
        "[]",
        "5",
        '{"error_code": 400, "error_message": "Bad Request.  The series does not exist."}',
        '{"observations": 5}',
        '{"observations": null}',
        '{"observations": "abc"}',
        '{"observations": {"date": "2024-01-03"}}',
        '{"observations": [5]}',
        '{"observations": [{"date": "2024-01-03"}]}',
        '{"observations": [{"value": "1.0"}]}',
        '{"observations": [{"date": 20240103, "value": "1.0"}]}',
        '{"observations": [{"date": "2024-01-03", "value": "1.0", "realtime_start": 5}]}',
        '{"observations": [{"date": "2024-01-03", "value": "1.0", "realtime_end": [1]}]}',
        '{"observations": [{"date": "2024-01-03", "value": null}]}',
        '{"observations": [{"date": "2024-01-03", "value": "1.0"}',  # truncated
        "[" * 100_000,  # nesting deep enough to exhaust the JSON decoder's recursion
    ],
)
def test_json_garbage_is_parse_error(doc: str) -> None:
    with pytest.raises(ParseError):
        parse_fred_json(doc, "DGS10")


# --------------------------------------------------------------------------- fuzz


def _returns_or_parse_error(fn: Callable[[Any, str], list], body: object, sid: str) -> None:
    try:
        out = fn(body, sid)
    except ParseError:
        return
    assert isinstance(out, list)


@settings(max_examples=150, deadline=None)
@given(body=st.one_of(st.text(), st.binary()), sid=series_ids)
@example(body="observation_date,WALCL\n2024-01-03,7700000\n\x85", sid="WALCL")
@example(body=b"observation_date,WALCL\r\n2024-01-03,\xff\r\n", sid="WALCL")
def test_fuzz_csv(body: str | bytes, sid: str) -> None:
    _returns_or_parse_error(parse_fred_csv, body, sid)


csv_like = st.builds(
    lambda sid, rows: f"observation_date,{sid}\n" + "\n".join(",".join(r) for r in rows),
    st.just("WALCL"),
    st.lists(
        st.lists(
            st.one_of(
                st.text(max_size=12),
                st.from_regex(r"\d{4}-\d\d-\d\d", fullmatch=True),
                st.from_regex(r"-?\d{1,7}(\.\d{0,4})?", fullmatch=True),
            ),
            max_size=3,
        ),
        max_size=8,
    ),
)


@settings(max_examples=150, deadline=None)
@given(body=csv_like)
def test_fuzz_csv_near_valid(body: str) -> None:
    _returns_or_parse_error(parse_fred_csv, body, "WALCL")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["date", "value", "realtime_start", "realtime_end", "observations", "x"]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(doc=json_values)
def test_fuzz_json_structures(doc: object) -> None:
    _returns_or_parse_error(parse_fred_json, json.dumps(doc), "DGS10")
    _returns_or_parse_error(parse_fred_json, json.dumps({"observations": doc}), "DGS10")


@settings(max_examples=150, deadline=None)
@given(body=st.one_of(st.text(), st.binary()))
def test_fuzz_json_text(body: str | bytes) -> None:
    _returns_or_parse_error(parse_fred_json, body, "DGS10")


# --------------------------------------------------------------------------- fast path

from tidegauge.sources.csvparse import _fast_columns, _parse_lines, parse_fred_columns  # noqa: E402

messy_values = st.one_of(
    st.sampled_from(["", ".", " 1.5", "1.5 ", "+1", "-.5e3", "1.", "1e-999", "0.000", "0", "nan"]),
    st.sampled_from(["inf", "1e999", "\t2", " . ", "1,5", "0x10", "1 2", "-0", "00012"]),
    st.from_regex(r"-?\d{1,7}(\.\d{0,4})?", fullmatch=True),
)
messy_dates = st.one_of(
    dates.map(dt.date.isoformat),
    st.sampled_from(["2024-02-30", "2024-13-01", " 2024-01-05", "2024-01-05 ", "1699-12-31"]),
    st.sampled_from(["2201-01-01", "0000-01-01", "2024-1-05", "2024/01/05", ""]),
)


def _outcome(fn: Callable[[Any, str], Any], body: object) -> object:
    try:
        return [(o.date, o.value) for o in fn(body, "WALCL")]
    except ParseError as exc:
        return str(exc)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(messy_dates, messy_values), max_size=6),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    blank=st.booleans(),
    header=st.sampled_from(["observation_date,WALCL", "DATE,walcl", "date ,WALCL", "DATE,WALCL"]),
)
def test_fast_path_agrees_with_the_line_parser(
    rows: list[tuple[str, str]], newline: str, blank: bool, header: str
) -> None:
    """pyarrow's path accepts and refuses exactly what the line-by-line parser does, with the
    same message (it defers to it for anything unusual)."""
    lines = [header, *(f"{d},{v}" for d, v in rows)]
    if blank and len(lines) > 2:
        lines.insert(2, "")
    body = (newline.join(lines) + newline).encode()
    assert _outcome(parse_fred_columns, body) == _outcome(_parse_lines, body)


def test_the_real_files_take_the_fast_path(fred_mirror: Path) -> None:
    for path in sorted(fred_mirror.glob("*.csv")):
        if path.stem in CATALOG:
            body = path.read_bytes()
            fast = _fast_columns(body, path.stem)
            assert fast is not None, path.name
            assert list(fast) == _parse_lines(body, path.stem), path.name
