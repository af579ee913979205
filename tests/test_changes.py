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
