"""A projected balance-sheet path (:func:`tidegauge.analysis.simulate.project_qt` and
:func:`~tidegauge.analysis.simulate.project_qe`; re-exported there)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .schedule import assumption_text, schedule_text

if TYPE_CHECKING:
    import pandas as pd

    from .simulate import StartState

__all__ = ["Projection"]


@dataclass(frozen=True)
class Projection:
    """A projected monthly path (``path``: one row per month end of the step, USD billions)."""

    kind: str
    start: StartState
    path: pd.DataFrame
    scarce_date: dt.date | None
    params: dict[str, Any]

    def to_frame(self) -> pd.DataFrame:
        return self.path

    def to_dict(self) -> dict[str, Any]:
        rows = [
            {"date": d.date().isoformat(), **{str(k): round(float(v), 3) for k, v in r.items()}}
            for d, (_, r) in zip(self.path.index, self.path.iterrows(), strict=True)
        ]
        return {
            "kind": self.kind,
            "start": asdict(self.start) | {"date": self.start.date.isoformat()},
            "scarce_date": self.scarce_date.isoformat() if self.scarce_date else None,
            "params": self.params,
            "path": rows,
        }

    def summary(self, lang: str = "en") -> str:
        from ..i18n import t

        s, end = self.start, self.path.iloc[-1]
        out = [
            t(
                f"judgment.simulate.title_{self.kind}",
                lang,
                start=s.date.isoformat(),
                months=len(self.path),
            ),
            t(
                "judgment.simulate.start",
                lang,
                treasury=f"{s.treasury_bn:,.0f}",
                mbs=f"{s.mbs_bn:,.0f}",
                assets=f"{s.total_assets_bn:,.0f}",
                reserves=f"{s.reserves_bn:,.0f}",
                date=s.as_of.get("TREAST", ""),
            ),
            t(
                "judgment.simulate.end",
                lang,
                date=self.path.index[-1].date().isoformat(),
                treasury=f"{end['treasury']:,.0f}",
                mbs=f"{end['mbs']:,.0f}",
                assets=f"{end['total_assets']:,.0f}",
                reserves=f"{end['reserves']:,.0f}",
                pct=f"{end['reserves_pct_gdp']:.1f}",
            ),
            t(
                "judgment.simulate.inputs_as_of",
                lang,
                dates=", ".join(f"{sid} {d}" for sid, d in self.start.as_of.items()),
            ),
            t(
                "judgment.simulate.assumptions",
                lang,
                tga=f"{end['tga']:,.0f}",
                rrp=f"{end['rrp']:,.0f}",
                growth=self.params.get("gdp_growth_pct", ""),
                threshold=self.params["scarce_below_pct"],
            ),
        ]
        for key in ("tga", "rrp"):
            a = self.params.get("assumed", {}).get(key)
            if a:
                out.append(assumption_text(key, a, lang))
        if self.params.get("schedule"):
            out.append(
                t(
                    f"judgment.simulate.scenario.{self.params['scenario']}",
                    lang,
                    date=self.params.get("known_at", ""),
                )
            )
            out += ["  " + schedule_text(row, lang) for row in self.params["schedule"]]
        if self.scarce_date:
            out.append(
                t(
                    "judgment.simulate.scarce",
                    lang,
                    date=self.scarce_date.isoformat(),
                    threshold=self.params["scarce_below_pct"],
                )
            )
        else:
            out.append(
                t("judgment.simulate.not_scarce", lang, threshold=self.params["scarce_below_pct"])
            )
        return "\n".join(out)
