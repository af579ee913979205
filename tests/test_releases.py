"""The release calendar: federal holidays, release times, freshness and point-in-time loads.

Holiday dates are public (OPM's federal holiday lists); release times are the agencies'
published schedules (H.4.1 Thursday 16:30 ET, SOFR 08:00 ET next business day, CPI 08:30 ET).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tidegauge.catalog import CATALOG
from tidegauge.catalog.series import parse_series
from tidegauge.freshness import assess
from tidegauge.holidays import add_business_days, is_business_day, us_federal_holidays
from tidegauge.releases import as_moment, due, release_at, released_by

ET = "America/New_York"


def test_federal_holidays_2026_match_opm() -> None:
    # OPM's list for 2026: Independence Day (a Saturday) is observed on Friday 3 July.
    assert sorted(us_federal_holidays(2026)) == [
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 19),
        dt.date(2026, 2, 16),
        dt.date(2026, 5, 25),
        dt.date(2026, 6, 19),
        dt.date(2026, 7, 3),
        dt.date(2026, 9, 7),
        dt.date(2026, 10, 12),
        dt.date(2026, 11, 11),
        dt.date(2026, 11, 26),
        dt.date(2026, 12, 25),
    ]
    # Juneteenth only from 2021; 2022's New Year's Day (Saturday) is observed on 31 Dec 2021.
    assert dt.date(2020, 6, 19) not in us_federal_holidays(2020)
    assert us_federal_holidays(2021)[dt.date(2021, 12, 31)] == "new_year"
    assert dt.date(2022, 1, 1) not in us_federal_holidays(2022)
    assert not is_business_day(dt.date(2025, 11, 27))  # Thanksgiving 2025
    assert add_business_days(dt.date(2025, 12, 24), 1) == dt.date(2025, 12, 26)


def test_h41_release_times() -> None:
    # The week to Wednesday 26 Aug 2026 is published Thursday 27 Aug at 16:30 EDT (20:30 UTC).
    assert release_at("WALCL", dt.date(2026, 8, 26)) == dt.datetime(
        2026, 8, 27, 20, 30, tzinfo=dt.UTC
    )
    # Christmas 2025 fell on a Thursday: the H.4.1 for 24 Dec 2025 came out on Friday 26 Dec,
    # in winter time (16:30 EST = 21:30 UTC).
    assert release_at("WALCL", dt.date(2025, 12, 24)) == dt.datetime(
        2025, 12, 26, 21, 30, tzinfo=dt.UTC
    )
    # The next observation after the mirror's last week, and when it is due.
    assert due("WALCL", dt.date(2026, 8, 26)) == (
        dt.date(2026, 9, 2),
        dt.datetime(2026, 9, 3, 20, 30, tzinfo=dt.UTC),
    )


def test_daily_and_monthly_release_times() -> None:
    # SOFR for Friday 21 Nov 2025 is published Monday 24 Nov at 08:00 EST.
    assert release_at("SOFR", dt.date(2025, 11, 21)) == dt.datetime(
        2025, 11, 24, 13, 0, tzinfo=dt.UTC
    )
    # The next SOFR day after Wednesday 26 Nov 2025 is Friday 28 Nov (Thanksgiving skipped).
    assert due("SOFR", dt.date(2025, 11, 26))[0] == dt.date(2025, 11, 28)
    # CPI for July 2026 (dated 2026-07-01): 45 days later is Saturday 15 August, so Monday 17th.
    assert release_at("CPIAUCSL", dt.date(2026, 7, 1)).date() == dt.date(2026, 8, 17)


def test_every_catalog_series_has_a_release() -> None:
    for info in CATALOG.values():
        assert info.release is not None, info.id
        # never earlier than the publication lag used so far
        day = dt.date(2024, 1, 3)
        released = release_at(info, day).astimezone(ZoneInfo(info.release.tz)).date()
        assert released >= day + dt.timedelta(days=info.publication_lag_days), info.id


@pytest.mark.parametrize(
    ("release", "error"),
    [
        ({"rule": "weekly"}, "release.rule"),
        ({"days": 0}, "at least publication_lag_days"),
        ({"time": "4:30pm"}, "HH:MM"),
        ({"tz": "Mars/Olympus"}, "time zone"),
        ({"when": "thursday"}, "unknown key"),
    ],
)
def test_bad_release_entries(release: dict[str, object], error: str) -> None:
    entry = {
        "name": {"en": "x", "zh-TW": "x", "zh-CN": "x"},
        "native_unit": "Percent",
        "unit": "percent",
        "scale_exp": 0,
        "frequency": "D",
        "category": "rates",
        "publication_lag_days": 1,
        "source": "fred",
        "annualised": False,
        "release": release,
    }
    with pytest.raises(ValueError, match=error):
        parse_series("XYZ", entry)


def test_late_means_past_the_release_with_nothing_new() -> None:
    last = dt.date(2026, 8, 26)  # the mirror's last H.4.1 week
    before = dt.datetime(2026, 9, 3, 20, 29, tzinfo=dt.UTC)  # 16:29 EDT on release day
    after = dt.datetime(2026, 9, 3, 20, 31, tzinfo=dt.UTC)
    assert assess({"WALCL": last}, before.date(), at=before).status == "current"
    assert assess({"WALCL": last}, after.date(), at=after).status == "late"
    f = assess({"WALCL": last}, dt.date(2026, 12, 3))
    assert f.status == "stale"
    assert f.inputs[0].due_at == dt.datetime(2026, 9, 3, 20, 30, tzinfo=dt.UTC)


def test_released_by_uses_the_time_of_day(fred_mirror) -> None:
    import pandas as pd

    walcl = pd.read_csv(fred_mirror / "WALCL.csv", index_col=0, parse_dates=True).iloc[:, 0]
    thursday = dt.date(2026, 8, 27)
    at_four = dt.datetime(2026, 8, 27, 20, 0, tzinfo=dt.UTC)  # 16:00 EDT
    assert released_by(walcl, at_four, "WALCL").index[-1].date() == dt.date(2026, 8, 19)
    assert released_by(walcl, thursday, "WALCL").index[-1].date() == dt.date(2026, 8, 26)
    assert as_moment(thursday).hour == 3  # 23:59 EDT is 03:59 UTC the next day


def test_snapshot_at_a_moment(mirror_session) -> None:
    from tidegauge.analysis.asof import snapshot

    # The mirror store has no vintage that old: the calendar decides (no look-ahead).
    before = dt.datetime(2020, 3, 19, 20, 0, tzinfo=dt.UTC)  # Thu 19 Mar 2020, 16:00 EDT
    after = dt.datetime(2020, 3, 19, 21, 0, tzinfo=dt.UTC)  # 17:00 EDT
    assert snapshot(mirror_session, ["WALCL"], before, fetch=False).last_date("WALCL") == dt.date(
        2020, 3, 11
    )
    snap = snapshot(mirror_session, ["WALCL"], after, fetch=False)
    assert snap.last_date("WALCL") == dt.date(2020, 3, 18)
    assert snap.method["WALCL"] == "lag"
