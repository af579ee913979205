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
* Bounds: a body is streamed and abandoned as soon as it passes ``max_body`` bytes (after
  decompression, which is itself bounded: :class:`~tidegauge.sources.limits.BodyDecoder`); a
  request ends ``max_total`` seconds after it started, retries and slow reads included, or
  earlier when the enclosing update's deadline (:func:`~tidegauge.sources.limits.deadline`)
  comes first — each read waits at most until then, so trickled bytes cannot hold it open.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, NamedTuple

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
from tenacity.stop import stop_base

from ..errors import NotInSource, SourceError
from .limits import BodyDecoder, deadline_seconds, time_left

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


@dataclass(frozen=True)
class HttpResponse:
    """A response whose body was read within the client's limits."""

    status_code: int
    url: httpx.URL
    headers: httpx.Headers
    content: bytes


class _Deadline(NamedTuple):
    """When a request must end, and which limit that is (for the message)."""

    end: float
    key: str
    seconds: float

    def error(self, host: str) -> SourceError:
        return SourceError.t(self.key, seconds=self.seconds, host=host)

    def passed(self) -> bool:
        return time.monotonic() >= self.end


PACING_HEADROOM = 1.05
"""The pacing window is 5 % longer than the rate says: a slot is taken before the request is
sent, and scheduling or network delays between the two (a fetch runs in a worker thread while
the previous series is written) must not put ``rate + 1`` requests into one second at the
server."""


def _rate(rate: float) -> Rate:
    window = Duration.SECOND * PACING_HEADROOM
    if rate >= 1:
        return Rate(round(rate), round(window))
    return Rate(1, round(window / rate))


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


def _host(url: httpx.URL) -> str:
    return url.netloc.decode("ascii", "replace")


class _StopAt(stop_base):
    """Stop retrying once the request's deadline has passed."""

    def __init__(self, until: _Deadline) -> None:
        self.until = until

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.until.passed()


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
    max_body
        Most bytes of one response body, after decompression.

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
        max_body: int = 64_000_000,
        user_agent: str = "tidegauge (+https://pypi.org/project/tidegauge/)",
    ) -> None:
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            # only the encodings BodyDecoder inflates within its budget
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,  # see _send: same-origin redirects only
        )
        self.timeout = timeout
        self.max_body = max_body
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
            wait = min(exc.retry_after, self.max_retry_after)
        else:
            wait = float(self._backoff(state))
        # never sleep past the request's end (max_total from its start, or the update's deadline)
        left = state.start_time + self.max_total - time.monotonic()
        update_left = time_left()
        if update_left is not None:
            left = min(left, update_left)
        return max(0.0, min(wait, left))

    def _send(self, request: httpx.Request, until: _Deadline) -> HttpResponse:
        """Send ``request``, following same-origin redirects only, and read the body within
        the limits.

        A redirect to another origin raises :class:`SourceError` naming both hosts, before any
        request goes there: the query may carry the API key (and the other host's data is not
        FRED's).
        """
        origin = request.url
        for _ in range(MAX_REDIRECTS + 1):
            self._limiter.try_acquire("fred")
            self.counters.requests += 1
            # no single wait (connect, each read) may run past the request's end
            left = max(0.001, min(self.timeout, until.end - time.monotonic()))
            request.extensions["timeout"] = httpx.Timeout(left).as_dict()
            response = self._client.send(request, stream=True)
            try:
                if response.next_request is None:
                    body = self._read(response, until)
                    return HttpResponse(response.status_code, response.url, response.headers, body)
                target = response.next_request.url
            finally:
                response.close()
            if _origin(target) != _origin(origin):
                raise SourceError.t(
                    "errors.http.redirect_offsite", host=_host(origin), target=_host(target)
                )
            request = response.next_request
        raise SourceError.t(
            "errors.http.too_many_redirects", host=_host(origin), limit=MAX_REDIRECTS
        )

    def _read(self, response: httpx.Response, until: _Deadline) -> bytes:
        """The body, decoded; at most :attr:`max_body` bytes, and only until ``until``."""
        host = _host(response.url)
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_body:
            raise SourceError.t("errors.http.too_large", host=host, mb=self.max_body / 1e6)
        decoder = BodyDecoder(response.headers.get("Content-Encoding"), self.max_body, host)
        chunks: list[bytes] = []
        for raw in response.iter_raw():
            chunks.append(decoder.feed(raw))
            if until.passed():
                raise until.error(host)
        decoder.finish()
        return b"".join(chunks)

    def _attempt(self, url: str, params: dict[str, Any], until: _Deadline) -> HttpResponse:
        response = self._send(self._client.build_request("GET", url, params=params), until)
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

    def _deadline(self) -> _Deadline:
        """The earlier of this request's ``max_total`` and the enclosing update's deadline."""
        now = time.monotonic()
        own = _Deadline(now + self.max_total, "errors.http.deadline", self.max_total)
        left = time_left()
        if left is not None and now + left < own.end:
            return _Deadline(now + left, "errors.update.deadline", deadline_seconds() or 0)
        return own

    def get(self, url: str, params: dict[str, Any]) -> HttpResponse:
        """GET ``url`` with ``params``; raise :class:`SourceError` once retries are exhausted,
        the body is too large or badly encoded, or the request's time is up."""
        host = httpx.URL(url).netloc.decode("ascii", "replace")
        if host in self._unreachable:
            raise SourceError.t("errors.http.unreachable", retryable=True, host=host)
        until = self._deadline()
        if until.passed():
            raise until.error(host)
        retrying = Retrying(
            retry=retry_if_exception(_is_retryable),
            stop=stop_after_attempt(self.max_attempts)
            | stop_after_delay(self.max_total)
            | _StopAt(until),
            wait=self._wait,
            reraise=True,
        )
        try:
            response: HttpResponse = retrying(self._attempt, url, params, until)
        except RetryableStatus as exc:
            if until.passed():
                raise until.error(host) from None
            raise SourceError.t(
                "errors.http.attempts", status=exc.status, attempts=self.max_attempts
            ) from None
        except httpx.ConnectTimeout:
            if until.passed():
                raise until.error(host) from None
            self._unreachable.add(host)
            raise SourceError.t("errors.http.timed_out", retryable=True, url=redact(url)) from None
        except httpx.TimeoutException:
            if until.passed():
                raise until.error(host) from None
            raise SourceError.t("errors.http.timed_out", retryable=True, url=redact(url)) from None
        except httpx.TransportError as exc:
            if isinstance(exc, httpx.ConnectError):
                self._unreachable.add(host)
            raise SourceError.t(
                "errors.http.network",
                retryable=True,
                detail=redact(str(exc)) or type(exc).__name__,
            ) from None
        except httpx.HTTPError as exc:  # anything else httpx may raise: one line, no key
            raise SourceError.t(
                "errors.http.network", detail=redact(str(exc)) or type(exc).__name__
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
