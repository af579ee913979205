"""``tidegauge watch`` end to end, against real servers on 127.0.0.1.

The local FRED stand-in serves the real mirror cut after the H.4.1 week of 19 Aug 2026, then
publishes the real week of 26 Aug 2026 (WALCL 6,730,912 million dollars, from the CSV). The
watch fetches it and the rule "new H.4.1 week" goes out once to each channel: the terminal and
a log file, a JSON-lines file, an Atom feed (validated with feedparser), a webhook (a real HTTP
server) and e-mail (a real SMTP server, aiosmtpd). A restart sends nothing again.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from fredserver import FredServer
from helpers import fred_values, run

WEEK = "2026-08-26"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Webhook:
    """A real HTTP server that records every POST (``refuse``: answer 503)."""

    def __init__(self, port: int = 0) -> None:
        self.received: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.refuse = 0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if hook.refuse:
                    hook.refuse -= 1
                    self.send_response(503)
                else:
                    hook.received.append((dict(self.headers), json.loads(body)))
                    self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class MailHandler:
    """aiosmtpd handler: keeps each message; ``refuse`` answers 550 to every recipient."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.refuse = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if self.refuse:
            return "550 5.7.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(envelope.content)
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox() -> Iterator[tuple[MailHandler, int]]:
    from aiosmtpd.controller import Controller

    handler = MailHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def fred(partial_mirror) -> Iterator[FredServer]:
    mirror = partial_mirror(["WALCL"], until={"WALCL": "2026-08-19"})
    with FredServer(mirror) as server:
        yield server


def rules_file(folder: Path, webhook_url: str, smtp_port: int, jsonl: str = "alerts.jsonl") -> Path:
    path = folder / "alerts.toml"
    path.write_text(
        f"""
[[rule]]
id = "h41"
signal = "WALCL"
when = "released"

[channels.log]
path = "alerts.log"
[channels.jsonl]
path = "{jsonl}"
[channels.atom]
path = "alerts.atom"
[channels.webhook]
url = "{webhook_url}"
timeout = 5
retries = 2
[channels.email]
host = "127.0.0.1"
port = {smtp_port}
from = "tidegauge@localhost"
to = ["reader@example.org"]
timeout = 5
""",
        encoding="utf-8",
    )
    return path


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def published_week(fred_mirror: Path) -> list[tuple[str, str]]:
    value = fred_values(fred_mirror, "WALCL")[WEEK]
    return [(WEEK, f"{value:.0f}")]


def test_new_h41_week_goes_out_once_to_each_channel(
    capsys, monkeypatch, tmp_path: Path, fred: FredServer, fred_mirror: Path, mailbox
) -> None:
    import feedparser

    mails, smtp_port = mailbox
    hook = Webhook()
    monkeypatch.setenv("TIDEGAUGE_FRED_URL", fred.url)
    monkeypatch.setenv("TIDEGAUGE_RATE", "50")
    rules = rules_file(tmp_path, hook.url, smtp_port)
    store = str(tmp_path / "store.db")
    watch = ["watch", "--once", "--rules", str(rules), "--store", store]
    try:
        code, out, err = run(capsys, *watch)  # first round: fetch WALCL, the baseline
        assert code == 0, err
        assert "watching 1 series with 1 rules" in err
        assert not lines(tmp_path / "alerts.jsonl") and not hook.received and not mails.messages

        fred.publish("WALCL", published_week(fred_mirror))  # Thursday: the new week is out
        code, out, err = run(capsys, *watch)
        assert code == 0, err
        assert "1 alerts fired, 5 sent, 0 pending" in err
        assert "[h41] New Fed total assets figure for Aug 26, 2026: $6.73 trillion" in out

        for _restart in range(2):  # a restart (a new process each time) sends nothing again
            code, out, err = run(capsys, *watch)
            assert code == 0, err
            assert "0 alerts fired, 0 sent, 0 pending" in err
    finally:
        hook.stop()

    (line,) = lines(tmp_path / "alerts.jsonl")
    doc = json.loads(line)
    assert (doc["rule"], doc["observed"], doc["value"]) == ("h41", WEEK, 6730.912)
    assert doc["key"] == f"h41:{WEEK}:"
    assert len(lines(tmp_path / "alerts.log")) == 1

    feed = feedparser.parse(str(tmp_path / "alerts.atom"))
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    (entry,) = feed.entries
    assert entry.id == f"urn:tidegauge:alert:h41:{WEEK}:"
    assert "Fed total assets" in entry.title

    (headers, body), *more = hook.received
    assert not more
    assert headers["Idempotency-Key"] == f"h41:{WEEK}:"
    assert body["value"] == 6730.912 and body["rule"] == "h41"

    (raw,) = mails.messages
    from email import message_from_bytes, policy

    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["Subject"].startswith("[tidegauge] New Fed total assets figure for Aug 26, 2026")
    assert mail["To"] == "reader@example.org"
    assert mail["Message-ID"] == f"<h41.{WEEK}.@tidegauge.invalid>"

    code, out, _ = run(capsys, "alerts", "list", "--json", "--store", store)
    (event,) = json.loads(out)
    assert {c: v["status"] for c, v in event["channels"].items()} == dict.fromkeys(
        ("atom", "email", "jsonl", "log", "webhook"), "sent"
    )


def test_faults_are_logged_retried_and_never_sent_twice(
    caplog, monkeypatch, tmp_path: Path, fred: FredServer, fred_mirror: Path, mailbox
) -> None:
    """A failing source, a read-only store, a full disk (/dev/full), a webhook that is down and
    an SMTP server that refuses: each is one log line, nothing is lost or sent twice."""
    from tidegauge import Tidegauge
    from tidegauge.alerts.rules import load_config
    from tidegauge.alerts.watch import run_round
    from tidegauge.config import Settings

    monkeypatch.setattr(logging.getLogger("tidegauge.watch"), "propagate", True)
    caplog.set_level(logging.INFO, logger="tidegauge.watch")
    mails, smtp_port = mailbox
    mails.refuse = True
    port = free_port()  # nothing listens there yet: the webhook is down
    url = f"http://127.0.0.1:{port}/hook"
    full = load_config(rules_file(tmp_path, url, smtp_port, jsonl="/dev/full"))
    echoed: list[str] = []
    settings = Settings(store_path=tmp_path / "s.db", fred_url=fred.url, rate=50.0, timeout=2.0)

    def round_(config: Any = full) -> Any:
        caplog.clear()
        return run_round(tg, config, echo=echoed.append)

    with Tidegauge(settings) as tg:
        assert round_().ok  # the baseline
        fred.publish("WALCL", published_week(fred_mirror))

        fred.inject("WALCL", "html", times=None)  # FRED answers a maintenance page
        r = round_()
        assert r.failed == ["WALCL"] and not r.fired
        assert "WALCL: update failed (" in caplog.text and "retried next round" in caplog.text
        fred.clear_faults()

        writer = tg.store._open_writer()
        writer.execute("PRAGMA query_only = ON")  # the store is read-only
        r = round_()
        assert not r.fired and not r.sent
        assert "the store cannot be written (" in caplog.text
        assert "no alert is recorded or sent this round" in caplog.text
        writer.execute("PRAGMA query_only = OFF")

        r = round_()  # fetched and fired; the log and the feed take it, three channels fail
        assert [a.key for a in r.fired] == [f"h41:{WEEK}:"]
        assert sorted(c for _, c in r.sent) == ["atom", "log"]
        assert r.pending == 3
        assert "channel jsonl did not take the alert: /dev/full: No space left on device" in (
            caplog.text
        )
        assert f"channel webhook did not take the alert: {url}: ConnectError" in caplog.text
        assert "channel email did not take the alert: 127.0.0.1:" in caplog.text
        assert "Mailbox unavailable" in caplog.text

        r = round_()  # still down: retried, still pending, nothing else sent again
        assert not r.fired and not r.sent and r.pending == 3

        hook = Webhook(port)  # everything comes back
        mails.refuse = False
        fixed = load_config(rules_file(tmp_path, url, smtp_port))
        try:
            r = round_(fixed)
            assert sorted(c for _, c in r.sent) == ["email", "jsonl", "webhook"]
            assert r.ok
            r = round_(fixed)
            assert not r.sent and r.ok
        finally:
            hook.stop()

    assert len(hook.received) == 1 and len(mails.messages) == 1
    assert len(lines(tmp_path / "alerts.jsonl")) == 1
    assert len([e for e in echoed if "[h41]" in e]) == 1
    import feedparser

    assert len(feedparser.parse(str(tmp_path / "alerts.atom")).entries) == 1


def test_webhook_retries_within_a_round(tmp_path: Path) -> None:
    """A 503 then a 2xx: the second attempt of the same round delivers it."""
    import datetime as dt

    from tidegauge.alerts.channels import WebhookChannel
    from tidegauge.alerts.engine import Alert

    hook = Webhook()
    hook.refuse = 1
    try:
        alert = Alert("h41", "WALCL", "released", dt.date(2026, 8, 27), dt.date(2026, 8, 26),
                      6730.912, "USD billions")  # fmt: skip
        WebhookChannel("webhook", {"url": hook.url, "timeout": 5, "retries": 2}).send(
            alert, alert.key, "zh-TW"
        )
    finally:
        hook.stop()
    ((_, body),) = hook.received
    assert body["message"].startswith("聯準會總資產公布 2026年8月26日 的新數據")


@pytest.mark.slow
def test_watch_stops_on_sigterm(tmp_path: Path, fred_mirror: Path, partial_mirror) -> None:
    import os
    import signal
    import subprocess
    import sys

    mirror = partial_mirror(["WALCL"])
    rules = tmp_path / "alerts.toml"
    rules.write_text(
        '[[rule]]\nid = "h41"\nsignal = "WALCL"\nwhen = "released"\n'
        "[watch]\ninterval_minutes = 0.02\n",
        encoding="utf-8",
    )
    cmd = [sys.executable, "-m", "tidegauge", "watch", "--rules", str(rules)]
    cmd += ["--mirror", str(mirror), "--store", str(tmp_path / "s.db")]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert proc.stderr is not None
        seen = []
        for line in proc.stderr:  # wait until a round has finished
            seen.append(line)
            if "round done" in line:
                break
        os.kill(proc.pid, signal.SIGTERM)
        rest = proc.communicate(timeout=120)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, "".join(seen) + rest
    assert "watch stopped" in rest
    assert "Traceback" not in "".join(seen) + rest


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[rule]]\nid = "x"\nsignal = "nope"\nwhen = "changes"\n', "unknown signal 'nope'"),
        ('[[rule]]\nid = "x"\nsignal = "reserves_pct_gdp"\nwhen = "below"\n', "needs a number"),
        ('[[rule]]\nid = "x"\nsignal = "regime"\nwhen = "below"\nvalue = 1\n', "is a state"),
        (
            '[[rule]]\nid = "x"\nsignal = "regime"\nwhen = "changes"\nchannels = ["sms"]\n',
            "no channel named sms",
        ),
        ('[channels.email]\nhost = "h"\nto = "a@b"\npassword = "x"\n', "password_env"),
        ('[channels.hook]\ntype = "webhook"\nurl = "ftp://x"\n', "url must start with"),
        ("[[rule]\n", "TOML"),
    ],
)
def test_bad_rules_are_one_line_errors(capsys, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "watch", "--once", "--rules", str(path), "--store",
                       str(tmp_path / "s.db"))  # fmt: skip
    assert code == 2
    assert err.startswith(f"Error: alert rules {path}") and message in err
    assert len(err.strip().splitlines()) == 1
