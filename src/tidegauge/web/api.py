"""JSON endpoints of the dashboard (documented in ``docs/api.md``).

Every endpoint validates all of its query parameters (:mod:`tidegauge.web.security`): an unknown
or invalid one is HTTP 400 with ``{"error": "...", "message": "..."}`` (``error`` in English,
``message`` in the request's ``lang``, which every endpoint accepts). Missing data is 404,
anything unexpected 500 with a generic message (details go to the server log, never the API
key). Answers are cached per (endpoint, parameters, store state) by
:class:`~tidegauge.web.service.Dashboard`.

The computations live in the analysis layer; this module only parses, calls and serialises.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..api import Tidegauge
from ..catalog import CATALOG
from .security import (
    BadParameter,
    check_params,
    parse_date,
    parse_float,
    parse_int,
    parse_series_id,
)
from .service import Dashboard

__all__ = ["COMPARE_EXTRA", "DEFAULTS", "api_routes", "dumps", "jsonable"]

COMPARE_EXTRA = ("SP500TR",)
"""Ids that compare accepts besides the catalog (S&P 500 total return, from Shiller data)."""

DEFAULTS: dict[str, Any] = {
    "compare_a": "WALCL",
    "compare_b": "SP500",
    "compare_start": "2022-06-01",
    "months": 24,
    "mbs_paydown": 16.0,
    "gdp_growth": 4.0,
}
"""Defaults of the dashboard's forms and endpoints."""

MAX_POINTS = 100_000
"""Most ``[date, value]`` pairs ``/api/series`` returns (about 3 MB of JSON): a longer series
is thinned to this many even without ``max_points``."""


# -- serialisation -------------------------------------------------------------------------------
def jsonable(value: Any) -> Any:
    """``value`` with NaN/inf as ``None`` and dates/timestamps as ISO strings (recursively)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return jsonable(value.item())
    return value


def dumps(value: Any) -> bytes:
    return json.dumps(jsonable(value), ensure_ascii=False, allow_nan=False).encode("utf-8")


def json_response(value: Any, status: int = 200, *, body: bytes | None = None) -> Response:
    return Response(
        body if body is not None else dumps(value),
        status_code=status,
        media_type="application/json",
    )


# -- computations (shared with the pages) --------------------------------------------------------
def compare_result(tg: Tidegauge, a: str, b: str, start: dt.date, end: dt.date) -> Any:
    from ..analysis.compare import from_session

    return from_session(tg, a, b, start, end)


def simulate_result(tg: Tidegauge, p: Mapping[str, Any]) -> Any:
    from ..analysis.asof import snapshot
    from ..analysis.simulate import (
        INPUTS,
        CapPeriod,
        default_caps,
        project_qe,
        project_qt,
        start_state,
    )

    snap = snapshot(tg, INPUTS)
    last = snap.last_date("TREAST")
    if last is None:
        from ..errors import NoDataError

        raise NoDataError.t("errors.data.no_treasuries")
    state = start_state(snap.data, p["start"] or last)
    common = {"tga_bn": p["tga"], "rrp_bn": p["rrp"], "gdp_growth_pct": p["gdp_growth"]}
    if p["kind"] == "qe":
        return project_qe(
            state, p["per_month"], p["months"], treasury_share=p["treasury_share"], **common
        )
    caps = None
    if p["treasury_cap"] is not None or p["mbs_cap"] is not None:
        final = default_caps()[-1]
        caps = [
            CapPeriod(
                dt.date(1900, 1, 1),
                p["treasury_cap"] if p["treasury_cap"] is not None else final.treasury_cap_bn,
                p["mbs_cap"] if p["mbs_cap"] is not None else final.mbs_cap_bn,
            )
        ]
    return project_qt(state, p["months"], caps=caps, mbs_paydown_bn=p["mbs_paydown"], **common)


def realrate_result(tg: Tidegauge, p: Mapping[str, Any]) -> tuple[Any, Any]:
    """``(snapshot, input frame)`` of the real-rate analysis."""
    from ..analysis.realrates import DEFAULT_NEUTRAL_BAND
    from ..analysis.realrates_snapshot import load_inputs, real_rate_snapshot

    data = load_inputs(tg, p["as_of"])
    snap = real_rate_snapshot(
        data,
        as_of=p["as_of"],
        rstar=p["rstar"],
        band=DEFAULT_NEUTRAL_BAND if p["band"] is None else p["band"],
        alignment=p["alignment"],
    )
    return snap, data


# -- parameter parsing (shared with the pages) ---------------------------------------------------
def compare_params(q: Mapping[str, str]) -> dict[str, Any]:
    today = dt.date.today()
    a = parse_series_id(q.get("a") or DEFAULTS["compare_a"], "a", extra=COMPARE_EXTRA)
    b = parse_series_id(q.get("b") or DEFAULTS["compare_b"], "b", extra=COMPARE_EXTRA)
    start = parse_date(
        q.get("start"), "start", default=dt.date.fromisoformat(DEFAULTS["compare_start"])
    )
    end = parse_date(q.get("end"), "end", default=today)
    assert start is not None and end is not None
    if start >= end:
        raise BadParameter.t("errors.web.start_before_end", start=start, end=end)
    return {"a": a, "b": b, "start": start, "end": end}


SIMULATE_BOUNDS: dict[str, tuple[float, float]] = {
    "months": (1, 360),
    "treasury_cap": (0, 500),
    "mbs_cap": (0, 500),
    "mbs_paydown": (0, 200),
    "tga": (0, 5000),
    "rrp": (0, 5000),
    "gdp_growth": (-20, 30),
    "per_month": (0.01, 2000),
    "treasury_share": (0, 1),
}
"""Accepted range of each numeric simulator parameter (USD bn, months, % or a fraction); the
dashboard's form uses the same bounds."""


def simulate_params(q: Mapping[str, str]) -> dict[str, Any]:
    kind = q.get("kind") or "qt"
    if kind not in ("qt", "qe"):
        raise BadParameter.t("errors.web.kind", value=kind[:20])
    defaults: dict[str, Any] = {
        "months": DEFAULTS["months"],
        "mbs_paydown": DEFAULTS["mbs_paydown"],
        "gdp_growth": DEFAULTS["gdp_growth"],
        "per_month": 120.0,
        "treasury_share": 2 / 3,
    }
    p: dict[str, Any] = {"kind": kind, "start": parse_date(q.get("start"), "start")}
    for name, (lo, hi) in SIMULATE_BOUNDS.items():
        if name == "months":
            p[name] = parse_int(q.get(name), name, lo=int(lo), hi=int(hi), default=defaults[name])
        else:
            p[name] = parse_float(q.get(name), name, lo=lo, hi=hi, default=defaults.get(name))
    if p["start"] is not None and p["start"] > dt.date.today():
        raise BadParameter.t("errors.web.start_future", day=p["start"])
    return p


SIMULATE_KEYS = (
    "kind",
    "start",
    "months",
    "treasury_cap",
    "mbs_cap",
    "mbs_paydown",
    "tga",
    "rrp",
    "gdp_growth",
    "per_month",
    "treasury_share",
)


def realrate_params(q: Mapping[str, str]) -> dict[str, Any]:
    alignment = q.get("alignment") or "mean"
    if alignment not in ("mean", "last"):
        raise BadParameter.t("errors.web.alignment", value=alignment[:20])
    return {
        "as_of": parse_date(q.get("as_of"), "as_of"),
        "rstar": parse_float(q.get("rstar"), "rstar", lo=-5, hi=10),
        "band": parse_float(q.get("band"), "band", lo=0, hi=5),
        "alignment": alignment,
    }


def checklist_as_of(q: Mapping[str, str]) -> dt.date | None:
    day = parse_date(q.get("as_of"), "as_of")
    if day is not None and day > dt.date.today():
        raise BadParameter.t("errors.web.as_of_future", day=day)
    return day


def lang_param(q: Mapping[str, str], default: str) -> str:
    from ..errors import UsageError
    from ..i18n import normalise_lang

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
"""Every endpoint accepts ``lang``: the language of its error ``message`` (the data is the same)."""


# -- endpoints -----------------------------------------------------------------------------------
Handler = Callable[[Dashboard, Request], Response]


def _index(d: Dashboard, request: Request) -> Response:
    check_params(request.query_params, ERROR_LANG)
    return json_response(
        {"endpoints": [f"/api/{name}" for name in ENDPOINTS], "docs": "docs/api.md"}
    )


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
    q = request.query_params
    check_params(q, ("lang", "as_of"))
    lang = lang_param(q, d.lang)
    as_of = checklist_as_of(q)

    def compute(tg: Tidegauge) -> bytes:
        from ..presentation.overview import build_overview

        return dumps(build_overview(tg, as_of=as_of, lang=lang).to_dict(lang))  # type: ignore[arg-type]

    return json_response(None, body=d.cached(("overview", lang, as_of), compute))


def _regimes(d: Dashboard, request: Request) -> Response:
    q = request.query_params
    check_params(q, ("start", "end", *ERROR_LANG))
    start, end = parse_date(q.get("start"), "start"), parse_date(q.get("end"), "end")
    if start and end and start > end:
        raise BadParameter.t("errors.dates.reversed", start=start, end=end)

    def compute(tg: Tidegauge) -> bytes:
        from ..analysis.regimes import fed_regimes

        return dumps(fed_regimes(tg, start, end).to_dict())

    return json_response(None, body=d.cached(("regimes", start, end), compute))


def _liquidity(d: Dashboard, request: Request) -> Response:
    check_params(request.query_params, ERROR_LANG)

    def compute(tg: Tidegauge) -> bytes:
        from ..analysis.liquidity import from_session

        return dumps(from_session(tg).to_dict())

    return json_response(None, body=d.cached(("liquidity",), compute))


def _compare(d: Dashboard, request: Request) -> Response:
    q = request.query_params
    check_params(q, ("a", "b", "start", "end", *ERROR_LANG))
    p = compare_params(q)

    def compute(tg: Tidegauge) -> bytes:
        res = compare_result(tg, p["a"], p["b"], p["start"], p["end"])
        out = res.to_dict()
        out.update(start=res.start, end=res.end, frequency=res.frequency, notes=list(res.notes))
        return dumps(out)

    return json_response(None, body=d.cached(("compare", *p.values()), compute))


def _realrate(d: Dashboard, request: Request) -> Response:
    q = request.query_params
    check_params(q, ("as_of", "rstar", "band", "alignment", *ERROR_LANG))
    p = realrate_params(q)

    def compute(tg: Tidegauge) -> bytes:
        snap, _ = realrate_result(tg, p)
        return dumps(snap.to_dict())

    return json_response(None, body=d.cached(("realrate", *p.values()), compute))


def _checklist(d: Dashboard, request: Request) -> Response:
    q = request.query_params
    check_params(q, ("as_of", *ERROR_LANG))
    as_of = checklist_as_of(q)

    def compute(tg: Tidegauge) -> bytes:
        from ..analysis.checklist import checklist

        return dumps(checklist(tg, as_of).to_dict())

    return json_response(None, body=d.cached(("checklist", as_of), compute))


def _simulate(d: Dashboard, request: Request) -> Response:
    q = request.query_params
    check_params(q, (*SIMULATE_KEYS, *ERROR_LANG))
    p = simulate_params(q)

    def compute(tg: Tidegauge) -> bytes:
        return dumps(simulate_result(tg, p).to_dict())

    return json_response(None, body=d.cached(("simulate", *p.values()), compute))


ENDPOINTS: dict[str, Handler] = {
    "overview": _overview,
    "regimes": _regimes,
    "liquidity": _liquidity,
    "compare": _compare,
    "realrate": _realrate,
    "checklist": _checklist,
    "simulate": _simulate,
    "series": _series_list,
}
"""``/api/<name>`` → handler (``/api/series/{series_id}`` is routed separately)."""


def api_routes(d: Dashboard) -> list[Route]:
    """The ``/api`` routes bound to dashboard ``d``."""

    def bind(handler: Handler) -> Callable[[Request], Response]:
        def endpoint(request: Request) -> Response:
            lang_param(request.query_params, "en")  # an unknown ``lang`` is a 400 everywhere
            return handler(d, request)

        return endpoint

    routes = [Route("/api", bind(_index), methods=["GET"])]
    routes += [Route(f"/api/{name}", bind(h), methods=["GET"]) for name, h in ENDPOINTS.items()]
    routes.append(Route("/api/series/{series_id:path}", bind(_series), methods=["GET"]))
    return routes
