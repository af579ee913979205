"""The local web dashboard (``tidegauge serve``): pages, JSON API, security.

Built on Starlette (ASGI), Uvicorn (server) and Jinja2 (autoescaped templates).
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    """See :func:`tidegauge.web.app.create_app`."""
    from .app import create_app as _create_app

    return _create_app(*args, **kwargs)
