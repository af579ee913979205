"""Mirror source: a directory of FRED-format CSV files, one ``ID.csv`` per series (offline).

Only regular files are read, at most ``max_bytes`` each (:func:`.limits.read_file`): a FIFO, a
device or a file larger than the limit fails its series at once. A file that does not
exist is "not in the mirror" (skipped in a whole-catalog update); a file that exists but cannot
be read (permissions, a loop or a dangling symbolic link) is a failure.

A file whose stamp (:mod:`.filestamp`) is the one the store kept from the last successful fetch
is answered ``"unchanged"`` without being read; one whose content is the same under another
``stat`` is read but not parsed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..config import Settings
from ..errors import ConfigError, NotInSource, SourceError
from .base import BaseSource, KnownState, Observation, Query, RawPayload
from .csvparse import parse_fred_columns
from .filestamp import make_stamp, same_content, same_key, stat_key
from .limits import read_file


class MirrorSource(BaseSource):
    """Reads ``<directory>/<ID>.csv``; ``start``/``end`` filter the parsed observations.

    Parameters
    ----------
    directory
        The mirror folder.
    max_bytes
        Largest file read (``Settings.max_file_bytes``).
    """

    name = "mirror"

    def __init__(self, directory: Path, max_bytes: int = 32_000_000) -> None:
        directory = Path(directory)
        self.max_bytes = max_bytes
        if not directory.is_dir():
            raise ConfigError.t("errors.config.mirror_missing", path=str(directory))
        self.directory = directory
        self.description = f"mirror {directory}"

    def path_for(self, series_id: str) -> Path:
        return self.directory / f"{series_id}.csv"

    def has(self, series_id: str) -> bool:
        return self.path_for(series_id).is_file()

    def fetch(self, query: Query, known: KnownState | None = None) -> RawPayload:
        path = self.path_for(query.series_id)
        known_stamp = known.stamp if known is not None else None
        key = stat_key(path)
        if same_key(known_stamp, key):
            return RawPayload(b"", "unchanged", requests=0, stamp=known_stamp)
        try:
            body = read_file(path, self.max_bytes, query.series_id)
        except FileNotFoundError as exc:
            if os.path.lexists(path):  # a symbolic link to nothing: broken, not absent
                raise SourceError.t(
                    "errors.source.cannot_read",
                    series_id=query.series_id,
                    path=path,
                    reason=exc.strerror,
                ) from None
            raise NotInSource.t(
                "errors.source.not_in_mirror", series_id=query.series_id, folder=self.directory
            ) from None
        stamp = make_stamp(key, body)
        if same_content(known_stamp, stamp):
            return RawPayload(b"", "unchanged", requests=0, stamp=stamp)
        return RawPayload(body=body, kind="csv", requests=0, stamp=stamp)

    def parse(self, query: Query, raw: RawPayload) -> Sequence[Observation]:
        return parse_fred_columns(raw.body, query.series_id).window(query.start, query.end)


def make_mirror_source(settings: Settings) -> MirrorSource:
    """The mirror folder of ``settings`` (:class:`ConfigError` when none is set)."""
    if settings.mirror is None:
        raise ConfigError.t("errors.config.mirror_needed")
    return MirrorSource(settings.mirror, settings.max_file_bytes)
