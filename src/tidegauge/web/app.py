"""The Starlette application of ``tidegauge serve``.

>>> from tidegauge.web import create_app
>>> app = create_app(Settings.from_env(mirror="../shared/data/fred"))   # doctest: +SKIP

Routes: the pages (``/``, ``/balance``, ``/liquidity``, ``/compare``, ``/realrates``,
``/checklist``, ``/simulate``; ``?lang=en|zh-TW|zh-CN``), the JSON API under ``/api``
(:mod:`tidegauge.web.api`) and ``/static`` (CSS, JS and the Vega bundle from the package: no
CDN, works offline).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..api import Tidegauge
from ..config import Settings
from ..errors import NoDataError, StoreError, TidegaugeError, UsageError
from ..i18n import t
from .api import api_routes, json_response, lang_param
from .pages import (
    page_names,
    page_path,
    parse_page_query,
    render_error,
    render_guide,
    render_page,
    table_file,
)
from .security import SECURITY_HEADERS, allowed_hosts
from .service import CacheMiss, Dashboard

__all__ = ["create_app"]

log = logging.getLogger("tidegauge.web")

Scope = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[..., Awaitable[Any]], Callable[..., Awaitable[Any]]], Awaitable[None]
]

DOWNLOAD_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""Formats of the table downloads (``/download/<page>/<table>.<format>``)."""

STATIC_TYPES = {
    "tidegauge.js": "text/javascript; charset=utf-8",
    "tidegauge.css": "text/css; charset=utf-8",
}


class SecurityHeaders:
    """Pure ASGI middleware adding :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


GZIP_MIN = 1000
"""Responses smaller than this are sent as they are."""


def _accepts_gzip(request: Request) -> bool:
    """Whether ``Accept-Encoding`` lists ``gzip`` (and not with ``q=0``)."""
    for part in request.headers.get("accept-encoding", "").lower().split(","):
        name, _, params = part.partition(";")
        if name.strip() == "gzip":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class Compressed:
    """Bodies compressed once and kept (pages from the cache, static files): a repeated answer
    costs a dictionary look-up, not a compression. Keyed by a digest of the body, at most
    ``size`` entries."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._bodies: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, body: bytes) -> bytes:
        key = hashlib.blake2b(body, digest_size=16).digest()
        with self._lock:
            if key in self._bodies:
                self._bodies.move_to_end(key)
                return self._bodies[key]
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        with self._lock:
            self._bodies[key] = packed
            while len(self._bodies) > self.size:
                self._bodies.popitem(last=False)
        return packed


class Gzip:
    """Pure ASGI middleware: a whole response body of at least :data:`GZIP_MIN` bytes is sent
    gzip-compressed when the request accepts it (``Vary: Accept-Encoding`` either way), through
    :class:`Compressed`, so a page or an API answer served from the cache, or a static file, is
    compressed once. Streamed bodies and bodies already encoded pass as they are."""

    def __init__(self, app: ASGIApp, size: int = 256) -> None:
        self.app = app
        self.compressed = Compressed(size)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accepts = _accepts_gzip(Request(scope))
        start: MutableMapping[str, Any] | None = None

        async def wrapped(message: MutableMapping[str, Any]) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message  # held until the body shows whether to compress
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            held, start = start, None
            body = message.get("body", b"")
            headers = [(k, v) for k, v in held.get("headers", []) if k.lower() != b"vary"]
            encoded = any(k.lower() == b"content-encoding" for k, _ in headers)
            if message.get("more_body") or encoded or len(body) < GZIP_MIN:
                await send(held)
                await send(message)
                return
            headers.append((b"vary", b"Accept-Encoding"))
            if accepts:
                body = self.compressed(body)
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                headers += [
                    (b"content-encoding", b"gzip"),
                    (b"content-length", str(len(body)).encode()),
                ]
            await send({**held, "headers": headers})
            await send({**message, "body": body})

        await self.app(scope, receive, wrapped)


REQUEST_THREADS = 16
"""Worker threads that may run requests at once (AnyIO's default is 40). Answers in memory are
served by the event loop without a thread; a thread reads an answer from the cache folder or
waits for a computation (two at a time), so more threads would only hold more memory (each
touches its own stack) and take the interpreter lock from the computations.
Requests beyond them wait in the event loop, at no cost."""


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
    yield


BUILD_BUNDLE = "from tidegauge.presentation.chartcache import vega_javascript_cached as v; v()"


def _vega_bundle() -> bytes:
    """The Vega bundle, from the cache folder. When it is not there yet, a child process builds
    and writes it: vl-convert's JavaScript runtime keeps about 120 MB that the server would hold
    for the rest of its life. (Should the child fail or the folder be read-only, it is built
    here.)"""
    import subprocess
    import sys

    from ..presentation.chartcache import vega_bundle_path, vega_javascript_cached

    if not vega_bundle_path().is_file():
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                [sys.executable, "-c", BUILD_BUNDLE], check=False, capture_output=True, timeout=300
            )
    return vega_javascript_cached().encode("utf-8")


def _static(name: str) -> bytes:
    if name == "vega.js":
        return _vega_bundle()
    from ..presentation.html import static_text

    return static_text(name).encode("utf-8")


def _error_lang(request: Request, default: str) -> str:
    try:
        return lang_param(request.query_params, default)
    except UsageError:
        return default


def create_app(
    source: Settings | Tidegauge,
    *,
    lang: str = "en",
    host: str = "127.0.0.1",
    allow_public: bool = False,
    cache_size: int = 256,
    persist: bool = False,
) -> Starlette:
    """The dashboard over ``source``.

    Parameters
    ----------
    source
        Settings (a read-only session is opened per request, so an update may write the store
        meanwhile) or a ready :class:`~tidegauge.Tidegauge` session (shared under a lock).
    lang
        Default language of the pages (``?lang=`` overrides per request).
    host, allow_public
        The address the server listens on; for a loopback address only loopback ``Host``
        headers are accepted (DNS-rebinding defence).
    cache_size
        Responses kept in the cache (0 disables it; the benchmark's peer).
    persist
        Keep answers in the cache folder too, for the next server over the same store
        (``tidegauge serve`` does; an embedded app, as in the tests, keeps them in memory only).
    """
    dash = Dashboard(source, lang=lang, cache_size=cache_size, persist=persist)
    static_cache: dict[str, bytes] = {}
    static_lock = threading.Lock()

    def page_endpoint(page: str) -> Callable[[Request], Response]:
        def endpoint(request: Request) -> Response:
            q = request.query_params
            page_lang = lang_param(q, dash.lang)
            params = parse_page_query(page, q)
            key = ("page", page, page_lang, tuple(sorted(params.items())))

            def compute(tg: Tidegauge) -> bytes:
                return render_page(page, tg, page_lang, q, params).encode("utf-8")

            body = dash.cached(key, compute)
            return Response(body, media_type="text/html; charset=utf-8")

        return endpoint

    def guide(request: Request) -> Response:
        from .security import check_params

        q = request.query_params
        check_params(q, ("lang",))
        page_lang = lang_param(q, dash.lang)
        return HTMLResponse(render_guide(page_lang, q))

    def download(request: Request) -> Response:
        page = request.path_params["page"]
        table_id, _, fmt = request.path_params["name"].rpartition(".")
        if page not in page_names() or page == "overview" or fmt not in DOWNLOAD_TYPES:
            raise HTTPException(404)
        if not table_id or len(table_id) > 40 or not table_id.replace("_", "").isalnum():
            raise HTTPException(404)
        q = request.query_params
        page_lang = lang_param(q, dash.lang)
        params = parse_page_query(page, q)
        key = ("download", page, table_id, fmt, page_lang, tuple(sorted(params.items())))

        def compute(tg: Tidegauge) -> bytes:
            return table_file(page, table_id, fmt, tg, page_lang, params)

        body = dash.cached(key, compute)
        return Response(
            body,
            media_type=DOWNLOAD_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{page}-{table_id}.{fmt}"'},
        )

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in (*STATIC_TYPES, "vega.js"):
            raise HTTPException(404)
        with static_lock:  # built once, even when several requests ask at once
            if name not in static_cache:
                static_cache[name] = _static(name)
        media = STATIC_TYPES.get(name, "text/javascript; charset=utf-8")
        return Response(
            static_cache[name], media_type=media, headers={"Cache-Control": "public, max-age=3600"}
        )

    def error(
        request: Request, status: int, title_key: str, message: str, english: str | None = None
    ) -> Response:
        """``message`` is in the request's language; JSON also carries the English ``error``."""
        if request.url.path.startswith("/api"):
            payload = {"error": english or message, "message": message, "status": status}
            return json_response(payload, status)
        lg = _error_lang(request, dash.lang)
        return HTMLResponse(render_error(lg, t(title_key, lg), message), status_code=status)

    async def on_tidegauge_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, TidegaugeError)
        english = " ".join(str(exc).split())
        message = " ".join(exc.message(_error_lang(request, dash.lang)).split())
        if isinstance(exc, UsageError):
            return error(request, 400, "web.error.bad_parameter", message, english)
        if isinstance(exc, NoDataError):
            return error(request, 404, "web.error.no_data", message, english)
        log.warning("request %s failed: %s", request.url.path, english)
        if isinstance(exc, StoreError):  # the detail names the server's files: the log only
            lg = _error_lang(request, dash.lang)
            hidden = StoreError.t("errors.web.store_unavailable")
            return error(request, 503, "web.page.error", hidden.message(lg), str(hidden))
        return error(request, 503, "web.page.error", message, english)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        key = "web.page.not_found" if status == 404 else "web.page.error"
        lg = _error_lang(request, dash.lang)
        return error(request, status, key, t(key, lg), t(key, "en"))

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s: %s: %s", request.url.path, type(exc).__name__, exc)
        lg = _error_lang(request, dash.lang)
        return error(
            request, 500, "web.page.error", t("web.error.internal", lg), t("web.error.internal")
        )

    def memory_first(endpoint: Callable[[Request], Response]) -> Callable[[Request], Any]:
        """``endpoint`` run in the event loop when its answer is in memory (parsing the request
        and a dictionary look-up), else in a worker thread."""

        async def run(request: Request) -> Response:
            with dash.plain_request(all(k == "lang" for k in request.query_params)):
                try:
                    with dash.memory_only():
                        return endpoint(request)
                except CacheMiss:
                    return await run_in_threadpool(endpoint, request)  # the context goes along

        return run

    routes = [
        Route(page_path(p), memory_first(page_endpoint(p)), methods=["GET"]) for p in page_names()
    ]
    routes += [Route(r.path, memory_first(r.endpoint), methods=["GET"]) for r in api_routes(dash)]
    routes.append(Route("/static/{name}", static, methods=["GET"]))
    routes.append(Route("/guide", guide, methods=["GET"]))
    routes.append(Route("/download/{page}/{name}", memory_first(download), methods=["GET"]))
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(Gzip, size=max(cache_size, 8)),
            Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(host, allow_public)),
        ],
        exception_handlers={
            TidegaugeError: on_tidegauge_error,
            HTTPException: on_http_error,
            Exception: on_crash,
        },
        lifespan=_lifespan,
    )
    app.state.dashboard = dash
    return app
