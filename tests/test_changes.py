"""``tidegauge changes`` after two updates from two mirror states.

State 1 is the real mirror cut after the H.4.1 week of 19 Aug 2026; state 2 is the real mirror
with the week of 26 Aug 2026 and one **deliberately injected** revision (WALCL of 12 Aug 2026
changed from the published 6,759,955 to 6,760,955 million dollars) — the only invented number.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import fred_values, run

IDS = ["WALCL", "TREAST", "WSHOMCB", "WRESBAL", "GDP"]
INJECTED = ("2026-08-12", "6760955")


@pytest.fixture
def two_states(partial_mirror, fred_mirror: Path) -> tuple[Path, Path]:
    first = partial_mirror(IDS, until={"WALCL": "2026-08-19", "WRESBAL": "2026-08-19"})
    second = partial_mirror(IDS)
    path = second / "WALCL.csv"
    text = path.read_text(encoding="utf-8")
    published = fred_values(fred_mirror, "WALCL")[INJECTED[0]]
    assert f"{INJECTED[0]},{published:.0f}\n" in text
    path.write_text(text.replace(f"{INJECTED[0]},{published:.0f}\n", ",".join(INJECTED) + "\n"))
    return first, second


def test_changes_lists_new_observations_and_a_revision(
    capsys, two_states, tmp_path: Path, fred_mirror: Path
) -> None:
    first, second = two_states
    store = str(tmp_path / "store.db")
    assert run(capsys, "update", *IDS, "--mirror", str(first), "--store", store)[0] == 0
    assert run(capsys, "update", *IDS, "--mirror", str(second), "--store", store)[0] == 0
    code, out, err = run(capsys, "changes", "--json", "--store", store, "--mirror", str(second))
    assert code == 0, err
    data = json.loads(out)  # the result's fields, then the rendered "sections"
    new = {n["series_id"]: n for n in data["new_observations"]}
    assert set(new) == {"WALCL", "WRESBAL"}
    walcl = fred_values(fred_mirror, "WALCL")
    assert new["WALCL"]["count"] == 1
    assert new["WALCL"]["last"] == "2026-08-26"
    assert new["WALCL"]["value"] == pytest.approx(walcl["2026-08-26"] / 1000)
    assert new["WRESBAL"]["value"] == pytest.approx(
        fred_values(fred_mirror, "WRESBAL")["2026-08-26"] / 1000
    )
    (rev,) = data["revisions"]
    assert rev["series_id"] == "WALCL" and rev["date"] == INJECTED[0]
    assert rev["old"] == pytest.approx(walcl[INJECTED[0]] / 1000)  # 6,759.955
    assert rev["new"] == pytest.approx(float(INJECTED[1]) / 1000)  # 6,760.955 (injected)
    assert rev["vintage"] > data["since"]
    assert rev["unit"] == "USD billions"

    # The terminal face, in Simplified Chinese, and since a date (both updates are then new).
    code, out, _ = run(capsys, "changes", "--store", store, "--lang", "zh-CN")
    assert code == 0 and "数值修订" in out and "6,760.955" in out.replace(" ", "")
    code, out, _ = run(capsys, "changes", "--since", "2000-01-01", "--json", "--store", store)
    assert code == 0
    since_2000 = json.loads(out)
    new = {n["series_id"]: n for n in since_2000["new_observations"]}
    assert set(new) == set(IDS) and all(n["first_load"] for n in new.values())
    # every WALCL date is new once; the injected revision replaced a row written in the window
    assert new["WALCL"]["count"] == len(walcl) and new["WALCL"]["first"] == min(walcl)
    assert [r["date"] for r in since_2000["revisions"]] == [INJECTED[0]]


def test_changes_without_an_update(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "changes", "--store", str(tmp_path / "empty.db"))
    assert code == 1
    assert "no update has been recorded in this store yet" in err


def test_changes_is_the_first_report_section(two_states, tmp_path: Path) -> None:
    from tidegauge import Tidegauge

    first, second = two_states
    with Tidegauge(mirror=str(first), store_path=str(tmp_path / "s.db")) as tg:
        tg.update(IDS)
    with Tidegauge(mirror=str(second), store_path=str(tmp_path / "s.db")) as tg:
        tg.update(IDS)
        rep = tg.report(only=["changes", "liquidity"])
        assert rep.sections[0].id == "changes"
        from tidegauge.presentation.html import render_report
        from tidegauge.presentation.markdown import render_markdown

        html = render_report(rep, "zh-TW")
        assert "最新變化" in html and "數值修正" in html
        assert "What changed" in render_markdown(rep, "en")
        from rich.console import Console

        from tidegauge.presentation.terminal import print_report

        console = Console(record=True, width=160)
        print_report(rep, "en", console)
        text = console.export_text()
        assert "What changed" in text and "1 revisions" in text and "6,760.955" in text


def test_dashboard_overview_opens_with_what_changed(two_states, tmp_path: Path) -> None:
    import asyncio

    import httpx

    from tidegauge import Tidegauge
    from tidegauge.config import Settings
    from tidegauge.web import create_app

    first, second = two_states
    for mirror in (first, second):
        with Tidegauge(mirror=str(mirror), store_path=str(tmp_path / "d.db")) as tg:
            tg.update(IDS)
    app = create_app(Settings(store_path=tmp_path / "d.db", mirror=second))

    async def get(url: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await c.get(url)

    page = asyncio.run(get("/?lang=zh-TW")).text
    assert "最新變化" in page and "數值修正" in page
    assert page.index("最新變化") < page.index("總資產")  # at the top, above the headline figures
    api = asyncio.run(get("/api/changes")).json()
    assert [r["date"] for r in api["revisions"]] == [INJECTED[0]]


def test_a_first_load_is_not_reported_as_news(capsys, two_states, tmp_path: Path) -> None:
    first, _ = two_states
    store = str(tmp_path / "store.db")
    assert run(capsys, "update", *IDS, "--mirror", str(first), "--store", store)[0] == 0
    code, out, err = run(capsys, "changes", "--json", "--store", store, "--mirror", str(first))
    assert code == 0, err
    data = json.loads(out)
    assert {n["series_id"] for n in data["new_observations"]} == set(IDS)
    assert all(n["first_load"] for n in data["new_observations"])
    total = sum(n["count"] for n in data["new_observations"])
    code, out, _ = run(capsys, "changes", "--store", store, "--mirror", str(first))
    assert code == 0
    assert f"First load: {total:,} observations of {len(IDS)} series stored." in " ".join(
        out.split()
    )
    assert "new observations in" not in out


def test_a_window_without_stamps_needs_no_scan(mirror_session) -> None:
    """After the last update stamped nothing new, the report's "What changed" is empty: the
    short cut (no stamp in the window) and the full queries agree."""
    from tidegauge.alerts.changes import _stamped_rows, changes
    from tidegauge.store import utc_now

    conn = mirror_session.store._conn
    (newest,) = conn.execute("SELECT MAX(at) FROM stamps").fetchone()
    until = utc_now()
    assert _stamped_rows(conn, (newest, until)) == ([], [])
    assert changes(mirror_session, newest, until).empty
    revised, fresh = _stamped_rows(conn, ("0", newest))  # the whole history: every row is new
    assert not revised and {row[0] for row in fresh} >= {"WALCL", "GDP"}


def both_paths(tg: object, since: str, until: str, monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """``changes()`` as it runs, then with the short cut for a window that holds every stamp
    turned off (the general queries): the two ``to_dict()``."""
    from tidegauge.alerts import changes as module

    results = [module.changes(tg, since, until).to_dict()]
    with monkeypatch.context() as m:
        m.setattr(module, "_holds_every_stamp", lambda conn, window: False)
        results.append(module.changes(tg, since, until).to_dict())
    return results


def test_a_first_load_is_read_from_the_snapshots(mirror_session, monkeypatch) -> None:
    """Every catalog series loaded by one update: the window that holds every stamp reads the
    snapshots and gives what the general queries give (every series a first load)."""
    from tidegauge.alerts.changes import (
        _first_load_rows,
        _holds_every_stamp,
        _stamped_rows,
        resolve_since,
    )
    from tidegauge.store import utc_now

    conn = mirror_session.store._conn
    window = (resolve_since(mirror_session.store, "2000-01-01"), utc_now())
    assert _holds_every_stamp(conn, window)
    assert _first_load_rows(conn, window) == _stamped_rows(conn, window)
    fast, general = both_paths(mirror_session, *window, monkeypatch)
    assert fast == general
    new = {n["series_id"]: n for n in fast["new_observations"]}
    assert {"WALCL", "GDP", "DFF"} <= set(new) and all(n["first_load"] for n in new.values())


@pytest.fixture
def three_updates(two_states, tmp_path: Path) -> tuple[Path, Path, str]:
    """A store updated three times: state 1, state 2 with WRESBAL's latest week not yet
    published (an empty value, as FRED writes a missing one), state 2; with the mirror of state
    2 and that week's date."""
    import shutil

    from tidegauge import Tidegauge

    first, second = two_states
    pending = shutil.copytree(second, tmp_path / "pending")
    lines = (second / "WRESBAL.csv").read_text(encoding="utf-8").splitlines()
    latest = lines[-1].split(",")[0]
    (pending / "WRESBAL.csv").write_text("\n".join([*lines[:-1], f"{latest},"]) + "\n")
    store = tmp_path / "s.db"
    for mirror in (first, pending, second):
        with Tidegauge(mirror=str(mirror), store_path=str(store)) as tg:
            tg.update(IDS)
    return store, second, latest


def scanned_rows(conn: object, window: tuple[str, str]) -> tuple[list, list]:
    """The rows of a window as the general queries found them before ``stamp_series``, by
    scanning every row of the store (the reference)."""
    from tidegauge.store.compact import ISO_SQL, SERIES_KEY_SQL

    stamps = "(SELECT key FROM stamps WHERE at > ? AND at <= ?)"
    revised = conn.execute(  # type: ignore[attr-defined]
        f"SELECT k.id, {ISO_SQL.format('n.day')}, o.value, n.value, f.at FROM obs AS o "
        "CROSS JOIN obs AS n ON n.series = o.series AND n.day = o.day AND n.vf = o.vt "
        "JOIN series_keys AS k ON k.key = n.series JOIN stamps AS f ON f.key = n.vf "
        f"WHERE o.vt IN {stamps} ORDER BY k.id, n.day",
        window,
    ).fetchall()
    days = (
        f"COUNT(*), {ISO_SQL.format('MIN(n.day)')}, {ISO_SQL.format('MAX(n.day)')}, "
        f"{ISO_SQL.format('MAX(CASE WHEN n.value IS NOT NULL THEN n.day END)')}"
    )
    with_revisions = sorted({r[0] for r in revised})
    fresh = [
        r
        for r in conn.execute(  # type: ignore[attr-defined]
            f"SELECT k.id, {days} FROM obs AS n JOIN series_keys AS k ON k.key = n.series "
            f"WHERE n.vf IN {stamps} GROUP BY k.id ORDER BY k.id",
            window,
        ).fetchall()
        if r[0] not in with_revisions
    ]
    for sid in with_revisions:
        fresh += conn.execute(  # type: ignore[attr-defined]
            f"SELECT k.id, {days} FROM obs AS n JOIN series_keys AS k ON k.key = n.series "
            f"WHERE n.series = {SERIES_KEY_SQL} AND n.vf IN {stamps} "
            "AND NOT EXISTS (SELECT 1 FROM obs AS o WHERE o.series = n.series "
            "AND o.day = n.day AND o.vt = n.vf) GROUP BY k.id HAVING COUNT(*) > 0",
            (sid, *window),
        ).fetchall()
    return revised, sorted(fresh)


def test_the_rows_of_every_window_are_those_a_scan_finds(three_updates) -> None:
    """``stamp_series`` names the series (and first days) each stamp touched: between any two
    moments of three updates (before, between and after their stamps), the rows read through
    it are exactly those a scan of every row finds, and so is each series' first load."""
    from helpers import assert_stamp_series_exact
    from tidegauge import Tidegauge
    from tidegauge.alerts.changes import _first_loaded, _stamped_rows
    from tidegauge.store import utc_now

    store, _, _ = three_updates
    with Tidegauge(store_path=str(store)) as tg:
        conn = tg.store._conn
        assert_stamp_series_exact(conn)
        stamps = [at for (at,) in conn.execute("SELECT at FROM stamps ORDER BY at")]
        assert len(stamps) > len(IDS)  # the first update stamps each series, later ones more
        bounds = ["0", *stamps, utc_now()]
        windows = [(a, b) for i, a in enumerate(bounds) for b in bounds[i + 1 :]]
        found = [_stamped_rows(conn, w) for w in windows]
        assert found == [scanned_rows(conn, w) for w in windows]
        assert any(revised for revised, _ in found) and any(fresh for _, fresh in found)
        for sid in IDS:
            for since in bounds:
                (oldest,) = conn.execute(
                    "SELECT MIN(at) FROM stamps WHERE key IN (SELECT vf FROM obs WHERE series = "
                    "(SELECT key FROM series_keys WHERE id = ?))",
                    (sid,),
                ).fetchone()
                assert _first_loaded(conn, sid, since) == (oldest > since), (sid, since)


def test_a_revision_inside_a_first_load_window(
    three_updates, fred_mirror: Path, monkeypatch
) -> None:
    """Three updates: state 1, state 2 with WRESBAL's latest week not yet published (an empty
    value, as FRED writes a missing one), state 2. Since before all of them,
    every series is a first load and both revisions are listed; the short cut agrees with the
    general queries — also for a closed row that nothing replaced (an ALFRED history's
    withdrawn value) and when a snapshot does not account for its rows (the general queries
    answer)."""
    import sqlite3

    from tidegauge import Tidegauge
    from tidegauge.alerts import changed_rows as module
    from tidegauge.alerts.changes import _holds_every_stamp, resolve_since
    from tidegauge.alerts.changes import _stamped_rows as stamped
    from tidegauge.store import utc_now
    from tidegauge.store.alertstate import last_update_started

    store, second, latest = three_updates

    def check(*, falls_back: bool = False) -> dict:
        with Tidegauge(mirror=str(second), store_path=str(store)) as tg:
            conn = tg.store._conn
            since, now = resolve_since(tg.store, "2000-01-01"), utc_now()
            handed_over: list[object] = []  # the short cut's calls of the general queries
            with monkeypatch.context() as m:
                m.setattr(module, "_stamped_rows", lambda *a: handed_over.append(a) or stamped(*a))
                module._first_load_rows(conn, (since, now))
            assert bool(handed_over) == falls_back
            (newest,) = conn.execute("SELECT MAX(at) FROM stamps").fetchone()
            assert _holds_every_stamp(conn, (since, now))
            assert _holds_every_stamp(conn, (since, newest))
            last_update = last_update_started(tg.store)
            assert last_update is not None
            assert not _holds_every_stamp(conn, (last_update, now))
            assert not _holds_every_stamp(conn, (since, last_update))
            fast, general = both_paths(tg, since, now, monkeypatch)
            assert fast == general
            until_newest = both_paths(tg, since, newest, monkeypatch)[0]
            assert until_newest["new_observations"] == fast["new_observations"]
            return fast

    fast = check()
    revised = {r["series_id"]: r for r in fast["revisions"]}
    assert [revised["WALCL"]["date"], revised["WRESBAL"]["date"]] == [INJECTED[0], latest]
    wresbal = fred_values(fred_mirror, "WRESBAL")
    assert revised["WRESBAL"]["old"] is None
    assert revised["WRESBAL"]["new"] == pytest.approx(wresbal[latest] / 1000)
    new = {n["series_id"]: n for n in fast["new_observations"]}
    assert set(new) == set(IDS) and all(n["first_load"] for n in new.values())
    walcl = fred_values(fred_mirror, "WALCL")
    assert new["WALCL"]["count"] == len(walcl) and new["WALCL"]["first"] == min(walcl)
    assert new["WALCL"]["last"] == max(walcl)
    # WRESBAL's latest week was first stored without a value: "new" is about the rows that
    # replaced nothing, so its value is the week before's, not the current latest.
    assert new["WRESBAL"]["count"] == len(wresbal) and new["WRESBAL"]["last"] == latest
    before = max(d for d in wresbal if d < latest)
    assert new["WRESBAL"]["value"] == pytest.approx(wresbal[before] / 1000)

    def write(sql: str) -> None:
        conn = sqlite3.connect(store)
        with conn:
            conn.execute(sql)
        conn.close()

    write(  # GDP's latest value withdrawn: closed, not replaced
        "UPDATE obs SET vt = (SELECT key FROM stamps ORDER BY at DESC LIMIT 1) "
        "WHERE series = (SELECT key FROM series_keys WHERE id = 'GDP') AND day = "
        "(SELECT MAX(day) FROM obs WHERE series = (SELECT key FROM series_keys "
        "WHERE id = 'GDP'))"
    )
    assert check()["new_observations"] == fast["new_observations"]
    write(  # TREAST's snapshot out of step with its rows
        "UPDATE snapshots SET days = (SELECT days FROM snapshots WHERE series_id = 'WALCL'), "
        "vals = (SELECT vals FROM snapshots WHERE series_id = 'WALCL') "
        "WHERE series_id = 'TREAST'"
    )
    assert check(falls_back=True)["new_observations"] == fast["new_observations"]
