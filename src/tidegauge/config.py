"""Settings: where the store lives, which source to use, how to pace requests.

Every setting has a default, an environment variable and (in the CLI) an option. The API key is
held in a :class:`Secret` whose ``repr``/``str`` never shows it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ._numbers import parse_decimal
from .errors import ConfigError

ENV_STORE = "TIDEGAUGE_STORE"
ENV_MIRROR = "TIDEGAUGE_MIRROR"
ENV_FRED_URL = "TIDEGAUGE_FRED_URL"
ENV_FRED_API_URL = "TIDEGAUGE_FRED_API_URL"
ENV_API_KEY = "FRED_API_KEY"
ENV_RATE = "TIDEGAUGE_RATE"
ENV_TIMEOUT = "TIDEGAUGE_TIMEOUT"
ENV_LANG = "TIDEGAUGE_LANG"
ENV_MAX_TOTAL = "TIDEGAUGE_MAX_TOTAL"
ENV_MAX_UPDATE = "TIDEGAUGE_MAX_UPDATE"
ENV_MAX_FILE_MB = "TIDEGAUGE_MAX_FILE_MB"
ENV_MAX_BODY_MB = "TIDEGAUGE_MAX_BODY_MB"
ENV_STORE_TIMEOUT = "TIDEGAUGE_STORE_TIMEOUT"

DEFAULT_FRED_URL = "https://fred.stlouisfed.org"
DEFAULT_FRED_API_URL = "https://api.stlouisfed.org/fred"


class Secret:
    """A string that is never printed: ``repr`` and ``str`` give ``'***'``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


def default_store_path() -> Path:
    """``$XDG_DATA_HOME/tidegauge/tidegauge.db`` on Linux (platformdirs elsewhere)."""
    from platformdirs import user_data_path

    return user_data_path("tidegauge", appauthor=False) / "tidegauge.db"


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = parse_decimal(raw.strip())
    if value is None or not math.isfinite(value):
        raise ConfigError.t("errors.config.not_a_number", name=name, raw=raw)
    if value <= 0:
        raise ConfigError.t("errors.config.not_positive", name=name, raw=raw)
    return value


@dataclass(frozen=True)
class Settings:
    """Resolved settings.

    Parameters
    ----------
    store_path
        SQLite database file. Default: the user data directory.
    mirror
        Directory of FRED-format CSV files (``ID.csv``). When set, no network is used.
    fred_url
        Base URL of the FRED website (``/graph/fredgraph.csv`` is appended).
    fred_api_url
        Base URL of the FRED API (``/series/observations`` is appended).
    api_key
        FRED API key; when set the API is used instead of the CSV download.
    rate
        Maximum requests per second to FRED (default 2).
    timeout
        Seconds before one HTTP request is abandoned and retried (default 30).
    max_attempts
        Attempts per request, the first included (default 6).
    max_total
        Upper bound in seconds on the time spent on one request including retries (default 180).
    backoff_base, backoff_max
        Exponential backoff between retries: a random wait up to ``backoff_base * 2**n`` seconds
        (full jitter), capped at ``backoff_max`` (defaults 0.5 and 30). A server's
        ``Retry-After`` replaces it.
    max_update
        Seconds one update run may take (default 1800). Enforced inside a request too: a body
        that trickles in is abandoned when the time is up, and the series not reached are
        reported failed.
    max_file_mb
        Largest mirror or datahub file read, in MB (default 32; FRED's largest daily series is
        under 1 MB). Only regular files are read (not a FIFO or a device).
    max_body_mb
        Largest HTTP response body, in MB after decompression (default 64; an ALFRED page of
        100,000 rows is about 10 MB). A larger body is abandoned as soon as it passes the limit.
    store_timeout
        Seconds a write waits for another writer's lock on the store (default 60). Readers never
        wait.

    Notes
    -----
    ``max_total`` is enforced within a request as well: each read of a response waits at most
    until the request's deadline, so a server that sends one byte at a time cannot hold an
    update past it.
    """

    store_path: Path = field(default_factory=default_store_path)
    mirror: Path | None = None
    fred_url: str = DEFAULT_FRED_URL
    fred_api_url: str = DEFAULT_FRED_API_URL
    api_key: Secret | None = None
    rate: float = 2.0
    timeout: float = 30.0
    max_attempts: int = 6
    max_total: float = 180.0
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_update: float = 1800.0
    max_file_mb: float = 32.0
    max_body_mb: float = 64.0
    store_timeout: float = 60.0

    @property
    def max_file_bytes(self) -> int:
        """:attr:`max_file_mb` in bytes."""
        return int(self.max_file_mb * 1_000_000)

    @property
    def max_body_bytes(self) -> int:
        """:attr:`max_body_mb` in bytes."""
        return int(self.max_body_mb * 1_000_000)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from the environment, then ``overrides`` (``None`` values are ignored)."""
        env = os.environ
        store = env.get(ENV_STORE)
        mirror = env.get(ENV_MIRROR)
        key = env.get(ENV_API_KEY)
        settings = cls(
            store_path=Path(store).expanduser() if store else default_store_path(),
            mirror=Path(mirror).expanduser() if mirror else None,
            fred_url=env.get(ENV_FRED_URL) or DEFAULT_FRED_URL,
            fred_api_url=env.get(ENV_FRED_API_URL) or DEFAULT_FRED_API_URL,
            api_key=Secret(key) if key else None,
            rate=_float_env(ENV_RATE, 2.0),
            timeout=_float_env(ENV_TIMEOUT, 30.0),
            max_total=_float_env(ENV_MAX_TOTAL, 180.0),
            max_update=_float_env(ENV_MAX_UPDATE, 1800.0),
            max_file_mb=_float_env(ENV_MAX_FILE_MB, 32.0),
            max_body_mb=_float_env(ENV_MAX_BODY_MB, 64.0),
            store_timeout=_float_env(ENV_STORE_TIMEOUT, 60.0),
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        if "store_path" in clean:
            clean["store_path"] = Path(str(clean["store_path"])).expanduser()
        if "mirror" in clean:
            clean["mirror"] = Path(str(clean["mirror"])).expanduser()
        if "api_key" in clean and isinstance(clean["api_key"], str):
            clean["api_key"] = Secret(clean["api_key"])
        return replace(settings, **clean)  # type: ignore[arg-type]
