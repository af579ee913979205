"""The program catalog: dates from PRODUCT.md / the central banks' statements, caps, names."""

from __future__ import annotations

import datetime as dt

import pytest

from tidegauge.catalog.programs import KINDS, get_program, load_programs
from tidegauge.errors import UsageError

D = dt.date

# Announcement dates listed in PRODUCT.md, each checked against the bank's statement
# (the URL is in programs.toml).
ANNOUNCED = {
    "QE1": D(2008, 11, 25),
    "QE1X": D(2009, 3, 18),
    "QE2": D(2010, 11, 3),
    "TWIST": D(2011, 9, 21),
    "QE3": D(2012, 9, 13),
    "TAPER2013": D(2013, 12, 18),
    "RMP2019": D(2019, 10, 11),
    "QE4": D(2020, 3, 15),
    "TAPER2021": D(2021, 11, 3),
    "LEND2023": D(2023, 3, 12),
    "ECB-APP": D(2015, 1, 22),
    "ECB-PEPP": D(2020, 3, 18),
    "BOJ-QQE": D(2013, 4, 4),
    "BOJ-YCC": D(2016, 9, 21),
    "BOJ-EXIT": D(2024, 3, 19),
}


@pytest.mark.parametrize(("pid", "date"), sorted(ANNOUNCED.items()))
def test_announcement_dates(pid: str, date: dt.date) -> None:
    assert get_program(pid).announced == date


def test_effective_dates_differ_from_announcements_where_documented() -> None:
    assert get_program("QE1").effective == D(2009, 1, 5)  # MBS buying began in January 2009
    assert get_program("QE3").effective == D(2012, 9, 14)  # MBS purchases began the next day
    assert get_program("QT1").effective == D(2017, 10, 1)  # run-off began in October 2017
    assert get_program("QT1").end == D(2019, 8, 1)  # concluded two months early (31 Jul 2019)
    assert get_program("QT2").effective == D(2022, 6, 1)
    assert get_program("QT2").end == D(2025, 12, 1)
    assert get_program("RMP2025").effective == D(2025, 12, 12)
    assert get_program("TAPER2013").end == D(2014, 10, 31)


def test_qt2_caps_month_by_month() -> None:
    qt2 = get_program("QT2")

    def caps(day: dt.date) -> tuple[float | None, float | None] | None:
        c = qt2.cap_at(day)
        return None if c is None else (c.treasury_cap_bn, c.mbs_cap_bn)

    assert caps(D(2022, 5, 31)) is None
    assert caps(D(2022, 6, 1)) == (30.0, 17.5)
    assert caps(D(2022, 8, 31)) == (30.0, 17.5)
    assert caps(D(2022, 9, 1)) == (60.0, 35.0)
    assert caps(D(2024, 5, 31)) == (60.0, 35.0)
    assert caps(D(2024, 6, 1)) == (25.0, 35.0)
    assert caps(D(2025, 4, 1)) == (5.0, 35.0)
    assert caps(D(2025, 11, 30)) == (5.0, 35.0)
    assert caps(D(2025, 12, 1)) is None  # run-off concluded


def test_qt1_caps_ramp_from_6_4_to_30_20() -> None:
    qt1 = get_program("QT1")
    ramp = [(c.treasury_cap_bn, c.mbs_cap_bn) for c in qt1.caps]
    assert ramp[:5] == [(6.0, 4.0), (12.0, 8.0), (18.0, 12.0), (24.0, 16.0), (30.0, 20.0)]
    assert ramp[5] == (15.0, 20.0)  # Treasury cap halved from May 2019
    assert [c.start.month for c in qt1.caps[:5]] == [10, 1, 4, 7, 10]  # every three months


def test_every_program_is_complete_and_bilingual() -> None:
    programs = load_programs()
    assert {p.bank for p in programs} == {"fed", "ecb", "boj"}
    for p in programs:
        assert p.kind in KINDS
        assert set(p.name) == {"en", "zh-TW", "zh-CN"} and all(p.name.values())
        assert p.source.startswith(("https://", "http://"))
        assert p.effective >= p.announced
        assert p.end is None or p.end > p.effective
        if p.kind == "QE" and p.bank == "fed" and p.id.startswith("QE"):
            assert "量化寬鬆" in p.name["zh-TW"] and "量化宽松" in p.name["zh-CN"], p.id
        if p.kind == "QT" and p.bank == "fed":
            assert "量化緊縮" in p.name["zh-TW"] and "量化紧缩" in p.name["zh-CN"], p.id
    assert [p.id for p in load_programs("fed")][:3] == ["LEND2008", "QE1", "QE1X"]


def test_unknown_bank_or_program_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown bank"):
        load_programs("boe")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="unknown program"):
        get_program("QE9")
