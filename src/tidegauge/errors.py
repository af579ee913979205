"""Named error and warning classes.

Every error a user can cause derives from :class:`TidegaugeError`; the CLI prints its message on
one line and exits with :attr:`TidegaugeError.exit_code` instead of showing a traceback.
"""

from __future__ import annotations


class TidegaugeError(Exception):
    """Base class for errors with a message meant for the user."""

    exit_code: int = 1


class UsageError(TidegaugeError):
    """The user asked for something that cannot be done as asked (bad option, reversed dates)."""

    exit_code = 2


class SeriesNotFound(UsageError):
    """A series id is not in the catalog (the message names close matches)."""


class ConfigError(UsageError):
    """A setting (mirror directory, store path, rate) is unusable."""


class SourceError(TidegaugeError):
    """A source could not deliver a series (network, HTTP status, malformed payload)."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class NotInSource(SourceError):
    """The source does not have this series (e.g. no ``ID.csv`` in the mirror)."""


class ParseError(SourceError):
    """A payload is not valid FRED data (HTML error page, truncated body, malformed value)."""


class StoreError(TidegaugeError):
    """The embedded store cannot be opened or written."""


class NoDataError(TidegaugeError):
    """The store holds no data for what was asked (e.g. a window with no observations)."""


class StaleDataWarning(UserWarning):
    """A series' latest observation is older than expected for its frequency."""
