"""The result of :func:`tidegauge.analysis.compare.compare` (re-exported there)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._frames import pylist

if TYPE_CHECKING:
    import pandas as pd

    from .compare import Endpoint

__all__ = ["CompareResult", "records"]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict(orient="records")``, read column by column (a few times faster: a page
    reads the episode tables of every comparison this way)."""
    if frame.columns.empty:
        return [{} for _ in range(len(frame))]
    columns = [str(c) for c in frame.columns]
    values = [pylist(frame[c]) for c in frame.columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


@dataclass
class CompareResult:
    """Everything :func:`compare` measured. ``to_dict`` gives the CLI's JSON."""

    a: Endpoint
    b: Endpoint
    start: str
    end: str
    frequency: str
    correlation: float | None
    rebased: pd.DataFrame
    changes: pd.DataFrame
    rolling_correlation: pd.Series
    rolling_window: int
    lead_lag: pd.Series
    episodes: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    note_keys: list[tuple[str, dict[str, Any]]] = field(default_factory=list, repr=False)
    """Catalog key and parameters of each note (``notes`` is their English text)."""

    def notes_in(self, lang: str = "en") -> list[str]:
        """The notes in ``lang``."""
        from ..i18n import t

        if not self.note_keys:
            return list(self.notes)
        out = []
        for key, params in self.note_keys:
            p = dict(params)
            if "freq" in p:
                p["freq"] = t(f"frequency.{p['freq']}", lang)
            out.append(t(key, lang, **p))
        return out

    def to_frame(self) -> pd.DataFrame:
        """Both series from the start observation: a level rebased to 100, a rate as its change
        in percentage points (:func:`tidegauge.analysis.returns.rebase`)."""
        return self.rebased.copy()

    def best_lag(self) -> tuple[int, float] | None:
        """The lag of the largest absolute correlation (the first of equals) and its value:
        ``ll.abs().idxmax()`` of the profile without missing values, on arrays."""
        import numpy as np

        values = self.lead_lag.to_numpy(dtype=float)
        present = np.flatnonzero(~np.isnan(values))
        if not len(present):
            return None
        i = present[int(np.argmax(np.abs(values[present])))]
        return int(self.lead_lag.index[i]), float(values[i])

    def to_dict(self) -> dict[str, Any]:
        eps = [
            {k: (None if _isnan(v) else v) for k, v in r.items()} for r in records(self.episodes)
        ]
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "correlation": self.correlation,
            "episodes": eps,
        }

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        lines = [t("compare.window", lang, start=self.start, end=self.end)]
        for e in (self.a, self.b):
            kind = t("compare.total_return" if e.total_return else "compare.level", lang)
            change = (
                t("compare.change_pp", lang, pp=f"{e.change:+.2f}", bp=f"{e.change * 100:+.0f}")
                if e.change_kind == "points"
                else f"{e.change:+.1f}%"
            )
            lines.append(
                t(
                    "compare.change_line",
                    lang,
                    id=e.id,
                    change=change,
                    v0=f"{e.start_value:,.2f}",
                    d0=e.start_date,
                    v1=f"{e.end_value:,.2f}",
                    d1=e.end_date,
                    kind=kind,
                    unit=_unit_label(e.unit, lang),
                )
            )
            note = e.note(lang)
            if note:
                lines.append("  " + note)
        corr = "—" if self.correlation is None else f"{self.correlation:+.2f}"
        lines.append(
            t(
                "compare.correlation_line",
                lang,
                corr=corr,
                freq=t(f"frequency.{self.frequency}", lang),
            )
        )
        bl = self.best_lag()
        if bl is not None:
            lines.append(
                t(
                    "compare.lead_lag_line",
                    lang,
                    lag=bl[0],
                    corr=f"{bl[1]:+.2f}",
                    freq=t(f"frequency.{self.frequency}", lang),
                )
            )
        return "\n".join(lines)


def _unit_label(unit: str, lang: str) -> str:
    """The catalog unit in ``lang`` (the raw unit when the catalog has no label for it)."""
    from ..i18n import catalog, t

    return t(f"unit.{unit}", lang) if f"unit.{unit}" in catalog() else unit


def _isnan(v: Any) -> bool:
    return isinstance(v, float) and v != v
