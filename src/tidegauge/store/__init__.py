"""The embedded store (SQLite, WAL mode) with vintages."""

from .model import ApplyStats, StoredSeries, VintageStats, as_of_key, utc_now
from .sqlite import Store

__all__ = ["ApplyStats", "Store", "StoredSeries", "VintageStats", "as_of_key", "utc_now"]
