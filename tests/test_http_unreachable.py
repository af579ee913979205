"""Without a network an update must fail fast, not spend the retry budget on every series."""

from __future__ import annotations

import socket

import pytest

from tidegauge.errors import SourceError
from tidegauge.sources.http import HttpClient


def _closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_host_is_not_retried_for_later_requests() -> None:
    port = _closed_port()
    client = HttpClient(rate=100, timeout=1, max_attempts=3, backoff_base=0.01, backoff_max=0.02)
    waits = 0
    backoff = client._wait

    def counting_wait(state: object) -> float:
        nonlocal waits
        waits += 1
        return backoff(state)  # type: ignore[arg-type]

    client._wait = counting_wait  # type: ignore[method-assign]
    url = f"http://127.0.0.1:{port}/graph/fredgraph.csv"
    with pytest.raises(SourceError, match="network error after retries"):
        client.get(url, {"id": "WALCL"})
    assert client.counters.requests == 3 and waits >= 2  # the whole retry budget once
    spent = (client.counters.requests, waits)
    with pytest.raises(SourceError, match="could not be reached earlier in this run") as info:
        client.get(url, {"id": "DGS10"})
    # Failing fast is counted, not timed: no new attempt and no new backoff wait.
    assert (client.counters.requests, waits) == spent
    assert "無法連線" in info.value.message("zh-TW")
    client.close()


def test_update_without_network_reports_every_series_failed_quickly(tmp_path, monkeypatch) -> None:
    from tidegauge import Tidegauge

    monkeypatch.setenv("TIDEGAUGE_FRED_URL", f"http://127.0.0.1:{_closed_port()}")
    tg = Tidegauge(
        store_path=str(tmp_path / "s.db"), max_attempts=3, backoff_base=0.01, backoff_max=0.02
    )
    report = tg.update(["WALCL", "DGS10", "CPIAUCSL"])
    assert [r.status for r in report.results] == ["failed"] * 3
    assert "could not be reached earlier" in (report.results[2].error or "")
    assert tg.store.all_series() == []  # nothing half-written
    tg.close()
