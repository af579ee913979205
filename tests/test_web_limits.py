"""The dashboard under large data and at its edges: every answer is capped, none is a 500;
``serve`` binds before it says where it listens (``--port 0``, ``[::1]``, a port in use).

The large store holds WALCL as one value per day from 1700-01-01 to 2200-12-31 (182,986 rows,
3.5 MB — the most a series can hold: dates are unique, in order and within the range the
analyses can hold) beside the real mirror's other series.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from bounded import child_env
from test_web import SECRET, fetch
from tidegauge import Tidegauge
from tidegauge.config import Settings
from tidegauge.web import create_app
from tidegauge.web.api import MAX_POINTS

IDS = ["WALCL", "TREAST", "WSHOMCB", "WTREGEN", "RRPONTSYD", "WRESBAL", "WDTGAL", "WRBWFRBL", "GDP"]
DAYS = (dt.date(2200, 12, 31) - dt.date(1700, 1, 1)).days + 1


@pytest.fixture(autouse=True)
def _cache_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Answers, replays and the Vega bundle go to a per-session folder, not the user's cache."""
    monkeypatch.setenv("TIDEGAUGE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="module")
def large_store(fred_mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    mirror = folder / "mirror"
    mirror.mkdir()
    for sid in IDS[1:]:
        shutil.copy(fred_mirror / f"{sid}.csv", mirror / f"{sid}.csv")
    start = dt.date(1700, 1, 1)
    rows = (f"{start + dt.timedelta(days=i)},{7_000_000 + (i % 1000) * 100}\n" for i in range(DAYS))
    (mirror / "WALCL.csv").write_text("observation_date,WALCL\n" + "".join(rows))
    store = folder / "s.db"
    with Tidegauge(mirror=str(mirror), store_path=str(store)) as tg:
        assert tg.update(IDS).ok
    return store


@pytest.fixture(scope="module")
def large_app(large_store: Path) -> Any:
    return create_app(Settings.from_env(store_path=str(large_store), mirror=None))


@pytest.mark.parametrize("path", ["/", "/balance", "/liquidity", "/api/overview", "/api/regimes"])
def test_pages_on_the_largest_series_answer(large_app: Any, path: str) -> None:
    r = fetch(large_app, path)
    assert r.status_code == 200, r.text[:300]
    assert len(r.content) <= large_app.state.dashboard.max_response


def test_series_endpoint_is_capped(large_app: Any) -> None:
    doc = fetch(large_app, "/api/series/WALCL").json()
    assert doc["observations"] == DAYS and doc["as_of"] == "2200-12-31"
    assert doc["downsampled"] and len(doc["data"]) <= MAX_POINTS
    assert doc["data"][-1][0] == "2200-12-31"  # the last observation is kept
    small = fetch(large_app, "/api/series/WALCL?max_points=10").json()
    assert small["observations"] == DAYS and 0 < len(small["data"]) <= 10


def test_an_answer_over_the_cap_is_503_with_a_message(large_store: Path) -> None:
    app = create_app(Settings.from_env(store_path=str(large_store), mirror=None))
    app.state.dashboard.max_response = 100_000
    r = fetch(app, "/api/series/WALCL")
    assert r.status_code == 503 and "larger than 0.1 MB" in r.json()["error"]
    assert "max_points" in r.json()["error"]
    assert fetch(app, "/api/series/WALCL?max_points=100").status_code == 200


# -- serve ----------------------------------------------------------------------------------------
def test_allowed_binds_start_the_server(
    monkeypatch: pytest.MonkeyPatch, mirror_session: Any
) -> None:
    """The socket is bound before the listening line, which shows the real port; ``[::1]`` is
    taken as in a URL. (The server itself is not started here: see test_serve_real_server.)"""
    import socket

    import uvicorn

    from tidegauge.cli import cli

    bound: list[tuple[int, str, int]] = []

    def record(self: Any, sockets: list[socket.socket]) -> None:
        host, port = sockets[0].getsockname()[:2]
        bound.append((sockets[0].family, host, port))
        sockets[0].close()

    monkeypatch.setattr(uvicorn.Server, "run", record)
    for args in (["--host", "127.0.0.1"], ["--host", "localhost"], ["--host", "[::1]"],
                 ["--host", "0.0.0.0", "--allow-public"]):  # fmt: skip
        r = CliRunner().invoke(
            cli,
            ["serve", *args, "--port", "0", "--store", str(mirror_session.settings.store_path)],
            env={"FRED_API_KEY": SECRET},
        )
        if args[1] == "[::1]" and r.exit_code == 2 and "cannot listen" in r.output:
            continue  # no IPv6 loopback on this machine
        assert r.exit_code == 0, r.output
        assert SECRET not in r.output
        port = bound[-1][2]
        assert port != 0 and f":{port}/" in r.output  # the real port, not 0
    assert [h for _, h, _ in bound if h != "::1"] == ["127.0.0.1", "127.0.0.1", "0.0.0.0"]


def test_a_port_in_use_is_one_line_before_the_listening_line(tmp_path: Path) -> None:
    import socket

    from tidegauge.cli import cli

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = CliRunner().invoke(
            cli, ["serve", "--port", str(port), "--store", str(tmp_path / "s.db")]
        )
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use; choose another "
        "--port (0 picks a free one) or --host"
    ]


def test_serve_real_server_on_port_0(mirror_session: Any, tmp_path: Path) -> None:
    """End to end: ``tidegauge serve --port 0`` prints the port it really listens on, answers
    there, prepares every page in the background and then says it is ready (the pages are then
    in the cache folder too)."""
    from tidegauge.web.pages import page_names

    store = str(mirror_session.settings.store_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tidegauge", "serve", "--port", "0", "--store", store],
        env=child_env({"TIDEGAUGE_CACHE_DIR": str(tmp_path)}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert "http://127.0.0.1:" in line, line
        url = line.split("http://", 1)[1].split("/", 1)[0]
        assert not url.endswith(":0")
        r = httpx.get(f"http://{url}/api/series/GDP?max_points=10", timeout=60)
        assert r.status_code == 200 and len(r.json()["data"]) <= 10
        ready = proc.stderr.readline()
        assert ready.startswith(f"ready: {len(page_names())} pages prepared in "), ready
        assert len(list((tmp_path / "web").glob("*.json"))) >= len(page_names())
        assert (tmp_path / "web").is_dir() and any(tmp_path.glob("vega/vega-bundle-*.js"))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
