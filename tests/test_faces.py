"""Parity of the faces: every registered indicator shows the same figures everywhere.

For the same store and date, each figure's value (with its unit), its as-of date and its
freshness mark must appear identically in the terminal (the indicator's command), the HTML
report (for report sections), Markdown, the dashboard page (for indicators on a page) and JSON
(``--json`` and the API endpoint); an unavailable figure is "?" on every face. The words come
from one function (:func:`tidegauge.presentation.text.figure_text`); this test checks that
every face prints them, and prints them for the right figure.

The freshness test runs the same faces on the real mirror with the report date set to today
(every figure whose input ended months ago is marked stale) and inside the data (nothing is).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tidegauge.cli import cli
from tidegauge.indicators.registry import indicators
from tidegauge.presentation.terminal import STALE_MARK
from tidegauge.presentation.text import UNAVAILABLE, figure_text

LANGS = ("en", "zh-TW")
QUERY = {"compare": {"start": "2022-06-01", "end": "2025-12-01"}}
"""Parameters given to an indicator on every face (compare's window ends today by default)."""
CLI_ARGS = {("compare",): ["WALCL", "SP500", "--start", "2022-06-01", "--end", "2025-12-01"]}
"""The same, as command-line arguments."""


def _cli(path: tuple[str, ...], store: Path, lang: str, *extra: str) -> str:
    args = [*path, *CLI_ARGS.get(path, []), "--store", str(store), "--lang", lang, *extra]
    res = CliRunner().invoke(cli, args, env={"COLUMNS": "400"})
    assert res.exit_code == 0, (args, res.output)
    return res.output


def _cli_path(ind: Any) -> tuple[str, ...]:
    if ind.subcommand:  # simulate: the default subcommand value
        default = next(p.default for p in ind.params if p.name == ind.subcommand)
        return (*ind.command, default)
    return tuple(ind.command)


def _params(ind: Any) -> dict[str, Any]:
    from tidegauge.indicators.params import parse_params

    return parse_params(ind.params, QUERY.get(ind.id, {}))


@pytest.fixture(scope="module")
def store(mirror_session: Any) -> Path:
    return Path(mirror_session.settings.store_path)


@pytest.fixture(scope="module")
def sections(mirror_session: Any) -> dict[str, Any]:
    """Every registered indicator's section, computed once."""
    out = {}
    for ind in indicators():
        p = _params(ind)
        out[ind.id] = (ind, ind.run(ind.load(mirror_session, p, fetch=False), p), p)
    return out


@pytest.fixture(scope="module")
def app(mirror_session: Any) -> Any:
    from starlette.testclient import TestClient

    from tidegauge.web import create_app

    # a loopback Host: the dashboard refuses Starlette's default "testserver" (not loopback)
    with TestClient(create_app(mirror_session), base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture(scope="module")
def report_files(
    store: Path, mirror_session: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """The report's terminal summary and HTML file (``tidegauge report``) and its Markdown
    (the function ``--md`` writes with, without drawing the PNGs)."""
    from tidegauge.presentation.markdown import render_markdown

    folder = tmp_path_factory.mktemp("faces")
    rep = mirror_session.report()
    out = {}
    for lang in LANGS:
        h = folder / f"r-{lang}.html"
        out[f"terminal-{lang}"] = _cli(("report",), store, lang, "--no-update", "--html", str(h))
        out[f"html-{lang}"] = h.read_text(encoding="utf-8")
        out[f"md-{lang}"] = render_markdown(rep, lang)
    return out


def _card(page: str, key: str) -> str:
    """The HTML of the figure card ``fig-<key>`` (the same figure, not just the same text)."""
    m = re.search(rf'<div class="card[^"]*" id="fig-{re.escape(key)}".*?<div class="label">'
                  rf'.*?(?=<div class="card|</div>\s*</div>\s*(?:<figure|<p|<div class="table|'
                  r"<ul|</section))", page, re.S)  # fmt: skip
    assert m, f"no card for {key}"
    return m.group(0)


def _check_card(card: str, ft: Any) -> None:
    value = re.search(r'<div class="value">(.*?)</div>', card, re.S)
    assert value and html.unescape(value.group(1)) == ft.value, (ft.key, value)
    date = re.search(r'<span class="date">(.*?)</span>', card, re.S)
    assert date and html.unescape(date.group(1)) == ft.date, (ft.key, date)
    badge = re.search(r'<span class="badge (\w+)"[^>]*>(.*?)</span>', card, re.S)
    if ft.badge:
        assert badge and html.unescape(badge.group(2)) == ft.badge, (ft.key, badge)
        assert badge.group(1) == ft.status
    else:
        assert badge is None, (ft.key, badge)


def _check_terminal(text: str, ft: Any) -> None:
    rows = [ln for ln in text.splitlines() if f"│{ft.label} " in ln or f"│{ft.label}│" in ln]
    assert rows, f"{ft.label!r} not in the terminal output"
    row = rows[0]
    assert f" {ft.value} │" in row, (ft.key, row)
    assert f"│ {ft.date} " in row or f"│ {ft.date}│" in row, (ft.key, row)
    if ft.badge:  # the badge is on the next line of the date cell
        after = text.splitlines()[text.splitlines().index(row) + 1]
        assert f"{STALE_MARK} {ft.badge}" in after, (ft.key, after)


def _check_json(figs: list[dict[str, Any]], ft: Any) -> None:
    fig = next(f for f in figs if f["key"] == ft.key)
    assert (fig["text"], fig["date_text"], fig["status"]) == (ft.value, ft.date, ft.status)
    assert fig["freshness_text"].startswith(ft.badge)


def _check_markdown(md: str, ft: Any) -> None:
    from tidegauge.presentation.markdown import md_escape

    line = f"- **{md_escape(ft.label)}: {md_escape(ft.value)}**"
    rows = [ln for ln in md.splitlines() if ln.startswith(line)]
    assert rows, (ft.key, line)
    assert md_escape(ft.date) in rows[0]
    if ft.badge:
        assert f"**{md_escape(ft.badge)}**" in rows[0]


@pytest.mark.parametrize("lang", ["zh-TW"])  # the headline test below covers English too
def test_every_indicator_reads_the_same_on_every_face(
    lang: str, sections: dict[str, Any], store: Path, app: Any, report_files: dict[str, str]
) -> None:
    from tidegauge.presentation.markdown import section_markdown

    checked = set()
    for ind, section, _ in sections.values():
        texts = [figure_text(f, lang) for f in section.figures]
        assert all(ft.available or ft.value == UNAVAILABLE for ft in texts)
        if not texts:
            continue
        # terminal and JSON: the indicator's own command
        if ind.command:
            out = _cli(_cli_path(ind), store, lang)
            js = json.loads(_cli(_cli_path(ind), store, lang, "--json"))
            figs = next(s for s in js["sections"] if s["id"] == ind.id)["figures"]
            for ft in texts:
                _check_terminal(out, ft)
                _check_json(figs, ft)
        # the dashboard page and the API endpoint
        if ind.page:
            page = app.get(f"/{ind.page}", params={"lang": lang, **QUERY.get(ind.id, {})}).text
            for ft in texts:
                _check_card(_card(page, ft.key), ft)
        if ind.endpoint:
            js = app.get(f"/api/{ind.endpoint}", params={"lang": lang, **QUERY.get(ind.id, {})})
            js = js.json()
            figs = next(s for s in js["sections"] if s["id"] == ind.id)["figures"]
            for ft in texts:
                _check_json(figs, ft)
        # the HTML and Markdown report, for report sections; Markdown of the section otherwise
        if ind.in_report:
            for ft in texts:
                _check_card(_card(report_files[f"html-{lang}"], ft.key), ft)
                _check_markdown(report_files[f"md-{lang}"], ft)
        else:
            md = "\n".join(section_markdown(section, lang, {}))
            for ft in texts:
                _check_markdown(md, ft)
        checked.add(ind.id)
    assert checked >= {"balance", "liquidity", "compare", "realrates", "stance", "checklist"}


@pytest.mark.parametrize("lang", LANGS)
def test_headline_reads_the_same_on_every_face(
    lang: str, mirror_session: Any, app: Any, report_files: dict[str, str]
) -> None:
    from tidegauge.presentation.jsonface import report_json

    rep = mirror_session.report()
    overview = app.get(f"/?lang={lang}").text
    api = app.get("/api/overview", params={"lang": lang}).json()["figures"]
    assert [f["key"] for f in api] == [f.key for f in rep.headline]
    assert report_json(rep, lang)["figures"] == api
    for f in rep.headline:
        ft = figure_text(f, lang)
        _check_card(_card(overview, f.key), ft)
        _check_terminal(report_files[f"terminal-{lang}"], ft)
        _check_json(api, ft)


def test_an_unavailable_figure_is_a_question_mark_everywhere(
    mirror_session: Any, tmp_path: Path, partial_mirror: Any
) -> None:
    """A store without WRBWFRBL (reserves, Wednesday level): the liquidity figures are "?" on
    every face, not a number."""
    from tidegauge import Tidegauge
    from tidegauge.indicators.liquidity import Liquidity
    from tidegauge.presentation.html import render, section_view
    from tidegauge.presentation.jsonface import section_json
    from tidegauge.presentation.markdown import section_markdown

    rep = None
    mirror = partial_mirror(without=("WRBWFRBL",))
    with Tidegauge(mirror=str(mirror), store_path=str(tmp_path / "s.db")) as tg:
        assert tg.update().failed == []
        rep = tg.report(only=["liquidity"])
    section = rep.section("liquidity")
    assert section.errors  # the whole section says why
    for f in rep.headline:
        assert not f.available
        ft = figure_text(f, "en")
        assert ft.value == UNAVAILABLE
        assert section_json(type(section)("h", "", figures=[f]))["figures"][0]["text"] == "?"
        page = render("page.html", "en", page="x", title="t", intro="", form_view=None,
                      sections=[section_view(type(section)("h", "", figures=[f]), "en")],
                      no_js="")  # fmt: skip
        assert '<div class="value">?</div>' in page
        md = "\n".join(section_markdown(type(section)("h", "", figures=[f]), "en", {}))
        assert ": ?**" in md
    assert Liquidity.headline == tuple(f.key for f in rep.headline)


# -- freshness on every face ---------------------------------------------------------------------
def test_stale_figures_are_marked_on_every_face(
    mirror_session: Any, app: Any, report_files: dict[str, str]
) -> None:
    """Report date today (2026-12): the mirror's data ends months earlier, so every headline
    figure whose inputs ended months ago is stale — and says so on every face."""
    rep = mirror_session.report()
    assert rep.report_date == dt.date.today()
    stale = [f for f in rep.headline if f.freshness and f.freshness.status == "stale"]
    for f in rep.headline:  # the rule, checked against the data itself: a daily, weekly or
        # monthly input that ended four months before the report date makes its figure stale
        old = [
            i
            for i in f.freshness.inputs
            if i.last and i.frequency in ("D", "W", "M") and (rep.report_date - i.last).days > 120
        ]
        if old:
            assert f in stale, (f.key, old)
    assert stale, "the mirror ends months before today"
    overview = app.get("/?lang=en").text
    api = {f["key"]: f for f in app.get("/api/overview").json()["figures"]}
    for f in stale:
        ft = figure_text(f, "en")
        assert ft.badge.startswith("stale")
        assert 'class="badge stale"' in _card(report_files["html-en"], f.key)
        assert 'class="badge stale"' in _card(overview, f.key)
        assert api[f.key]["freshness"]["status"] == "stale"
        _check_terminal(report_files["terminal-en"], ft)
        _check_markdown(report_files["md-en"], ft)


def test_nothing_is_marked_when_the_report_date_is_inside_the_data(
    mirror_session: Any, store: Path, tmp_path: Path
) -> None:
    """A point-in-time report on 2023-06-30: every input had published its latest release, so
    no figure is late, stale or mixed — on any face."""
    rep = mirror_session.report(as_of="2023-06-30")
    marked = [f.key for s in rep.sections for f in s.figures if f.freshness.marked]
    assert marked == []
    from tidegauge.presentation.markdown import render_markdown

    h = tmp_path / "r.html"
    out = _cli(("report",), store, "en", "--no-update", "--as-of", "2023-06-30", "--html", str(h))
    assert STALE_MARK not in out
    assert 'class="badge' not in h.read_text(encoding="utf-8")
    md = render_markdown(rep, "en")
    for word in ("**stale**", "**late**", "**mixed dates**"):
        assert word not in md
