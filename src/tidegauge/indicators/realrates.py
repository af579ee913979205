"""Real rates: market real yields and breakevens, the realised real policy rate and the stance
(``tidegauge realrate``, ``tidegauge realrate history``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import TidegaugeError
from ..i18n import Message, catalog
from ..values import Day, Lazy, Quantity, as_date
from .base import Indicator, Inputs, error_text, figure
from .model import Chart, Column, Figure, Row, Section, Table
from .params import Param

_MONTHLY = ("cpi_yoy", "real_policy_rate_expost", "real_10y_expost")
_HEADLINE_LABEL = {"real_policy_rate_expost": "real_policy_rate"}

AS_OF = Param(
    "as_of",
    "date",
    metavar="DATE",
    not_future=True,
    help="Use only data published by DATE (YYYY-MM-DD); default: everything stored.",
)
RSTAR = Param(
    "rstar",
    "float",
    None,
    lo=-5,
    hi=10,
    step="0.25",
    metavar="FLOAT",
    help="Neutral real policy rate r* in percent (default 1.0: FOMC longer-run median "
    "3.0% minus the 2% target).",
)
BAND = Param(
    "band",
    "float",
    None,
    lo=0,
    hi=5,
    step="0.25",
    metavar="PP",
    help="Half-width of the neutral band around r*, percentage points (default 0.5).",
)
ALIGNMENT = Param(
    "alignment",
    "choice",
    "mean",
    choices=("mean", "last"),
    label="params.label.alignment",
    help="Monthly rates: month average (FEDFUNDS, GS10) or month end (DFF, DGS10).",
)


def _ids() -> tuple[str, ...]:
    from ..analysis.realrates_snapshot import SNAPSHOT_IDS

    return SNAPSHOT_IDS


def snapshot_of(inputs: Inputs, p: Mapping[str, Any]) -> Any:
    """The real-rate snapshot (shared by the real-rate indicators of one report)."""
    from ..analysis.realrates import DEFAULT_NEUTRAL_BAND
    from ..analysis.realrates_snapshot import SNAPSHOT_IDS, real_rate_snapshot

    band = DEFAULT_NEUTRAL_BAND if p.get("band") is None else p["band"]
    key = f"realrates:{p.get('rstar')}:{band}:{p.get('alignment', 'mean')}"
    alignment: Any = p.get("alignment") or "mean"
    return inputs.cached(
        key,
        lambda: real_rate_snapshot(
            inputs.frame(SNAPSHOT_IDS),
            as_of=inputs.report_date if inputs.point_in_time else None,
            rstar=p.get("rstar"),
            band=band,
            alignment=alignment,
            # shared with the history section: the realised rates are computed once per report
            realised=None if inputs.point_in_time else realised_of(inputs, alignment),
            market=None if inputs.point_in_time else market_of(inputs),
        ),
    )


def market_of(inputs: Inputs) -> Any:
    """The market rates of ``inputs`` (shared by the snapshot and the section's charts)."""
    from ..analysis.realrates import market_rates

    return inputs.cached("market", lambda: market_rates(inputs.frame(_ids())))


def realised_of(inputs: Inputs, alignment: str = "mean") -> Any:
    from ..analysis.realrates import realised_real_rates
    from ..analysis.realrates_snapshot import SNAPSHOT_IDS

    return inputs.cached(
        f"realised:{alignment}",
        lambda: realised_real_rates(inputs.frame(SNAPSHOT_IDS), alignment=alignment),  # type: ignore[arg-type]
    )


def _label(name: str) -> str:
    key = f"report.figure.{_HEADLINE_LABEL.get(name, name)}"
    return key if key in catalog() else f"realrates.figure.{name}"


def _explain(name: str) -> Message | None:
    key = f"report.explain.{_HEADLINE_LABEL.get(name, name)}"
    return Message(key) if key in catalog() else None


def _rate_figure(snap: Any, name: str, key: str | None = None) -> Figure:
    from ..analysis.realrates_snapshot import SNAPSHOT_IDS

    src = snap.sources.get(name, "")
    ids = tuple(sid for sid in SNAPSHOT_IDS if sid in src) or ("CPIAUCSL",)
    date = as_date(snap.dates.get(name))
    month = name in _MONTHLY
    return figure(
        key or name,
        label=_label(name),
        explanation=_explain(name),
        value=snap.values.get(name),
        unit="percent",
        as_of=date,
        period="month" if month else "day",
        sources=ids,
        inputs={sid: as_date(snap.dates.get(sid)) for sid in ids},
        context=Message("report.context.formula", formula=Lazy(lambda lg: snap.source(name, lg)))
        if src
        else None,
        detail={"formula": src},
    )


class RealRates(Indicator):
    id = "realrates"
    title = "report.section.realrates.title"
    intro = "report.section.realrates.intro"
    summary = "Real rates, breakevens, 5y5y forward and the policy stance against r*."
    description = (
        "Real interest rates: TIPS yields, breakevens, 5y5y forward, realised real rates and "
        "the policy stance versus r*, every figure with its as-of date."
    )
    params = (AS_OF, RSTAR, BAND, ALIGNMENT)
    as_of_param = "as_of"
    command = ("realrate",)
    page = "realrates"
    endpoint = "realrate"
    in_report = True
    charts = ("market", "forward")
    headline = ("nominal_10y", "tips_10y", "breakeven_10y", "cpi_yoy")

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        return _ids()

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        return snapshot_of(inputs, p)

    def section(self, snap: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        from ..analysis.realrates_snapshot import FIGURES

        s = Section(self.id, Message(self.title), Message(self.intro))
        s.figures = [_rate_figure(snap, name) for name in FIGURES]
        for sid, (value, date) in snap.published.items():
            s.paragraphs.append(
                Message(
                    "realrates.snapshot.published",
                    id=sid,
                    value=Quantity(value, "percent", 2, style="number"),
                    date=Day(date),
                )
            )
        if snap.sources.get("breakeven_5y") == "T5YIE":
            s.notes.append(Message("realrates.snapshot.be5_published_note"))
        s.notes += [
            Message(f"realrates.snapshot.alignment_{snap.alignment}"),
            Message("realrates.snapshot.lag_note"),
            Message("realrates.premia_caveat"),
        ]
        market = market_of(inputs)
        s.charts.append(Chart("market", "realrates:market_chart", (market,)))
        s.charts.append(Chart("forward", "realrates:forward_chart", (market,)))
        return s


class Stance(Indicator):
    id = "stance"
    title = "report.section.stance.title"
    intro = "report.section.stance.intro"
    summary = "The real policy rate against the neutral rate r*."
    params = (AS_OF, RSTAR, BAND, ALIGNMENT)
    as_of_param = "as_of"
    command = ("realrate",)
    page = "realrates"
    in_report = True
    charts = ("policy",)
    headline = ("policy_rate", "real_policy_rate", "stance")

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        return _ids()

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        return snapshot_of(inputs, p)

    def to_json(self, snap: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        return {
            "stance": snap.stance,
            "rstar": snap.rstar,
            "band": snap.band,
            "real_policy_rate": snap.values.get("real_policy_rate_expost"),
        }

    def section(self, snap: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title), Message(self.intro))
        value, date = inputs.last("DFF")
        policy = figure("policy_rate", value=value, unit="percent", as_of=date, sources=("DFF",))
        if value is None:
            value, date = inputs.last("FEDFUNDS")
            policy = figure(
                "policy_rate",
                value=value,
                unit="percent",
                as_of=date,
                period="month",
                sources=("FEDFUNDS",),
            )
        real = _rate_figure(snap, "real_policy_rate_expost", "real_policy_rate")
        s.figures = [policy, real]
        s.figures.append(
            figure(
                "stance",
                unit="category",
                code=snap.stance,
                category=Message(f"realrates.stance.{snap.stance}") if snap.stance else None,
                as_of=real.as_of,
                period="month",
                sources=real.sources,
                inputs=real.inputs,
                detail={
                    "rstar": snap.rstar,
                    "band": snap.band,
                    "rstar_is_default": snap.rstar_is_default,
                },
                context=Message(
                    "report.context.stance",
                    rstar=Quantity(snap.rstar, "percent"),
                    band=Quantity(snap.band, "pp"),
                ),
            )
        )
        try:
            realised = realised_of(inputs, p.get("alignment") or "mean")
            s.tables.append(history_table(realised))
            s.charts.append(
                Chart(
                    "policy",
                    "realrates:policy_chart",
                    (realised,),
                    {"rstar": snap.rstar, "band": snap.band},
                )
            )
        except TidegaugeError as exc:  # the history needs CPI back to the 1950s
            s.notes.append(Message("report.text.not_available", reason=error_text(exc)))
        src = "realrates.rstar_default_source" if snap.rstar_is_default else "realrates.rstar_user"
        s.notes.append(
            Message(
                "report.text.labelled",
                name=Message("realrates.rstar_name", rstar=Quantity(snap.rstar, "percent")),
                text=Message(src),
            )
        )
        return s


def history_table(realised: Any) -> Table:
    """The episodes of real policy rates (1970s, Volcker, zero bound, 2021–22, since 2023)."""
    from ..analysis.realrates_history import history_table as compute

    hist = compute(realised)
    pct = "percent"
    rows = tuple(
        Row(
            (
                Message(f"realrates.episode.{r.key}"),
                Message("report.text.period", start=r.start, end=r.end),
                Quantity(r.real_avg, pct),
                Message(
                    "report.text.value_on",
                    value=Quantity(r.real_extreme, pct),
                    date=r.real_extreme_month,
                ),
                Quantity(r.nominal_avg, pct),
                Quantity(r.inflation_avg, pct),
                Quantity(r.real_10y_avg, pct),
            )
        )
        for r in hist.rows
    )
    cols = (
        Column("episode", Message("realrates.history.col_episode")),
        Column("period", Message("report.col.period")),
        Column("average", Message("realrates.history.col_avg"), "right"),
        Column("extreme", Message("realrates.history.col_extreme"), "right"),
        Column("nominal", Message("realrates.history.col_nominal"), "right", 1),
        Column("inflation", Message("realrates.history.col_inflation"), "right", 1),
        Column("real_10y", Message("realrates.history.col_real_10y"), "right", 2),
    )
    return Table("history", cols, rows, title=Message("realrates.history.title"))


class RealRateHistory(Indicator):
    id = "realrate_history"
    title = "realrates.history.title"
    summary = "The episodes table: 1970s, Volcker, 2009-2015, 2021-2022, 2023 on."
    description = (
        "The episodes table: 1970s, Volcker, 2009-2015, 2021-2022, 2023 on — computed from data."
    )
    params = (ALIGNMENT,)
    command = ("realrate", "history")

    def input_ids(self, p: Mapping[str, Any]) -> tuple[str, ...]:
        mean = (p.get("alignment") or "mean") == "mean"
        return ("CPIAUCSL", "FEDFUNDS", "GS10") if mean else ("CPIAUCSL", "DFF", "DGS10")

    def compute(self, inputs: Inputs, p: Mapping[str, Any]) -> Any:
        from ..analysis.realrates import realised_real_rates
        from ..analysis.realrates_history import history_table as compute

        frame = inputs.frame(self.input_ids(p))
        realised = realised_real_rates(frame, alignment=p.get("alignment") or "mean")
        return realised, compute(realised)

    def to_json(self, result: Any, p: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
        return dict(result[1].to_dict())

    def section(self, result: Any, inputs: Inputs, p: Mapping[str, Any]) -> Section:
        s = Section(self.id, Message(self.title))
        s.tables.append(history_table(result[0]))
        return s
