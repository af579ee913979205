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


# -- programs as announced: the banks' own statements -------------------------------------------
OFFICIAL = ("https://www.federalreserve.gov/", "https://www.newyorkfed.org/",
            "https://www.ecb.europa.eu/", "https://www.boj.or.jp/")  # fmt: skip


@pytest.mark.parametrize("program", load_programs(), ids=lambda p: p.id)
def test_every_entry_cites_its_banks_statement(program) -> None:
    assert program.source.startswith(OFFICIAL), program.source


def test_an_entry_without_a_statement_is_refused() -> None:
    import tomllib

    from tidegauge.catalog.programs import _parse

    entry = tomllib.loads(
        'id = "X"\nbank = "fed"\nkind = "QE"\nname_en = "x"\nname_zh_tw = "x"\n'
        'name_zh_cn = "x"\nannounced = 2020-01-01\neffective = 2020-01-01\nsource = ""\n'
    )
    with pytest.raises(ValueError, match="source"):
        _parse(entry)


def test_dates_from_the_banks_statements() -> None:
    # 2011 dollar swap lines: authorised to 1 Feb 2013, then extended to 1 Feb 2014
    assert get_program("LEND2011").end == D(2014, 2, 1)
    # the last pandemic facility, the PPPLF, stopped on 30 July 2021
    assert get_program("LEND2020").end == D(2021, 7, 30)
    # the ECB kept fixed-rate full allotment "for as long as necessary": no end in 2010
    assert get_program("ECB-FRFA").end is None
    assert get_program("QT2").end_announced == D(2025, 10, 29)
    assert get_program("QT2").after_end == {"treasury": "rollover", "mbs": "bills"}


@pytest.mark.parametrize(
    ("pid", "announced", "effective", "end"),
    [
        ("BOJ-QE2001", D(2001, 3, 19), D(2001, 3, 19), D(2006, 3, 9)),  # the first QE
        ("ECB-SMP", D(2010, 5, 10), D(2010, 5, 10), D(2012, 9, 6)),
        ("ECB-CBPP1", D(2009, 5, 7), D(2009, 7, 1), D(2010, 7, 1)),
        ("ECB-CBPP2", D(2011, 10, 6), D(2011, 11, 1), D(2012, 11, 1)),
        ("ECB-CBPP3", D(2014, 9, 4), D(2014, 10, 20), D(2019, 1, 1)),
        ("ECB-TLTRO1", D(2014, 6, 5), D(2014, 9, 24), D(2018, 9, 26)),
        ("ECB-TLTRO2", D(2016, 3, 10), D(2016, 6, 29), D(2021, 3, 24)),
        ("ECB-TLTRO3", D(2019, 3, 7), D(2019, 9, 25), D(2024, 12, 18)),
        ("BOJ-NIRP", D(2016, 1, 29), D(2016, 2, 16), D(2024, 3, 19)),
        ("BOJ-YCC", D(2016, 9, 21), D(2016, 9, 21), D(2024, 3, 19)),
        ("BOJ-EXIT", D(2024, 3, 19), D(2024, 3, 19), None),
    ],
)
def test_added_programs(pid, announced, effective, end) -> None:
    p = get_program(pid)
    assert (p.announced, p.effective, p.end) == (announced, effective, end)


def test_catalog_order_is_by_announcement_per_bank() -> None:
    for bank in ("fed", "ecb", "boj"):
        dates = [p.announced for p in load_programs(bank)]
        assert dates == sorted(dates), bank
