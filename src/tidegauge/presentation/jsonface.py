"""The JSON face: sections and the report as JSON, with the same words as every other face.

Each figure carries its raw value, unit, as-of date, sources and freshness, plus the text the
other faces show (``label``, ``text``, ``date_text``, ``context``, ``explanation``,
``freshness_text``) in the requested language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..jsonutil import jsonable
from .text import figure_text, say

if TYPE_CHECKING:
    from ..indicators.model import Figure, Section, Table
    from ..indicators.report import Report

__all__ = ["figure_json", "report_json", "section_json", "sections_json"]


def figure_json(fig: Figure, lang: str = "en") -> dict[str, Any]:
    ft = figure_text(fig, lang)
    fr = fig.freshness
    return jsonable(
        {
            "key": fig.key,
            "value": fig.code if fig.unit == "category" else fig.value,
            "unit": fig.unit,
            "as_of": fig.as_of,
            "period": fig.period,
            "source_ids": list(fig.sources),
            "available": fig.available,
            "detail": dict(fig.detail),
            "freshness": fr.to_dict() if fr is not None else None,
            "status": ft.status,
            "label": ft.label,
            "text": ft.value,
            "date_text": ft.date,
            "context": ft.context,
            "explanation": ft.explanation,
            "freshness_text": " ".join(x for x in (ft.badge, ft.freshness) if x),
        }
    )


def table_json(tb: Table, lang: str = "en") -> dict[str, Any]:
    return {
        "id": tb.id,
        "title": say(tb.title, lang) if tb.title is not None else None,
        "columns": [c.key for c in tb.columns],
        "headers": [say(c.label, lang) for c in tb.columns],
        "rows": [[say(cell, lang) for cell in row.cells] for row in tb.rows],
    }


def section_json(section: Section, lang: str = "en") -> dict[str, Any]:
    return {
        "id": section.id,
        "title": say(section.title, lang),
        "errors": [say(e, lang) for e in section.errors],
        "figures": [figure_json(f, lang) for f in section.figures],
        "tables": [table_json(tb, lang) for tb in section.tables],
        "paragraphs": [say(p, lang) for p in section.paragraphs],
        "notes": [say(n, lang) for n in section.notes],
        "charts": [c.id for c in section.charts],
    }


def sections_json(sections: Sequence[Section], lang: str = "en") -> dict[str, Any]:
    """A command's ``--json``: the first section's result JSON (the fields each command always
    printed) plus every section in ``sections``."""
    out = dict(sections[0].to_json(lang)) if sections else {}
    out["sections"] = [section_json(s, lang) for s in sections]
    return jsonable(out)


def report_json(report: Report, lang: str = "en") -> dict[str, Any]:
    """The report (and the dashboard's ``/api/overview``)."""
    errors = {s.id: " ".join(say(e, lang) for e in s.errors) for s in report.sections if s.errors}
    newest, oldest = report.newest, report.oldest
    return jsonable(
        {
            "as_of": report.report_date,
            "data_date": newest[1] if newest and not report.point_in_time else report.report_date,
            "point_in_time": report.point_in_time,
            "newest_input": {"id": newest[0], "date": newest[1]} if newest else None,
            "oldest_input": {"id": oldest[0], "date": oldest[1]} if oldest else None,
            "figures": [figure_json(f, lang) for f in report.headline],
            "sections": {s.id: s.to_json(lang) if not s.errors else None for s in report.sections},
            "views": [section_json(s, lang) for s in report.sections],
            "series_as_of": dict(report.series_as_of),
            "errors": errors,
        }
    )
