"""The FRED client against a real HTTP server on 127.0.0.1 serving the mirror, with faults.

Every fault of :mod:`fredserver` is tried on both FRED paths (the CSV download and the API with a
key). Transient faults (429, 500, 503, a response slower than the timeout, a reset connection, a
body shorter than its ``Content-Length``) are retried and the update succeeds; payload faults (an
HTML page with status 200, a body cut mid-value, a malformed value) and transient faults that never
stop are reported as failed. Either way the store holds exactly the last good data — compared with
the mirror file value by value — and ``PRAGMA integrity_check`` is ok.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fredserver import FAULT_KINDS, LAST_UPDATED, TRANSIENT_FAULTS, FredServer
from helpers import ATTEMPTS, FAST_RETRIES
from tidegauge import SourceError, Tidegauge
from tidegauge.catalog import CATALOG
from tidegauge.config import Secret, Settings
from tidegauge.updater import REFETCH_WINDOW

API_KEY = "abcdef0123456789fedcba9876543210"  # FRED keys are 32 lower-case hex characters
PAYLOAD_FAULTS = tuple(k for k in FAULT_KINDS if k not in TRANSIENT_FAULTS)


@pytest.fixture
def server(fred_mirror: Path) -> Iterator[FredServer]:
    with FredServer(fred_mirror) as s:
        yield s


def make_settings(
    server: FredServer, tmp_path: Path, *, api: bool = False, **kw: object
) -> Settings:
    """Small timeout and backoff so that a test with retries takes a second, not minutes."""
    values: dict[str, object] = {
        "store_path": tmp_path / "store.db",
        "fred_url": server.url,
        "fred_api_url": server.api_url,
        "api_key": Secret(API_KEY) if api else None,
        **FAST_RETRIES,
    }
    values.update(kw)
    return Settings(**values)  # type: ignore[arg-type]


def mirror_values(mirror: Path, sid: str) -> dict[str, float | None]:
    """The mirror file read independently of tidegauge's parser."""
    lines = (mirror / f"{sid}.csv").read_text().splitlines()[1:]
    pairs = (line.split(",") for line in lines if line)
    return {d: (float(v) if v.strip() not in ("", ".") else None) for d, v in pairs}


def stored_values(tg: Tidegauge, sid: str) -> dict[str, float | None]:
    return dict(tg.store.observations(sid))


def assert_store_ok(tg: Tidegauge) -> None:
    assert tg.store.integrity_check() == "ok"


def fault_options(kind: str) -> dict[str, object]:
    # a permanent 429 asks for no wait, so the test does not sleep through every attempt
    return {"retry_after": 0} if kind == "429" else {"slow_seconds": 1.0} if kind == "slow" else {}


# -- transient faults: the retry succeeds ---------------------------------------------------------
@pytest.mark.parametrize("api", [False, True], ids=["csv", "api"])
@pytest.mark.parametrize("kind", TRANSIENT_FAULTS)
def test_transient_fault_is_retried(
    server: FredServer, fred_mirror: Path, tmp_path: Path, kind: str, api: bool
) -> None:
    # fail ATTEMPTS-1 times then succeed: the last allowed attempt gets through
    server.inject("WALCL", kind, times=ATTEMPTS - 1, **fault_options(kind))
    with Tidegauge(make_settings(server, tmp_path, api=api)) as tg:
        report = tg.update(["WALCL"])
        assert report.ok, report.failed
        [result] = report.results
        expected = mirror_values(fred_mirror, "WALCL")
        assert result.new == len(expected)
        assert stored_values(tg, "WALCL") == expected
        assert_store_ok(tg)
    faulted = [r for r in server.requests("WALCL") if r.fault]
    assert [r.fault for r in faulted] == [kind] * (ATTEMPTS - 1)
    assert server.requests("WALCL")[-1].status == 200


# -- every fault, never ending: reported failed, last good data kept ---------------------------
@pytest.mark.parametrize("api", [False, True], ids=["csv", "api"])
@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_permanent_fault_fails_and_keeps_last_good_data(
    server: FredServer, fred_mirror: Path, tmp_path: Path, kind: str, api: bool
) -> None:
    sid = "WALCL"
    expected = mirror_values(fred_mirror, sid)
    with Tidegauge(make_settings(server, tmp_path, api=api)) as tg:
        assert tg.update([sid]).ok
        assert stored_values(tg, sid) == expected
        # the server now has a revised value, but every request for the series is faulty
        revised_date = sorted(expected)[-3]
        server.revise(sid, revised_date, "7000000")
        server.inject(sid, kind, times=None, **fault_options(kind))
        report = tg.update([sid])
        assert not report.ok
        [result] = report.results
        assert result.status == "failed"
        assert result.error
        assert API_KEY not in result.error
        assert stored_values(tg, sid) == expected  # exactly the last good data
        assert len(tg.store.vintages(sid, revised_date)) == 1
        assert_store_ok(tg)
    # after the good update: every attempt of the first request (the metadata, on the API path),
    # plus the observations when only the values are bad
    attempts = len(server.requests(sid)) - (2 if api else 1)
    expected_attempts = ATTEMPTS if kind in TRANSIENT_FAULTS else 1
    assert attempts == expected_attempts + (1 if api and kind == "malformed" else 0)


@pytest.mark.parametrize("kind", PAYLOAD_FAULTS)
def test_payload_fault_on_a_cold_store_stores_nothing_then_recovers(
    server: FredServer, fred_mirror: Path, tmp_path: Path, kind: str
) -> None:
    server.inject("WALCL", kind, times=1)
    with Tidegauge(make_settings(server, tmp_path)) as tg:
        report = tg.update(["WALCL", "GDP"])
        assert [r.status for r in report.results] == ["failed", "ok"]
        assert tg.store.series("WALCL") is None
        assert stored_values(tg, "WALCL") == {}
        assert stored_values(tg, "GDP") == mirror_values(fred_mirror, "GDP")
        # the next update gets the good payload
        assert tg.update(["WALCL"]).ok
        assert stored_values(tg, "WALCL") == mirror_values(fred_mirror, "WALCL")
        assert_store_ok(tg)


def test_cut_body_error_names_truncation(server: FredServer, tmp_path: Path) -> None:
    """A body cut 2 digits into a value would parse as a (wrong) number; it must not."""
    server.inject("WALCL", "cut", times=1)
    with Tidegauge(make_settings(server, tmp_path)) as tg:
        [result] = tg.update(["WALCL"]).results
    assert result.status == "failed"
    assert "truncated" in (result.error or "")


def test_fail_n_times_then_succeed_bounded_by_attempts(server: FredServer, tmp_path: Path) -> None:
    server.inject("GDP", "503", times=ATTEMPTS - 1)
    server.inject("FYFSD", "503", times=ATTEMPTS)
    with Tidegauge(make_settings(server, tmp_path)) as tg:
        report = tg.update(["GDP", "FYFSD"])
    assert [r.status for r in report.results] == ["ok", "failed"]
    assert "503" in (report.results[1].error or "")
    assert len(server.requests("GDP")) == ATTEMPTS
    assert len(server.requests("FYFSD")) == ATTEMPTS


def test_retry_after_is_honoured(server: FredServer, tmp_path: Path) -> None:
    server.inject("GDP", "429", times=1, retry_after=1)
    with Tidegauge(make_settings(server, tmp_path)) as tg:
        assert tg.update(["GDP"]).ok
    first, second = server.requests("GDP")
    assert first.status == 429 and second.status == 200
    # backoff alone would wait at most 0.05 s; the server asked for 1 s (loose lower bound)
    assert second.t - first.t >= 0.9


def test_pacing_keeps_request_rate_at_most_rate(server: FredServer, tmp_path: Path) -> None:
    rate = 5
    ids = ["WALCL", "TREAST", "WSHOMCB", "WRESBAL", "TOTRESNS", "GDP", "FYFSD", "GFDEBTN"]
    with Tidegauge(make_settings(server, tmp_path, rate=float(rate))) as tg:
        assert tg.update(ids).ok
    times = sorted(r.t for r in server.log)
    assert len(times) == len(ids)
    # no rate+1 requests inside any one-second window (50 ms allowed for server-side jitter)
    gaps = [times[i + rate] - times[i] for i in range(len(times) - rate)]
    assert min(gaps) >= 0.95


def test_one_failing_series_does_not_stop_the_others(
    server: FredServer, fred_mirror: Path, tmp_path: Path
) -> None:
    server.inject("TREAST", "500", times=None)
    with Tidegauge(make_settings(server, tmp_path)) as tg:
        report = tg.update(["WALCL", "TREAST", "GDP"])
        assert [r.status for r in report.results] == ["ok", "failed", "ok"]
        assert not report.ok
        for sid in ("WALCL", "GDP"):
            assert stored_values(tg, sid) == mirror_values(fred_mirror, sid)
        assert tg.store.series("TREAST") is None
        assert_store_ok(tg)


def test_unknown_series_on_server_is_not_in_source(partial_mirror, tmp_path: Path) -> None:
    # GDPC1 is in the catalog but not in the served mirror: the server answers 404
    with FredServer(partial_mirror(without=["GDPC1"])) as server:
        with Tidegauge(make_settings(server, tmp_path)) as tg:
            [result] = tg.update(["GDPC1"]).results
        assert result.status == "failed"
        assert "not found" in (result.error or "")
        assert len(server.requests("GDPC1")) == 1  # a 404 is not retried


# -- incremental -----------------------------------------------------------------------------
def test_second_update_refetches_only_the_recent_window(
    server: FredServer, fred_mirror: Path, tmp_path: Path
) -> None:
    ids = ["WALCL", "DFF", "CPIAUCSL"]
    with Tidegauge(make_settings(server, tmp_path)) as tg:
        cold = tg.update(ids)
        cold_bytes = server.bytes_sent
        assert all("cosd" not in r.params for r in server.log)
        assert not any(r.api_key for r in server.log)  # no key, no key sent
        server.reset_log()
        warm = tg.update(ids)
        assert warm.ok
        assert sum(r.new + r.revised for r in warm.results) == 0
        for sid in ids:
            [req] = server.requests(sid)
            last = max(d for d, v in mirror_values(fred_mirror, sid).items() if v is not None)
            window = REFETCH_WINDOW[CATALOG[sid].frequency]
            assert req.params["cosd"] == (dt.date.fromisoformat(last) - window).isoformat()
            assert stored_values(tg, sid) == mirror_values(fred_mirror, sid)
    assert server.bytes_sent == warm.bytes
    assert cold.bytes == cold_bytes
    assert warm.bytes <= 0.05 * cold.bytes


# -- the API path and the key ---------------------------------------------------------------------
def test_api_metadata_and_skip_if_unchanged(
    server: FredServer, fred_mirror: Path, tmp_path: Path
) -> None:
    with Tidegauge(make_settings(server, tmp_path, api=True)) as tg:
        assert tg.update(["WALCL", "GDP"]).ok
        assert [r.path for r in server.requests("WALCL")] == [
            "/fred/series",
            "/fred/series/observations",
        ]
        assert all(r.api_key for r in server.log)
        assert not server.requests(path="/graph/fredgraph.csv")
        stored = tg.store.series("WALCL")
        assert stored is not None and stored.last_updated == LAST_UPDATED
        assert stored_values(tg, "WALCL") == mirror_values(fred_mirror, "WALCL")
        server.reset_log()
        second = tg.update(["WALCL", "GDP"])
        assert [r.status for r in second.results] == ["unchanged", "unchanged"]
        assert {r.path for r in server.log} == {"/fred/series"}  # metadata only
        # a revision moves last_updated on: the observations are fetched again
        date = sorted(mirror_values(fred_mirror, "GDP"))[-2]
        server.revise("GDP", date, "31000.5")
        third = tg.update(["WALCL", "GDP"])
        assert [(r.status, r.revised) for r in third.results] == [("unchanged", 0), ("ok", 1)]
        assert_store_ok(tg)


def test_api_key_never_in_errors_or_logs(
    server: FredServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("httpx", "httpcore", "tidegauge"):
        caplog.set_level(logging.DEBUG, logger=name)
    server.inject("TREAST", "500", times=None)
    server.inject("GDP", "html", times=None)
    server.inject("WALCL", "reset", times=1)
    with Tidegauge(make_settings(server, tmp_path, api=True)) as tg:
        report = tg.update(["WALCL", "TREAST", "GDP"])
        assert [r.status for r in report.results] == ["ok", "failed", "failed"]
        with pytest.raises(SourceError) as excinfo:
            tg.ensure(["FYFSD", "TREAST"])
        logged_errors = tg.store._conn.execute("SELECT error FROM updates").fetchall()
    assert all(r.api_key for r in server.log)  # the key was sent ...
    assert "HTTP Request" in caplog.text and "api_key=***" in caplog.text
    texts = [caplog.text, str(excinfo.value), repr(excinfo.value), *map(str, logged_errors)]
    texts += [r.error or "" for r in report.results]
    texts += [record.getMessage() for record in caplog.records]
    for text in texts:  # ... and never shown
        assert API_KEY not in text


def test_cli_exit_code_and_no_key_in_output(server: FredServer, tmp_path: Path) -> None:
    from tidegauge.cli import cli

    server.inject("GDP", "html", times=None)
    env = {
        "FRED_API_KEY": API_KEY,
        "TIDEGAUGE_FRED_URL": server.url,
        "TIDEGAUGE_FRED_API_URL": server.api_url,
        "TIDEGAUGE_STORE": str(tmp_path / "cli.db"),
        "TIDEGAUGE_MIRROR": "",
        "TIDEGAUGE_RATE": "50",
        "TIDEGAUGE_TIMEOUT": "2",
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(cli, ["update", "WALCL", "GDP", "FYFSD"], env=env)
    assert result.exit_code == 1, result.output
    assert "GDP" in result.output
    assert API_KEY not in result.output
    assert API_KEY not in (result.stderr or "")
    with Tidegauge(make_settings(server, tmp_path, store_path=tmp_path / "cli.db")) as tg:
        assert {s.id for s in tg.store.all_series()} == {"WALCL", "FYFSD"}
        assert_store_ok(tg)
