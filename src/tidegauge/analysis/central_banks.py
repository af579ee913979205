"""Fed, ECB and BOJ balance sheets side by side: own currency and share of nominal GDP.

Each bank's total assets stay in billions of its own currency (WALCL: USD, ECBASSETSW: EUR,
JPNASSETS: JPY; the catalog scales the published millions / 100 millions). For each bank
:func:`balance_sheets` reports the latest level and its date, the change over one year, the change
since ``start`` (default :data:`BASE_DATE`, the pre-2008 level), the peak since then, the share of
nominal GDP and the programs of the program catalog running on the as-of date.

**Share of GDP.** Assets are divided by the same economy's nominal GDP in the same currency
(US ``GDP``, euro-area ``EUNNGDP``, Japan ``JPNNGDP``; :data:`BANK_GDP`). GDP is an annual rate
in the US and Japan and a quarterly level in the euro area: the catalog's ``annualised`` flag says
which, and a quarterly level is multiplied by 4 (:func:`gdp_periods_per_year`). At each date the
GDP used is the latest quarter *published* by then: a quarter counts from its first day plus the
series' catalog publication lag (GDP 120 days, EUNNGDP 155, JPNNGDP 135). Today's vintage of
each quarter is used (revisions are not replayed).

A bank whose assets or GDP cannot be had (the offline mirror has no JPNASSETS, EUNNGDP or
JPNNGDP) is reported with the reason, never as a failure, unless no bank has data at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._dates import parse_date
from ..catalog import CATALOG
from ..errors import NoDataError, SourceError, Term, TidegaugeError
from .central_banks_result import BalanceSheetsResult, BankRow, Note, _iso, _quarter
from .liquidity import GDP_PUBLICATION_LAG_DAYS, gdp_known_at

if TYPE_CHECKING:
    import pandas as pd

    from .._typing import DateLike

__all__ = [
    "BANK_ASSETS",
    "BANK_GDP",
    "BASE_DATE",
    "BalanceSheetsResult",
    "BankRow",
    "Note",
    "assets_pct_gdp",
    "balance_sheets",
    "from_session",
    "gdp_periods_per_year",
]

BANK_ASSETS: dict[str, str] = {"fed": "WALCL", "ecb": "ECBASSETSW", "boj": "JPNASSETS"}
"""Bank → catalog id of its total assets."""

BANK_GDP: dict[str, str] = {"fed": "GDP", "ecb": "EUNNGDP", "boj": "JPNNGDP"}
"""Bank → catalog id of its economy's nominal GDP (in the bank's currency)."""

BASE_DATE = "2007-12-31"
"""Default ``start``: changes are measured from the last observation on or before this date,
the balance sheets' pre-2008 (pre-crisis) level."""

_PERIODS = {"A": 1, "Q": 4, "M": 12}


def gdp_periods_per_year(series_id: str) -> int:
    """1 for a GDP published as an annual rate (``annualised`` in the catalog), otherwise the
    number of its periods in a year (4 for a quarterly level such as EUNNGDP)."""
    info = CATALOG[series_id]
    return 1 if info.annualised else _PERIODS[info.frequency]


def assets_pct_gdp(
    assets: pd.Series,
    gdp: pd.Series,
    *,
    gdp_periods_per_year: int = 1,
    publication_lag_days: int = GDP_PUBLICATION_LAG_DAYS,
) -> pd.Series:
    """Total assets as percent of the nominal GDP known at each date.

    Parameters
    ----------
    assets
        Total assets, billions of a currency.
    gdp
        Nominal GDP in billions of the same currency.
    gdp_periods_per_year
        1 when ``gdp`` is already an annual rate (US GDP, JPNNGDP); 4 for a quarterly level
        (EUNNGDP), which is multiplied by 4 to an annual rate.
    publication_lag_days
        A GDP observation counts as known this many days after its date.
    """
    import pandas as pd

    a = assets.dropna()
    g = gdp_known_at(gdp, pd.DatetimeIndex(a.index), publication_lag_days=publication_lag_days)[
        "gdp"
    ]
    return (a / (g.to_numpy() * gdp_periods_per_year) * 100.0).rename(assets.name)


def balance_sheets(
    assets: Mapping[str, pd.Series | TidegaugeError],
    gdp: Mapping[str, pd.Series | TidegaugeError] | None = None,
    *,
    start: DateLike | None = BASE_DATE,
    end: DateLike | None = None,
    units: Mapping[str, str] | None = None,
    gdp_ids: Mapping[str, str] | None = None,
    gdp_periods: Mapping[str, int] | None = None,
    gdp_lag_days: Mapping[str, int] | None = None,
) -> BalanceSheetsResult:
    """Side-by-side balance sheets.

    Parameters
    ----------
    assets
        ``{bank: total assets}`` in billions of own currency, or the error that kept the series
        from being loaded (the bank is then reported as unavailable with that reason).
    gdp
        ``{bank: nominal GDP}`` in billions of the same currency, or the error; banks without
        an entry get no share of GDP.
    start
        Changes are measured from the last observation on or before ``start`` (the first
        observation if the series begins later); the peak is the highest value since then.
        Default :data:`BASE_DATE` (the pre-2008 level).
    end
        Ignore observations after ``end`` (default: use everything).
    units
        Unit per bank (default: the catalog unit of :data:`BANK_ASSETS`).
    gdp_ids
        Catalog id of each bank's GDP (default :data:`BANK_GDP`): sets the defaults of
        ``gdp_periods`` (:func:`gdp_periods_per_year`) and ``gdp_lag_days`` (the catalog lag).
    gdp_periods, gdp_lag_days
        Per-bank overrides: 1 for an annual rate, 4 for a quarterly level; days from a GDP
        observation's date to its publication.
    """
    import pandas as pd

    from ..catalog.programs import load_programs

    d0 = parse_date(start, "start") or parse_date(BASE_DATE)
    assert d0 is not None
    d1 = parse_date(end, "end")
    gdp = gdp or {}
    gids = {**BANK_GDP, **(gdp_ids or {})}
    rows: dict[str, BankRow] = {}
    levels: dict[str, pd.Series] = {}
    pcts: dict[str, pd.Series] = {}
    for bank, raw in assets.items():
        sid = BANK_ASSETS.get(bank, str(getattr(raw, "name", bank)))
        unit = (units or {}).get(bank) or (CATALOG[sid].unit if sid in CATALOG else "")
        row = BankRow(
            bank=bank, series_id=sid, unit=unit, available=False, gdp_id=gids.get(bank, "")
        )
        rows[bank] = row
        s = _window(raw, row, d0, d1)
        if s is not None:
            window = _fill_levels(row, s, d0)
            levels[bank] = window
            pct = _fill_gdp(row, window, gdp.get(bank), gdp_periods, gdp_lag_days)
            if pct is not None:
                pcts[bank] = pct
        row.program_date = row.date or d1 or dt.date.today()
        if bank in ("fed", "ecb", "boj"):
            active = [p for p in load_programs(bank) if p.active_on(row.program_date)]  # type: ignore[arg-type]
            row.programs = sorted(active, key=lambda p: p.effective, reverse=True)
    levels_df = pd.concat(levels, axis=1, sort=True) if levels else pd.DataFrame()
    pct_df = pd.concat(pcts, axis=1, sort=True) if pcts else pd.DataFrame(index=levels_df.index)
    return BalanceSheetsResult(rows=rows, levels=levels_df, pct_gdp=pct_df, start=d0, end=d1)


def _window(
    raw: pd.Series | TidegaugeError, row: BankRow, d0: dt.date, d1: dt.date | None
) -> pd.Series | None:
    """The usable observations up to ``d1`` (``None`` with ``row.problem`` set if there are
    none, or if the last one is before ``d0``)."""
    import pandas as pd

    if isinstance(raw, TidegaugeError):
        row.problem = raw
        return None
    s = raw.dropna().sort_index()
    if d1 is not None:
        s = s.loc[: pd.Timestamp(d1)]
    if s.empty:
        row.problem = NoDataError.t("errors.data.no_observations", series_id=row.series_id)
        return None
    last = s.index[-1].date()
    if last < d0:
        row.problem = NoDataError.t(
            "errors.banks.ends_before_start", series_id=row.series_id, last=last, start=d0
        )
        return None
    return s


def _fill_levels(row: BankRow, s: pd.Series, d0: dt.date) -> pd.Series:
    """Latest, one-year-ago, base and peak values; returns the series from the base on."""
    import pandas as pd

    row.available = True
    row.date, row.value = s.index[-1].date(), float(s.iloc[-1])
    ago = s.loc[: s.index[-1] - pd.DateOffset(years=1)]
    if not ago.empty:
        row.year_ago_date, row.year_ago_value = ago.index[-1].date(), float(ago.iloc[-1])
    before = s.loc[: pd.Timestamp(d0)]
    base_ts = before.index[-1] if not before.empty else s.index[0]
    row.base_is_first = before.empty
    row.base_date, row.base_value = base_ts.date(), float(s.loc[base_ts])
    window = s.loc[base_ts:]
    peak = int(window.to_numpy().argmax())  # the first date of the highest value
    row.peak_date, row.peak_value = window.index[peak].date(), float(window.iloc[peak])
    return window


def _fill_gdp(
    row: BankRow,
    window: pd.Series,
    raw: pd.Series | TidegaugeError | None,
    periods: Mapping[str, int] | None,
    lags: Mapping[str, int] | None,
) -> pd.Series | None:
    """Set the share of GDP on the latest date (and its caveats); the share over ``window``."""
    import pandas as pd

    gid = row.gdp_id
    if raw is None or isinstance(raw, TidegaugeError):
        reason = raw if raw is not None else Term("banks.note.no_gdp_series")
        row.gdp_notes.append(Note("banks.note.no_gdp", {"series_id": gid or "—", "reason": reason}))
        return None
    known = gid in CATALOG
    ppy = (periods or {}).get(row.bank) or (gdp_periods_per_year(gid) if known else 1)
    lag = (lags or {}).get(row.bank) or (
        CATALOG[gid].publication_lag_days if known else GDP_PUBLICATION_LAG_DAYS
    )
    g = raw.dropna().sort_index()
    latest = window.index[-1]
    at = gdp_known_at(g, pd.DatetimeIndex([latest]), publication_lag_days=lag).iloc[0]
    if pd.isna(at["gdp"]):
        row.gdp_notes.append(
            Note("banks.note.gdp_not_yet", {"series_id": gid, "date": _iso(row.date)})
        )
        return None
    row.gdp_quarter = pd.Timestamp(at["gdp_quarter"]).date()
    row.gdp_annual = float(at["gdp"]) * ppy
    row.pct_gdp = row.value / row.gdp_annual * 100.0 if row.value is not None else None
    expected = (latest - pd.Timedelta(days=lag)).to_period("Q").start_time.date()
    if row.gdp_quarter < expected:
        row.gdp_notes.append(
            Note(
                "banks.note.gdp_stale",
                {
                    "series_id": gid,
                    "quarter": _quarter(row.gdp_quarter),
                    "expected": _quarter(expected),
                },
            )
        )
    return assets_pct_gdp(window, g, gdp_periods_per_year=ppy, publication_lag_days=lag).dropna()


def from_session(
    tg: Any, start: DateLike | None = BASE_DATE, end: DateLike | None = None
) -> BalanceSheetsResult:
    """Fed, ECB and BOJ from a session (see :func:`balance_sheets`).

    A series the session cannot load (the offline mirror has no JPNASSETS, EUNNGDP or JPNNGDP)
    is reported in the result with the reason.

    Raises
    ------
    NoDataError
        When no bank has total-assets data up to ``end`` and after ``start``.
    UsageError
        For a malformed date.
    """
    d0 = parse_date(start, "start")
    d1 = parse_date(end, "end")
    assets: dict[str, pd.Series | TidegaugeError] = {}
    gdp: dict[str, pd.Series | TidegaugeError] = {}
    for bank, sid in BANK_ASSETS.items():
        assets[bank] = _load(tg, sid)
        if not isinstance(assets[bank], TidegaugeError):
            gdp[bank] = _load(tg, BANK_GDP[bank])
    result = balance_sheets(assets, gdp, start=d0 or BASE_DATE, end=d1)
    if not any(r.available for r in result.rows.values()):
        rows = result.rows
        raise NoDataError.t(
            "errors.banks.none_available",
            fed=rows["fed"].problem,
            ecb=rows["ecb"].problem,
            boj=rows["boj"].problem,
        )
    return result


def _load(tg: Any, sid: str) -> pd.Series | TidegaugeError:
    try:
        s: pd.Series = tg.series(sid)
    except (SourceError, NoDataError) as exc:
        return _cause(exc)
    return s


def _cause(exc: TidegaugeError) -> TidegaugeError:
    """The source's own reason inside a "cannot fetch X: <reason>" wrapper (shorter notes)."""
    detail = exc.params.get("detail")
    if exc.key == "errors.source.cannot_fetch" and isinstance(detail, TidegaugeError):
        return detail
    return exc
