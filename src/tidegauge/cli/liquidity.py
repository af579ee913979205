"""``tidegauge liquidity``: net liquidity, reserves, reserves/GDP and the reserves gauge."""

from __future__ import annotations

import click

from ._common import chart_option, common_options, console, json_option, print_json, session


@click.command("liquidity")
@json_option
@chart_option("the net-liquidity chart")
@common_options
def liquidity_cmd(
    as_json: bool, chart_path: str | None, mirror: str | None, store: str | None, lang: str
) -> None:
    """Net liquidity (total assets − TGA − ON RRP), bank reserves, reserves as % of GDP and
    the ample/scarce reserves gauge, each with its unit and as-of date."""
    from rich.table import Table

    from ..analysis.liquidity import from_session
    from ..i18n import t

    with session(mirror, store) as tg:
        result = from_session(tg)
    if chart_path:
        from ..presentation.charts import render
        from ..presentation.charts.balance import net_liquidity_chart

        render(net_liquidity_chart(result.to_frame(), lang), chart_path)
    data = result.to_dict()
    if as_json:
        print_json(data)
        return
    nl, rs, rp, g = (data[k] for k in ("net_liquidity", "reserves", "reserves_pct_gdp", "gauge"))
    usd, pct = t("unit.USD billions", lang), t("unit.percent", lang)
    table = Table(title=t("liquidity.title", lang))
    for col in ("col_measure", "col_value", "col_unit", "col_as_of"):
        table.add_column(
            t(f"liquidity.{col}", lang), justify="right" if col == "col_value" else "left"
        )
    table.add_row(t("liquidity.row_net_liquidity", lang), f"{nl['value']:,.1f}", usd, nl["date"])
    table.add_row(t("liquidity.row_walcl", lang), f"{nl['walcl']:,.1f}", usd, nl["date"])
    table.add_row(t("liquidity.row_tga", lang), f"{nl['tga']:,.1f}", usd, nl["date"])
    table.add_row(t("liquidity.row_rrp", lang), f"{nl['rrp']:,.1f}", usd, nl["rrp_date"] or "—")
    table.add_row(t("liquidity.row_reserves", lang), f"{rs['value']:,.1f}", usd, rs["date"])
    table.add_row(
        t("liquidity.row_reserves_gdp", lang),
        f"{rp['value']:.1f}",
        pct + " · " + t("liquidity.gdp_note", lang, quarter=rp["gdp_quarter"]),
        rp["date"],
    )
    table.add_row(
        t("liquidity.row_gauge", lang),
        t(f"liquidity.gauge.{g['level']}", lang),
        t(
            "liquidity.gauge_detail",
            lang,
            scarce=f"{g['scarce_below_pct']:g}",
            abundant=f"{g['abundant_above_pct']:g}",
        ),
        g["date"],
    )
    s = data["stress_2019"]
    if s is not None:
        stress_level = t(f"liquidity.gauge.{s['gauge']}", lang)
        table.add_row(
            t("liquidity.row_stress", lang),
            f"{s['reserves_pct_gdp']:.1f}",
            f"{pct} · {s['reserves']:,.0f} {usd} · {stress_level}",
            s["date"],
        )
    con = console()
    con.print(table)
    con.print(t("liquidity.explain", lang), style="dim")
