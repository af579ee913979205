"""JSON endpoints of the dashboard (documented in ``docs/api.md``).

``/api/<endpoint>`` exists for every indicator that declares an ``endpoint``; its query
parameters are the indicator's parameter model (validated exactly as the CLI options and the
dashboard form). An unknown or invalid parameter is HTTP 400 with ``{"error": "...",
"message": "..."}`` (``error`` in English, ``message`` in the request's ``lang``, which every
endpoint accepts). Missing data is 404, anything unexpected 500 with a generic message (details
go to the server log, never the API key). Answers are cached per (endpoint, parameters, store
state) by :class:`~tidegauge.web.service.Dashboard`.

Each indicator endpoint answers with the JSON its command prints with ``--json``: the result's
own fields plus ``sections`` (figures with unit, date and freshness, tables, notes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..api import Tidegauge
from ..catalog import CATALOG
from ..indicators.params import parse_params
from ..jsonutil import dumps
from .security import BadParameter, check_params, parse_date, parse_int, parse_series_id
from .service import Dashboard

if TYPE_CHECKING:
    from ..indicators.base import Indicator

__all__ = ["api_routes", "json_response", "lang_param"]

MAX_POINTS = 100_000
"""Most ``[date, value]`` pairs ``/api/series`` returns (about 3 MB of JSON): a longer series
is thinned to this many even without ``max_points``."""


def json_response(value: Any, status: int = 200, *, body: bytes | None = None) -> Response:
    return Response(
        body if body is not None else dumps(value),
        status_code=status,
        media_type="application/json",
    )


def lang_param(q: Mapping[str, str], default: str) -> str:
    from ..errors import UsageError
    from ..lang import normalise_lang

    raw = q.get("lang")
    if raw is None or raw == "":
        return default
    if len(raw) > 16:
        raise BadParameter.t("errors.web.lang")
    try:
        return normalise_lang(raw)
    except UsageError as exc:
        raise BadParameter.t("errors.web.lang_cause", cause=exc) from None


ERROR_LANG = ("lang",)
"""Every endpoint accepts ``lang``: the language of its error ``message`` and of its texts."""


# -- endpoints -----------------------------------------------------------------------------------
Handler = Callable[[Dashboard, Request], Response]


def _index(d: Dashboard, request: Request) -> Response:
    from ..indicators.registry import endpoints

    check_params(request.query_params, ERROR_LANG)
    names = ["overview", *endpoints(), "series"]
    return json_response({"endpoints": [f"/api/{name}" for name in names], "docs": "docs/api.md"})


def _series_list(d: Dashboard, request: Request) -> Response:
    check_params(request.query_params, ERROR_LANG)

    def compute(tg: Tidegauge) -> bytes:
        stored = {s.id: s for s in tg.store.all_series()}
        rows = []
        for sid, info in CATALOG.items():
            s = stored.get(sid)
            rows.append(
                {
                    "id": sid,
                    "name": info.name,
                    "unit": info.unit,
                    "frequency": info.frequency,
                    "category": info.category,
                    "first_date": s.first_date if s else None,
                    "last_date": s.last_date if s else None,
                    "observations": s.n_obs if s else 0,
                }
            )
        return dumps({"series": rows})

    return json_response(None, body=d.cached(("series",), compute))


def _series(d: Dashboard, request: Request) -> Response:
    q = request.query_params
    check_params(q, ("start", "end", "max_points", *ERROR_LANG))
    sid = parse_series_id(request.path_params["series_id"], "series_id")
    start, end = parse_date(q.get("start"), "start"), parse_date(q.get("end"), "end")
    if start and end and start > end:
        raise BadParameter.t("errors.dates.reversed", start=start, end=end)
    max_points = parse_int(q.get("max_points"), "max_points", lo=10, hi=MAX_POINTS)

    def compute(tg: Tidegauge) -> bytes:
        s = tg.series(sid, start, end)
        n, as_of = len(s), str(s.index[-1])[:10]  # the last observation, before any downsampling
        cap = MAX_POINTS if max_points is None else max_points
        if n > cap:
            from ..presentation.charts import downsample

            s = downsample(s, cap)
            if len(s) > cap:  # still too many (a very long span): every k-th, the last kept
                step = -(-len(s) // cap)
                s = s.iloc[::-1][::step].iloc[::-1]
        info = CATALOG[sid]
        return dumps(
            {
                "id": sid,
                "name": info.name,
                "unit": info.unit,
                "frequency": info.frequency,
                "as_of": as_of,
                "observations": n,
                "downsampled": len(s) < n,
                "data": [[str(day)[:10], float(v)] for day, v in s.items()],
            }
        )

    return json_response(None, body=d.cached(("series", sid, start, end, max_points), compute))


def _overview(d: Dashboard, request: Request) -> Response:
    from .pages import parse_page_query

    q = request.query_params
    lang = lang_param(q, d.lang)
    p = parse_page_query("overview", q)

    def compute(tg: Tidegauge) -> bytes:
        from ..presentation.jsonface import report_json

        return dumps(report_json(tg.report(as_of=p.get("as_of")), lang))

    return json_response(None, body=d.cached(("overview", lang, p.get("as_of")), compute))


def indicator_endpoint(ind: Indicator) -> Handler:
    """The handler of ``/api/<ind.endpoint>``."""

    def handler(d: Dashboard, request: Request) -> Response:
        q = request.query_params
        check_params(q, (*(p.name for p in ind.params), *ERROR_LANG))
        lang = lang_param(q, d.lang)
        p = parse_params(ind.params, {k: v for k, v in q.items() if k != "lang"})

        def compute(tg: Tidegauge) -> bytes:
            from ..presentation.jsonface import sections_json

            section = ind.run(ind.load(tg, p, fetch=False), p)
            return dumps(sections_json([section], lang))

        key = (ind.endpoint, lang, tuple(sorted(p.items())))
        return json_response(None, body=d.cached(key, compute))

    return handler


def api_routes(d: Dashboard) -> list[Route]:
    """The ``/api`` routes bound to dashboard ``d``."""
    from ..indicators.registry import endpoints

    def bind(handler: Handler) -> Callable[[Request], Response]:
        def endpoint(request: Request) -> Response:
            lang_param(request.query_params, "en")  # an unknown ``lang`` is a 400 everywhere
            return handler(d, request)

        return endpoint

    handlers: dict[str, Handler] = {"overview": _overview}
    handlers |= {name: indicator_endpoint(ind) for name, ind in endpoints().items()}
    handlers["series"] = _series_list
    routes = [Route("/api", bind(_index), methods=["GET"])]
    routes += [Route(f"/api/{name}", bind(h), methods=["GET"]) for name, h in handlers.items()]
    routes.append(Route("/api/series/{series_id:path}", bind(_series), methods=["GET"]))
    return routes
