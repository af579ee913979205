"""Browser end-to-end tests: Debian's Chromium driven by Playwright, no network.

* the dashboard served by a real Uvicorn server on 127.0.0.1 (ephemeral port) over a store
  loaded from the mirror: every page in en and zh-TW, on a phone (390×844) and a desktop
  (1400×900), draws its charts with no console error and never scrolls sideways; the compare
  page reacts to a new window and the checklist page to a new date, in place, with the state
  in the URL;
* the self-contained HTML report (``tidegauge report --html``) opened through ``file://``, at
  both sizes.

Chromium is ``/usr/bin/chromium`` (``apt-get install -y chromium fonts-noto-cjk``) launched by
the ``playwright`` Python package; ``playwright install`` is not needed. Without Chromium these
tests skip locally but FAIL when ``CI=true``. Screenshots go to ``$TIDEGAUGE_SCREENSHOTS`` (or
the test's temporary folder).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("TIDEGAUGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]


def _pages() -> tuple[str, ...]:
    """Every dashboard page, from the registry (a new page is tested without editing this)."""
    from tidegauge.web.pages import page_names, page_path

    return tuple(page_path(p) for p in page_names())


PAGES = _pages()
LANGS = ("en", "zh-TW")
VIEWPORTS = {"phone": (390, 844), "desktop": (1400, 900)}

pytestmark = pytest.mark.slow


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"{CHROMIUM} not found (apt-get install -y chromium fonts-noto-cjk)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("TIDEGAUGE_SCREENSHOTS")
    out = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="module")
def server(fred_mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Uvicorn server on 127.0.0.1 over a store loaded from the mirror."""
    import uvicorn

    from tidegauge import Tidegauge
    from tidegauge.config import Settings
    from tidegauge.web import create_app

    store = tmp_path_factory.mktemp("e2e") / "store.db"
    with Tidegauge(mirror=str(fred_mirror), store_path=str(store)) as tg:
        assert tg.update().ok
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(Settings.from_env(mirror=str(fred_mirror), store_path=str(store)))
    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    sock.close()


class Page:
    """A browser page that records console errors and refuses every non-local request."""

    def __init__(self, browser: Any, allow: str, size: tuple[int, int] = (1280, 900)) -> None:
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.blocked: list[str] = []

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith((allow, "data:", "blob:", "about:")):
                r.continue_()
            else:
                self.blocked.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close(self) -> None:
        self.context.close()


_DRAWN_JS = """(sel) => [...document.querySelectorAll(sel)].filter(el => {
    const svg = el.querySelector('svg');
    const marks = svg ? svg.querySelectorAll('path, rect, line, text').length : 0;
    const canvas = el.querySelector('canvas');
    return marks > 20 || (canvas && canvas.width > 0);
}).length"""


def _charts_drawn(page: Any, selector: str = ".tg-chart") -> int:
    """Wait until every chart container matching ``selector`` holds a drawn (non-empty) SVG or
    canvas; return how many do (the wait times out, failing the test, if some never draw)."""
    total = page.locator(selector).count()
    page.wait_for_function(f"(sel) => ({_DRAWN_JS})(sel) >= {total}", arg=selector, timeout=30_000)
    return int(page.evaluate(_DRAWN_JS, selector))


def _no_horizontal_overflow(page: Any, width: int) -> None:
    """The page never scrolls sideways: wide tables scroll inside themselves."""
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    wide = page.evaluate(
        "(w) => [...document.querySelectorAll('body *')].filter(e => "
        "e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap'))"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)",
        width,
    )
    assert scroll <= width, f"page is {scroll} px wide at {width} px: {wide}"


_OVER_JS = """[...document.querySelectorAll('.tg-chart')].map(e => {
    const svg = e.querySelector('svg');
    if (!svg) { return [e.id, 0]; }
    const cs = getComputedStyle(e), box = e.getBoundingClientRect();
    const right = box.right - parseFloat(cs.borderRightWidth) - parseFloat(cs.paddingRight);
    return [e.id, Math.round(svg.getBoundingClientRect().right - right)];
}).filter(([id, over]) => over > 1)"""


def _charts_fit(page: Any) -> None:
    """Every chart is drawn inside its container's content box (the container clips: a chart
    wider than it loses its right edge, axis labels and the latest data)."""
    over = page.evaluate(_OVER_JS)
    assert over == [], f"charts wider than their container (id, px): {over}"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_dashboard_page(
    browser: Any, server: str, shots: Path, path: str, lang: str, viewport: str
) -> None:
    size = VIEWPORTS[viewport]
    p = Page(browser, server, size)
    try:
        resp = p.page.goto(f"{server}{path}?lang={lang}", wait_until="load")
        assert resp is not None and resp.status == 200
        n_charts = p.page.locator(".tg-chart").count()
        assert n_charts >= 1, "every dashboard page has at least one chart"
        assert _charts_drawn(p.page) == n_charts
        assert p.page.get_attribute("body", "data-charts") == "drawn"
        _no_horizontal_overflow(p.page, size[0])
        _charts_fit(p.page)
        # navigation labels never break inside a word: each link is one line
        heights = p.page.evaluate(
            "[...document.querySelectorAll('header.top nav a')].map(a => a.getClientRects().length)"
        )
        assert heights and all(n == 1 for n in heights), heights
        name = path.strip("/") or "overview"
        p.page.screenshot(
            path=str(shots / f"dashboard-{name}-{lang}-{viewport}.png"), full_page=True
        )
        title = p.page.locator("h1").inner_text()
        if lang == "zh-TW":  # the page is in Chinese, with the right script tag
            assert any("\u4e00" <= ch <= "\u9fff" for ch in title), title
            assert p.page.get_attribute("html", "lang") == "zh-Hant-TW"
        assert p.errors == [], p.errors
        assert p.blocked == [], f"the page tried to load remote resources: {p.blocked}"
    finally:
        p.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "zh-TW", "zh-CN"])
def test_guide_page(browser: Any, server: str, shots: Path, lang: str, viewport: str) -> None:
    """The guide in the reader's language, linked from every page's navigation."""
    size = VIEWPORTS[viewport]
    p = Page(browser, server, size)
    try:
        p.page.goto(f"{server}/?lang={lang}")
        p.page.locator("header.top nav a[href^='/guide']").click()
        p.page.wait_for_url("**/guide?lang=*")
        assert p.page.locator(".guide-text h2").count() >= 10
        _no_horizontal_overflow(p.page, size[0])
        p.page.screenshot(path=str(shots / f"guide-{lang}-{viewport}.png"))
        assert p.errors == [], p.errors
    finally:
        p.close()


def _card_value(page: Any, card_id: str) -> str:
    return str(page.locator(f"#{card_id} .value").inner_text())


def test_compare_window_updates_the_page(browser: Any, server: str, shots: Path) -> None:
    p = Page(browser, server)
    try:
        p.page.goto(f"{server}/compare?lang=en&a=WALCL&b=SP500&start=2022-06-01&end=2025-06-01")
        _charts_drawn(p.page)
        before_a = _card_value(p.page, "fig-compare_a")
        before_b = _card_value(p.page, "fig-compare_b")
        # WALCL fell about a quarter in QT2 (8,915 → 6,673 USD bn, FRED WALCL 2022-06-01/2025-05-28)
        assert before_a == "-25.1%", before_a
        p.page.evaluate("window.__same_document = true")  # gone if the page reloads
        p.page.fill("input[name=start]", "2020-03-04")
        p.page.fill("input[name=end]", "2021-12-29")
        p.page.click("form button[type=submit]")
        p.page.wait_for_url("**start=2020-03-04**")
        p.page.wait_for_function("document.body.getAttribute('data-loading') === null")
        _charts_drawn(p.page)
        assert p.page.evaluate("window.__same_document") is True, "the form reloaded the page"
        after_a = _card_value(p.page, "fig-compare_a")
        after_b = _card_value(p.page, "fig-compare_b")
        assert (after_a, after_b) != (before_a, before_b)
        # pandemic QE: WALCL 4,241 (2020-03-04) → 8,757 USD bn (2021-12-29), about +106 %
        assert after_a.startswith("+10"), after_a
        assert "2020-03-04" in p.page.url and "2021-12-29" in p.page.url
        p.page.screenshot(path=str(shots / "dashboard-compare-changed.png"), full_page=True)
        assert p.errors == [], p.errors
    finally:
        p.close()


def test_checklist_date_updates_the_verdict(browser: Any, server: str, shots: Path) -> None:
    p = Page(browser, server)
    try:
        p.page.goto(f"{server}/checklist?lang=en&as_of=2009-03-31")
        _charts_drawn(p.page)
        verdict_2009 = _card_value(p.page, "fig-checklist_verdict")
        conditions_2009 = p.page.locator("#table-conditions tbody").inner_text()
        assert verdict_2009.lower().startswith("stimulating a recession"), verdict_2009
        p.page.fill("input[name=as_of]", "2021-06-30")
        p.page.click("form button[type=submit]")
        p.page.wait_for_url("**as_of=2021-06-30**")
        p.page.wait_for_function("document.body.getAttribute('data-loading') === null")
        _charts_drawn(p.page)
        verdict_2021 = _card_value(p.page, "fig-checklist_verdict")
        assert verdict_2021.lower().startswith("stimulating a bubble"), verdict_2021
        assert p.page.locator("#table-conditions tbody").inner_text() != conditions_2009
        p.page.screenshot(path=str(shots / "dashboard-checklist-changed.png"), full_page=True)
        # the state is in the URL: back returns to 2009, and the link alone shows 2021
        url = p.page.url
        p.page.go_back()
        p.page.wait_for_function(
            "document.querySelector('#fig-checklist_verdict .value').innerText"
            ".toLowerCase().startsWith('stimulating a recession')"
        )
        q = Page(browser, server)
        q.page.goto(url)
        assert _card_value(q.page, "fig-checklist_verdict").lower().startswith("stimulating a bub")
        q.close()
        assert p.errors == [], p.errors
    finally:
        p.close()


def test_forms_work_without_javascript(browser: Any, server: str) -> None:
    """Progressive enhancement: with JavaScript off the form is a plain GET form."""
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(f"{server}/checklist?lang=en&as_of=2009-03-31")
        page.fill("input[name=as_of]", "2021-06-30")
        with page.expect_navigation():
            page.click("form button[type=submit]")
        assert "as_of=2021-06-30" in page.url
        verdict = page.locator("#fig-checklist_verdict .value").inner_text()
        assert verdict.lower().startswith("stimulating a bubble"), verdict
    finally:
        ctx.close()


def test_downloads_of_tables_and_charts(browser: Any, server: str, tmp_path: Path) -> None:
    """Every table links to its CSV and XLSX (with the page's state); every chart offers PNG,
    SVG (drawn with its title and source) and the CSV of its data."""
    import openpyxl

    p = Page(browser, server)
    try:
        p.page.goto(f"{server}/balance?lang=zh-TW")
        _charts_drawn(p.page)
        links = p.page.locator(".table-block .downloads a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert any(h.endswith(("lang=zh-TW",)) and ".xlsx?" in h for h in hrefs), hrefs
        with p.page.expect_download() as dl:
            p.page.locator(".table-block .downloads a", has_text="XLSX").first.click()
        path = tmp_path / "t.xlsx"
        dl.value.save_as(path)
        rows = list(openpyxl.load_workbook(path).active.values)
        assert rows[0][0] == "狀態" and len(rows) > 15
        box = p.page.locator(".chart-downloads").first
        for kind, magic in (("PNG", b"\x89PNG"), ("SVG", b"<svg")):
            with p.page.expect_download() as dl:
                box.locator("button", has_text=kind).click()
            out = tmp_path / f"c.{kind.lower()}"
            dl.value.save_as(out)
            assert out.read_bytes().startswith(magic)
        svg = (tmp_path / "c.svg").read_text(encoding="utf-8")
        assert "WALCL" in svg  # the source line is part of the downloaded chart
        with p.page.expect_download() as dl:
            box.locator("button", has_text="CSV").click()
        dl.value.save_as(tmp_path / "c.csv")
        assert (tmp_path / "c.csv").read_text(encoding="utf-8-sig").startswith("date,value")
        assert p.errors == [], p.errors
    finally:
        p.close()


def test_chart_tooltip_is_translated(browser: Any, server: str) -> None:
    """Hovering a chart shows the nearest date's values, titled and dated in the page language."""
    p = Page(browser, server)
    try:
        p.page.goto(f"{server}/liquidity?lang=zh-TW")
        _charts_drawn(p.page)
        chart = p.page.locator(".tg-chart svg").first
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        p.page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
        p.page.mouse.move(box["x"] + box["width"] * 0.62, box["y"] + box["height"] * 0.5)
        tip = p.page.locator("#vg-tooltip-element")
        tip.wait_for(state="visible", timeout=10_000)
        text = tip.inner_text()
        assert "日期" in text and "年" in text and "月" in text, text
        for english in ("series", "date", "value"):
            assert english not in text, text
    finally:
        p.close()


# -- the HTML report -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def report_store(fred_mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tidegauge import Tidegauge

    store = tmp_path_factory.mktemp("report") / "store.db"
    with Tidegauge(mirror=str(fred_mirror), store_path=str(store)) as tg:
        assert tg.update().ok
    return store


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
def test_html_report_offline(
    browser: Any,
    report_store: Path,
    fred_mirror: Path,
    shots: Path,
    tmp_path: Path,
    lang: str,
    viewport: str,
) -> None:
    from click.testing import CliRunner

    from tidegauge.cli import cli

    out = tmp_path / f"report-{lang}.html"
    args = ["report", "--no-update", "--html", str(out), "--lang", lang]
    args += ["--store", str(report_store), "--mirror", str(fred_mirror)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    size = VIEWPORTS[viewport]
    p = Page(browser, "file://", size)
    try:
        p.page.goto(out.as_uri(), wait_until="load")
        n_charts = p.page.locator(".tg-chart").count()
        assert n_charts >= 4, "the report has charts for the balance sheet, liquidity, ..."
        assert _charts_drawn(p.page, ".tg-chart") == n_charts
        p.page.wait_for_function("document.body.getAttribute('data-charts') === 'drawn'")
        _no_horizontal_overflow(p.page, size[0])
        _charts_fit(p.page)
        name = f"report-{lang}-{viewport}"
        p.page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        p.page.screenshot(path=str(shots / f"{name}-top.png"))  # the first screen
        p.page.locator(".tg-chart").nth(1).screenshot(path=str(shots / f"{name}-chart.png"))
        if lang == "zh-TW":
            heading = p.page.locator("h1").first.inner_text()
            assert any("\u4e00" <= ch <= "\u9fff" for ch in heading), heading
        # the guide, in the report's language, is one click away (contents → the guide)
        p.page.locator("nav.contents a[href='#guide']").click()
        p.page.locator("details#guide summary").click()
        assert p.page.locator("details#guide .guide-text h2").first.is_visible()
        assert p.errors == [], p.errors
        assert p.blocked == [], f"the report tried to load remote resources: {p.blocked}"
    finally:
        p.close()
