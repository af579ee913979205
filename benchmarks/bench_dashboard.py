"""Benchmark: the dashboard overview served by ``tidegauge serve`` (a real server on 127.0.0.1).

Targets: overview served warm in at most 300 ms with a payload under 1.5 MB.

Measured in the same run, over one store loaded from the mirror:

1. ``tidegauge serve`` (subprocess, the real command): ``/`` (HTML page with the headline
   figures and two charts) and ``/api/overview`` (JSON) — the first request after start-up
   (cold) and the median/p95 of repeated requests (warm, served from the cache);
2. peer: the same app with its cache disabled (every request recomputes the overview);
3. peer: a straightforward pandas script that reads the mirror's CSV files, computes the same
   headline figures (total assets, net liquidity, reserves, reserves/GDP, policy rate, 10-year
   nominal/TIPS/breakeven, CPI inflation, realised real policy rate) plus the weekly WALCL
   history for a chart, and ``json.dumps`` them.

    /work/venv/bin/python benchmarks/bench_dashboard.py [--mirror DIR] [--runs 30] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data" / "fred"
TARGET_MS = 300.0
TARGET_BYTES = 1_500_000

UNCACHED_SERVER = """
import sys, uvicorn
from tidegauge.config import Settings
from tidegauge.web import create_app
app = create_app(Settings.from_env(store_path=sys.argv[1]), cache_size=0)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(cmd: list[str], port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "FRED_API_KEY"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                detail = proc.stderr.read().decode() if proc.stderr else "server died"
                raise RuntimeError(detail) from None
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not start")


def timed_get(client: httpx.Client, url: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    r = client.get(url)
    ms = (time.perf_counter() - t0) * 1000
    r.raise_for_status()
    return ms, len(r.content)


def measure_server(base: str, paths: list[str], runs: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for path in paths:
            cold, size = timed_get(client, path)
            warm = sorted(timed_get(client, path)[0] for _ in range(runs))
            out[path] = {
                "cold_ms": cold,
                "warm_median_ms": statistics.median(warm),
                "warm_p95_ms": warm[max(0, int(len(warm) * 0.95) - 1)],
                "bytes": size,
            }
        statics = sum(
            timed_get(client, f"/static/{n}")[1]
            for n in ("vega.js", "dashboard.js", "dashboard.css")
        )
        out["static_bytes"] = statics
    return out


# -- peer: a plain pandas script -----------------------------------------------------------------
def pandas_overview(mirror: Path) -> str:
    """What a typical user would write: read the CSVs, take the last values, dump JSON."""

    def read(sid: str) -> pd.Series:
        df = pd.read_csv(mirror / f"{sid}.csv", index_col=0, parse_dates=True)
        return pd.to_numeric(df.iloc[:, 0], errors="coerce").dropna()

    walcl = read("WALCL") / 1000
    tga = read("WTREGEN") / 1000
    rrp = read("RRPONTSYD")
    reserves = read("WRESBAL") / 1000
    gdp = read("GDP")
    dff, dgs10, dfii10 = read("DFF"), read("DGS10"), read("DFII10")
    cpi, fedfunds = read("CPIAUCSL"), read("FEDFUNDS")
    day = walcl.index[-1]
    net = walcl.iloc[-1] - tga.loc[:day].iloc[-1] - rrp.loc[:day].iloc[-1]
    cpi_yoy = (cpi.pct_change(12) * 100).dropna()
    figures = {
        "total_assets": (walcl.iloc[-1], str(day.date())),
        "net_liquidity": (net, str(day.date())),
        "reserves": (reserves.iloc[-1], str(reserves.index[-1].date())),
        "reserves_pct_gdp": (
            reserves.iloc[-1] / gdp.iloc[-1] * 100,
            str(reserves.index[-1].date()),
        ),
        "policy_rate": (dff.iloc[-1], str(dff.index[-1].date())),
        "nominal_10y": (dgs10.iloc[-1], str(dgs10.index[-1].date())),
        "tips_10y": (dfii10.iloc[-1], str(dfii10.index[-1].date())),
        "breakeven_10y": ((dgs10 - dfii10).dropna().iloc[-1], str(dfii10.index[-1].date())),
        "cpi_yoy": (cpi_yoy.iloc[-1], str(cpi_yoy.index[-1].date())),
        "real_policy_rate": (fedfunds.iloc[-1] - cpi_yoy.iloc[-1], str(fedfunds.index[-1].date())),
    }
    chart = walcl.loc["2008":]
    return json.dumps(
        {
            "figures": {k: {"value": float(v), "as_of": d} for k, (v, d) in figures.items()},
            "walcl": [[str(i.date()), float(v)] for i, v in chart.items()],
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    from tidegauge import Tidegauge

    tmp = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    store = tmp / "store.db"
    with Tidegauge(mirror=str(args.mirror), store_path=str(store)) as tg:
        assert tg.update().ok

    paths = ["/", "/api/overview"]
    results: dict[str, Any] = {}
    port = free_port()
    exe = str(Path(sys.executable).with_name("tidegauge"))
    proc = start([exe, "serve", "--store", str(store), "--port", str(port)], port)
    try:
        results["cached"] = measure_server(f"http://127.0.0.1:{port}", paths, args.runs)
    finally:
        proc.terminate()
        proc.wait(10)
    port = free_port()
    proc = start([sys.executable, "-c", UNCACHED_SERVER, str(store), str(port)], port)
    try:
        results["uncached"] = measure_server(
            f"http://127.0.0.1:{port}", paths, max(5, args.runs // 3)
        )
    finally:
        proc.terminate()
        proc.wait(10)
    pandas_overview(args.mirror)  # warm-up (imports, page cache)
    times, size = [], 0
    for _ in range(max(5, args.runs // 3)):
        t0 = time.perf_counter()
        size = len(pandas_overview(args.mirror).encode())
        times.append((time.perf_counter() - t0) * 1000)
    results["pandas_script"] = {"median_ms": statistics.median(times), "bytes": size}

    c, u, p = results["cached"], results["uncached"], results["pandas_script"]
    print(f"store: {store} (mirror {args.mirror}); {args.runs} warm requests per path")
    print(f"{'what':<44} {'cold ms':>9} {'warm med':>9} {'warm p95':>9} {'bytes':>11}")
    for label, r in (("tidegauge serve  /  (overview page)", c["/"]),
                     ("tidegauge serve  /api/overview", c["/api/overview"]),
                     ("peer: no cache   /", u["/"]),
                     ("peer: no cache   /api/overview", u["/api/overview"])):  # fmt: skip
        print(
            f"{label:<44} {r['cold_ms']:>9.1f} {r['warm_median_ms']:>9.1f} "
            f"{r['warm_p95_ms']:>9.1f} {r['bytes']:>11,}"
        )
    label = "peer: pandas script (CSV -> figures -> JSON)"
    print(f"{label:<44} {'':>9} {p['median_ms']:>9.1f} {'':>9} {p['bytes']:>11,}")
    print(f"static files, fetched once and cached by the browser: {c['static_bytes']:,} bytes")
    first_visit = c["/"]["bytes"] + c["static_bytes"]
    ok_time = (
        c["/"]["warm_median_ms"] <= TARGET_MS and c["/api/overview"]["warm_median_ms"] <= TARGET_MS
    )
    ok_size = c["/"]["bytes"] < TARGET_BYTES and c["/api/overview"]["bytes"] < TARGET_BYTES
    print(f"first visit (page + static): {first_visit:,} bytes")
    print(f"target warm <= {TARGET_MS:.0f} ms: {'met' if ok_time else 'NOT met'}; "
          f"payload < {TARGET_BYTES:,} bytes: {'met' if ok_size else 'NOT met'}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
