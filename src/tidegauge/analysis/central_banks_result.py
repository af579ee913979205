"""Result types of :mod:`tidegauge.analysis.central_banks`: one :class:`BankRow` per bank and the
side-by-side :class:`BalanceSheetsResult` (frames, JSON, notes in any language)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import Term, TidegaugeError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BalanceSheetsResult", "BankRow", "Note"]


@dataclass(frozen=True)
class Note:
    """A message of the catalog with its parameters, shown in any language by :meth:`text`.

    Parameters may be :class:`~tidegauge.errors.TidegaugeError` (the reason something is
    missing) or :class:`~tidegauge.errors.Term` values; both are shown in the note's language.
    """

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        from ..i18n import t

        shown = {
            k: v.message(lang)
            if isinstance(v, TidegaugeError)
            else v.text(lang)
            if isinstance(v, Term)
            else v
            for k, v in self.params.items()
        }
        return " ".join(t(self.key, lang, **shown).split())


@dataclass
class BankRow:
    """One bank: latest total assets and how they moved, share of GDP, running programs.

    Levels are billions of ``unit``'s currency; ``*_pct`` are percent. When ``available`` is
    false only ``bank``, ``series_id``, ``unit``, ``problem`` and the programs are set.
    """

    bank: str
    series_id: str
    unit: str
    available: bool
    problem: TidegaugeError | None = None
    date: dt.date | None = None
    value: float | None = None
    year_ago_date: dt.date | None = None
    year_ago_value: float | None = None
    base_date: dt.date | None = None
    base_value: float | None = None
    base_is_first: bool = False
    peak_date: dt.date | None = None
    peak_value: float | None = None
    gdp_id: str = ""
    gdp_quarter: dt.date | None = None
    gdp_annual: float | None = None
    pct_gdp: float | None = None
    gdp_notes: list[Note] = field(default_factory=list)
    program_date: dt.date | None = None
    programs: list[Any] = field(default_factory=list)

    @property
    def change_1y(self) -> float | None:
        if self.value is None or self.year_ago_value is None:
            return None
        return self.value - self.year_ago_value

    @property
    def change_1y_pct(self) -> float | None:
        if self.change_1y is None or not self.year_ago_value:
            return None
        return self.change_1y / self.year_ago_value * 100.0

    @property
    def change_base(self) -> float | None:
        if self.value is None or self.base_value is None:
            return None
        return self.value - self.base_value

    @property
    def change_base_pct(self) -> float | None:
        if self.change_base is None or not self.base_value:
            return None
        return self.change_base / self.base_value * 100.0

    def notes(self) -> list[Note]:
        """Why the row is empty, where the base is the first observation, GDP caveats."""
        bank = Term(f"liquidity.bank.{self.bank}")
        out: list[Note] = []
        if not self.available:
            out.append(
                Note(
                    "banks.note.unavailable",
                    {"bank": bank, "series_id": self.series_id, "reason": self.problem},
                )
            )
            return out
        if self.base_is_first and self.base_date is not None:
            out.append(
                Note(
                    "banks.note.base_first",
                    {"bank": bank, "series_id": self.series_id, "date": _iso(self.base_date)},
                )
            )
        out.extend(Note(n.key, {"bank": bank, **n.params}) for n in self.gdp_notes)
        return out

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        def r(x: float | None, nd: int = 3) -> float | None:
            return None if x is None else round(x, nd)

        out: dict[str, Any] = {
            "available": self.available,
            "series_id": self.series_id,
            "unit": self.unit,
        }
        if self.available:
            out |= {
                "assets": self.value,
                "date": _iso(self.date),
                "change_1y": {
                    "value": r(self.change_1y),
                    "pct": r(self.change_1y_pct, 2),
                    "from_date": _iso(self.year_ago_date),
                    "from_value": self.year_ago_value,
                },
                "change_since_start": {
                    "value": r(self.change_base),
                    "pct": r(self.change_base_pct, 2),
                    "from_date": _iso(self.base_date),
                    "from_value": self.base_value,
                    "first_observation": self.base_is_first,
                },
                "peak": {"value": self.peak_value, "date": _iso(self.peak_date)},
                "pct_gdp": r(self.pct_gdp, 2),
                "pct_gdp_date": _iso(self.date) if self.pct_gdp is not None else None,
                "gdp": {
                    "series_id": self.gdp_id,
                    "quarter": _iso(self.gdp_quarter),
                    "annual_rate": r(self.gdp_annual),
                },
            }
        out["program_date"] = _iso(self.program_date)
        out["programs"] = [
            {"id": p.id, "kind": p.kind, "name": p.label(lang)} for p in self.programs
        ]
        out["notes"] = [n.text(lang) for n in self.notes()]
        return out


@dataclass
class BalanceSheetsResult:
    """The three banks side by side.

    ``rows`` is one :class:`BankRow` per bank (fed, ecb, boj). ``levels`` (billions of own
    currency) and ``pct_gdp`` (percent) have one column per bank with data, from each bank's
    base observation on; ``missing`` lists the banks without assets data, ``no_gdp`` the banks
    with assets but no share of GDP.
    """

    rows: dict[str, BankRow]
    levels: pd.DataFrame
    pct_gdp: pd.DataFrame
    start: dt.date
    end: dt.date | None = None

    @property
    def units(self) -> dict[str, str]:
        return {b: r.unit for b, r in self.rows.items()}

    @property
    def missing(self) -> list[str]:
        return [b for b, r in self.rows.items() if not r.available]

    @property
    def no_gdp(self) -> list[str]:
        return [b for b, r in self.rows.items() if r.available and r.pct_gdp is None]

    def to_frame(self) -> pd.DataFrame:
        return self.levels.join(self.pct_gdp, rsuffix="_pct_gdp", how="outer")

    def notes(self) -> list[Note]:
        return [n for r in self.rows.values() for n in r.notes()]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": _iso(self.end),
            "banks": {b: r.to_dict(lang) for b, r in self.rows.items()},
            "missing": self.missing,
            "no_gdp": self.no_gdp,
        }

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        lines = []
        for bank, row in self.rows.items():
            if not row.available:
                continue
            pct = "—" if row.pct_gdp is None else f"{row.pct_gdp:.1f}%"
            lines.append(
                t(
                    "liquidity.cb_line",
                    lang,
                    bank=t(f"liquidity.bank.{bank}", lang),
                    value=f"{row.value:,.0f}",
                    unit=t(f"unit.{row.unit}", lang),
                    date=_iso(row.date),
                    pct=pct,
                )
            )
        lines.extend(n.text(lang) for n in self.notes())
        return "\n".join(lines)


def _iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def _quarter(d: dt.date) -> str:
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"
