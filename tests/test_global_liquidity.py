"""Global central-bank liquidity in US dollars, recomputed by hand from the CSV files in
../shared/data/fred: units (EUR millions, 100 million yen), each bank's own date and exchange
rate, the total on two dates, and the policy / exchange-rate split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import fred_values, run
from tidegauge.analysis.global_liquidity import GLOBAL_IDS, global_liquidity, split_change

finite = st.floats(min_value=0.01, max_value=1e7, allow_nan=False)


@given(a0=finite, a1=finite, x0=st.floats(0.001, 500), x1=st.floats(0.001, 500))
def test_policy_plus_exchange_rate_is_the_change(a0, a1, x0, x1) -> None:
    policy, fx = split_change(a0, a1, x0, x1)
    assert policy + fx == pytest.approx(a1 * x1 - a0 * x0, rel=1e-9, abs=1e-6)
    # symmetric: going back undoes both effects
    back = split_change(a1, a0, x1, x0)
    assert back == pytest.approx((-policy, -fx), rel=1e-9, abs=1e-6)


@pytest.fixture(scope="module")
def result(mirror_session):
    return global_liquidity({sid: mirror_session.series(sid) for sid in GLOBAL_IDS})


def test_units_and_own_dates(result, fred_mirror: Path) -> None:
    banks = {b["bank"]: b for b in result.to_dict()["banks"]}
    assert list(banks) == ["Fed", "ECB", "BOJ"]
    jp = fred_values(fred_mirror, "JPNASSETS")
    # JPNASSETS is published in 100 million yen: 6,442,957 units = 644,295.7 billion yen
    assert banks["BOJ"]["own_bn"] == pytest.approx(jp[banks["BOJ"]["as_of"]] / 10)
    ecb = fred_values(fred_mirror, "ECBASSETSW")
    assert banks["ECB"]["own_bn"] == pytest.approx(ecb[banks["ECB"]["as_of"]] / 1000)
    # DEXUSEU ends 2026-05-15 in the mirror: the ECB's dollar value stops at the first Friday
    # after it (the rate may be at most 7 days older), though ECBASSETSW runs to 2026-09-25
    assert (banks["ECB"]["as_of"], banks["ECB"]["fx_date"]) == ("2026-05-22", "2026-05-15")
    assert max(ecb) == "2026-09-25"
    # the BOJ's end-of-July stock at the rate of Friday 2026-07-31; August has no rate in reach
    assert (banks["BOJ"]["as_of"], banks["BOJ"]["stock_date"]) == ("2026-07-01", "2026-07-31")
    assert banks["BOJ"]["fx_date"] == "2026-07-31"
    assert sum(b["share_pct"] for b in banks.values()) == pytest.approx(100)


@pytest.mark.parametrize(
    "as_of, fed, ecb, ecb_fx, boj, boj_fx, total",
    [
        # WALCL 6,885,963 / 1000 + 6,344,802 / 1000 × 1.0430 + 7,599,596 / 10 / 150.41
        ("2024-12-31", "2024-12-25", "2024-12-20", "2024-12-20", "2024-11-01", "2024-11-29",
         18556.178415),
        # DEXUSEU of Friday 2022-06-24 is published a week later: the ECB's Friday uses the
        # Thursday's 1.0503; 8,913,553 / 1000 + 8,835,987 / 1000 × 1.0503 + 7,364,911 / 10 / 128.53
        ("2022-06-30", "2022-06-29", "2022-06-24", "2022-06-23", "2022-05-01", "2022-05-31",
         23924.100626),
    ],
)  # fmt: skip
def test_usd_total_by_hand(
    capsys, opts, fred_mirror: Path, as_of, fed, ecb, ecb_fx, boj, boj_fx, total
) -> None:
    v = {sid: fred_values(fred_mirror, sid) for sid in GLOBAL_IDS}
    by_hand = (
        v["WALCL"][fed] / 1000
        + v["ECBASSETSW"][ecb] / 1000 * v["DEXUSEU"][ecb_fx]
        + v["JPNASSETS"][boj] / 10 / v["DEXJPUS"][boj_fx]
    )
    assert by_hand == pytest.approx(total, abs=1e-6)
    code, out, err = run(capsys, "global", "--as-of", as_of, "--json", *opts)
    assert code == 0, err
    d = json.loads(out)
    assert d["as_of"] == as_of and d["unit"] == "USD billions"
    assert d["total_usd_bn"] == pytest.approx(by_hand, abs=1e-9)
    banks = {b["bank"]: b for b in d["banks"]}
    assert [b["as_of"] for b in banks.values()] == [fed, ecb, boj]
    assert (banks["ECB"]["fx_date"], banks["BOJ"]["fx_date"]) == (ecb_fx, boj_fx)
    assert banks["Fed"]["usd_bn"] == pytest.approx(v["WALCL"][fed] / 1000)


def test_policy_and_exchange_rate_effects_by_hand(fred_mirror: Path, mirror_session) -> None:
    # ECB from 2025-05-16 to 2026-05-22: assets fell, the euro rose from 1.1141 to 1.1627
    r = global_liquidity({s: mirror_session.series(s) for s in GLOBAL_IDS})
    ch = next(b for b in r.banks if b.bank.code == "ecb").change()
    assert ch is not None and (ch["start"], ch["end"]) == ("2025-05-16", "2026-05-22")
    a = fred_values(fred_mirror, "ECBASSETSW")
    x = fred_values(fred_mirror, "DEXUSEU")
    a0, a1, x0, x1 = (
        a["2025-05-16"] / 1000,
        a["2026-05-22"] / 1000,
        x["2025-05-16"],
        x["2026-05-15"],
    )
    assert ch["policy_usd_bn"] == pytest.approx((a1 - a0) * (x0 + x1) / 2)
    assert ch["fx_usd_bn"] == pytest.approx((x1 - x0) * (a0 + a1) / 2)
    assert ch["policy_usd_bn"] < 0 < ch["fx_usd_bn"]  # a weaker dollar made a shrinking ECB grow
    assert ch["usd_bn"] == pytest.approx(a1 * x1 - a0 * x0)
    fed = next(b for b in r.banks if b.bank.code == "fed").change()
    assert fed is not None and fed["fx_usd_bn"] == 0.0


def test_window_start(capsys, opts) -> None:
    code, out, err = run(capsys, "global", "--start", "2022-01-01", "--json", *opts)
    assert code == 0, err
    d = json.loads(out)
    starts = {b["bank"]: b["change"]["start"] for b in d["banks"]}
    assert starts == {"Fed": "2021-12-29", "ECB": "2021-12-31", "BOJ": "2021-12-01"}
    c = d["change"]
    assert c["usd_bn"] == pytest.approx(c["policy_usd_bn"] + c["fx_usd_bn"])
    # 2022-2026: the yen fell from 115 to 159 per dollar, shrinking the BOJ in dollars
    boj = next(b for b in d["banks"] if b["bank"] == "BOJ")["change"]
    assert boj["fx_usd_bn"] < -1000


def test_cli_text_in_chinese_and_chart(capsys, opts, tmp_path: Path) -> None:
    code, out, err = run(capsys, "global", "--lang", "zh-TW", *opts)
    assert code == 0, err
    assert "日本央行" in out and "匯率效果" in out and "政策效果" in out
    chart = tmp_path / "global.png"
    code, _, err = run(capsys, "global", "--chart", str(chart), "--chart-kind", "global_change",
                       *opts)  # fmt: skip
    assert code == 0, err
    assert chart.read_bytes()[:4] == b"\x89PNG"


def test_without_an_exchange_rate(capsys, partial_mirror, tmp_path: Path) -> None:
    mirror = partial_mirror(["WALCL", "ECBASSETSW", "DEXUSEU", "JPNASSETS"])
    code, out, err = run(capsys, "global", "--mirror", str(mirror), "--store",
                         str(tmp_path / "s.db"))  # fmt: skip
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "DEXJPUS" in err
