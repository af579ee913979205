"""An update from a mirror whose files did not change reads and parses nothing and writes no
content: the store keeps each file's stamp (stat key + content digest, ``series.source_stamp``)
from the last successful fetch, in the same transaction as its observations."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from tidegauge import Tidegauge
from tidegauge.sources import mirror as mirror_module
from tidegauge.sources.base import FetchResult, Observation
from tidegauge.sources.columns import ObservationArrays
from tidegauge.sources.filestamp import same_content, stat_key
from tidegauge.store import Store


@pytest.fixture
def small_mirror(fred_mirror: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "mirror"
    folder.mkdir()
    for sid in ("WALCL", "DGS10"):
        shutil.copy(fred_mirror / f"{sid}.csv", folder / f"{sid}.csv")
    return folder


def _update(folder: Path, store: Path, *, full: bool = False) -> dict[str, str]:
    with Tidegauge(mirror=str(folder), store_path=str(store)) as tg:
        report = tg.update(["WALCL", "DGS10"], full=full)
    return {r.series_id: r.status for r in report.results}


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = mirror_module.parse_fred_columns

    def counting(body: bytes | str, series_id: str) -> ObservationArrays:
        seen.append(series_id)
        return real(body, series_id)

    monkeypatch.setattr(mirror_module, "parse_fred_columns", counting)
    return seen


def test_an_unchanged_file_is_neither_read_nor_parsed(
    small_mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "s.db"
    assert _update(small_mirror, store) == {"WALCL": "ok", "DGS10": "ok"}
    with Store(store, readonly=True) as s:
        token = s.fingerprint()
        stamp = s.known_state("WALCL").stamp
        rows = {x.id: x for x in s.all_series()}
    assert stamp is not None and stamp.startswith(str(stat_key(small_mirror / "WALCL.csv")))

    def no_read(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("an unchanged file was read")

    monkeypatch.setattr(mirror_module, "read_file", no_read)
    assert _update(small_mirror, store) == {"WALCL": "unchanged", "DGS10": "unchanged"}
    with Store(store, readonly=True) as s:
        assert s.fingerprint() == token
        assert {x.id: x for x in s.all_series()} == rows  # not even fetched_at was rewritten


def test_a_touched_file_is_read_not_parsed_and_its_new_stamp_kept(
    small_mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "s.db"
    _update(small_mirror, store)
    with Store(store, readonly=True) as s:
        token, old = s.fingerprint(), s.known_state("DGS10").stamp
    os.utime(small_mirror / "DGS10.csv", ns=(1, 10**18))  # same bytes, other mtime
    parsed = _parses(monkeypatch)
    assert _update(small_mirror, store) == {"WALCL": "unchanged", "DGS10": "unchanged"}
    assert parsed == []
    with Store(store, readonly=True) as s:
        new = s.known_state("DGS10").stamp
        assert s.fingerprint() == token
    assert new != old and same_content(new, old)
    assert new is not None and new.startswith(str(stat_key(small_mirror / "DGS10.csv")))


def test_a_changed_file_and_a_full_update_are_read_again(
    small_mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "s.db"
    path = small_mirror / "WALCL.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    _update(small_mirror, store)
    with Store(store, readonly=True) as s:
        token = s.fingerprint()
    parsed = _parses(monkeypatch)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")  # a new week
    assert _update(small_mirror, store) == {"WALCL": "ok", "DGS10": "unchanged"}
    assert parsed == ["WALCL"]
    with Store(store, readonly=True) as s:
        assert s.fingerprint() != token
        stored = s.series("WALCL")
        assert stored is not None and stored.last_date == lines[-1].split(",")[0]
    parsed.clear()
    assert _update(small_mirror, store, full=True) == {"WALCL": "ok", "DGS10": "ok"}
    assert sorted(parsed) == ["DGS10", "WALCL"]


def test_another_sources_write_clears_the_stamp(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        obs = [Observation(dt.date(2024, 1, 3), 1.0)]
        store.apply(FetchResult("WALCL", obs, stamp="1:2:3:4:5/ab"), source="mirror")
        assert store.known_state("WALCL").stamp == "1:2:3:4:5/ab"
        store.apply(FetchResult("WALCL", obs), source="fred")  # no stamp from FRED
        assert store.known_state("WALCL").stamp is None
