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

H41 = ("WALCL", "TREAST", "WSHOMCB", "WRESBAL", "WTREGEN")
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
