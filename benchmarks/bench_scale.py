"""Benchmark: update + load of many series, tidegauge versus ``pandas.read_csv`` + ``concat``.

Issue 14, target 3: update + load scale linearly with the number of series and rows; 3,500
series at most 1.5× the read_csv + concat peer; the store under 40 bytes per observation with
vintages kept; one long daily series fast.

A mirror of ``N`` series is made in a temporary folder from the real files of
``../shared/data/fred``: series ``i`` is the ``i % 58``-th real file under a new id
(``S00042_WALCL``), so the sizes and shapes are the real ones. Each case runs in a fresh process
(wall clock and peak RSS from ``wait4``):

* ``tidegauge``: ``Tidegauge(mirror=..., store_path=...).update(ids)`` into an empty store, then
  ``load(ids)`` (one frame, one column per series, aligned on the union of dates);
* ``peer``: ``pd.read_csv`` of every file (dates parsed, ``.`` as missing) and one
  ``pd.concat(axis=1)``; it keeps no store, vintages or update log.

The long case is one daily series over the whole date range the store accepts (1700-01-01 to
2200-12-31, 182,986 rows; a 1M-row daily series cannot exist within those bounds), its values
the real DFF history repeated.

    python benchmarks/bench_scale.py [--series 350 3500] [--runs 1] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
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

TIDEGAUGE = textwrap.dedent(
    """
    import json, sqlite3, sys, time
    from tidegauge import Tidegauge
    mirror, store, ids = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    t0 = time.perf_counter()
    with Tidegauge(mirror=mirror, store_path=store) as tg:
        report = tg.update(ids)
        t1 = time.perf_counter()
        frame = tg.load(ids, fetch_missing=False)
        t2 = time.perf_counter()
    failed = [r.series_id for r in report.results if r.status not in ("ok", "unchanged")]
    con = sqlite3.connect(store)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    rows = con.execute("SELECT COUNT(*) FROM obs").fetchone()[0]
    con.close()
    print(json.dumps({"update_s": t1 - t0, "load_s": t2 - t1, "shape": list(frame.shape),
                      "values": int(frame.notna().sum().sum()), "failed": failed,
                      "rows": rows}))
    """
)

PEER = textwrap.dedent(
    """
    import json, sys, time
    import pandas as pd
    mirror, ids = sys.argv[1], sys.argv[2].split(",")
    t0 = time.perf_counter()
    cols = [pd.read_csv(f"{mirror}/{i}.csv", index_col=0, parse_dates=True, na_values=".")
            for i in ids]
    frame = pd.concat(cols, axis=1)
    t1 = time.perf_counter()
    print(json.dumps({"read_concat_s": t1 - t0, "shape": list(frame.shape),
                      "values": int(frame.notna().sum().sum())}))
    """
)


def run(args: list[str]) -> dict[str, object]:
    """Run ``python -c`` in a fresh process; its JSON line, wall time and peak RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark step failed: {err.strip().splitlines()[-1:]}")
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    result["wall_s"] = wall
    result["rss_mb"] = usage.ru_maxrss / 1024
    return result


def make_mirror(source: Path, folder: Path, n: int) -> list[str]:
    """``n`` series from the real files, renamed; their ids."""
    real = sorted(p for p in source.glob("*.csv") if p.name != "SOURCES.csv")
    ids = []
    for i in range(n):
        path = real[i % len(real)]
        sid = f"S{i:05d}_{path.stem}"[:30]
        body = path.read_bytes()
        head, _, rest = body.partition(b"\n")
        (folder / f"{sid}.csv").write_bytes(
            head.split(b",")[0] + b"," + sid.encode() + b"\n" + rest
        )
        ids.append(sid)
    return ids


def make_long(source: Path, folder: Path) -> list[str]:
    """One daily series from 1700-01-01 to 2200-12-31, values the real DFF repeated."""
    import datetime as dt

    values = [
        line.split(",")[1]
        for line in (source / "DFF.csv").read_text().splitlines()[1:]
        if line.split(",")[1] != "."
    ]
    day, last = dt.date(1700, 1, 1), dt.date(2200, 12, 31)
    lines = ["observation_date,LONGDAILY"]
    i = 0
    while day <= last:
        lines.append(f"{day.isoformat()},{values[i % len(values)]}")
        day += dt.timedelta(days=1)
        i += 1
    (folder / "LONGDAILY.csv").write_text("\n".join(lines) + "\n")
    return ["LONGDAILY"]


def case(label: str, mirror: Path, ids: list[str], runs: int) -> dict[str, object]:
    tg_runs, peer_runs = [], []
    size = 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="tg-scale-store-") as tmp:
            store = Path(tmp) / "s.db"
            tg_runs.append(run(["-c", TIDEGAUGE, str(mirror), str(store), ",".join(ids)]))
            size = store.stat().st_size
        peer_runs.append(run(["-c", PEER, str(mirror), ",".join(ids)]))
    tg = tg_runs[len(tg_runs) // 2] if runs == 1 else _median(tg_runs)
    peer = peer_runs[0] if runs == 1 else _median(peer_runs)
    rows = int(tg["rows"])  # type: ignore[call-overload]
    out = {
        "case": label,
        "series": len(ids),
        "rows": rows,
        "tidegauge_wall_s": tg["wall_s"],
        "tidegauge_update_s": tg["update_s"],
        "tidegauge_load_s": tg["load_s"],
        "tidegauge_rss_mb": tg["rss_mb"],
        "peer_wall_s": peer["wall_s"],
        "peer_rss_mb": peer["rss_mb"],
        "ratio": float(tg["wall_s"]) / float(peer["wall_s"]),  # type: ignore[arg-type]
        "store_bytes": size,
        "bytes_per_observation": size / rows if rows else None,
        "failed": tg["failed"],
        "values_match": tg["values"] == peer["values"],
    }
    print(
        f"{label:>12}: tidegauge {out['tidegauge_wall_s']:.2f} s "
        f"(update {out['tidegauge_update_s']:.2f} s, load {out['tidegauge_load_s']:.2f} s, "
        f"{out['tidegauge_rss_mb']:.0f} MB) | peer {out['peer_wall_s']:.2f} s "
        f"({out['peer_rss_mb']:.0f} MB) | ratio {out['ratio']:.2f} | store "
        f"{size / 1e6:.1f} MB, {out['bytes_per_observation']:.1f} B/observation "
        f"({rows:,} rows) | same values: {out['values_match']}",
        flush=True,
    )
    return out


def _median(runs: list[dict[str, object]]) -> dict[str, object]:
    out = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, float):
            out[key] = statistics.median(float(r[key]) for r in runs)  # type: ignore[arg-type]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    ap.add_argument("--series", type=int, nargs="+", default=[350, 3500])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-long", action="store_true", help="skip the long daily series")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not args.mirror.is_dir():
        raise SystemExit(f"mirror folder not found: {args.mirror}")
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores", flush=True)
    results = []
    for n in args.series:
        folder = Path(tempfile.mkdtemp(prefix=f"tg-scale-{n}-"))
        try:
            ids = make_mirror(args.mirror, folder, n)
            results.append(case(f"{n} series", folder, ids, args.runs))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if not args.no_long:
        folder = Path(tempfile.mkdtemp(prefix="tg-scale-long-"))
        try:
            results.append(case("long daily", folder, make_long(args.mirror, folder), args.runs))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps({"load_average": os.getloadavg(), "results": results}))


if __name__ == "__main__":
    main()
