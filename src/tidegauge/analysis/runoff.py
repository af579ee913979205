"""Realised QT run-off of Treasuries and MBS against the announced monthly caps."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..catalog.programs import Program

__all__ = ["RUNOFF_COLUMNS", "qt_runoff"]

RUNOFF_COLUMNS = [
    "month",
    "program",
    "start_date",
    "end_date",
    "treasury_runoff",
    "treasury_cap",
    "treasury_pct_of_cap",
    "mbs_runoff",
    "mbs_cap",
    "mbs_pct_of_cap",
    "total_runoff",
    "total_cap",
]


def _month_end_obs(s: pd.Series) -> pd.Series:
    """Last observation of each calendar month, indexed by month start; value and date."""
    s = s.dropna().sort_index()
    grouped = s.groupby(pd.DatetimeIndex(s.index).to_period("M"))
    last = grouped.tail(1)
    months = pd.DatetimeIndex(last.index).to_period("M").to_timestamp()
    out = pd.Series(last.to_numpy(), index=months, name=s.name)
    out.attrs["dates"] = dict(zip(out.index, last.index, strict=True))
    return out


def qt_runoff(
    treasuries: pd.Series,
    mbs: pd.Series,
    programs: Iterable[Program],
) -> pd.DataFrame:
    """Month-by-month run-off of Treasuries and MBS versus the caps in force.

    Parameters
    ----------
    treasuries, mbs
        Weekly holdings (TREAST and WSHOMCB), billions of dollars.
    programs
        Catalog programs; those with ``caps`` (QT1, QT2) are used.

    Returns
    -------
    pandas.DataFrame
        One row per calendar month of each QT program with complete data: ``month`` (first
        day), ``program``, ``start_date``/``end_date`` (the observations compared: the last
        week of the previous month and of this month), ``treasury_runoff`` and ``mbs_runoff``
        (decline of holdings, positive = run-off, USD billions), the caps in force on the
        first day of the month (``treasury_cap``, ``mbs_cap``), each run-off as a percent of
        its cap, and the totals.

    Notes
    -----
    Wednesday levels are compared month end to month end, so a month's figure includes
    settlement-timing noise of a few billion (MBS principal is paid once a month); caps are
    maxima, so run-off below a cap (MBS in QT2, as prepayments slowed) is expected. TREAST
    includes inflation compensation on TIPS, which makes Treasury run-off look slightly smaller.

    Examples
    --------
    >>> from tidegauge.catalog.programs import load_programs
    >>> idx = pd.date_range("2022-05-04", "2022-08-31", freq="W-WED")
    >>> t = pd.Series([5700.0 - 7 * i for i in range(len(idx))], idx)
    >>> m = pd.Series([2700.0 - 4 * i for i in range(len(idx))], idx)
    >>> df = qt_runoff(t, m, load_programs("fed"))
    >>> row = df.iloc[0]
    >>> str(row.month.date()), float(row.treasury_cap), float(row.mbs_cap)
    ('2022-06-01', 30.0, 17.5)
    """
    t_m, m_m = _month_end_obs(treasuries), _month_end_obs(mbs)
    t_dates = t_m.attrs["dates"]
    last_t = treasuries.dropna().index.max() if len(treasuries.dropna()) else None
    last_m = mbs.dropna().index.max() if len(mbs.dropna()) else None
    rows = []
    for prog in programs:
        if not prog.caps:
            continue
        stop = pd.Timestamp(prog.end) if prog.end is not None else None
        for month in pd.date_range(
            pd.Timestamp(prog.effective).to_period("M").to_timestamp(),
            stop if stop is not None else t_m.index.max(),
            freq="MS",
        ):
            if stop is not None and month >= stop:
                break
            prev = month - pd.offsets.MonthBegin(1)
            if month not in t_m.index or prev not in t_m.index:
                continue
            if month not in m_m.index or prev not in m_m.index:
                continue
            month_end = month + pd.offsets.MonthEnd(0)
            # a month counts only when its last week is in the data (ragged edge)
            if (
                last_t is None
                or last_m is None
                or min(last_t, last_m) < month_end - pd.Timedelta(days=6)
            ):
                continue
            cap = prog.cap_at(month.date())
            if cap is None:
                continue
            t_run = float(t_m[prev] - t_m[month])
            m_run = float(m_m[prev] - m_m[month])
            rows.append(
                {
                    "month": month,
                    "program": prog.id,
                    "start_date": t_dates[prev],
                    "end_date": t_dates[month],
                    "treasury_runoff": t_run,
                    "treasury_cap": cap.treasury_cap_bn,
                    "treasury_pct_of_cap": _pct(t_run, cap.treasury_cap_bn),
                    "mbs_runoff": m_run,
                    "mbs_cap": cap.mbs_cap_bn,
                    "mbs_pct_of_cap": _pct(m_run, cap.mbs_cap_bn),
                    "total_runoff": t_run + m_run,
                    "total_cap": cap.total_cap_bn,
                }
            )
    return pd.DataFrame(rows, columns=RUNOFF_COLUMNS)


def _pct(value: float, cap: float | None) -> float:
    return value / cap * 100.0 if cap else float("nan")
