"""Global central-bank liquidity in US dollars: the three balance sheets stacked by month, and
each bank's change split into the policy and the exchange-rate effect.

Each function returns a chart (:mod:`.vl`); write it with
:func:`tidegauge.presentation.charts.render`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...i18n import t
from ..fmt import fmt_date
from . import chart_lang, finish, source_line, title, tooltip_date, vl

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["global_change_chart", "global_chart"]

COLORS = {"fed": "#1f4e79", "ecb": "#e07b00", "boj": "#2a9d8f"}
IDS = ("WALCL", "ECBASSETSW", "DEXUSEU", "JPNASSETS", "DEXJPUS")


def global_chart(history: pd.DataFrame, lang: str = "en", *, start: str = "2008-01-01") -> Any:
    """The Fed, ECB and BOJ in USD billions, stacked, at each month's end (months where all
    three have a dollar value).

    ``history`` is :meth:`GlobalResult.to_frame` (columns ``fed``, ``ecb``, ``boj``).
    """
    import pandas as pd

    lg = chart_lang(lang)
    df = history.loc[pd.Timestamp(start) :].dropna().round(3)
    codes = ["fed", "ecb", "boj"]
    labels = {c: t(f"liquidity.bank.{c}", lg) for c in codes}
    names = json.dumps(labels, ensure_ascii=False)
    order = json.dumps({c: i for i, c in enumerate(codes)})
    wide = df[codes].reset_index(names="date")
    chart = (
        vl.Chart(wide)
        .transform_fold(list[Any](codes), as_=["code", "value"])
        .transform_calculate(bank=f"{names}[datum.code]", order=f"{order}[datum.code]")
        .mark_area()
        .encode(
            x=vl.X("date:T", title=None, axis=vl.Axis(format="%Y", labelAngle=0)),
            y=vl.Y("value:Q", stack=True, title=t("charts.global.axis", lg),
                    axis=vl.Axis(format=",.0f")),
            color=vl.Color(
                "bank:N",
                title=None,
                sort=list(labels.values()),
                scale=vl.Scale(domain=list(labels.values()), range=[COLORS[c] for c in codes]),
            ),
            order=vl.Order("order:Q"),
            tooltip=[
                vl.Tooltip("bank:N", title=t("charts.bank", lg)),
                tooltip_date(lg),
                vl.Tooltip("value:Q", title=t("charts.value", lg), format=",.0f"),
            ],
        )
        .properties(
            title=title(
                t("charts.global.title", lg),
                [
                    t("charts.unit_as_of", lg, unit=t("unit.USD billions", lg),
                      date=fmt_date(df.index[-1].date(), lg)),
                    t("charts.global.note", lg),
                ],
                source_line(IDS, lg),
            )
        )
    )  # fmt: skip
    return finish(chart, lg)


def global_change_chart(result: Mapping[str, Any], lang: str = "en") -> Any:
    """Each bank's change in USD billions over its window, as the policy effect and the
    exchange-rate effect side by side (they add up to the change).

    ``result`` is :meth:`GlobalResult.to_dict`.
    """
    import pandas as pd

    lg = chart_lang(lang)
    kinds = {"policy_usd_bn": t("charts.global.policy", lg), "fx_usd_bn": t("charts.global.fx", lg)}
    rows = []
    for b in result["banks"]:
        ch = b["change"]
        if ch is None:
            continue
        bank = t(f"liquidity.bank.{b['bank'].lower()}", lg)
        label = f"{bank} ({ch['start']} → {ch['end']})"
        for key, kind in kinds.items():
            rows.append({"bank": label, "effect": kind, "value": ch[key]})
    df = pd.DataFrame(rows)
    df["label"] = [f"{v:+,.0f}" for v in df["value"]]
    y = vl.Y("bank:N", title=None, sort=None, axis=vl.Axis(labelLimit=360))
    color = vl.Color(
        "effect:N",
        title=None,
        scale=vl.Scale(domain=list(kinds.values()), range=["#1f4e79", "#e07b00"]),
    )
    bars = (
        vl.Chart(df)
        .mark_bar()
        .encode(
            x=vl.X("value:Q", title=t("charts.global.change_axis", lg)),
            y=y,
            yOffset=vl.YOffset("effect:N"),
            color=color,
            tooltip=[
                vl.Tooltip("bank:N", title=t("charts.bank", lg)),
                vl.Tooltip("effect:N", title=t("charts.kind_title", lg)),
                vl.Tooltip("value:Q", title=t("charts.global.change_axis", lg), format="+,.1f"),
            ],
        )
    )
    zero = vl.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#333").encode(x=vl.X("x:Q"))
    total = result.get("change") or {}
    chart = (bars + zero).properties(
        title=title(
            t("charts.global.change_title", lg),
            [
                t(
                    "charts.global.change_subtitle",
                    lg,
                    total=f"{total.get('usd_bn', float('nan')):+,.0f}",
                    policy=f"{total.get('policy_usd_bn', float('nan')):+,.0f}",
                    fx=f"{total.get('fx_usd_bn', float('nan')):+,.0f}",
                    unit=t("unit.USD billions", lg),
                ),
                t("charts.global.split_note", lg),
            ],
            source_line(IDS, lg),
        )
    )
    return finish(chart, lg, height=240)
