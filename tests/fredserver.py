"""A local stand-in for FRED: serves mirror files over real HTTP and injects faults.

Routes (as FRED serves them)
----------------------------
``GET /graph/fredgraph.csv?id=ID&cosd=YYYY-MM-DD&coed=YYYY-MM-DD``
    The CSV download: header ``observation_date,ID``, rows filtered by ``cosd``/``coed``.
``GET /fred/series?series_id=ID&api_key=K[&file_type=json]``
    Series metadata (``last_updated`` among others); XML unless ``file_type=json``.
``GET /fred/series/observations?series_id=ID&api_key=K[&observation_start=..][&file_type=json]``
    Observations as strings (``"."`` for missing) with ``realtime_start``/``realtime_end``
    (today's date for both, as FRED does without realtime parameters), paged by ``limit``
    (at most 100000, the default) and ``offset``; ``count`` is the number of rows of all pages.
``...&realtime_start=R0&realtime_end=R1[&output_type=1]``
    ALFRED: one row per observation date and real-time period in which its value was current,
    clipped to ``R0..R1``; ``realtime_end`` ``9999-12-31`` while current. Every series has a
    vintage history: the mirror file is the vintage published on :data:`CURRENT_VINTAGE`, and
    :meth:`FredServer.add_vintage` adds earlier vintages (a revision adds a later one).

Test controls
-------------
* :meth:`FredServer.inject` — a fault for one series id (``429`` with ``Retry-After``, ``500``,
  ``503``, ``slow`` (slower than the client timeout), ``reset`` (TCP RST), ``short``
  (``Content-Length`` larger than the body), ``cut`` (body cut mid-line, correct length),
  ``html`` (an HTML error page with status 200), ``malformed`` (one value is not a number));
  ``times=N`` fails N requests then serves normally, ``times=None`` fails every request.
* :meth:`FredServer.publish` — new observations after the last one (a release).
* :meth:`FredServer.revise` — change one past value (a revision; ``last_updated`` moves on; the
  previous values stay in the ALFRED history, closed the day before the new vintage).
* :meth:`FredServer.add_vintage` — an earlier ALFRED vintage: the current values up to a last
  observation date, with some values changed.
* Redirects (:data:`REDIRECT_FAULTS`): ``redirect`` answers ``302`` with ``Location`` set to the
  ``location`` option followed by the request's own path and query (API key included, as a
  hostile or misconfigured proxy would echo it); ``redirect_loop`` redirects to itself forever.
* Unbounded answers (:data:`STREAM_FAULTS`): ``trickle`` sends the right body one byte every
  ``slow_seconds`` (each read succeeds long before any read timeout); ``endless`` streams valid
  CSV rows without ``Content-Length`` until the client hangs up; ``huge`` announces a
  ``Content-Length`` of 10 GB; ``gzip_bad`` is ``Content-Encoding: gzip`` over bytes that are
  not gzip; ``gzip_bomb`` is 1 MB of valid gzip that inflates to 1 GB of zeros.
* Faults for the ALFRED path only (:data:`VINTAGE_FAULTS`): ``overlap`` (a closed period runs
  into the next one), ``disorder`` (two periods of a date swapped). ``after=N`` on any fault
  serves N requests normally first (e.g. the metadata and the first page).
* :attr:`FredServer.log` — every request: time, path, parameters (the API key masked),
  whether it carried an ``api_key``, status, body bytes sent, fault applied.
* The same controls over HTTP (``POST /__control__/fault``, ``/__control__/revise``,
  ``/__control__/reset``, ``GET /__control__/log``) when run as a separate process::

      python tests/fredserver.py --mirror ../shared/data/fred --port 0 --latency-ms 50

  prints ``READY http://127.0.0.1:PORT`` once it listens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import socket
import struct
import sys
import threading
import time
import urllib.request
import zlib
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import quoteattr

FAULT_KINDS = ("429", "500", "503", "slow", "reset", "short", "cut", "html", "malformed")
REDIRECT_FAULTS = ("redirect", "redirect_loop")
"""Redirect answers (``redirect`` needs ``location=BASE_URL``)."""
STREAM_FAULTS = ("trickle", "endless", "huge", "gzip_bad", "gzip_bomb")
"""Answers that never end, end too late or unpack to too much (see the module docstring)."""
VINTAGE_FAULTS = ("overlap", "disorder")
"""Faults of ALFRED responses only (other requests are served normally)."""
TRANSIENT_FAULTS = ("429", "500", "503", "slow", "reset", "short")
"""Faults a retry can get past (the others are about the payload and are reported failed)."""

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>FRED | Service Unavailable</title></head>\n"
    b"<body><h1>We are performing maintenance</h1><p>Please try again later.</p></body></html>\n"
)
LAST_UPDATED = "2026-08-27 07:51:02-05"
CURRENT_VINTAGE = "2026-08-27"
"""ALFRED ``realtime_start`` of the mirror's values (the vintage of ``LAST_UPDATED``)."""
ALFRED_END = "9999-12-31"
MAX_LIMIT = 100_000


@dataclass
class Fault:
    kind: str
    times: int | None = None  # None: every request
    retry_after: int = 1
    slow_seconds: float = 2.0
    after: int = 0  # requests served normally before the fault starts
    location: str = ""  # redirect: base URL the request is sent on to
    served: int = 0
    passed: int = 0

    def take(self) -> bool:
        """True if this request gets the fault (and count it)."""
        if self.passed < self.after:
            self.passed += 1
            return False
        if self.times is not None and self.served >= self.times:
            return False
        self.served += 1
        return True


@dataclass
class Request:
    t: float  # time.time() when the request arrived
    method: str
    path: str
    params: dict[str, str]  # api_key masked
    series_id: str | None
    api_key: bool
    status: int = 0
    bytes: int = 0
    fault: str | None = None


@dataclass
class _Series:
    rows: list[tuple[str, str]]  # (date, value as text; "" = missing)
    last_updated: str = LAST_UPDATED
    current_from: str = CURRENT_VINTAGE  # ALFRED vintage date of ``rows``
    past: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    """Earlier ALFRED vintages, oldest first: (vintage date, {date: value text})."""
    meta: dict[str, str] = field(default_factory=dict)
    """Metadata fields served by ``/fred/series`` (title, units, frequency...), see set_meta."""


class MirrorData:
    """Mirror files read lazily, with revisions applied on top."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._series: dict[str, _Series] = {}
        self._lock = threading.Lock()

    def get(self, series_id: str) -> _Series | None:
        with self._lock:
            if series_id not in self._series:
                path = self.directory / f"{series_id}.csv"
                if not series_id.isalnum() or not path.is_file():
                    return None
                lines = path.read_text().splitlines()[1:]
                rows = [tuple(line.split(",", 1)) for line in lines if line.strip()]
                self._series[series_id] = _Series([(d.strip(), v.strip()) for d, v in rows])
            return self._series[series_id]

    def revise(self, series_id: str, date: str, value: str) -> str:
        """Set the value at ``date``; return the previous value."""
        s = self.get(series_id)
        if s is None:
            raise KeyError(series_id)
        for i, (d, old) in enumerate(s.rows):
            if d == date:
                # the values so far become an ALFRED vintage; the revision opens the next one
                s.past.append((s.current_from, dict(s.rows)))
                day = dt.date.fromisoformat(s.current_from) + dt.timedelta(days=1)
                s.current_from = max(day, dt.date.today()).isoformat()
                s.rows[i] = (d, value)
                s.last_updated = "2026-08-28 08:00:00-05"
                return old
        raise KeyError(f"{series_id} has no observation on {date}")

    def publish(self, series_id: str, rows: list[tuple[str, str]]) -> None:
        """New observations after the last one (a release); ``last_updated`` moves on."""
        s = self.get(series_id)
        if s is None:
            raise KeyError(series_id)
        last = s.rows[-1][0] if s.rows else ""
        if any(d <= last for d, _ in rows):
            raise ValueError(f"{series_id}: published dates must follow {last}")
        s.past.append((s.current_from, dict(s.rows)))
        day = dt.date.fromisoformat(s.current_from) + dt.timedelta(days=1)
        s.current_from = max(day, dt.date.today()).isoformat()
        s.rows.extend(rows)
        s.last_updated = "2026-08-27 15:45:00-05"

    def add_vintage(
        self,
        series_id: str,
        vintage_date: str,
        *,
        last_date: str | None = None,
        changes: dict[str, str] | None = None,
    ) -> None:
        """An earlier vintage: the current values up to ``last_date`` (default: all) with
        ``changes`` (``{date: value text}``, ``""`` = missing) applied."""
        s = self.get(series_id)
        if s is None:
            raise KeyError(series_id)
        if vintage_date >= s.current_from:
            raise ValueError(f"vintage {vintage_date} is not before {s.current_from}")
        content = {d: v for d, v in s.rows if last_date is None or d <= last_date}
        content.update(changes or {})
        s.past.append((vintage_date, content))
        s.past.sort(key=lambda item: item[0])


def alfred_rows(series: _Series, rows: list[tuple[str, str]]) -> list[dict[str, str]]:
    """ALFRED's ``output_type=1`` rows of a series whose current values are ``rows``: per date
    (in order), each real-time period in which its value stayed the same."""
    vintages = [*series.past, (series.current_from, dict(rows))]
    dates = sorted({d for _, content in vintages for d in content})
    out: list[dict[str, str]] = []

    def emit(d: str, start: str, end: str, value: str) -> None:
        out.append({"realtime_start": start, "realtime_end": end, "date": d, "value": value or "."})

    for d in dates:
        start: str | None = None
        value = ""
        for vdate, content in vintages:
            v = content.get(d)
            if start is not None and (v is None or v != value):
                day_before = dt.date.fromisoformat(vdate) - dt.timedelta(days=1)
                emit(d, start, day_before.isoformat(), value)
                start = None
            if v is not None and start is None:
                start, value = vdate, v
        if start is not None:
            emit(d, start, ALFRED_END, value)
    return out


def _window(
    rows: list[tuple[str, str]], start: str | None, end: str | None
) -> list[tuple[str, str]]:
    return [(d, v) for d, v in rows if (not start or d >= start) and (not end or d <= end)]


class LocalServer:
    """A threaded HTTP server on a loopback address, served from a daemon thread (``with``, or
    :meth:`start` and :meth:`stop`), with a log of the requests it answered.

    Parameters
    ----------
    handler
        The request handler class (bound to its server by a class attribute).
    port
        0 for an ephemeral port.
    host
        Loopback address to listen on.
    """

    def __init__(self, handler: type[BaseHTTPRequestHandler], *, port: int, host: str) -> None:
        self.log: list[Request] = []
        self.lock = threading.Lock()
        self.host = host
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def start(self) -> Self:
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset_log(self) -> None:
        with self.lock:
            self.log.clear()


class FredServer(LocalServer):
    """A threaded HTTP server on 127.0.0.1 serving ``mirror`` as FRED does.

    Parameters
    ----------
    mirror
        Folder of ``ID.csv`` files.
    latency
        Seconds added before every response.
    port
        0 for an ephemeral port.
    host
        Loopback address to listen on (``127.0.0.2`` stands in for "another host").
    """

    def __init__(
        self,
        mirror: Path | str,
        *,
        latency: float = 0.0,
        port: int = 0,
        host: str = "127.0.0.1",
    ) -> None:
        self.data = MirrorData(Path(mirror))
        self.latency = latency
        self.faults: dict[str, Fault] = {}
        server = self

        class Handler(_Handler):
            fred = server

        super().__init__(Handler, port=port, host=host)

    @property
    def url(self) -> str:
        """Base URL of the website (``fred_url``)."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """Base URL of the API (``fred_api_url``)."""
        return f"{self.url}/fred"

    # -- controls -------------------------------------------------------------------------
    def inject(self, series_id: str, kind: str, times: int | None = None, **options: Any) -> Fault:
        """Serve ``kind`` for ``series_id`` (``times`` requests, or all when ``None``)."""
        known = FAULT_KINDS + VINTAGE_FAULTS + REDIRECT_FAULTS + STREAM_FAULTS
        if kind not in known:
            raise ValueError(f"unknown fault {kind!r}; known: {known}")
        fault = Fault(kind, times, **options)
        with self.lock:
            self.faults[series_id] = fault
        return fault

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def revise(self, series_id: str, date: str, value: str) -> str:
        return self.data.revise(series_id, date, value)

    def publish(self, series_id: str, rows: list[tuple[str, str]]) -> None:
        """Publish new observations of ``series_id`` (a new H.4.1 week, say)."""
        self.data.publish(series_id, rows)

    def add_vintage(
        self,
        series_id: str,
        vintage_date: str,
        *,
        last_date: str | None = None,
        changes: dict[str, str] | None = None,
    ) -> None:
        self.data.add_vintage(series_id, vintage_date, last_date=last_date, changes=changes)

    def set_meta(self, series_id: str, **fields: str) -> None:
        """Serve these ``/fred/series`` fields (``title``, ``units``, ``frequency``,
        ``frequency_short``...) for ``series_id`` instead of the defaults (title = id, units
        and frequency empty)."""
        series = self.data.get(series_id)
        if series is None:
            raise KeyError(series_id)
        series.meta.update(fields)

    def requests(self, series_id: str | None = None, path: str | None = None) -> list[Request]:
        with self.lock:
            return [
                r
                for r in self.log
                if (series_id is None or r.series_id == series_id)
                and (path is None or r.path == path)
            ]

    @property
    def bytes_sent(self) -> int:
        with self.lock:
            return sum(r.bytes for r in self.log)

    def _fault_for(self, series_id: str | None) -> Fault | None:
        with self.lock:
            fault = self.faults.get(series_id or "")
            return fault if fault is not None and fault.take() else None


class _Handler(BaseHTTPRequestHandler):
    fred: FredServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        return None

    # -- plumbing ---------------------------------------------------------------------------
    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str,
        rec: Request,
        *,
        headers: dict[str, str] | None = None,
        length: int | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if length is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:  # the client gave up (timeout) — nothing to do
            self.close_connection = True
        rec.status, rec.bytes = status, len(body)

    def _stream_fault(self, fault: Fault, body: bytes, ctype: str, rec: Request) -> None:
        """Send one of :data:`STREAM_FAULTS`; stop when the client hangs up."""
        if fault.kind == "gzip_bad":
            junk = b"\x1f\x8b\x08\x00" + b"this is not deflate data " * 40
            return self._send(200, junk, ctype, rec, headers={"Content-Encoding": "gzip"})
        if fault.kind == "gzip_bomb":
            return self._send(200, gzip_bomb(), ctype, rec, headers={"Content-Encoding": "gzip"})
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if fault.kind == "trickle":
            self.send_header("Content-Length", str(len(body)))
        elif fault.kind == "huge":
            self.send_header("Content-Length", str(10 * 10**9))
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        rec.status = 200
        if fault.kind == "trickle":
            pieces = (body[i : i + 1] for i in range(len(body)))
        elif fault.kind == "huge":
            pieces = iter([body])
        else:  # endless: valid rows, forever
            row = b"2020-01-01,1\n" * 5000
            pieces = (row if i else body for i in range(10**12))
        try:
            for piece in pieces:
                self.wfile.write(piece)
                self.wfile.flush()
                rec.bytes += len(piece)
                if fault.kind == "trickle":
                    time.sleep(fault.slow_seconds)
        except OSError:  # the client gave up, as it should
            pass

    def _reset(self, rec: Request) -> None:
        """Close the connection with a TCP RST before any response."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.wfile = BytesIO()  # handle_one_request flushes it afterwards
        self.close_connection = True
        rec.status = 0

    def _error(self, status: int, message: str, rec: Request, api: bool) -> None:
        if api:
            body = json.dumps({"error_code": status, "error_message": message}).encode()
            self._send(status, body, "application/json", rec)
        else:
            self._send(status, f"<html><body>{message}</body></html>".encode(), "text/html", rec)

    # -- routes -----------------------------------------------------------------------------
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        raw = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        path = parts.path
        if path == "/__control__/log":
            with self.fred.lock:
                body = json.dumps([asdict(r) for r in self.fred.log]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        sid = raw.get("id") or raw.get("series_id")
        params = {k: ("***" if k == "api_key" else v) for k, v in raw.items()}
        rec = Request(time.time(), "GET", path, params, sid, "api_key" in raw)
        with self.fred.lock:
            self.fred.log.append(rec)
        if self.fred.latency:
            time.sleep(self.fred.latency)
        api = path.startswith("/fred/")
        if path not in ("/graph/fredgraph.csv", "/fred/series", "/fred/series/observations"):
            return self._error(404, "Not Found", rec, api=False)
        if api and not raw.get("api_key"):
            return self._error(400, "Bad Request.  Variable api_key is not set.", rec, api)
        series = self.fred.data.get(sid or "")
        if series is None:
            status = 400 if api else 404
            return self._error(status, "Bad Request.  The series does not exist.", rec, api)
        fault = self.fred._fault_for(sid)
        rec.fault = fault.kind if fault else None
        if fault and fault.kind == "slow":
            time.sleep(fault.slow_seconds)
        if fault and fault.kind == "reset":
            return self._reset(rec)
        if fault and fault.kind in ("429", "500", "503"):
            headers = {"Retry-After": str(fault.retry_after)} if fault.kind == "429" else {}
            body = f"<html><body>HTTP {fault.kind}</body></html>".encode()
            return self._send(int(fault.kind), body, "text/html", rec, headers=headers)
        if fault and fault.kind in REDIRECT_FAULTS:
            target = fault.location + self.path if fault.kind == "redirect" else self.path
            return self._send(302, b"", "text/html", rec, headers={"Location": target})
        if fault and fault.kind == "html":
            return self._send(200, HTML_PAGE, "text/html; charset=utf-8", rec)
        rows = series.rows
        if fault and fault.kind == "malformed" and rows:
            i = len(rows) - 2 if len(rows) > 1 else 0
            rows = [*rows[:i], (rows[i][0], "12.3.4"), *rows[i + 1 :]]
        if path == "/graph/fredgraph.csv":
            body, ctype = self._csv(sid or "", rows, raw), "text/csv"
        elif path == "/fred/series":
            body, ctype = self._series_meta(sid or "", series, raw)
        else:
            body, ctype = self._observations(series, rows, raw, fault.kind if fault else None)
            if not body:
                return self._error(400, ctype, rec, api)
        if fault and fault.kind in STREAM_FAULTS:
            return self._stream_fault(fault, body, ctype, rec)
        if fault and fault.kind == "short":  # promise more than we send, then hang up
            return self._send(200, body, ctype, rec, length=len(body) + 4096)
        if fault and fault.kind == "cut":  # stop mid-value, with a correct Content-Length
            # "2020-01-01,12" of "2020-01-01,1234567": 2 characters into the value, which
            # still looks like a number — only the missing final newline gives it away
            cut = body.rfind(b"\n", 0, len(body) * 2 // 3) + 1 + len("2020-01-01,12")
            body = body[:cut]
        return self._send(200, body, ctype, rec)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        doc = json.loads(self.rfile.read(length) or b"{}")
        path = urlsplit(self.path).path
        if path == "/__control__/fault":
            self.fred.inject(doc.pop("series_id"), doc.pop("kind"), doc.pop("times", None), **doc)
        elif path == "/__control__/revise":
            self.fred.revise(doc["series_id"], doc["date"], doc["value"])
        elif path == "/__control__/reset":
            self.fred.reset_log()
            self.fred.clear_faults()
        else:
            self.send_error(404)
            return
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    # -- payloads ---------------------------------------------------------------------------
    @staticmethod
    def _csv(sid: str, rows: list[tuple[str, str]], q: dict[str, str]) -> bytes:
        lines = [f"observation_date,{sid}"]
        lines += [f"{d},{v}" for d, v in _window(rows, q.get("cosd"), q.get("coed"))]
        return ("\n".join(lines) + "\n").encode()

    @staticmethod
    def _series_meta(sid: str, series: _Series, q: dict[str, str]) -> tuple[bytes, str]:
        today = dt.date.today().isoformat()
        row = {
            "id": sid,
            "realtime_start": today,
            "realtime_end": today,
            "title": sid,
            "observation_start": series.rows[0][0] if series.rows else "",
            "observation_end": series.rows[-1][0] if series.rows else "",
            "frequency": "",
            "frequency_short": "",
            "units": "",
            "last_updated": series.last_updated,
            **series.meta,
        }
        if q.get("file_type") == "json":
            doc = {"realtime_start": today, "realtime_end": today, "seriess": [row]}
            return json.dumps(doc).encode(), "application/json"
        attrs = " ".join(f"{k}={quoteattr(v)}" for k, v in row.items())
        xml = f'<?xml version="1.0" encoding="utf-8" ?>\n<seriess><series {attrs}/></seriess>\n'
        return xml.encode(), "text/xml; charset=UTF-8"

    @staticmethod
    def _observations(
        series: _Series, rows: list[tuple[str, str]], q: dict[str, str], fault: str | None
    ) -> tuple[bytes, str]:
        """The observations page; ``(b"", message)`` for a request FRED would refuse."""
        today = dt.date.today().isoformat()
        try:
            limit = int(q.get("limit", MAX_LIMIT))
            offset = int(q.get("offset", 0))
        except ValueError:
            return b"", "Bad Request.  Variable limit or offset is not an integer."
        if not 1 <= limit <= MAX_LIMIT or offset < 0:
            return b"", "Bad Request.  Variable limit is not between 1 and 100000."
        rt0, rt1 = q.get("realtime_start"), q.get("realtime_end")
        lo, hi = q.get("observation_start"), q.get("observation_end")
        if rt0 or rt1:
            if q.get("output_type", "1") != "1":
                return b"", "Bad Request.  This stand-in serves output_type=1 only."
            rt0, rt1 = rt0 or today, rt1 or today
            obs = [
                {
                    **o,
                    "realtime_start": max(o["realtime_start"], rt0),
                    "realtime_end": min(o["realtime_end"], rt1),
                }
                for o in alfred_rows(series, rows)
                if o["realtime_start"] <= rt1
                and o["realtime_end"] >= rt0
                and (not lo or o["date"] >= lo)
                and (not hi or o["date"] <= hi)
            ]
            obs = _vintage_fault(obs, fault)
        else:
            rt0 = rt1 = today
            obs = [
                {"realtime_start": today, "realtime_end": today, "date": d, "value": v or "."}
                for d, v in _window(rows, lo, hi)
            ]
        count = len(obs)
        obs = obs[offset : offset + limit]
        if q.get("file_type") == "json":
            doc = {
                "realtime_start": rt0,
                "realtime_end": rt1,
                "observation_start": lo or "1600-01-01",
                "observation_end": hi or "9999-12-31",
                "units": "lin",
                "output_type": int(q.get("output_type", 1)),
                "file_type": "json",
                "order_by": "observation_date",
                "sort_order": "asc",
                "count": count,
                "offset": offset,
                "limit": limit,
                "observations": obs,
            }
            return json.dumps(doc).encode(), "application/json"
        items = "".join(
            f'<observation realtime_start="{o["realtime_start"]}" '
            f'realtime_end="{o["realtime_end"]}" date="{o["date"]}" value="{o["value"]}"/>\n'
            for o in obs
        )
        xml = (
            f'<?xml version="1.0" encoding="utf-8" ?>\n<observations realtime_start="{rt0}" '
            f'realtime_end="{rt1}" count="{count}" offset="{offset}" limit="{limit}">\n'
            f"{items}</observations>\n"
        )
        return xml.encode(), "text/xml; charset=UTF-8"


@functools.cache
def gzip_bomb(megabytes: int = 1024) -> bytes:
    """A valid gzip stream of about 1 MB that inflates to ``megabytes`` MB of zeros: one
    compressed, fully flushed 1 MB block repeated, with the true CRC and size at the end."""
    chunk = b"\0" * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    first = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)  # gzip header + first block
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush()  # the final (empty) block and a trailer for 2 MB, replaced below
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    trailer = struct.pack("<II", crc, (megabytes << 20) & 0xFFFFFFFF)
    return first + block * (megabytes - 1) + tail[:-8] + trailer


def _vintage_fault(obs: list[dict[str, str]], fault: str | None) -> list[dict[str, str]]:
    """Break the first date that has two periods: ``overlap`` stretches the first period past
    the start of the second, ``disorder`` swaps them."""
    if fault not in VINTAGE_FAULTS:
        return obs
    for i in range(len(obs) - 1):
        if obs[i]["date"] == obs[i + 1]["date"]:
            obs = [dict(o) for o in obs]
            if fault == "overlap":
                obs[i]["realtime_end"] = obs[i + 1]["realtime_start"]
            else:
                obs[i], obs[i + 1] = obs[i + 1], obs[i]
            return obs
    return obs


# -- a server in another process ----------------------------------------------------------------
class ServerProcess:
    """Controls for a server started with ``python tests/fredserver.py`` (see the module doc)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.api_url = f"{url}/fred"

    def _post(self, path: str, doc: dict[str, Any]) -> None:
        req = urllib.request.Request(
            f"{self.url}{path}", json.dumps(doc).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10):
            pass

    def inject(self, series_id: str, kind: str, times: int | None = None, **options: Any) -> None:
        self._post(
            "/__control__/fault", {"series_id": series_id, "kind": kind, "times": times, **options}
        )

    def revise(self, series_id: str, date: str, value: str) -> None:
        self._post("/__control__/revise", {"series_id": series_id, "date": date, "value": value})

    def reset(self) -> None:
        self._post("/__control__/reset", {})

    def log(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.url}/__control__/log", timeout=10) as r:
            return list(json.loads(r.read()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a FRED mirror folder over HTTP.")
    parser.add_argument("--mirror", required=True, help="folder of ID.csv files")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every response")
    args = parser.parse_args(argv)
    server = FredServer(args.mirror, latency=args.latency_ms / 1000, port=args.port)
    print(f"READY {server.url}", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


if __name__ == "__main__":
    main(sys.argv[1:])
