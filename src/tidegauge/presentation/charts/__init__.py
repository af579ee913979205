"""The chart layer: one chart definition, three outputs (PNG, SVG, offline HTML).

Charts are Vega-Lite specifications written by the builders of :mod:`.vl` (plain dicts, no
Altair). :func:`render` turns one into

* a PNG or SVG with ``vl-convert`` (a Rust/Deno build of Vega: no browser, no network), or
* a self-contained HTML page (:func:`tidegauge.presentation.html.chart_document`, the same page
  family and chart embedding as the report and the dashboard) whose Vega, Vega-Lite and
  Vega-Embed JavaScript is inlined (the bundle shipped inside ``vl-convert``), so the page
  works offline and loads nothing from a CDN.

Chinese labels need a CJK font. :func:`find_cjk_font` looks for one (``fc-list``, then the usual
folders of Debian's ``fonts-noto-cjk`` package; ``TIDEGAUGE_CJK_FONT_DIR`` overrides), registers
its folder with ``vl-convert`` and every chart's font is set to it. With no CJK font,
:func:`chart_lang` warns (:class:`MissingCJKFontWarning`) and charts fall back to English labels,
so a PNG never shows empty boxes in place of Chinese characters.

Every chart states its unit and the as-of date of its data (subtitle) and carries a source line;
build them with :func:`title` and :func:`source_line`.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..._frames import pylist
from ..._typing import Lang
from ...errors import UsageError
from ...i18n import t
from ...lang import normalise_lang
from . import vl

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CjkFont",
    "MissingCJKFontWarning",
    "chart_lang",
    "check_chart_path",
    "cjk_font_available",
    "downsample",
    "explore",
    "find_cjk_font",
    "finish",
    "render",
    "source_line",
    "title",
    "tooltip_date",
    "vega_javascript",
]

ENV_FONT_DIR = "TIDEGAUGE_CJK_FONT_DIR"
"""Environment variable naming a folder with a CJK font (overrides the search)."""

KNOWN_FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto",  # Debian/Ubuntu fonts-noto-cjk
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto-cjk",  # Fedora/Arch
    "/usr/share/fonts/google-noto-cjk",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
)
"""Folders searched for a Noto CJK font when ``fc-list`` is unavailable."""

DEFAULT_WIDTH = 720
DEFAULT_HEIGHT = 320
HTML_FONT_FALLBACKS = (
    '"PingFang TC", "PingFang SC", "Microsoft JhengHei", "Microsoft YaHei", sans-serif'
)


class MissingCJKFontWarning(UserWarning):
    """No CJK font was found: a chart asked for in Chinese is drawn with English labels."""


@dataclass(frozen=True)
class CjkFont:
    """A CJK font family per script and the folder that holds its files.

    Attributes
    ----------
    traditional, simplified
        Font family names for Traditional (zh-TW) and Simplified (zh-CN) Chinese.
    directory
        Folder registered with vl-convert.
    """

    traditional: str
    simplified: str
    directory: Path

    def family(self, lang: Lang) -> str:
        return self.simplified if lang == "zh-CN" else self.traditional


def _from_fc_list() -> CjkFont | None:
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, ":lang=zh", "family", "file"], capture_output=True, text=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families: dict[str, Path] = {}
    for line in out.splitlines():
        path, _, fams = line.partition(": ")
        for fam in fams.split(","):
            families.setdefault(fam.strip(), Path(path.strip()).parent)
    preferred = [f for f in families if "Sans" in f and "CJK" in f] or sorted(families)
    if not preferred:
        return None

    def pick(tag: str) -> str:
        return next((f for f in preferred if f.endswith(f" {tag}")), preferred[0])

    trad, simp = pick("TC"), pick("SC")
    return CjkFont(trad, simp, families[trad])


def _from_known_dirs(dirs: Iterable[str]) -> CjkFont | None:
    for d in dirs:
        folder = Path(d)
        if not folder.is_dir():
            continue
        hits = sorted(folder.glob("NotoSansCJK*")) + sorted(folder.glob("NotoSans*CJK*"))
        if hits:
            return CjkFont("Noto Sans CJK TC", "Noto Sans CJK SC", folder)
    return None


@functools.cache
def find_cjk_font() -> CjkFont | None:
    """The CJK font charts use, or ``None`` (cached; ``find_cjk_font.cache_clear()`` resets).

    Order: ``$TIDEGAUGE_CJK_FONT_DIR`` (Noto Sans CJK family names assumed), ``fc-list :lang=zh``
    (prefers a *Sans CJK* family), then :data:`KNOWN_FONT_DIRS`. :func:`render` registers the
    font's folder with vl-convert before drawing a PNG or SVG (a browser finds it by itself).
    """
    override = os.environ.get(ENV_FONT_DIR)
    if override:
        return _from_known_dirs([override])
    return _from_fc_list() or _from_known_dirs(KNOWN_FONT_DIRS)


@functools.cache
def _register_font_with_vl_convert() -> None:
    """Make the CJK font available to vl-convert's PNG/SVG renderer (once per process)."""
    font = find_cjk_font()
    if font is not None:
        import vl_convert

        vl_convert.register_font_directory(str(font.directory))


def cjk_font_available() -> bool:
    """Whether a CJK font was found (Chinese chart labels can render)."""
    return find_cjk_font() is not None


def chart_lang(lang: str | None) -> Lang:
    """The language a chart can be drawn in: ``lang``, or English when Chinese cannot render.

    Warns
    -----
    MissingCJKFontWarning
        When ``lang`` is Chinese and no CJK font exists.
    """
    norm = normalise_lang(lang)
    if norm != "en" and not cjk_font_available():
        warnings.warn(
            f"no CJK font found (install fonts-noto-cjk or set {ENV_FONT_DIR}); "
            "drawing this chart with English labels",
            MissingCJKFontWarning,
            stacklevel=2,
        )
        return "en"
    return norm


def font_family(lang: Lang) -> str | None:
    """The font family for ``lang`` (the CJK font when available, else vl-convert's default)."""
    font = find_cjk_font()
    return font.family(lang) if font is not None else None


# -- titles and sources ------------------------------------------------------------------------
_SOURCE_NAMES = {"fred": "FRED", "datahub": "Shiller / datahub", "dts": "U.S. Treasury DTS"}


def source_line(ids: Iterable[str], lang: Lang, extra: str | None = None) -> str:
    """``Source: FRED, series WALCL, WTREGEN`` (grouped by source family), plus ``extra``."""
    from ...catalog import CATALOG

    groups: dict[str, list[str]] = {}
    for sid in ids:
        family = CATALOG[sid].source if sid in CATALOG else "fred"
        groups.setdefault(_SOURCE_NAMES.get(family, family), []).append(sid)
    parts = [
        t("charts.source_part", lang, source=src, ids=", ".join(v)) for src, v in groups.items()
    ]
    text = t("charts.source", lang, sources="; ".join(parts))
    return f"{text} · {extra}" if extra else text


def title(text: str, subtitle: str | list[str], source: str) -> Any:
    """A title with the subtitle lines (unit, as-of date) and the source line last."""

    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    return vl.TitleParams(
        text=text,
        subtitle=[*lines, source],
        anchor="start",
        fontSize=16,
        subtitleFontSize=11,
        subtitleColor="#555",
        offset=10,
    )


DATE_FORMATS = {"en": "%b %-d, %Y", "zh-TW": "%Y年%-m月%-d日", "zh-CN": "%Y年%-m月%-d日"}
MONTH_FORMATS = {"en": "%b %Y", "zh-TW": "%Y年%-m月", "zh-CN": "%Y年%-m月"}


def tooltip_date(lang: Lang, field: str = "date", *, month: bool = False) -> Any:
    """A tooltip of a date in ``lang`` (``Jun 17, 2026`` / ``2026年6月17日``), titled "Date"."""

    fmt = (MONTH_FORMATS if month else DATE_FORMATS).get(lang, DATE_FORMATS["en"])
    return vl.Tooltip(f"{field}:T", title=t("charts.date", lang), format=fmt)


def _field(name: str) -> str:
    """A data field name for Vega-Lite (dots and brackets escaped)."""
    return name.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")


def explore(
    df: pd.DataFrame,
    lang: Lang,
    *,
    key: str | None = "series",
    fmt: str = ",.1f",
    title: str | None = None,
    name: str = "hover",
    month: bool = False,
) -> Any:
    """A layer that makes a time chart explorable: a vertical rule at the date nearest the
    pointer with a tooltip of every line's value on that date (``df`` long: ``date``,
    ``value`` and, for several lines, ``key``), and zoom/pan of the dates (drag to pan,
    Shift + wheel to zoom, double-click to reset; touch scrolling is left to the page)."""

    nearest = vl.selection_point(
        name=name, nearest=True, on="pointerover", fields=["date"], empty=False, clear="pointerout"
    )
    zoom = vl.selection_interval(
        name=f"{name}_zoom",
        bind="scales",
        encodings=["x"],
        zoom="wheel![event.shiftKey]",
        translate="[mousedown, window:mouseup] > window:mousemove!",
    )
    if key is not None:
        col = df[key]
        names = [str(x) for x in dict.fromkeys(pylist(col))]
        base = vl.Chart(df).transform_pivot(key, value="value", groupby=["date"])
        tips = [vl.Tooltip(f"{_field(n)}:Q", title=n, format=fmt) for n in names]
    else:
        base = vl.Chart(df)
        tips = [vl.Tooltip("value:Q", title=title or t("charts.value", lang), format=fmt)]
    return (
        base.mark_rule(color="#6b7280", strokeWidth=1)
        .encode(
            x=vl.X("date:T"),
            opacity=vl.condition(nearest, vl.value(0.8), vl.value(0)),
            tooltip=[tooltip_date(lang, month=month), *tips],
        )
        .add_params(nearest, zoom)
    )


def finish(
    chart: Any, lang: Lang, *, width: int = DEFAULT_WIDTH, height: int = DEFAULT_HEIGHT
) -> Any:
    """Size the chart and set the font for ``lang``; stores ``lang`` in ``usermeta``."""
    family = font_family(lang)
    chart = chart.properties(width=width, height=height, usermeta={"tidegauge": {"lang": lang}})
    cfg: dict[str, Any] = {"font": family} if family else {}
    return (
        chart.configure(**cfg)
        .configure_view(stroke=None)
        .configure_legend(orient="top", labelLimit=320, titleFontSize=11, labelFontSize=11)
    )


def downsample(s: pd.Series, max_points: int = 1200) -> pd.Series:
    """A display copy of ``s`` with at most ~``max_points`` points (last value per week/month/
    quarter); analysis never uses it. Keeps the HTML light."""
    from ...analysis.periods import period_last

    if len(s) <= max_points:
        return s
    for freq in ("W", "M", "Q"):  # weeks ending Wednesday, months, quarters
        out = period_last(s, freq).dropna()
        if len(out) <= max_points:
            return out
    return out


# -- output ------------------------------------------------------------------------------------
def _spec(chart: Any) -> dict[str, Any]:
    spec: dict[str, Any] = chart if isinstance(chart, dict) else chart.to_dict()
    return spec


def check_chart_path(path: Path | str) -> Path:
    """``path`` as a Path if a chart can be written there (suffix and folder), else UsageError.

    Commands call it before loading data so a bad ``--chart`` fails fast.
    """
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg", ".html", ".htm"):
        raise UsageError.t("errors.files.chart_suffix", name=out.name)
    if not out.parent.is_dir():
        raise UsageError.t("errors.files.chart_folder", path=str(out.parent))
    return out


def render(chart: Any, path: Path | str, *, scale: float = 2) -> Path:
    """Write ``chart`` to ``path``; the suffix picks the format (``.png``, ``.svg``, ``.html``).

    Parameters
    ----------
    chart
        A chart of :mod:`.vl` or a Vega-Lite dict.
    path
        Output file; its folder must exist.
    scale
        Pixel scale of PNG output (2 = sharp on high-density screens).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    UsageError
        Unknown suffix or a folder that does not exist.
    """
    import vl_convert

    out = check_chart_path(path)
    suffix = out.suffix.lower()
    if suffix in (".png", ".svg"):
        _register_font_with_vl_convert()
    spec = _spec(chart)
    if suffix == ".png":
        out.write_bytes(vl_convert.vegalite_to_png(spec, scale=scale))
    elif suffix == ".svg":
        out.write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")
    else:  # the same page family and chart embedding as the report and the dashboard
        from ..html import chart_document
        from .build import spec_of

        title = spec.get("title")
        name = title.get("text", "tidegauge") if isinstance(title, dict) else "tidegauge"
        lang = spec.get("usermeta", {}).get("tidegauge", {}).get("lang", "en")
        out.write_text(chart_document(spec_of(spec), lang, str(name)), encoding="utf-8")
    return out
