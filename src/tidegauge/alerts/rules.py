"""Alert rules and delivery channels, read from a TOML file (see ``docs/alerts.example.toml``).

A rule watches one signal (:mod:`tidegauge.alerts.signals`)::

    [[rule]]
    id = "reserves-below-8"          # unique; names the alert everywhere
    signal = "reserves_pct_gdp"
    when = "below"                   # changes | below | above | released
    value = 8
    days = 1                         # below/above: observations in a row (default 1)
    channels = ["log", "atom"]       # default: every configured channel

``changes``
    fires when the signal's state differs from the last one seen (regime, gauge, verdict);
``below`` / ``above``
    fires when the last ``days`` values are all below / above ``value`` — once, when the
    condition starts to hold (also at the first check), and again only after it has stopped;
``released``
    fires for each new observation of a series (``signal = "WALCL"``).

Channels are tables ``[channels.NAME]`` whose ``type`` (default: ``NAME``) is ``log``,
``jsonl``, ``atom``, ``webhook`` or ``email`` (:mod:`tidegauge.alerts.channels`). Relative
paths are relative to the rules file. Without a file the :data:`DEFAULT_RULES` go to the
terminal only.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import ConfigError
from .signals import get_signal

__all__ = ["CHANNEL_TYPES", "DEFAULT_RULES", "AlertConfig", "Rule", "load_config", "parse_config"]

When = Literal["changes", "below", "above", "released"]
WHEN: tuple[str, ...] = ("changes", "below", "above", "released")
CHANNEL_TYPES: tuple[str, ...] = ("log", "jsonl", "atom", "webhook", "email")
_RULE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_RULE_KEYS = {"id", "signal", "when", "value", "days", "channels"}
_TOP_KEYS = {"rule", "channels", "watch"}
_WATCH_KEYS = {"interval_minutes", "lang", "ids"}


@dataclass(frozen=True)
class Rule:
    """One alert rule (see the module docstring)."""

    id: str
    signal: str
    when: When
    value: float | None = None
    days: int = 1
    channels: tuple[str, ...] | None = None

    @property
    def signature(self) -> str:
        """A digest of the definition: a changed rule starts again from a fresh baseline."""
        doc = json.dumps(asdict(self), sort_keys=True, default=list)
        return hashlib.sha256(doc.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("regime-change", "regime", "changes"),
    Rule("verdict-change", "checklist_verdict", "changes"),
    Rule("reserves-gauge", "reserves_gauge", "changes"),
    Rule("reserves-below-8", "reserves_pct_gdp", "below", 8.0),
    Rule("funding-stress", "sofr_iorb_bp", "above", 10.0, days=3),
)
"""The rules used without a rules file: regime and verdict changes, the reserves gauge, reserves
below 8% of GDP (between the calm of January 2019, about 8%, and the stress of September 2019,
about 6.5%), SOFR − IORB above 10 bp on 3 days in a row."""


@dataclass(frozen=True)
class AlertConfig:
    """Rules, channels (``{name: settings}`` with a ``type``) and watch settings."""

    rules: tuple[Rule, ...] = DEFAULT_RULES
    channels: dict[str, dict[str, Any]] = field(default_factory=lambda: {"log": {"type": "log"}})
    interval_minutes: float = 30.0
    lang: str | None = None
    ids: tuple[str, ...] = ()
    path: Path | None = None

    def channels_for(self, rule: Rule) -> tuple[str, ...]:
        return tuple(self.channels) if rule.channels is None else rule.channels

    def inputs(self) -> tuple[str, ...]:
        """Every series the rules read."""
        out: list[str] = []
        for r in self.rules:
            sig = get_signal(r.signal)
            out += sig.inputs if sig else ()
        return tuple(dict.fromkeys(out))


def _fail(where: str, problem: str, path: Path | None) -> ConfigError:
    return ConfigError.t(
        "errors.alerts.bad_config", path=str(path or "-"), where=where, problem=problem
    )


def _rule(i: int, raw: Any, path: Path | None, channels: dict[str, Any]) -> Rule:
    where = f"rule {i + 1}"
    if not isinstance(raw, dict):
        raise _fail(where, "must be a table", path)
    if unknown := sorted(set(raw) - _RULE_KEYS):
        raise _fail(where, f"unknown key(s) {', '.join(unknown)}", path)
    rid = raw.get("id")
    if not isinstance(rid, str) or not _RULE_ID.fullmatch(rid):
        raise _fail(where, "id must be lower-case letters, digits, '-' or '_'", path)
    where = f"rule {rid!r}"
    signal, when = raw.get("signal"), raw.get("when")
    sig = get_signal(signal) if isinstance(signal, str) else None
    if sig is None:
        raise _fail(where, f"unknown signal {signal!r}", path)
    if when not in WHEN:
        raise _fail(where, f"when must be one of {', '.join(WHEN)}", path)
    value = raw.get("value")
    if when in ("below", "above"):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _fail(where, f"when = {when!r} needs a number value", path)
        if sig.state_key is not None:
            raise _fail(where, f"signal {signal!r} is a state: use when = 'changes'", path)
    elif value is not None:
        raise _fail(where, f"when = {when!r} takes no value", path)
    if when == "changes" and sig.state_key is None:
        raise _fail(where, f"signal {signal!r} is a number: use below or above", path)
    if when == "released" and sig.id not in sig.inputs:
        raise _fail(where, "when = 'released' needs a series id as signal", path)
    days = raw.get("days", 1)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 10:
        raise _fail(where, "days must be a whole number from 1 to 10", path)
    chans = raw.get("channels")
    if chans is not None:
        if not isinstance(chans, list) or not all(isinstance(c, str) for c in chans):
            raise _fail(where, "channels must be a list of channel names", path)
        if missing := [c for c in chans if c not in channels]:
            raise _fail(where, f"no channel named {', '.join(missing)}", path)
        chans = tuple(chans)
    return Rule(rid, sig.id, when, None if value is None else float(value), days, chans)


def _channel(name: str, raw: Any, path: Path | None) -> dict[str, Any]:
    where = f"channels.{name}"
    if not isinstance(raw, dict):
        raise _fail(where, "must be a table", path)
    kind = raw.get("type", name)
    if kind not in CHANNEL_TYPES:
        raise _fail(where, f"type must be one of {', '.join(CHANNEL_TYPES)}", path)
    out = {**raw, "type": kind}
    base = path.parent if path is not None else Path.cwd()
    for key in ("path",):
        if key in out:
            if not isinstance(out[key], str) or not out[key]:
                raise _fail(where, f"{key} must be a file path", path)
            out[key] = str((base / Path(out[key]).expanduser()).resolve())
    required = {"jsonl": ("path",), "atom": ("path",), "webhook": ("url",), "email": ("host", "to")}
    if missing := [k for k in required.get(kind, ()) if k not in out]:
        raise _fail(where, f"missing {', '.join(missing)}", path)
    if kind == "webhook" and not str(out["url"]).startswith(("http://", "https://")):
        raise _fail(where, "url must start with http:// or https://", path)
    if kind == "email":
        to = out["to"]
        out["to"] = [to] if isinstance(to, str) else to
        if not out["to"] or not all(isinstance(a, str) and "@" in a for a in out["to"]):
            raise _fail(where, "to must be one or more e-mail addresses", path)
        if "password" in out:
            raise _fail(where, "put the password in an environment variable (password_env)", path)
    return out


def parse_config(text: str, path: Path | None = None) -> AlertConfig:
    """An :class:`AlertConfig` from the text of a rules file (:class:`ConfigError`, one line
    naming the file, the rule or channel and the problem, when it is wrong)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail("TOML", str(exc), path) from None
    if unknown := sorted(set(doc) - _TOP_KEYS):
        raise _fail("top level", f"unknown key(s) {', '.join(unknown)}", path)
    raw_channels = doc.get("channels", {"log": {}})
    if not isinstance(raw_channels, dict):
        raise _fail("channels", "must be a table of channels", path)
    channels = {name: _channel(name, raw, path) for name, raw in raw_channels.items()}
    raw_rules = doc.get("rule")
    if raw_rules is None:
        rules = DEFAULT_RULES
    elif not isinstance(raw_rules, list):
        raise _fail("rule", "use [[rule]] tables", path)
    else:
        rules = tuple(_rule(i, r, path, channels) for i, r in enumerate(raw_rules))
    ids = [r.id for r in rules]
    if dupes := sorted({i for i in ids if ids.count(i) > 1}):
        raise _fail("rule", f"duplicate id(s) {', '.join(dupes)}", path)
    watch = doc.get("watch", {})
    if not isinstance(watch, dict) or (unknown := sorted(set(watch) - _WATCH_KEYS)):
        raise _fail("watch", f"known keys: {', '.join(sorted(_WATCH_KEYS))}", path)
    interval = watch.get("interval_minutes", 30)
    if not isinstance(interval, int | float) or isinstance(interval, bool) or interval <= 0:
        raise _fail("watch", "interval_minutes must be a positive number", path)
    ids_raw = watch.get("ids", [])
    if not isinstance(ids_raw, list) or not all(isinstance(i, str) for i in ids_raw):
        raise _fail("watch", "ids must be a list of series ids", path)
    lang = watch.get("lang")
    if lang is not None:
        from ..lang import normalise_lang

        lang = normalise_lang(str(lang))
    return AlertConfig(rules, channels, float(interval), lang, tuple(ids_raw), path)


def load_config(path: str | Path | None) -> AlertConfig:
    """The rules file at ``path`` (``None``: the default rules, terminal only)."""
    if path is None:
        return AlertConfig()
    p = Path(path).expanduser()
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError.t(
            "errors.alerts.cannot_read", path=str(p), reason=exc.strerror or str(exc)
        ) from None
    return parse_config(text, p.resolve())
