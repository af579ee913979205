"""The result of regime detection (:class:`RegimeResult`): episodes, weekly kinds, the inputs,
and their views (a window, a frame, JSON, a summary)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._typing import DateLike, Lang
from ..catalog.programs import Bank
from ..errors import NoDataError

__all__ = ["RegimeResult"]

BANK_SHORT: dict[str, str] = {"fed": "Fed", "ecb": "ECB", "boj": "BOJ"}


@dataclass
class RegimeResult:
    """Detected balance-sheet regimes.

    Attributes
    ----------
    episodes
        One row per episode with columns ``kind``, ``start``, ``end`` (Timestamps; consecutive
        episodes share their boundary week), ``start_level``, ``end_level``, ``peak_or_trough``
        (levels of total assets), ``change`` (``end_level - start_level``), ``change_pct``,
        ``weeks``, ``monthly_pace`` (change per month) and ``program`` (catalog id or None).
    weekly
        Kind of every classified observation (index: dates).
    total_assets, securities
        The aligned input series that were classified.
    bank, unit
        ``"fed"``/``"ecb"``/``"boj"`` and the unit of every level and change.
    as_of
        Date of the latest observation of each input series (they can differ: the ragged edge).
    params
        Thresholds used.
    """

    episodes: pd.DataFrame
    weekly: pd.Series
    total_assets: pd.Series
    securities: pd.Series | None
    bank: Bank = "fed"
    unit: str = "USD billions"
    as_of: dict[str, str] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def current(self) -> pd.Series:
        """The latest episode (a row of :attr:`episodes`)."""
        return self.episodes.iloc[-1]

    @property
    def classified_through(self) -> pd.Timestamp:
        """Date of the last classified observation."""
        return pd.Timestamp(self.weekly.index[-1])

    def to_frame(self) -> pd.DataFrame:
        """:attr:`episodes` plus the change of securities held outright (when available)."""
        df = self.episodes.copy()
        if self.securities is not None:
            s = self.securities
            df["securities_start"] = [float(s.loc[d]) for d in df["start"]]
            df["securities_end"] = [float(s.loc[d]) for d in df["end"]]
            df["securities_change"] = df["securities_end"] - df["securities_start"]
        return df

    def window(self, start: DateLike | None = None, end: DateLike | None = None) -> RegimeResult:
        """Episodes overlapping ``[start, end]``, unclipped (their statistics are unchanged).

        Raises
        ------
        NoDataError
            When no classified observation falls in the window.
        """
        d0 = pd.Timestamp(start) if start is not None else None
        d1 = pd.Timestamp(end) if end is not None else None
        weekly = self.weekly.loc[d0:d1]
        if weekly.empty:
            first, last = self.weekly.index[0].date(), self.weekly.index[-1].date()
            raise NoDataError.t(
                "errors.data.no_bank_window",
                bank=BANK_SHORT[self.bank],
                start=d0.date() if d0 is not None else first,
                end=d1.date() if d1 is not None else last,
                first=first,
                last=last,
            )
        ep = self.episodes
        mask = pd.Series(True, index=ep.index)
        if d0 is not None:
            mask &= ep["end"] >= d0
        if d1 is not None:
            mask &= ep["start"] <= d1
        return RegimeResult(
            episodes=ep[mask].reset_index(drop=True),
            weekly=weekly,
            total_assets=self.total_assets,
            securities=self.securities,
            bank=self.bank,
            unit=self.unit,
            as_of=self.as_of,
            params=self.params,
        )

    def programs(self) -> pd.DataFrame:
        """The catalog's programs as announced, each measured whole
        (:func:`tidegauge.analysis.announced.program_windows`)."""
        from .announced import program_windows

        return program_windows(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"bank", "episodes": [{kind, start, end, start_level, end_level,
        change, change_pct, program, peak, peak_date, trough, trough_date}], "programs":
        [...], "unit"}`` with ISO dates and rounded floats."""
        from .announced import extremes

        def num(x: float, nd: int) -> float | None:
            return None if x is None or math.isnan(x) else round(float(x), nd)

        rows = [
            {
                "kind": r["kind"],
                "start": r["start"].date().isoformat(),
                "end": r["end"].date().isoformat(),
                "start_level": num(r["start_level"], 3),
                "end_level": num(r["end_level"], 3),
                "change": num(r["change"], 3),
                "change_pct": num(r["change_pct"], 2),
                "program": r["program"] if isinstance(r["program"], str) else None,
                **extremes(self.total_assets, r["start"], r["end"]),
            }
            for r in self.episodes.to_dict("records")
        ]
        programs = [
            {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}
            for row in self.programs().to_dict("records")
        ]
        return {"bank": self.bank, "episodes": rows, "programs": programs, "unit": self.unit}

    def summary(self, lang: Lang = "en") -> str:
        """A few sentences: the current regime, since when, its change, and the data's dates."""
        from ..i18n import t

        cur = self.current
        unit = t(f"unit.{self.unit}", lang)
        lines = [
            t(
                "regimes.summary_current",
                lang,
                bank=t(f"regimes.bank.{self.bank}", lang),
                kind=t(f"regimes.kind.{cur.kind}", lang),
                start=cur.start.date().isoformat(),
                change=f"{cur.change:+,.0f}",
                pct=f"{cur.change_pct:+.1f}",
                unit=unit,
                end=cur.end.date().isoformat(),
            ),
            t("regimes.summary_count", lang, n=len(self.episodes)),
        ]
        lines.extend(self.edge_notes(lang))
        return "\n".join(lines)

    def edge_notes(self, lang: Lang = "en") -> list[str]:
        """Messages about the ragged edge (series ending on different dates)."""
        from ..i18n import t

        through = self.classified_through.date().isoformat()
        out = [t("regimes.as_of", lang, date=through)]
        later = {k: v for k, v in self.as_of.items() if v and v > through}
        for sid, last in later.items():
            out.append(t("regimes.ragged_edge", lang, series=sid, last=last, date=through))
        return out
