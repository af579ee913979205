"""Stamps of local files, so that a file that has not changed is neither read nor parsed again.

A stamp is ``"<key>/<digest>"``:

* the *key* comes from ``stat``: device, inode, size, modification and change times in
  nanoseconds. An equal key means the file was not rewritten since the stamp was taken: the
  source answers ``"unchanged"`` without opening it (the change time cannot be set by a user, and
  a file replaced by a rename has another inode);
* the *digest* is BLAKE2b (128 bits) of the content. When the key changed but the content did
  not (``touch``, a copy made again, an rsync that renamed a temporary file over it), the file
  is read but not parsed, and the new stamp is kept for the next time.

The store keeps the stamp of the payload it last applied (``series.source_stamp``, written in
the same transaction as the observations); another source's update or an ALFRED import clears
it, and a ``full`` update ignores it.

Examples
--------
>>> stamp = make_stamp("1:2:3:4:5", b"observation_date,DFF\\n")
>>> same_key(stamp, "1:2:3:4:5"), same_key(stamp, "1:2:3:4:6"), same_key(None, "1:2:3:4:5")
(True, False, False)
>>> same_content(stamp, make_stamp("9:9:9:9:9", b"observation_date,DFF\\n"))
True
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

__all__ = ["make_stamp", "same_content", "same_key", "stat_key"]


def stat_key(path: Path) -> str | None:
    """The ``stat`` part of a stamp of the regular file ``path`` (links followed), or ``None``
    when it is not a regular file or cannot be examined (the read that follows says why)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def make_stamp(key: str | None, body: bytes) -> str | None:
    """The stamp of a file whose ``stat`` gave ``key`` (taken *before* reading it, so a file
    rewritten meanwhile has another key next time) and whose content is ``body``."""
    if key is None:
        return None
    return f"{key}/{hashlib.blake2b(body, digest_size=16).hexdigest()}"


def same_key(stamp: str | None, key: str | None) -> bool:
    """Whether ``stamp`` was taken from a file whose ``stat`` still gives ``key``."""
    return stamp is not None and key is not None and stamp.partition("/")[0] == key


def same_content(old: str | None, new: str | None) -> bool:
    """Whether two stamps name the same content."""
    if old is None or new is None:
        return False
    a, b = old.partition("/")[2], new.partition("/")[2]
    return bool(a) and a == b
