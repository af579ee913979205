"""Redirects: the API key stays with the FRED host it was configured for.

A real server on 127.0.0.1 answers with ``302`` and a ``Location`` on a second real server at
``127.0.0.2`` (another loopback address: "another host"), echoing the request's query — API key
included — as a hostile or misconfigured proxy would. The client must not send anything there,
must not store what that host would serve, must say which host redirected where, and must go on
with the next series. Same-origin redirects are still followed; a redirect loop ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fredserver import FredServer
from test_fred_http import (
    API_KEY,
    assert_store_ok,
    make_settings,
    mirror_values,
    stored_values,
)
from tidegauge import Tidegauge


@pytest.fixture
def server(fred_mirror: Path) -> Iterator[FredServer]:
    with FredServer(fred_mirror) as s:
        yield s


@pytest.fixture
def other_host(fred_mirror: Path) -> Iterator[FredServer]:
    """A second server on another loopback address that would serve (different) data."""
    with FredServer(fred_mirror, host="127.0.0.2") as s:
        yield s


@pytest.mark.parametrize("api", [False, True], ids=["csv", "api"])
def test_redirect_to_another_host_is_not_followed(
    server: FredServer, other_host: FredServer, fred_mirror: Path, tmp_path: Path, api: bool
) -> None:
    sid = "WALCL"
    expected = mirror_values(fred_mirror, sid)
    with Tidegauge(make_settings(server, tmp_path, api=api)) as tg:
        assert tg.update([sid]).ok
        # the other host would serve a changed value: it must never reach the store
        other_host.revise(sid, sorted(expected)[-2], "9999999")
        server.inject(sid, "redirect", times=None, location=other_host.url)
        report = tg.update([sid, "GDP"])
        assert [r.status for r in report.results] == ["failed", "ok"]
        error = report.results[0].error or ""
        assert "127.0.0.1" in error and "127.0.0.2" in error  # which host answered, and where to
        assert API_KEY not in error
        assert stored_values(tg, sid) == expected
        assert_store_ok(tg)
    assert other_host.log == []  # nothing at all was sent to the other host
    redirected = [r for r in server.requests(sid) if r.fault == "redirect"]
    assert len(redirected) == 1  # refused at once: not retried


def test_redirect_within_the_same_host_is_followed(
    server: FredServer, fred_mirror: Path, tmp_path: Path
) -> None:
    server.inject("GDP", "redirect", times=1, location=server.url)
    with Tidegauge(make_settings(server, tmp_path, api=True)) as tg:
        assert tg.update(["GDP"]).ok
        assert stored_values(tg, "GDP") == mirror_values(fred_mirror, "GDP")
    statuses = [r.status for r in server.requests("GDP")]
    assert statuses[:2] == [302, 200]


def test_redirect_loop_fails_that_series_only(
    server: FredServer, fred_mirror: Path, tmp_path: Path
) -> None:
    server.inject("WALCL", "redirect_loop", times=None)
    with Tidegauge(make_settings(server, tmp_path)) as tg:
        report = tg.update(["WALCL", "GDP"])
        assert [r.status for r in report.results] == ["failed", "ok"]
        assert "redirected more than" in (report.results[0].error or "")
        assert tg.store.series("WALCL") is None
        assert stored_values(tg, "GDP") == mirror_values(fred_mirror, "GDP")
        assert_store_ok(tg)
    assert 1 < len(server.requests("WALCL")) <= 6 + 1  # bounded, not endless


def test_cli_redirect_is_one_line_without_the_key(
    server: FredServer, other_host: FredServer, tmp_path: Path
) -> None:
    from tidegauge.cli import cli

    server.inject("GDP", "redirect", times=None, location=other_host.url)
    env = {
        "FRED_API_KEY": API_KEY,
        "TIDEGAUGE_FRED_URL": server.url,
        "TIDEGAUGE_FRED_API_URL": server.api_url,
        "TIDEGAUGE_STORE": str(tmp_path / "cli.db"),
        "TIDEGAUGE_MIRROR": "",
        "TIDEGAUGE_RATE": "50",
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(cli, ["update", "GDP", "FYFSD"], env=env)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "redirected to another host (127.0.0.2" in result.output
    assert API_KEY not in result.output
    assert other_host.log == []
