"""The report model kept on disk, so a report with nothing new is not computed again.

``tidegauge report`` computes every section (about a second of CPU and the pandas import) even
when the store has not changed since the last report. The model is a pure function of

* the store's content (:meth:`Store.fingerprint`: new data or a revision changes it, an update
  that fetched nothing new does not),
* the language, the ``--as-of`` date, today's date (sections such as "What changed" and the
  comparison end today) and the code (:func:`tidegauge.filecache.digest` adds the code stamp),
* and the moment, through the freshness marks: a figure is current until its next release is
  due, late until it is overdue by :data:`~tidegauge.freshness.STALE_AFTER_DAYS`. The entry
  keeps the earliest of these moments and is not used after it.

So a cached model is used only when all of these are equal, and the figures are those a fresh
computation gives. The model is kept as JSON (:mod:`.model_json`) in the cache folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..filecache import digest, load_json, save_json
from .model_json import FORMAT, Unsupported, decode, encode

if TYPE_CHECKING:
    from ..freshness import Freshness
    from .report import Report

__all__ = ["KIND", "load_report", "report_key", "save_report", "valid_until"]

KIND = "reports"
"""Folder of the entries in the cache folder."""
KEEP = 8
"""Entries kept (the oldest are removed)."""


def report_key(
    tg: Any, lang: str, *, as_of: dt.date | None = None, today: dt.date | None = None
) -> str:
    """The cache key of the report of the store behind ``tg`` in ``lang`` on ``today``
    (default: today)."""
    doc = {
        "store": tg.store.fingerprint(),
        "lang": lang,
        "as_of": as_of.isoformat() if as_of else None,
        "today": (today or dt.date.today()).isoformat(),
        "format": FORMAT,
    }
    return digest(doc)


def _freshness(report: Report) -> Iterator[Freshness]:
    for f in (*report.headline, *(f for s in report.sections for f in s.figures)):
        if f.freshness is not None:
            yield f.freshness


def valid_until(report: Report) -> dt.datetime | None:
    """The first moment a freshness mark of ``report`` changes (``None``: none will)."""
    from ..freshness import STALE_AFTER_DAYS

    moments = []
    for fr in _freshness(report):
        for i in fr.inputs:
            if i.due_at is None or i.frequency is None or i.status == "stale":
                continue
            if i.status == "current":
                moments.append(i.due_at)
            else:
                moments.append(i.due_at + dt.timedelta(days=STALE_AFTER_DAYS[i.frequency]))
    return min(moments, default=None)


def save_report(key: str, report: Report, lang: str) -> bool:
    """Keep ``report`` (rendered in ``lang``) under ``key``; ``False`` when it holds a value the
    encoding does not know (it is then not cached)."""
    try:
        body = encode(report, lang)
    except Unsupported:
        return False
    until = valid_until(report)
    doc = {"until": until.isoformat() if until else None, "lang": lang, "report": body}
    save_json(KIND, key, doc, keep=KEEP)
    return True


def load_report(key: str, lang: str, *, now: dt.datetime | None = None) -> Report | None:
    """The report kept under ``key``, or ``None`` (missing, corrupt, or a freshness mark has
    changed since: ``now``, default the current time, is past its ``until``)."""
    doc = load_json(KIND, key)
    if not isinstance(doc, dict) or doc.get("lang") != lang:
        return None
    now = now or dt.datetime.now(dt.UTC)
    try:
        until = doc["until"]
        if until is not None and now > dt.datetime.fromisoformat(until):
            return None
        report: Report = decode(doc["report"], lang)
    except (KeyError, TypeError, ValueError):
        return None
    return report
