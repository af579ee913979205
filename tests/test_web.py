"""The dashboard in-process (httpx.ASGITransport): pages, JSON API on real data, parameter
validation, escaping, security headers, the loopback-only bind, the API key, the cache."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from tidegauge.config import Settings
from tidegauge.web import create_app

PAGES = (
    "/", "/balance", "/composition", "/liquidity", "/compare", "/realrates", "/checklist",
    "/global", "/simulate",
)  # fmt: skip
HOSTILE = ("<script>alert(1)</script>", "../etc/passwd", "' OR 1=1 --", "WALCL; DROP TABLE series")


def fetch(app: Any, url: str, **kw: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await c.get(url, **kw)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def app(mirror_session: Any) -> Any:
    return create_app(mirror_session.settings)


@pytest.fixture(autouse=True)
def _cache_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Answers, replays and the Vega bundle go to a per-session folder, not the user's cache."""
    monkeypatch.setenv("TIDEGAUGE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


def revise_latest(mirror: Path, sid: str) -> tuple[str, str]:
    """FRED revises the latest week: its value in ``mirror`` + 1000 (millions); the date and the
    published value."""
    lines = (mirror / f"{sid}.csv").read_text().splitlines()
    day, value = lines[-1].split(",")
    lines[-1] = f"{day},{float(value) + 1000:.0f}"
    (mirror / f"{sid}.csv").write_text("\n".join(lines) + "\n")
    return day, value


# -- pages ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("lang", "html_lang", "probe"),
    [
        ("en", "en", "tidegauge dashboard"),
        ("zh-TW", "zh-Hant-TW", "儀表板"),
        ("zh-CN", "zh-Hans-CN", "仪表板"),
    ],
)
def test_every_page_in_every_language(
    app: Any, path: str, lang: str, html_lang: str, probe: str
) -> None:
    r = fetch(app, f"{path}?lang={lang}")
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert f'<html lang="{html_lang}">' in r.text
    assert probe in r.text
    assert 'class="tg-chart"' in r.text and 'type="application/json"' in r.text
    # no inline script that could execute: only src= scripts and inert JSON blocks
    assert "<script>" not in r.text
    assert 'src="/static/vega.js"' in r.text  # the bundle comes from the server, not a CDN
    assert "cdn." not in r.text.lower() and "https://" not in r.text.split("<main>")[0]


def test_static_vega_bundle_is_served(app: Any) -> None:
    r = fetch(app, "/static/vega.js")
    assert r.status_code == 200 and "vegaEmbed" in r.text
    assert fetch(app, "/static/tidegauge.js").status_code == 200
    assert fetch(app, "/static/../../etc/passwd").status_code == 404
    assert fetch(app, "/static/nothing.js").status_code == 404


def test_compare_page_shows_the_qt2_change(app: Any) -> None:
    # FRED WALCL: 8,915,050 (2022-06-01) → 6,673,244 (2025-05-28) USD millions = -25.1 %
    r = fetch(app, "/compare?a=WALCL&b=SP500&start=2022-06-01&end=2025-06-01&lang=en")
    assert r.status_code == 200
    assert "-25.1%" in r.text and "8,915.05" in r.text and "6,673.24" in r.text


def test_checklist_page_verdict_changes_with_the_date(app: Any) -> None:
    r2009 = fetch(app, "/checklist?as_of=2009-03-31&lang=en").text
    r2021 = fetch(app, "/checklist?as_of=2021-06-30&lang=en").text
    assert "Stimulating a recession" in r2009 and "Stimulating a bubble" not in r2009
    assert "Stimulating a bubble" in r2021


def test_language_switch_keeps_the_parameters(app: Any) -> None:
    r = fetch(app, "/compare?a=WALCL&b=SP500&start=2022-06-01&end=2025-06-01&lang=zh-TW")
    assert (
        'href="/compare?a=WALCL&amp;b=SP500&amp;start=2022-06-01&amp;end=2025-06-01&amp;lang=en"'
        in r.text
    )
    assert "比較兩個序列" in r.text


# -- JSON API on real data -----------------------------------------------------------------------
def test_api_compare_matches_the_csv(app: Any) -> None:
    r = fetch(app, "/api/compare?a=walcl&b=SP500&start=2022-06-01&end=2025-06-01")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    d = r.json()
    assert d["a"]["start_date"] == "2022-06-01" and d["a"]["start_value"] == pytest.approx(8915.05)
    assert d["a"]["end_date"] == "2025-05-28" and d["a"]["end_value"] == pytest.approx(6673.244)
    assert d["a"]["change_pct"] == pytest.approx((6673.244 / 8915.05 - 1) * 100, abs=1e-9)
    assert any(e["program"] == "QT2" for e in d["episodes"])


def test_api_checklist_public_verdicts(app: Any) -> None:
    assert fetch(app, "/api/checklist?as_of=2009-03-31").json()["verdict"] == "recession"
    d = fetch(app, "/api/checklist?as_of=2021-06-30").json()
    assert d["verdict"] == "bubble" and d["as_of"] == "2021-06-30"
    assert all("as_of" in c for c in d["conditions"])


def test_api_liquidity_and_series(app: Any) -> None:
    d = fetch(app, "/api/liquidity").json()
    # FRED WRBWFRBL 2019-09-18: 1,385,426 USD millions (the repo-stress week, Wednesday level)
    assert d["stress_2019"]["date"] == "2019-09-18"
    assert d["stress_2019"]["reserves"] == pytest.approx(1385.426)
    s = fetch(app, "/api/series/WALCL?start=2022-06-01&end=2022-06-01").json()
    assert s["data"] == [["2022-06-01", pytest.approx(8915.05)]] and s["unit"] == "USD billions"
    full = fetch(app, "/api/series/DGS10").json()
    small = fetch(app, "/api/series/DGS10?max_points=500").json()
    assert small["downsampled"] and len(small["data"]) <= 500 < len(full["data"])
    assert small["as_of"] == full["as_of"] == full["data"][-1][0]  # as-of of the data, not a bin


def test_api_plumbing_endpoints(app: Any) -> None:
    # the same JSON as the commands' --json (figures recomputed in test_funding.py & co.)
    f = fetch(app, "/api/funding?as_of=2025-11-03").json()
    assert (f["as_of"], f["sofr_iorb_bp"], f["status"]) == ("2025-10-31", 32, "pressure")
    d = fetch(app, "/api/liquidity?daily=true&as_of=2024-06-27").json()
    assert d["date"] == "2024-06-26" and d["net_liquidity_bn"] == pytest.approx(5996.801)
    c = fetch(app, "/api/composition?as_of=2022-06-02").json()
    assert c["date"] == "2022-06-01"
    assert sum(c["liabilities"].values()) == pytest.approx(8915.05)
    g = fetch(app, "/api/global?as_of=2024-12-31").json()
    assert g["total_usd_bn"] == pytest.approx(18556.178415, abs=1e-6)
    assert [b["bank"] for b in g["banks"]] == ["Fed", "ECB", "BOJ"]
    page = fetch(app, "/liquidity?daily=true&lang=zh-TW").text
    assert "每日淨流動性" in page and "資金面狀態" in page  # funding sits beside the reserves


def test_api_realrate_breakeven_identity(app: Any) -> None:
    d = fetch(app, "/api/realrate").json()
    assert d["breakeven_10y"] == pytest.approx(d["nominal_10y"] - d["tips_10y"], abs=1e-9)
    # the stance compares the realised real policy rate with r* ± band (default band 0.5 pp)
    real = d["real_policy_rate_expost"]
    low = fetch(app, f"/api/realrate?rstar={real - 2:.2f}").json()
    high = fetch(app, f"/api/realrate?rstar={real + 2:.2f}").json()
    assert (low["stance"], high["stance"]) == ("restrictive", "accommodative")


def test_api_simulate_zero_caps_keep_holdings(app: Any) -> None:
    d = fetch(app, "/api/simulate?treasury_cap=0&mbs_cap=0&months=6").json()
    assert len(d["path"]) == 6
    assert d["path"][-1]["treasury"] == pytest.approx(d["start"]["treasury_bn"], abs=1e-3)
    assert d["path"][-1]["mbs"] == pytest.approx(d["start"]["mbs_bn"], abs=1e-3)
    qe = fetch(app, "/api/simulate?kind=qe&per_month=100&months=12").json()
    securities = qe["path"][-1]["treasury"] + qe["path"][-1]["mbs"]
    assert securities == pytest.approx(
        qe["start"]["treasury_bn"] + qe["start"]["mbs_bn"] + 1200, abs=0.01
    )


def test_api_overview_has_unit_and_date_for_every_figure(app: Any) -> None:
    r = fetch(app, "/api/overview?lang=zh-TW")
    assert r.status_code == 200
    assert len(r.content) < 1_500_000
    figures = r.json()["figures"]
    assert figures and all(f["unit"] and f["as_of"] for f in figures if f["value"] is not None)
    assert any("兆美元" in f["text"] for f in figures)  # formatted for the language


def test_overview_page_payload_is_small(app: Any) -> None:
    assert len(fetch(app, "/").content) < 1_500_000


# -- validation ----------------------------------------------------------------------------------
BAD_URLS = [
    *(f"/api/compare?a={h}" for h in HOSTILE),
    *(f"/api/compare?b={h}" for h in HOSTILE),
    *(f"/api/compare?start={h}" for h in HOSTILE),
    *(f"/api/checklist?as_of={h}" for h in HOSTILE),
    *(f"/api/series/{h}" for h in HOSTILE if "/" not in h),
    "/api/series/..%2F..%2Fetc%2Fpasswd",
    "/api/series/NOT_A_SERIES",
    "/api/compare?a=WALCL&b=SP500&start=2025-01-01&end=2020-01-01",  # reversed window
    "/api/compare?start=2022-02-30",  # no such day
    "/api/checklist?as_of=2999-01-01",  # the future
    "/api/simulate?months=0",
    "/api/simulate?months=100000",
    "/api/simulate?treasury_cap=-5",
    "/api/simulate?treasury_cap=nan",
    "/api/simulate?mbs_cap=inf",
    "/api/simulate?kind=<b>",
    "/api/realrate?rstar=1e309",
    "/api/realrate?alignment=median",
    "/api/liquidity?debug=1",  # unknown parameter
    "/api/liquidity?daily=maybe",
    "/api/liquidity?basis=monthly",
    "/api/funding?window=0",
    "/api/funding?as_of=2999-01-01",
    "/api/composition?start=2025-01-01&end=2024-01-01",  # reversed window
    *(f"/api/global?start={h}" for h in HOSTILE),
    "/api/checklist?as_of=2020-01-01&as_of=2021-01-01",  # repeated
    "/api/overview?lang=klingon",
    "/api/series/WALCL?max_points=1",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_parameters_are_400_json(app: Any, url: str) -> None:
    r = fetch(app, url)
    assert r.status_code == 400, (url, r.status_code, r.text[:200])
    assert r.headers["content-type"] == "application/json"
    message = r.json()["error"]
    assert isinstance(message, str) and "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_page_parameters_are_rejected_and_escaped(app: Any, hostile: str) -> None:
    r = fetch(app, "/compare", params={"a": hostile, "lang": "en"})
    assert r.status_code == 400
    assert "<script>alert" not in r.text
    if "<" in hostile:
        assert "&lt;script&gt;" in r.text


def test_strings_from_the_catalog_are_escaped(
    mirror_session: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tidegauge.catalog import CATALOG

    evil = "<script>alert('catalog')</script>"
    monkeypatch.setitem(CATALOG["SP500"].name, "en", evil)
    monkeypatch.setenv("TIDEGAUGE_CACHE_DIR", str(tmp_path))  # the catalog is code: a new stamp
    app = create_app(mirror_session.settings)  # a fresh cache
    r = fetch(app, "/compare?a=WALCL&b=SP500&start=2022-06-01&end=2025-06-01&lang=en")
    assert r.status_code == 200
    assert evil not in r.text
    assert "&lt;script&gt;alert(&#39;catalog&#39;)&lt;/script&gt;" in r.text  # shown as text
    assert "\\u003cscript\\u003ealert" in r.text  # inside the chart JSON, inert


def test_security_headers(app: Any) -> None:
    r = fetch(app, "/")
    csp = r.headers["content-security-policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert fetch(app, "/api/liquidity").headers["x-frame-options"] == "DENY"


def test_foreign_host_header_is_refused(app: Any) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 must not read the API;
    neither may ``testserver`` (a test client's default name, not a loopback name)."""
    assert fetch(app, "/api/liquidity", headers={"Host": "evil.example"}).status_code == 400
    assert fetch(app, "/api/liquidity", headers={"Host": "testserver"}).status_code == 400
    assert fetch(app, "/api/liquidity", headers={"Host": "localhost:8000"}).status_code == 200


def test_unknown_page_is_404_html(app: Any) -> None:
    r = fetch(app, "/nope?lang=zh-CN")
    assert r.status_code == 404 and "找不到页面" in r.text
    assert fetch(app, "/api/nope").json()["status"] == 404


def test_empty_store_says_what_to_do_and_never_fetches(tmp_path: Path) -> None:
    settings = Settings.from_env(store_path=str(tmp_path / "empty.db"), mirror=None)
    app = create_app(settings)
    r = fetch(app, "/api/liquidity")
    assert r.status_code == 404 and "tidegauge update" in r.json()["error"]
    page = fetch(app, "/liquidity")
    assert page.status_code == 404 and "tidegauge update" in page.text


# -- the API key ---------------------------------------------------------------------------------
SECRET = "abcdef0123456789abcdef0123456789"


def test_api_key_never_appears(
    mirror_session: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("FRED_API_KEY", SECRET)
    settings = Settings.from_env(store_path=str(mirror_session.settings.store_path))
    assert settings.api_key is not None and settings.api_key.reveal() == SECRET
    app = create_app(settings)
    urls = [
        *PAGES,
        *(f"{p}?lang=zh-TW" for p in PAGES),
        "/api",
        "/api/overview",
        "/api/regimes",
        "/api/liquidity",
        "/api/compare",
        "/api/realrate",
        "/api/checklist",
        "/api/simulate",
        "/api/series",
        "/api/series/WALCL",
        "/api/series/<script>",
        "/api/compare?a=' OR 1=1 --",
        "/nope",
    ]
    caplog.set_level(logging.DEBUG)
    for url in urls:
        r = fetch(app, url)
        assert SECRET not in r.text, url
        assert all(SECRET not in v for v in r.headers.values()), url
    assert SECRET not in caplog.text


# -- the bind ------------------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "10.0.0.2"])
def test_public_bind_needs_the_flag(host: str, fred_mirror: Path, tmp_path: Path) -> None:
    from tidegauge.cli import cli

    r = CliRunner().invoke(cli, ["serve", "--host", host, "--store", str(tmp_path / "s.db")])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "--allow-public" in lines[0]
    assert not (tmp_path / "s.db").exists()  # refused before anything is opened


def test_busy_port_is_one_line_before_any_url(tmp_path: Path, mirror_session: Any) -> None:
    import socket

    from tidegauge.cli import cli

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        store = str(mirror_session.settings.store_path)
        r = CliRunner().invoke(cli, ["serve", "--port", str(port), "--store", store])
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and f":{port}" in lines[0] and "--port" in lines[0], lines
    assert "http://" not in r.output  # the URL is not announced for a server that cannot start


@pytest.mark.parametrize("mirror", [True, False])
def test_serve_on_an_empty_store_says_to_update(
    tmp_path: Path, fred_mirror: Path, mirror: bool
) -> None:
    from tidegauge.cli import cli

    args = ["serve", "--port", "0", "--store", str(tmp_path / "empty.db")]
    args += ["--mirror", str(fred_mirror)] if mirror else []
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 1, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "is empty" in lines[0] and "--update" in lines[0], lines
    assert ("from the mirror" in lines[0]) == mirror
    assert "pass --mirror" not in lines[0]


def test_check_bind_and_allowed_hosts() -> None:
    from tidegauge.errors import UsageError
    from tidegauge.web.security import allowed_hosts, check_bind

    check_bind("127.0.0.5")
    check_bind("0.0.0.0", allow_public=True)
    with pytest.raises(UsageError):
        check_bind("8.8.8.8")
    assert "*" not in allowed_hosts("127.0.0.1", allow_public=False)
    assert allowed_hosts("0.0.0.0", allow_public=True) == ["*"]


# -- the cache -----------------------------------------------------------------------------------
def test_cache_serves_warm_and_is_invalidated_by_an_update(
    fred_mirror: Path, tmp_path: Path
) -> None:
    """An update that fetched nothing new keeps the cache warm; a revision invalidates it."""
    import shutil

    from tidegauge import Tidegauge

    mirror, store = tmp_path / "mirror", tmp_path / "s.db"
    mirror.mkdir()
    shutil.copy(fred_mirror / "WALCL.csv", mirror / "WALCL.csv")
    with Tidegauge(mirror=str(mirror), store_path=str(store)) as tg:
        assert tg.update(["WALCL"]).ok
    app = create_app(Settings.from_env(mirror=str(mirror), store_path=str(store)))
    dash = app.state.dashboard
    first = fetch(app, "/api/series/WALCL").content
    assert (dash.hits, dash.misses) == (0, 1)
    assert fetch(app, "/api/series/WALCL").content == first
    assert (dash.hits, dash.misses) == (1, 1)
    with Tidegauge(mirror=str(mirror), store_path=str(store)) as tg:  # nothing new
        assert [r.new + r.revised for r in tg.update(["WALCL"]).results] == [0]
    assert fetch(app, "/api/series/WALCL").content == first
    assert (dash.hits, dash.misses) == (2, 1)  # still warm
    day, value = revise_latest(mirror, "WALCL")
    with Tidegauge(mirror=str(mirror), store_path=str(store)) as tg:
        assert [r.revised for r in tg.update(["WALCL"]).results] == [1]
    revised = fetch(app, "/api/series/WALCL")
    assert dash.misses == 2 and revised.content != first  # recomputed: the content changed
    assert revised.json()["data"][-1] == [day, pytest.approx(float(value) / 1000 + 1)]


def test_requests_reuse_a_store_and_read_a_replaced_file_afresh(
    fred_mirror: Path, tmp_path: Path
) -> None:
    """Requests borrow read-only stores instead of opening one each; a store file replaced by
    another one (a copy, a restored backup) is read from the new file at the next request."""
    import os
    import shutil

    from tidegauge import Tidegauge

    mirror, store, other = tmp_path / "mirror", tmp_path / "s.db", tmp_path / "other.db"
    mirror.mkdir()
    shutil.copy(fred_mirror / "WALCL.csv", mirror / "WALCL.csv")
    with Tidegauge(mirror=str(mirror), store_path=str(store)) as tg:
        assert tg.update(["WALCL"]).ok
    app = create_app(Settings.from_env(mirror=str(mirror), store_path=str(store)))
    readers = app.state.dashboard._readers
    first = fetch(app, "/api/series/WALCL").json()
    assert fetch(app, "/api/series/WALCL?start=2020-01-01").status_code == 200  # computed too
    assert len(readers._idle) == 1  # one store served both computations
    shutil.copy(store, other)
    day, value = revise_latest(mirror, "WALCL")
    with Tidegauge(mirror=str(mirror), store_path=str(other)) as tg:
        assert [r.revised for r in tg.update(["WALCL"]).results] == [1]
    os.replace(other, store)  # a new file (inode) under the same name
    revised = fetch(app, "/api/series/WALCL").json()
    assert revised["data"][-1] == [day, pytest.approx(float(value) / 1000 + 1)]
    assert revised["data"][-1] != first["data"][-1]
    assert len(readers._idle) == 1  # the store of the old file was closed, not kept


def test_requests_are_answered_while_an_update_writes(fred_mirror: Path, tmp_path: Path) -> None:
    """SQLite WAL: a full re-fetch of the series in another thread never breaks a request."""
    import threading

    from tidegauge import Tidegauge

    store = tmp_path / "s.db"
    ids = ["WALCL", "TREAST", "WSHOMCB", "WDTGAL", "RRPONTSYD", "WRBWFRBL", "GDP"]
    with Tidegauge(mirror=str(fred_mirror), store_path=str(store)) as tg:
        assert tg.update(ids).ok
    app = create_app(Settings.from_env(mirror=str(fred_mirror), store_path=str(store)))
    done = threading.Event()
    reports: list[Any] = []

    def writer() -> None:
        with Tidegauge(mirror=str(fred_mirror), store_path=str(store)) as tg:
            for _ in range(3):
                reports.append(tg.update(ids, full=True))
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    statuses, values = [], set()
    while not done.is_set() or not statuses:
        r = fetch(app, "/api/liquidity")
        statuses.append(r.status_code)
        values.add(r.json()["stress_2019"]["reserves"])
    thread.join()
    assert all(rep.ok for rep in reports)
    assert set(statuses) == {200}
    assert len(values) == 1  # the same answer before, during and after the writes
    assert values.pop() == pytest.approx(1385.426)  # WRBWFRBL 2019-09-18


def test_responses_are_gzipped_when_the_client_accepts_it(app: Any) -> None:
    for url in ("/", "/static/vega.js", "/api/overview", "/api/series/DFF"):
        plain = fetch(app, url, headers={"Accept-Encoding": "identity"})
        packed = fetch(app, url, headers={"Accept-Encoding": "gzip, deflate"})
        assert plain.status_code == packed.status_code == 200, url
        assert "content-encoding" not in plain.headers, url
        assert packed.headers["content-encoding"] == "gzip", url
        assert "accept-encoding" in packed.headers.get("vary", "").lower(), url
        assert packed.content == plain.content  # httpx decompressed it
        assert int(packed.headers["content-length"]) < len(plain.content) / 2, url
    refused = fetch(app, "/", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_identical_concurrent_requests_compute_once(mirror_session: Any, tmp_path: Path) -> None:
    """Single flight: a request for an answer being computed waits for that computation."""
    import threading

    from tidegauge.web.pages import parse_page_query, render_page
    from tidegauge.web.service import Dashboard

    dash = Dashboard(mirror_session.settings, persist=False)
    calls: list[int] = []

    def compute(tg: Any) -> bytes:
        calls.append(1)
        for _ in range(600):  # until the second request waits for this one (at most 60 s)
            if dash.joined:
                break
            threading.Event().wait(0.1)
        return render_page("balance", tg, "en", {}, parse_page_query("balance", {})).encode()

    answers: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: answers.append(dash.cached(("page", "t"), compute)))
        for _ in range(2)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    assert len(calls) == 1 and dash.joined == 1 and dash.computed == 1
    assert len(answers) == 2 and answers[0] == answers[1]
    assert b"Federal Reserve" in answers[0] or b"Fed" in answers[0]
    assert dash.cached(("page", "t"), compute) == answers[0] and dash.hits == 1


def test_an_error_is_not_cached(mirror_session: Any) -> None:
    """A NoDataError (FRED's SP500 starts in 2016) is answered each time; nothing is kept."""
    from tidegauge.errors import NoDataError

    r = fetch(create_app(mirror_session.settings), "/api/compare?a=WALCL&b=SP500&start=2009-01-01")
    assert r.status_code == 404 and "choose a later start" in r.json()["error"]
    from tidegauge.web.service import Dashboard

    dash = Dashboard(mirror_session.settings, persist=False)

    def compute(tg: Any) -> bytes:
        raise NoDataError.t("errors.web.no_table", table="x", page="balance")

    for _ in range(2):
        with pytest.raises(NoDataError):
            dash.cached(("k",), compute)
    assert dash.computed == 0 and not dash._cache and not dash._flights


def test_answers_are_kept_in_the_cache_folder_for_a_new_server(
    fred_mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new app over the same store reads the page from the cache folder (nothing computed);
    after the store changed it computes it again."""
    import shutil

    from tidegauge import Tidegauge

    monkeypatch.setenv("TIDEGAUGE_CACHE_DIR", str(tmp_path / "cache"))
    mirror, store = tmp_path / "mirror", tmp_path / "s.db"
    mirror.mkdir()
    ids = ["WALCL", "TREAST", "WSHOMCB", "WDTGAL", "RRPONTSYD", "WRBWFRBL", "GDP"]
    for sid in ids:
        shutil.copy(fred_mirror / f"{sid}.csv", mirror / f"{sid}.csv")
    with Tidegauge(mirror=str(mirror), store_path=str(store)) as tg:
        assert tg.update(ids).ok
    settings = Settings.from_env(mirror=str(mirror), store_path=str(store))
    first_app = create_app(settings, persist=True)
    first = fetch(first_app, "/api/liquidity")
    assert first.status_code == 200 and first_app.state.dashboard.computed == 1
    assert len(list((tmp_path / "cache" / "web").glob("*.json"))) == 1
    # with parameters: another folder, so that variants never push the plain pages out
    assert fetch(first_app, "/api/compare?a=WALCL&b=WRBWFRBL&start=2019-01-02").status_code == 200
    assert len(list((tmp_path / "cache" / "web").glob("*.json"))) == 1
    assert len(list((tmp_path / "cache" / "web-params").glob("*.json"))) == 1

    again_app = create_app(settings, persist=True)  # a restarted server
    again = fetch(again_app, "/api/liquidity")
    dash = again_app.state.dashboard
    assert again.content == first.content
    assert (dash.loaded, dash.computed) == (1, 0)
    assert again.json()["stress_2019"]["reserves"] == pytest.approx(1385.426)  # 2019-09-18

    revise_latest(mirror, "WRBWFRBL")
    with Tidegauge(mirror=str(mirror), store_path=str(store)) as tg:
        assert [r.revised for r in tg.update(["WRBWFRBL"]).results] == [1]
    third_app = create_app(settings, persist=True)
    revised = fetch(third_app, "/api/liquidity")
    assert revised.status_code == 200 and revised.content != first.content
    assert (third_app.state.dashboard.loaded, third_app.state.dashboard.computed) == (0, 1)


def test_the_day_is_part_of_the_key(mirror_session: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Freshness marks depend on today: an answer of yesterday is not served today."""
    import datetime as dt

    from tidegauge.web import service

    dash = service.Dashboard(mirror_session.settings, persist=False)
    dash.cached(("series",), lambda tg: b"today")
    assert dash.cached(("series",), lambda tg: b"again") == b"today"
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(service, "today", lambda: tomorrow)
    assert dash.cached(("series",), lambda tg: b"tomorrow") == b"tomorrow"
    assert dash.computed == 2


def test_the_event_loop_answers_from_memory_only(mirror_session: Any) -> None:
    """Under ``memory_only`` a cached answer is returned and anything else is a CacheMiss (the
    request then goes to a worker thread); nothing is computed there."""
    from tidegauge.web.service import CacheMiss, Dashboard

    dash = Dashboard(mirror_session.settings, persist=False)

    def count(tg: Any) -> bytes:
        return str(len(tg.series("GDP", "1947-01-01", "1999-12-31"))).encode()

    with dash.memory_only(), pytest.raises(CacheMiss):
        dash.cached(("gdp",), count)
    assert dash.cached(("gdp",), count) == b"212"  # 1947Q1-1999Q4: 53 years of quarters
    with dash.memory_only():
        assert dash.cached(("gdp",), count) == b"212"
        with pytest.raises(CacheMiss):
            dash.cached(("other",), count)
    assert (dash.hits, dash.computed) == (1, 1)


def test_compare_from_a_zero_start_is_404_with_what_to_do(app: Any) -> None:
    """FRED's RRPONTSYD is 0.000 on 2021-03-01: a change in percent from zero is undefined (it
    was an HTTP 500, a ZeroDivisionError, found by the load benchmark)."""
    for url in (
        "/api/compare?a=WALCL&b=RRPONTSYD&start=2021-03-01",
        "/compare?a=RRPONTSYD&b=WALCL&start=2021-03-01",
    ):
        r = fetch(app, url)
        assert r.status_code == 404, url
    error = fetch(app, "/api/compare?a=WALCL&b=RRPONTSYD&start=2021-03-01").json()["error"]
    assert "RRPONTSYD is 0 on 2021-03-01" in error and "choose another start" in error
    assert fetch(app, "/api/compare?a=WALCL&b=RRPONTSYD&start=2021-04-01").status_code == 200
