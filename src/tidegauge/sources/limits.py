"""Bounds on everything a source reads: files, HTTP bodies, decompression and time.

* :func:`read_file` reads only a regular file (not a FIFO, which would block forever, nor a
  device such as ``/dev/zero``, which never ends), at most ``limit`` bytes, without blocking on
  open.
* :class:`BodyDecoder` turns the raw bytes of an HTTP body into its content (``gzip``,
  ``deflate`` or none), never producing more than the caller's remaining budget, so a small
  compressed body cannot expand into gigabytes.
* :func:`deadline` sets a time limit for a block of code (an update run); :func:`time_left` is
  what remains of the innermost one. HTTP reads use it, so a server that trickles bytes cannot
  hold an update past it.

Every limit that is reached raises :class:`~tidegauge.errors.SourceError` with a one-line
message naming the limit and its setting.
"""

from __future__ import annotations

import os
import stat
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from ..errors import SourceError, Term

__all__ = ["CHUNK", "BodyDecoder", "deadline", "read_file", "time_left"]

CHUNK = 64 * 1024
"""Bytes read from a file at a time."""

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("tidegauge_deadline", default=None)
"""``(monotonic end, seconds allowed)`` of the innermost :func:`deadline`."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Within the block, work must end ``seconds`` from now (an enclosing, earlier deadline
    stays in force). ``None`` sets no limit.

    Examples
    --------
    >>> with deadline(60):
    ...     0 < time_left() <= 60
    True
    >>> time_left() is None
    True
    """
    if seconds is None:
        yield
        return
    end = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set((end, seconds) if outer is None or end < outer[0] else outer)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left() -> float | None:
    """Seconds left before the innermost :func:`deadline` (negative once passed), or ``None``."""
    current = _DEADLINE.get()
    return None if current is None else current[0] - time.monotonic()


def deadline_seconds() -> float | None:
    """The seconds allowed by the innermost :func:`deadline` (for messages), or ``None``."""
    current = _DEADLINE.get()
    return None if current is None else current[1]


_KINDS = (
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISCHR, "char_device"),
    (stat.S_ISBLK, "block_device"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISDIR, "directory"),
)


def _kind(mode: int) -> Term:
    """What the file is, as a word of the error's language."""
    name = next((name for test, name in _KINDS if test(mode)), "other")
    return Term(f"errors.file_kinds.{name}")


def read_file(path: Path, limit: int, series_id: str) -> bytes:
    """The bytes of the regular file ``path`` (symbolic links followed), at most ``limit``.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist (the caller decides what a missing file means).
    SourceError
        ``path`` is not a regular file, is larger than ``limit``, cannot be read (permissions,
        a loop of symbolic links), or the time of the enclosing :func:`deadline` ran out.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise SourceError.t(
            "errors.source.cannot_read", series_id=series_id, path=path, reason=exc.strerror
        ) from None
    try:
        info = os.fstat(fd)
        mode, size = info.st_mode, info.st_size
        if not stat.S_ISREG(mode):
            raise SourceError.t(
                "errors.source.not_a_file", series_id=series_id, path=path, kind=_kind(mode)
            )
        if size > limit:
            raise _too_large_file(series_id, path, limit)
        chunks: list[bytes] = []
        total = 0
        while chunk := _read(fd, path, series_id):
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise _too_large_file(series_id, path, limit)
            chunks.append(chunk)
            left = time_left()
            if left is not None and left <= 0:
                raise SourceError.t(
                    "errors.update.deadline", seconds=deadline_seconds() or 0, host=path
                )
        return b"".join(chunks)
    finally:
        os.close(fd)


def _read(fd: int, path: Path, series_id: str) -> bytes:
    try:
        return os.read(fd, CHUNK)
    except OSError as exc:
        raise SourceError.t(
            "errors.source.cannot_read", series_id=series_id, path=path, reason=exc.strerror
        ) from None


def _too_large_file(series_id: str, path: Path, limit: int) -> SourceError:
    return SourceError.t(
        "errors.source.file_too_large", series_id=series_id, path=path, mb=limit / 1e6
    )


class BodyDecoder:
    """Decodes an HTTP body chunk by chunk within a byte budget.

    Parameters
    ----------
    encoding
        The ``Content-Encoding`` header (``gzip``, ``x-gzip``, ``deflate``, ``identity`` or
        none); any other is refused (tidegauge asks for ``gzip, deflate`` only).
    limit
        Most bytes of content produced in all.
    host
        For messages.

    Notes
    -----
    httpx's own decoders inflate a whole network chunk at once (a 64 KiB chunk of a gzip bomb
    is 64 MB); here :meth:`zlib.Decompress.decompress` gets ``max_length``, so the content never
    grows past the budget by more than one byte.
    """

    def __init__(self, encoding: str | None, limit: int, host: str) -> None:
        name = (encoding or "identity").strip().lower()
        self.limit, self.host, self.size = limit, host, 0
        self._head: bytes | None = b"" if name == "deflate" else None  # see _deflate
        self._z: zlib._Decompress | None
        if name in ("", "identity"):
            self._z = None
        elif name in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif name == "deflate":
            self._z = zlib.decompressobj()  # replaced once the first two bytes are known
        else:
            raise SourceError.t("errors.http.encoding", host=host, encoding=name[:40])

    def feed(self, raw: bytes) -> bytes:
        """The content in ``raw``; :class:`SourceError` when the budget is exceeded or the
        compressed data is corrupt."""
        if self._head is not None:
            raw = self._deflate(raw)
        budget = self.limit - self.size + 1
        if self._z is None:
            data = raw
        else:
            try:
                data = self._z.decompress(raw, budget)
            except zlib.error as exc:
                raise SourceError.t(
                    "errors.http.bad_encoding", host=self.host, reason=exc
                ) from None
        self.size += len(data)
        if self.size > self.limit:
            raise SourceError.t("errors.http.too_large", host=self.host, mb=self.limit / 1e6)
        return data

    def _deflate(self, raw: bytes) -> bytes:
        """``deflate`` is sometimes sent without its zlib header (httpx allows it too): the
        first two bytes decide, once they have arrived."""
        assert self._head is not None
        head = self._head + raw
        if len(head) < 2:
            self._head = head
            return b""
        self._head = None
        cmf, flg = head[0], head[1]
        if cmf & 0x0F != 8 or (cmf * 256 + flg) % 31:  # not a zlib header: raw deflate
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
        return head

    def finish(self) -> None:
        """Check that compressed content ended where the body did."""
        if self._head is not None or (self._z is not None and not self._z.eof):
            raise SourceError.t(
                "errors.http.bad_encoding", host=self.host, reason="compressed data ends early"
            )
