"""The embedded store (SQLite, WAL mode) with vintages."""

from .sqlite import ApplyStats, Store, StoredSeries, as_of_key, utc_now

__all__ = ["ApplyStats", "Store", "StoredSeries", "as_of_key", "utc_now"]
