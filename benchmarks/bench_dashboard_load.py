"""Benchmark: ``tidegauge serve`` under load, on loopback only, for a bounded time.

Over one store filled from the mirror, the real command is started (a subprocess on
127.0.0.1), then:

1. **first requests**: every page and API endpoint once, in order, right after start-up (each is
   computed, nothing is cached yet), with the bytes that travel (gzip accepted, as browsers do)
   and the first visit of the overview (page + static files);
2. **load**: ``--clients`` concurrent clients (asyncio + httpx, one connection each) request a
   mix of every page and endpoint, with varying compare windows, checklist dates and simulator
   scenarios, for ``--seconds``; latency p50/p95/max, requests per second, failed requests
   (an HTTP error or a failed connection);
3. the server's resident memory after all that (``/proc/<pid>/status``, Linux).

Targets (issue 14): first request of every page under 300 ms; a first visit under 0.6 MB over
the wire; server memory under 250 MB after every page; with 50 clients p95 under 1 s and no
errors; with 200 clients no failed connection.

    python benchmarks/bench_dashboard_load.py [--mirror DIR] [--clients 50] [--seconds 20]
        [--json OUT]

Everything stays on 127.0.0.1; the run ends after ``--seconds`` (plus start-up and the first
requests), whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dashboard import DEFAULT_MIRROR, free_port, start

TIDEGAUGE = Path(sys.executable).with_name("tidegauge")
PAGES = ["/", "/balance", "/liquidity", "/compare", "/realrates", "/checklist", "/simulate"]
API = [
    "/api/overview",
    "/api/regimes",
    "/api/liquidity",
    "/api/compare",
    "/api/realrate",
    "/api/curve",
    "/api/checklist",
    "/api/signals",
    "/api/simulate",
    "/api/series/DFF",
]


def mix(rng: random.Random) -> str:
    """One request of the load: a page or endpoint, often with parameters that vary."""
    kind = rng.random()
    if kind < 0.15:
        year = rng.randint(2009, 2024)
        return f"/compare?a=WALCL&b=SP500&start={year}-0{rng.randint(1, 9)}-01"
    if kind < 0.25:
        return f"/checklist?as_of={rng.randint(2010, 2025)}-06-30"
    if kind < 0.35:
        cap = rng.choice([0, 5, 15, 25, 60])
        return f"/simulate?scenario=custom&treasury_cap={cap}&months={rng.choice([12, 24, 36])}"
    if kind < 0.45:
        return f"/api/compare?a=WALCL&b=SP500&start={rng.randint(2009, 2024)}-01-01"
    return rng.choice(PAGES + API)


async def first_requests(base: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    async with httpx.AsyncClient(base_url=base, timeout=120) as c:
        for path in [*PAGES, *API]:
            t0 = time.perf_counter()
            r = await c.get(path, headers={"Accept-Encoding": "gzip"})
            ms = (time.perf_counter() - t0) * 1000
            wire = int(r.headers.get("content-length", len(r.content)))
            out[path] = {"status": r.status_code, "ms": ms, "wire_bytes": wire}
        visit = out["/"]["wire_bytes"]
        for name in ("vega.js", "tidegauge.js", "tidegauge.css"):
            r = await c.get(f"/static/{name}", headers={"Accept-Encoding": "gzip"})
            visit += int(r.headers.get("content-length", len(r.content)))
        out["first_visit_wire_bytes"] = visit
    return out


async def load(base: str, clients: int, seconds: float, seed: int = 0) -> dict[str, Any]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    end = time.monotonic() + seconds

    async def client(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as c:
            while time.monotonic() < end:
                path = mix(rng)
                t0 = time.perf_counter()
                try:
                    r = await c.get(path, headers={"Accept-Encoding": "gzip"})
                    if r.status_code >= 400:
                        errors[f"HTTP {r.status_code}"] = errors.get(f"HTTP {r.status_code}", 0) + 1
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                latencies.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    pick = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] if lat else float("nan")  # noqa: E731
    return {
        "clients": clients,
        "seconds": wall,
        "requests": len(lat),
        "rps": len(lat) / wall if wall else 0.0,
        "p50_ms": pick(0.5) * 1000,
        "p95_ms": pick(0.95) * 1000,
        "max_ms": (lat[-1] * 1000) if lat else float("nan"),
        "errors": errors,
    }


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    ap.add_argument("--clients", type=int, nargs="+", default=[50, 200])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TIDEGAUGE_")}
        env["TIDEGAUGE_CACHE_DIR"] = str(t / "cache")
        store = t / "store.db"
        subprocess.run(
            [str(TIDEGAUGE), "update", "--mirror", str(args.mirror), "--store", str(store)],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        port = free_port()
        os.environ["TIDEGAUGE_CACHE_DIR"] = env["TIDEGAUGE_CACHE_DIR"]
        cmd = [str(TIDEGAUGE), "serve", "--store", str(store), "--port", str(port)]
        t0 = time.perf_counter()
        server = start(cmd, port)
        startup = time.perf_counter() - t0
        base = f"http://127.0.0.1:{port}"
        try:
            first = asyncio.run(first_requests(base))
            rss_after_pages = rss_mb(server.pid)
            runs = [asyncio.run(load(base, n, args.seconds)) for n in args.clients]
            rss_end = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(f"1-minute load average: {os.getloadavg()[0]:.2f}; start-up {startup:.2f} s")
    print(f"{'first request':28s} {'status':>6s} {'ms':>8s} {'wire bytes':>11s}")
    for path in [*PAGES, *API]:
        r = first[path]
        print(f"{path:28s} {r['status']:6d} {r['ms']:8.0f} {r['wire_bytes']:11,d}")
    pages_max = max(first[p]["ms"] for p in PAGES)
    print(f"first visit of / over the wire: {first['first_visit_wire_bytes']:,} bytes")
    print(f"server RSS: {rss_after_pages:.0f} MB after every page, {rss_end:.0f} MB after the load")
    for r in runs:
        print(
            f"{r['clients']:4d} clients, {r['seconds']:.0f} s: {r['requests']} requests "
            f"({r['rps']:.1f}/s), p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, "
            f"max {r['max_ms']:.0f} ms, errors {r['errors'] or 0}"
        )
    print(
        f"targets: first page <= 300 ms -> {'met' if pages_max <= 300 else 'NOT met'} "
        f"(slowest {pages_max:.0f} ms); first visit < 0.6 MB -> "
        f"{'met' if first['first_visit_wire_bytes'] < 600_000 else 'NOT met'}; RSS < 250 MB -> "
        f"{'met' if rss_end < 250 else 'NOT met'}"
    )
    if args.json:
        doc = {"first": first, "load": runs, "rss_mb": [rss_after_pages, rss_end]}
        args.json.write_text(json.dumps(doc, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
