"""Every user-facing error comes from the message catalog, so it can be shown in en, zh-TW and
zh-CN: a static check over the source, and the CLI and dashboard showing translated errors."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import tidegauge
from tidegauge.cli import cli
from tidegauge.errors import NoDataError, SourceError, TidegaugeError, UsageError
from tidegauge.i18n import catalog, placeholders

SRC = Path(tidegauge.__file__).parent
BASE = {"TidegaugeError"}


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(SRC.rglob("*.py"))]


def _error_classes(trees: list[tuple[Path, ast.Module]]) -> set[str]:
    """Names of TidegaugeError and every class deriving from it anywhere in the package."""
    names = set(BASE)
    grew = True
    while grew:
        grew = False
        for _, tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    bases = {
                        b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                        for b in node.bases
                    }
                    if bases & names:
                        names.add(node.name)
                        grew = True
    return names


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


@pytest.fixture(scope="module")
def trees() -> list[tuple[Path, ast.Module]]:
    return _sources()


def test_the_package_defines_the_error_classes_we_check(trees: list) -> None:
    names = _error_classes(trees)
    assert {"UsageError", "NoDataError", "SourceError", "ParseError", "BadParameter"} <= names
    assert "RetryableStatus" in names


def test_no_error_is_built_from_a_plain_string(trees: list) -> None:
    """``SomeError("text")`` / ``SomeError(f"...")`` cannot be translated: use
    ``SomeError.t("errors.<area>.<name>", **params)``. Nothing is allowlisted."""
    names = _error_classes(trees)
    bad = []
    for path, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in names and node.args:
                bad.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(node)[:90]}")
    assert not bad, "errors not from the message catalog:\n" + "\n".join(bad)


def test_every_raise_of_an_error_class_uses_the_catalog(trees: list) -> None:
    """``raise SomeError`` without arguments would show an empty message."""
    names = _error_classes(trees)
    bad = []
    for path, tree in trees:
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Name)
                and node.exc.id in names
            ):
                bad.append(f"{path.relative_to(SRC)}:{node.lineno}")
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                call = node.exc
                if _name(call.func) in names and not call.args and not call.keywords:
                    bad.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not bad, "errors raised without a message:\n" + "\n".join(bad)


def test_every_literal_key_exists_with_the_placeholders_given(trees: list) -> None:
    """``X.t("key", a=..., b=...)``: the key is in the catalog and its English text uses exactly
    the keyword arguments given (``retryable`` is not a placeholder)."""
    names = _error_classes(trees)
    messages = catalog()
    bad = []
    checked = 0
    for path, tree in trees:
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "t"
                and _name(node.func.value) in names
            ):
                continue
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue  # a key chosen at run time (checked by the behaviour tests)
            checked += 1
            key = first.value
            if key not in messages:
                bad.append(f"{where}: no message {key!r}")
                continue
            if any(k.arg is None for k in node.keywords):
                continue  # **params
            given = {k.arg for k in node.keywords} - {"retryable"}
            wanted = placeholders(messages[key]["en"])
            if given != wanted:
                bad.append(f"{where}: {key} wants {sorted(wanted)}, got {sorted(given)}")
    assert checked >= 150
    assert not bad, "\n".join(bad)


# --------------------------------------------------------------------------- the mechanism


def test_str_is_english_and_message_translates() -> None:
    exc = UsageError.t("errors.dates.reversed", start="2024-01-01", end="2023-01-01")
    assert str(exc) == "start 2024-01-01 is after end 2023-01-01; swap them"
    assert exc.message("en") == str(exc)
    assert exc.message("zh-TW") == "開始日期 2024-01-01 晚於結束日期 2023-01-01；請對調兩者"
    assert exc.message("zh-CN") == "开始日期 2024-01-01 晚于结束日期 2023-01-01；请对调两者"
    assert exc.exit_code == 2
    with pytest.raises(UsageError, match="is after end"):
        raise exc


def test_a_wrapped_cause_is_shown_in_the_same_language() -> None:
    cause = NoDataError.t("errors.data.no_observations", series_id="WALCL")
    exc = SourceError.t("errors.source.cannot_fetch", names="WALCL", detail=cause, retryable=True)
    assert exc.retryable is True
    assert str(exc) == "cannot fetch WALCL: WALCL: no observations in the requested window"
    assert exc.message("zh-TW") == "無法取得 WALCL：WALCL：所選期間內沒有觀測值"


def test_an_error_without_a_key_still_shows_its_text() -> None:
    exc = TidegaugeError("plain")
    assert exc.message("zh-TW") == "plain"


def test_errors_survive_pickling() -> None:
    import pickle

    exc = SourceError.t("errors.http.timed_out", retryable=True, url="https://x")
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is SourceError and back.retryable and back.key == exc.key
    assert back.message("zh-CN") == exc.message("zh-CN")


# --------------------------------------------------------------------------- the CLI


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200", "TIDEGAUGE_LANG": None})


def test_cli_unknown_series_in_traditional_chinese(tmp_path: Path, fred_mirror: Path) -> None:
    opts = ["--mirror", str(fred_mirror), "--store", str(tmp_path / "s.db")]
    result = run("series", "show", "WALC", *opts, "--lang", "zh-TW")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines == [
        "錯誤: 未知的序列 'WALC'：不在目錄中，資料來源也沒有此序列"
        f"（WALC：鏡像 {fred_mirror} 中沒有此序列）；您是指 WALCL, WDTGAL, WRESBAL 嗎？"
    ], result.stderr
    # nothing English apart from the ids and the mirror's path
    line = lines[0].replace(str(fred_mirror), "")
    assert not re.search(r"[A-Za-z]", re.sub(r"WALCL|WRESBAL|WDTGAL|WALC", "", line))


def test_cli_analysis_error_in_simplified_chinese(fred_mirror: Path, tmp_path: Path) -> None:
    """The compare analysis finds no WALCL before 1995 (the series starts in December 2002)."""
    result = run(
        "compare", "WALCL", "DGS10", "--start", "1990-01-01", "--end", "1995-01-01",
        "--mirror", str(fred_mirror), "--store", str(tmp_path / "s.db"), "--lang", "zh-CN",
    )  # fmt: skip
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines == ["错误: WALCL 在 1995-01-01 或之前没有观测值；请选择较晚的期间"], result.stderr


def test_cli_error_stays_english_by_default(tmp_path: Path) -> None:
    result = run("series", "show", "WAL CL", "--store", str(tmp_path / "s.db"))
    assert result.stderr.splitlines() == [
        "Error: 'WAL CL' is not a FRED series id: use upper-case letters, digits and '_' "
        "(at most 30), e.g. WALCL"
    ]


# --------------------------------------------------------------------------- the dashboard


@pytest.fixture(scope="module")
def app(mirror_session: Any) -> Any:
    from tidegauge.web import create_app

    return create_app(mirror_session.settings)


def _get(app: Any, url: str) -> Any:
    import asyncio

    import httpx

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await c.get(url)

    return asyncio.run(go())


def test_dashboard_json_error_is_localised(app: Any) -> None:
    r = _get(app, "/api/compare?a=WALC&b=DGS10&lang=zh-TW")
    assert r.status_code == 400
    body = r.json()
    close = "WALCL, WDTGAL, WRESBAL"  # catalog ids close to WALC
    assert body["error"] == f"parameter 'a': unknown series 'WALC'; did you mean {close}?"
    assert body["message"] == f"參數 'a'：未知的序列 'WALC'；您是指 {close} 嗎？"
    r = _get(app, "/api/realrate?rstar=99&lang=zh-CN")
    assert r.status_code == 400
    assert r.json()["message"] == "参数 'rstar'：99 必须介于 -5 和 10 之间"


def test_dashboard_page_error_is_localised(app: Any) -> None:
    r = _get(app, "/checklist?as_of=2001-02-30&lang=zh-TW")
    assert r.status_code == 400
    assert "參數 &#39;as_of&#39;：&#39;2001-02-30&#39; 不是有效的日期" in r.text
    assert "is not a valid date" not in r.text


def test_dashboard_rejects_an_unknown_lang_everywhere(app: Any) -> None:
    r = _get(app, "/api/series/WALCL?lang=fr")
    assert r.status_code == 400
    assert "unknown language 'fr'" in r.json()["error"]


def test_calculator_input_names_are_translated() -> None:
    from tidegauge.analysis.calculators import real_return

    with pytest.raises(UsageError, match=r"inflation -150% is at or below -100%") as info:
        real_return(5, -150)
    assert info.value.message("zh-TW") == "通膨率 -150% 不高於 -100%；請輸入高於 -100% 的利率"
    assert info.value.message("zh-CN") == "通胀率 -150% 不高于 -100%；请输入高于 -100% 的利率"
