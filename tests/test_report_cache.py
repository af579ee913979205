"""The report cache (``indicators/report_cache.py``, ``model_json.py``): a report with nothing
new is rendered from the model kept on disk, and only then.

On the real mirror data: the kept model renders exactly as the computed one in every language
and face; ``tidegauge report`` reuses it while the store is unchanged and computes again after
new data (one more JPNASSETS observation, read from a small mirror in a temporary folder); an
entry is not used after the first moment a freshness mark changes, nor on another day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tidegauge.cli import cli
from tidegauge.indicators.model_json import Unsupported, decode, encode
from tidegauge.indicators.report_cache import load_report, report_key, save_report, valid_until

LANGS = ("en", "zh-TW", "zh-CN")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in ("TIDEGAUGE_STORE", "TIDEGAUGE_MIRROR", "TIDEGAUGE_LANG", "FRED_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    # the session's cache folder (the Vega bundle and the signals' replay are shared)
    monkeypatch.setenv("TIDEGAUGE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="module")
def report(mirror_session: Any) -> Any:
    return mirror_session.report()


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "160"})


def faces(rep: Any, lang: str) -> tuple[str, str]:
    """The HTML report (without charts) and the terminal summary of ``rep``."""
    from rich.console import Console

    from tidegauge.presentation.html import render_report
    from tidegauge.presentation.terminal import print_report

    out = io.StringIO()
    print_report(rep, lang, Console(file=out, width=160, highlight=False, color_system=None))
    return render_report(rep, lang, {}), out.getvalue()


@pytest.mark.parametrize("lang", LANGS)
def test_kept_model_renders_as_the_computed_one(report: Any, lang: str) -> None:
    kept = decode(json.loads(json.dumps(encode(report, lang))), lang)
    assert faces(kept, lang) == faces(report, lang)
    assert [(f.key, f.value, f.as_of) for f in kept.headline] == [
        (f.key, f.value, f.as_of) for f in report.headline
    ]
    assert kept.series_as_of == report.series_as_of
    assert [c.id for s in kept.sections for c in s.charts] == [
        c.id for s in report.sections for c in s.charts
    ]


def test_unknown_values_are_not_encoded() -> None:
    import numpy as np

    from tidegauge.i18n import Message

    with pytest.raises(Unsupported):
        encode(Message("report.text.not_available", reason=np.int64(3)), "en")
    assert encode(np.float64(0.25), "en") == 0.25  # formats as a float does


def test_entry_is_not_used_after_a_freshness_mark_changes(
    report: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIDEGAUGE_CACHE_DIR", str(tmp_path))
    until = valid_until(report)
    assert until is not None
    # the first moment an input of a figure becomes late (next release due) or stale
    for f in (*report.headline, *(f for s in report.sections for f in s.figures)):
        for i in f.freshness.inputs if f.freshness else ():
            if i.due_at is not None and i.status == "current":
                assert i.due_at >= until
    assert save_report("k", report, "en")
    assert load_report("k", "en", now=until) is not None
    assert load_report("k", "en", now=until + dt.timedelta(seconds=1)) is None
    assert load_report("k", "zh-TW", now=until) is None  # kept for one language
    (tmp_path / "reports" / "k.json").write_text("{not json", encoding="utf-8")
    assert load_report("k", "en", now=until) is None


def test_key_names_the_store_language_date_and_day(mirror_session: Any) -> None:
    key = report_key(mirror_session, "en")
    assert key == report_key(mirror_session, "en")
    others = {
        report_key(mirror_session, "zh-TW"),
        report_key(mirror_session, "en", as_of=dt.date(2025, 6, 30)),
        report_key(mirror_session, "en", today=dt.date.today() + dt.timedelta(days=1)),
    }
    assert key not in others and len(others) == 3


def _store_copy(src: Path, dst: Path) -> Path:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


def _last_row(path: Path) -> tuple[dt.date, float]:
    with path.open(newline="") as fh:
        rows = [r for r in csv.reader(fh)][1:]
    day, value = next((d, v) for d, v in reversed(rows) if v not in ("", "."))
    return dt.date.fromisoformat(day), float(value)


def test_report_reuses_the_model_until_the_store_changes(
    mirror_session: Any, fred_mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tidegauge.presentation.html as html_mod
    from tidegauge import Tidegauge
    from tidegauge.api import Tidegauge as Session

    store = _store_copy(Path(mirror_session.settings.store_path), tmp_path / "s.db")
    pages = [tmp_path / f"{n}.html" for n in range(3)]
    first = run("report", "--no-update", "--store", str(store), "--html", str(pages[0]))
    assert first.exit_code == 0, first.output

    def fail(*_: Any, **__: Any) -> Any:
        raise AssertionError("computed again although the store did not change")

    real_report, real_render = Session.report, html_mod.render_report
    monkeypatch.setattr(Session, "report", fail)
    monkeypatch.setattr(html_mod, "render_report", fail)
    second = run("report", "--no-update", "--store", str(store), "--html", str(pages[1]))
    assert second.exit_code == 0, second.output
    assert second.output.replace("1.html", "0.html") == first.output
    assert pages[1].read_bytes() == pages[0].read_bytes()

    # New data: the BOJ's balance sheet one month further, from a small mirror of one file.
    small = tmp_path / "mirror"
    small.mkdir()
    day, value = _last_row(fred_mirror / "JPNASSETS.csv")
    new_day = (day + dt.timedelta(days=32)).replace(day=1)
    text = (fred_mirror / "JPNASSETS.csv").read_text(encoding="utf-8").rstrip("\n")
    (small / "JPNASSETS.csv").write_text(f"{text}\n{new_day},{value * 1.5:.0f}\n", "utf-8")
    with Tidegauge(mirror=str(small), store_path=str(store)) as tg:
        assert tg.update(["JPNASSETS"]).failed == []
    res = run("report", "--no-update", "--store", str(store), "--html", str(pages[2]))
    assert res.exit_code == 1 and "computed again" in repr(res.exception)  # not from the cache
    monkeypatch.setattr(Session, "report", real_report)
    monkeypatch.setattr(html_mod, "render_report", real_render)
    third = run("report", "--no-update", "--store", str(store), "--html", str(pages[2]))
    assert third.exit_code == 0, third.output
    with Tidegauge(store_path=str(store)) as tg:
        fresh = tg.report()
        kept = load_report(report_key(tg, "en"), "en")
    assert kept is not None and kept.series_as_of["JPNASSETS"] == new_day
    assert third.output != first.output.replace("0.html", "2.html")
    assert [(f.key, f.value, f.as_of) for s in kept.sections for f in s.figures] == [
        (f.key, f.value, f.as_of) for s in fresh.sections for f in s.figures
    ]
    assert faces(kept, "en") == faces(fresh, "en")
