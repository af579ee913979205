"""Benchmark: ``tidegauge serve`` under load, on loopback only, for a bounded time.

Over one store filled from the mirror, the real command is started (a subprocess on
127.0.0.1), then:

1. **start-up** on an empty cache folder (a first run, or the first after the store changed):
   the time until the port accepts connections and until the server says it is ready (it
   prepares every page in the background, one at a time, then prints ``ready``);
2. **first requests**: every page and API endpoint once, in order, right after that, with the
   bytes that travel (gzip accepted, as browsers do) and the first visit of the overview (page +
   static files);
3. **load**: ``--clients`` concurrent clients (asyncio + httpx, one connection each) request a
   mix of every page and endpoint, with varying compare windows, checklist dates and simulator
   caps (all valid: every error is counted and the first paths that failed are listed), for
   ``--seconds``; latency p50/p95/max, requests per second, failed requests (an HTTP error or a
   failed connection), and the 1-minute load average before and after;
4. the server's resident memory after every page and after the load (``/proc/<pid>/status``);
5. **restart**: a new server over the same store and cache folder (the usual case: the pages
   were prepared by an earlier run), its start-up and first requests again.

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
import queue
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dashboard import DEFAULT_MIRROR, free_port
from tidegauge.indicators.registry import endpoints
from tidegauge.web.pages import page_names, page_path

TIDEGAUGE = Path(sys.executable).with_name("tidegauge")
PAGES = [page_path(p) for p in page_names()]
API = ["/api/overview", *(f"/api/{name}" for name in endpoints()), "/api/series/DFF"]
COMPARED = {"SP500": 2016, "DGS10": 2003, "WRESBAL": 2003, "WTREGEN": 2003}
"""Second series of the compare windows and the year before the first start (FRED's SP500
starts 2016-01-04: an earlier start is answered 404 "choose a later start"; a series that is 0
on the start day, like the overnight reverse repo in 2021, is answered 404 too)."""


def mix(rng: random.Random) -> str:
    """One request of the load: a page or endpoint, often with parameters that vary (all
    valid: a custom QT scenario is given by its caps, there is no ``scenario=custom``)."""
    kind = rng.random()
    if kind < 0.25:
        b, first = rng.choice(sorted(COMPARED.items()))
        start = f"{rng.randint(first + 1, 2024)}-{rng.randint(1, 12):02d}-01"
        return f"/{'api/' if kind < 0.1 else ''}compare?a=WALCL&b={b}&start={start}"
    if kind < 0.35:
        return f"/checklist?as_of={rng.randint(2010, 2025)}-06-30"
    if kind < 0.45:
        cap = rng.choice([0, 5, 15, 25, 60])
        return f"/simulate?treasury_cap={cap}&months={rng.choice([12, 24, 36])}"
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
    plain: list[float] = []  # requests without parameters: every page and endpoint as opened
    errors: dict[str, int] = {}
    failed: list[str] = []
    load_before = os.getloadavg()[0]
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
                        failed.append(f"{r.status_code} {path}")
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    failed.append(f"{type(exc).__name__} {path}")
                latencies.append(time.perf_counter() - t0)
                if "?" not in path:
                    plain.append(latencies[-1])

    t0 = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    pick = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] if lat else float("nan")  # noqa: E731
    lat_plain = sorted(plain)
    p95_plain = lat_plain[min(len(lat_plain) - 1, int(len(lat_plain) * 0.95))] if plain else 0.0
    connect = sum(n for name, n in errors.items() if name.startswith("Connect"))
    return {
        "clients": clients,
        "seconds": wall,
        "requests": len(lat),
        "rps": len(lat) / wall if wall else 0.0,
        "p50_ms": pick(0.5) * 1000,
        "p95_ms": pick(0.95) * 1000,
        "max_ms": (lat[-1] * 1000) if lat else float("nan"),
        "errors": errors,
        "failed_connections": connect,
        "requests_plain": len(plain),
        "p95_plain_ms": p95_plain * 1000,
        "failed_paths": failed[:10],
        "load_average": [load_before, os.getloadavg()[0]],
    }


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def start_ready(cmd: list[str], port: int, timeout: float = 300) -> tuple[Any, float, float]:
    """Start the server; return it, the seconds until the port accepts connections and the
    seconds until it prints ``ready`` (every page prepared)."""
    env = {k: v for k, v in os.environ.items() if k != "FRED_API_KEY"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            lines.put(raw.decode("utf-8", "replace"))

    threading.Thread(target=read, daemon=True).start()
    listening = float("nan")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if listening != listening:  # not yet
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    listening = time.perf_counter() - t0
            except OSError:
                pass
        try:
            line = lines.get(timeout=0.05)
        except queue.Empty:
            if proc.poll() is not None:
                raise RuntimeError("server died") from None
            continue
        if line.startswith("ready"):
            return proc, listening, time.perf_counter() - t0
    proc.kill()
    raise RuntimeError("server did not say ready")


def print_first(title: str, first: dict[str, Any]) -> None:
    print(f"{title:28s} {'status':>6s} {'ms':>8s} {'wire bytes':>11s}")
    for path in [*PAGES, *API]:
        r = first[path]
        print(f"{path:28s} {r['status']:6d} {r['ms']:8.0f} {r['wire_bytes']:11,d}")


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
        os.environ["TIDEGAUGE_CACHE_DIR"] = env["TIDEGAUGE_CACHE_DIR"]

        def serve() -> tuple[Any, str, dict[str, float]]:
            port = free_port()
            cmd = [str(TIDEGAUGE), "serve", "--store", str(store), "--port", str(port)]
            load_before = os.getloadavg()[0]
            server, listening, ready = start_ready(cmd, port)
            times = {"listening_s": listening, "ready_s": ready}
            times["load_average"] = max(load_before, os.getloadavg()[0])
            return server, f"http://127.0.0.1:{port}", times

        server, base, startup = serve()
        try:
            first = asyncio.run(first_requests(base))
            rss_after_pages = rss_mb(server.pid)
            runs = [asyncio.run(load(base, n, args.seconds)) for n in args.clients]
            rss_end = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
        server, base, restart = serve()  # same store, same cache folder
        try:
            again = asyncio.run(first_requests(base))
            rss_restart = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)

    for title, times in (("empty cache folder", startup), ("restart", restart)):
        print(
            f"start-up ({title}): listening after {times['listening_s']:.2f} s, ready after "
            f"{times['ready_s']:.1f} s (1-minute load average {times['load_average']:.2f})"
        )
    print_first("first request (after ready)", first)
    pages_max = max(first[p]["ms"] for p in PAGES)
    again_max = max(again[p]["ms"] for p in PAGES)
    print(f"first visit of / over the wire: {first['first_visit_wire_bytes']:,} bytes")
    print(
        f"server RSS: {rss_after_pages:.0f} MB after every page, {rss_end:.0f} MB after the "
        f"load, {rss_restart:.0f} MB after every page on the restarted server"
    )
    for r in runs:
        print(
            f"{r['clients']:4d} clients, {r['seconds']:.0f} s: {r['requests']} requests "
            f"({r['rps']:.1f}/s), p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, "
            f"max {r['max_ms']:.0f} ms, errors {r['errors'] or 0}, failed connections "
            f"{r['failed_connections']} (load average {r['load_average'][0]:.2f} -> "
            f"{r['load_average'][1]:.2f})"
        )
        print(
            f"      without parameters: {r['requests_plain']} requests, p95 "
            f"{r['p95_plain_ms']:.0f} ms; with parameters (compare windows, checklist dates, "
            f"simulator caps): {r['requests'] - r['requests_plain']} requests"
        )
        if r["failed_paths"]:
            print("  first failures:", "; ".join(r["failed_paths"]))
    print(f"restarted server: slowest first page {again_max:.0f} ms")
    print(
        f"targets: first page <= 300 ms -> {'met' if pages_max <= 300 else 'NOT met'} "
        f"(slowest {pages_max:.0f} ms); first visit < 0.6 MB -> "
        f"{'met' if first['first_visit_wire_bytes'] < 600_000 else 'NOT met'}; RSS after every "
        f"page < 250 MB -> {'met' if rss_after_pages < 250 else 'NOT met'}"
    )
    if args.json:
        doc = {
            "startup": startup,
            "first": first,
            "load": runs,
            "rss_mb": [rss_after_pages, rss_end, rss_restart],
            "restart": restart,
            "first_after_restart": again,
        }
        args.json.write_text(json.dumps(doc, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
