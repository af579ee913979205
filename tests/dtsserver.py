"""A local stand-in for the Treasury's Fiscal Data API: the Daily Treasury Statement's TGA
closing balance, served from the mirror file over real HTTP, with paging and faults.

Route (as Fiscal Data serves it)
--------------------------------
``GET /services/api/fiscal_service/v1/accounting/dts/operating_cash_balance``
    ``filter=account_type:eq:Treasury General Account (TGA) Closing Balance[,record_date:gte:D]
    [,record_date:lte:D]``, ``fields=record_date,open_today_bal``, ``sort=record_date``,
    ``page[number]`` (from 1) and ``page[size]`` (1 to 10000, default 100). The answer is
    ``{"data": [{"record_date": ..., "open_today_bal": "841253"}, ...], "meta": {"count",
    "labels", "dataTypes", "dataFormats", "total-count", "total-pages"}, "links": {"self",
    "first", "prev", "next", "last"}}``, amounts as strings in USD millions. The file only holds
    the TGA closing balance, so a request without that ``account_type`` filter is refused (400),
    as is a malformed filter or page parameter (the API's ``{"error", "message"}`` body).

Test controls
-------------
* :meth:`DtsServer.inject` — a fault of :data:`fredserver.FAULT_KINDS` (the same kinds as the
  FRED stand-in: ``429``, ``500``, ``503``, ``slow``, ``reset``, ``short``, ``cut``, ``html``,
  ``malformed``) or ``count_changed`` (the page reports one more row in ``total-count``, as if
  the data changed while paging); ``times`` and ``after`` as in :class:`fredserver.Fault`.
* :meth:`DtsServer.revise` — change one day's balance.
* :attr:`DtsServer.log` — every request (time, page number, parameters, status, fault).
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fredserver import FAULT_KINDS, HTML_PAGE, Fault, LocalServer, Request, _Handler

PATH = "/services/api/fiscal_service/v1/accounting/dts/operating_cash_balance"
ACCOUNT = "Treasury General Account (TGA) Closing Balance"
MIRROR_FILE = "DTS_TGA_closing_balance_daily.csv"
DTS_FAULTS = (*FAULT_KINDS, "count_changed")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 10_000


class DtsServer(LocalServer):
    """A threaded HTTP server on 127.0.0.1 serving the DTS mirror file as Fiscal Data does.

    Parameters
    ----------
    folder
        The folder holding :data:`MIRROR_FILE` (``../shared/data/other``).
    """

    def __init__(self, folder: Path | str, *, port: int = 0, host: str = "127.0.0.1") -> None:
        lines = (Path(folder) / MIRROR_FILE).read_text(encoding="utf-8").splitlines()[1:]
        self.rows: list[tuple[str, str]] = [
            (d.strip(), v.strip()) for d, v in (ln.split(",", 1) for ln in lines if ln.strip())
        ]
        self.fault: Fault | None = None
        server = self

        class Handler(_DtsHandler):
            dts = server

        super().__init__(Handler, port=port, host=host)

    @property
    def url(self) -> str:
        """The base URL the source takes (``TIDEGAUGE_DTS_URL``)."""
        return f"http://{self.host}:{self.port}/services/api/fiscal_service"

    def inject(self, kind: str, times: int | None = None, **options: Any) -> Fault:
        """Serve ``kind`` (``times`` requests, or every one when ``None``)."""
        if kind not in DTS_FAULTS:
            raise ValueError(f"unknown fault {kind!r}; known: {DTS_FAULTS}")
        with self.lock:
            self.fault = Fault(kind, times, **options)
        return self.fault

    def clear_faults(self) -> None:
        with self.lock:
            self.fault = None

    def revise(self, date: str, value: str) -> None:
        i = next(i for i, (d, _) in enumerate(self.rows) if d == date)
        self.rows[i] = (date, value)

    def take_fault(self) -> Fault | None:
        with self.lock:
            return self.fault if self.fault is not None and self.fault.take() else None


def _filters(text: str) -> dict[str, str] | None:
    """``field:op`` → value of a Fiscal Data filter; ``None`` if malformed."""
    out: dict[str, str] = {}
    for part in text.split(",") if text else []:
        field, _, rest = part.partition(":")
        op, _, value = rest.partition(":")
        if not field or op not in ("eq", "gte", "lte", "gt", "lt") or not value:
            return None
        out[f"{field}:{op}"] = value
    return out


class _DtsHandler(_Handler):
    dts: DtsServer

    def _bad(self, message: str, rec: Request) -> None:
        body = json.dumps({"error": "Invalid Query Param", "message": message}).encode()
        self._send(400, body, "application/json", rec)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        rec = Request(time.time(), "GET", parts.path, q, "DTS_TGA", False)
        with self.dts.lock:
            self.dts.log.append(rec)
        if parts.path != PATH:
            return self._send(404, b'{"error": "Not Found"}', "application/json", rec)
        filters = _filters(q.get("filter", ""))
        if filters is None:
            return self._bad("filter must be field:operator:value, comma-separated", rec)
        if filters.get("account_type:eq") != ACCOUNT:
            return self._bad(f"this stand-in serves account_type:eq:{ACCOUNT} only", rec)
        try:
            number = int(q.get("page[number]", "1"))
            size = int(q.get("page[size]", str(DEFAULT_PAGE_SIZE)))
        except ValueError:
            return self._bad("page[number] and page[size] must be integers", rec)
        if number < 1 or not 1 <= size <= MAX_PAGE_SIZE:
            return self._bad(f"page[size] must be 1 to {MAX_PAGE_SIZE}, page[number] >= 1", rec)
        fault = self.dts.take_fault()
        rec.fault = fault.kind if fault else None
        if fault and fault.kind == "slow":
            time.sleep(fault.slow_seconds)
        if fault and fault.kind == "reset":
            return self._reset(rec)
        if fault and fault.kind in ("429", "500", "503"):
            headers = {"Retry-After": str(fault.retry_after)} if fault.kind == "429" else {}
            body = f"<html><body>HTTP {fault.kind}</body></html>".encode()
            return self._send(int(fault.kind), body, "text/html", rec, headers=headers)
        if fault and fault.kind == "html":
            return self._send(200, HTML_PAGE, "text/html; charset=utf-8", rec)
        lo, hi = filters.get("record_date:gte"), filters.get("record_date:lte")
        rows = [(d, v) for d, v in self.dts.rows if (not lo or d >= lo) and (not hi or d <= hi)]
        body = self._page(rows, number, size, fault.kind if fault else None)
        if fault and fault.kind == "short":
            return self._send(200, body, "application/json", rec, length=len(body) + 4096)
        if fault and fault.kind == "cut":
            body = body[: len(body) * 2 // 3]
        return self._send(200, body, "application/json", rec)

    @staticmethod
    def _page(rows: list[tuple[str, str]], number: int, size: int, fault: str | None) -> bytes:
        total = len(rows)
        pages = max(1, math.ceil(total / size))
        chunk = rows[(number - 1) * size : number * size]
        data = [{"record_date": d, "open_today_bal": v or "null"} for d, v in chunk]
        if fault == "malformed" and data:
            data[len(data) // 2]["open_today_bal"] = "12.3.4"

        def link(n: int) -> str:
            return "&" + urlencode({"page[number]": n, "page[size]": size})

        doc = {
            "data": data,
            "meta": {
                "count": len(data),
                "labels": {"record_date": "Record Date", "open_today_bal": "Opening Balance Today"},
                "dataTypes": {"record_date": "DATE", "open_today_bal": "CURRENCY"},
                "dataFormats": {"record_date": "YYYY-MM-DD", "open_today_bal": "$10.20"},
                "total-count": total + (1 if fault == "count_changed" else 0),
                "total-pages": pages,
            },
            "links": {
                "self": link(number),
                "first": link(1),
                "prev": link(number - 1) if number > 1 else None,
                "next": link(number + 1) if number < pages else None,
                "last": link(pages),
            },
        }
        return json.dumps(doc).encode()
