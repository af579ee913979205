"""Inputs shared by the dashboard's computations of one store state.

A new comparison window, checklist date or simulator variant reuses the loaded inputs and the
results computed from them (the Fed's regimes, the checklist); the answers are the same as when
nothing is shared, and nothing loaded before a change of the store is used after it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from tidegauge import Tidegauge
from tidegauge.config import Settings
from tidegauge.indicators.base import load_inputs
from tidegauge.indicators.shared import InputsCache, current, sharing
from tidegauge.web import create_app
from tidegauge.web.service import ReadOnlySession

FED = ("WALCL", "TREAST", "WSHOMCB")


def fetch(app: Any, url: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await c.get(url)

    return asyncio.run(go())


@pytest.fixture(autouse=True)
def _cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TIDEGAUGE_CACHE_DIR", str(tmp_path / "cache"))


URLS = (
    "/api/compare?a=WALCL&b=DGS10&start=2019-03-01",
    "/api/compare?a=WALCL&b=DGS10&start=2021-07-01",
    "/compare?a=WALCL&b=DGS10&start=2014-11-01",
    "/compare?a=WALCL&b=WRESBAL&start=2017-05-01",
    "/api/checklist?as_of=2012-06-30",
    "/checklist?as_of=2012-06-30",
    "/api/simulate?treasury_cap=15&months=24",
    "/simulate?treasury_cap=60&months=12",
)


def test_shared_answers_equal_unshared_ones(mirror_session: Any) -> None:
    shared = create_app(mirror_session.settings)
    alone = create_app(mirror_session.settings)
    alone.state.dashboard.inputs = None  # every computation loads its own inputs
    for url in URLS:
        got, want = fetch(shared, url), fetch(alone, url)
        assert got.status_code == want.status_code == 200, url
        assert got.content == want.content, url
    cache = shared.state.dashboard.inputs
    assert cache is not None
    # the two compare pages and the two compare endpoints load the same ids, and so do the
    # checklist page and endpoint of one date: one load each, then shared
    assert cache.hits >= 3 and cache.misses <= len(URLS) - 3


def test_a_new_window_shares_the_regimes(mirror_session: Any) -> None:
    from tidegauge.indicators.balance import regimes_of

    cache = InputsCache()
    sessions = [ReadOnlySession(mirror_session.settings) for _ in range(2)]
    try:
        with sharing(cache):
            first, second = (load_inputs(tg, FED, fetch=False) for tg in sessions)
    finally:
        for tg in sessions:
            tg.close()
    assert (cache.misses, cache.hits) == (1, 1)
    assert first.data is not second.data and first.data["WALCL"] is not second.data["WALCL"]
    assert first.data["WALCL"].equals(second.data["WALCL"])
    assert first.session is sessions[0] and second.session is sessions[1]
    second.data["WALCL"].name = "renamed"  # one request's series are its own
    assert first.data["WALCL"].name == "WALCL"
    assert regimes_of(first) is regimes_of(second)  # computed once
    qt2 = regimes_of(first).episodes.query("program == 'QT2'")
    assert str(qt2["start"].iloc[0].date())[:7] == "2022-06"  # the run-off began in June 2022


def test_not_shared_outside_the_dashboard_or_when_fetching(mirror_session: Any) -> None:
    assert current() is None
    one = load_inputs(mirror_session, FED, fetch=False)
    two = load_inputs(mirror_session, FED, fetch=False)
    assert one.memo is not two.memo
    cache = InputsCache()
    with sharing(cache):
        assert current() is cache
        fetched = load_inputs(mirror_session, FED, fetch=True)
    assert current() is None and len(cache) == 0 and fetched.memo is not one.memo


def test_point_in_time_inputs_are_kept_apart(mirror_session: Any) -> None:
    cache = InputsCache()
    with sharing(cache):
        then = load_inputs(mirror_session, FED, dt.date(2012, 6, 30), fetch=False)
        now = load_inputs(mirror_session, FED, fetch=False)
        again = load_inputs(mirror_session, FED, dt.date(2012, 6, 30), fetch=False)
    assert (cache.misses, cache.hits, len(cache)) == (2, 1, 2)
    assert then.data["WALCL"].index[-1] == again.data["WALCL"].index[-1]
    assert str(then.data["WALCL"].index[-1].date()) == "2012-06-27"  # the week published by then
    assert now.data["WALCL"].index[-1] > then.data["WALCL"].index[-1]
    assert then.memo is again.memo and then.memo is not now.memo


def test_least_recently_used_entries_are_dropped(mirror_session: Any) -> None:
    cache = InputsCache(size=2)
    with sharing(cache):
        for year in (2010, 2011, 2012, 2010):
            load_inputs(mirror_session, FED, dt.date(year, 6, 30), fetch=False)
    assert len(cache) == 2 and (cache.misses, cache.hits) == (4, 0)


def test_a_store_change_replaces_everything(
    fred_mirror: Path, partial_mirror: Any, tmp_path: Path
) -> None:
    """An update that brings new DGS10 observations: the next comparison uses them, and the
    regimes computed before are not used again."""
    mirror = partial_mirror((*FED, "DGS10"), until={"DGS10": "2020-12-31"})
    store = tmp_path / "s.db"
    with Tidegauge(mirror=str(mirror), store_path=str(store)) as tg:
        assert tg.update().ok
    settings = Settings.from_env(mirror=str(mirror), store_path=str(store))
    app = create_app(settings)
    dash = app.state.dashboard
    url = "/api/compare?a=WALCL&b=DGS10&start=2019-01-01&end=2022-12-31"
    before = fetch(app, url)
    assert before.status_code == 200 and before.json()["b"]["end_date"] == "2020-12-31"
    assert fetch(app, url.replace("2019-01-01", "2019-02-01")).status_code == 200
    assert dash.inputs is not None and dash.inputs.hits == 1
    shared_before = dict(dash.inputs._entries)

    shutil.copyfile(fred_mirror / "DGS10.csv", mirror / "DGS10.csv")
    with Tidegauge(mirror=str(mirror), store_path=str(store)) as tg:
        assert tg.update(["DGS10"]).ok
    after = fetch(app, url)
    assert after.status_code == 200 and after.json()["b"]["end_date"] == "2022-12-30"
    assert after.json()["b"]["end_value"] == pytest.approx(3.88)  # DGS10 on 2022-12-30
    entries = list(dash.inputs._entries.values())
    assert len(entries) == 1 and all(
        e is not old for e in entries for old in shared_before.values()
    )
    assert dash.inputs.hits == 1
