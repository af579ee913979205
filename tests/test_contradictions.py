"""One number, one meaning, on every face: each contradiction a reader found has a test.

* the simulator's start card and the text below it give the same total assets;
* a compare page never explains a lead/lag it does not show (and shows none from a handful of
  pairs, where any two series correlate at about ±1);
* a real-rate chart drawn as of 2022-06-30 does not label the "positive again" episode that
  began in 2023 (an episode is drawn only where the chart has data);
* ``simulate qt`` prints the caps (the schedule) it used;
* the checklist's counts name their side ("bubble side 4 / 6"), never the easing label;
* first run: report files per language, the vintage example, one line per offline failure,
  no network with a mirror.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

import httpx
import pytest

from tidegauge.i18n import t
from tidegauge.indicators.registry import by_id
from tidegauge.web import create_app


class Client:
    """The dashboard in-process (ASGI), as in test_web."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def get(self, url: str) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
                return await c.get(url)

        return asyncio.run(go())


@pytest.fixture(scope="module")
def client(mirror_session: Any) -> Client:
    return Client(create_app(mirror_session.settings))


def _text(html: str) -> str:
    html = re.sub(r'<script type="application/json".*?</script>', " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("scenario", ["qt", "qe"])
def test_simulator_start_card_matches_the_text_below(client: Client, scenario: str) -> None:
    page = client.get(f"/simulate?lang=en&kind={scenario}")
    assert page.status_code == 200
    card = re.search(
        r'id="fig-sim_start_assets".*?<div class="value">([^<]+)</div>', page.text, re.S
    )
    assert card, "the start card is on the page"
    trillions = re.fullmatch(r"\$(\d+\.\d\d) trillion", card.group(1).strip())
    assert trillions, card.group(1)
    text = _text(page.text)
    stated = re.search(r"total assets ([\d,]+)", text)
    assert stated, text[:400]
    # $6.74 trillion and 6,736: the same number at two precisions (H.4.1 of the start week)
    assert abs(float(trillions.group(1)) * 1000 - float(stated.group(1).replace(",", ""))) <= 5
    # and the same number in the JSON of the API
    api = client.get(f"/api/simulate?kind={scenario}").json()
    fig = next(f for s in api["sections"] for f in s["figures"] if f["key"] == "sim_start_assets")
    assert round(fig["value"]) == int(stated.group(1).replace(",", ""))


@pytest.mark.parametrize(
    ("start", "end"),
    [("2023-01-01", "2025-12-31"), ("2025-12-01", "2025-12-20"), ("2022-06-01", "")],
)
@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_compare_never_explains_a_lead_lag_it_does_not_show(
    client: Client, start: str, end: str, lang: str
) -> None:
    page = client.get(f"/compare?lang={lang}&a=WALCL&b=SP500&start={start}&end={end}")
    assert page.status_code == 200
    text = _text(page.text)
    note = t("notes.compare.lead_lag", lang, a="WALCL", b="SP500")
    value = re.escape(t("compare.lead_lag_line", lang, lag=0, corr="X", freq="Y")[:6])
    shows_value = bool(re.search(value, text))
    assert (note in text) == shows_value, (note in text, shows_value)
    data = client.get(f"/api/compare?a=WALCL&b=SP500&start={start}&end={end}").json()
    notes = data["sections"][0]["notes"]
    has_lag = (
        any(v is not None for v in data.get("lead_lag", {}).values())
        if isinstance(data.get("lead_lag"), dict)
        else shows_value
    )
    assert any("lead/lag" in n for n in notes) == has_lag


def test_lead_lag_needs_enough_pairs(mirror_session: Any) -> None:
    ind = by_id("compare")
    p = {"a": "WALCL", "b": "SP500", "start": dt.date(2025, 12, 1), "end": dt.date(2025, 12, 20)}
    res = ind.run(ind.load(mirror_session, p), p).result
    assert res.best_lag() is None  # three weekly changes: no lead/lag
    p["start"] = dt.date(2023, 1, 1)
    p["end"] = dt.date(2025, 12, 31)
    _lag, corr = ind.run(ind.load(mirror_session, p), p).result.best_lag()
    assert abs(corr) < 0.9


def _labels(spec: Any) -> list[str]:
    out: list[str] = []
    for rows in spec.get("datasets", {}).values():
        out += [str(r["label"]) for r in rows if "label" in r]
    return out


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_policy_chart_as_of_2022_has_no_episode_from_2023(mirror_session: Any, lang: str) -> None:
    from tidegauge.presentation.charts.build import chart_of, spec_of

    ind = by_id("stance")
    p = {**ind.defaults(), "as_of": dt.date(2022, 6, 30)}
    section = ind.run(ind.load(mirror_session, p), p)
    chart = next(c for c in section.charts if c.id == "policy")
    spec = spec_of(chart_of(chart, lang))
    labels = _labels(spec)
    assert t("realrates.episode.since_2023", lang) not in labels
    assert t("realrates.episode.post_pandemic", lang) in labels  # 2021-01 to 2022-12: drawn
    # no shaded episode reaches past the chart's last observation (2022-05 CPI)
    for rows in spec["datasets"].values():
        for r in rows:
            if "key" in r and "end" in r:
                assert str(r["end"])[:10] <= "2022-06-30", r
    # today the 2023 episode is there
    today = spec_of(chart_of(next(c for c in ind.run(ind.load(mirror_session, {}), {}).charts
                                  if c.id == "policy"), lang))  # fmt: skip
    assert t("realrates.episode.since_2023", lang) in _labels(today)


def test_report_files_are_named_by_language(
    mirror_session: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    """``report --lang zh-TW`` no longer overwrites the English report."""
    from click.testing import CliRunner

    from tidegauge.cli import cli

    monkeypatch.chdir(tmp_path)
    store = str(mirror_session.settings.store_path)
    for lang in ("en", "zh-TW", "zh-CN"):
        r = CliRunner().invoke(cli, ["report", "--no-update", "--store", store, "--lang", lang])
        assert r.exit_code == 0, r.output
    names = sorted(p.name for p in tmp_path.glob("*.html"))
    assert names == [
        "tidegauge-report.html",
        "tidegauge-report.zh-CN.html",
        "tidegauge-report.zh-TW.html",
    ]
    assert 'lang="en"' in (tmp_path / "tidegauge-report.html").read_text(encoding="utf-8")


def test_vintage_example_says_what_is_missing(mirror_session: Any) -> None:
    """The README's ``load(["WALCL"], as_of="2026-01-31")``: empty, and a warning says why."""
    from tidegauge.errors import NoVintageWarning

    with pytest.warns(NoVintageWarning, match="update --vintages"):
        df = mirror_session.load(["WALCL"], as_of="2026-01-31")
    assert df.empty


def test_offline_update_says_it_once(tmp_path: Any) -> None:
    """An update that cannot reach FRED prints one line for the failure, not one per series."""
    import socket

    from click.testing import CliRunner

    from tidegauge.cli import cli

    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ids = ["WALCL", "TREAST", "WSHOMCB", "DGS10", "DFF"]
    env = {"TIDEGAUGE_FRED_URL": f"http://127.0.0.1:{port}", "TIDEGAUGE_MIRROR": "",
           "FRED_API_KEY": "", "TIDEGAUGE_TIMEOUT": "2"}  # fmt: skip
    r = CliRunner().invoke(cli, ["update", *ids, "--store", str(tmp_path / "s.db")], env=env)
    assert r.exit_code == 1
    failed = [ln for ln in r.stdout.splitlines() if "failed (" in ln]
    assert len(failed) == 1 and failed[0].startswith("5 series failed (WALCL, TREAST"), r.stdout
    assert not any(ln.startswith("│ DGS10") for ln in r.stdout.splitlines())  # no row per series


def test_with_a_mirror_nothing_touches_the_network(
    fred_mirror: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    """With --mirror, a first run (update, then a command) opens no socket at all."""
    import socket

    from click.testing import CliRunner

    from tidegauge.cli import cli

    attempts: list[Any] = []

    def refuse(self: Any, address: Any) -> None:
        attempts.append(address)
        raise OSError("network refused by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    args = ["--mirror", str(fred_mirror), "--store", str(tmp_path / "s.db")]
    r = CliRunner().invoke(cli, ["update", "WALCL", "SPX_SHILLER", "GOLD", *args])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["series", "show", "DGS10", *args])  # fetched on demand
    assert r.exit_code == 0, r.output
    assert attempts == []


def test_point_in_time_commands_do_not_warn(mirror_session: Any, opts: list[str]) -> None:
    """The analyses' --as-of falls back on publication lags: no NoVintageWarning on stderr."""
    from click.testing import CliRunner

    from tidegauge.cli import cli

    r = CliRunner().invoke(cli, ["checklist", "--as-of", "2009-03-31", *opts])
    assert r.exit_code == 0, r.output
    assert "NoVintageWarning" not in r.stderr and "Warning" not in r.stderr


@pytest.mark.parametrize(
    ("page", "view"), [("balance", "log"), ("balance", "yoy"), ("compare", "log")]
)
def test_chart_views_live_in_the_url(client: Client, page: str, view: str) -> None:
    """Log and year-on-year views where they make sense, chosen by a form field (in the URL)."""
    import json

    r = client.get(f"/{page}?lang=zh-TW&view={view}")
    assert r.status_code == 200
    assert f'<option value="{view}" selected>' in r.text
    block = re.search(r'id="chart-[^"]+-spec">(.*?)</script>', r.text, re.S)
    assert block is not None
    spec = json.loads(block.group(1))
    text = json.dumps(spec, ensure_ascii=False)
    if view == "log":
        assert '"type": "log"' in text and "對數刻度" in text
    else:
        assert "52 週變動" in text
    assert client.get(f"/{page}?view=cubic").status_code == 400


@pytest.mark.parametrize(
    ("extra", "needles"),
    [
        ([], ["USD 40 bn a month"]),  # the announced policy (RMP2025 bill purchases) by 2026-06
        (["--treasury-cap", "25", "--mbs-cap", "35"], ["25", "35"]),  # the user's own caps
    ],
)
def test_simulate_qt_prints_the_caps_it_used(
    opts: list[str], extra: list[str], needles: list[str]
) -> None:
    """``simulate qt`` said what it projected but never which caps; the schedule it used is
    printed as a table (text) and is in the JSON."""
    import json

    from click.testing import CliRunner

    from tidegauge.cli import cli

    r = CliRunner().invoke(cli, ["simulate", "qt", *extra, *opts], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    part = r.output[r.output.index("Schedule") :]
    assert all(n in part for n in needles), part[:600]
    j = CliRunner().invoke(cli, ["simulate", "qt", "--json", *extra, *opts])
    assert j.exit_code == 0, j.output
    assert json.loads(j.output)["params"]["schedule"]


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_checklist_counts_are_named_by_their_side(mirror_session: Any, lang: str) -> None:
    """The checklist showed "5 / 6" under the easing label: every count now names its side,
    and the easing status is a word, never a count."""
    from tidegauge.presentation.text import figure_text

    ind = by_id("checklist")
    p = {**ind.defaults(), "as_of": dt.date(2021, 6, 30)}
    sec = ind.run(ind.load(mirror_session, p), p)
    fig = next(f for f in sec.figures if f.key == "checklist_verdict")
    detail = figure_text(fig, lang).context
    assert len(re.findall(r"\d+ / \d+", detail)) == 2, detail
    sides = (
        ("bubble side", "recession side") if lang == "en" else ("泡沫面", "衰退面")
    )  # fmt: skip
    for side in sides:
        assert re.search(re.escape(side) + r"\s*\d+ / \d+", detail), detail
    easing = detail.split(";")[0] if lang == "en" else detail.split("；")[0]
    assert not re.search(r"\d+ / \d+", easing), easing
