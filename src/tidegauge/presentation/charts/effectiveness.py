"""The event-study chart: the 10-year yield's change on each program announcement."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...i18n import t
from . import vl

if TYPE_CHECKING:
    from ...analysis.effectiveness import EventStudy

__all__ = ["events_chart"]


def events_chart(events: EventStudy, lang: str = "en") -> Any:
    """Bars: the 1-day change of the 10-year yield on each program announcement (bp)."""
    import pandas as pd

    from . import chart_lang, finish, source_line, title

    lg = chart_lang(lang)
    tab = events.table
    df = pd.DataFrame(
        {
            "event": [f"{d} {p}" for d, p in zip(tab["announced"], tab["program"], strict=True)],
            "label": tab["label"].astype(str).to_numpy(),
            "bp": tab["change_1d_bp"].astype(float).to_numpy(),
            "bp2": tab["change_2d_bp"].astype(float).to_numpy(),
            "kind": [t(f"charts.kind.{k}", lg) if k in _KINDS else str(k) for k in tab["kind"]],
        }
    )
    axis_title = t("report.chart.events_axis", lg)
    chart = (
        vl.Chart(df)
        .mark_bar()
        .encode(
            x=vl.X("event:N", sort=None, title=None, axis=vl.Axis(labelAngle=-50, labelLimit=160)),
            y=vl.Y("bp:Q", title=axis_title),
            color=vl.condition(vl.datum.bp < 0, vl.value("#2a9d8f"), vl.value("#d62728")),
            tooltip=[
                vl.Tooltip("label:N", title=t("report.col.program", lg)),
                vl.Tooltip("event:N", title=t("report.col.announced", lg)),
                vl.Tooltip("bp:Q", title=t("report.col.day1", lg), format="+.0f"),
                vl.Tooltip("bp2:Q", title=t("report.col.day2", lg), format="+.0f"),
            ],
        )
        .properties(
            title=title(
                t("report.chart.events_title", lg),
                t(
                    "charts.unit_as_of",
                    lg,
                    unit=t("judgment.unit.bp", lg),
                    date=str(tab["event_date"].max()),
                ),
                source_line(["DGS10"], lg),
            )
        )
    )
    return finish(chart, lg, height=260)


_KINDS = ("QE", "QT", "lending", "reserve_management", "flat")
