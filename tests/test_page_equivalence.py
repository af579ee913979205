"""The faster chart data and page paths write exactly the HTML the earlier code wrote, on the
real data: compare pages (every series pair, several windows, two languages) and the report.

Each reference below is the earlier implementation, kept here verbatim in substance: ``records``
iterated every column through pandas and built each row with ``dict(zip(...))``, the digest
iterated string columns through pandas, ``compact_dates`` matched every value with a regex and
rebuilt every row; the page template wrote a table's rows cell by cell and a select's options one
by one (its loops are still there: the references leave the HTML out); the rebased chart made one
frame per series and joined them with ``pd.concat``, and sliced and copied each series for
the day of its last observation.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tidegauge.presentation import html
from tidegauge.presentation.charts import balance, vl
from tidegauge.web import pages


def records_reference(data: pd.DataFrame) -> list[dict[str, Any]]:
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
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def digest_reference(data: pd.DataFrame) -> str:
    h = hashlib.md5()
    for name in data.columns:
        col = data[name]
        h.update(f"\x1e{name}\x1f{col.dtype}\x1f".encode())
        if col.dtype.kind in "biufcmM":
            h.update(col.to_numpy().tobytes())
        else:
            h.update("\x1f".join(map(str, col.tolist())).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


_MIDNIGHT = re.compile(r"\d{4}-\d{2}-\d{2}T00:00:00")


def _is_midnight(value: Any) -> bool:
    return isinstance(value, str) and _MIDNIGHT.fullmatch(value) is not None


def compact_dates_reference(spec: Mapping[str, Any]) -> dict[str, Any]:
    sets = spec.get("datasets")
    if not isinstance(sets, Mapping):
        return dict(spec)
    new_sets: dict[str, Any] = {}
    days: dict[str, list[str]] = {}
    for name, rows in sets.items():
        first = rows[0] if rows and isinstance(rows[0], Mapping) else {}
        fields = [
            f
            for f in first
            if all(r.get(f) is None or _is_midnight(r.get(f)) for r in rows)
            and any(r.get(f) is not None for r in rows)
        ]
        if fields:
            rows = [{k: (v[:10] if k in fields and v else v) for k, v in r.items()} for r in rows]
            days[name] = fields
        new_sets[name] = rows
    if not days:
        return dict(spec)
    meta = dict(spec.get("usermeta") or {})
    meta["tidegauge"] = {**dict(meta.get("tidegauge") or {}), "days": days}
    return {**spec, "datasets": new_sets, "usermeta": meta}


def long_frame_reference(parts: Any, labels: Any) -> pd.DataFrame:
    frames = [
        pd.DataFrame({"date": r.index, "value": r.to_numpy(), "series": lab})
        for r, lab in zip(parts, labels, strict=True)
    ]
    return pd.concat(frames, ignore_index=True)


def table_view_reference(*args: Any, **kw: Any) -> dict[str, Any]:
    """The table without its rows as HTML: the template writes them with its own loop."""
    return {**table_view(*args, **kw), "body": ""}


table_view = html.table_view
form_view = pages.form_view


def form_view_reference(*args: Any) -> Any:
    """The form without its options as HTML: the template writes them with its own loop."""
    view = form_view(*args)
    if view is not None:
        view = {**view, "fields": [{**f, "options_html": ""} for f in view["fields"]]}
    return view


def as_of_reference(s: pd.Series, lang: str = "en", end: Any = None) -> str:
    from tidegauge.presentation.fmt import fmt_date

    return fmt_date((s.loc[:end] if end is not None else s).dropna().index[-1].date(), lang)


def use_reference(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(balance, "_as_of", as_of_reference)
    mp.setattr(balance, "_hundred", lambda: pd.DataFrame({"y": [100.0]}))
    mp.setattr(html, "table_view", table_view_reference)
    mp.setattr(pages, "form_view", form_view_reference)
    mp.setattr(balance, "_long_frame", long_frame_reference)
    mp.setattr(vl, "records", records_reference)
    mp.setattr(vl, "_digest", digest_reference)
    mp.setattr(html, "compact_dates", compact_dates_reference)


QUERIES = [
    {"a": "WALCL", "b": b, "start": start}
    for b in ("DGS10", "SP500", "WRESBAL", "WTREGEN")
    for start in ("2016-03-01", "2019-09-01", "2022-06-01", "2024-11-01")
] + [{"a": "WALCL", "b": "SP500", "start": "2020-01-01", "end": "2023-06-01", "view": "log"}]


def compare_pages(tg: Any) -> list[str]:
    out = []
    for lang in ("en", "zh-TW"):
        for q in QUERIES:
            q = {k: v for k, v in q.items() if k in {p.name for p in pages.page_params("compare")}}
            out.append(
                pages.render_page("compare", tg, lang, q, pages.parse_page_query("compare", q))
            )
    return out


def test_compare_pages_are_unchanged(mirror_session: Any) -> None:
    new = compare_pages(mirror_session)
    with pytest.MonkeyPatch.context() as mp:
        use_reference(mp)
        old = compare_pages(mirror_session)
    assert sum("chart-" in page for page in new) >= len(QUERIES)  # the pages draw charts
    for a, b in zip(new, old, strict=True):
        assert a == b


def test_the_report_is_unchanged(mirror_session: Any) -> None:
    from tidegauge.presentation.charts.build import section_charts, spec_of

    report = mirror_session.report()

    def page() -> str:
        specs = {k: spec_of(c) for k, c in section_charts(report.sections, "en").items()}
        return html.render_report(report, "en", specs)

    new = page()
    with pytest.MonkeyPatch.context() as mp:
        use_reference(mp)
        old = page()
    assert new == old


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"x": [1, 2], "y": ["a", None], "z": [1.23456789, np.nan]}),
        pd.DataFrame({"d": pd.to_datetime(["2020-01-01", None]), "s": pd.Categorical(["a", "b"])}),
        pd.DataFrame({"o": [None, float("nan"), "x", 3], "b": [True, False, True, False]}),
        pd.DataFrame({f"c{i}": [float(i)] for i in range(6)}),
        pd.DataFrame({"d": pd.to_datetime(["2020-01-01 12:00", "2020-01-02 00:00"])}),
        pd.DataFrame(),
    ],
)
def test_records_and_days_as_before_on_odd_frames(frame: pd.DataFrame) -> None:
    assert vl.records(frame) == records_reference(frame)
    assert vl._digest(frame) == digest_reference(frame)
    spec = {"datasets": {"d": vl.records(frame)}, "usermeta": {"tidegauge": {"lang": "en"}}}
    assert html.compact_dates(spec) == compact_dates_reference(spec)


def test_days_as_before_on_odd_values() -> None:
    odd = [
        [{"a": "2020-01-01T00:00:00"}, {"a": None}, {"b": 1}],
        [{"a": "2020-01-01T00:00:00\n2020-01-02T00:00:00"}],
        [{"a": "2020-01-01T00:00:01"}, {"a": "2020-01-01T00:00:00"}],
        [{"a": None}, {"a": None}],
        [{"a": "2020-01-01T00:00:00", "b": ""}, {"a": "", "b": "2020-01-01T00:00:00"}],
        [{"a": html.Markup("2020-01-01T00:00:00")}],
        [{"a": "\u0662\u0660\u0662\u0660-01-01T00:00:00"}, {"a": "2020-01-02T00:00:00"}],
        [{"a": "2020-01-01T00:00:00"}, {"a": "\u00b2020-01-02T00:00:00"}],
        [{"a": "2020-01-01T00:00:00"}, {"a": "2020-01-02T00:00:00"}, {"b": 1, "a": None}],
        [{"a": "2020-01-01T00:00:00", "b": "2020-01-01T00:00:00"}, {"a": "2020-01-0xT00:00:00"}],
        [],
    ]
    for rows in odd:
        spec = {"datasets": {"d": rows}}
        assert html.compact_dates(spec) == compact_dates_reference(spec)


def _days(days: list[str], values: list[float], unit: str = "ns") -> pd.Series:
    return pd.Series(values, index=pd.DatetimeIndex(days).as_unit(unit), dtype=float)


@pytest.mark.parametrize(
    "parts",
    [
        [_days(["2020-01-01", "2020-01-02"], [100.0, np.nan]), _days(["2020-01-03"], [99.5])],
        [_days(["2020-01-01"], [100.0], "s"), _days(["2020-01-03"], [99.5], "us")],
        [_days(["2020-01-01"], [100.0]), _days([], [])],
        [pd.Series([100.0], index=[0]), pd.Series([1.0], index=[1])],
    ],
)
def test_long_frame_as_before(parts: list[pd.Series]) -> None:
    new, old = balance._long_frame(parts, ["a", "b"]), long_frame_reference(parts, ["a", "b"])
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert vl._digest(new) == vl._digest(old)
    assert vl.records(new) == vl.records(old)


def test_last_day_as_before() -> None:
    s = _days(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-06"], [1.0, 2.0, np.nan, 4.0])
    for end in (None, "2020-01-01", "2020-01-03", "2020-01-05", "2021-01-01"):
        part = s.loc[:end] if end is not None else s
        assert balance._last_day(s, end) == part.dropna().index[-1]
    with pytest.raises(IndexError):
        balance._last_day(s, "2019-12-31")
    unsorted = s.iloc[::-1]
    assert balance._last_day(unsorted) == unsorted.dropna().index[-1]
