"""Words for the model: every face turns messages, values, figures and cells into text here.

The terminal, the HTML report, the dashboard, Markdown and JSON all call these functions, so a
figure reads the same on every face: same value, unit, date and freshness mark.

>>> from tidegauge.values import Quantity, Day
>>> say(Quantity(6720.4, "USD billions"), "en"), say(Day("2026-08-26"), "zh-TW")
('$6.72 trillion', '2026年8月26日')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import Term, TidegaugeError
from ..i18n import Message, t
from ..values import Day, Joined, Lazy, Localized, Quantity
from .fmt import NA, fmt_date, fmt_number, fmt_value

if TYPE_CHECKING:
    from ..freshness import Freshness
    from ..indicators.model import Figure

__all__ = [
    "UNAVAILABLE",
    "FigureText",
    "cell_text",
    "figure_text",
    "freshness_text",
    "say",
]

UNAVAILABLE = "?"
"""How an unavailable figure's value is shown on every face."""


def _param(value: Any, lang: str) -> Any:
    if isinstance(value, Message | Quantity | Day | Localized | Lazy | Term | Joined):
        return say(value, lang)
    if isinstance(value, TidegaugeError):
        return " ".join(value.message(lang).split())
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    return value


def say(value: Any, lang: str) -> str:
    """``value`` as text in ``lang`` (``None`` is a dash)."""
    if value is None:
        return NA
    if isinstance(value, str):
        return value
    if isinstance(value, Message):
        params = {k: _param(v, lang) for k, v in value.params.items()}
        return t(value.key, lang, **params)
    if isinstance(value, Quantity):
        if value.style == "number":
            return fmt_number(value.value, lang, decimals=value.decimals or 0, sign=value.sign)
        return fmt_value(
            value.value,
            value.unit,
            lang,
            decimals=value.decimals,
            sign=value.sign,
            style="unit" if value.style == "unit" else "natural",
        )
    if isinstance(value, Day):
        return fmt_date(value.date, lang, precision=value.precision)
    if isinstance(value, Localized | Lazy | Term):
        return value.text(lang)
    if isinstance(value, Joined):
        return value.sep.join(say(item, lang) for item in value.items)
    if isinstance(value, TidegaugeError):
        return " ".join(value.message(lang).split())
    if isinstance(value, bool):
        return t("report.text.yes" if value else "report.text.no", lang)
    if isinstance(value, int):
        return fmt_number(value, lang, decimals=0)
    if isinstance(value, float):
        return fmt_number(value, lang, decimals=2)
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    return str(value)


def cell_text(cell: Any, lang: str) -> str:
    """A table cell as text (numbers right-aligned by the face, not here)."""
    return say(cell, lang)


def freshness_text(fr: Freshness | None, lang: str) -> tuple[str, str]:
    """``(badge, detail)`` of a figure's freshness, e.g. ``("stale", "last observation Jun 17,
    2026, next was due Jun 25, 2026: WALCL, TREAST")``; both empty for a current figure whose
    inputs are of one time."""
    if fr is None or not fr.marked:
        return "", ""
    badges, parts = [], []
    if fr.status != "current":
        badges.append(t(f"fresh.status.{fr.status}", lang))
        groups: dict[tuple[Any, Any], list[str]] = {}
        for i in fr.worst:
            groups.setdefault((i.last, i.due), []).append(i.id)
        for (last, due), ids in groups.items():
            parts.append(
                t(
                    "fresh.input",
                    lang,
                    id=", ".join(ids),
                    last=fmt_date(last, lang),
                    due=fmt_date(due, lang) if due else NA,
                )
            )
    if fr.mixed:
        badges.append(t("fresh.status.mixed", lang))
        dated = "; ".join(f"{i.id} {fmt_date(i.last, lang)}" for i in fr.inputs if i.last)
        parts.append(t("fresh.mixed", lang, inputs=dated))
    return " · ".join(badges), " · ".join(parts)


@dataclass(frozen=True)
class FigureText:
    """A figure's words in one language (what every face shows)."""

    key: str
    label: str
    value: str
    date: str
    badge: str
    freshness: str
    context: str
    explanation: str
    sources: str
    available: bool
    status: str


def figure_text(fig: Figure, lang: str) -> FigureText:
    """The words of ``fig`` in ``lang``."""
    if not fig.available:
        value = UNAVAILABLE
    elif fig.unit == "category":
        value = say(fig.category, lang)
    else:
        value = say(fig.quantity(), lang)
    badge, detail = freshness_text(fig.freshness, lang)
    return FigureText(
        key=fig.key,
        label=say(fig.label, lang),
        value=value,
        date=fmt_date(fig.as_of, lang, precision=fig.precision) if fig.as_of else NA,
        badge=badge,
        freshness=detail,
        context=say(fig.context, lang) if fig.context is not None and fig.available else "",
        explanation=say(fig.explanation, lang) if fig.explanation is not None else "",
        sources=", ".join(fig.sources),
        available=fig.available,
        status=fig.freshness.status if fig.freshness else "current",
    )
