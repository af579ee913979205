"""QE / QT regimes of a central-bank balance sheet, reconciled with the program catalog.

:func:`detect_regimes` classifies every week of the Fed's balance sheet as QE (sustained growth
of securities held outright), QT (sustained run-off), crisis lending (fast growth of total assets
that securities do not explain: loans, facilities, swap lines), reserve-management purchases
(technical bill purchases) or flat (reinvestment, composition changes). :func:`fed_regimes` and
:func:`bank_regimes` load the data from a :class:`~tidegauge.Tidegauge` session;
:func:`qt_runoff` compares realised run-off with the announced caps month by month.

>>> from tidegauge import Tidegauge                                   # doctest: +SKIP
>>> res = fed_regimes(Tidegauge(mirror="../shared/data/fred"))         # doctest: +SKIP
>>> res.episodes.query("kind == 'QT'")[["start", "end", "change", "program"]]  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._typing import DateLike
from ..catalog.programs import BANKS, Bank, Program, load_programs
from ..errors import NoDataError, SourceError, UsageError
from . import episodes as _ep
from .episodes import EPISODE_COLUMNS, EpisodeKind
from .regime_result import BANK_SHORT, RegimeResult
from .runoff import qt_runoff

if TYPE_CHECKING:
    from ..api import Tidegauge

__all__ = [
    "EpisodeKind",
    "RegimeResult",
    "bank_regimes",
    "detect_regimes",
    "fed_regimes",
    "qt_runoff",
]

BANK_SERIES: dict[Bank, tuple[str, str]] = {
    "fed": ("WALCL", "USD billions"),
    "ecb": ("ECBASSETSW", "EUR billions"),
    "boj": ("JPNASSETS", "JPY billions"),
}
"""Total-assets series and canonical unit of each bank."""

MIN_PACE_BN: dict[Bank, float] = {"fed": 15.0, "ecb": 25.0, "boj": 2000.0}
"""Default ``min_pace_bn`` per bank, in billions of its own currency per month. The ECB's is
higher because its total assets (no securities series) also move with refinancing operations;
the yen figure is of the same order as 15 billion dollars."""


def _obs(weeks: float, spacing_days: float) -> int:
    return max(1, round(weeks * 7 / spacing_days))


def detect_regimes(
    total_assets: pd.Series,
    securities: pd.Series | None,
    *,
    window_weeks: int = 13,
    growth_enter_pct: float = 3.0,
    growth_exit_pct: float = 1.5,
    qe_min_pct: float = 10.0,
    min_pace_bn: float = 15.0,
    qt_enter_pct: float = 3.0,
    qt_exit_pct: float = 1.0,
    qt_assets_share: float = 0.5,
    lending_window_weeks: int = 4,
    lending_enter_pct: float = 3.0,
    lending_share: float = 0.6,
    min_weeks: int = 8,
    min_lending_weeks: int = 3,
    refine_weeks: int = 26,
    match_tolerance_weeks: int = 13,
    programs: list[Program] | None = None,
    bank: Bank = "fed",
    unit: str = "USD billions",
) -> RegimeResult:
    """Classify a balance sheet into QE, QT, lending, reserve-management and flat episodes.

    Parameters
    ----------
    total_assets
        Total assets (WALCL for the Fed), weekly, in billions of the bank's currency.
    securities
        Securities held outright (TREAST + WSHOMCB for the Fed), same unit; ``None`` when only
        total assets exist (ECB, BOJ): growth and run-off are then read from total assets and
        lending cannot be told apart from purchases (the catalog names it).
    window_weeks
        Smoothing window: growth of securities is the change over this many weeks, expressed
        per month (``pace``) and annualised as a percent of the level (``growth``).
    growth_enter_pct, growth_exit_pct
        Annualised growth of securities that starts (and, lower, sustains) a growth episode.
        Hysteresis: a week stays in growth until growth falls below ``growth_exit_pct`` or the
        pace below half of ``min_pace_bn``.
    qe_min_pct
        A growth episode whose growth never reaches this annualised rate is
        reserve-management (technical) purchases, otherwise QE. The catalog overrides this
        (see Notes).
    min_pace_bn
        Minimum absolute pace, billions per month, to enter growth or run-off. It keeps the
        slow, currency-driven growth of the pre-2008 balance sheet (a few billion a month)
        flat.
    qt_enter_pct, qt_exit_pct
        Annualised decline of securities that starts (and sustains) QT.
    qt_assets_share
        QT also needs total assets to fall by at least this share of the fall in securities;
        otherwise the run-off is a change of composition, e.g. the 2008 sales of Treasury
        bills that funded crisis lending, and the weeks stay flat.
    lending_window_weeks, lending_enter_pct, lending_share
        Crisis lending: total assets grow by at least ``lending_enter_pct`` percent in
        ``lending_window_weeks`` weeks and assets other than securities explain at least
        ``lending_share`` of that growth. It lasts while those other assets keep rising.
    min_weeks, min_lending_weeks
        Minimum duration of an episode (lending episodes are short by nature); shorter runs are
        absorbed by a neighbour.
    refine_weeks
        How far back a boundary may move to the turning point (trough of securities before
        growth, peak before run-off, low of total assets before lending): the trailing window
        detects a change late, the turning point dates it.
    match_tolerance_weeks
        A catalog program names an episode when its effective date lies between this many weeks
        before the episode's start and the episode's end.
    programs
        Catalog programs to reconcile with (default: none; :func:`fed_regimes` passes the
        Fed's).
    bank, unit
        Recorded in the result.

    Returns
    -------
    RegimeResult

    Notes
    -----
    QE and reserve-management purchases are both growth of securities; what separates them is
    intent. With a catalog, a growth episode takes the kind of the program that names it, and
    an episode that contains the start of a program of the other kind (the 2019 bill purchases
    followed by the March 2020 QE) is split at the largest weekly jump of securities within
    ``match_tolerance_weeks // 2`` weeks of that start.

    Weeks missing in either input (the ragged edge: TREAST and WSHOMCB may end before WALCL)
    are not classified; :attr:`RegimeResult.as_of` keeps each input's last date.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.date_range("2020-01-01", periods=60, freq="W-WED")
    >>> sec = pd.Series([1000.0] * 20 + [1000.0 + 20 * i for i in range(1, 41)], idx)
    >>> res = detect_regimes(sec + 100, sec)
    >>> [(k, str(d.date())) for k, d in zip(res.episodes["kind"], res.episodes["start"])]
    [('flat', '2020-01-01'), ('QE', '2020-05-20')]
    """
    if bank not in BANKS:
        raise UsageError.t("errors.catalog.unknown_bank", bank=bank, choices=", ".join(BANKS))
    a = pd.Series(total_assets, dtype=float).dropna()
    as_of = {str(total_assets.name or "total_assets"): _last(a)}
    if securities is not None:
        s = pd.Series(securities, dtype=float).dropna()
        as_of[str(securities.name or "securities")] = _last(s)
        a, s = a.align(s, join="inner")
    else:
        s = a
    a = a.sort_index()
    s = s.sort_index()
    spacing = (
        float(np.median(np.diff(a.index.values).astype("timedelta64[D]").astype(float)))
        if len(a) > 1
        else 7.0
    )
    p = _ep.Params(
        window=_obs(window_weeks, spacing),
        lending_window=_obs(lending_window_weeks, spacing),
        growth_enter_pct=growth_enter_pct,
        growth_exit_pct=growth_exit_pct,
        qe_min_pct=qe_min_pct,
        min_pace=min_pace_bn,
        qt_enter_pct=qt_enter_pct,
        qt_exit_pct=qt_exit_pct,
        qt_assets_share=qt_assets_share,
        lending_enter_pct=lending_enter_pct,
        lending_share=lending_share,
        min_obs=_obs(min_weeks, spacing),
        min_lending_obs=_obs(min_lending_weeks, spacing),
        refine=_obs(refine_weeks, spacing),
        match_tolerance_days=match_tolerance_weeks * 7,
        split_snap=_obs(match_tolerance_weeks / 2, spacing),
        obs_per_month=_ep.DAYS_PER_MONTH / spacing,
        lending=securities is not None,
    )
    if len(a) < 2 * p.window:
        raise NoDataError.t(
            "errors.data.too_few_for_regimes", n=len(a), needed=2 * p.window, weeks=2 * window_weeks
        )
    av, sv = a.to_numpy(), s.to_numpy()
    states = _ep.classify(av, sv, p)
    r = _ep.enforce_min_durations(_ep.runs(states), p)
    r = _ep.refine_boundaries(r, av, sv, p)
    r = _ep.enforce_min_durations(r, p)
    named = _ep.reconcile(r, a.index.values, sv, programs or [], p)
    rows = _ep.episode_rows(named, pd.DatetimeIndex(a.index), av)
    episodes = pd.DataFrame(rows, columns=EPISODE_COLUMNS)
    episodes["program"] = episodes["program"].astype(object)
    weekly = pd.Series("flat", index=a.index, name="kind", dtype=object)
    for kind, i0, i1, _ in named:
        weekly.iloc[i0 : i1 + 1] = kind
    params = {
        k: v
        for k, v in locals().items()
        if k.endswith(("_pct", "_weeks", "_bn", "_share")) and isinstance(v, int | float)
    }
    return RegimeResult(
        episodes=episodes,
        weekly=weekly,
        total_assets=a,
        securities=s if securities is not None else None,
        bank=bank,
        unit=unit,
        as_of=as_of,
        params=params,
    )


def _last(s: pd.Series) -> str:
    return pd.Timestamp(s.index.max()).date().isoformat() if len(s) else ""


def _window_result(res: RegimeResult, start: DateLike | None, end: DateLike | None) -> RegimeResult:
    from .._dates import check_window, parse_date

    d0, d1 = parse_date(start, "start"), parse_date(end, "end")
    check_window(d0, d1)
    return res.window(d0, d1) if (d0 or d1) else res


def fed_regimes(
    tg: Tidegauge,
    start: DateLike | None = None,
    end: DateLike | None = None,
    **params: Any,
) -> RegimeResult:
    """Fed regimes from a session: WALCL against TREAST + WSHOMCB, reconciled with the catalog.

    Detection always runs on the full weekly history, so an episode does not change with the
    window; ``start``/``end`` then keep the episodes that overlap the window. ``params`` go to
    :func:`detect_regimes`.
    """
    df = tg.load(["WALCL", "TREAST", "WSHOMCB"])
    missing = [c for c in ("WALCL", "TREAST", "WSHOMCB") if c not in df or df[c].dropna().empty]
    if missing:
        raise NoDataError.t("errors.data.missing_update", ids=", ".join(missing))
    total = df["WALCL"].dropna().rename("WALCL")
    treasuries, mbs = df["TREAST"].dropna(), df["WSHOMCB"].dropna()
    securities = treasuries.add(mbs).dropna().rename("TREAST+WSHOMCB")
    params.setdefault("programs", load_programs("fed"))
    res = detect_regimes(total, securities, bank="fed", unit="USD billions", **params)
    res.as_of = {sid: v for sid, v in df.attrs.get("as_of", {}).items() if v}
    return _window_result(res, start, end)


def bank_regimes(
    tg: Tidegauge,
    bank: Bank | str,
    start: DateLike | None = None,
    end: DateLike | None = None,
    **params: Any,
) -> RegimeResult:
    """Regimes of ``bank``: the Fed as in :func:`fed_regimes`; the ECB (ECBASSETSW, EUR
    billions, weekly) and the BOJ (JPNASSETS, JPY billions, monthly) from total assets only,
    reconciled with that bank's catalog programs.

    Raises
    ------
    UsageError
        Unknown bank.
    NoDataError, SourceError
        The bank's series is not available (the offline mirror has no JPNASSETS).
    """
    key = str(bank).strip().lower()
    if key not in BANKS:
        raise UsageError.t("errors.catalog.unknown_bank", bank=bank, choices=", ".join(BANKS))
    b: Bank = key
    if b == "fed":
        return fed_regimes(tg, start, end, **params)
    sid, unit = BANK_SERIES[b]
    try:
        s = tg.series(sid)
    except SourceError as exc:
        raise SourceError.t(
            "errors.source.bank_unavailable", bank=BANK_SHORT[b], series_id=sid, cause=exc
        ) from None
    params.setdefault("programs", load_programs(b))
    params.setdefault("min_pace_bn", MIN_PACE_BN[b])
    res = detect_regimes(s.rename(sid), None, bank=b, unit=unit, **params)
    return _window_result(res, start, end)


def effective_dates(programs: list[Program]) -> dict[str, dt.date]:
    """``{id: effective}`` of ``programs`` (handy in tests and reports)."""
    return {p.id: p.effective for p in programs}
