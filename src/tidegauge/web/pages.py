"""The dashboard's pages, generated from the indicator registry.

A page shows the sections of the indicators registered for it, with a form generated from their
parameters (the same bounds and defaults as the CLI and the API); the overview shows the
report's headline figures and two charts. Every page goes through the one template family of
:mod:`tidegauge.presentation.html`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .._typing import LANGS
from ..i18n import catalog, t
from ..indicators.params import Param, merge_params, parse_params

if TYPE_CHECKING:
    from ..api import Tidegauge
    from ..indicators.base import Indicator

__all__ = ["LANG_LABELS", "OVERVIEW_CHARTS", "page_names", "page_params", "render_page"]

LANG_LABELS = {"en": "English", "zh-TW": "繁體中文", "zh-CN": "简体中文"}
OVERVIEW_CHARTS = ("balance:fed_assets", "liquidity:net_liquidity")
"""The charts the overview page shows (section:chart)."""


def page_names() -> tuple[str, ...]:
    """Every page in menu order (``overview`` is ``/``, the others ``/<name>``)."""
    from ..indicators.registry import pages

    return ("overview", *pages())


def page_path(page: str) -> str:
    return "/" if page == "overview" else f"/{page}"


def page_indicators(page: str) -> tuple[Indicator, ...]:
    from ..indicators.registry import by_page

    return by_page(page)


def page_params(page: str) -> tuple[Param, ...]:
    """The parameters a page accepts (the overview: ``as_of``)."""
    if page == "overview":
        return (Param("as_of", "date", metavar="DATE", not_future=True),)
    return merge_params(i.params for i in page_indicators(page))


def parse_page_query(page: str, q: Mapping[str, str]) -> dict[str, Any]:
    """Validated parameters of ``page`` (``lang`` excluded); unknown ones are refused."""
    from .security import check_params

    params = page_params(page)
    check_params(q, (*(p.name for p in params), "lang"))
    return parse_params(params, {k: v for k, v in q.items() if k != "lang"})


# -- content -------------------------------------------------------------------------------------
def _specs(sections: Sequence[Any], lang: str, only: Sequence[str] | None = None) -> dict[str, Any]:
    from ..presentation.charts.build import section_charts, spec_of

    return {key: spec_of(chart) for key, chart in section_charts(sections, lang, only).items()}


def _overview(tg: Tidegauge, lang: str, p: Mapping[str, Any]) -> dict[str, Any]:
    from ..i18n import Message
    from ..indicators.model import Section
    from ..indicators.report import report_indicators
    from ..presentation.html import section_view

    # the signals' track record (a replay) is not on the overview: leave it out of its report
    shown = [i.id for i in report_indicators() if i.id != "signals"]
    rep = tg.report(as_of=p.get("as_of"), only=shown)
    head = Section("figures", Message("web.overview.figures"), figures=list(rep.headline))
    specs = _specs(rep.sections, lang, OVERVIEW_CHARTS)
    views = [section_view(s, lang) for s in rep.sections if s.id == "changes" and not s.errors]
    views.append(section_view(head, lang))
    for key in OVERVIEW_CHARTS:
        sid = key.split(":")[0]
        try:
            section = rep.section(sid)
        except StopIteration:
            continue
        charted = Section(
            section.id, "", charts=[c for c in section.charts if f"{sid}:{c.id}" == key]
        )
        views.append(section_view(charted, lang, specs))
    missing = [s for s in rep.sections if s.errors]
    if missing:
        from ..presentation.text import say

        text = Section(
            "missing",
            "",
            paragraphs=[
                f"{say(s.title, lang)}: {' '.join(say(e, lang) for e in s.errors)}" for s in missing
            ],
        )
        views.append(section_view(text, lang))
    from ..presentation.terminal import header_lines

    return {"sections": views, "subtitle": header_lines(rep, lang)}


def page_sections(page: str, tg: Tidegauge, p: Mapping[str, Any]) -> list[Any]:
    """The sections of indicator page ``page`` for validated parameters ``p``."""
    from ..indicators.base import load_inputs

    inds = page_indicators(page)
    ids: list[str] = []
    for ind in inds:
        ids += ind.input_ids(p)
    inputs = load_inputs(tg, ids, inds[0].as_of(p), fetch=False)
    return [inds[0].run(inputs, p), *(i.run_or_explain(inputs, p) for i in inds[1:])]


def query_string(lang: str, p: Mapping[str, Any]) -> str:
    """``p`` (validated parameters) and ``lang`` as a query string: the page's state."""
    shown = {
        k: (v.isoformat() if isinstance(v, dt.date) else str(v))
        for k, v in p.items()
        if v is not None and v is not False
    }
    return urlencode({**shown, "lang": lang})


def download_path(page: str, table_id: str, fmt: str) -> str:
    return f"/download/{page}/{table_id}.{fmt}"


def _indicator_page(page: str, tg: Tidegauge, lang: str, p: Mapping[str, Any]) -> dict[str, Any]:
    from ..presentation.html import section_view

    sections = page_sections(page, tg, p)
    specs = _specs(sections, lang)
    query = query_string(lang, p)

    def downloads(table_id: str) -> dict[str, str]:
        return {f: f"{download_path(page, table_id, f)}?{query}" for f in ("csv", "xlsx")}

    return {"sections": [section_view(s, lang, specs, downloads) for s in sections]}


def table_file(page: str, table_id: str, fmt: str, tg: Tidegauge, lang: str, p: Any) -> bytes:
    """Table ``table_id`` of page ``page`` as a CSV or XLSX file (raw values)."""
    from ..errors import NoDataError
    from ..presentation.tabular import table_data, to_csv, to_xlsx

    tables = {tb.id: tb for s in page_sections(page, tg, p) for tb in s.tables}
    if table_id not in tables:
        raise NoDataError.t("errors.web.no_table", table=table_id, page=page)
    heads, rows = table_data(tables[table_id], lang)
    if fmt == "csv":
        return ("\ufeff" + to_csv(heads, rows)).encode("utf-8")  # BOM: Excel reads it as UTF-8
    return to_xlsx([(table_id, heads, rows)])


def content(page: str, tg: Tidegauge, lang: str, p: Mapping[str, Any]) -> dict[str, Any]:
    """Everything a page shows, formatted for ``lang``."""
    if page == "overview":
        return _overview(tg, lang, p)
    return _indicator_page(page, tg, lang, p)


# -- forms and links -----------------------------------------------------------------------------
def _shown(value: Any) -> str:
    """A parameter's value in a form field (a float with at most six significant digits: 2/3
    is shown 0.666667, not 0.6666666666666666)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _field(p: Param, value: Any, lang: str) -> dict[str, Any]:
    key = p.label_key
    label = t(key, lang) if key in catalog() else p.name
    field: dict[str, Any] = {
        "name": p.name,
        "label": label,
        "help": p.help,
        "step": p.step,
        "min": None,
        "max": None,
        "options": [],
        "type": "text",
        "value": _shown(value),
    }
    if p.kind == "date":
        field["type"] = "date"
        if p.not_future:
            field["max"] = dt.date.today().isoformat()
    elif p.kind in ("int", "float"):
        field |= {"type": "number", "min": p.lo, "max": p.hi, "step": p.step or "any"}
    elif p.kind == "bool":
        field["type"] = "select"
        field["value"] = "true" if value else "false"
        field["options"] = [
            {"value": "false", "label": t("report.text.no", lang)},
            {"value": "true", "label": t("report.text.yes", lang)},
        ]
    elif p.kind == "choice":
        field["type"] = "select"
        field["options"] = [
            {
                "value": c,
                "label": t(f"params.{p.name}.{c}", lang)
                if f"params.{p.name}.{c}" in catalog()
                else c,
            }
            for c in p.choices
        ]
    elif p.kind == "series":
        from ..catalog import CATALOG

        field["type"] = "select"
        field["options"] = [
            {"value": sid, "label": f"{sid} · {info.label(lang)}"}  # type: ignore[arg-type]
            for sid, info in CATALOG.items()
        ] + [{"value": e, "label": f"{e} · {t('charts.sp500tr', lang)}"} for e in p.extra]
    field["options_html"] = _options_html(field["options"], field["value"])
    return field


def _options_html(options: list[dict[str, Any]], value: Any) -> Any:
    """A select's ``<option>`` elements as the form template's loop writes them (same
    escaping), made in one pass: a series select has a hundred options."""
    from markupsafe import Markup, escape

    return Markup(
        "".join(
            f'<option value="{escape(o["value"])}"{" selected" if o["value"] == value else ""}>'
            f"{escape(o['label'])}</option>"
            for o in options
        )
    )


def form_view(page: str, lang: str, p: Mapping[str, Any]) -> dict[str, Any] | None:
    params = [q for q in page_params(page) if page != "overview"]
    if not params:
        return None
    return {
        "action": page_path(page),
        "lang": lang,
        "fields": [_field(q, p.get(q.name), lang) for q in params],
    }


def _links(page: str, lang: str, query: Mapping[str, str]) -> tuple[list[Any], list[Any]]:
    nav = [
        {
            "href": page_path(name) + "?" + urlencode({"lang": lang}),
            "label": t(f"web.nav.{name}", lang),
            "current": name == page,
        }
        for name in (*page_names(), "guide")
    ]
    keep = {k: v for k, v in query.items() if k != "lang"}
    langs = [
        {
            "href": page_path(page) + "?" + urlencode({**keep, "lang": code}),
            "code": code,
            "label": LANG_LABELS[code],
            "current": code == lang,
        }
        for code in LANGS
    ]
    return nav, langs


def render_page(
    page: str, tg: Tidegauge, lang: str, query: Mapping[str, str], p: Mapping[str, Any]
) -> str:
    """The whole HTML page ``page`` for validated parameters ``p``."""
    from ..presentation.html import render

    body = content(page, tg, lang, p)
    nav, langs = _links(page, lang, query)
    intro_key = f"web.page.{page}_intro"
    return render(
        "page.html",
        lang,
        page=page,
        title=t(f"web.page.{page}", lang),
        intro=t(intro_key, lang) if intro_key in catalog() else "",
        subtitle=body.get("subtitle", []),
        form_view=form_view(page, lang, p),
        sections=body["sections"],
        nav=nav,
        langs=langs,
        footer=[t("web.footer", lang)],
        no_js=t("web.no_js", lang),
        guide="",
    )


def render_guide(lang: str, query: Mapping[str, str]) -> str:
    """``/guide``: the user guide in ``lang``."""
    from ..presentation.guide import guide_html
    from ..presentation.html import render

    nav, langs = _links("guide", lang, query)
    return render(
        "page.html",
        lang,
        page="guide",
        title=t("web.page.guide", lang),
        intro="",
        form_view=None,
        sections=[],
        guide=guide_html(lang),
        nav=nav,
        langs=langs,
        footer=[t("web.footer", lang)],
        no_js="",
    )


def render_error(lang: str, title: str, message: str) -> str:
    from ..presentation.html import render

    return render(
        "error.html",
        lang,
        page="error",
        title=title,
        message=message,
        back=t("web.page.back", lang),
    )
