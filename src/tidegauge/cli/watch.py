"""``tidegauge watch`` and ``tidegauge alerts``: the watch loop, the rules' history, the log."""

from __future__ import annotations

import os
from typing import Any

import click

from ._common import common_options, console, json_option, print_json, session

RULES_HELP = (
    "Alert rules and channels (TOML; default: TIDEGAUGE_ALERTS, else the built-in rules on the "
    "terminal). See docs/alerts.example.toml."
)


def _rules_option(func: Any) -> Any:
    return click.option(
        "--rules", "rules", type=click.Path(dir_okay=False), default=None, help=RULES_HELP
    )(func)


def _config(rules: str | None) -> Any:
    from ..alerts.rules import load_config

    return load_config(rules or os.environ.get("TIDEGAUGE_ALERTS") or None)


def _setup_logging(log_file: str | None) -> None:
    import logging

    logger = logging.getLogger("tidegauge.watch")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    for h in list(logger.handlers):
        logger.removeHandler(h)
    handler: logging.Handler = logging.StreamHandler()
    handler.setFormatter(fmt)
    logger.addHandler(handler)
    if log_file:
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setFormatter(fmt)
        logger.addHandler(file_handler)


@click.command("watch")
@click.option("--once", is_flag=True, help="Run one round and exit (for cron or a systemd timer).")
@_rules_option
@click.option(
    "--log", "log_file", type=click.Path(dir_okay=False), default=None, help="Also log to FILE."
)
@common_options
def watch_cmd(
    once: bool, rules: str | None, log_file: str | None, mirror: str | None, store: str | None,
    lang: str,
) -> None:  # fmt: skip
    """Fetch each series when its release is due, check the alert rules, deliver alerts.

    Runs until stopped (Ctrl-C or SIGTERM); --once does one round. An alert fires once and is
    delivered to each channel once: the state lives in the store, so a restart sends nothing
    again. A failed source, store or channel is logged and retried on the next round.

    Exit code (--once): 0 when everything was fetched and delivered, 1 when something is left
    for the next round.
    """
    import signal
    import threading

    from ..alerts.watch import watch

    config = _config(rules)
    lang = config.lang or lang
    _setup_logging(log_file)
    stop = threading.Event()

    def handle(signum: int, frame: Any) -> None:
        stop.set()

    previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with session(mirror, store) as tg:
            report = watch(tg, config, stop=stop, lang=lang, echo=_echo, once=once)
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
    if once and not report.ok:
        raise SystemExit(1)


def _echo(line: str) -> None:
    click.echo(line)


@click.group("alerts")
def alerts_group() -> None:
    """Alert rules: replay them over history, list what fired."""


@alerts_group.command("replay")
@click.option("--start", required=True, metavar="DATE", help="First day (YYYY-MM-DD).")
@click.option("--end", required=True, metavar="DATE", help="Last day (YYYY-MM-DD).")
@_rules_option
@json_option
@common_options
def replay_cmd(
    start: str, end: str, rules: str | None, as_json: bool, mirror: str | None,
    store: str | None, lang: str,
) -> None:  # fmt: skip
    """What the rules would have fired between START and END, with point-in-time data.

    Each rule is checked at every release of its signal's data (the release calendar), with the
    observations published by then. JSON: [{"rule", "date", "value", "message", ...}].
    """
    from ..alerts.channels import alert_json, alert_text
    from ..alerts.engine import replay
    from ..errors import UsageError
    from ..i18n import t
    from ..indicators.params import parse_date_value

    d0 = parse_date_value(start, "--start", not_future=True)
    d1 = parse_date_value(end, "--end")
    if d0 > d1:
        raise UsageError.t("errors.alerts.replay_window", start=d0, end=d1)
    config = _config(rules)
    with session(mirror, store) as tg:
        fired = replay(tg, config.rules, d0, d1)
    if as_json:
        print_json([alert_json(a, lang) for a in fired])
        return
    from rich.table import Table

    table = Table(title=t("alerts.replay.title", lang, start=d0, end=d1, n=len(fired)))
    for key in ("date", "rule", "message"):
        table.add_column(t(f"alerts.replay.col_{key}", lang))
    for a in fired:
        table.add_row(a.date.isoformat(), a.rule, alert_text(a, lang))
    console().print(table)


@alerts_group.command("list")
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@json_option
@common_options
def list_cmd(limit: int, as_json: bool, mirror: str | None, store: str | None, lang: str) -> None:
    """The alerts the watch recorded, newest first, with each channel's delivery status."""
    from ..alerts.channels import alert_text
    from ..alerts.engine import Alert
    from ..i18n import t
    from ..store.alertstate import AlertState

    with session(mirror, store) as tg:
        events = AlertState(tg.store).events(limit)
    if as_json:
        print_json(events)
        return
    from rich.table import Table

    table = Table(title=t("alerts.list.title", lang, n=len(events)))
    for key in ("fired", "rule", "message", "channels"):
        table.add_column(t(f"alerts.list.col_{key}", lang))
    for e in events:
        alert = Alert.from_payload(e["payload"])
        status = ", ".join(f"{c}: {v['status']}" for c, v in e["channels"].items())
        fired_at = e["fired_at"][:16].replace("T", " ")
        table.add_row(fired_at, alert.rule, alert_text(alert, lang), status)
    console().print(table)
