"""Benchmark: dashboard pages with new parameters (issue 14, target 4), computed in-process.

Each request renders a page as a dashboard computation does (a fresh read-only session over
the store, :func:`tidegauge.web.pages.render_page`) with parameters it has not seen: compare
windows (``WALCL`` against SP500, DGS10, WRESBAL, WTREGEN from a new start), checklist dates
(``YYYY-06-30``) and simulator variants (Treasury cap x months), as in the load benchmark's mix.
Per kind: the first pass over the variants, then the median of warm passes (new parameters,
the same store state), in CPU milliseconds per request (the machine may be shared).

Measured in the same run: the dashboard as it computes (inputs and the results computed from
them shared per store state, :mod:`tidegauge.indicators.shared`) and its peer without sharing;
``--no-charts`` leaves out the chart specifications (to time the analysis and the page alone).

    python benchmarks/bench_params.py [--store DB | --mirror DIR] [--passes 5] [--no-charts]
        [--json OUT]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dashboard import DEFAULT_MIRROR
from tidegauge.config import Settings
from tidegauge.indicators.shared import InputsCache, sharing
from tidegauge.web import pages
from tidegauge.web.service import ReadOnlySession

COMPARED = ("SP500", "DGS10", "WRESBAL", "WTREGEN")
VARIANTS = 16


def query(kind: str, i: int) -> dict[str, str]:
    """The ``i``-th variant of ``kind`` (a new compare window each time; 16 checklist dates and
    15 simulator variants, as in ``bench_dashboard_load.mix``)."""
    if kind == "compare":
        start = f"{2017 + (i * 7) % 8}-{1 + (i * 5) % 12:02d}-01"
        return {"a": "WALCL", "b": COMPARED[i % 4], "start": start}
    if kind == "checklist":
        return {"as_of": f"{2010 + i % 16}-06-30"}
    cap, months = (0, 5, 15, 25, 60)[i % 5], (12, 24, 36)[(i // 5) % 3]
    return {"treasury_cap": str(cap), "months": str(months)}


def run(settings: Settings, kind: str, cache: InputsCache | None, passes: int) -> dict[str, Any]:
    def request(i: int) -> None:
        q = query(kind, i)
        p = pages.parse_page_query(kind, q)
        tg = ReadOnlySession(settings)
        try:
            with sharing(cache) if cache is not None else contextlib.nullcontext():
                pages.render_page(kind, tg, "en", q, p)
        finally:
            tg.close()

    times = []
    for k in range(passes + 1):
        t0 = time.process_time()
        for i in range(k * VARIANTS, (k + 1) * VARIANTS):
            request(i)
        times.append((time.process_time() - t0) / VARIANTS * 1000)
    warm = statistics.median(times[1:]) if passes else float("nan")
    return {"first_pass_ms": times[0], "warm_median_ms": warm}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=None)
    ap.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--no-charts", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    if args.no_charts:
        pages._specs = lambda sections, lang, only=None: {}  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            from tidegauge import Tidegauge

            store = Path(tmp) / "store.db"
            with Tidegauge(mirror=str(args.mirror), store_path=str(store)) as tg:
                assert tg.update().ok
        settings = Settings.from_env(store_path=str(store))
        out: dict[str, Any] = {}
        print(f"{'page':10s} {'peer':>9s} {'first pass':>11s} {'warm median':>12s}  CPU ms/request")
        for kind in ("compare", "checklist", "simulate"):
            run(settings, kind, None, 0)  # imports and first uses out of the timings
            for name, cache in (("shared", InputsCache()), ("unshared", None)):
                r = out.setdefault(kind, {})[name] = run(settings, kind, cache, args.passes)
                first, warm = r["first_pass_ms"], r["warm_median_ms"]
                print(f"{kind:10s} {name:>9s} {first:11.1f} {warm:12.1f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
