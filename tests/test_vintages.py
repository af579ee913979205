"""ALFRED vintages: ``update --vintages`` imports what FRED published on each day.

The local FRED stand-in (:mod:`fredserver`) serves every series' real mirror values as the vintage
of :data:`fredserver.CURRENT_VINTAGE`; the tests add earlier vintages in which the latest CPI and
unemployment figures differed from today's (first releases that were revised later — the revised
amounts are made up for the test, the current values are the mirror's). After the import,
``load(as_of=...)`` inside an old vintage returns the old value, the current load returns the
mirror, paging gives the same store, a failing or inconsistent page stores nothing, and ordinary
updates keep working on top of the imported history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from fredserver import CURRENT_VINTAGE, FredServer
from helpers import assert_stamp_series_exact
from tidegauge import Tidegauge
from tidegauge.config import Secret, Settings
from tidegauge.errors import ParseError, UsageError
from tidegauge.sources.base import Observation
from tidegauge.sources.fred import check_periods

API_KEY = "0123456789abcdef0123456789abcdef"
V1, V2 = "2026-06-10", "2026-07-15"  # two earlier CPI vintages (releases of April and May data)


@pytest.fixture
def server(fred_mirror: Path) -> Iterator[FredServer]:
    with FredServer(fred_mirror) as s:
        yield s


def settings(server: FredServer, tmp_path: Path, *, api: bool = True, **kw: object) -> Settings:
    values: dict[str, object] = {
        "store_path": tmp_path / "store.db",
        "fred_url": server.url,
        "fred_api_url": server.api_url,
        "api_key": Secret(API_KEY) if api else None,
        "rate": 100.0,
        "timeout": 2.0,
        "max_attempts": 2,
        "backoff_base": 0.01,
        "backoff_max": 0.02,
    }
    values.update(kw)
    return Settings(**values)  # type: ignore[arg-type]


def mirror(fred_mirror: Path, sid: str) -> dict[str, float | None]:
    lines = (fred_mirror / f"{sid}.csv").read_text().splitlines()[1:]
    pairs = (line.split(",") for line in lines if line)
    return {d: (float(v) if v.strip() not in ("", ".") else None) for d, v in pairs}


def cpi_history(server: FredServer, fred_mirror: Path) -> dict[str, float]:
    """Two earlier CPIAUCSL vintages; returns the mirror values of the three dates involved."""
    cpi = mirror(fred_mirror, "CPIAUCSL")
    apr, may, jun = (cpi[d] for d in ("2026-04-01", "2026-05-01", "2026-06-01"))
    assert apr is not None and may is not None and jun is not None
    server.add_vintage(
        "CPIAUCSL",
        V1,
        last_date="2026-05-01",
        changes={"2026-04-01": f"{apr + 0.15:.3f}", "2026-05-01": f"{may - 0.1:.3f}"},
    )
    server.add_vintage(
        "CPIAUCSL", V2, last_date="2026-06-01", changes={"2026-05-01": f"{may - 0.05:.3f}"}
    )
    return {"apr": apr, "may": may, "jun": jun}


def dump(tg: Tidegauge, sid: str) -> tuple[list[tuple[object, ...]], object, object]:
    """Everything the store holds for ``sid``: vintage rows, packed snapshot, series row."""
    conn = tg.store._conn
    rows = conn.execute(
        "SELECT date, value, valid_from, valid_to FROM observations WHERE series_id = ? "
        "ORDER BY date, valid_from",
        (sid,),
    ).fetchall()
    snap = conn.execute("SELECT days, vals FROM snapshots WHERE series_id = ?", (sid,)).fetchone()
    series = conn.execute(
        "SELECT last_date, n_obs, vintages, last_updated FROM series WHERE id = ?", (sid,)
    ).fetchone()
    return rows, snap, series


def at(tg: Tidegauge, sid: str, as_of: str | None) -> pd.Series:
    import warnings

    from tidegauge.errors import NoVintageWarning

    with warnings.catch_warnings():  # an empty answer is what some tests ask for
        warnings.simplefilter("ignore", NoVintageWarning)
        return tg.load([sid], as_of=as_of, fetch_missing=False)[sid].dropna()


# -- the import -------------------------------------------------------------------------------
def test_import_gives_point_in_time_values(
    server: FredServer, fred_mirror: Path, tmp_path: Path
) -> None:
    v = cpi_history(server, fred_mirror)
    cpi = mirror(fred_mirror, "CPIAUCSL")
    with Tidegauge(settings(server, tmp_path)) as tg:
        tg.update(["CPIAUCSL"])  # first-seen history, replaced by the import
        assert tg.store.series("CPIAUCSL").vintages == "observed"  # type: ignore[union-attr]
        report = tg.update(["CPIAUCSL"], vintages=True)
        assert report.ok, report.failed
        [r] = report.results
        # 3 superseded rows: April in V1, May in V1 and in V2; one row per date besides
        assert (r.status, r.revised, r.vintages, r.first_vintage) == ("ok", 3, len(cpi) + 3, V1)
        assert r.new == 0  # every current date was already stored
        assert tg.store.series("CPIAUCSL").vintages == "alfred"  # type: ignore[union-attr]

        current = at(tg, "CPIAUCSL", None)
        expected = pd.Series({pd.Timestamp(d): x for d, x in cpi.items() if x is not None})
        assert current.to_dict() == expected.to_dict()  # exactly the mirror (index units: 1)

        june = at(tg, "CPIAUCSL", "2026-06-20")  # inside V1
        assert june.index[-1] == pd.Timestamp("2026-05-01")
        assert june[pd.Timestamp("2026-05-01")] == pytest.approx(v["may"] - 0.1, abs=1e-9)
        assert june[pd.Timestamp("2026-04-01")] == pytest.approx(v["apr"] + 0.15, abs=1e-9)
        july = at(tg, "CPIAUCSL", "2026-07-20")  # inside V2
        assert july.index[-1] == pd.Timestamp("2026-06-01")
        assert july[pd.Timestamp("2026-05-01")] == pytest.approx(v["may"] - 0.05, abs=1e-9)
        assert july[pd.Timestamp("2026-04-01")] == v["apr"]
        # the last day of V2 still shows V2; the day the current vintage starts shows it
        assert at(tg, "CPIAUCSL", "2026-08-26")[pd.Timestamp("2026-05-01")] == pytest.approx(
            v["may"] - 0.05, abs=1e-9
        )
        assert at(tg, "CPIAUCSL", CURRENT_VINTAGE).to_dict() == current.to_dict()
        assert at(tg, "CPIAUCSL", "2026-06-09").empty  # before ALFRED's first vintage

        periods = tg.store.vintages("CPIAUCSL", "2026-05-01")
        assert [p[0] for p in periods] == pytest.approx([v["may"] - 0.1, v["may"] - 0.05, v["may"]])
        assert [(p[1][:10], p[2][:10] if p[2] else None) for p in periods] == [
            (V1, V2),  # valid_to is exclusive: the day after realtime_end
            (V2, CURRENT_VINTAGE),
            (CURRENT_VINTAGE, None),
        ]
        assert tg.store.integrity_check() == "ok"


def test_paging_gives_the_same_store(server: FredServer, fred_mirror: Path, tmp_path: Path) -> None:
    cpi_history(server, fred_mirror)
    stores = []
    for name, limit in (("whole", None), ("paged", 100)):
        with Tidegauge(settings(server, tmp_path, store_path=tmp_path / f"{name}.db")) as tg:
            if limit:
                tg.source.page_limit = limit  # type: ignore[attr-defined]
            server.reset_log()
            [r] = tg.update(["CPIAUCSL"], vintages=True).results
            pages = server.requests("CPIAUCSL", "/fred/series/observations")
            stores.append(dump(tg, "CPIAUCSL"))
        n_rows = r.vintages
        if limit:
            assert len(pages) == -(-n_rows // limit) > 5
            assert [int(p.params["offset"]) for p in pages] == list(range(0, n_rows, limit))
        else:
            assert len(pages) == 1
        for p in pages:  # the full ALFRED period, observations by real-time period
            assert p.params["realtime_start"] == "1776-07-04"
            assert p.params["realtime_end"] == "9999-12-31"
            assert p.params["output_type"] == "1"
            assert p.params["api_key"] == "***" and p.api_key
    (rows_a, snap_a, series_a), (rows_b, snap_b, series_b) = stores
    assert rows_a == rows_b and snap_a == snap_b
    assert series_a == series_b


@pytest.mark.parametrize("kind", ["500", "overlap", "disorder"])
def test_a_failing_page_leaves_the_store_as_it_was(
    server: FredServer, fred_mirror: Path, tmp_path: Path, kind: str
) -> None:
    cpi_history(server, fred_mirror)
    with Tidegauge(settings(server, tmp_path)) as tg:
        tg.update(["CPIAUCSL"])
        before = dump(tg, "CPIAUCSL")
        tg.source.page_limit = 100  # type: ignore[attr-defined]
        # metadata and two pages go through; then every request fails (500) or the pages are
        # inconsistent (overlapping or swapped periods: the history on page 1)
        after = 3 if kind == "500" else 1
        server.inject("CPIAUCSL", kind, times=None, after=after, retry_after=0)
        [r] = tg.update(["CPIAUCSL"], vintages=True).results
        assert r.status == "failed"
        if kind != "500":
            assert isinstance(r.exc, ParseError)
            key = "overlap" if kind == "overlap" else "out_of_order"
            assert r.exc.key == f"errors.vintages.{key}"
        assert dump(tg, "CPIAUCSL") == before  # rows, snapshot, and still "observed"
        logged = tg.store._conn.execute("SELECT error FROM updates").fetchall()
        assert API_KEY not in f"{r.error} {r.exc!r} {logged}"  # the key is never shown
        assert tg.store.integrity_check() == "ok"
        server.clear_faults()
        assert tg.update(["CPIAUCSL"], vintages=True).ok  # the next import completes


def test_check_periods_rejects_overlap_and_disorder() -> None:
    d = dt.date(2020, 1, 1)
    a = Observation(d, 1.0, dt.date(2020, 2, 14), dt.date(2020, 3, 12))
    b = Observation(d, 1.1, dt.date(2020, 3, 13), None)
    check_periods([a, b, Observation(dt.date(2020, 2, 1), 2.0, dt.date(2020, 3, 13), None)], "X")
    cases = {
        "overlap": [a, Observation(d, 1.1, dt.date(2020, 3, 12), None)],  # starts on a's last day
        "out_of_order": [b, a],
        "reversed": [Observation(d, 1.0, dt.date(2020, 3, 1), dt.date(2020, 2, 1))],
        "no_period": [Observation(d, 1.0)],
    }
    for key, rows in cases.items():
        with pytest.raises(ParseError) as excinfo:
            check_periods(rows, "X")
        assert excinfo.value.key == f"errors.vintages.{key}"
        assert "\n" not in str(excinfo.value)


# -- after the import -------------------------------------------------------------------------
def test_incremental_update_after_import(
    server: FredServer, fred_mirror: Path, tmp_path: Path
) -> None:
    v = cpi_history(server, fred_mirror)
    with Tidegauge(settings(server, tmp_path)) as tg:
        assert tg.update(["CPIAUCSL"], vintages=True).ok
        again = tg.update(["CPIAUCSL"])  # last_updated has not moved: nothing is downloaded
        assert [r.status for r in again.results] == ["unchanged"]

        server.revise("CPIAUCSL", "2026-06-01", "333.000")  # a revision after the import
        before = dt.datetime.now(dt.UTC)
        [r] = tg.update(["CPIAUCSL"]).results
        assert (r.status, r.new, r.revised) == ("ok", 0, 1)
        periods = tg.store.vintages("CPIAUCSL", "2026-06-01")
        assert [p[0] for p in periods] == [v["jun"], 333.0]
        (_, old_from, old_to), (_, new_from, new_to) = periods
        assert old_from[:10] == V2 and old_to == new_from and new_to is None
        assert new_from >= before.isoformat()  # first seen by this update
        assert tg.store.series("CPIAUCSL").vintages == "alfred"  # type: ignore[union-attr]
        assert at(tg, "CPIAUCSL", None)[pd.Timestamp("2026-06-01")] == 333.0
        assert at(tg, "CPIAUCSL", "2026-07-20")[pd.Timestamp("2026-06-01")] == v["jun"]
        assert tg.store.integrity_check() == "ok"
        assert_stamp_series_exact(tg.store._conn)  # the import replaced the series' stamps


def test_checklist_point_in_time_uses_the_vintage(
    server: FredServer,
    fred_mirror: Path,
    other_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tidegauge.analysis.asof import snapshot
    from tidegauge.analysis.checklist import checklist

    monkeypatch.setenv("TIDEGAUGE_DATAHUB_MIRROR", str(other_data))
    unrate = mirror(fred_mirror, "UNRATE")
    assert unrate["2026-03-01"] == 4.3
    # the March figure as first published (made up: 4.6, revised to the mirror's 4.3 later)
    server.add_vintage(
        "UNRATE", "2026-04-03", last_date="2026-03-01", changes={"2026-03-01": "4.6"}
    )
    day = "2026-04-20"
    with Tidegauge(settings(server, tmp_path)) as tg:
        lag = checklist(tg, as_of=day).condition("low_unemployment")  # first-seen history only
        assert snapshot(tg, ["UNRATE"], day).method["UNRATE"] == "lag"
        assert tg.update(["UNRATE"], vintages=True).ok
        snap = snapshot(tg, ["UNRATE"], day)
        assert snap.method["UNRATE"] == "vintage"
        assert snap.last_date("UNRATE") == dt.date(2026, 3, 1)
        cond = checklist(tg, as_of=day).condition("low_unemployment")
    assert cond.value == 4.6 and cond.as_of == dt.date(2026, 3, 1)
    assert lag.value == 4.3  # without vintages: today's (revised) values, lagged


# -- errors and the command line --------------------------------------------------------------
def test_vintages_need_the_api(server: FredServer, fred_mirror: Path, tmp_path: Path) -> None:
    with Tidegauge(settings(server, tmp_path, api=False)) as tg, pytest.raises(UsageError) as e:
        tg.update(["WALCL"], vintages=True)
    assert e.value.key == "errors.vintages.needs_key" and "FRED_API_KEY" in str(e.value)
    with (
        Tidegauge(settings(server, tmp_path, mirror=fred_mirror)) as tg,
        pytest.raises(UsageError) as e,
    ):
        tg.update(["WALCL"], vintages=True)
    assert e.value.key == "errors.vintages.not_supported"
    with Tidegauge(settings(server, tmp_path)) as tg:
        [r] = tg.update(["SPX_SHILLER"], vintages=True).results  # not a FRED series
        assert r.status == "failed" and r.exc is not None
        assert r.exc.key == "errors.vintages.not_fred"
        assert not server.log  # nothing was asked of FRED


def _env(server: FredServer, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "TIDEGAUGE_FRED_URL": server.url,
        "TIDEGAUGE_FRED_API_URL": server.api_url,
        "TIDEGAUGE_STORE": str(tmp_path / "cli.db"),
        "TIDEGAUGE_MIRROR": "",
        "TIDEGAUGE_RATE": "100",
        "TIDEGAUGE_LANG": "",
        "COLUMNS": "200",
        **extra,
    }


def test_cli_imports_vintages(server: FredServer, fred_mirror: Path, tmp_path: Path) -> None:
    from tidegauge.cli import cli

    cpi_history(server, fred_mirror)
    env = _env(server, tmp_path, FRED_API_KEY=API_KEY)
    result = CliRunner().invoke(cli, ["update", "--vintages", "CPIAUCSL", "WALCL"], env=env)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "ALFRED vintages from FRED API" in out
    n_cpi, n_walcl = len(mirror(fred_mirror, "CPIAUCSL")), len(mirror(fred_mirror, "WALCL"))
    rows = {
        cells[0]: cells[1:7]
        for line in out.splitlines()
        if line.startswith("│")
        for cells in [line.replace("│", " ").split()]
    }
    # new, revisions, vintage rows, first vintage, latest date
    assert rows["CPIAUCSL"] == ["ok", str(n_cpi), "3", str(n_cpi + 3), V1, "2026-07-01"]
    assert rows["WALCL"] == ["ok", str(n_walcl), "0", str(n_walcl), CURRENT_VINTAGE, "2026-08-26"]
    assert f"{n_cpi + 3 + n_walcl} vintage rows, 3 revisions" in out
    assert API_KEY not in out and API_KEY not in (result.stderr or "")
    with Tidegauge(settings(server, tmp_path, store_path=tmp_path / "cli.db")) as tg:
        assert {s.id: s.vintages for s in tg.store.all_series()} == {
            "CPIAUCSL": "alfred",
            "WALCL": "alfred",
        }
    zh = CliRunner().invoke(cli, ["update", "--vintages", "WALCL", "--lang", "zh-TW"], env=env)
    assert zh.exit_code == 0 and "ALFRED 資料版本" in zh.output and "版本列數" in zh.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["update", "--vintages", "WALCL"], "--vintages needs the FRED API: set FRED_API_KEY"),
        (["update", "--vintages", "WALCL", "--lang", "zh-CN"], "请设置 FRED_API_KEY"),
    ],
)
def test_cli_without_key_is_one_line(
    server: FredServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    needle: str,
) -> None:
    from tidegauge.cli import cli

    monkeypatch.delenv("FRED_API_KEY", raising=False)
    result = CliRunner().invoke(cli, args, env=_env(server, tmp_path))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], result.output
    assert "Traceback" not in result.output
    assert not server.log


def test_cli_mirror_is_not_supported(
    fred_mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tidegauge.cli import cli

    monkeypatch.setenv("FRED_API_KEY", API_KEY)
    result = CliRunner().invoke(
        cli,
        ["update", "--vintages", "--mirror", str(fred_mirror), "--store", str(tmp_path / "m.db")],
    )
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "--vintages is not supported by source" in lines[0]


def test_old_store_is_migrated(tmp_path: Path) -> None:
    """A store made before the ``vintages`` column gets it (default ``observed``) on open."""
    import sqlite3

    from tidegauge.store import Store

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE series (id TEXT PRIMARY KEY, source TEXT NOT NULL, title TEXT, units TEXT, "
        "frequency TEXT, last_updated TEXT, fetched_at TEXT NOT NULL, first_date TEXT, "
        "last_date TEXT, n_obs INTEGER NOT NULL DEFAULT 0)"
    )
    conn.execute(
        "INSERT INTO series (id, source, fetched_at, n_obs) VALUES ('WALCL', 'fred', 'x', 0)"
    )
    conn.commit()
    conn.close()
    for _ in range(2):  # idempotent
        with Store(path) as store:
            stored = store.series("WALCL")
            assert stored is not None and stored.vintages == "observed"
