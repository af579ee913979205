"""Watching the tide: signals, alert rules, what changed, delivery channels and the watch loop.

See ``docs/guide.md`` ("Watching and alerts") and ``docs/alerts.example.toml``. Modules:
:mod:`~tidegauge.alerts.signals`, :mod:`~tidegauge.alerts.rules`,
:mod:`~tidegauge.alerts.engine` (``step`` and ``replay``), :mod:`~tidegauge.alerts.changes`,
:mod:`~tidegauge.alerts.channels` and :mod:`~tidegauge.alerts.watch`.
"""
