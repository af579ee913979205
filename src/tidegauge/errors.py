"""Named error and warning classes.

Every error a user can cause derives from :class:`TidegaugeError`; the CLI prints its message on
one line and exits with :attr:`TidegaugeError.exit_code` instead of showing a traceback.

Errors are raised from the message catalog (``messages/errors.toml``) so that they
can be shown in every language::

    raise UsageError.t("errors.dates.reversed", start=start, end=end)

``str(exc)`` is the English text (logs, tests); ``exc.message("zh-TW")`` the translation.
"""

from __future__ import annotations

from typing import Any, Self


class TidegaugeError(Exception):
    """Base class for errors with a message meant for the user."""

    exit_code: int = 1

    def __init__(self, message: str = "", /) -> None:
        super().__init__(message)
        self.key: str | None = None
        self.params: dict[str, Any] = {}

    @classmethod
    def t(cls, key: str, /, **params: Any) -> Self:
        """The error whose message is catalog entry ``key`` formatted with ``params``.

        Parameter values may be other :class:`TidegaugeError` instances (a wrapped cause): they
        are shown in the same language. Never pass secrets (API keys) as parameters.
        """
        exc = cls(_render(key, "en", params))
        exc.key = key
        exc.params = params
        return exc

    def message(self, lang: str | None = "en") -> str:
        """The message in ``lang`` (English text for an error raised without a catalog key)."""
        if self.key is None or lang in (None, "", "en"):
            return str(self)
        return _render(self.key, lang, self.params)

    def __reduce__(self) -> Any:  # keep key/params (and subclass state) through pickling
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[TidegaugeError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class Term:
    """A word inside an error message that is translated too (e.g. a parameter's name):
    ``Term("errors.names.inflation")`` formats as its English text and is shown in the error's
    language by :meth:`TidegaugeError.message`. Cheap to create (the catalog is read on use)."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def text(self, lang: str = "en") -> str:
        from .i18n import t

        return t(self.key, lang)

    def __str__(self) -> str:
        return self.text()

    def __format__(self, spec: str) -> str:
        return format(self.text(), spec)

    def __repr__(self) -> str:
        return f"Term({self.key!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Term) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


def _shown(value: Any, lang: str) -> Any:
    if isinstance(value, TidegaugeError):
        return value.message(lang)
    if isinstance(value, Term):
        return value.text(lang)
    return value


def _render(key: str, lang: str, params: dict[str, Any]) -> str:
    from .i18n import t

    shown = {k: _shown(v, lang) for k, v in params.items()}
    return " ".join(t(key, lang, **shown).split())


class UsageError(TidegaugeError):
    """The user asked for something that cannot be done as asked (bad option, reversed dates)."""

    exit_code = 2


class SeriesNotFound(UsageError):
    """A series id is not in the catalog (the message names close matches)."""


class ConfigError(UsageError):
    """A setting (mirror directory, store path, rate) is unusable."""


class SourceError(TidegaugeError):
    """A source could not deliver a series (network, HTTP status, malformed payload)."""

    def __init__(self, message: str = "", /, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable

    @classmethod
    def t(cls, key: str, /, *, retryable: bool = False, **params: Any) -> Self:
        exc = super().t(key, **params)
        exc.retryable = retryable
        return exc


class NotInSource(SourceError):
    """The source does not have this series (e.g. no ``ID.csv`` in the mirror)."""


class ParseError(SourceError):
    """A payload is not valid FRED data (HTML error page, truncated body, malformed value)."""


class StoreError(TidegaugeError):
    """The embedded store cannot be opened or written."""


class LimitError(TidegaugeError):
    """A configured limit was reached (e.g. an answer of the dashboard too large to send)."""


class NoDataError(TidegaugeError):
    """The store holds no data for what was asked (e.g. a window with no observations)."""


class StaleDataWarning(UserWarning):
    """A series' latest observation is older than expected for its frequency."""
