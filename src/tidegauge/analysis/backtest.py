"""Back-tests of the projector's default (the announced policy) against the H.4.1 path.

:func:`backtest_qt` projects from one start with the policy announced by the start
(``announcements="at_start"``, what a forecaster knew) or with every announcement up to the
end of the window (``"all"``: the projector's mechanics, given the policy actually followed),
and compares month by month. :func:`backtest_starts` runs it from :data:`BACKTEST_STARTS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._dates import parse_date
from .._typing import DateLike
from ..errors import UsageError
from .simulate import DEFAULT_MBS_PAYDOWN_BN, Projection, _first_after, project_qt, start_state

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BACKTEST_STARTS", "BacktestResult", "backtest_qt", "backtest_starts"]

BACKTEST_STARTS: tuple[tuple[str, str], ...] = (
    ("2022-06-01", "2024-05-31"),  # QT2's first two years: the caps were announced in advance
    ("2025-06-04", "2026-06-03"),  # across the end of QT2 (decided 2025-10-29) and the RMPs
    ("2025-12-17", "2026-06-16"),  # after the end of QT2, with the reserve-management bills
)
"""Windows the default is back-tested on (start, last day compared)."""


@dataclass(frozen=True)
class BacktestResult:
    """Projected versus actual path; errors in USD billions (projected − actual)."""

    projection: Projection
    end: dt.date
    actual: pd.DataFrame
    errors: pd.DataFrame
    metrics: dict[str, dict[str, float]]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.concat(
            {
                "projected": self.projection.path[self.actual.columns],
                "actual": self.actual,
                "error": self.errors,
            },
            axis=1,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.projection.start.date.isoformat(),
            "end": self.end.isoformat(),
            "announcements_known_at": self.projection.params.get("known_at"),
            "months": len(self.actual),
            "metrics": self.metrics,
            "projection": self.projection.to_dict(),
        }

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        out = [
            t(
                "judgment.simulate.backtest_title",
                lang,
                start=self.projection.start.date.isoformat(),
                end=self.end.isoformat(),
            )
        ]
        for col, m in self.metrics.items():
            out.append(
                t(
                    "judgment.simulate.backtest_row",
                    lang,
                    name=t(f"judgment.simulate.col_{col}", lang),
                    rmse=f"{m['rmse_bn']:,.1f}",
                    final=f"{m['final_error_bn']:+,.1f}",
                    pct=f"{m['final_error_pct']:+.2f}",
                )
            )
        return "\n".join(out)


def backtest_qt(
    data: Mapping[str, pd.Series],
    start: DateLike = "2022-06-01",
    end: DateLike = "2024-05-31",
    *,
    mbs_paydown_bn: float = DEFAULT_MBS_PAYDOWN_BN,
    announcements: str = "at_start",
) -> BacktestResult:
    """Project from ``start`` with the announced policy and compare with the H.4.1 path.

    ``announcements``: ``"at_start"`` — only what was announced by ``start`` (the default
    scenario of ``simulate qt``); ``"all"`` — every announcement up to ``end``.

    The TGA and RRP follow their *actual* paths, so the reserves error measures the projector
    (securities) and the items held constant (other assets, currency), not a TGA/RRP guess. Each
    month boundary (``start`` + k months) is compared with the first H.4.1 Wednesday on or after
    it: Treasuries mature on the 15th and the last day of a month, so that week's level includes
    the whole month's run-off. June 2022 – May 2024 is 24 months of run-off; its last comparison
    is the H.4.1 of 2024-06-05.

    Returns
    -------
    BacktestResult
        ``metrics[col]``: ``rmse_bn``, ``mean_error_bn``, ``final_error_bn`` and
        ``final_error_pct`` for treasury, mbs, securities, total_assets and reserves.
    """
    import numpy as np
    import pandas as pd

    d0, d1 = parse_date(start, "start"), parse_date(end, "end")
    assert d0 is not None and d1 is not None
    if d1 <= d0:
        raise UsageError.t("errors.dates.end_after_start", start=d0, end=d1)
    state = start_state(data, d0)
    # Whole months of run-off from d0 through d1: June 2022 – May 2024 is 24 months.
    months = (d1.year - d0.year) * 12 + d1.month - d0.month + (1 if d1.day >= d0.day else 0)
    if announcements not in ("at_start", "all"):
        raise UsageError.t("errors.params.choice", name="announcements",
                           value=repr(announcements), choices="at_start, all")  # fmt: skip
    proj = project_qt(
        state,
        months,
        known_at=d0 if announcements == "at_start" else d1,
        mbs_paydown_bn=mbs_paydown_bn,
        tga_bn=data["WTREGEN"],
        rrp_bn=data["RRPONTSYD"],
    )
    cols = {"treasury": "TREAST", "mbs": "WSHOMCB", "total_assets": "WALCL", "reserves": "WRESBAL"}
    actual = pd.DataFrame(
        {c: [_first_after(data[sid], d, sid) for d in proj.path.index] for c, sid in cols.items()},
        index=proj.path.index,
    )
    actual.insert(2, "securities", actual["treasury"] + actual["mbs"])
    errors = proj.path[actual.columns] - actual
    metrics = {
        c: {
            "rmse_bn": float(np.sqrt((errors[c] ** 2).mean())),
            "mean_error_bn": float(errors[c].mean()),
            "final_error_bn": float(errors[c].iloc[-1]),
            "final_error_pct": float(errors[c].iloc[-1] / actual[c].iloc[-1] * 100),
        }
        for c in actual.columns
    }
    return BacktestResult(proj, d1, actual, errors, metrics)


def backtest_starts(
    data: Mapping[str, pd.Series],
    windows: tuple[tuple[str, str], ...] = BACKTEST_STARTS,
    *,
    mbs_paydown_bn: float = DEFAULT_MBS_PAYDOWN_BN,
) -> list[dict[str, Any]]:
    """The default back-tested from several starts, with what was known at the start and with
    every announcement: per window, the final error of Treasuries and of securities held
    outright (USD billions) and the RMSE of securities. Windows the data do not reach are left
    out."""
    from ..errors import NoDataError

    out = []
    for start, end in windows:
        row: dict[str, Any] = {"start": start, "end": end}
        try:
            for how in ("at_start", "all"):
                bt = backtest_qt(data, start, end, mbs_paydown_bn=mbs_paydown_bn,
                                 announcements=how)  # fmt: skip
                m = bt.metrics
                row[how] = {
                    "treasury_final_error_bn": m["treasury"]["final_error_bn"],
                    "securities_final_error_bn": m["securities"]["final_error_bn"],
                    "securities_rmse_bn": m["securities"]["rmse_bn"],
                    "securities_final_error_pct": m["securities"]["final_error_pct"],
                }
        except NoDataError:
            continue
        out.append(row)
    return out
