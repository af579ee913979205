"""Mirror source: a directory of FRED-format CSV files, one ``ID.csv`` per series (offline)."""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..errors import ConfigError, NotInSource
from .base import BaseSource, KnownState, Observation, Query, RawPayload
from .csvparse import parse_fred_csv


class MirrorSource(BaseSource):
    """Reads ``<directory>/<ID>.csv``; ``start``/``end`` filter the parsed observations."""

    name = "mirror"

    def __init__(self, directory: Path) -> None:
        directory = Path(directory)
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
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            raise NotInSource.t(
                "errors.source.not_in_mirror", series_id=query.series_id, folder=self.directory
            ) from None
        except OSError as exc:
            raise NotInSource.t(
                "errors.source.cannot_read",
                series_id=query.series_id,
                path=path,
                reason=exc.strerror,
            ) from None
        return RawPayload(body=body, kind="csv", requests=0)

    def parse(self, query: Query, raw: RawPayload) -> list[Observation]:
        obs = parse_fred_csv(raw.body, query.series_id)
        if query.start is not None:
            obs = [o for o in obs if o.date >= query.start]
        if query.end is not None:
            obs = [o for o in obs if o.date <= query.end]
        return obs


def make_mirror_source(settings: Settings) -> MirrorSource:
    """The mirror folder of ``settings`` (:class:`ConfigError` when none is set)."""
    if settings.mirror is None:
        raise ConfigError.t("errors.config.mirror_needed")
    return MirrorSource(settings.mirror)
