"""The built-in catalog: complete against PRODUCT.md, consistent units, magnitudes that agree
with the real data (mixing millions and billions is the classic bug)."""

from __future__ import annotations

import datetime as dt
import doctest
import itertools
import re
import statistics
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import tidegauge.catalog as catalog_module
import tidegauge.catalog.series as series_module
from tidegauge.catalog import CATALOG, get, resolve_ids
from tidegauge.catalog.series import SeriesInfo, load_series, magnitude, parse_catalog
from tidegauge.errors import SeriesNotFound, UsageError
from tidegauge.sources.csvparse import parse_fred_csv

H41 = ("WALCL", "TREAST", "WSHOMCB", "WRESBAL", "WTREGEN", "WRBWFRBL", "WDTGAL", "WCURCIR")
ADDED = (  # the plumbing behind the tide: money markets, the dollar, credit, housing, jobs
    "EFFR", "SOFR", "DFEDTARU", "DFEDTARL", "RRPONTSYAWARD", "WCURCIR", "WDTGAL", "WRBWFRBL",
    "DEXUSEU", "DEXJPUS", "DEXUSUK", "DEXCHUS", "JPNASSETS", "JPNNGDP", "DFII5", "DFII7",
    "DFII30", "GDPC1", "UMCSENT", "PAYEMS", "NFCI", "BAMLC0A0CM", "MORTGAGE30US", "CSUSHPINSA",
)  # fmt: skip
NOT_IDS = {"USD", "EUR", "JPY", "TIPS", "FRED", "MBS"}  # capitalised words of the section, not ids


@pytest.fixture(scope="module")
def product_ids(fred_mirror: Path) -> set[str]:
    """Series ids named in PRODUCT.md's "Series catalog" section."""
    doc = fred_mirror.parent.parent / "docs" / "PRODUCT.md"
    if not doc.is_file():
        pytest.fail(f"{doc} is missing (expected ../shared/docs beside the repository)")
    text = doc.read_text(encoding="utf-8")
    section = text.split("## Series catalog", 1)[1].split("\n## ", 1)[0]
    words = set(re.findall(r"\b[A-Z][A-Z0-9]{2,}\b", section))
    return words - NOT_IDS


def mirror_values(fred_mirror: Path, sid: str) -> dict[dt.date, float]:
    obs = parse_fred_csv((fred_mirror / f"{sid}.csv").read_bytes(), sid)
    return {o.date: o.value for o in obs if o.value is not None}


def canonical(sid: str, native: float) -> float:
    return CATALOG[sid].to_canonical(native)


# --------------------------------------------------------------------------- completeness


def test_every_product_series_is_in_the_catalog(product_ids: set[str]) -> None:
    assert len(product_ids) >= 33, sorted(product_ids)
    assert product_ids <= set(CATALOG), sorted(product_ids - set(CATALOG))
    # "bank credit" (named in words, not by id): all commercial banks' bank credit.
    assert CATALOG["TOTBKCR"].category == "macro"
    assert "bank credit" in CATALOG["TOTBKCR"].name["en"].lower()


def test_the_added_series_are_in_the_catalog_and_in_the_mirror(fred_mirror: Path) -> None:
    assert set(ADDED) <= set(CATALOG), sorted(set(ADDED) - set(CATALOG))
    assert all((fred_mirror / f"{sid}.csv").is_file() for sid in ADDED)
    # every FRED series of the reference mirror is now in the catalog
    assert {p.stem for p in fred_mirror.glob("*.csv")} - {"SOURCES"} <= set(CATALOG)


def test_every_entry_has_three_names_in_the_right_script() -> None:
    # Character pairs (Traditional, Simplified) whose other form is not used in the other script.
    pairs = dict(
        zip(
            "聯國資產債備貨幣價數權實質銀貸業經濟財歐總額體證發標週預遠損歷個與購協議綜黃擇選",
            "联国资产债备货币价数权实质银贷业经济财欧总额体证发标周预远损历个与购协议综黄择选",
            strict=True,
        )
    )
    trad_only = set(pairs)
    simp_only = set(pairs.values()) - {"周"}  # 周 is also Traditional (周期)
    for s in CATALOG.values():
        assert set(s.name) == {"en", "zh-TW", "zh-CN"}, s.id
        en, tw, cn = s.name["en"], s.name["zh-TW"], s.name["zh-CN"]
        assert en.strip() and tw.strip() and cn.strip(), s.id
        assert re.search(r"[\u4e00-\u9fff]", tw) and re.search(r"[\u4e00-\u9fff]", cn), s.id
        assert not (set(tw) & simp_only), (s.id, tw, set(tw) & simp_only)
        assert not (set(cn) & trad_only), (s.id, cn, set(cn) & trad_only)
        assert s.label("zh-TW") == tw and s.label() == en


def test_catalog_is_keyed_by_id_and_ids_are_upper_case() -> None:
    for key, s in CATALOG.items():
        assert key == s.id == s.id.upper()


# --------------------------------------------------------------------------- the TOML file

ENTRY = """
[ABC]
name.en = "A series"
name.zh-TW = "序列"
name.zh-CN = "序列"
native_unit = "Millions of U.S. Dollars"
unit = "USD billions"
scale_exp = -3
frequency = "W"
category = "liquidity"
publication_lag_days = 1
source = "fred"
annualised = false
"""


def test_catalog_is_read_once_from_the_packaged_toml() -> None:
    assert (resources.files("tidegauge.catalog") / "series.toml").is_file()  # package data
    assert CATALOG is load_series() is catalog_module.CATALOG  # one dict, cached
    text = (resources.files("tidegauge.catalog") / "series.toml").read_text(encoding="utf-8")
    assert list(parse_catalog(text)) == list(CATALOG)  # display order = file order
    assert all(isinstance(s, SeriesInfo) for s in CATALOG.values())
    with pytest.raises(AttributeError):
        catalog_module.NO_SUCH_NAME  # noqa: B018


def test_importing_the_catalog_does_not_import_pandas() -> None:
    code = "import sys, tidegauge.catalog as c; c.CATALOG; print('pandas' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_a_valid_entry_parses() -> None:
    [info] = parse_catalog(ENTRY).values()
    assert info == SeriesInfo(
        "ABC",
        {"en": "A series", "zh-TW": "序列", "zh-CN": "序列"},
        "Millions of U.S. Dollars",
        "USD billions",
        -3,
        "W",
        "liquidity",
        1,
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('frequency = "W"', 'frequency = "X"', r"\[ABC\]: frequency 'X' is not one of D, W"),
        ('name.zh-CN = "序列"\n', "", r"\[ABC\]: name needs exactly the languages"),
        ('name.zh-CN = "序列"', 'name.zh-CN = "  "', r"\[ABC\]: zh-CN must be a non-empty"),
        ("scale_exp = -3", "scale_exp = 0", r"scale_exp 0 does not take .* \(that needs -3\)"),
        ('unit = "USD billions"', 'unit = "USD millions"', r"that needs 0"),
        ("scale_exp = -3", 'scale_exp = "-3"', r"scale_exp must be an integer"),
        ('category = "liquidity"', 'category = "misc"', r"category 'misc' is not one of"),
        ("publication_lag_days = 1", "publication_lag_days = -1", r"must be 0 or more"),
        ("annualised = false", 'annualised = "no"', r"annualised must be true or false"),
        ('source = "fred"', 'source = "FRED!"', r"must be a lower-case source name"),
        ("publication_lag_days = 1", "lag = 1", r"unknown key\(s\) lag; known: "),
        ('source = "fred"\n', "", r"missing key\(s\) source"),
        ("[ABC]", "[abc]", r"\[abc\]: the id must be upper-case"),
        ("[ABC]", "[ABC]\nnotes = 3", r"notes must be a non-empty string"),
        ('"Millions of U.S. Dollars"', '"250 Million Yen"', r"multiplier must be a power of ten"),
    ],
)
def test_a_bad_entry_is_a_clear_error(old: str, new: str, message: str) -> None:
    assert old in ENTRY
    with pytest.raises(ValueError, match=message):
        parse_catalog(ENTRY.replace(old, new, 1))


def test_a_duplicate_id_or_bad_toml_is_an_error() -> None:
    with pytest.raises(ValueError, match="not valid TOML"):
        parse_catalog(ENTRY + ENTRY)  # the same table twice
    with pytest.raises(ValueError, match="no series"):
        parse_catalog("")


def test_magnitudes_of_unit_names() -> None:
    assert magnitude("Millions of U.S. Dollars") == 6
    assert magnitude("100 Million Yen") == 8
    assert magnitude("Billions of Chained 2017 Dollars, SAAR") == 9
    assert magnitude("Thousands of Persons") == 3
    assert magnitude("Percent") == magnitude("U.S. Dollars to One Euro") == 0
    assert magnitude("USD billions (chained 2017)", canonical=True) == 9
    assert magnitude("index points per year", canonical=True) == 0


def test_docstring_examples_run() -> None:
    for module in (catalog_module, series_module):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


# --------------------------------------------------------------------------- units and scales

CURRENCY = {"U.S. Dollars": "USD", "Dollars": "USD", "Euros": "EUR", "Yen": "JPY"}


def expected_scale(native: str) -> tuple[int, str] | None:
    """(scale_exp, canonical unit) implied by a FRED native unit, or None if not monetary."""
    m = re.match(
        r"(Millions|Billions) of (?:Chained \d{4} )?(U\.S\. Dollars|Dollars|Euros)", native
    )
    if m:
        return (-3 if m.group(1) == "Millions" else 0), f"{CURRENCY[m.group(2)]} billions"
    if native == "100 Million Yen":
        return -1, "JPY billions"  # 100 million yen = 0.1 billion yen
    return None


def test_units_and_scales_are_consistent() -> None:
    for s in CATALOG.values():
        implied = expected_scale(s.native_unit)
        if implied is not None:
            scale, unit = implied
            assert s.scale_exp == scale, s.id
            assert s.unit.startswith(unit), s.id  # "USD billions (chained 2017)" for GDPC1
        elif s.native_unit == "Percent":
            assert (s.unit, s.scale_exp) == ("percent", 0), s.id
        elif s.native_unit.startswith("Index"):
            assert s.unit.startswith("index") and s.scale_exp == 0, s.id
        else:
            assert s.scale_exp == 0, s.id  # ratios, prices per ounce: kept as published


def test_h41_series_are_weekly_millions_scaled_to_billions() -> None:
    for sid in H41:
        s = CATALOG[sid]
        assert (s.native_unit, s.unit, s.scale_exp, s.frequency) == (
            "Millions of U.S. Dollars",
            "USD billions",
            -3,
            "W",
        ), sid
    rrp = CATALOG["RRPONTSYD"]  # already in billions on FRED
    assert (rrp.native_unit, rrp.unit, rrp.scale_exp) == (
        "Billions of U.S. Dollars",
        "USD billions",
        0,
    )
    assert (CATALOG["ECBASSETSW"].scale_exp, CATALOG["ECBASSETSW"].unit) == (-3, "EUR billions")
    assert (CATALOG["JPNASSETS"].scale_exp, CATALOG["JPNASSETS"].unit) == (-1, "JPY billions")
    for sid in ("GDP", "M2SL", "TOTBKCR", "BUSLOANS", "TOTRESNS"):
        assert (CATALOG[sid].unit, CATALOG[sid].scale_exp) == ("USD billions", 0), sid
    for sid in ("FYFSD", "GFDEBTN"):
        assert (CATALOG[sid].unit, CATALOG[sid].scale_exp) == ("USD billions", -3), sid
    for sid in ("DFF", "FEDFUNDS", "IORB", "DGS2", "DGS10", "DFII10", "T10YIE", "UNRATE"):
        assert (CATALOG[sid].unit, CATALOG[sid].scale_exp) == ("percent", 0), sid


def test_added_series_units_as_fred_publishes_them() -> None:
    """FRED's own unit strings (series metadata; SOURCES.csv notes for the mirror copies)."""
    for sid in ("EFFR", "SOFR", "DFEDTARU", "DFEDTARL", "RRPONTSYAWARD", "DFII5", "DFII7"):
        assert (CATALOG[sid].native_unit, CATALOG[sid].unit) == ("Percent", "percent"), sid
    for sid in ("DFII30", "BAMLC0A0CM", "MORTGAGE30US"):
        assert (CATALOG[sid].native_unit, CATALOG[sid].unit) == ("Percent", "percent"), sid
    fx = {
        "DEXUSEU": ("U.S. Dollars to One Euro", "USD per EUR"),
        "DEXJPUS": ("Japanese Yen to One U.S. Dollar", "JPY per USD"),
        "DEXUSUK": ("U.S. Dollars to One British Pound", "USD per GBP"),
        "DEXCHUS": ("Chinese Yuan Renminbi to One U.S. Dollar", "CNY per USD"),
    }
    for sid, units in fx.items():
        s = CATALOG[sid]
        assert (s.native_unit, s.unit, s.scale_exp, s.frequency) == (*units, 0, "D"), sid
    assert (CATALOG["PAYEMS"].native_unit, CATALOG["PAYEMS"].unit) == (
        "Thousands of Persons",
        "thousands of persons",
    )
    assert CATALOG["NFCI"].unit == CATALOG["CSUSHPINSA"].unit == "index"
    assert CATALOG["CSUSHPINSA"].native_unit == "Index Jan 2000=100"
    assert (CATALOG["JPNNGDP"].unit, CATALOG["JPNNGDP"].annualised) == ("JPY billions", True)
    # the names say which H.4.1 figure each is: week average or Wednesday level
    assert "week average" in CATALOG["WCURCIR"].name["en"]
    assert "週平均" in CATALOG["WCURCIR"].name["zh-TW"]
    assert "周平均" in CATALOG["WCURCIR"].name["zh-CN"]
    for sid in ("WDTGAL", "WRBWFRBL"):
        assert "Wednesday level" in CATALOG[sid].name["en"], sid
        assert "週三" in CATALOG[sid].name["zh-TW"] and "周三" in CATALOG[sid].name["zh-CN"]
    for sid in ("RRPONTSYD", "RRPONTSYAWARD"):  # ON RRP: 逆回購 / 逆回购 in both scripts
        assert "逆回購" in CATALOG[sid].name["zh-TW"] and "逆回购" in CATALOG[sid].name["zh-CN"]


def test_publication_lags() -> None:
    """The reasons are in each entry's notes (series.toml)."""
    for sid in H41:  # H.4.1: Thursday afternoon for the week ending Wednesday
        assert CATALOG[sid].publication_lag_days == 1, sid
    # H.10 rates reach FRED once a week (Monday, for the week before): the longer lag, 7 days
    for sid in ("DEXUSEU", "DEXJPUS", "DEXUSUK", "DEXCHUS", "DTWEXBGS"):
        assert CATALOG[sid].publication_lag_days == 7, sid
    # the target range is announced before it takes effect; PMMS is dated its release day
    for sid in ("DFEDTARU", "DFEDTARL", "MORTGAGE30US"):
        assert CATALOG[sid].publication_lag_days == 0, sid
    assert CATALOG["UMCSENT"].publication_lag_days == 55  # FRED's copy is a month late
    assert CATALOG["PAYEMS"].publication_lag_days == CATALOG["UNRATE"].publication_lag_days
    assert CATALOG["NFCI"].publication_lag_days == 5  # Friday's week, out on Wednesday
    assert 83 <= CATALOG["CSUSHPINSA"].publication_lag_days <= 91  # two months after


def test_to_canonical_is_exact_for_decimal_values() -> None:
    walcl = CATALOG["WALCL"]
    assert walcl.to_canonical(925725.0) == 925.725
    assert repr(walcl.to_canonical(925725.0)) == "925.725"
    assert walcl.to_canonical(6730912.0) == 6730.912
    assert CATALOG["RRPONTSYD"].to_canonical(2553.716) == 2553.716
    assert CATALOG["JPNASSETS"].to_canonical(7_500_000.0) == 750_000.0


# --------------------------------------------------------------------------- the real data


def test_mirror_magnitudes_match_declared_units(fred_mirror: Path) -> None:
    """Public figures (USD billions unless stated), read through the declared scale."""
    walcl = mirror_values(fred_mirror, "WALCL")
    latest = max(walcl)
    # Fed total assets about USD 6.7 trillion in 2025-26; peak USD 8.965 trillion on 2022-04-13.
    assert 6_000 < canonical("WALCL", walcl[latest]) < 7_500
    assert canonical("WALCL", walcl[latest]) == pytest.approx(6_730.912, abs=1e-9)  # 2026-08-26
    peak = max(walcl, key=walcl.__getitem__)
    assert peak == dt.date(2022, 4, 13)
    assert canonical("WALCL", walcl[peak]) == pytest.approx(8_965, abs=1)
    assert canonical("WALCL", walcl[dt.date(2008, 9, 10)]) == 925.725  # before Lehman

    # ON RRP record: USD 2.554 trillion on 2022-12-30 (already billions on FRED).
    rrp = mirror_values(fred_mirror, "RRPONTSYD")
    rrp_peak = max(rrp, key=rrp.__getitem__)
    assert rrp_peak == dt.date(2022, 12, 30)
    assert canonical("RRPONTSYD", rrp[rrp_peak]) == pytest.approx(2_553.7, abs=0.1)

    # Reserve balances peaked near USD 4.3 trillion in December 2021.
    wresbal = mirror_values(fred_mirror, "WRESBAL")
    assert canonical("WRESBAL", max(wresbal.values())) == pytest.approx(4_276, abs=5)
    # TGA peak about USD 1.8 trillion in July 2020.
    wtregen = mirror_values(fred_mirror, "WTREGEN")
    assert canonical("WTREGEN", max(wtregen.values())) == pytest.approx(1_817, abs=5)
    # Eurosystem balance sheet peaked near EUR 8.8 trillion in June 2022.
    ecb = mirror_values(fred_mirror, "ECBASSETSW")
    assert canonical("ECBASSETSW", max(ecb.values())) == pytest.approx(8_836, abs=5)
    # FY2025 federal deficit: USD 1.775 trillion.
    fyfsd = mirror_values(fred_mirror, "FYFSD")
    assert canonical("FYFSD", fyfsd[dt.date(2025, 9, 30)]) == pytest.approx(-1_775, abs=1)
    # Federal debt above USD 38 trillion in early 2026; nominal GDP above USD 30 trillion.
    gfdebtn = mirror_values(fred_mirror, "GFDEBTN")
    assert 38_000 < canonical("GFDEBTN", gfdebtn[max(gfdebtn)]) < 40_000
    gdp = mirror_values(fred_mirror, "GDP")
    assert 30_000 < canonical("GDP", gdp[max(gdp)]) < 33_000
    # Rates in percent: the Volcker-era fed funds peak was about 19-20 %.
    assert 19 < max(mirror_values(fred_mirror, "FEDFUNDS").values()) < 20


def _common(a: dict[dt.date, float], b: dict[dt.date, float]) -> list[dt.date]:
    return sorted(set(a) & set(b))


def test_money_market_rates_in_percent(fred_mirror: Path) -> None:
    dff = mirror_values(fred_mirror, "DFF")
    effr = mirror_values(fred_mirror, "EFFR")
    # Since 2016 DFF is the New York Fed's EFFR on business days (and so is every copy here).
    days = _common(effr, dff)
    assert len(days) > 6_000
    assert all(effr[d] == dff[d] for d in days)
    # SOFR is a percent rate within a few basis points of fed funds on a typical day ...
    sofr = mirror_values(fred_mirror, "SOFR")
    spread = [sofr[d] - dff[d] for d in _common(sofr, dff)]
    assert abs(statistics.median(spread)) < 0.10
    # ... except in the September 2019 repo stress: SOFR 5.25 %, EFFR 2.30 % above its range.
    sept17 = dt.date(2019, 9, 17)
    assert (sofr[sept17], effr[sept17]) == (5.25, 2.30)
    upper = mirror_values(fred_mirror, "DFEDTARU")
    lower = mirror_values(fred_mirror, "DFEDTARL")
    assert (lower[sept17], upper[sept17]) == (2.00, 2.25)
    # A 25 bp range every day since it replaced the single target on 2008-12-16 (0 to 0.25 %).
    assert min(upper) == min(lower) == dt.date(2008, 12, 16)
    assert (lower[dt.date(2008, 12, 16)], upper[dt.date(2008, 12, 16)]) == (0.0, 0.25)
    assert {round(upper[d] - lower[d], 9) for d in upper} == {0.25}
    # EFFR stays inside the range: at most a handful of exceptions (2019-09-17 among them).
    outside = [d for d in _common(effr, upper) if not lower[d] <= effr[d] <= upper[d]]
    assert sept17 in outside and len(outside) <= 5, outside
    # ON RRP award rate: 5 bp above the bottom of the range from the June 2021 adjustment
    # (the mirror's copy ends 2023-12-01); 5.30 % after the July 2023 hike.
    award = mirror_values(fred_mirror, "RRPONTSYAWARD")
    since = [d for d in _common(award, lower) if d >= dt.date(2021, 6, 17)]
    assert len(since) > 500
    assert all(round(award[d] - lower[d], 9) == 0.05 for d in since)
    assert award[dt.date(2023, 7, 27)] == 5.30


def test_h41_wednesday_levels_match_the_week_averages(fred_mirror: Path) -> None:
    """WDTGAL/WRBWFRBL are the Wednesday levels of the accounts WTREGEN/WRESBAL average over
    the week: single weeks differ (tax dates move the TGA by USD 100-200 billion within a
    week), their means over two decades agree within 1 %."""
    for level, average in (("WDTGAL", "WTREGEN"), ("WRBWFRBL", "WRESBAL")):
        a, b = mirror_values(fred_mirror, level), mirror_values(fred_mirror, average)
        days = _common(a, b)
        assert len(days) > 1_000
        mean_a = statistics.fmean(canonical(level, a[d]) for d in days)
        mean_b = statistics.fmean(canonical(average, b[d]) for d in days)
        assert mean_a == pytest.approx(mean_b, rel=0.01), level
        assert 0.9 < statistics.median(a[d] / b[d] for d in days if b[d]) < 1.1, level
    # TGA Wednesday level in USD billions: the same magnitude as the 1,817 bn TGA peak of 2020.
    tga = mirror_values(fred_mirror, "WDTGAL")
    assert 1_500 < canonical("WDTGAL", max(tga.values())) < 2_000
    # Currency: about USD 830 bn of the Fed's 926 bn balance sheet before Lehman; above
    # USD 2 trillion from the summer of 2020.
    cur = mirror_values(fred_mirror, "WCURCIR")
    before_lehman = dt.date(2008, 9, 10)
    walcl = canonical("WALCL", mirror_values(fred_mirror, "WALCL")[before_lehman])
    assert 800 < canonical("WCURCIR", cur[before_lehman]) < min(870, walcl)
    first_2tn = min(d for d, v in cur.items() if canonical("WCURCIR", v) > 2_000)
    assert dt.date(2020, 6, 1) <= first_2tn <= dt.date(2020, 12, 31)


def test_exchange_rates_quote_the_right_way_round(fred_mirror: Path) -> None:
    """Public levels; a USD-per-JPY or EUR-per-USD mix-up fails every line."""
    jpy = mirror_values(fred_mirror, "DEXJPUS")  # yen per dollar
    assert 350 < jpy[dt.date(1971, 1, 4)] <= 360  # the Bretton Woods parity of 360 yen
    since_1995 = {d: v for d, v in jpy.items() if d.year >= 1995}
    low = min(since_1995, key=since_1995.__getitem__)
    assert (low.year, low.month) == (2011, 10) and 75 < jpy[low] < 76  # the strong-yen record
    assert all(75 < v < 165 for v in since_1995.values())
    assert max(v for d, v in jpy.items() if d.year == 2024) > 160  # a 38-year low for the yen
    eur = mirror_values(fred_mirror, "DEXUSEU")  # dollars per euro
    assert eur[dt.date(1999, 1, 4)] == pytest.approx(1.18, abs=0.005)  # the euro's first day
    assert min(eur, key=eur.__getitem__).year == 2000 and min(eur.values()) < 0.83
    assert max(eur, key=eur.__getitem__).year == 2008 and 1.59 < max(eur.values()) < 1.61
    gbp = mirror_values(fred_mirror, "DEXUSUK")  # dollars per pound
    assert min(gbp, key=gbp.__getitem__) == dt.date(2022, 9, 26)  # after the "mini-budget"
    assert max(v for d, v in gbp.items() if d.year == 2007) > 2.0
    cny = mirror_values(fred_mirror, "DEXCHUS")  # yuan per dollar
    peg = [v for d, v in cny.items() if dt.date(1998, 1, 1) <= d < dt.date(2005, 7, 21)]
    assert all(8.26 < v < 8.32 for v in peg)  # held at about 8.28 until July 2005
    assert cny[dt.date(2005, 7, 22)] == pytest.approx(8.11, abs=0.01)  # the revaluation


def test_macro_and_market_magnitudes(fred_mirror: Path) -> None:
    # Real GDP in chained 2017 dollars: its 2017 average equals nominal GDP's (base year).
    gdp, real = mirror_values(fred_mirror, "GDP"), mirror_values(fred_mirror, "GDPC1")
    q2017 = [d for d in real if d.year == 2017]
    assert len(q2017) == 4
    assert statistics.fmean(real[d] for d in q2017) == pytest.approx(
        statistics.fmean(gdp[d] for d in q2017), rel=1e-3
    )
    # Payrolls in thousands: about -20.5 million in April 2020, about 159 million in 2026.
    jobs = mirror_values(fred_mirror, "PAYEMS")
    assert -21_000 < jobs[dt.date(2020, 4, 1)] - jobs[dt.date(2020, 3, 1)] < -20_000
    assert 150_000 < jobs[max(jobs)] < 165_000
    # Michigan sentiment: 50.0 in June 2022, the record low at the time.
    assert mirror_values(fred_mirror, "UMCSENT")[dt.date(2022, 6, 1)] == 50.0
    # NFCI is scaled to mean 0 and standard deviation 1 over its history.
    nfci = list(mirror_values(fred_mirror, "NFCI").values())
    assert abs(statistics.fmean(nfci)) < 0.05 and abs(statistics.pstdev(nfci) - 1) < 0.05
    # Investment-grade spread (percent) below the high-yield spread every day; widest in 2008.
    ig, hy = mirror_values(fred_mirror, "BAMLC0A0CM"), mirror_values(fred_mirror, "BAMLH0A0HYM2")
    days = _common(ig, hy)
    assert len(days) > 7_000 and all(ig[d] < hy[d] for d in days)
    assert max(ig, key=ig.__getitem__).year == 2008
    # Freddie Mac 30-year rate: 18.63 % record in October 1981, 2.65 % low in January 2021.
    mortgage = mirror_values(fred_mirror, "MORTGAGE30US")
    assert (mortgage[dt.date(1981, 10, 9)], max(mortgage.values())) == (18.63, 18.63)
    assert (mortgage[dt.date(2021, 1, 7)], min(mortgage.values())) == (2.65, 2.65)
    # Case-Shiller: January 2000 = 100 by construction.
    assert mirror_values(fred_mirror, "CSUSHPINSA")[dt.date(2000, 1, 1)] == 100.0
    # TIPS real yields in percent: below zero in 2021, at most a few percent ever.
    for sid in ("DFII5", "DFII7", "DFII10", "DFII30"):
        tips = mirror_values(fred_mirror, sid)
        assert min(v for d, v in tips.items() if d.year == 2021) < 0, sid
        assert all(-2.5 < v < 4.5 for v in tips.values()), sid


def test_boj_assets_in_yen_billions(fred_mirror: Path) -> None:
    """JPNASSETS is published in 100 million yen: 1 unit = 0.1 billion yen."""
    boj = mirror_values(fred_mirror, "JPNASSETS")
    gdp = mirror_values(fred_mirror, "JPNNGDP")  # JPY billions, annual rate
    # About 165 trillion yen before QQE (March 2013), about four times that at the 2024 peak.
    assert canonical("JPNASSETS", boj[dt.date(2013, 3, 1)]) == pytest.approx(164_813, abs=1)
    peak = max(boj, key=boj.__getitem__)
    assert peak.year == 2024 and 700_000 < canonical("JPNASSETS", boj[peak]) < 800_000
    # A third of a year's GDP in early 2013, more than a whole year's in 2024.
    assert canonical("JPNASSETS", boj[dt.date(2013, 1, 1)]) / gdp[dt.date(2013, 1, 1)] < 0.4
    assert 1.0 < canonical("JPNASSETS", boj[dt.date(2024, 7, 1)]) / gdp[dt.date(2024, 7, 1)] < 1.5


def test_balance_sheet_items_are_in_a_sane_billions_range(fred_mirror: Path) -> None:
    """Every USD-billions series with data stays between USD 0 and 50 trillion in magnitude."""
    checked = 0
    for sid, s in CATALOG.items():
        path = fred_mirror / f"{sid}.csv"
        if s.unit != "USD billions" or not path.is_file():
            continue
        vals = [canonical(sid, v) for v in mirror_values(fred_mirror, sid).values()]
        assert max(abs(v) for v in vals) < 50_000, sid
        checked += 1
    assert checked >= 12


FREQ_DAYS = {"D": (1, 4), "W": (7, 7), "M": (28, 31), "Q": (89, 92), "A": (365, 366)}


def test_frequencies_match_the_mirror(fred_mirror: Path) -> None:
    checked = 0
    for sid, s in CATALOG.items():
        path = fred_mirror / f"{sid}.csv"
        if not path.is_file():
            continue
        obs = parse_fred_csv(path.read_bytes(), sid)
        gaps = [(b.date - a.date).days for a, b in itertools.pairwise(obs)]
        lo, hi = FREQ_DAYS[s.frequency]
        assert lo <= statistics.median(gaps) <= hi, (sid, s.frequency, statistics.median(gaps))
        checked += 1
    assert checked >= 30


# --------------------------------------------------------------------------- lookup


def test_get_is_case_insensitive_and_strips() -> None:
    assert get("walcl") is CATALOG["WALCL"]
    assert get(" dgs10 ").id == "DGS10"


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("WALC", "WALCL"),
        ("walcll", "WALCL"),
        ("RRPONTSY", "RRPONTSYD"),
        ("DGS11", "DGS10"),
        ("CPIAUSCL", "CPIAUCSL"),
    ],
)
def test_unknown_id_names_close_matches(typo: str, expected: str) -> None:
    with pytest.raises(SeriesNotFound) as info:
        get(typo)
    message = str(info.value)
    assert "did you mean" in message and expected in message
    assert "\n" not in message
    assert info.value.exit_code == 2
    assert isinstance(info.value, UsageError)


def test_unknown_id_without_close_match_points_to_the_list() -> None:
    with pytest.raises(SeriesNotFound, match="tidegauge series list"):
        get("QQQQQQQQ")


def test_resolve_ids() -> None:
    assert resolve_ids(None) == list(CATALOG)
    assert resolve_ids("walcl") == ["WALCL"]
    assert resolve_ids(["walcl", "WALCL", "dgs10", "Walcl"]) == ["WALCL", "DGS10"]
    with pytest.raises(SeriesNotFound, match="WALCL"):
        resolve_ids(["DGS10", "WALC"])
