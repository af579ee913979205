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
    from ..i18n import t

    with session(mirror, store) as tg:
        if do_update:
            report = tg.update()
            console(stderr=True).print(
                t("web.serve.updated", lang, n=len(report.results), failed=len(report.failed))
            )
        settings = tg.settings
    app = create_app(settings, lang=lang, host=host, allow_public=allow_public)
    sock = _listen(host, port)  # bound before the line is printed: the line shows the real port
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    console(stderr=True).print(t("web.serve.listening", lang, url=f"http://{shown}:{port}/"))
    _warm_up(host, port)
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


def _warm_up(host: str, port: int) -> None:
    """Compute the overview once in the background as soon as the server answers, so that the
    first visitor gets the cached page (a cold overview takes about a second)."""
    import threading
    import time

    import httpx

    target = "127.0.0.1" if host in ("0.0.0.0", "localhost") else host
    target = "::1" if target == "::" else target
    base = f"http://[{target}]:{port}" if ":" in target else f"http://{target}:{port}"

    def run() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                for path in ("/", "/api/overview"):
                    httpx.get(base + path, timeout=120)
                return
            except httpx.TransportError:
                time.sleep(0.2)

    threading.Thread(target=run, name="tidegauge-warm-up", daemon=True).start()
