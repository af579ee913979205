"""One short line of supporting detail under each headline figure (shared by every renderer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._typing import Lang
from ...i18n import t
from ..fmt import fmt_date, fmt_pct, fmt_value

if TYPE_CHECKING:
    from ..overview import Figure


def _program(detail: dict[str, object], lang: Lang) -> str:
    prog = detail.get("program")
    return t("report.context.program", lang, program=prog) if prog else ""


def figure_context(fig: Figure, lang: Lang) -> str:
    """The context line of ``fig`` in ``lang`` (``""`` when there is nothing to add)."""
    d = fig.detail
    if fig.value is None or not d:
        return ""
    usd = "USD billions"
    if fig.key == "regime":
        return t(
            "report.context.regime",
            lang,
            start=fmt_date(d["start"], lang),
            program=_program(d, lang),
        )
    if fig.key == "episode_change":
        return t(
            "report.context.episode_change",
            lang,
            start=fmt_date(d["start"], lang),
            pct=fmt_pct(d["change_pct"], lang, decimals=1, sign=True),
            pace=fmt_value(d["monthly_pace"], usd, lang, sign=True),
        )
    if fig.key == "previous_episode":
        return t(
            "report.context.previous_episode",
            lang,
            kind=t(f"regimes.kind.{d['kind']}", lang),
            program=_program(d, lang),
            start=fmt_date(d["start"], lang),
            end=fmt_date(d["end"], lang),
            pct=fmt_pct(d["change_pct"], lang, decimals=1, sign=True),
        )
    if fig.key == "net_liquidity":
        return t(
            "report.context.net_liquidity",
            lang,
            walcl=fmt_value(d["walcl"], usd, lang),
            tga=fmt_value(d["tga"], usd, lang),
            rrp=fmt_value(d["rrp"], usd, lang),
        )
    if fig.key == "reserves_pct_gdp":
        return t(
            "report.context.reserves_pct_gdp",
            lang,
            gdp=fmt_value(d["gdp"], usd, lang),
            quarter=fmt_date(d["gdp_quarter"], lang, precision="month"),
        )
    if fig.key == "reserves_gauge":
        return t(
            "report.context.reserves_gauge",
            lang,
            pct=fmt_pct(d["pct_gdp"], lang, decimals=1),
            scarce=fmt_pct(d["scarce_below_pct"], lang, decimals=1),
            abundant=fmt_pct(d["abundant_above_pct"], lang, decimals=1),
        )
    if fig.key in ("breakeven_10y", "real_policy_rate", "cpi_yoy") and d.get("formula"):
        return t("report.context.formula", lang, formula=d["formula"])
    if fig.key == "stance":
        return t(
            "report.context.stance",
            lang,
            rstar=fmt_pct(d["rstar"], lang),
            band=fmt_value(d["band"], "pp", lang).lstrip("+"),
        )
    if fig.key == "checklist_verdict":
        yes_no = t("report.text.yes" if d["easing"] else "report.text.no", lang)
        return t(
            "report.context.checklist_verdict",
            lang,
            easing=yes_no,
            met=d["boom_met"],
            available=d["boom_available"],
            need=d["need"],
        )
    return ""
