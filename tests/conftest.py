"""Shared fixtures.

* ``fred_mirror`` / ``other_data``: the real data in ``../shared/data`` (next to the repository).
  Missing data skips the tests on a developer machine but fails them in CI (``CI=true``).
* ``mirror_session``: a :class:`Tidegauge` over a store loaded once per test session from the
  mirror (read-only use; tests that write make their own store).
* Sockets to anything but loopback are refused: no test may touch the internet.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TIDEGAUGE_SHARED_DATA", REPO.parent / "shared" / "data"))


def _require(path: Path) -> Path:
    if not path.is_dir():
        message = f"real data folder {path} is missing (expected ../shared/data beside the repo)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def fred_mirror() -> Path:
    """``../shared/data/fred``: real FRED CSV files."""
    return _require(SHARED / "fred")


@pytest.fixture(scope="session")
def other_data() -> Path:
    """``../shared/data/other``: long S&P 500 (with dividends) and gold histories."""
    return _require(SHARED / "other")


@pytest.fixture(scope="session")
def mirror_session(fred_mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A Tidegauge session whose store holds every catalog series the mirror has."""
    from tidegauge import Tidegauge

    store = tmp_path_factory.mktemp("store") / "mirror.db"
    tg = Tidegauge(mirror=str(fred_mirror), store_path=str(store))
    report = tg.update()
    assert report.ok, report.failed
    yield tg
    tg.close()


@pytest.fixture(scope="session")
def opts(mirror_session: object, fred_mirror: Path) -> list[str]:
    """CLI options that point a command at the mirror and the shared mirror store."""
    store = mirror_session.settings.store_path  # type: ignore[attr-defined]
    return ["--mirror", str(fred_mirror), "--store", str(store)]


_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> None:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and self.family in (socket.AF_INET, socket.AF_INET6):
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            ip = None
        if (ip is None and host != "localhost") or (ip is not None and not ip.is_loopback):
            raise OSError(f"tests may only connect to loopback, not {host!r}")
    _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
