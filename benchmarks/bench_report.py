"""Benchmark: ``tidegauge report --no-update`` from a warm store, versus a plain pandas +
matplotlib script that produces a similar summary.

Targets (issue 6): wall time at most 1.5 s and peak memory at most 300 MB (median of 5 runs, each
a fresh process measured with ``/usr/bin/time``: elapsed wall clock and maximum resident set
size).

Setup: a store in a temporary folder is filled from the mirror (``tidegauge update --mirror``),
and one report is run first so that the cached Vega bundle and chart specifications exist (a
warm store and a warm cache: what a user who runs the report again has). Each round also runs
the report with the chart cache removed: the cost of the first report after the store changed.
The peer is written the way a typical user would: ``pd.read_csv`` of each file it needs, the
same headline numbers computed with pandas (total assets, net liquidity, reserves and
reserves/GDP, policy rate, 10-year nominal / TIPS / breakeven, CPI inflation, realised real
policy rate and stance; no regime detection, checklist, attractiveness or effectiveness) printed
to the terminal, and four matplotlib PNGs (Fed assets, net liquidity, 10-year yields, real
policy rate). It does less than the report.

    /work/venv/bin/python benchmarks/bench_report.py [--mirror DIR] [--runs 5] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = ROOT.parent / "shared" / "data" / "fred"
TIDEGAUGE = Path(sys.executable).with_name("tidegauge")
TIME = shutil.which("time") or "/usr/bin/time"

PEER = textwrap.dedent(
    """
    import sys
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    mirror, out = sys.argv[1], sys.argv[2]

    def read(name):
        df = pd.read_csv(f"{mirror}/{name}.csv", index_col=0, parse_dates=True, na_values=".")
        return df.iloc[:, 0].dropna()

    walcl = read("WALCL") / 1000          # USD millions -> billions
    tga = read("WTREGEN") / 1000
    rrp = read("RRPONTSYD")               # already billions
    reserves = read("WRESBAL") / 1000
    gdp = read("GDP")
    dff, fedfunds = read("DFF"), read("FEDFUNDS")
    dgs10, dfii10 = read("DGS10"), read("DFII10")
    cpi = read("CPIAUCSL")

    weekly = pd.concat({"walcl": walcl, "tga": tga}, axis=1).dropna()
    weekly["rrp"] = rrp.reindex(weekly.index, method="ffill").fillna(0)
    weekly["net"] = weekly["walcl"] - weekly["tga"] - weekly["rrp"]
    res = pd.concat({"reserves": reserves}, axis=1)
    res["gdp"] = gdp.reindex(res.index, method="ffill")
    res["pct"] = res["reserves"] / res["gdp"] * 100
    infl = (cpi / cpi.shift(12) - 1) * 100
    real = (fedfunds - infl).dropna()
    be = (dgs10 - dfii10).dropna()

    def line(name, s, unit):
        print(f"{name:32s} {s.iloc[-1]:>12,.2f} {unit:14s} {s.index[-1].date()}")

    line("Fed total assets", walcl, "USD bn")
    line("Net liquidity", weekly["net"], "USD bn")
    line("Bank reserves", reserves, "USD bn")
    line("Reserves / GDP", res["pct"].dropna(), "%")
    line("Policy rate (DFF)", dff, "%")
    line("10-year yield", dgs10, "%")
    line("10-year TIPS", dfii10, "%")
    line("10-year breakeven", be, "%")
    line("CPI inflation", infl.dropna(), "%")
    line("Real policy rate", real, "%")
    r = real.iloc[-1]
    print("Stance:", "restrictive" if r > 1.5 else "accommodative" if r < 0.5 else "neutral")

    fig, ax = plt.subplots(figsize=(9, 4))
    walcl["2008":].plot(ax=ax, title="Fed total assets (USD bn)")
    fig.savefig(f"{out}/assets.png", dpi=100)
    fig, ax = plt.subplots(figsize=(9, 4))
    weekly["net"]["2008":].plot(ax=ax, label="net liquidity")
    reserves["2008":].plot(ax=ax, label="reserves")
    ax.legend()
    fig.savefig(f"{out}/liquidity.png", dpi=100)
    fig, ax = plt.subplots(figsize=(9, 4))
    pd.concat({"10y": dgs10, "TIPS": dfii10, "breakeven": be}, axis=1)["2003":].plot(ax=ax)
    fig.savefig(f"{out}/yields.png", dpi=100)
    fig, ax = plt.subplots(figsize=(9, 4))
    real.plot(ax=ax, title="Real policy rate (%)")
    ax.axhline(1.0, color="orange")
    fig.savefig(f"{out}/real.png", dpi=100)
    """
)


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MB, CPU seconds) of one fresh process, from /usr/bin/time."""
    proc = subprocess.run(
        [TIME, "-f", "TIME %e %M %U %S", *cmd], capture_output=True, text=True, env=env, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    m = re.search(r"TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)", proc.stderr)
    assert m, proc.stderr
    return float(m.group(1)), int(m.group(2)) / 1024, float(m.group(3)) + float(m.group(4))


def summary(name: str, runs: list[tuple[float, float, float]]) -> dict[str, float | str]:
    walls, mems = [r[0] for r in runs], [r[1] for r in runs]
    return {
        "what": name,
        "wall_median_s": statistics.median(walls),
        "wall_min_s": min(walls),
        "wall_max_s": max(walls),
        "rss_median_mb": statistics.median(mems),
        "rss_max_mb": max(mems),
        "cpu_median_s": statistics.median(r[2] for r in runs),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("TIDEGAUGE_")},
            "TIDEGAUGE_CACHE_DIR": str(t / "cache"),
            "COLUMNS": "120",
        }
        store = t / "store.db"
        subprocess.run(
            [str(TIDEGAUGE), "update", "--mirror", str(args.mirror), "--store", str(store)],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        report = [str(TIDEGAUGE), "report", "--no-update", "--store", str(store),
                  "--html", str(t / "report.html")]  # fmt: skip
        t0 = time.perf_counter()
        subprocess.run(report, env=env, check=True, capture_output=True)  # warm the Vega cache
        first = time.perf_counter() - t0
        (t / "peer").mkdir()
        (t / "peer.py").write_text(PEER, encoding="utf-8")
        peer = [sys.executable, str(t / "peer.py"), str(args.mirror), str(t / "peer")]
        subprocess.run(peer, env=env, check=True, capture_output=True)  # warm matplotlib's caches

        rows = []
        tg_runs, cold_runs, peer_runs = [], [], []
        for _ in range(args.runs):  # interleaved, so all see the same machine load
            tg_runs.append(timed(report, env))
            shutil.rmtree(t / "cache" / "charts", ignore_errors=True)
            cold_runs.append(timed(report, env))
            peer_runs.append(timed(peer, env))
        rows.append(summary("tidegauge report --no-update (summary + HTML, 6 charts)", tg_runs))
        rows.append(summary("  same, chart cache cleared (1st report after an update)", cold_runs))
        rows.append(summary("peer: pandas + matplotlib script (10 figures, 4 PNGs)", peer_runs))
        html_bytes = (t / "report.html").stat().st_size

    load = os.getloadavg()[0]
    print(f"runs: {args.runs} each, interleaved; 1-minute load average after: {load:.2f}")
    print(f"first report (writes the Vega cache): {first:.2f} s; HTML {html_bytes:,} bytes")
    print(
        f"{'what':60s} {'wall med':>9s} {'min':>6s} {'max':>6s} {'CPU med':>8s} "
        f"{'RSS med':>8s} {'max':>6s}"
    )
    for r in rows:
        print(
            f"{r['what']:60s} {r['wall_median_s']:8.2f}s {r['wall_min_s']:5.2f}s "
            f"{r['wall_max_s']:5.2f}s {r['cpu_median_s']:7.2f}s "
            f"{r['rss_median_mb']:6.0f}MB {r['rss_max_mb']:5.0f}MB"
        )
    tg = rows[0]
    print(
        f"targets: wall <= 1.5 s -> {'met' if tg['wall_median_s'] <= 1.5 else 'NOT met'}; "  # type: ignore[operator]
        f"peak RSS <= 300 MB -> {'met' if tg['rss_max_mb'] <= 300 else 'NOT met'}"  # type: ignore[operator]
    )
    if args.json:
        args.json.write_text(
            json.dumps({"rows": rows, "load": load, "html_bytes": html_bytes}, indent=2),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
