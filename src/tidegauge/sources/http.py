"""A paced, retrying HTTP client for FRED.

* Pacing: at most ``rate`` requests per second (pyrate-limiter), shared by every request of the
  client, retries included.
* Retries (tenacity): 429, 500, 502, 503, 504, timeouts, reset or refused connections and
  truncated bodies, with exponential backoff and full jitter; a ``Retry-After`` header (seconds or
  an HTTP date) is honoured. Attempts and the total time are bounded.
* Secrets: the API key goes into the query parameters, never into a URL string we build, and
  :func:`redact` removes it from every message and log record.
* Redirects: followed only to the same origin (scheme, host and port) and at most
  :data:`MAX_REDIRECTS` times. A redirect to another host is refused before anything is sent
  there, so a request that carries the API key never reaches another host, and nothing such a
  host would serve is stored.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

import httpx
from pyrate_limiter import Duration, Limiter, Rate
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from ..errors import NotInSource, SourceError

log = logging.getLogger("tidegauge.http")

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_REDIRECTS = 5
"""Same-origin redirects followed per request before giving up."""
_SECRET_RE = re.compile(r"(api_key=)[^&\s'\"]+", re.IGNORECASE)


def redact(text: str) -> str:
    """Replace any ``api_key=...`` value in ``text`` with ``***``."""
    return _SECRET_RE.sub(r"\1***", text)


def _redact_arg(arg: object) -> object:
    # only arguments that carry a secret become (redacted) strings: others keep their type, so
    # that "%d" in httpx's "HTTP Request: %s %s \"%s %d %s\"" still formats
    text = str(arg)
    clean = redact(text)
    return arg if clean == text else clean


class _RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redact_arg(v) for k, v in record.args.items()}
        return True


# Logger filters do not apply to records propagated from child loggers, so the children that
# httpcore logs to are listed too.
for _name in (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "tidegauge",
    "tidegauge.http",
):
    logging.getLogger(_name).addFilter(_RedactFilter())


class RetryableStatus(SourceError):
    """An HTTP status worth retrying; carries the server's ``Retry-After`` in seconds."""

    def __init__(self, message: str = "", /, retry_after: float | None = None) -> None:
        super().__init__(message, retryable=True)
        self.retry_after = retry_after
        self.status: int | None = None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class Counters:
    requests: int = 0
    bytes: int = 0


def _rate(rate: float) -> Rate:
    if rate >= 1:
        return Rate(round(rate), Duration.SECOND)
    return Rate(1, round(1000 / rate))


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


def _host(url: httpx.URL) -> str:
    return url.netloc.decode("ascii", "replace")


def _is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, RetryableStatus):
        return True
    return isinstance(exc, httpx.TransportError)  # timeouts, resets, truncated bodies


class HttpClient:
    """GET with pacing and retries.

    Parameters
    ----------
    rate
        Requests per second at most.
    timeout
        Seconds for connect/read of one attempt.
    max_attempts
        Attempts per request, the first included.
    max_total
        Seconds after which no new attempt starts.
    max_retry_after
        Cap on a server's ``Retry-After`` (a larger value ends the retries).

    Notes
    -----
    A host that could not be connected to at all (refused, unresolvable, connect timeout) after
    the whole retry budget is marked unreachable for the life of the client: later requests to
    it fail at once instead of spending the retry budget again for every series (without a
    network, an update of the whole catalog would otherwise take many minutes).
    """

    def __init__(
        self,
        *,
        rate: float = 2.0,
        timeout: float = 30.0,
        max_attempts: int = 6,
        max_total: float = 180.0,
        max_retry_after: float = 120.0,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        user_agent: str = "tidegauge (+https://pypi.org/project/tidegauge/)",
    ) -> None:
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": user_agent},
            follow_redirects=False,  # see _send: same-origin redirects only
        )
        self._limiter = Limiter(_rate(rate))
        self.max_attempts = max_attempts
        self.max_total = max_total
        self.max_retry_after = max_retry_after
        self._backoff = wait_random_exponential(multiplier=backoff_base, max=backoff_max)
        self.counters = Counters()
        self._unreachable: set[str] = set()

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryableStatus) and exc.retry_after is not None:
            return min(exc.retry_after, self.max_retry_after)
        return float(self._backoff(state))

    def _send(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, following same-origin redirects only.

        A redirect to another origin raises :class:`SourceError` naming both hosts, before any
        request goes there: the query may carry the API key (and the other host's data is not
        FRED's).
        """
        origin = request.url
        for _ in range(MAX_REDIRECTS + 1):
            self._limiter.try_acquire("fred")
            self.counters.requests += 1
            response = self._client.send(request)
            if response.next_request is None:
                return response
            target = response.next_request.url
            response.close()
            if _origin(target) != _origin(origin):
                raise SourceError.t(
                    "errors.http.redirect_offsite", host=_host(origin), target=_host(target)
                )
            request = response.next_request
        raise SourceError.t(
            "errors.http.too_many_redirects", host=_host(origin), limit=MAX_REDIRECTS
        )

    def _attempt(self, url: str, params: dict[str, Any]) -> httpx.Response:
        response = self._send(self._client.build_request("GET", url, params=params))
        self.counters.bytes += len(response.content)
        log.debug(
            "GET %s: HTTP %d, %d bytes",
            redact(str(response.url)),
            response.status_code,
            len(response.content),
        )
        if response.status_code in RETRY_STATUS:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self.max_retry_after:
                raise SourceError.t(
                    "errors.http.retry_after_too_long",
                    seconds=retry_after,
                    status=response.status_code,
                )
            exc = RetryableStatus.t(
                "errors.http.status", retryable=True, status=response.status_code
            )
            exc.retry_after, exc.status = retry_after, response.status_code
            raise exc
        return response

    def get(self, url: str, params: dict[str, Any]) -> httpx.Response:
        """GET ``url`` with ``params``; raise :class:`SourceError` once retries are exhausted."""
        host = httpx.URL(url).netloc.decode("ascii", "replace")
        if host in self._unreachable:
            raise SourceError.t("errors.http.unreachable", retryable=True, host=host)
        retrying = Retrying(
            retry=retry_if_exception(_is_retryable),
            stop=stop_after_attempt(self.max_attempts) | stop_after_delay(self.max_total),
            wait=self._wait,
            reraise=True,
        )
        try:
            response: httpx.Response = retrying(self._attempt, url, params)
        except RetryableStatus as exc:
            raise SourceError.t(
                "errors.http.attempts", status=exc.status, attempts=self.max_attempts
            ) from None
        except httpx.ConnectTimeout:
            self._unreachable.add(host)
            raise SourceError.t("errors.http.timed_out", retryable=True, url=redact(url)) from None
        except httpx.TimeoutException:
            raise SourceError.t("errors.http.timed_out", retryable=True, url=redact(url)) from None
        except httpx.TransportError as exc:
            if isinstance(exc, httpx.ConnectError):
                self._unreachable.add(host)
            raise SourceError.t(
                "errors.http.network",
                retryable=True,
                detail=redact(str(exc)) or type(exc).__name__,
            ) from None
        if response.status_code == 404:
            raise NotInSource.t("errors.http.not_found", url=redact(str(response.url)))
        if response.status_code >= 400:
            raise SourceError.t(
                "errors.http.failed", status=response.status_code, url=redact(str(response.url))
            )
        return response

    def close(self) -> None:
        self._client.close()
