"""The message catalog: every message of every ``messages/*.toml`` (including files added later)
in en, zh-TW and zh-CN with the same placeholders, in the right Chinese script."""

from __future__ import annotations

import string
import tomllib
from importlib import resources
from typing import Any

import pytest

from tidegauge._typing import LANGS
from tidegauge.catalog import CATALOG
from tidegauge.errors import UsageError
from tidegauge.i18n import catalog, placeholders, t
from tidegauge.lang import normalise_lang

# (Traditional, Simplified) pairs where neither form is normal in the other script's text.
TRADITIONAL = (
    "聯國資產債備貨幣價數權實質銀貸業經濟財歐總額體證發標週預遠損"
    "歷個與購協議綜黃擇選寬緊縮負際東來時為這們說會對過還點長門開"
    "關問題應該顯響險續讀錄圖現當計請輸檔項設擬規則條線語環變據區"
    "間頁網絡儲庫務專屬號雙邊億萬兩"
)
SIMPLIFIED = (
    "联国资产债备货币价数权实质银贷业经济财欧总额体证发标周预远损"
    "历个与购协议综黄择选宽紧缩负际东来时为这们说会对过还点长门开"
    "关问题应该显响险续读录图现当计请输档项设拟规则条线语环变据区"
    "间页网络储库务专属号双边亿万两"
)
TRAD_ONLY = set(TRADITIONAL)
assert len(TRADITIONAL) == len(SIMPLIFIED)
SIMP_ONLY = set(SIMPLIFIED) - {"周"}  # 周 is also Traditional (周期)


def message_files() -> list[Any]:
    folder = resources.files("tidegauge") / "messages"
    return sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)


def leaves(prefix: str, table: dict[str, Any]) -> dict[str, Any]:
    """Dotted key → message table; a table whose values are all strings is a message."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
            out[full] = value
        elif isinstance(value, dict):
            out.update(leaves(full, value))
        else:
            out[full] = value  # a bare string or number: reported as malformed below
    return out


@pytest.fixture(scope="module")
def per_file() -> dict[str, dict[str, Any]]:
    files = message_files()
    assert any(p.name == "core.toml" for p in files)
    return {p.name: leaves("", tomllib.loads(p.read_text(encoding="utf-8"))) for p in files}


def all_messages(per_file: dict[str, dict[str, Any]]) -> list[tuple[str, str, Any]]:
    return [(name, key, msg) for name, msgs in per_file.items() for key, msg in msgs.items()]


def fields(text: str) -> list[tuple[str, str, str | None]]:
    """``(name, format_spec, conversion)`` of each replacement field."""
    return sorted(
        (name, spec or "", conv)
        for _, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    )


# --------------------------------------------------------------------------- the files


def test_every_message_has_exactly_the_three_languages(per_file: dict) -> None:
    bad = [
        f"{name}: {key} has {sorted(msg) if isinstance(msg, dict) else type(msg).__name__}"
        for name, key, msg in all_messages(per_file)
        if not isinstance(msg, dict) or set(msg) != set(LANGS)
    ]
    assert not bad, "\n".join(bad)


def test_no_message_is_empty(per_file: dict) -> None:
    bad = [
        f"{name}: {key} [{lang}]"
        for name, key, msg in all_messages(per_file)
        for lang, text in msg.items()
        if not text.strip()
    ]
    assert not bad, "\n".join(bad)


def test_placeholders_are_identical_across_languages(per_file: dict) -> None:
    bad = []
    for name, key, msg in all_messages(per_file):
        try:
            got = {lang: fields(text) for lang, text in msg.items()}
        except ValueError as exc:  # unbalanced braces
            bad.append(f"{name}: {key}: {exc}")
            continue
        if len({repr(v) for v in got.values()}) != 1:
            bad.append(f"{name}: {key}: {got}")
        for lang, fs in got.items():
            for field_name, _, _ in fs:
                if not field_name.isidentifier():
                    bad.append(
                        f"{name}: {key} [{lang}]: use named placeholders, not {{{field_name}}}"
                    )
    assert not bad, "\n".join(bad)


def test_no_key_is_defined_in_two_files(per_file: dict) -> None:
    seen: dict[str, str] = {}
    clashes = []
    for name, key, _ in all_messages(per_file):
        if key in seen:
            clashes.append(f"{key}: {seen[key]} and {name}")
        seen[key] = name
    assert not clashes, "\n".join(clashes)


def test_chinese_is_in_the_right_script(per_file: dict) -> None:
    bad = []
    for name, key, msg in all_messages(per_file):
        if wrong := set(msg.get("zh-TW", "")) & SIMP_ONLY:
            bad.append(f"{name}: {key} [zh-TW] has Simplified {''.join(sorted(wrong))}")
        if wrong := set(msg.get("zh-CN", "")) & TRAD_ONLY:
            bad.append(f"{name}: {key} [zh-CN] has Traditional {''.join(sorted(wrong))}")
    assert not bad, "\n".join(bad)


def test_standard_terms() -> None:
    """The brief's standard terms, where a message uses the concept at all."""
    wrong = {"zh-TW": ["實際利率", "量化寬松", "准備金"], "zh-CN": ["实质利率", "準备金"]}
    bad = [
        f"{key} [{lang}] uses {term!r}"
        for key, msg in catalog().items()
        for lang, terms in wrong.items()
        for term in terms
        if term in msg.get(lang, "")
    ]
    assert not bad, "\n".join(bad)


def test_loaded_catalog_holds_every_file(per_file: dict) -> None:
    catalog.cache_clear()  # read the files now, as the per_file fixture did
    loaded = catalog()
    keys = {key for _, key, _ in all_messages(per_file)}
    assert keys == set(loaded)
    assert len(loaded) >= 60


def test_every_catalog_unit_frequency_and_category_has_a_label() -> None:
    """``series list`` translates these; a missing one would crash it."""
    messages = catalog()
    for s in CATALOG.values():
        for key in (f"unit.{s.unit}", f"frequency.{s.frequency}", f"category.{s.category}"):
            assert key in messages, (s.id, key)


# --------------------------------------------------------------------------- t()


def test_t_formats_in_each_language() -> None:
    kw = {"value": "6,730.912", "date": "2026-08-26"}
    assert t("series.latest_value", "en", unit="USD billions", **kw) == (
        "6,730.912 USD billions (as of 2026-08-26)"
    )
    assert t("series.latest_value", "zh-TW", unit=t("unit.USD billions", "zh-TW"), **kw) == (
        "6,730.912 十億美元（截至 2026-08-26）"
    )
    assert t("series.latest_value", "zh-CN", unit=t("unit.USD billions", "zh-CN"), **kw) == (
        "6,730.912 十亿美元（截至 2026-08-26）"
    )
    assert t("category.balance_sheet", "zh-TW") == "資產負債表"
    assert t("category.balance_sheet", "zh-CN") == "资产负债表"


def test_t_unknown_key_and_unknown_language() -> None:
    with pytest.raises(KeyError, match="no message"):
        t("no.such.key", "en")
    assert t("error.prefix", "fr") == t("error.prefix", "en")  # falls back to English


def test_placeholders_helper() -> None:
    assert placeholders("{n} from {first} to {last:>10}") == {"n", "first", "last"}
    assert placeholders("no fields") == set()


# --------------------------------------------------------------------------- languages


@pytest.mark.parametrize(
    ("raw", "lang"),
    [
        (None, "en"),
        ("", "en"),
        ("en", "en"),
        ("EN", "en"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("zh-TW", "zh-TW"),
        ("zh_TW", "zh-TW"),
        ("ZH-tw", "zh-TW"),
        ("zh-Hant", "zh-TW"),
        ("zh-HK", "zh-TW"),
        (" zh-tw ", "zh-TW"),
        ("zh-CN", "zh-CN"),
        ("zh_cn", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("zh-SG", "zh-CN"),
        ("zh", "zh-CN"),
    ],
)
def test_normalise_lang_aliases(raw: str | None, lang: str) -> None:
    assert normalise_lang(raw) == lang


@pytest.mark.parametrize("raw", ["fr", "jp", "zh-XX", "english", "zh-TW-x", "中文"])
def test_unknown_language_is_a_one_line_usage_error(raw: str) -> None:
    with pytest.raises(UsageError) as info:
        normalise_lang(raw)
    message = str(info.value)
    assert "\n" not in message and repr(raw) in message
    assert all(lang in message for lang in LANGS)
    assert info.value.exit_code == 2
