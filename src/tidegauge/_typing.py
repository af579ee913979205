"""Shared type aliases."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

DateLike = _dt.date | str
"""A date or an ISO ``YYYY-MM-DD`` string."""

Frequency = Literal["D", "W", "M", "Q", "A"]
"""Observation frequency: daily, weekly, monthly, quarterly, annual."""

Lang = Literal["en", "zh-TW", "zh-CN"]
"""User-facing language."""

LANGS: tuple[Lang, ...] = ("en", "zh-TW", "zh-CN")
