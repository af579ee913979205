"""``tidegauge serve``: the local web dashboard (127.0.0.1 by default)."""

from __future__ import annotations

from typing import Any

import click

from ._common import common_options, console, session


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port (0: any free port).",
)
@click.option(
    "--allow-public",
    is_flag=True,
    help="Allow a non-loopback --host (e.g. 0.0.0.0). The dashboard has no login: anyone who "
    "can reach the address can read it.",
)
@click.option(
    "--update/--no-update",
    "do_update",
    default=False,
    show_default=True,
    help="Update the store (incrementally, from --mirror or FRED) before serving.",
)
@common_options
def serve_cmd(
    host: str,
    port: int,
    allow_public: bool,
    do_update: bool,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """Serve the dashboard: overview, balance sheet, liquidity, compare, real rates, checklist,
    simulator, in en / zh-TW / zh-CN, and the JSON API under /api (see docs/api.md).

    The dashboard reads the store only (it never downloads); run 'tidegauge update' or pass
    --update to refresh it. Stop with Ctrl+C.
    """
    from ..web.security import check_bind

    host = host.strip()
    if host.startswith("[") and host.endswith("]"):  # "[::1]", as in a URL
        host = host[1:-1]
    check_bind(host, allow_public)  # before anything else: a refused bind exits 2 at once
    try:
        import uvicorn

        from ..web.app import create_app
    except ImportError as exc:  # a broken install
        from ..errors import ConfigError

        raise ConfigError.t("errors.config.dashboard_missing", name=exc.name) from None
    from ..errors import Term
    from ..i18n import t

    # Bound before anything else is said: a busy port is one line, and the URL line below shows
    # the real port.
    sock = _listen(host, port)
    try:
        with session(mirror, store) as tg:
            if do_update:
                report = tg.update()
                console(stderr=True).print(
                    t("web.serve.updated", lang, n=len(report.results), failed=len(report.failed))
                )
            elif not any(s.last_date for s in tg.store.all_series()):
                from ..errors import NoDataError

                how = "web.serve.how_mirror" if tg.settings.mirror else "web.serve.how_fred"
                raise NoDataError.t(
                    "errors.web.store_empty", path=str(tg.settings.store_path), how=Term(how)
                )
            settings = tg.settings
        app = create_app(settings, lang=lang, host=host, allow_public=allow_public, persist=True)
    except BaseException:
        sock.close()
        raise
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    console(stderr=True).print(t("web.serve.listening", lang, url=f"http://{shown}:{port}/"))
    _limit_malloc_arenas()
    _warm_up(host, port, lang)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def _listen(host: str, port: int) -> Any:
    """A socket bound to ``host:port`` (port 0: a free one), or a one-line error."""
    import socket

    from ..errors import UsageError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise UsageError.t("errors.web.cannot_listen", host=host, port=port, reason=exc) from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)  # connections wait in the backlog until the server accepts them
    except OSError as exc:
        sock.close()
        raise UsageError.t(
            "errors.web.cannot_listen", host=host, port=port, reason=exc.strerror or exc
        ) from None
    return sock


def _limit_malloc_arenas(arenas: int = 2) -> None:
    """Ask glibc for at most ``arenas`` malloc arenas (Linux; nothing elsewhere).

    Requests are answered in a pool of threads and glibc gives threads their own arenas (up to
    eight per core), each keeping the memory its thread freed: after every page the server held
    over 100 MB more than its live data. Called before the first request thread starts."""
    import contextlib
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc (musl has no mallopt)
        ctypes.CDLL(None).mallopt(-8, arenas)  # M_ARENA_MAX


def _warm_up(host: str, port: int, lang: str) -> None:
    """Prepare every page (in the default language), the Vega bundle and ``/api/overview`` in
    the background as soon as the server answers, one request at a time, then say "ready": the
    first visitor of any page gets an answer from the cache (a page costs 0.1-1 s of CPU to
    compute, the overview's report with its signals replay up to half a minute the first time;
    a restarted server over the same store reads them from the cache folder). Requests are
    answered meanwhile; one for a page being prepared waits for that computation instead of
    repeating it."""
    import threading
    import time

    import httpx

    from ..i18n import t
    from ..web.pages import page_names, page_path

    target = "127.0.0.1" if host in ("0.0.0.0", "localhost") else host
    target = "::1" if target == "::" else target
    base = f"http://[{target}]:{port}" if ":" in target else f"http://{target}:{port}"
    paths = [page_path(p) for p in page_names()] + ["/static/vega.js", "/api/overview"]

    def run() -> None:
        t0 = time.monotonic()
        deadline = t0 + 60
        with httpx.Client(base_url=base, timeout=300) as client:
            while True:
                try:
                    client.get("/static/tidegauge.css")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        return
                    time.sleep(0.1)
            try:
                for path in paths:
                    client.get(path)
            except httpx.HTTPError:
                return
        seconds = f"{time.monotonic() - t0:.1f}"
        console(stderr=True).print(t("web.serve.ready", lang, n=len(page_names()), seconds=seconds))

    threading.Thread(target=run, name="tidegauge-warm-up", daemon=True).start()
