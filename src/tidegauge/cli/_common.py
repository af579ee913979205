"""Options and helpers shared by every command."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .._typing import Lang
from ..errors import TidegaugeError

F = TypeVar("F", bound=Callable[..., Any])


LANG_KEY = "tidegauge.lang"
"""Key of the chosen language in ``click.Context.meta`` (shared by nested contexts), so that an
error raised by a command is printed in the command's ``--lang``."""


def _lang_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> Lang:
    from ..lang import normalise_lang

    # A UsageError (not click.BadParameter) so that the message is one line, like our others.
    lang = normalise_lang(value or os.environ.get("TIDEGAUGE_LANG"))
    ctx.meta[LANG_KEY] = lang
    return lang


def common_options(func: F) -> F:
    """``--mirror``, ``--store`` and ``--lang``, accepted by every command."""
    func = click.option(
        "--lang",
        default=None,
        callback=_lang_callback,
        help="Language: en, zh-TW or zh-CN (default: TIDEGAUGE_LANG or en).",
    )(func)
    func = click.option(
        "--store",
        "store",
        type=click.Path(dir_okay=False),
        default=None,
        help="SQLite store file (default: TIDEGAUGE_STORE or the user data directory).",
    )(func)
    func = click.option(
        "--mirror",
        type=click.Path(file_okay=False),
        default=None,
        help="Folder of FRED CSV files (ID.csv) to use instead of the network (TIDEGAUGE_MIRROR).",
    )(func)
    return func


def session(mirror: str | None, store: str | None) -> Any:
    """A :class:`~tidegauge.Tidegauge` for the command's options (validated early)."""
    from ..api import Tidegauge
    from ..config import Settings
    from ..errors import ConfigError

    settings = Settings.from_env(mirror=mirror, store_path=store)
    if settings.mirror is not None and not settings.mirror.is_dir():
        key = (
            "errors.config.mirror_not_dir"
            if settings.mirror.exists()
            else "errors.config.mirror_missing"
        )
        raise ConfigError.t(key, path=str(settings.mirror))
    tg = Tidegauge(settings)
    from ..store.schema import UPGRADING

    token = UPGRADING.set(_say_upgrading)
    try:
        tg.store  # noqa: B018  (open the store now: a bad --store fails before any progress bar)
    finally:
        UPGRADING.reset(token)
    return tg


def _say_upgrading(path: str, old: int, new: int) -> None:
    """One line on stderr before a store's migrations run (they take a while on a big store)."""
    from ..i18n import t

    ctx = click.get_current_context(silent=True)
    lang = ctx.meta.get(LANG_KEY, "en") if ctx is not None else "en"  # the command's --lang
    click.echo(t("update.upgrading", lang, path=path, old=old, new=new), err=True)


def error_line(exc: TidegaugeError, lang: str | None = None) -> str:
    from ..i18n import t
    from ..lang import normalise_lang

    try:
        lang = normalise_lang(lang or os.environ.get("TIDEGAUGE_LANG"))
    except TidegaugeError:  # an unknown TIDEGAUGE_LANG: the error itself must still show
        lang = "en"
    message = " ".join(exc.message(lang).split())  # one line, whatever the cause
    return f"{t('error.prefix', lang)}: {message}"


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def json_option(func: F) -> F:
    """``--json``: print machine-readable output instead of text (parameter ``as_json``)."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(func)


def check_chart(value: str | None) -> str | None:
    """Fail on a bad chart path (suffix, folder) before any data is loaded."""
    if value is not None:
        from ..presentation.charts import check_chart_path

        check_chart_path(value)
    return value


def _check_chart(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return check_chart(value)


def chart_option(what: str) -> Callable[[F], F]:
    """``--chart FILE``: also write ``what`` as a chart (parameter ``chart_path``)."""

    def deco(func: F) -> F:
        return click.option(
            "--chart",
            "chart_path",
            type=click.Path(dir_okay=False),
            default=None,
            metavar="FILE",
            callback=_check_chart,
            help=f"Also write {what} (.png, .svg or .html).",
        )(func)

    return deco


def print_json(payload: Any) -> None:
    """Print ``payload`` as indented UTF-8 JSON (through the one encoder, :mod:`..jsonutil`)."""
    from ..jsonutil import dumps

    click.echo(dumps(payload, indent=2).decode("utf-8"))


def format_option(func: F) -> F:
    """``--format text|csv|json`` for a command that prints a table (parameter ``fmt``)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "csv", "json"]),
        default="text",
        show_default=True,
        help="text: a table that fits the terminal; csv / json: the raw values, for pipes and "
        "spreadsheets.",
    )(func)


def print_tables(tables: Any, fmt: str, lang: str) -> None:
    """Print model tables as text (fitting the terminal), CSV (one table) or JSON."""
    if fmt == "text":
        from ..presentation.terminal import print_table

        con = console()
        for tb in tables:
            print_table(tb, lang, con)
        return
    from ..presentation.tabular import table_data, to_csv

    if fmt == "csv":
        for i, tb in enumerate(tables):
            click.echo(("\n" if i else "") + to_csv(*table_data(tb, lang)), nl=False)
        return
    out = []
    for tb in tables:
        heads, rows = table_data(tb, lang)
        keys = [c.key for c in tb.columns]
        out.append(
            {"id": tb.id, "headers": heads, "rows": [dict(zip(keys, r, strict=True)) for r in rows]}
        )
    print_json(out[0] if len(out) == 1 else out)


class _AsciiNumber(click.ParamType):
    """Mixed into a copy of a click number type (``float``, ``int``, ``IntRange``...): the text
    must be an ASCII decimal (click's own conversion also takes ``1_000``, ``١٢`` or ``nan``)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from .._numbers import DECIMAL, INTEGER
        from ..errors import UsageError

        if isinstance(value, str):
            pattern = INTEGER if isinstance(self, click.types.IntParamType) else DECIMAL
            if not pattern.fullmatch(value.strip()):
                name = param.opts[0] if param is not None and param.opts else "value"
                raise UsageError.t("errors.value.ascii_number", name=name, value=value[:40])
        return super().convert(value, param, ctx)


_ASCII_TYPES: dict[type, type] = {}


def ascii_numbers(command: click.Command) -> click.Command:
    """Make every number option of ``command`` (and of its subcommands) accept ASCII decimals
    only; the types keep their class (ranges still show in ``--help``). Idempotent."""
    for param in command.params:
        kind = type(param.type)
        if issubclass(kind, click.types.FloatParamType | click.types.IntParamType) and not (
            issubclass(kind, _AsciiNumber)
        ):
            if kind not in _ASCII_TYPES:
                _ASCII_TYPES[kind] = type(f"Ascii{kind.__name__}", (_AsciiNumber, kind), {})
            checked = copy.copy(param.type)  # click.FLOAT and click.INT are shared instances
            checked.__class__ = _ASCII_TYPES[kind]
            param.type = checked
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            ascii_numbers(sub)
    return command
