"""``tidegauge report``: overview figures on real data, terminal summary, self-contained HTML,
Markdown with PNG charts, chart files, escaping, point-in-time, offline and bad-input behaviour.

Values asserted come from the mirror's CSV files (../shared/data/fred) read directly here.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import re
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tidegauge.catalog import CATALOG
from tidegauge.cli import cli
from tidegauge.presentation.chartcache import vega_javascript_cached
from tidegauge.presentation.text import figure_text

# http(s) identifiers inside the vendored Vega bundle: XML namespaces, the schema id and two
# links in error/help text. None is fetched by the page (no src/href/url(), no data URL).
BUNDLE_URLS = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/xmlns/",
    "https://github.com/vega/vega-lite/issues/2415",
    "https://vega.github.io/schema/vega/v6.json",
    "https://vega.github.io/editor/",
}

HEADLINE = (
    "regime", "episode_change", "previous_episode", "total_assets", "net_liquidity", "reserves",
    "reserves_pct_gdp", "reserves_gauge", "funding_status", "nominal_10y", "tips_10y",
    "breakeven_10y", "cpi_yoy", "policy_rate", "real_policy_rate", "stance", "checklist_verdict",
)  # fmt: skip
"""The headline figures, in the registry's order."""
REPORT_CHARTS = {"fed_assets", "net_liquidity", "compare", "market", "policy", "events"}
"""Charts the report always had (each registered indicator may add its own)."""


def report_charts(report: Any) -> set[str]:
    """Every chart of the report: one file per chart id (``<id>.png``)."""
    return {c.id for s in report.sections for c in s.charts}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in ("TIDEGAUGE_STORE", "TIDEGAUGE_MIRROR", "TIDEGAUGE_LANG", "FRED_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    # the cached Vega bundle goes to a per-session folder, not the user's cache
    monkeypatch.setenv("TIDEGAUGE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "250", **(env or {})})


def last_csv_value(mirror: Path, sid: str) -> tuple[dt.date, float]:
    """The last non-empty observation of ``sid`` in the mirror's CSV (date, native value)."""
    with (mirror / f"{sid}.csv").open(newline="") as fh:
        rows = [r for r in csv.reader(fh)][1:]
    date, value = next((d, v) for d, v in reversed(rows) if v not in ("", "."))
    return dt.date.fromisoformat(date), float(value)


@pytest.fixture(scope="module")
def store_path(mirror_session: Any) -> Path:
    return Path(mirror_session.settings.store_path)


@pytest.fixture(scope="module")
def report(mirror_session: Any) -> Any:
    return mirror_session.report()


def store_copy(src: Path, dst: Path) -> Path:
    """A consistent copy of a SQLite store (backup API: includes the WAL)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


# -- the report model -----------------------------------------------------------------------------
def test_headline_figures_match_the_csv_files(report: Any, fred_mirror: Path) -> None:
    assert [f.key for f in report.headline] == list(HEADLINE)
    assert report.errors == {}
    d, v = last_csv_value(fred_mirror, "WALCL")  # USD millions
    total = report.figure("total_assets")
    assert total.as_of == d
    assert total.value == pytest.approx(v / 1000, abs=1e-9)
    assert total.unit == "USD billions"
    d, v = last_csv_value(fred_mirror, "WRBWFRBL")  # the Wednesday level
    assert report.figure("reserves").value == pytest.approx(v / 1000)
    assert report.figure("reserves").as_of == d
    d, v = last_csv_value(fred_mirror, "DFF")
    assert report.figure("policy_rate").value == pytest.approx(v)
    assert report.figure("policy_rate").as_of == d
    d, v = last_csv_value(fred_mirror, "DGS10")
    assert report.figure("nominal_10y").value == pytest.approx(v)
    # breakeven = nominal − TIPS on the same day (both end on the same day in the mirror)
    d2, tips = last_csv_value(fred_mirror, "DFII10")
    assert d2 == d
    assert report.figure("breakeven_10y").value == pytest.approx(v - tips, abs=1e-9)
    # net liquidity on Wednesday levels ends with the ON RRP (RRPONTSYD stops at 2026-07-29,
    # a Wednesday, earlier than WALCL in the mirror); its TGA is that Wednesday's WDTGAL
    nl = report.figure("net_liquidity")
    rrp_date, rrp = last_csv_value(fred_mirror, "RRPONTSYD")
    assert nl.as_of == rrp_date and nl.detail["basis"] == "wednesday"
    assert nl.detail["rrp"] == pytest.approx(rrp)
    with (fred_mirror / "WDTGAL.csv").open(newline="") as fh:
        tga = dict(csv.reader(fh))
    assert nl.detail["tga"] == pytest.approx(float(tga[rrp_date.isoformat()]) / 1000)
    assert nl.value == pytest.approx(nl.detail["walcl"] - nl.detail["tga"] - nl.detail["rrp"])


def test_every_figure_has_unit_date_sources_and_explanation(report: Any) -> None:
    from tidegauge.i18n import catalog

    messages = catalog()
    for f in report.headline:
        assert f.available, f.key
        assert f.unit and f.as_of and f.sources, f.key
        assert f.explanation.key in messages, f.key
        for lang in ("en", "zh-TW", "zh-CN"):
            ft = figure_text(f, lang)
            assert ft.label and ft.explanation and ft.date != "—"


def test_regime_and_qt2_window(report: Any) -> None:
    # The Fed ended QT on 2025-12-01 and began reserve-management purchases on 2025-12-12.
    assert report.figure("regime").code == "reserve_management"
    assert report.figure("regime").detail["program"] == "RMP2025"
    prev = report.figure("previous_episode")
    assert prev.detail["kind"] == "QT" and prev.detail["program"] == "QT2"
    assert prev.value < -1500  # USD billions: QT2 ran off trillions
    cmp = report.section("compare").result
    assert (cmp.start, cmp.end) == ("2022-06-01", "2025-12-01")
    assert cmp.a.change_pct < -20 and cmp.b.change_pct > 40  # assets down ~¼, stocks up


def test_report_json(report: Any) -> None:
    from tidegauge.presentation.jsonface import report_json

    d = report_json(report, "zh-TW")
    text = json.dumps(d, ensure_ascii=False, allow_nan=False)
    assert set(d["sections"]) >= {"balance", "liquidity", "compare", "checklist"}
    fig = {f["key"]: f for f in json.loads(text)["figures"]}
    assert fig["total_assets"]["text"] == "6.73 兆美元"
    assert fig["total_assets"]["date_text"] == "2026年8月26日"
    assert fig["total_assets"]["freshness"]["status"] in ("current", "late", "stale")


def test_point_in_time_report(mirror_session: Any) -> None:
    rep = mirror_session.report(as_of="2020-06-30")
    assert rep.point_in_time and rep.report_date == dt.date(2020, 6, 30)
    # WALCL is published the day after its Wednesday: 2020-06-24 is the last one known
    assert rep.figure("total_assets").as_of == dt.date(2020, 6, 24)
    assert rep.figure("regime").code == "QE"  # the pandemic purchases
    for f in rep.headline:
        assert f.as_of is None or f.as_of <= dt.date(2020, 6, 30), f.key


# -- terminal summary ---------------------------------------------------------------------------
_UNIT_MARKS = {
    "en": ("%", "$", "trillion", "billion"),
    "zh-TW": ("%", "兆美元", "億美元"),
}


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_terminal_summary_every_figure_with_unit_and_date(
    lang: str, store_path: Path, report: Any, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    res = run("report", "--no-update", "--store", str(store_path), "--lang", lang,
              "--html", str(out))  # fmt: skip
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    for f in report.headline:
        ft = figure_text(f, lang)
        label, value, date = ft.label, ft.value, ft.date
        row = [ln for ln in lines if label in ln]
        assert row, f"{label} missing"
        assert value in row[0] and date in row[0], row[0]
        if f.unit != "category":
            assert any(m in value for m in _UNIT_MARKS[lang]), value
    # checklist conditions with the verdict
    for c in report.section("checklist").result[0].conditions:
        from tidegauge.i18n import t

        assert t(f"judgment.condition.{c.id}.name", lang) in res.stdout
    verdict = report.section("checklist").result[0].verdict
    # the report date is past the mirror's data: the policy inputs are stale
    assert verdict == "insufficient" and t(f"report.verdict.{verdict}", lang) in res.stdout
    # the last line says where the full report is
    assert str(out.resolve()) in lines[-1]
    assert out.is_file()


# -- HTML -----------------------------------------------------------------------------------------
def _sections_present(page: str, report: Any, lang: str) -> None:
    from markupsafe import escape

    from tidegauge.presentation.text import say

    for s in report.sections:
        assert f'<section class="indicator" id="{s.id}">' in page
        assert f"<h2>{escape(say(s.title, lang))}</h2>" in page


SOURCE_LINK = re.compile(
    r'<a href="https://(fred\.stlouisfed\.org/series/[A-Z0-9_]+|datahub\.io/core/[a-z0-9-]+)" '
    r'rel="noopener" target="_blank">'
)
"""A link to a series' page at its source: the only URLs the report may hold (links a reader
may follow; nothing is loaded from them)."""


def _no_external_urls(page: str) -> None:
    js = vega_javascript_cached()
    assert page.count(js) == 1  # the Vega bundle inlined exactly once
    assert SOURCE_LINK.search(page), "source ids link to their pages"
    page = SOURCE_LINK.sub("<a>", page)
    rest = page.replace(js, "")
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/", rest, re.I), "URL outside bundle"
    assert set(re.findall(r"https?://[^\s\"'\\)]+", js)) <= BUNDLE_URLS
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "<link" not in page and "@import" not in page
    assert '"url":' not in rest  # every chart's data is inline


def test_report_from_the_mirror_en(fred_mirror: Path, tmp_path: Path, report: Any) -> None:
    """The README's first command: update a fresh store from the mirror, then report."""
    out = tmp_path / "report.html"
    res = run("report", "--mirror", str(fred_mirror), "--store", str(tmp_path / "s.db"),
              "--html", str(out))  # fmt: skip
    assert res.exit_code == 0, res.output
    assert res.stderr.strip() == ""  # quiet: no warning, the progress bar is transient
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    _sections_present(page, report, "en")
    _no_external_urls(page)
    for s in report.sections:
        for c in s.charts:
            assert f'id="chart-{s.id}-{c.id}"' in page
    assert "Educational material, not investment advice" in page
    # explanations of every headline figure are in the page
    from markupsafe import escape

    from tidegauge.presentation.text import say

    for f in report.headline:
        assert f'<div class="explain">{escape(say(f.explanation, "en"))}</div>' in page
    assert len(page) < 2_500_000  # daily series are thinned for display


def test_report_zh_tw_html(store_path: Path, tmp_path: Path, report: Any) -> None:
    out = tmp_path / "報告.html"
    res = run("report", "--no-update", "--store", str(store_path), "--lang", "zh-TW",
              "--html", str(out))  # fmt: skip
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="zh-Hant-TW">' in page
    _sections_present(page, report, "zh-TW")
    _no_external_urls(page)
    for term in ("量化寬鬆", "量化緊縮", "實質利率", "資產負債表", "準備金", "6.73 兆美元"):
        assert term in page, term
    assert "本內容僅供教育參考，並非投資建議" in page
    from markupsafe import escape

    from tidegauge.presentation.text import say

    for f in report.headline:  # every indicator's explanation, in Traditional Chinese
        assert f'<div class="explain">{escape(say(f.explanation, "zh-TW"))}</div>' in page


def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder for one test (with the session's Vega bundle copied in, to save time)."""
    import os
    import shutil

    session = Path(os.environ["TIDEGAUGE_CACHE_DIR"])
    mine = tmp_path / "cache"
    mine.mkdir()
    (mine / "vega").mkdir()
    for js in session.glob("vega/vega-bundle-*.js"):
        shutil.copy(js, mine / "vega" / js.name)
    monkeypatch.setenv("TIDEGAUGE_CACHE_DIR", str(mine))
    return mine


def test_hostile_catalog_name_is_escaped(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own_cache(tmp_path, monkeypatch)  # charts built here, never from (or into) a shared cache
    evil = "<script>alert(1)</script>"
    info = CATALOG["SP500"]
    hostile = dataclasses.replace(info, name={"en": evil, "zh-TW": evil, "zh-CN": evil})
    monkeypatch.setitem(CATALOG, "SP500", hostile)
    out, md = tmp_path / "r.html", tmp_path / "r.md"
    res = run("report", "--no-update", "--store", str(store_path), "--html", str(out),
              "--md", str(md))  # fmt: skip
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert evil not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the compare table, escaped
    assert "\\u003cscript\\u003ealert(1)" in page  # the chart legend, JSON-escaped
    assert page.count("<script>") == 2  # the Vega bundle and the chart script; data is inert JSON
    assert evil not in md.read_text(encoding="utf-8")
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in md.read_text(encoding="utf-8")


def test_charts_are_cached_while_the_store_is_unchanged(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tidegauge.presentation.charts.build as build_mod
    from tidegauge import Tidegauge
    from tidegauge.sources.base import FetchResult, Observation

    cache = own_cache(tmp_path, monkeypatch)
    real = build_mod.section_charts
    store = store_copy(store_path, tmp_path / "s.db")
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert run("report", "--no-update", "--store", str(store), "--html", str(first)).exit_code == 0
    assert len(list((cache / "charts").glob("*.json"))) == 1

    def fail(*_: Any, **__: Any) -> Any:
        raise AssertionError("charts rebuilt although the store did not change")

    monkeypatch.setattr(build_mod, "section_charts", fail)
    res = run("report", "--no-update", "--store", str(store), "--html", str(second))
    assert res.exit_code == 0, res.output
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    # another language is another entry; a changed store misses the cache
    monkeypatch.setattr(build_mod, "section_charts", real)
    assert run("report", "--no-update", "--store", str(store), "--lang", "zh-CN",
               "--html", str(tmp_path / "c.html")).exit_code == 0  # fmt: skip
    with Tidegauge(store_path=store) as tg:  # a revision of one WALCL value
        day, value = tg.store.observations("WALCL")[-1]
        tg.store.apply(
            FetchResult("WALCL", [Observation(dt.date.fromisoformat(day), value + 1000)]),
            source="test",
        )
    monkeypatch.setattr(build_mod, "section_charts", fail)
    res = run("report", "--no-update", "--store", str(store), "--html", str(tmp_path / "d.html"))
    assert res.exit_code == 1 and "charts rebuilt" in repr(res.exception)
    assert len(list((cache / "charts").glob("*.json"))) == 2  # en and zh-CN


# -- Markdown and chart files -------------------------------------------------------------------
def test_markdown_references_existing_pngs(store_path: Path, tmp_path: Path, report: Any) -> None:
    md = tmp_path / "out" / "report.md"
    md.parent.mkdir()
    res = run("report", "--no-update", "--store", str(store_path), "--lang", "zh-CN",
              "--md", str(md), "--html", str(tmp_path / "r.html"))  # fmt: skip
    assert res.exit_code == 0, res.output
    text = md.read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(images) == len(report_charts(report)) and report_charts(report) >= REPORT_CHARTS
    for rel in images:
        png = md.parent / rel
        assert png.is_file(), rel
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| 指标 |" in text and "量化宽松" in text and "资产负债表" in text


def test_charts_dir_gets_png_and_svg(store_path: Path, tmp_path: Path, report: Any) -> None:
    folder = tmp_path / "charts"
    res = run("report", "--no-update", "--store", str(store_path), "--charts", str(folder),
              "--html", str(tmp_path / "r.html"))  # fmt: skip
    assert res.exit_code == 0, res.output
    names = report_charts(report)
    assert names >= REPORT_CHARTS
    assert {p.name for p in folder.iterdir()} == {f"{n}.{e}" for n in names for e in ("png", "svg")}
    assert "<svg" in (folder / "compare.svg").read_text(encoding="utf-8")


# -- offline and bad input ----------------------------------------------------------------------
def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """FRED at a closed local port, one attempt per request, short timeout."""
    import tidegauge.cli.report as mod

    real = mod.session

    def fast(mirror: str | None, store: str | None) -> Any:
        tg = real(mirror, store)
        tg.settings = dataclasses.replace(tg.settings, max_attempts=1, max_total=5, timeout=2)
        return tg

    monkeypatch.setattr(mod, "session", fast)
    monkeypatch.setenv("TIDEGAUGE_FRED_URL", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("TIDEGAUGE_TIMEOUT", "2")


@pytest.mark.usefixtures("offline")
def test_no_network_and_nothing_stored_is_one_line(tmp_path: Path) -> None:
    res = run("report", "--store", str(tmp_path / "empty.db"), "--html", str(tmp_path / "r.html"))
    assert res.exit_code != 0
    assert res.stdout == ""
    err = res.stderr.strip().splitlines()
    assert len(err) == 1, err
    assert "--mirror" in err[0] and "TIDEGAUGE_MIRROR" in err[0] and "HTTPS_PROXY" in err[0]
    assert not (tmp_path / "r.html").exists()


@pytest.mark.usefixtures("offline")
def test_update_failure_warns_and_reports_from_the_store(store_path: Path, tmp_path: Path) -> None:
    store = store_copy(store_path, tmp_path / "copy.db")
    out = tmp_path / "r.html"
    res = run("report", "--store", str(store), "--html", str(out))
    assert res.exit_code == 0, res.output
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Warning:"), err
    assert "Aug 26, 2026" in res.stdout  # stored data, with its dates
    assert out.is_file()


def test_no_update_with_empty_store_is_one_line(tmp_path: Path) -> None:
    res = run("report", "--no-update", "--store", str(tmp_path / "empty.db"))
    assert res.exit_code != 0
    assert len(res.stderr.strip().splitlines()) == 1
    assert "--mirror" in res.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--as-of", "2020-13-01"], "not a date"),
        (["--as-of", "2999-01-01"], "in the future"),
        (["--html", "report.pdf"], "must end in .html"),
        (["--md", "/no/such/folder/r.md"], "does not exist"),
        (["--lang", "fr"], "unknown language"),
    ],
)
def test_bad_input_is_one_line(args: list[str], needle: str, store_path: Path) -> None:
    res = run("report", "--no-update", "--store", str(store_path), *args)
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], lines


def test_header_names_the_report_date_and_the_newest_and_oldest_input(
    report: Any, fred_mirror: Path, store_path: Path, tmp_path: Path
) -> None:
    """The report speaks for today (the run date, or --as-of), and says how old its inputs are:
    the newest and the oldest input of the headline figures, with their dates."""
    assert report.report_date == dt.date.today() and not report.point_in_time
    newest_id, newest = report.newest
    assert newest == max(last_csv_value(fred_mirror, s)[0] for s in ("WALCL", "WRBWFRBL"))
    oldest_id, oldest = report.oldest
    assert oldest < newest
    out = tmp_path / "r.html"
    res = run("report", "--no-update", "--store", str(store_path), "--html", str(out))
    assert res.exit_code == 0, res.output
    from tidegauge.presentation.fmt import fmt_date

    for text in (res.stdout, out.read_text(encoding="utf-8")):
        assert f"{newest_id} ({fmt_date(newest, 'en')})" in text
        assert f"{oldest_id} ({fmt_date(oldest, 'en')})" in text
