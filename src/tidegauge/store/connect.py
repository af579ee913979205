"""Opening the store's SQLite connections, and SQLite failures as one-line :class:`StoreError`.

Readers and the writer use separate connections:

* the **reader** is opened with ``mode=ro`` and never issues a write statement, so it never
  waits for a writer (WAL) and works on a file the user may only read;
* the **writer** is opened when something is written (and to create or upgrade a store); its
  ``BEGIN IMMEDIATE`` takes SQLite's write lock, which serialises writers across processes.

A condition of the file or the disk (full, damaged, read-only, locked) becomes a
:class:`StoreError` that names the file and says what to do; a programming error stays what it is.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote

from ..errors import StoreError

__all__ = ["MEMORY", "open_reader", "open_writer", "store_error"]

MEMORY = ":memory:"
FULL_BELOW = 64 * 1024
"""Free bytes under which a write or open failure is reported as a full disk."""

_KEYS = {
    sqlite3.SQLITE_FULL: "errors.store.disk_full",
    sqlite3.SQLITE_CORRUPT: "errors.store.corrupt",
    sqlite3.SQLITE_NOTADB: "errors.store.cannot_open",
    sqlite3.SQLITE_READONLY: "errors.store.read_only",
    sqlite3.SQLITE_BUSY: "errors.store.busy",
    sqlite3.SQLITE_LOCKED: "errors.store.busy",
    sqlite3.SQLITE_CANTOPEN: "errors.store.cannot_open",
    sqlite3.SQLITE_IOERR: "errors.store.io",
    sqlite3.SQLITE_PERM: "errors.store.read_only",
}
"""Primary SQLite result code → message of a condition of the file or the disk."""


def store_error(exc: sqlite3.Error, path: Path | str) -> StoreError | None:
    """The :class:`StoreError` for a condition of the store file, or ``None`` when ``exc`` is
    something else (a programming error, a constraint) that should propagate as it is.

    Examples
    --------
    >>> exc = sqlite3.OperationalError("database or disk is full")
    >>> exc.sqlite_errorcode = sqlite3.SQLITE_FULL
    >>> print(store_error(exc, "/data/tg.db"))  # doctest: +ELLIPSIS
    the disk holding the store '/data/tg.db' is full...
    """
    code = getattr(exc, "sqlite_errorcode", None)
    key = _KEYS.get(code & 0xFF) if isinstance(code, int) else None
    if key is None:
        if not isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) or isinstance(
            exc, sqlite3.IntegrityError | sqlite3.ProgrammingError
        ):
            return None
        key = "errors.store.io"
    if key in ("errors.store.io", "errors.store.cannot_open") and _disk_full(path):
        key = (
            "errors.store.disk_full"  # SQLite says "disk I/O error" when the WAL index cannot grow
        )
    return StoreError.t(key, path=str(path), reason=str(exc))


def _disk_full(path: Path | str) -> bool:
    """Whether the file system holding ``path`` has (almost) no space left."""
    if str(path) == MEMORY:
        return False
    try:
        return shutil.disk_usage(Path(path).parent).free < FULL_BELOW
    except OSError:
        return False


def _raise(exc: sqlite3.Error, path: Path | str) -> None:
    err = store_error(exc, path)
    if err is None:
        raise exc
    raise err from None


def _uri(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(path.resolve()))}?{query}"


def open_reader(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``) to an existing store file.

    If SQLite cannot open the WAL index beside a read-only file in a read-only folder, the file
    is opened ``immutable`` (nobody can write it there either).
    """
    for params in ({"mode": "ro"}, {"mode": "ro", "immutable": "1"}):
        try:
            conn = sqlite3.connect(
                _uri(path, **params),
                uri=True,
                timeout=timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            conn.execute("PRAGMA application_id").fetchone()  # reads the header now
            return conn
        except sqlite3.Error as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            if code != sqlite3.SQLITE_CANTOPEN or "immutable" in params:
                _raise(exc, path)
    raise AssertionError("unreachable")  # pragma: no cover


def open_writer(path: Path | str, timeout: float) -> sqlite3.Connection:
    """A read-write connection (creates the file); WAL is switched on by the caller once the
    file is known to be a tidegauge store."""
    try:
        conn = sqlite3.connect(
            str(path), timeout=timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        return conn
    except sqlite3.Error as exc:
        _raise(exc, path)
    raise AssertionError("unreachable")  # pragma: no cover
