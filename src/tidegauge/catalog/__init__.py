"""The built-in series catalog: what each series is, its units and how to scale it.

Native units are what the source publishes (checked against FRED's series metadata); the
canonical unit is what every analysis works in: balance-sheet items in billions of their own
currency, rates and spreads in percent. ``canonical = native * 10**scale_exp``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from .._typing import Frequency, Lang
from ..errors import SeriesNotFound

__all__ = ["CATALOG", "SeriesInfo", "get", "resolve_ids"]


@dataclass(frozen=True)
class SeriesInfo:
    """One catalog entry.

    Attributes
    ----------
    id
        Source id (FRED series id).
    name
        Display name per language.
    native_unit
        Unit as published by the source.
    unit
        Canonical unit after scaling (English; translated for display by the presentation layer).
    scale_exp
        Power of ten from native to canonical (``-3``: millions → billions).
    frequency
        ``D``, ``W``, ``M``, ``Q`` or ``A``.
    category
        Group used for listing (balance_sheet, liquidity, rates, inflation, markets, macro,
        fiscal, global).
    publication_lag_days
        Typical days from the observation date to its first publication; used to decide what
        was known on a past date when the store has no vintages. FRED dates a monthly value on
        the first day of its month, so a monthly average published early the next month has a
        lag of about 32 days, CPI (mid next month) about 45.
    source
        Name of the source family (``fred``).
    annualised
        For a flow such as GDP: ``True`` when each value is an annual rate (US ``GDP`` is a
        seasonally adjusted annual rate), ``False`` when it is the level of its own period (a
        quarter's GDP) or when the series is not a flow. Ratios to GDP read it to scale a
        quarterly level to a year (:func:`tidegauge.analysis.central_banks.gdp_periods_per_year`).
    """

    id: str
    name: dict[Lang, str]
    native_unit: str
    unit: str
    scale_exp: int
    frequency: Frequency
    category: str
    publication_lag_days: int
    source: str = "fred"
    annualised: bool = False

    def to_canonical(self, value: float) -> float:
        """Scale one native value; division by a power of ten keeps decimal values exact."""
        if self.scale_exp < 0:
            return value / 10 ** (-self.scale_exp)
        return value * 10**self.scale_exp

    def label(self, lang: Lang = "en") -> str:
        return self.name.get(lang) or self.name["en"]


def _s(
    id: str,
    en: str,
    zh_tw: str,
    zh_cn: str,
    native_unit: str,
    unit: str,
    scale_exp: int,
    frequency: Frequency,
    category: str,
    lag: int,
    source: str = "fred",
    *,
    annualised: bool = False,
) -> SeriesInfo:
    return SeriesInfo(
        id=id,
        name={"en": en, "zh-TW": zh_tw, "zh-CN": zh_cn},
        native_unit=native_unit,
        unit=unit,
        scale_exp=scale_exp,
        frequency=frequency,
        category=category,
        publication_lag_days=lag,
        source=source,
        annualised=annualised,
    )


_USD_M = "Millions of U.S. Dollars"
_USD_B = "Billions of U.S. Dollars"
_PCT = "Percent"

_ENTRIES: tuple[SeriesInfo, ...] = (
    # --- Fed balance sheet (H.4.1, Wednesday levels, published Thursday) -------------------
    _s(
        "WALCL",
        "Fed total assets",
        "聯準會總資產",
        "美联储总资产",
        _USD_M,
        "USD billions",
        -3,
        "W",
        "balance_sheet",
        1,
    ),
    _s(
        "TREAST",
        "Treasury securities held outright",
        "直接持有的美國公債",
        "直接持有的美国国债",
        _USD_M,
        "USD billions",
        -3,
        "W",
        "balance_sheet",
        1,
    ),
    _s(
        "WSHOMCB",
        "Mortgage-backed securities held outright",
        "直接持有的房貸抵押證券",
        "直接持有的抵押贷款支持证券",
        _USD_M,
        "USD billions",
        -3,
        "W",
        "balance_sheet",
        1,
    ),
    _s(
        "WRESBAL",
        "Reserve balances with Federal Reserve Banks (week average)",
        "存款機構準備金餘額（週平均）",
        "存款机构准备金余额（周平均）",
        _USD_M,
        "USD billions",
        -3,
        "W",
        "liquidity",
        1,
    ),
    _s(
        "WTREGEN",
        "Treasury General Account (TGA, week average)",
        "財政部一般帳戶（TGA，週平均）",
        "财政部一般账户（TGA，周平均）",
        _USD_M,
        "USD billions",
        -3,
        "W",
        "liquidity",
        1,
    ),
    _s(
        "TOTRESNS",
        "Total reserves of depository institutions",
        "存款機構準備金總額",
        "存款机构准备金总额",
        "Billions of U.S. Dollars",
        "USD billions",
        0,
        "M",
        "liquidity",
        45,
    ),
    # --- Money markets and policy rates ----------------------------------------------------
    _s(
        "RRPONTSYD",
        "Overnight reverse repurchase agreements (ON RRP)",
        "隔夜逆回購協議（ON RRP）",
        "隔夜逆回购协议（ON RRP）",
        _USD_B,
        "USD billions",
        0,
        "D",
        "liquidity",
        1,
    ),
    _s(
        "DFF",
        "Effective federal funds rate (daily)",
        "有效聯邦基金利率（日）",
        "有效联邦基金利率（日）",
        _PCT,
        "percent",
        0,
        "D",
        "rates",
        1,
    ),
    _s(
        "FEDFUNDS",
        "Effective federal funds rate (monthly)",
        "有效聯邦基金利率（月）",
        "有效联邦基金利率（月）",
        _PCT,
        "percent",
        0,
        "M",
        "rates",
        32,
    ),
    _s(
        "IORB",
        "Interest rate on reserve balances",
        "準備金餘額利率（IORB）",
        "准备金余额利率（IORB）",
        _PCT,
        "percent",
        0,
        "D",
        "rates",
        1,
    ),
    # --- Treasury yields, TIPS, breakevens -------------------------------------------------
    _s(
        "DGS2",
        "2-year Treasury yield",
        "2 年期美國公債殖利率",
        "2 年期美国国债收益率",
        _PCT,
        "percent",
        0,
        "D",
        "rates",
        1,
    ),
    _s(
        "DGS5",
        "5-year Treasury yield",
        "5 年期美國公債殖利率",
        "5 年期美国国债收益率",
        _PCT,
        "percent",
        0,
        "D",
        "rates",
        1,
    ),
    _s(
        "DGS10",
        "10-year Treasury yield",
        "10 年期美國公債殖利率",
        "10 年期美国国债收益率",
        _PCT,
        "percent",
        0,
        "D",
        "rates",
        1,
    ),
    _s(
        "DGS30",
        "30-year Treasury yield",
        "30 年期美國公債殖利率",
        "30 年期美国国债收益率",
        _PCT,
        "percent",
        0,
        "D",
        "rates",
        1,
    ),
    _s(
        "GS10",
        "10-year Treasury yield (monthly)",
        "10 年期美國公債殖利率（月）",
        "10 年期美国国债收益率（月）",
        _PCT,
        "percent",
        0,
        "M",
        "rates",
        32,
    ),
    _s(
        "DFII5",
        "5-year TIPS real yield",
        "5 年期抗通膨公債（TIPS）實質殖利率",
        "5 年期通胀保值国债（TIPS）实际收益率",
        _PCT,
        "percent",
        0,
        "D",
        "rates",
        1,
    ),
    _s(
        "DFII10",
        "10-year TIPS real yield",
        "10 年期抗通膨公債（TIPS）實質殖利率",
        "10 年期通胀保值国债（TIPS）实际收益率",
        _PCT,
        "percent",
        0,
        "D",
        "rates",
        1,
    ),
    _s(
        "T5YIE",
        "5-year breakeven inflation",
        "5 年期損益平衡通膨率",
        "5 年期盈亏平衡通胀率",
        _PCT,
        "percent",
        0,
        "D",
        "inflation",
        1,
    ),
    _s(
        "T10YIE",
        "10-year breakeven inflation",
        "10 年期損益平衡通膨率",
        "10 年期盈亏平衡通胀率",
        _PCT,
        "percent",
        0,
        "D",
        "inflation",
        1,
    ),
    _s(
        "T5YIFR",
        "5-year, 5-year forward inflation expectation",
        "5 年後 5 年期遠期通膨預期",
        "5 年后 5 年期远期通胀预期",
        _PCT,
        "percent",
        0,
        "D",
        "inflation",
        1,
    ),
    # --- Inflation ---------------------------------------------------------------------------
    _s(
        "CPIAUCSL",
        "Consumer price index (all items)",
        "消費者物價指數（CPI）",
        "消费者价格指数（CPI）",
        "Index 1982-1984=100",
        "index",
        0,
        "M",
        "inflation",
        45,
    ),
    _s(
        "CPILFESL",
        "Core CPI (ex food and energy)",
        "核心 CPI（不含食品與能源）",
        "核心 CPI（不含食品和能源）",
        "Index 1982-1984=100",
        "index",
        0,
        "M",
        "inflation",
        45,
    ),
    _s(
        "PCEPILFE",
        "Core PCE price index",
        "核心個人消費支出（PCE）物價指數",
        "核心个人消费支出（PCE）价格指数",
        "Index 2017=100",
        "index",
        0,
        "M",
        "inflation",
        60,
    ),
    # --- Markets -----------------------------------------------------------------------------
    _s(
        "SP500",
        "S&P 500 index (price)",
        "標普 500 指數（價格）",
        "标普 500 指数（价格）",
        "Index",
        "index",
        0,
        "D",
        "markets",
        1,
    ),
    _s(
        "VIXCLS",
        "CBOE volatility index (VIX)",
        "芝加哥期權交易所波動率指數（VIX）",
        "芝加哥期权交易所波动率指数（VIX）",
        "Index",
        "index",
        0,
        "D",
        "markets",
        1,
    ),
    _s(
        "NFCI",
        "Chicago Fed National Financial Conditions Index",
        "芝加哥聯邦準備銀行全國金融狀況指數（NFCI）",
        "芝加哥联储全国金融状况指数（NFCI）",
        "Index",
        "index",
        0,
        "W",
        "markets",
        5,
    ),
    _s(
        "BAMLH0A0HYM2",
        "US high-yield option-adjusted spread",
        "美國高收益債選擇權調整利差",
        "美国高收益债期权调整利差",
        _PCT,
        "percent",
        0,
        "D",
        "markets",
        1,
    ),
    _s(
        "DTWEXBGS",
        "Broad US dollar index",
        "美元廣義貿易加權指數",
        "美元广义贸易加权指数",
        "Index Jan 2006=100",
        "index",
        0,
        "D",
        "markets",
        7,
    ),
    # --- Macro, money and credit ----------------------------------------------------------
    _s("UNRATE", "Unemployment rate", "失業率", "失业率", _PCT, "percent", 0, "M", "macro", 35),
    _s(
        "M2SL",
        "M2 money stock",
        "M2 貨幣供給",
        "M2 货币供应量",
        _USD_B,
        "USD billions",
        0,
        "M",
        "macro",
        55,
    ),
    _s(
        "TOTBKCR",
        "Bank credit, all commercial banks",
        "商業銀行信用總額",
        "商业银行信贷总额",
        _USD_B,
        "USD billions",
        0,
        "W",
        "macro",
        10,
    ),
    _s(
        "BUSLOANS",
        "Commercial and industrial loans",
        "工商業貸款",
        "工商业贷款",
        _USD_B,
        "USD billions",
        0,
        "M",
        "macro",
        45,
    ),
    _s(
        "GDP",
        "Gross domestic product (nominal, annual rate)",
        "國內生產毛額（名目，年率）",
        "国内生产总值（名义，年率）",
        "Billions of Dollars, SAAR",
        "USD billions",
        0,
        "Q",
        "macro",
        120,
        annualised=True,
    ),
    _s(
        "GDPC1",
        "Real gross domestic product",
        "實質國內生產毛額",
        "实际国内生产总值",
        "Billions of Chained 2017 Dollars, SAAR",
        "USD billions (chained 2017)",
        0,
        "Q",
        "macro",
        120,
        annualised=True,
    ),
    _s(
        "UMCSENT",
        "University of Michigan consumer sentiment",
        "密西根大學消費者信心指數",
        "密歇根大学消费者信心指数",
        "Index 1966:Q1=100",
        "index",
        0,
        "M",
        "macro",
        28,
    ),
    # --- Fiscal ------------------------------------------------------------------------------
    _s(
        "FYFSD",
        "Federal surplus or deficit (fiscal year)",
        "聯邦財政盈餘或赤字（財政年度）",
        "联邦财政盈余或赤字（财政年度）",
        _USD_M,
        "USD billions",
        -3,
        "A",
        "fiscal",
        20,
    ),
    _s(
        "GFDEBTN",
        "Federal debt: total public debt",
        "聯邦政府債務總額",
        "联邦政府债务总额",
        _USD_M,
        "USD billions",
        -3,
        "Q",
        "fiscal",
        170,
    ),
    # --- Other central banks -----------------------------------------------------------------
    _s(
        "ECBASSETSW",
        "ECB (Eurosystem) total assets",
        "歐洲央行（歐元體系）總資產",
        "欧洲央行（欧元体系）总资产",
        "Millions of Euros",
        "EUR billions",
        -3,
        "W",
        "global",
        5,
    ),
    _s(
        "JPNASSETS",
        "Bank of Japan total assets",
        "日本央行總資產",
        "日本央行总资产",
        "100 Million Yen",
        "JPY billions",
        -1,
        "M",
        "global",
        35,
    ),
    # Nominal GDP of the euro area and Japan, for the ECB's and the BOJ's assets as a share of
    # GDP (neither is in the reference mirror; the analysis says so instead of failing).
    # EUNNGDP: Eurostat via FRED, quarterly, millions of euros, seasonally and calendar
    # adjusted, the LEVEL of each quarter (not annualised; ratios multiply it by 4). Two
    # independent public scripts that use it annualise it by x4 / by summing four quarters.
    # Lag: Eurostat's t+30 and t+45 flashes give volume growth only; current-price levels come
    # with the "GDP and main aggregates" release about 65 days after the quarter ends, i.e.
    # about 155 days after the quarter's first day (FRED's observation date).
    _s(
        "EUNNGDP",
        "Euro-area gross domestic product (nominal, quarterly level)",
        "歐元區國內生產毛額（名目，季度值）",
        "欧元区国内生产总值（名义，季度值）",
        "Millions of Euros, SA",
        "EUR billions",
        -3,
        "Q",
        "global",
        155,
    ),
    # JPNNGDP: Cabinet Office (ESRI) via FRED, quarterly, billions of yen, seasonally adjusted
    # ANNUAL RATE. Evidence (fairly sure, not checked against FRED's own metadata page, which
    # is not reachable here): a public copy of the FRED CSV holds 607,643 for 2024-04-01 and
    # 633,305 for 2025-04-01, i.e. the size of Japan's whole-year GDP (about 600 trillion yen),
    # not a quarter's; a public R script treats it as "bn SAAR". Lag: the first preliminary
    # estimate comes about 45 days after the quarter ends (about 135 after its first day).
    _s(
        "JPNNGDP",
        "Japan gross domestic product (nominal, annual rate)",
        "日本國內生產毛額（名目，年率）",
        "日本国内生产总值（名义，年率）",
        "Billions of Yen, SAAR",
        "JPY billions",
        0,
        "Q",
        "global",
        135,
        annualised=True,
    ),
    # --- Long histories not on FRED (datahub: Shiller S&P 500, gold) -------------------------
    _s(
        "SPX_SHILLER",
        "S&P 500 composite, monthly average (Shiller)",
        "標普 500 綜合指數月均值（Shiller）",
        "标普 500 综合指数月均值（Shiller）",
        "Index",
        "index",
        0,
        "M",
        "markets",
        31,
        "datahub",
    ),
    _s(
        "SPX_DIV",
        "S&P 500 dividends per share, annualised (Shiller)",
        "標普 500 每股股利（年化，Shiller）",
        "标普 500 每股股息（年化，Shiller）",
        "Index points per year",
        "index points per year",
        0,
        "M",
        "markets",
        90,
        "datahub",
    ),
    _s(
        "SPX_EARN",
        "S&P 500 earnings per share, annualised (Shiller)",
        "標普 500 每股盈餘（年化，Shiller）",
        "标普 500 每股收益（年化，Shiller）",
        "Index points per year",
        "index points per year",
        0,
        "M",
        "markets",
        120,
        "datahub",
    ),
    _s(
        "SPX_CAPE",
        "Cyclically adjusted P/E ratio (CAPE, Shiller)",
        "週期調整本益比（CAPE，Shiller）",
        "周期调整市盈率（CAPE，Shiller）",
        "Ratio",
        "ratio",
        0,
        "M",
        "markets",
        31,
        "datahub",
    ),
    _s(
        "GOLD",
        "Gold price, monthly",
        "黃金價格（月）",
        "黄金价格（月）",
        "U.S. Dollars per Troy Ounce",
        "USD per troy ounce",
        0,
        "M",
        "markets",
        31,
        "datahub",
    ),
)

CATALOG: dict[str, SeriesInfo] = {s.id: s for s in _ENTRIES}
"""Every built-in series by id, in display order."""


def get(series_id: str) -> SeriesInfo:
    """The catalog entry for ``series_id`` (case-insensitive).

    Raises
    ------
    SeriesNotFound
        With up to three close matches in the message.
    """
    key = series_id.strip().upper()
    try:
        return CATALOG[key]
    except KeyError:
        pass
    close = difflib.get_close_matches(key, list(CATALOG), n=3, cutoff=0.5)
    if close:
        raise SeriesNotFound.t(
            "errors.catalog.unknown_series_hint", series_id=series_id, close=", ".join(close)
        )
    raise SeriesNotFound.t("errors.catalog.unknown_series", series_id=series_id)


def resolve_ids(ids: Iterable[str] | str | None) -> list[str]:
    """Normalise ids (case, duplicates) and validate them; ``None`` means the whole catalog."""
    if ids is None:
        return list(CATALOG)
    if isinstance(ids, str):
        ids = [ids]
    out: list[str] = []
    for raw in ids:
        sid = get(raw).id
        if sid not in out:
            out.append(sid)
    return out
