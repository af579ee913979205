"""Benchmark: ``tidegauge report`` from a warm store, versus a plain pandas + matplotlib script
that reads the same CSV files and draws the same six charts.

Targets (issue 14, each a fresh process measured with ``/usr/bin/time``: elapsed wall clock and
maximum resident set size, medians of ``--runs`` interleaved runs):

* ``report --mirror`` on a filled store with no new data (the README's main job): at most 0.5×
  the peer;
* ``report --no-update`` with the chart cache cleared (and the report model and page, also kept
  under the store's fingerprint): at most 0.8× the peer;
* ``update --mirror`` that brings nothing new: under 0.2 s for the whole catalog (in-process,
  ``Tidegauge.update()``; the CLI process is shown too).

Setup: a store in a temporary folder is filled from the mirror (``tidegauge update --mirror``),
and one report is run first so that the cached Vega bundle and chart specifications exist (a
warm store and a warm cache: what a user who runs the report again has). Each round also runs
the report with the caches keyed by the store's content removed (chart specifications, report
model, report page; the message catalog and the signals' replay stay, as they do when the new
data are not among the replay's inputs): the cost of the first report after the store changed.
The peer is written the way a typical user would: ``pd.read_csv`` of each file it needs, the
same headline numbers computed with pandas (total assets, net liquidity, reserves and
reserves/GDP, policy rate, 10-year nominal / TIPS / breakeven, CPI inflation, realised real
policy rate and stance; no regime detection, checklist, attractiveness or effectiveness) printed
to the terminal, and four matplotlib PNGs (Fed assets, net liquidity, 10-year yields, real
policy rate), plus Fed assets against the S&P 500 rebased and the Fed, ECB and BOJ balance
sheets rebased: six charts, as the report. It does less than the report (no regimes, checklist,
signals, translations or HTML).

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
STORE_KEYED = ("charts", "reports", "pages")
"""Cache folders whose entries are keyed by the store's content (cleared for the cold rows)."""

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
    spx = read("SP500")
    both = pd.concat({"Fed assets": walcl, "S&P 500": spx}, axis=1).ffill().dropna()
    fig, ax = plt.subplots(figsize=(9, 4))
    (both / both.iloc[0] * 100).plot(ax=ax, title="Rebased, 100 = start")
    fig.savefig(f"{out}/spx.png", dpi=100)
    banks = pd.concat(
        {"Fed": walcl, "ECB": read("ECBASSETSW"), "BOJ": read("JPNASSETS")}, axis=1
    ).resample("ME").last()["2008":].dropna()
    fig, ax = plt.subplots(figsize=(9, 4))
    (banks / banks.iloc[0] * 100).plot(ax=ax, title="Central-bank balance sheets, rebased")
    fig.savefig(f"{out}/banks.png", dpi=100)
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
            # PYTHONDONTWRITEBYTECODE (set on some development machines) would make every run
            # compile tidegauge's modules again (about 0.25 s); an installed package has them
            # compiled, and so do the peer's libraries
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith("TIDEGAUGE_") and k != "PYTHONDONTWRITEBYTECODE"
            },
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

        mirror_report = [str(TIDEGAUGE), "report", "--mirror", str(args.mirror),
                         "--store", str(store), "--html", str(t / "report.html")]  # fmt: skip
        noop = [str(TIDEGAUGE), "update", "--mirror", str(args.mirror), "--store", str(store)]
        rows = []
        tg_runs, cold_runs, mirror_runs, noop_runs, peer_runs = [], [], [], [], []
        for _ in range(args.runs):  # interleaved, so all see the same machine load
            tg_runs.append(timed(report, env))
            mirror_runs.append(timed(mirror_report, env))
            noop_runs.append(timed(noop, env))
            for kind in STORE_KEYED:
                shutil.rmtree(t / "cache" / kind, ignore_errors=True)
            cold_runs.append(timed(report, env))
            peer_runs.append(timed(peer, env))
        rows.append(summary("tidegauge report --no-update (summary + HTML, 6 charts)", tg_runs))
        rows.append(summary("  same, store-keyed caches cleared (1st report, new data)", cold_runs))
        rows.append(summary("tidegauge report --mirror, filled store, nothing new", mirror_runs))
        rows.append(summary("tidegauge update --mirror, nothing new (CLI process)", noop_runs))
        rows.append(summary("peer: pandas + matplotlib script (10 figures, 6 PNGs)", peer_runs))
        html_bytes = (t / "report.html").stat().st_size
        inproc = noop_in_process(args.mirror, store, env, args.runs)

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
    print(f"Tidegauge.update() from the mirror, nothing new, in-process: median {inproc:.3f} s")
    peer_wall = float(rows[-1]["wall_median_s"])
    cold, main_job = float(rows[1]["wall_median_s"]), float(rows[2]["wall_median_s"])
    print(
        f"targets: report --mirror (filled) / peer = {main_job / peer_wall:.2f} (<= 0.5: "
        f"{'met' if main_job <= 0.5 * peer_wall else 'NOT met'}); cache cleared / peer = "
        f"{cold / peer_wall:.2f} (<= 0.8: {'met' if cold <= 0.8 * peer_wall else 'NOT met'}); "
        f"no-op update {inproc:.3f} s (< 0.2 s: {'met' if inproc < 0.2 else 'NOT met'})"
    )
    if args.json:
        doc = {"rows": rows, "load": load, "html_bytes": html_bytes, "noop_update_s": inproc}
        args.json.write_text(json.dumps(doc, indent=2), encoding="utf-8")


def noop_in_process(mirror: Path, store: Path, env: dict[str, str], runs: int) -> float:
    """Median seconds of ``Tidegauge.update()`` of the whole catalog that brings nothing new
    (a fresh process that times only the call, after the session is open)."""
    code = textwrap.dedent(
        """
        import statistics, sys, time
        from tidegauge import Tidegauge
        times = []
        for _ in range(int(sys.argv[3])):
            with Tidegauge(mirror=sys.argv[1], store_path=sys.argv[2]) as tg:
                tg.store.fingerprint()
                t0 = time.perf_counter()
                tg.update()
                times.append(time.perf_counter() - t0)
        print(statistics.median(times))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(mirror), str(store), str(runs)],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return float(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
