"""Regime classification machinery: weekly states, minimum durations, turning points, statistics.

Internal to :mod:`tidegauge.analysis.regimes`, which documents the method and the parameters.
Everything here works on plain numpy arrays so that the full weekly history (about 1,200 weeks)
is classified in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from ..catalog.programs import Program

EpisodeKind = Literal["QE", "QT", "lending", "reserve_management", "flat"]
"""Kinds of detected episodes."""

KINDS: tuple[EpisodeKind, ...] = ("QE", "QT", "lending", "reserve_management", "flat")
GROWTH = ("QE", "reserve_management")
DAYS_PER_MONTH = 365.25 / 12

EPISODE_COLUMNS = [
    "kind",
    "start",
    "end",
    "start_level",
    "end_level",
    "peak_or_trough",
    "change",
    "change_pct",
    "weeks",
    "monthly_pace",
    "program",
]


@dataclass(frozen=True)
class Params:
    """Thresholds in observation units (already converted from weeks by the caller)."""

    window: int
    lending_window: int
    growth_enter_pct: float
    growth_exit_pct: float
    qe_min_pct: float
    min_pace: float
    qt_enter_pct: float
    qt_exit_pct: float
    qt_assets_share: float
    lending_enter_pct: float
    lending_share: float
    min_obs: int
    min_lending_obs: int
    refine: int
    match_tolerance_days: int
    split_snap: int
    obs_per_month: float
    lending: bool


def lagged_change(x: np.ndarray, k: int) -> np.ndarray:
    """``x[t] - x[t-k]`` with NaN for the first ``k`` observations."""
    out = np.full_like(x, np.nan)
    if k < len(x):
        out[k:] = x[k:] - x[:-k]
    return out


def classify(assets: np.ndarray, securities: np.ndarray, p: Params) -> list[str]:
    """Raw state of every observation (before minimum durations), by a hysteresis machine.

    Securities growth is measured over ``p.window`` observations as a pace per month and as an
    annualised percentage of the level at the start of the window.
    """
    n = len(assets)
    d_sec = lagged_change(securities, p.window)
    base = np.roll(securities, p.window)
    months = p.window / p.obs_per_month
    pace = d_sec / months
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(base > 0, d_sec / base * (12.0 / months) * 100.0, np.nan)
    d_assets = lagged_change(assets, p.window)
    other = assets - securities
    d_a_l = lagged_change(assets, p.lending_window)
    d_o_l = lagged_change(other, p.lending_window)
    base_l = np.roll(assets, p.lending_window)

    with np.errstate(divide="ignore", invalid="ignore"):
        rel_l = d_a_l / base_l * 100.0
    # the machine steps through Python floats (numpy scalars cost ~10x more per comparison)
    pct_, pace_, d_assets_, d_sec_ = pct.tolist(), pace.tolist(), d_assets.tolist(), d_sec.tolist()
    d_a_l_, d_o_l_, rel_l_ = d_a_l.tolist(), d_o_l.tolist(), rel_l.tolist()
    states: list[str] = []
    prev = "flat"
    for t in range(n):
        g, v = pct_[t], pace_[t]
        if g != g:  # NaN
            states.append("flat")
            continue
        lending = False
        a_l = d_a_l_[t]
        if p.lending and a_l == a_l:
            enter = rel_l_[t] >= p.lending_enter_pct and d_o_l_[t] >= p.lending_share * a_l
            stay = prev == "lending" and 0 < p.lending_share * a_l <= d_o_l_[t]
            lending = enter or stay
        if lending:
            state = "lending"
        elif (
            g <= -p.qt_enter_pct
            and v <= -p.min_pace
            and d_assets_[t] <= p.qt_assets_share * d_sec_[t]
        ) or (prev == "QT" and g <= -p.qt_exit_pct):
            state = "QT"
        elif (g >= p.growth_enter_pct and v >= p.min_pace) or (
            prev in GROWTH and g >= p.growth_exit_pct and v >= p.min_pace / 2
        ):
            state = "QE" if g >= p.qe_min_pct else "reserve_management"
        else:
            state = "flat"
        states.append(state)
        prev = state
    return states


def runs(states: Sequence[str]) -> list[list]:
    """``[[kind, first, last], ...]`` runs of equal states (inclusive indices)."""
    out: list[list] = []
    for i, s in enumerate(states):
        if out and out[-1][0] == s:
            out[-1][2] = i
        else:
            out.append([s, i, i])
    return out


def _merge_growth(r: list[list]) -> list[list]:
    """QE and reserve-management weeks in one run of growth form one growth episode; its kind
    is QE when the pace ever reached the QE threshold (any QE week), else reserve management."""
    out: list[list] = []
    for kind, a, b in r:
        if out and kind in GROWTH and out[-1][0] in GROWTH:
            out[-1][2] = b
            if kind == "QE":
                out[-1][0] = "QE"
        else:
            out.append([kind, a, b])
    return out


def enforce_min_durations(r: list[list], p: Params) -> list[list]:
    """Absorb runs shorter than their minimum into a neighbour, shortest first."""
    r = _merge_growth([list(x) for x in r])
    while len(r) > 1:
        short = [
            (x[2] - x[1] + 1, i)
            for i, x in enumerate(r)
            if x[2] - x[1] + 1 < (p.min_lending_obs if x[0] == "lending" else p.min_obs)
        ]
        if not short:
            break
        _, i = min(short)
        left = r[i - 1] if i > 0 else None
        right = r[i + 1] if i + 1 < len(r) else None
        if left is not None and right is not None and left[0] == right[0]:
            left[2] = right[2]
            del r[i : i + 2]
        elif right is None or (left is not None and left[2] - left[1] >= right[2] - right[1]):
            left[2] = r[i][2]  # type: ignore[index]
            del r[i]
        else:
            right[1] = r[i][1]
            del r[i]
        r = _merge_growth(r)
    return r


def _smooth(x: np.ndarray, k: int = 4) -> np.ndarray:
    """Centred rolling mean of ``k`` observations (edges use what exists)."""
    if k <= 1 or len(x) < k:
        return x.copy()
    kernel = np.ones(k)
    num = np.convolve(x, kernel, mode="same")
    den = np.convolve(np.ones_like(x), kernel, mode="same")
    return num / den


TURN_TOLERANCE = 0.05
"""Share of the move, measured from the extreme, within which a level still counts as the
turning point (so that a flat, noisy plateau does not pull a boundary far from the move)."""


def _start_of_move(x: np.ndarray, lo: int, hi: int, ref: float, rising: bool) -> int:
    """Latest index in ``[lo, hi]`` still near the extreme the move started from; the size of
    the move is measured to ``ref``, the level some time into the new episode."""
    seg = x[lo : hi + 1]
    if rising:
        ext = seg.min()
        near = seg <= ext + TURN_TOLERANCE * max(ref - ext, 0.0)
    else:
        ext = seg.max()
        near = seg >= ext - TURN_TOLERANCE * max(ext - ref, 0.0)
    return lo + int(np.flatnonzero(near)[-1])


def _end_of_move(x: np.ndarray, lo: int, hi: int, rising: bool) -> int:
    """Earliest index in ``[lo, hi]`` already near the extreme the move ended at."""
    seg = x[lo : hi + 1]
    if rising:
        ext = seg.max()
        near = seg >= ext - TURN_TOLERANCE * (ext - x[lo])
    else:
        ext = seg.min()
        near = seg <= ext + TURN_TOLERANCE * (x[lo] - ext)
    return lo + int(np.flatnonzero(near)[0])


def refine_boundaries(
    r: list[list], assets: np.ndarray, securities: np.ndarray, p: Params
) -> list[list]:
    """Move each boundary back to the turning point that the trailing window detected late.

    Within ``p.refine`` observations before the detected change (never crossing the previous
    boundary), the new episode starts where its move starts: the last week near the trough of
    securities before growth, near their peak before run-off, near the low of total assets
    before lending. When the new episode is flat, the old one ends where its move ended (the
    first week near the peak of growth or the trough of run-off; the peak of total assets after
    lending). Growth followed by faster growth keeps the detected date.
    """
    s_sm = _smooth(securities)
    for k in range(1, len(r)):
        a_kind, b_kind = r[k - 1][0], r[k][0]
        i = r[k][1]
        lo = max(r[k - 1][1] + 1, i - p.refine)
        if lo >= i:
            continue
        later = min(i + p.window, r[k][2])
        if b_kind == "lending":
            lo = max(lo, i - p.lending_window)
            j = _start_of_move(assets, lo, i, assets[min(i + p.lending_window, r[k][2])], True)
        elif a_kind == "lending" and b_kind in ("QT", "flat"):
            j = _end_of_move(assets, lo, i, rising=True) + 1
        elif b_kind in GROWTH and a_kind not in GROWTH:
            j = _start_of_move(s_sm, lo, i, s_sm[later], True)
        elif b_kind == "QT":
            j = _start_of_move(s_sm, lo, i, s_sm[later], False)
        elif b_kind == "flat" and a_kind in GROWTH:
            j = _end_of_move(s_sm, lo, i, rising=True) + 1
        elif b_kind == "flat" and a_kind == "QT":
            j = _end_of_move(s_sm, lo, i, rising=False) + 1
        else:
            continue
        j = min(max(j, lo), i)
        r[k - 1][2] = j - 1
        r[k][1] = j
    return [x for x in r if x[2] >= x[1]]


_MATCH: dict[str, tuple[str, ...]] = {
    "QE": ("QE", "reserve_management"),
    "reserve_management": ("QE", "reserve_management"),
    "QT": ("QT",),
    "lending": ("lending",),
    "flat": ("twist",),
}


def reconcile(
    r: list[list],
    dates: np.ndarray,
    securities: np.ndarray,
    programs: Sequence[Program],
    p: Params,
) -> list[tuple[str, int, int, str | None]]:
    """Name each episode's program; relabel growth as QE or reserve management from the
    catalog; split a growth episode where the catalog starts a program of the other kind and
    the data shows a jump in purchases there."""
    day = dates.astype("datetime64[D]")
    tol = np.timedelta64(p.match_tolerance_days, "D")

    def active(pr: Program, d: np.datetime64) -> bool:
        return bool(np.datetime64(pr.effective, "D") <= d) and (
            pr.end is None or bool(d < np.datetime64(pr.end, "D"))
        )

    def starts_in(pr: Program, a: int, b: int) -> bool:
        return bool(day[a] - tol <= np.datetime64(pr.effective, "D") <= day[b])

    def candidates(kind: str, a: int, b: int) -> list[Program]:
        """Programs starting near or inside the episode, nearest start first; failing that,
        a program (not a lending one) already running when the episode starts (QT2 resuming
        after March 2023)."""
        kinds = _MATCH[kind] + (("lending",) if not p.lending and kind in GROWTH else ())
        pool = [pr for pr in programs if pr.kind in kinds and pr.names_episodes]
        near = [pr for pr in pool if starts_in(pr, a, b)]
        if near:
            return sorted(near, key=lambda pr: abs(np.datetime64(pr.effective, "D") - day[a]))
        # a standing lending procedure (the ECB's full allotment) does not name later growth
        return [pr for pr in pool if active(pr, day[a]) and pr.kind != "lending"][-1:]

    # 1. splits of growth episodes at a later program of the other growth kind
    out: list[list] = []
    for kind, a, b in r:
        pieces = [[kind, a, b]]
        if kind in GROWTH:
            cands = sorted(candidates(kind, a, b), key=lambda pr: pr.effective)
            for pr, nxt in pairwise(cands):
                if pr.kind == nxt.kind:
                    continue
                eff = np.datetime64(nxt.effective, "D")
                c = int(np.searchsorted(day, eff))
                lo, hi = max(a + p.min_obs, c - p.split_snap), min(b - p.min_obs, c + p.split_snap)
                if lo >= hi:
                    continue
                jumps = np.diff(securities[lo - 1 : hi + 1])
                # the new episode starts on the week before the first jump of at least half the
                # largest weekly jump near the program's start
                j = lo + int(np.flatnonzero(jumps >= 0.5 * jumps.max())[0]) - 1
                last = pieces[-1]
                if not last[1] + p.min_obs <= j <= last[2] - p.min_obs + 1:
                    continue
                pieces[-1] = [last[0], last[1], j - 1]
                pieces.append([last[0], j, last[2]])
        out.extend(pieces)

    # 2. program names and growth kinds
    named: list[tuple[str, int, int, str | None]] = []
    for kind, a, b in out:
        cands = candidates(kind, a, b)
        if not cands:
            named.append((kind, a, b, None))
            continue
        best = cands[0]
        if kind in GROWTH:
            kind = best.kind if best.kind in ("reserve_management", "lending") else "QE"
        named.append((kind, a, b, best.id))
    return named


def episode_rows(
    named: Sequence[tuple[str, int, int, str | None]],
    dates: pd.DatetimeIndex,
    assets: np.ndarray,
) -> list[dict]:
    """Statistics per episode; consecutive episodes share their boundary observation, so the
    changes add up to the change over the whole history."""
    rows = []
    last = len(assets) - 1
    for k, (kind, a, b, program) in enumerate(named):
        end = min(b + 1, last) if k + 1 < len(named) else b
        seg = assets[a : end + 1]
        start_level, end_level = float(assets[a]), float(assets[end])
        if kind == "QT":
            extreme = float(seg.min())
        elif kind == "flat":
            extreme = float(seg[np.argmax(np.abs(seg - start_level))])
        else:
            extreme = float(seg.max())
        days = float((dates[end] - dates[a]).days)
        change = end_level - start_level
        rows.append(
            {
                "kind": kind,
                "start": dates[a],
                "end": dates[end],
                "start_level": start_level,
                "end_level": end_level,
                "peak_or_trough": extreme,
                "change": change,
                "change_pct": change / start_level * 100.0 if start_level else float("nan"),
                "weeks": round(days / 7),
                "monthly_pace": change / (days / DAYS_PER_MONTH) if days > 0 else 0.0,
                "program": program,
            }
        )
    return rows
