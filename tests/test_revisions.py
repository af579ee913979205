"""Revisions: when FRED changes a past value, both vintages stay in the store.

The local FRED stand-in changes one past WALCL value inside the refetch window; after the next
update the store holds the old value (closed at the second update) and the new one, ``load``
returns the new value by default and the old one ``as_of`` a time before the second update.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from fredserver import FredServer
from tidegauge import Tidegauge
from tidegauge.config import Secret, Settings


@pytest.fixture
def server(fred_mirror: Path) -> Iterator[FredServer]:
    with FredServer(fred_mirror) as s:
        yield s


@pytest.mark.parametrize("api", [False, True], ids=["csv", "api"])
def test_revision_keeps_both_vintages(
    server: FredServer, fred_mirror: Path, tmp_path: Path, api: bool
) -> None:
    settings = Settings(
        store_path=tmp_path / "store.db",
        fred_url=server.url,
        fred_api_url=server.api_url,
        api_key=Secret("0123456789abcdef0123456789abcdef") if api else None,
        rate=50.0,
        timeout=2.0,
    )
    rows = (fred_mirror / "WALCL.csv").read_text().splitlines()[1:]
    date, old_text = rows[-4].split(",")  # three weeks before the last: inside the 13-week window
    old = float(old_text)
    new = old + 12_345  # USD millions
    with Tidegauge(settings) as tg:
        first = tg.update(["WALCL"])
        assert first.ok and first.results[0].new == len(rows)
        before = dt.datetime.now(dt.UTC)

        server.revise("WALCL", date, f"{new:.0f}")
        second = tg.update(["WALCL"])
        assert second.ok
        [result] = second.results
        assert (result.status, result.new, result.revised) == ("ok", 0, 1)

        vintages = tg.store.vintages("WALCL", date)
        assert [v[0] for v in vintages] == [old, new]
        (_, old_from, old_to), (_, new_from, new_to) = vintages
        assert old_to == new_from and new_to is None
        assert old_from <= before.isoformat() < new_from

        ts = pd.Timestamp(date)
        current = tg.load(["WALCL"])["WALCL"]
        past = tg.load(["WALCL"], as_of=before)["WALCL"]
        assert current[ts] == new / 1000  # canonical unit: USD billions
        assert past[ts] == old / 1000
        # every other observation is the same in both vintages
        assert current.drop(ts).equals(past.drop(ts))
        assert len(past) == len(rows)
        assert tg.store.integrity_check() == "ok"
