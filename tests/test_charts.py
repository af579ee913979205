"""The chart layer: PNG/SVG/HTML from one chart definition, CJK fonts and the English fallback."""

from __future__ import annotations

import re
import struct
import warnings
from pathlib import Path

import pandas as pd
import pytest

from tidegauge.analysis.liquidity import from_session as liquidity_from_session
from tidegauge.errors import UsageError
from tidegauge.presentation import charts
from tidegauge.presentation.charts import balance, liquidity

# Fed episodes at the program-catalog dates of PRODUCT.md (the shape of RegimeResult.episodes):
# enough to exercise shading and labels independently of the regime detector.
EPISODES = pd.DataFrame(
    [
        ("lending", "2008-09-10", "2008-11-25", None),
        ("QE", "2008-11-25", "2010-03-31", "QE1"),
        ("QE", "2010-11-03", "2011-06-30", "QE2"),
        ("QE", "2012-09-13", "2014-10-29", "QE3"),
        ("QT", "2017-10-01", "2019-07-31", "QT1"),
        ("reserve_management", "2019-10-11", "2020-03-11", "RMP2019"),
        ("QE", "2020-03-15", "2022-03-09", "QE4"),
        ("QT", "2022-06-01", "2025-12-01", "QT2"),
        ("reserve_management", "2025-12-12", "2026-08-26", "RMP2025"),
    ],
    columns=["kind", "start", "end", "program"],
).assign(start=lambda d: pd.to_datetime(d["start"]), end=lambda d: pd.to_datetime(d["end"]))

LANGS = ("en", "zh-TW")


@pytest.fixture(scope="module")
def built(mirror_session) -> dict[str, object]:
    tg = mirror_session
    walcl = tg.series("WALCL")
    sp = tg.series("SP500", "2022-12-01", "2025-12-31")
    liq = liquidity_from_session(tg)
    out: dict[str, object] = {}
    for lang in LANGS:
        out[f"fed_{lang}"] = balance.fed_assets_chart(walcl, EPISODES, lang)
        out[f"rebased_{lang}"] = balance.rebased_chart(
            walcl.loc["2022-12-01":"2025-12-31"], sp, lang, start="2023-01-01", end="2025-12-31"
        )
        out[f"netliq_{lang}"] = liquidity.net_liquidity_chart(liq.to_frame(), lang)
    return out


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", head[16:24])


def test_cjk_font_found() -> None:
    # CI installs Debian's fonts-noto-cjk; without it Chinese charts fall back to English.
    assert charts.cjk_font_available()
    font = charts.find_cjk_font()
    assert font is not None and "CJK" in font.traditional and font.directory.is_dir()


@pytest.mark.parametrize("name", ["fed", "rebased", "netliq"])
@pytest.mark.parametrize("lang", LANGS)
def test_png(built, tmp_path: Path, name: str, lang: str) -> None:
    path = charts.render(built[f"{name}_{lang}"], tmp_path / f"{name}.png")
    width, height = png_size(path)
    # 720x320 plot plus title/legend/axes at scale 2
    assert 1300 < width < 2200 and 650 < height < 1300
    assert path.stat().st_size > 50_000


@pytest.mark.parametrize("name", ["fed", "rebased", "netliq"])
@pytest.mark.parametrize("lang", LANGS)
def test_html_is_offline(built, tmp_path: Path, name: str, lang: str) -> None:
    path = charts.render(built[f"{name}_{lang}"], tmp_path / f"{name}.html")
    page = path.read_text(encoding="utf-8")
    assert "window.vegaEmbed=" in page  # the inlined Vega/Vega-Lite/Vega-Embed bundle
    # the one chart embedding of every page: a div and its spec as inert JSON, drawn by the script
    assert 'class="tg-chart"' in page and 'type="application/json"' in page
    assert not re.search(r"<script[^>]*\bsrc\s*=", page)  # nothing loaded from a CDN
    assert not re.search(r"<link[^>]*href\s*=\s*[\"']https?:", page)
    assert len(page) < 1_600_000  # bundle (~0.9 MB) + downsampled data


def test_labels_and_metadata(built) -> None:
    fed_en = built["fed_en"].to_dict()
    title = fed_en["title"]
    assert title["text"] == "Fed total assets and balance-sheet episodes"
    subtitle = " ".join(title["subtitle"])
    assert "USD billions" in subtitle and "data as of Aug 26, 2026" in subtitle
    assert title["subtitle"][-1] == "Source: FRED, series WALCL"
    fed_tw = built["fed_zh-TW"].to_dict()
    assert fed_tw["title"]["text"] == "聯準會總資產與資產負債表階段"
    assert fed_tw["title"]["subtitle"][-1] == "資料來源：FRED，序列 WALCL"
    assert "CJK" in fed_tw["config"]["font"]
    net = built["netliq_en"].to_dict()
    assert "WDTGAL" in net["title"]["subtitle"][-1] and "RRPONTSYD" in net["title"]["subtitle"][-1]


def test_svg_keeps_chinese_text_with_cjk_font(built, tmp_path: Path) -> None:
    svg = charts.render(built["fed_zh-TW"], tmp_path / "fed.svg").read_text(encoding="utf-8")
    assert "量化寬鬆" in svg and "Noto Sans CJK TC" in svg


def test_episode_labels_present(built) -> None:
    spec = built["fed_en"].to_dict()
    labels = {row["label"] for rows in spec["datasets"].values() for row in rows if "label" in row}
    assert {"QE1", "QE2", "QE3", "QT1", "QE4", "QT2", "RMP2025"} <= labels


def test_no_cjk_font_falls_back_to_english(mirror_session, monkeypatch) -> None:
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    walcl = mirror_session.series("WALCL")
    with pytest.warns(charts.MissingCJKFontWarning, match="English labels"):
        chart = balance.fed_assets_chart(walcl, EPISODES, "zh-TW")
    spec = chart.to_dict()
    assert spec["title"]["text"] == "Fed total assets and balance-sheet episodes"
    assert "font" not in spec.get("config", {})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # English never warns
        balance.fed_assets_chart(walcl, EPISODES, "en")


def test_chart_embedding_is_inert_json(built) -> None:
    """The one way a chart enters a page: a div and its spec as JSON no value can break out of."""
    from tidegauge.presentation.charts.build import spec_of
    from tidegauge.presentation.html import embed_chart

    spec = spec_of(built["rebased_en"])
    spec["title"]["text"] = "</script><script>alert(1)</script>"
    embedded = embed_chart(spec, "c1")
    assert embedded["id"] == "c1"
    assert "</script" not in str(embedded["spec"]) and "\\u003c/script" in str(embedded["spec"])


def test_bad_paths(built, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\.png, \.svg or \.html"):
        charts.render(built["fed_en"], tmp_path / "chart.pdf")
    with pytest.raises(UsageError, match="does not exist"):
        charts.render(built["fed_en"], tmp_path / "missing" / "chart.png")


def test_downsample_keeps_ends_and_limits_points(mirror_session) -> None:
    rrp = mirror_session.series("RRPONTSYD")
    small = charts.downsample(rrp, max_points=1000)
    assert len(small) <= 1000 < len(rrp)
    assert small.index[-1] >= rrp.index[-1] - pd.Timedelta(days=31)


def test_pages_write_midnight_timestamps_as_days_and_name_them() -> None:
    """The HTML pages carry dates as days (the report's size budget); restoring the named fields
    as tidegauge.js does gives the spec back unchanged (the browser test checks the drawing)."""
    from tidegauge.presentation.html import compact_dates

    spec = {
        "datasets": {
            "a": [{"date": "2008-01-02T00:00:00", "v": 1.0}, {"date": None, "v": 2.0}],
            "b": [{"mid": "2008-11-08T12:00:00", "label": "QE1"}],
        },
        "usermeta": {"tidegauge": {"lang": "en"}},
    }
    out = compact_dates(spec)
    assert out["datasets"]["a"][0]["date"] == "2008-01-02"
    assert out["datasets"]["b"] == spec["datasets"]["b"]  # noon is not a day: kept
    days = out["usermeta"]["tidegauge"]["days"]
    assert days == {"a": ["date"]} and out["usermeta"]["tidegauge"]["lang"] == "en"
    for name, fields in days.items():
        for row in out["datasets"][name]:
            for f in fields:
                if row[f]:
                    row[f] += "T00:00:00"
    assert out["datasets"] == spec["datasets"]
