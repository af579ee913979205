"""Delivery channels: the terminal and a log, JSON lines, an Atom feed, a webhook, e-mail.

Each channel is built from its table in the rules file (:func:`make_channel`) and has one
method, ``send(alert, key, lang)``, that returns when the channel has accepted the alert and
raises :class:`DeliveryError` (one line, translated) otherwise. None of them can hang: files are
local, the webhook and SMTP clients have timeouts and a bounded number of attempts. The watch
keeps an unsent alert pending in the store and tries again on its next round.

Every alert carries its unique key: the JSON line's ``key``, the feed entry's ``<id>``, the
webhook's ``Idempotency-Key`` header and the e-mail's ``Message-ID``, so that a receiver can
drop a repeat (delivery is at least once; see :mod:`tidegauge.store.alertstate`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import smtplib
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any

from ..errors import TidegaugeError
from .engine import Alert

__all__ = ["Channel", "DeliveryError", "alert_json", "alert_text", "make_channel"]

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 100
"""Entries kept in the Atom feed (the newest)."""


def alert_text(alert: Alert, lang: str = "en") -> str:
    """The alert in words, in ``lang``."""
    from ..presentation.text import say

    return say(alert.message(), lang)


def alert_json(alert: Alert, lang: str = "en") -> dict[str, Any]:
    """``{"rule", "date", "value", "message", ...}``: the alert's JSON with its words."""
    doc = alert.to_json()
    return {
        "rule": doc.pop("rule"),
        "date": doc.pop("date"),
        "value": doc.pop("value"),
        "message": alert_text(alert, lang),
        **doc,
    }


class DeliveryError(TidegaugeError):
    """A channel did not accept an alert (it stays pending and is retried)."""


def _fail(channel: str, reason: object) -> DeliveryError:
    text = " ".join(str(reason).split()) or type(reason).__name__
    return DeliveryError.t("errors.alerts.delivery", channel=channel, reason=text[:300])


class Channel:
    """Base class: ``name`` from the rules file, ``send`` to implement."""

    def __init__(self, name: str, conf: Mapping[str, Any]) -> None:
        self.name = name
        self.conf = dict(conf)

    def send(self, alert: Alert, key: str, lang: str) -> None:
        raise NotImplementedError


def _append_line(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


class LogChannel(Channel):
    """One line on the terminal (``echo``) and, with ``path``, appended to a log file."""

    def __init__(self, name: str, conf: Mapping[str, Any], echo: Callable[[str], None]) -> None:
        super().__init__(name, conf)
        self.echo = echo

    def send(self, alert: Alert, key: str, lang: str) -> None:
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        line = f"{stamp} [{alert.rule}] {alert_text(alert, lang)}"
        if self.conf.get("path"):
            try:
                _append_line(self.conf["path"], line)
            except OSError as exc:
                raise _fail(self.name, f"{self.conf['path']}: {exc.strerror or exc}") from None
        self.echo(line)


class JsonlChannel(Channel):
    """One JSON object per line (``{"key", "rule", "date", "value", "message", ...}``)."""

    def send(self, alert: Alert, key: str, lang: str) -> None:
        doc = {"key": key, **alert_json(alert, lang)}
        try:
            _append_line(self.conf["path"], json.dumps(doc, ensure_ascii=False))
        except OSError as exc:
            raise _fail(self.name, f"{self.conf['path']}: {exc.strerror or exc}") from None


class AtomChannel(Channel):
    """An Atom 1.0 feed file (RFC 4287) a feed reader can follow: the newest
    :data:`FEED_ENTRIES` alerts, one ``<entry>`` each, written atomically."""

    def send(self, alert: Alert, key: str, lang: str) -> None:
        from ..i18n import t

        path = Path(self.conf["path"])
        ET.register_namespace("", ATOM)
        entries: list[ET.Element] = []
        try:
            if path.exists():
                root = ET.parse(path).getroot()
                entries = root.findall(f"{{{ATOM}}}entry")
        except (OSError, ET.ParseError):
            entries = []  # a broken feed file is replaced by a new one
        entry_id = f"urn:tidegauge:alert:{key}"
        if any(e.findtext(f"{{{ATOM}}}id") == entry_id for e in entries):
            return  # already in the feed (sent before the store could record it)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        feed = ET.Element(f"{{{ATOM}}}feed")
        title = self.conf.get("title") or t("alerts.feed.title", lang)
        ET.SubElement(feed, f"{{{ATOM}}}title").text = title
        ET.SubElement(feed, f"{{{ATOM}}}id").text = f"urn:tidegauge:feed:{path.name}"
        ET.SubElement(feed, f"{{{ATOM}}}updated").text = now
        author = ET.SubElement(feed, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = "tidegauge"
        new = ET.Element(f"{{{ATOM}}}entry")
        ET.SubElement(new, f"{{{ATOM}}}id").text = entry_id
        ET.SubElement(new, f"{{{ATOM}}}title").text = alert_text(alert, lang)
        ET.SubElement(new, f"{{{ATOM}}}updated").text = now
        ET.SubElement(new, f"{{{ATOM}}}category", term=alert.rule)
        content = ET.SubElement(new, f"{{{ATOM}}}content", type="text")
        content.text = json.dumps(alert_json(alert, lang), ensure_ascii=False)
        for e in [new, *entries][:FEED_ENTRIES]:
            feed.append(e)
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            ET.ElementTree(feed).write(tmp, encoding="utf-8", xml_declaration=True)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            raise _fail(self.name, f"{path}: {exc.strerror or exc}") from None


class WebhookChannel(Channel):
    """HTTP POST of the alert as JSON; ``timeout`` seconds per attempt (default 10) and
    ``retries`` attempts (default 3) with a short backoff; 2xx is success."""

    def send(self, alert: Alert, key: str, lang: str) -> None:
        import httpx

        url = str(self.conf["url"])
        timeout = float(self.conf.get("timeout", 10))
        attempts = max(1, min(int(self.conf.get("retries", 3)), 10))
        headers = {"Idempotency-Key": key, "User-Agent": "tidegauge-watch"}
        headers.update({str(k): str(v) for k, v in dict(self.conf.get("headers", {})).items()})
        body = {"key": key, **alert_json(alert, lang)}
        last: object = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(min(4.0, 0.25 * 2**attempt) * random.uniform(0.5, 1.0))
            try:
                with httpx.Client(timeout=timeout, follow_redirects=False) as client:
                    r = client.post(url, json=body, headers=headers)
            except httpx.HTTPError as exc:
                last = f"{url}: {type(exc).__name__} {exc}"
                continue
            if 200 <= r.status_code < 300:
                return
            last = f"{url}: HTTP {r.status_code}"
            if 400 <= r.status_code < 500 and r.status_code not in (408, 429):
                break  # the receiver refuses this request: retrying now will not help
        raise _fail(self.name, last)


class EmailChannel(Channel):
    """E-mail over SMTP (``host``, ``port`` 25, ``from``, ``to``; ``starttls``, ``username``
    and ``password_env`` — the name of the environment variable holding the password; a
    ``timeout`` of 10 seconds)."""

    def send(self, alert: Alert, key: str, lang: str) -> None:
        msg = EmailMessage(policy=email_policy.default.clone(max_line_length=998))
        msg["Subject"] = f"[tidegauge] {alert_text(alert, lang)}"
        msg["From"] = str(self.conf.get("from", "tidegauge@localhost"))
        msg["To"] = ", ".join(self.conf["to"])
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = f"<{key.replace(':', '.')}@tidegauge.invalid>"
        body = (
            alert_text(alert, lang)
            + "\n\n"
            + json.dumps(alert_json(alert, lang), ensure_ascii=False)
        )
        msg.set_content(body)
        host, port = str(self.conf["host"]), int(self.conf.get("port", 25))
        timeout = float(self.conf.get("timeout", 10))
        try:
            with smtplib.SMTP(host, port, timeout=timeout) as smtp:
                if self.conf.get("starttls"):
                    smtp.starttls()
                if self.conf.get("username"):
                    password = os.environ.get(str(self.conf.get("password_env", "")), "")
                    smtp.login(str(self.conf["username"]), password)
                refused = smtp.send_message(msg)
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise _fail(self.name, f"{host}:{port}: {exc}") from None
        if refused:
            raise _fail(self.name, f"refused recipients: {', '.join(refused)}")


_TYPES: dict[str, type[Channel]] = {
    "jsonl": JsonlChannel,
    "atom": AtomChannel,
    "webhook": WebhookChannel,
    "email": EmailChannel,
}


def make_channel(name: str, conf: Mapping[str, Any], echo: Callable[[str], None]) -> Channel:
    """The channel for one ``[channels.NAME]`` table (``type`` checked by the rules loader)."""
    if conf["type"] == "log":
        return LogChannel(name, conf, echo)
    return _TYPES[conf["type"]](name, conf)
