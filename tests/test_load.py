"""``Tidegauge.load`` / ``tidegauge.load``: ids, windows, attrs, fetching what the store lacks."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

import tidegauge
from tidegauge import Tidegauge
from tidegauge.errors import NoDataError, SeriesNotFound, SourceError, UsageError
from tidegauge.sources.csvparse import parse_fred_csv


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TIDEGAUGE_STORE", "TIDEGAUGE_MIRROR", "TIDEGAUGE_LANG", "FRED_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def mirror_series(fred_mirror: Path, sid: str) -> dict[str, float | None]:
    obs = parse_fred_csv((fred_mirror / f"{sid}.csv").read_bytes(), sid)
    return {o.date.isoformat(): o.value for o in obs}


def test_ids_are_case_insensitive_and_deduplicated(mirror_session: Tidegauge) -> None:
    df = mirror_session.load(["walcl", "Rrpontsyd", "WALCL"])
    assert list(df.columns) == ["WALCL", "RRPONTSYD"]
    assert df.index.name == "date"
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert list(mirror_session.load("dgs10").columns) == ["DGS10"]


def test_attrs_as_of_and_units(mirror_session: Tidegauge, fred_mirror: Path) -> None:
    df = mirror_session.load(["WALCL", "RRPONTSYD", "DGS10"])
    for sid in ("WALCL", "RRPONTSYD", "DGS10"):
        raw = mirror_series(fred_mirror, sid)
        assert df.attrs["as_of"][sid] == max(d for d, v in raw.items() if v is not None)
    assert df.attrs["as_of"]["WALCL"] == "2026-08-26"  # last line of the mirror's WALCL.csv
    assert df.attrs["units"] == {
        "WALCL": "USD billions",
        "RRPONTSYD": "USD billions",
        "DGS10": "percent",
    }
    assert set(df.attrs["fetched_at"]) == {"WALCL", "RRPONTSYD", "DGS10"}
    assert all(df.attrs["fetched_at"].values())


def test_values_are_canonical(mirror_session: Tidegauge, fred_mirror: Path) -> None:
    df = mirror_session.load(["WALCL", "RRPONTSYD", "DGS10"])
    walcl = mirror_series(fred_mirror, "WALCL")
    rrp = mirror_series(fred_mirror, "RRPONTSYD")
    assert df.loc["2008-09-10", "WALCL"] == 925.725
    assert df.loc["2022-12-30", "RRPONTSYD"] == 2553.716  # already billions
    for date, value in df["WALCL"].dropna().items():
        assert value == walcl[date.strftime("%Y-%m-%d")] / 1000
    # A missing RRP day on which other series have values stays missing (NaN), it is not zero.
    gaps = [pd.Timestamp(d) for d, v in rrp.items() if v is None]
    in_frame = [d for d in gaps if d in df.index]
    assert len(in_frame) > 100
    assert df.loc[in_frame, "RRPONTSYD"].isna().all()


def test_rows_missing_everywhere_are_dropped(mirror_session: Tidegauge, fred_mirror: Path) -> None:
    rrp = mirror_series(fred_mirror, "RRPONTSYD")
    df = mirror_session.load("RRPONTSYD")
    assert len(df) == sum(v is not None for v in rrp.values())
    assert not df["RRPONTSYD"].isna().any()


def test_start_end_window_is_inclusive(mirror_session: Tidegauge, fred_mirror: Path) -> None:
    walcl = mirror_series(fred_mirror, "WALCL")
    df = mirror_session.load("WALCL", start="2020-01-01", end="2020-12-31")
    expected = sorted(d for d in walcl if "2020-01-01" <= d <= "2020-12-31")
    assert [d.strftime("%Y-%m-%d") for d in df.index] == expected
    one = mirror_session.load("WALCL", start=dt.date(2008, 9, 10), end="2008-09-10")
    assert one["WALCL"].tolist() == [925.725]
    only_start = mirror_session.load("WALCL", start="2026-08-01")
    assert only_start.index.min() >= pd.Timestamp("2026-08-01")
    assert only_start.attrs["as_of"]["WALCL"] == "2026-08-26"


def test_bad_windows_and_ids(mirror_session: Tidegauge) -> None:
    with pytest.raises(UsageError, match="after"):
        mirror_session.load("WALCL", start="2021-01-01", end="2020-01-01")
    with pytest.raises(UsageError, match="start '2020-02-30' is not a date"):
        mirror_session.load("WALCL", start="2020-02-30")
    with pytest.raises(UsageError, match="end"):
        mirror_session.load("WALCL", end="31/12/2020")
    with pytest.raises(SeriesNotFound, match="WALCL"):
        mirror_session.load(["WALC"])


def test_series_returns_no_missing_values(mirror_session: Tidegauge) -> None:
    s = mirror_session.series("rrpontsyd", start="2022-12-01", end="2022-12-31")
    assert s.name == "RRPONTSYD"
    assert not s.isna().any()
    assert s.max() == 2553.716 and s.idxmax() == pd.Timestamp("2022-12-30")
    assert s.attrs == {"as_of": "2022-12-30", "unit": "USD billions"}
    with pytest.raises(NoDataError, match="WALCL"):
        mirror_session.series("WALCL", start="1990-01-01", end="1990-12-31")


# --------------------------------------------------------------------------- fetch missing


def test_load_fetches_a_series_the_store_lacks(tmp_path: Path, fred_mirror: Path) -> None:
    with Tidegauge(mirror=str(fred_mirror), store_path=str(tmp_path / "new.db")) as tg:
        assert not tg.store.has("WALCL")
        df = tg.load(["WALCL", "DGS10"], start="2024-01-01")
        assert [s.id for s in tg.store.all_series()] == ["DGS10", "WALCL"]  # only what was asked
        assert df["WALCL"].dropna().iloc[-1] == 6730.912
        # The whole history was fetched, not only the window.
        stored = tg.store.series("WALCL")
        assert stored is not None and stored.first_date == "2002-12-18"


def test_fetch_missing_false_does_not_fetch(tmp_path: Path, fred_mirror: Path) -> None:
    with Tidegauge(mirror=str(fred_mirror), store_path=str(tmp_path / "new.db")) as tg:
        df = tg.load("WALCL", fetch_missing=False)
        assert df.empty
        assert df.attrs["as_of"] == {"WALCL": None}
        assert not tg.store.has("WALCL")


def test_a_series_the_source_cannot_deliver_is_a_source_error(
    tmp_path: Path, partial_mirror
) -> None:
    mirror = partial_mirror(["WALCL"])
    with Tidegauge(mirror=str(mirror), store_path=str(tmp_path / "new.db")) as tg:
        with pytest.raises(SourceError, match="GDPC1") as info:
            tg.load(["WALCL", "GDPC1"])  # GDPC1 is in the catalog but not in this mirror
        assert "\n" not in str(info.value)
        assert tg.store.has("WALCL")  # what could be fetched is kept


def test_module_level_load(tmp_path: Path, fred_mirror: Path) -> None:
    df = tidegauge.load(
        "walcl",
        start="2008-09-10",
        end="2008-09-10",
        mirror=str(fred_mirror),
        store_path=str(tmp_path / "api.db"),
    )
    assert df["WALCL"].tolist() == [925.725]
    assert df.attrs["units"]["WALCL"] == "USD billions"


def test_load_with_env_settings(
    tmp_path: Path, fred_mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIDEGAUGE_MIRROR", str(fred_mirror))
    monkeypatch.setenv("TIDEGAUGE_STORE", str(tmp_path / "env.db"))
    df = tidegauge.load(["WALCL"], start="2022-04-13", end="2022-04-13")
    assert df["WALCL"].tolist() == [8965.487]  # the balance-sheet peak, USD billions
    assert (tmp_path / "env.db").is_file()


# --------------------------------------------------------------------------- as_of


def test_as_of_returns_values_known_then(tmp_path: Path, fred_mirror: Path) -> None:
    """A local copy of the mirror is revised (last WALCL value + USD 1 billion) between updates."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    shutil.copy(fred_mirror / "WALCL.csv", mirror / "WALCL.csv")
    with Tidegauge(mirror=str(mirror), store_path=str(tmp_path / "v.db")) as tg:
        assert tg.update(["WALCL"]).ok
        between = dt.datetime.now(dt.UTC)
        text = (mirror / "WALCL.csv").read_text()
        assert text.endswith("2026-08-26,6730912\n")
        (mirror / "WALCL.csv").write_text(text.replace("2026-08-26,6730912", "2026-08-26,6731912"))
        report = tg.update(["WALCL"])
        assert [(r.new, r.revised) for r in report.results] == [(0, 1)]

        now = tg.load("WALCL", start="2026-08-26")
        then = tg.load("WALCL", start="2026-08-26", as_of=between)
        assert now["WALCL"].tolist() == [6731.912]
        assert then["WALCL"].tolist() == [6730.912]
        assert then.attrs["as_of"]["WALCL"] == "2026-08-26"
        # As of a day before anything was stored there is no data (and nothing is fetched).
        empty = tg.load("WALCL", as_of=dt.date(2000, 1, 1))
        assert empty.empty
