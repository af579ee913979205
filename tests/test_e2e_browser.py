"""Browser end-to-end tests: Debian's Chromium driven by Playwright, no network.

* the dashboard served by a real Uvicorn server on 127.0.0.1 (ephemeral port) over a store
  loaded from the mirror: every page in en and zh-TW draws its charts with no console error;
  the compare page reacts to a new window and the checklist page to a new date;
* the self-contained HTML report (``tidegauge report --html``) opened through ``file://``.

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
PAGES = ("/", "/balance", "/liquidity", "/compare", "/realrates", "/checklist", "/simulate")
LANGS = ("en", "zh-TW")

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

    def __init__(self, browser: Any, allow: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
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


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_dashboard_page(browser: Any, server: str, shots: Path, path: str, lang: str) -> None:
    p = Page(browser, server)
    try:
        resp = p.page.goto(f"{server}{path}?lang={lang}", wait_until="load")
        assert resp is not None and resp.status == 200
        n_charts = p.page.locator(".tg-chart").count()
        assert n_charts >= 1, "every dashboard page has at least one chart"
        assert _charts_drawn(p.page) == n_charts
        assert p.page.get_attribute("body", "data-charts") == "drawn"
        name = path.strip("/") or "overview"
        p.page.screenshot(path=str(shots / f"dashboard-{name}-{lang}.png"), full_page=True)
        title = p.page.locator("h1").inner_text()
        if lang == "zh-TW":  # the page is in Chinese, with the right script tag
            assert any("\u4e00" <= ch <= "\u9fff" for ch in title), title
            assert p.page.get_attribute("html", "lang") == "zh-Hant-TW"
        assert p.errors == [], p.errors
        assert p.blocked == [], f"the page tried to load remote resources: {p.blocked}"
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
        p.page.fill("input[name=start]", "2020-03-04")
        p.page.fill("input[name=end]", "2021-12-29")
        with p.page.expect_navigation():
            p.page.click("form button[type=submit]")
        _charts_drawn(p.page)
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
        with p.page.expect_navigation():
            p.page.click("form button[type=submit]")
        _charts_drawn(p.page)
        verdict_2021 = _card_value(p.page, "fig-checklist_verdict")
        assert verdict_2021.lower().startswith("stimulating a bubble"), verdict_2021
        assert p.page.locator("#table-conditions tbody").inner_text() != conditions_2009
        p.page.screenshot(path=str(shots / "dashboard-checklist-changed.png"), full_page=True)
        assert p.errors == [], p.errors
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


@pytest.mark.parametrize("lang", LANGS)
def test_html_report_offline(
    browser: Any, report_store: Path, fred_mirror: Path, shots: Path, tmp_path: Path, lang: str
) -> None:
    from click.testing import CliRunner

    from tidegauge.cli import cli

    out = tmp_path / f"report-{lang}.html"
    args = ["report", "--no-update", "--html", str(out), "--lang", lang]
    args += ["--store", str(report_store), "--mirror", str(fred_mirror)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    p = Page(browser, "file://")
    try:
        p.page.goto(out.as_uri(), wait_until="load")
        n_charts = p.page.locator(".tg-chart").count()
        assert n_charts >= 4, "the report has charts for the balance sheet, liquidity, ..."
        assert _charts_drawn(p.page, ".tg-chart") == n_charts
        p.page.screenshot(path=str(shots / f"report-{lang}.png"), full_page=True)
        p.page.screenshot(path=str(shots / f"report-{lang}-top.png"))  # the first screen
        p.page.locator(".tg-chart").nth(1).screenshot(path=str(shots / f"report-{lang}-chart.png"))
        if lang == "zh-TW":
            heading = p.page.locator("h1").first.inner_text()
            assert any("\u4e00" <= ch <= "\u9fff" for ch in heading), heading
        assert p.errors == [], p.errors
        assert p.blocked == [], f"the report tried to load remote resources: {p.blocked}"
    finally:
        p.close()
