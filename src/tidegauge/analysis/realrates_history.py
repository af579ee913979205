"""Historical episodes of real interest rates, computed from the data (nothing typed in).

Each episode is only a window of months; the table's figures come from
:func:`~tidegauge.analysis.realrates.realised_real_rates`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ..errors import NoDataError, UsageError
from .realrates import RealisedRates

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EPISODES",
    "Episode",
    "EpisodeStats",
    "RealRateHistory",
    "history_table",
    "period_stats",
]


@dataclass(frozen=True)
class Episode:
    """A named window of months (inclusive); ``end=None`` runs to the latest data.

    The display name is the message ``realrates.episode.<key>`` in every language.
    """

    key: str
    start: str
    end: str | None


EPISODES: tuple[Episode, ...] = (
    # From the 1973 oil shock to the Fed's 6 October 1979 change of operating procedure.
    Episode("great_inflation", "1973-01", "1979-09"),
    # Volcker's tightening: October 1979 to the end of monetary targeting in late 1982.
    Episode("volcker", "1979-10", "1982-12"),
    # After the 2008 crisis: the funds rate at the zero lower bound until the December 2015 hike.
    Episode("zero_bound", "2009-01", "2015-12"),
    # The post-pandemic inflation: rates near zero until March 2022 while CPI rose to 9%.
    Episode("post_pandemic", "2021-01", "2022-12"),
    # Positive real rates again after the 2022-23 hikes.
    Episode("since_2023", "2023-01", None),
)
"""Default episodes of the history table (see docs/realrates.md)."""


@dataclass(frozen=True)
class EpisodeStats:
    """Realised real policy rate statistics over one window (percent; months dated the 1st).

    ``real_extreme`` is the minimum when the average is negative, else the maximum.
    """

    key: str
    start: str
    end: str
    months: int
    real_avg: float
    real_min: float
    real_min_month: str
    real_max: float
    real_max_month: str
    real_extreme: float
    real_extreme_month: str
    nominal_avg: float
    nominal_max: float
    inflation_avg: float
    real_10y_avg: float

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _frame(realised: RealisedRates | pd.DataFrame) -> pd.DataFrame:
    return realised.frame if isinstance(realised, RealisedRates) else realised


def period_stats(
    realised: RealisedRates | pd.DataFrame, start: str, end: str | None = None, *, key: str = ""
) -> EpisodeStats:
    """Statistics of the realised real policy rate over ``start``..``end`` (``YYYY-MM``).

    Raises
    ------
    NoDataError
        No month in the window has a real policy rate.
    """
    import pandas as pd

    frame = _frame(realised)
    try:
        lo = pd.Timestamp(start)
        hi = pd.Timestamp(end) + pd.offsets.MonthEnd(0) if end else frame.index.max()
    except ValueError:
        raise UsageError.t("errors.dates.period", start=start, end=end) from None
    window = frame.loc[lo:hi]
    real = window["real_policy_rate"].dropna()
    if real.empty:
        if end:
            raise NoDataError.t("errors.data.no_real_in_period", start=start, end=end)
        raise NoDataError.t("errors.data.no_real_in_period_open", start=start)
    avg = float(real.mean())
    i_min, i_max = pd.Timestamp(real.idxmin()), pd.Timestamp(real.idxmax())  # type: ignore[arg-type]
    extreme_at = i_min if avg < 0 else i_max
    month = "%Y-%m"
    rows = window.loc[real.index]  # the months with a real policy rate
    return EpisodeStats(
        key=key or f"{start}..{end or ''}",
        start=real.index[0].strftime(month),
        end=real.index[-1].strftime(month),
        months=len(real),
        real_avg=avg,
        real_min=float(real.loc[i_min]),
        real_min_month=i_min.strftime(month),
        real_max=float(real.loc[i_max]),
        real_max_month=i_max.strftime(month),
        real_extreme=float(real.loc[extreme_at]),
        real_extreme_month=extreme_at.strftime(month),
        nominal_avg=float(rows["policy_rate"].mean()),
        nominal_max=float(rows["policy_rate"].max()),
        inflation_avg=float(rows["cpi_yoy"].mean()),
        real_10y_avg=float(window["real_10y"].dropna().mean())
        if window["real_10y"].notna().any()
        else float("nan"),
    )


@dataclass(frozen=True)
class RealRateHistory:
    """The episodes table: one :class:`EpisodeStats` per episode with data."""

    rows: tuple[EpisodeStats, ...]
    alignment: str
    method: str
    sources: dict[str, str]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([asdict(r) for r in self.rows]).set_index("key")

    def to_dict(self) -> dict[str, Any]:
        return {
            "alignment": self.alignment,
            "method": self.method,
            "sources": dict(self.sources),
            "unit": "percent",
            "episodes": [r.to_dict() for r in self.rows],
        }

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        lines = [t("realrates.history.title", lang)]
        for r in self.rows:
            lines.append(
                "  "
                + t(
                    "realrates.history.line",
                    lang,
                    name=t(f"realrates.episode.{r.key}", lang),
                    start=r.start,
                    end=r.end,
                    avg=f"{r.real_avg:.2f}",
                    extreme=f"{r.real_extreme:.2f}",
                    extreme_month=r.real_extreme_month,
                    nominal=f"{r.nominal_avg:.2f}",
                    inflation=f"{r.inflation_avg:.2f}",
                )
            )
        return "\n".join(lines)


def history_table(
    realised: RealisedRates, episodes: tuple[Episode, ...] = EPISODES
) -> RealRateHistory:
    """Compute :class:`EpisodeStats` for each episode that has data (others are left out)."""
    rows = []
    for ep in episodes:
        try:
            rows.append(period_stats(realised, ep.start, ep.end, key=ep.key))
        except NoDataError:
            continue
    if not rows:
        raise NoDataError.t("errors.data.no_real_episodes")
    return RealRateHistory(tuple(rows), realised.alignment, realised.method, dict(realised.sources))
