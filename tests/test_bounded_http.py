"""HTTP answers that never end, end too late, unpack to too much or lead elsewhere.

A real FRED stand-in on 127.0.0.1 (:mod:`fredserver`) serves WALCL with a fault and GDP
normally; ``python -m tidegauge update WALCL GDP`` runs in a child process with bounded memory
and time (:mod:`bounded`). Whatever the fault, the update ends with WALCL failed on one line
that says what happened, GDP updated, WALCL's stored data (and the content token) unchanged,
exit code 1 and no traceback. The limits are the defaults unless a case sets its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bounded import dump, integrity, logged, no_traceback, run_tidegauge
from fredserver import FredServer
from test_fred_http import API_KEY, make_settings
from tidegauge import Tidegauge

pytestmark = pytest.mark.slow


@pytest.fixture
def server(fred_mirror: Path) -> Iterator[FredServer]:
    with FredServer(fred_mirror) as s:
        yield s


@pytest.fixture
def other_host(fred_mirror: Path) -> Iterator[FredServer]:
    with FredServer(fred_mirror, host="127.0.0.2") as s:
        yield s


def env_for(server: FredServer, store: Path, *, api: bool = False, **extra: str) -> dict[str, str]:
    env = {
        "TIDEGAUGE_FRED_URL": server.url,
        "TIDEGAUGE_FRED_API_URL": server.api_url,
        "TIDEGAUGE_STORE": str(store),
        "TIDEGAUGE_RATE": "50",
        **extra,
    }
    if api:
        env["FRED_API_KEY"] = API_KEY
    return env


CASES = {
    # fault: (inject options, environment, what the error says)
    "redirect": ({}, {}, "redirected to another host (127.0.0.2"),
    "redirect_loop": ({}, {}, "redirected more than 5 times"),
    "trickle": (
        {"slow_seconds": 0.3},
        {"TIDEGAUGE_TIMEOUT": "2", "TIDEGAUGE_MAX_TOTAL": "3"},
        "gave no complete answer within 3 s",
    ),
    "endless": ({}, {}, "sent more than 64 MB"),
    "huge": ({}, {}, "sent more than 64 MB"),
    "gzip_bad": ({}, {}, "sent a badly compressed body"),
    "gzip_bomb": ({}, {}, "sent more than 64 MB"),
}


@pytest.mark.parametrize("api", [False, True], ids=["csv", "api"])
@pytest.mark.parametrize("fault", sorted(CASES))
def test_a_bad_answer_fails_its_series_within_bounds(
    server: FredServer,
    other_host: FredServer,
    tmp_path: Path,
    fault: str,
    api: bool,
) -> None:
    store = tmp_path / "store.db"  # make_settings' store
    with Tidegauge(make_settings(server, tmp_path, api=api)) as tg:
        assert tg.update(["WALCL", "GDP"]).ok
    before = dump(store, "WALCL")
    options, extra, expected = CASES[fault]
    if fault == "redirect":
        options = {"location": other_host.url}
    server.inject("WALCL", fault, times=None, **options)
    result = run_tidegauge("update", "WALCL", "GDP", env=env_for(server, store, api=api, **extra))
    assert result.returncode == 1, result.stdout + result.stderr
    assert no_traceback(result)
    status, error = logged(store)["WALCL"]
    assert status == "failed" and expected in (error or ""), error
    assert API_KEY not in result.stdout + result.stderr + (error or "")
    assert logged(store)["GDP"][0] in ("ok", "unchanged")
    row = next(line for line in result.stdout.splitlines() if " WALCL " in line)
    assert "FAILED" in row and expected in row
    assert dump(store, "WALCL") == before and integrity(store) == "ok"
    assert other_host.log == []  # nothing was ever sent to the other host


def test_the_update_deadline_holds_inside_a_trickling_read(
    server: FredServer, tmp_path: Path
) -> None:
    """The whole run has a time limit (TIDEGAUGE_MAX_UPDATE), enforced while bytes trickle in:
    the series being read fails, and the series after it are reported not tried."""
    store = tmp_path / "store.db"  # make_settings' store
    with Tidegauge(make_settings(server, tmp_path)) as tg:
        assert tg.update(["WALCL", "GDP"]).ok
    before = dump(store)
    server.inject("WALCL", "trickle", times=None, slow_seconds=0.3)
    env = env_for(server, store, TIDEGAUGE_TIMEOUT="2", TIDEGAUGE_MAX_UPDATE="3")
    result = run_tidegauge("update", "WALCL", "GDP", env=env)
    assert result.returncode == 1 and no_traceback(result)
    log = logged(store)
    assert log["WALCL"][0] == "failed"
    assert "the update reached its time limit of 3 s" in (log["WALCL"][1] or "")
    assert log["GDP"][0] == "failed" and "not tried" in (log["GDP"][1] or "")
    assert dump(store) == before


def test_a_small_body_limit_is_a_setting(server: FredServer, tmp_path: Path) -> None:
    """TIDEGAUGE_MAX_BODY_MB: DFF's history (about 0.4 MB) is over a 0.1 MB limit, GDP is not."""
    store = tmp_path / "s.db"
    env = env_for(server, store, TIDEGAUGE_MAX_BODY_MB="0.1")
    result = run_tidegauge("update", "DFF", "GDP", env=env)
    assert result.returncode == 1 and no_traceback(result)
    assert "sent more than 0.1 MB" in (logged(store)["DFF"][1] or "")
    assert logged(store)["GDP"] == ("ok", None)
