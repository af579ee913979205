"""The section computations and headline figures of :mod:`tidegauge.presentation.overview`.

Each function takes the already-loaded series (``{id: Series}`` or the wide frame) and calls the
pure analysis; none of them touches the store.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..errors import NoDataError
from .overview import COMPARE_PROGRAM, Figure, Overview, _iso

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.attractiveness import Attractiveness
    from ..analysis.checklist import ChecklistResult
    from ..analysis.compare import CompareResult
    from ..analysis.effectiveness import EventStudy, Scorecard
    from ..analysis.liquidity import LiquidityResult
    from ..analysis.realrates import MarketRates, RealisedRates
    from ..analysis.realrates_history import RealRateHistory
    from ..analysis.realrates_snapshot import RealRateSnapshot
    from ..analysis.regimes import RegimeResult

Data = dict[str, "pd.Series"]


def _need(data: Data, *ids: str) -> None:
    missing = [sid for sid in ids if sid not in data]
    if missing:
        raise NoDataError.t("errors.data.missing_in_store", ids=", ".join(missing))


def regimes(data: Data) -> RegimeResult:
    from ..analysis.regimes import detect_regimes
    from ..catalog.programs import load_programs

    _need(data, "WALCL", "TREAST", "WSHOMCB")
    securities = data["TREAST"].add(data["WSHOMCB"]).dropna().rename("TREAST+WSHOMCB")
    res = detect_regimes(
        data["WALCL"], securities, programs=load_programs("fed"), bank="fed", unit="USD billions"
    )
    res.as_of = {sid: _iso(data[sid].index[-1]) or "" for sid in ("WALCL", "TREAST", "WSHOMCB")}
    return res


def liquidity(data: Data) -> LiquidityResult:
    from ..analysis.liquidity import liquidity as compute

    _need(data, "WALCL", "WTREGEN", "RRPONTSYD", "WRESBAL", "GDP")
    return compute(data["WALCL"], data["WTREGEN"], data["RRPONTSYD"], data["WRESBAL"], data["GDP"])


def compare_window(data: Data) -> tuple[dt.date, dt.date]:
    """The :data:`COMPARE_PROGRAM` window: its effective date to its end (or the latest data)."""
    from ..catalog.programs import load_programs

    prog = next(p for p in load_programs("fed") if p.id == COMPARE_PROGRAM)
    latest = min(data["WALCL"].index[-1], data["SP500"].index[-1]).date()
    end = min(prog.end, latest) if prog.end else latest
    return prog.effective, end


COMPARE_MAX_LAG = 4
"""Lead/lag searched in the report's compare (weeks either side; the report does not show it,
``tidegauge compare`` searches further)."""


def compare(data: Data, regime: RegimeResult | None) -> CompareResult:
    from ..analysis.compare import compare as compute

    _need(data, "WALCL", "SP500")
    start, end = compare_window(data)
    return compute(
        data["WALCL"],
        data["SP500"],
        start,
        end,
        freq_a="W",
        freq_b="D",
        episodes=regime.episodes if regime is not None else None,
        units=("USD billions", "index"),
        price_only=(False, True),
        max_lag=COMPARE_MAX_LAG,
    )


def snapshot(frame: pd.DataFrame, rstar: float | None) -> RealRateSnapshot:
    from ..analysis.realrates_snapshot import SNAPSHOT_IDS, real_rate_snapshot

    return real_rate_snapshot(frame[list(SNAPSHOT_IDS)], rstar=rstar)


def realrate_frames(frame: pd.DataFrame) -> tuple[MarketRates, RealisedRates, RealRateHistory]:
    from ..analysis.realrates import market_rates, realised_real_rates
    from ..analysis.realrates_history import history_table
    from ..analysis.realrates_snapshot import SNAPSHOT_IDS

    inputs = frame[list(SNAPSHOT_IDS)]
    realised = realised_real_rates(inputs)
    return market_rates(inputs), realised, history_table(realised)


def checklist(data: Data, as_of: str) -> ChecklistResult:
    from ..analysis.checklist import INPUTS, evaluate

    return evaluate({sid: data[sid] for sid in INPUTS if sid in data}, as_of)


def attractiveness(data: Data) -> Attractiveness:
    from ..analysis.attractiveness import INPUTS
    from ..analysis.attractiveness import attractiveness as compute

    _need(data, "DGS10", "DFF", "CPIAUCSL")
    return compute({sid: data[sid] for sid in INPUTS if sid in data})


def scorecard(data: Data, lang: str) -> Scorecard:
    from ..analysis.effectiveness import INPUTS
    from ..analysis.effectiveness import scorecard as compute

    return compute({sid: data[sid] for sid in INPUTS if sid in data}, lang=lang)


def events(data: Data, lang: str) -> EventStudy:
    from ..analysis.effectiveness import event_study

    _need(data, "DGS10")
    return event_study(data["DGS10"], lang=lang)


# -- figures -------------------------------------------------------------------------------------
def _last(data: Data, sid: str) -> tuple[float | None, str | None]:
    s = data.get(sid)
    if s is None or s.empty:
        return None, None
    return float(s.iloc[-1]), _iso(s.index[-1])


def _fig(key: str, value: Any, unit: str, as_of: Any, ids: tuple[str, ...], **kw: Any) -> Figure:
    return Figure(key, value, unit, _iso(as_of), ids, f"report.explain.{key}", **kw)


def _episode_detail(row: Any) -> dict[str, Any]:
    return {
        "kind": str(row["kind"]),
        "start": _iso(row["start"]),
        "end": _iso(row["end"]),
        "program": row["program"] if isinstance(row["program"], str) else None,
        "start_level": float(row["start_level"]),
        "end_level": float(row["end_level"]),
        "change_pct": float(row["change_pct"]),
        "monthly_pace": float(row["monthly_pace"]),
    }


def _balance_figures(ov: Overview) -> list[Figure]:
    ids = ("WALCL", "TREAST", "WSHOMCB")
    res = ov.regimes
    if res is None or res.episodes.empty:
        return [
            _fig("regime", None, "category", None, ids),
            _fig("episode_change", None, "USD billions", None, ids, period="week"),
            _fig("previous_episode", None, "USD billions", None, ids, period="week"),
        ]
    cur = res.current
    through = res.classified_through
    out = [
        _fig(
            "regime",
            str(cur["kind"]),
            "category",
            through,
            ids,
            period="week",
            detail=_episode_detail(cur),
            category=f"regimes.kind.{cur['kind']}",
        ),
        _fig(
            "episode_change",
            float(cur["change"]),
            "USD billions",
            through,
            ids,
            period="week",
            detail=_episode_detail(cur),
        ),
    ]
    if len(res.episodes) > 1:
        prev = res.episodes.iloc[-2]
        out.append(
            _fig(
                "previous_episode",
                float(prev["change"]),
                "USD billions",
                prev["end"],
                ids,
                period="week",
                detail=_episode_detail(prev),
            )
        )
    return out


def _liquidity_figures(ov: Overview) -> list[Figure]:
    liq = ov.liquidity
    nl_ids = ("WALCL", "WTREGEN", "RRPONTSYD")
    gdp_ids = ("WRESBAL", "GDP")
    value, date = _last(ov.data, "WRESBAL")
    reserves = _fig("reserves", value, "USD billions", date, ("WRESBAL",), period="week")
    if liq is None:
        return [
            _fig("net_liquidity", None, "USD billions", None, nl_ids, period="week"),
            reserves,
            _fig("reserves_pct_gdp", None, "percent", None, gdp_ids, period="week"),
            _fig("reserves_gauge", None, "category", None, gdp_ids, period="week"),
        ]
    d = liq.latest()
    nl, rp, g = d["net_liquidity"], d["reserves_pct_gdp"], d["gauge"]
    return [
        _fig(
            "net_liquidity",
            nl["value"],
            "USD billions",
            nl["date"],
            nl_ids,
            period="week",
            detail={k: nl[k] for k in ("walcl", "tga", "rrp", "rrp_date")},
        ),
        reserves,
        _fig(
            "reserves_pct_gdp",
            rp["value"],
            "percent",
            rp["date"],
            gdp_ids,
            period="week",
            detail={"gdp": rp["gdp"], "gdp_quarter": rp["gdp_quarter"]},
        ),
        _fig(
            "reserves_gauge",
            g["level"],
            "category",
            g["date"],
            gdp_ids,
            period="week",
            detail={k: g[k] for k in ("scarce_below_pct", "abundant_above_pct")}
            | {"pct_gdp": rp["value"]},
            category=f"liquidity.gauge.{g['level']}",
        ),
    ]


def _rate_figures(ov: Overview) -> list[Figure]:
    value, date = _last(ov.data, "DFF")
    policy = _fig("policy_rate", value, "percent", date, ("DFF",))
    if value is None:
        value, date = _last(ov.data, "FEDFUNDS")
        policy = _fig("policy_rate", value, "percent", date, ("FEDFUNDS",), period="month")
    snap = ov.realrates
    out = [policy]
    spec = (
        ("nominal_10y", "nominal_10y", ("DGS10",), "day"),
        ("tips_10y", "tips_10y", ("DFII10",), "day"),
        ("breakeven_10y", "breakeven_10y", ("DGS10", "DFII10"), "day"),
        ("cpi_yoy", "cpi_yoy", ("CPIAUCSL",), "month"),
        ("real_policy_rate", "real_policy_rate_expost", ("FEDFUNDS", "CPIAUCSL"), "month"),
    )
    for key, name, ids, period in spec:
        v = snap.values.get(name) if snap else None
        d = snap.dates.get(name) if snap else None
        src = {"formula": snap.sources.get(name, "")} if snap else {}
        out.append(_fig(key, v, "percent", d, ids, period=period, detail=src))
    stance = snap.stance if snap else None
    out.append(
        _fig(
            "stance",
            stance,
            "category",
            snap.dates.get("real_policy_rate_expost") if snap else None,
            ("FEDFUNDS", "CPIAUCSL"),
            period="month",
            detail={
                "rstar": snap.rstar,
                "band": snap.band,
                "rstar_is_default": snap.rstar_is_default,
            }
            if snap
            else {},
            category=f"realrates.stance.{stance}" if stance else None,
        )
    )
    return out


def _checklist_figure(ov: Overview) -> Figure:
    from ..analysis.checklist import INPUTS

    ck = ov.checklist
    if ck is None:
        return _fig("checklist_verdict", None, "category", None, INPUTS)
    dates = [c.as_of for c in ck.conditions if c.as_of is not None]
    return _fig(
        "checklist_verdict",
        ck.verdict,
        "category",
        max(dates) if dates else ck.as_of,
        INPUTS,
        detail={
            "evaluated": ck.as_of.isoformat(),
            "easing": ck.easing,
            "boom_met": ck.boom_met,
            "boom_available": ck.boom_available,
            "need": ck.need(),
        },
        category=f"report.verdict.{ck.verdict}",
    )


def figures(ov: Overview) -> list[Figure]:
    """The headline figures in :data:`~tidegauge.presentation.overview.FIGURE_KEYS` order."""
    from .overview import FIGURE_KEYS

    total_value, total_date = _last(ov.data, "WALCL")
    made = [
        *_balance_figures(ov),
        _fig("total_assets", total_value, "USD billions", total_date, ("WALCL",), period="week"),
        *_liquidity_figures(ov),
        *_rate_figures(ov),
        _checklist_figure(ov),
    ]
    order = {k: i for i, k in enumerate(FIGURE_KEYS)}
    return sorted(made, key=lambda f: order[f.key])
