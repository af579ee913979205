"""Did QE work? A per-episode scorecard and an announcement-day event study of 10-year yields.

**Scorecard.** For each Fed QE program of the catalog (``kind == "QE"``, from its effective date
to its end; a running program ends at the latest data) and each indicator, the value at the
start, at the end and ``after_months`` later, with the change during the episode and after it:

=================  ==============================================================  ===========
indicator          measure                                                          series
=================  ==============================================================  ===========
``inflation``      core PCE, 12-month change, and its gap to the 2 % target         PCEPILFE
``unemployment``   unemployment rate                                                UNRATE
``yield_10y``      10-year Treasury yield (daily close)                             DGS10
``hy_spread``      high-yield option-adjusted spread (from 1997)                    BAMLH0A0HYM2
``real_gdp``       real GDP, 4-quarter growth                                       GDPC1
``sentiment``      University of Michigan consumer sentiment                        UMCSENT
=================  ==============================================================  ===========

An indicator whose series is not in the store (GDPC1 and UMCSENT are not in the offline mirror),
or which starts after the episode, is reported as *not available* — never estimated from
something else. Values are the last observation on or before each date (end-of-period data, not
point-in-time vintages). A scorecard shows what happened, not what QE caused.

**Event study.** For each program announcement, the change of the 10-year Treasury yield (DGS10)
in basis points: 1-day = close of the event day − close of the last trading day before the
announcement; 2-day = close of the trading day after the event day − the same base. The event day
is the first trading day on or after the announcement (a Sunday announcement such as 2020-03-15
is priced on Monday). FOMC statements come out at 14:00–14:15 ET, before the close DGS10 is read
at, so the announcement day itself carries the news.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..catalog.programs import Bank, Program, load_programs
from ..errors import NoDataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "INDICATORS",
    "EventStudy",
    "Scorecard",
    "event_study",
    "scorecard",
]

INDICATORS: dict[str, str] = {
    "inflation": "PCEPILFE",
    "unemployment": "UNRATE",
    "yield_10y": "DGS10",
    "hy_spread": "BAMLH0A0HYM2",
    "real_gdp": "GDPC1",
    "sentiment": "UMCSENT",
}
"""Scorecard indicator → catalog id of its input."""

INPUTS: tuple[str, ...] = tuple(INDICATORS.values())


def _transform(name: str, s: pd.Series) -> pd.Series:
    """Level or growth, as the indicator is read (percent)."""
    import pandas as pd

    s = s.dropna()
    if name == "inflation":
        return (s / s.shift(12, freq=pd.DateOffset(months=1)).reindex(s.index) - 1).dropna() * 100
    if name == "real_gdp":
        return (s / s.shift(4, freq=pd.DateOffset(months=3)).reindex(s.index) - 1).dropna() * 100
    return s


def _value_at(s: pd.Series, day: dt.date) -> tuple[float, dt.date] | None:
    """The last value on or before ``day`` and its date (``None``: none)."""
    import pandas as pd

    if s.index.is_monotonic_increasing:  # a binary search, not a mask over the whole series
        n = int(s.index.searchsorted(pd.Timestamp(day), side="right"))
        return (float(s.iloc[n - 1]), s.index[n - 1].date()) if n else None
    part = s[s.index <= pd.Timestamp(day)]
    if part.empty:
        return None
    return float(part.iloc[-1]), part.index[-1].date()


@dataclass(frozen=True)
class Scorecard:
    """One row per (program, indicator); ``None`` where not available."""

    table: pd.DataFrame
    after_months: int
    missing: dict[str, str]

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict[str, Any]:
        import math

        rows = []
        for rec in self.table.reset_index().to_dict(orient="records"):
            rows.append(
                {
                    str(k): (None if isinstance(v, float) and math.isnan(v) else v)
                    for k, v in rec.items()
                }
            )
        return {"after_months": self.after_months, "rows": rows, "missing": self.missing}

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        na = t("judgment.common.not_available", lang)

        def f(x: Any, sign: bool = False) -> str:
            if x is None or x != x:
                return na
            return f"{x:+.2f}" if sign else f"{x:.2f}"

        out = [t("judgment.effectiveness.title", lang, months=self.after_months)]
        for (_pid, label), grp in self.table.groupby(["program", "label"], sort=False):
            first = grp.iloc[0]
            out.append(
                t(
                    "judgment.effectiveness.episode",
                    lang,
                    label=label,
                    start=first["start"],
                    end=first["end"],
                )
            )
            for _, r in grp.iterrows():
                name = t(f"judgment.effectiveness.ind_{r['indicator']}", lang)
                if r["start_value"] is None or r["start_value"] != r["start_value"]:
                    out.append(f"  {name}: {na}")
                    continue
                out.append(
                    t(
                        "judgment.effectiveness.row",
                        lang,
                        name=name,
                        start=f(r["start_value"]),
                        end=f(r["end_value"]),
                        during=f(r["change_during"], True),
                        after=f(r["after_value"]),
                        change_after=f(r["change_after"], True),
                    )
                )
        out.append(t("judgment.effectiveness.caveat", lang))
        return "\n".join(out)


def scorecard(
    data: Mapping[str, pd.Series],
    programs: Sequence[Program] | None = None,
    *,
    after_months: int = 12,
    target: float = 2.0,
    lang: str = "en",
) -> Scorecard:
    """The QE scorecard (see the module docstring).

    Parameters
    ----------
    data
        ``{catalog id: Series}``; missing ids give "not available" rows.
    programs
        Programs to score; default: the Fed's QE programs of the catalog.
    after_months : int, default 12
        Horizon after the episode's end.
    target : float, default 2.0
        Inflation target; ``inflation_gap`` columns are inflation − target.
    lang
        Language of the program labels.
    """
    import pandas as pd

    progs = (
        list(programs)
        if programs is not None
        else [p for p in load_programs("fed") if p.kind == "QE"]
    )
    series = {n: _transform(n, data[sid]) for n, sid in INDICATORS.items() if sid in data}
    missing = {n: f"{sid} is not in the store" for n, sid in INDICATORS.items() if sid not in data}
    latest = max((s.index[-1].date() for s in series.values() if not s.empty), default=None)
    rows = []
    for p in progs:
        end = p.end or latest or p.effective
        after = (pd.Timestamp(end) + pd.DateOffset(months=after_months)).date()
        for name in INDICATORS:
            row: dict[str, Any] = {
                "program": p.id,
                "label": p.label(lang),  # type: ignore[arg-type]
                "start": p.effective.isoformat(),
                "end": end.isoformat(),
                "indicator": name,
            }
            s = series.get(name)
            v0 = _value_at(s, p.effective) if s is not None else None
            # Only when the series covers the start (not a value from years before).
            if v0 is not None and (p.effective - v0[1]).days > 120:
                v0 = None
            v1 = _value_at(s, end) if s is not None and v0 is not None else None
            has_after = s is not None and v0 is not None and s.index[-1].date() >= after
            v2 = _value_at(s, after) if has_after and s is not None else None
            row |= {
                "start_value": v0[0] if v0 else None,
                "end_value": v1[0] if v1 else None,
                "after_value": v2[0] if v2 else None,
                "change_during": v1[0] - v0[0] if v0 and v1 else None,
                "change_after": v2[0] - v1[0] if v1 and v2 else None,
                "as_of": v2[1].isoformat() if v2 else (v1[1].isoformat() if v1 else None),
            }
            if name == "inflation":
                row["gap_end"] = v1[0] - target if v1 else None
                row["gap_after"] = v2[0] - target if v2 else None
            rows.append(row)
    table = pd.DataFrame(rows).set_index(["program", "indicator"], drop=False)
    table.index.names = ["program_id", "indicator_id"]
    return Scorecard(table, after_months, missing)


@dataclass(frozen=True)
class EventStudy:
    """Announcement-day changes of the 10-year yield, in basis points."""

    table: pd.DataFrame
    cumulative_1d_bp: float
    cumulative_2d_bp: float
    cumulative_qe_1d_bp: float
    cumulative_qe_2d_bp: float

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict[str, Any]:
        return {
            "events": self.table.to_dict(orient="records"),
            "cumulative_1d_bp": round(self.cumulative_1d_bp, 1),
            "cumulative_2d_bp": round(self.cumulative_2d_bp, 1),
            "cumulative_qe_1d_bp": round(self.cumulative_qe_1d_bp, 1),
            "cumulative_qe_2d_bp": round(self.cumulative_qe_2d_bp, 1),
        }

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        out = [t("judgment.events.title", lang)]
        for _, r in self.table.iterrows():
            out.append(
                t(
                    "judgment.events.row",
                    lang,
                    date=r["announced"],
                    label=r["label"],
                    base=f"{r['base_yield']:.2f}",
                    d1=f"{r['change_1d_bp']:+.0f}",
                    d2=f"{r['change_2d_bp']:+.0f}",
                )
            )
        out.append(
            t(
                "judgment.events.total",
                lang,
                d1=f"{self.cumulative_1d_bp:+.0f}",
                d2=f"{self.cumulative_2d_bp:+.0f}",
                q1=f"{self.cumulative_qe_1d_bp:+.0f}",
                q2=f"{self.cumulative_qe_2d_bp:+.0f}",
            )
        )
        return "\n".join(out)


def event_study(
    dgs10: pd.Series,
    programs: Sequence[Program] | None = None,
    *,
    bank: Bank | None = "fed",
    lang: str = "en",
) -> EventStudy:
    """1-day and 2-day DGS10 changes around each announcement (see the module docstring).

    Parameters
    ----------
    dgs10
        Daily 10-year yield, percent (missing days are holidays and are skipped).
    programs
        Programs whose ``announced`` dates are events; default: the catalog's programs of
        ``bank`` (Fed by default: DGS10 is a US yield).

    Examples
    --------
    >>> es = event_study(tg.series("DGS10"))                # doctest: +SKIP
    >>> es.table.loc["QE1X", "change_1d_bp"]                # doctest: +SKIP
    -51.0
    """
    import pandas as pd

    y = dgs10.dropna().sort_index()
    progs = list(programs) if programs is not None else load_programs(bank)
    rows = []
    for p in progs:
        ts = pd.Timestamp(p.announced)
        before = y[y.index < ts]
        on = y[y.index >= ts]
        if before.empty or len(on) < 2:
            continue
        base = float(before.iloc[-1])
        rows.append(
            {
                "program": p.id,
                "kind": p.kind,
                "label": p.label(lang),  # type: ignore[arg-type]
                "announced": p.announced.isoformat(),
                "base_date": before.index[-1].date().isoformat(),
                "event_date": on.index[0].date().isoformat(),
                "base_yield": base,
                "change_1d_bp": round((float(on.iloc[0]) - base) * 100, 1),
                "change_2d_bp": round((float(on.iloc[1]) - base) * 100, 1),
            }
        )
    if not rows:
        raise NoDataError.t("errors.data.no_announcement")
    table = pd.DataFrame(rows).set_index("program", drop=False)
    qe = table[table["kind"] == "QE"]
    return EventStudy(
        table,
        float(table["change_1d_bp"].sum()),
        float(table["change_2d_bp"].sum()),
        float(qe["change_1d_bp"].sum()),
        float(qe["change_2d_bp"].sum()),
    )
