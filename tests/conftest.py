"""Shared fixtures.

* ``fred_mirror`` / ``other_data``: the real data in ``../shared/data`` (next to the repository).
  Missing data skips the tests on a developer machine but fails them in CI (``CI=true``).
* ``mirror_session``: a :class:`Tidegauge` over a store loaded once per test session from the
  mirror (read-only use; tests that write make their own store).
* ``partial_mirror``: a factory for a small mirror in ``tmp_path`` built from the real files, for
  tests that need a series to be missing or to end early (never rely on what the shared mirror
  happens to lack: it grows).
* Sockets to anything but loopback are refused: no test may touch the internet.
* Hypothesis runs without a per-example deadline (profile ``tidegauge``): a busy machine must not
  fail a property test on wall-clock time.
"""

from __future__ import annotations

import ipaddress
import itertools
import os
import shutil
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile("tidegauge", deadline=None)
hypothesis_settings.load_profile("tidegauge")

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


PartialMirror = Callable[..., Path]
"""``partial_mirror(ids=None, *, without=(), until=None) -> Path`` (see the fixture)."""


@pytest.fixture
def partial_mirror(fred_mirror: Path, tmp_path: Path) -> PartialMirror:
    """Factory: a mirror folder in ``tmp_path`` made of copies of the real CSV files.

    ``partial_mirror(ids=None, *, without=(), until=None)`` copies ``ID.csv`` for each of ``ids``
    (default: every series of the shared mirror) except those in ``without``; ``until`` maps an
    id to an ISO date and keeps only that file's real rows up to and including the date (a
    series that "ended" then). Every call makes a new folder, which is returned.
    """
    calls = itertools.count()

    def make(
        ids: Iterable[str] | None = None,
        *,
        without: Iterable[str] = (),
        until: Mapping[str, str] | None = None,
    ) -> Path:
        folder = tmp_path / f"mirror-{next(calls)}"
        folder.mkdir()
        until = dict(until or {})
        skip = set(without)
        wanted = (
            sorted(p.stem for p in fred_mirror.glob("*.csv") if p.stem != "SOURCES")
            if ids is None
            else list(ids)
        )
        for sid in wanted:
            if sid in skip:
                continue
            source = fred_mirror / f"{sid}.csv"
            if sid not in until:
                shutil.copyfile(source, folder / source.name)
                continue
            header, *rows = source.read_text(encoding="utf-8").splitlines(keepends=True)
            kept = [r for r in rows if r.split(",", 1)[0] <= until[sid]]
            assert 0 < len(kept) < len(rows), f"{sid}: until={until[sid]} cuts nothing or all"
            (folder / source.name).write_text(header + "".join(kept), encoding="utf-8")
        assert set(until) <= set(wanted) - skip, "until names a series that is not copied"
        return folder

    return make


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
