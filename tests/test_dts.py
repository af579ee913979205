"""The Daily Treasury Statement source: the mirror file offline, and the Fiscal Data API against
a real server on 127.0.0.1 (tests/dtsserver.py) with paging, pacing and the same faults as the
FRED stand-in. The store must hold exactly the file's values (USD millions), or its last good
data when a fetch fails."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dtsserver import ACCOUNT, DTS_FAULTS, DtsServer
from fredserver import TRANSIENT_FAULTS
from helpers import ATTEMPTS, FAST_RETRIES, run
from tidegauge import Tidegauge
from tidegauge.config import Settings
from tidegauge.errors import NotInSource, ParseError
from tidegauge.sources.base import Query
from tidegauge.sources.dts import DtsSource, parse_dts_csv, parse_dts_pages

PAGE = 100  # rows per page in these tests: the 1,111 rows of the file take 12 pages
FILE = "DTS_TGA_closing_balance_daily.csv"


def file_values(other: Path) -> dict[str, float]:
    """The mirror file read independently of tidegauge's parser (USD millions)."""
    lines = (other / FILE).read_text(encoding="utf-8").splitlines()[1:]
    return {d: float(v) for d, v in (line.split(",") for line in lines if line)}


@pytest.fixture
def server(other_data: Path) -> Iterator[DtsServer]:
    with DtsServer(other_data) as s:
        yield s


@pytest.fixture
def online(
    server: DtsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """Settings without a mirror, the API's base URL set to the stand-in, small pages."""
    monkeypatch.setenv("TIDEGAUGE_DTS_URL", server.url)
    monkeypatch.delenv("TIDEGAUGE_DTS_MIRROR", raising=False)
    monkeypatch.setattr(DtsSource, "page_size", PAGE)
    yield settings(tmp_path)


def settings(tmp_path: Path, **kw: object) -> Settings:
    values: dict[str, object] = {"store_path": tmp_path / "store.db", **FAST_RETRIES}
    return Settings(**(values | kw))  # type: ignore[arg-type]


def stored(tg: Tidegauge) -> dict[str, float | None]:
    return dict(tg.store.observations("DTS_TGA"))


def fault_options(kind: str) -> dict[str, object]:
    return {"retry_after": 0} if kind == "429" else {"slow_seconds": 1.0} if kind == "slow" else {}


# -- the mirror file --------------------------------------------------------------------------
def test_parse_mirror_file(other_data: Path) -> None:
    obs = parse_dts_csv((other_data / FILE).read_bytes())
    assert len(obs) == 1111  # SOURCES.csv: 1111 rows, 2022-04-18 .. 2026-09-22
    assert (obs[0].date, obs[0].value) == (dt.date(2022, 4, 18), 841253.0)
    assert (obs[-1].date, obs[-1].value) == (dt.date(2026, 9, 22), 957409.0)
    assert {o.date: o.value for o in obs} == {
        dt.date.fromisoformat(d): v for d, v in file_values(other_data).items()
    }


def test_every_wednesday_equals_wdtgal(other_data: Path, fred_mirror: Path) -> None:
    # Both are the TGA at the close of business: the DTS and the H.4.1 agree on every Wednesday
    # (SOURCES.csv: 228 Wednesdays, 0 differ). A units mix-up would be off by 1000.
    dts = file_values(other_data)
    lines = (fred_mirror / "WDTGAL.csv").read_text().splitlines()[1:]
    wdtgal = {d: float(v) for d, v in (ln.split(",") for ln in lines) if v}
    wednesdays = [d for d in dts if dt.date.fromisoformat(d).weekday() == 2 and d in wdtgal]
    assert len(wednesdays) >= 228
    assert all(dts[d] == wdtgal[d] for d in wednesdays)
    assert dts["2024-06-26"] == wdtgal["2024-06-26"] == 744206.0


def test_offline_from_the_mirror_sibling_folder(mirror_session, other_data: Path) -> None:
    # The FRED mirror is ../shared/data/fred; the DTS file is read from ../shared/data/other.
    s = mirror_session.series("DTS_TGA")
    assert s.loc["2024-06-26"] == pytest.approx(744.206)  # USD millions -> billions
    assert len(s) == 1111
    assert mirror_session.store.series("DTS_TGA").source == "dts"


HEAD = "record_date,tga_closing_balance_usd_mn\n"


@pytest.mark.parametrize(
    "text, key",
    [
        ("date,value\n2024-06-26,1\n", "errors.dts.not_dts_csv"),
        (HEAD + "2024-06-26,12.3.4\n", "errors.parse.malformed_value"),
        (HEAD + "2024-06-27,1\n2024-06-26,2\n", "errors.parse.out_of_order"),
        (HEAD + "26/06/2024,1\n", "errors.parse.malformed_date"),
        ("", "errors.parse.empty"),
    ],
)
def test_bad_mirror_file(text: str, key: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_dts_csv(text)
    assert info.value.key == key


def test_mirror_without_the_file(partial_mirror, tmp_path: Path) -> None:
    # a mirror whose sibling folder has no DTS file: skipped in a whole-catalog update, failed
    # with a one-line reason naming the file when asked for by id
    mirror = partial_mirror(["WALCL"])
    with Tidegauge(mirror=str(mirror), store_path=str(tmp_path / "s.db")) as tg:
        assert {r.series_id: r.status for r in tg.update().results}["DTS_TGA"] == "skipped"
        [result] = tg.update(["DTS_TGA"]).results
    assert result.status == "failed"
    assert FILE in (result.error or "") and "TIDEGAUGE_DTS_MIRROR" in (result.error or "")


def test_unknown_id_is_not_in_source(tmp_path: Path) -> None:
    with pytest.raises(NotInSource):
        DtsSource(settings(tmp_path), base_url="http://127.0.0.1:9").fetch(Query("WALCL"))


# -- paging as a property ---------------------------------------------------------------------
def _pages(rows: list[tuple[str, str]], size: int) -> list[bytes]:
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]
    return [
        json.dumps(
            {
                "data": [{"record_date": d, "open_today_bal": v} for d, v in chunk],
                "meta": {"total-count": len(rows), "total-pages": len(chunks)},
            }
        ).encode()
        for chunk in chunks
    ]


@given(
    values=st.lists(st.integers(min_value=0, max_value=2_000_000), min_size=0, max_size=40),
    size=st.integers(min_value=1, max_value=50),
)
def test_paging_does_not_change_the_observations(values: list[int], size: int) -> None:
    start = dt.date(2024, 1, 1)
    rows = [((start + dt.timedelta(days=i)).isoformat(), str(v)) for i, v in enumerate(values)]
    whole = parse_dts_pages(_pages(rows, max(1, len(rows))))
    assert parse_dts_pages(_pages(rows, size)) == whole
    assert [o.value for o in whole] == [float(v) for v in values]


def test_rows_must_add_up_to_total_count() -> None:
    pages = _pages([("2024-01-02", "1"), ("2024-01-03", "2")], 1)[:1]  # the second page lost
    with pytest.raises(ParseError) as info:
        parse_dts_pages(pages)
    assert info.value.key == "errors.dts.short"


# -- the API against the stand-in ---------------------------------------------------------------
def test_cold_update_pages_through_everything(
    server: DtsServer, online: Settings, other_data: Path
) -> None:
    with Tidegauge(online) as tg:
        report = tg.update(["DTS_TGA"])
        assert report.ok, report.failed
        values = stored(tg)
    expected = file_values(other_data)
    assert values == {d: v for d, v in expected.items()}
    assert len(server.log) == 12  # ceil(1111 / 100)
    assert [int(r.params["page[number]"]) for r in server.log] == list(range(1, 13))
    first = server.log[0].params
    assert first["filter"] == f"account_type:eq:{ACCOUNT}"
    assert first["fields"] == "record_date,open_today_bal"
    assert first["sort"] == "record_date" and first["page[size]"] == str(PAGE)


def test_second_update_asks_only_for_the_recent_window(server: DtsServer, online: Settings) -> None:
    with Tidegauge(online) as tg:
        assert tg.update(["DTS_TGA"]).ok
        server.reset_log()
        server.revise("2026-09-18", "985000")
        warm = tg.update(["DTS_TGA"])
        assert warm.ok
        [result] = warm.results
        assert (result.new, result.revised) == (0, 1)
        assert len(tg.store.vintages("DTS_TGA", "2026-09-18")) == 2  # the old value is kept
    [req] = server.log  # 45 days before the last stored date, one page
    assert req.params["filter"] == f"account_type:eq:{ACCOUNT},record_date:gte:2026-08-08"


@pytest.mark.parametrize("kind", TRANSIENT_FAULTS)
def test_transient_fault_is_retried(
    server: DtsServer, online: Settings, other_data: Path, kind: str
) -> None:
    # page 3 fails ATTEMPTS-1 times, then the last allowed attempt gets through
    server.inject(kind, times=ATTEMPTS - 1, after=2, **fault_options(kind))
    with Tidegauge(online) as tg:
        assert tg.update(["DTS_TGA"]).ok
        assert stored(tg) == file_values(other_data)
        assert tg.store.integrity_check() == "ok"
    assert [r.fault for r in server.log if r.fault] == [kind] * (ATTEMPTS - 1)


@pytest.mark.parametrize("kind", DTS_FAULTS)
def test_permanent_fault_keeps_the_last_good_data(
    server: DtsServer, online: Settings, other_data: Path, kind: str
) -> None:
    with Tidegauge(online) as tg:
        assert tg.update(["DTS_TGA"], full=True).ok
        server.revise("2024-06-26", "1")
        server.inject(kind, times=None, after=1, **fault_options(kind))  # page 2 onwards
        [result] = tg.update(["DTS_TGA"], full=True).results
        assert result.status == "failed" and result.error
        assert "\n" not in result.error
        assert stored(tg) == file_values(other_data)  # nothing of the failed fetch
        assert tg.store.integrity_check() == "ok"


@pytest.mark.parametrize("kind", ["html", "cut", "malformed", "count_changed"])
def test_bad_second_page_on_a_cold_store_stores_nothing(
    server: DtsServer, online: Settings, other_data: Path, kind: str
) -> None:
    server.inject(kind, times=1, after=1)
    with Tidegauge(online) as tg:
        [result] = tg.update(["DTS_TGA"]).results
        assert result.status == "failed"
        assert tg.store.series("DTS_TGA") is None
        assert tg.update(["DTS_TGA"]).ok  # the next update gets good pages
        assert stored(tg) == file_values(other_data)


def test_pacing_keeps_request_rate_at_most_rate(
    server: DtsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rate = 5
    monkeypatch.setenv("TIDEGAUGE_DTS_URL", server.url)
    monkeypatch.setattr(DtsSource, "page_size", PAGE)
    with Tidegauge(settings(tmp_path, rate=float(rate))) as tg:
        assert tg.update(["DTS_TGA"]).ok
    times = sorted(r.t for r in server.log)
    assert len(times) == 12
    # no rate+1 requests inside any one-second window (50 ms allowed for server-side jitter)
    assert min(times[i + rate] - times[i] for i in range(len(times) - rate)) >= 0.95


def test_cli_update_against_the_stand_in(
    capsys: pytest.CaptureFixture[str], server: DtsServer, online: Settings
) -> None:
    code, out, err = run(capsys, "update", "DTS_TGA", "--store", str(online.store_path))
    assert code == 0, err
    assert "DTS_TGA" in out
    server.inject("500", times=None)
    code, out, err = run(capsys, "update", "DTS_TGA", "--store", str(online.store_path))
    assert code != 0 and "Traceback" not in out + err


def test_the_pages_together_are_bounded_like_one_body(
    server: DtsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page is at most TIDEGAUGE_MAX_BODY_MB, and so are all the pages of one fetch: a
    server that claims thousands of pages cannot fill the memory."""
    monkeypatch.setenv("TIDEGAUGE_DTS_URL", server.url)
    monkeypatch.setattr(DtsSource, "page_size", PAGE)
    with Tidegauge(settings(tmp_path, max_body_mb=0.02)) as tg:  # about 2 pages of 100 rows
        [result] = tg.update(["DTS_TGA"]).results
        assert result.status == "failed"
        assert "TIDEGAUGE_MAX_BODY_MB" in (result.error or "")
        assert tg.store.series("DTS_TGA") is None
    assert 1 < len(server.log) < 12


def test_a_fifo_instead_of_the_mirror_file_fails_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from tidegauge.errors import SourceError

    folder = tmp_path / "other"
    folder.mkdir()
    os.mkfifo(folder / FILE)
    monkeypatch.setenv("TIDEGAUGE_DTS_MIRROR", str(folder))
    source = DtsSource(settings(tmp_path))
    with pytest.raises(SourceError, match="FIFO"):
        source.fetch(Query("DTS_TGA"))
