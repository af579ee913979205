"""Benchmark: update the FRED catalog from a local FRED stand-in, tidegauge versus peer clients.

The stand-in (``tests/fredserver.py``) runs as its own process on 127.0.0.1, serves the mirror in
``../shared/data/fred`` as FRED does and adds 50 ms of latency to every response. Each job
downloads every FRED series of the catalog that the mirror has, cold (empty store) and then warm
(right after), at the same pacing (requests per second, enforced with the same pyrate-limiter
rate for every client):

* ``tidegauge`` — the CSV download (no key): a warm update refetches a recent window per series;
* ``tidegauge-api`` — the FRED API with a (dummy) key: metadata first, observations only when
  ``last_updated`` changed;
* ``fredapi`` — ``Fred.get_series`` against the same API (XML); it keeps no store, so its warm
  update downloads everything again;
* ``pandas-datareader`` — ``FredReader`` against the same CSV download (same remark).

Requests and bytes are counted by the server (response bodies), so every client is measured the
same way. Then ``Tidegauge.load()`` of the whole catalog from the warm store is timed.

Usage::

    python benchmarks/bench_update.py [--rate 3] [--latency-ms 50] [--load-runs 9] [--json F]

Not collected by pytest (it lives outside ``tests/``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from fredserver import ServerProcess  # noqa: E402
from tidegauge import Tidegauge  # noqa: E402
from tidegauge.catalog import CATALOG, resolve_ids  # noqa: E402
from tidegauge.config import Secret, Settings  # noqa: E402

DUMMY_KEY = "0123456789abcdef0123456789abcdef"


@dataclass
class Run:
    client: str
    phase: str  # cold / warm
    requests: int
    bytes: int
    seconds: float
    series: int


def start_server(mirror: Path, latency_ms: float) -> tuple[subprocess.Popen[str], ServerProcess]:
    proc = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "tests" / "fredserver.py"),
            "--mirror",
            str(mirror),
            "--port",
            "0",
            "--latency-ms",
            str(latency_ms),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("READY "):
        raise SystemExit(f"the FRED stand-in did not start: {line!r}")
    return proc, ServerProcess(line.split()[1])


def measure(server: ServerProcess, client: str, phase: str, job: Callable[[], int]) -> Run:
    server.reset()
    t0 = time.perf_counter()
    n = job()
    seconds = time.perf_counter() - t0
    log = server.log()
    run = Run(client, phase, len(log), sum(r["bytes"] for r in log), seconds, n)
    print(
        f"  {client:18s} {phase}: {run.requests:3d} requests, {run.bytes / 1e6:7.3f} MB, "
        f"{run.seconds:6.1f} s, {n} series",
        flush=True,
    )
    return run


def pacer(rate: float) -> Callable[[], object]:
    """The same pacing tidegauge uses (pyrate-limiter, ``rate`` requests per second)."""
    from pyrate_limiter import Limiter

    from tidegauge.sources.http import _rate

    limiter = Limiter(_rate(rate))
    return lambda: limiter.try_acquire("peer")


def tidegauge_job(settings: Settings, ids: list[str]) -> Callable[[], int]:
    def job() -> int:
        with Tidegauge(settings) as tg:
            report = tg.update(ids)
        if not report.ok:
            raise SystemExit(f"tidegauge update failed: {report.failed}")
        return len(report.results)

    return job


def fredapi_job(server: ServerProcess, ids: list[str], rate: float) -> Callable[[], int]:
    from fredapi import Fred

    def job() -> int:
        fred = Fred(api_key=DUMMY_KEY)
        fred.root_url = server.api_url
        wait = pacer(rate)
        data = {}
        for sid in ids:
            wait()
            data[sid] = fred.get_series(sid)
        return sum(1 for s in data.values() if len(s))

    return job


def datareader_job(server: ServerProcess, ids: list[str], rate: float) -> Callable[[], int]:
    from pandas_datareader.fred import FredReader

    class LocalFredReader(FredReader):
        @property
        def url(self) -> str:
            return f"{server.url}/graph/fredgraph.csv"

    def job() -> int:
        wait = pacer(rate)
        data = {}
        for sid in ids:
            wait()
            data[sid] = LocalFredReader(sid, start=dt.datetime(1900, 1, 1)).read()
        return sum(1 for s in data.values() if len(s))

    return job


def time_load(store: Path, ids: list[str], runs: int) -> dict[str, list[float]]:
    """``load(ids)`` timed in a new session each run (as a CLI call) and in one reused session."""
    out: dict[str, list[float]] = {"new session": [], "same session": []}
    settings = Settings(store_path=store, fred_url="http://127.0.0.1:9")  # never contacted
    for _ in range(runs):
        with Tidegauge(settings) as tg:
            _ = tg.store  # open the store outside the timing
            t0 = time.perf_counter()
            df = tg.load(ids)
            out["new session"].append(time.perf_counter() - t0)
    with Tidegauge(settings) as tg:
        for _ in range(runs):
            t0 = time.perf_counter()
            df = tg.load(ids)
            out["same session"].append(time.perf_counter() - t0)
    for kind, times in out.items():
        print(
            f"  load() [{kind}]: {len(ids)} series, {df.shape[0]} rows x {df.shape[1]} columns, "
            f"median {statistics.median(times) * 1000:.0f} ms",
            flush=True,
        )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirror", type=Path, default=REPO.parent / "shared" / "data" / "fred")
    parser.add_argument("--rate", type=float, default=3.0, help="requests per second, all clients")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--load-runs", type=int, default=9)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)

    ids = [
        sid
        for sid in resolve_ids(None)
        if CATALOG[sid].source == "fred" and (args.mirror / f"{sid}.csv").is_file()
    ]
    absent = [s for s in resolve_ids(None) if CATALOG[s].source == "fred" and s not in ids]
    print(
        f"{len(ids)} FRED series (not in the mirror: {', '.join(absent) or 'none'}); "
        f"rate {args.rate:g}/s, latency {args.latency_ms:g} ms",
        flush=True,
    )
    proc, server = start_server(args.mirror, args.latency_ms)
    runs: list[Run] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            base = {"fred_url": server.url, "fred_api_url": server.api_url, "rate": args.rate}
            csv_store = Path(tmp) / "csv.db"
            csv = Settings(store_path=csv_store, **base)
            api = Settings(store_path=Path(tmp) / "api.db", api_key=Secret(DUMMY_KEY), **base)
            jobs: list[tuple[str, Callable[[], int]]] = [
                ("tidegauge", tidegauge_job(csv, ids)),
                ("tidegauge-api", tidegauge_job(api, ids)),
            ]
            if not args.skip_peers:
                jobs += [
                    ("fredapi", fredapi_job(server, ids, args.rate)),
                    ("pandas-datareader", datareader_job(server, ids, args.rate)),
                ]
            for client, job in jobs:
                for phase in ("cold", "warm"):
                    runs.append(measure(server, client, phase, job))
            load_times = time_load(csv_store, ids, args.load_runs)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)

    by = {(r.client, r.phase): r for r in runs}
    print("\n| client | phase | requests | bytes | wall (s) | warm/cold bytes |")
    print("|---|---|---:|---:|---:|---:|")
    for r in runs:
        ratio = f"{r.bytes / by[(r.client, 'cold')].bytes:.1%}" if r.phase == "warm" else ""
        cells = [r.client, r.phase, str(r.requests), f"{r.bytes:,}", f"{r.seconds:.1f}", ratio]
        print("| " + " | ".join(cells) + " |")
    for kind, times in load_times.items():
        print(
            f"load() of {len(ids)} series from the warm store, {kind}: median "
            f"{statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms over {len(times)} runs"
        )
    med = statistics.median(load_times["new session"]) * 1000
    warm = by[("tidegauge", "warm")].bytes / by[("tidegauge", "cold")].bytes
    print(
        f"targets: warm bytes <= 5% of cold: {warm:.2%} {'OK' if warm <= 0.05 else 'MISSED'}; "
        f"load() <= 150 ms: {med:.0f} ms {'OK' if med <= 150 else 'MISSED'}"
    )
    if args.json:
        machine = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "versions": {
                p: version(p)
                for p in ("tidegauge", "fredapi", "pandas-datareader", "pandas", "httpx")
            },
            "load_avg_1min": os.getloadavg()[0],
        }
        doc = {
            "machine": machine,
            "args": {"rate": args.rate, "latency_ms": args.latency_ms},
            "series": ids,
            "runs": [asdict(r) for r in runs],
            "load_seconds": load_times,
        }
        args.json.write_text(json.dumps(doc, indent=2))


if __name__ == "__main__":
    main()
