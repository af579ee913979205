"""Back-test of the QT projector: start in June 2022 with the announced caps, compare with H.4.1."""

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

__all__ = ["BacktestResult", "backtest_qt"]


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
) -> BacktestResult:
    """Project QT from ``start`` with the announced caps and compare with the H.4.1 path.

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
    proj = project_qt(
        state,
        months,
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
