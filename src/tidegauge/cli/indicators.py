"""CLI commands generated from the indicator registry.

Each indicator's parameters become the command's options (or arguments), with the same
validation as the dashboard and the API (:meth:`~tidegauge.indicators.params.Param.parse`).
Indicators that share a command path are shown together (``realrate``: real rates and the
stance); a ``subcommand`` parameter makes one subcommand per value (``simulate qt``,
``simulate qe``); a longer path is a subcommand (``realrate history``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from ._common import check_chart, common_options, console, format_option, print_json, session

if TYPE_CHECKING:
    from ..indicators.base import Indicator
    from ..indicators.params import Param

__all__ = ["command_names", "indicator_command"]


def command_names() -> dict[str, str]:
    """Top-level command name → one-line help, for every indicator command."""
    from ..indicators.registry import indicators

    out: dict[str, str] = {}
    for ind in indicators():
        if ind.command:
            out.setdefault(ind.command[0], ind.summary)
    return out


def _metavar(p: Param) -> str:
    if p.metavar:
        return p.metavar
    if p.kind == "choice":
        return "[" + "|".join(p.choices) + "]"
    return {"int": "INTEGER", "float": "FLOAT", "date": "DATE", "series": "SERIES"}.get(
        p.kind, "TEXT"
    )


def _help(p: Param) -> str:
    extra = []
    if p.default is not None and not p.required and "default" not in p.help:
        shown = f"{p.default:.4g}" if isinstance(p.default, float) else str(p.default)
        extra.append(f"default: {shown}")
    if p.lo is not None and p.hi is not None:
        extra.append(f"{p.lo:g} to {p.hi:g}")
    return p.help + (f"  [{'; '.join(extra)}]" if extra else "")


def _decorate(func: Callable[..., Any], params: Sequence[Param]) -> Callable[..., Any]:
    for p in reversed(params):
        if p.positional:
            func = click.argument(p.name, metavar=_metavar(p))(func)
        elif p.kind == "bool":
            func = click.option(p.option, p.name, is_flag=True, help=p.help)(func)
        else:
            func = click.option(
                p.option,
                p.name,
                default=None,
                required=p.required,
                metavar=_metavar(p),
                help=_help(p),
            )(func)
    return func


def _chart_options(func: Callable[..., Any], charts: Sequence[str]) -> Callable[..., Any]:
    if not charts:
        return func
    if len(charts) > 1:
        func = click.option(
            "--chart-kind",
            "chart_kind",
            type=click.Choice(list(charts)),
            default=None,
            help="Which chart --chart writes (default: the first one the command draws, "
            f"{charts[0]} unless an option puts another first).",
        )(func)
    return click.option(
        "--chart",
        "chart_path",
        type=click.Path(dir_okay=False),
        default=None,
        metavar="FILE",
        callback=lambda ctx, param, value: check_chart(value),
        help="Also write a chart (.png, .svg or .html).",
    )(func)


def run_indicators(
    inds: Sequence[Indicator],
    raw: dict[str, Any],
    *,
    as_json: bool,
    fmt: str = "text",
    table_id: str | None = None,
    chart_path: str | None,
    chart_kind: str | None,
    mirror: str | None,
    store: str | None,
    lang: str,
) -> None:
    """Parse, load, compute, then render on the terminal or as JSON (and write a chart)."""
    from ..indicators.base import load_inputs
    from ..indicators.params import merge_params, parse_params
    from ..presentation.jsonface import sections_json
    from ..presentation.terminal import print_sections

    params = merge_params(i.params for i in inds)
    p = parse_params(params, raw, cli=True)
    ids: list[str] = []
    for ind in inds:
        ids += ind.input_ids(p)
    with session(mirror, store) as tg:
        inputs = load_inputs(tg, ids, inds[0].as_of(p))
    sections = [inds[0].run(inputs, p), *(i.run_or_explain(inputs, p) for i in inds[1:])]
    written = None
    if chart_path is not None:
        written = _write_chart(sections, chart_kind, chart_path, lang)
    if as_json or fmt == "json":
        print_json(sections_json(sections, lang))
    elif fmt == "csv":
        _print_csv(sections, table_id, lang)
    else:
        print_sections(sections, lang, console())
    if written is not None and fmt == "text" and not as_json:  # JSON/CSV output stays pure
        from ..i18n import t

        console().print(t("regimes.chart_written", lang, path=written), soft_wrap=True)


def _print_csv(sections: Sequence[Any], table_id: str | None, lang: str) -> None:
    """One table as plain CSV: ``table_id`` (``figures``: the figures), else the first table
    (the figures when there is none)."""
    from ..errors import UsageError
    from ..presentation.tabular import figures_data, table_data, to_csv

    tables = {tb.id: tb for s in sections for tb in s.tables}
    figures = [f for s in sections for f in s.figures]
    if table_id is None:
        table_id = next(iter(tables), "figures")
    if table_id == "figures":
        data = figures_data(figures, lang)
    elif table_id in tables:
        data = table_data(tables[table_id], lang)
    else:
        raise UsageError.t(
            "errors.params.choice",
            name="--table",
            value=repr(table_id),
            choices=", ".join(["figures", *tables]),
        )
    click.echo(to_csv(*data), nl=False)


def _write_chart(sections: Sequence[Any], kind: str | None, path: str, lang: str) -> Any:
    from ..errors import UsageError
    from ..presentation.charts import render
    from ..presentation.charts.build import chart_of

    charts = [c for s in sections for c in s.charts]
    chosen = next((c for c in charts if kind is None or c.id == kind), None)
    if chosen is None:
        raise UsageError.t("errors.files.no_chart")
    return render(chart_of(chosen, lang), path)


def indicator_command(
    name: str, inds: Sequence[Indicator], *, fixed: dict[str, Any] | None = None
) -> click.Command:
    """One click command showing ``inds`` (``fixed``: parameter values set by a subcommand)."""
    from ..indicators.params import merge_params

    fixed = fixed or {}
    sub = next((i.subcommand for i in inds if i.subcommand), None)
    params = [
        p
        for p in merge_params(i.params for i in inds)
        if p.name not in fixed and (not p.only or sub is None or fixed.get(sub) in p.only)
    ]
    charts = tuple(c for i in inds for c in i.charts)

    def callback(**kw: Any) -> None:
        ctx = click.get_current_context()
        parent = ctx.obj or {}
        raw = {p.name: kw.pop(p.name) for p in params}
        raw = {k: v for k, v in raw.items() if v is not None and v is not False} | fixed
        mirror = kw.pop("mirror") or parent.get("mirror")
        store = kw.pop("store") or parent.get("store")
        run_indicators(
            inds,
            raw,
            as_json=kw.pop("as_json"),
            fmt=kw.pop("fmt"),
            table_id=kw.pop("table_id"),
            chart_path=kw.pop("chart_path", None),
            chart_kind=kw.pop("chart_kind", None),
            mirror=mirror,
            store=store,
            lang=kw.pop("lang"),
        )

    # options in --help: the indicator's own first, then --json/--chart, then the common ones
    func = _decorate(_json(_chart_options(common_options(callback), charts)), params)
    help_text = inds[0].description or inds[0].summary
    return click.command(name, help=help_text, short_help=inds[0].summary)(func)


def _json(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--table",
        "table_id",
        default=None,
        metavar="ID",
        help="With --format csv: which table (default: the first; 'figures': the figures).",
    )(func)
    func = format_option(func)
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON instead of text (= --format json)."
    )(func)


def build(name: str) -> click.Command | None:
    """The command (or group) ``name`` from the registry, or ``None``."""
    from ..indicators.registry import indicators

    mine = [i for i in indicators() if i.command and i.command[0] == name]
    if not mine:
        return None
    top = [i for i in mine if i.command == (name,)]
    deeper = [i for i in mine if i.command and len(i.command) > 1]
    sub = next((i.subcommand for i in top if i.subcommand), None)
    if not deeper and sub is None:
        return indicator_command(name, top)
    children: dict[str, click.Command] = {}
    if sub is not None:
        choice = next(p for p in top[0].params if p.name == sub)
        for value in choice.choices:
            cmd = indicator_command(value, top, fixed={sub: value})
            cmd.help = f"{top[0].description} ({value})"
            children[value] = cmd
        top = []
    for ind in deeper:
        children[ind.command[1]] = indicator_command(ind.command[1], [ind])  # type: ignore[index]
    if not top:
        group = click.Group(name, help=mine[0].summary, commands=children)
        return group
    leaf = indicator_command(name, top)

    def group_callback(**kw: Any) -> None:
        ctx = click.get_current_context()
        ctx.ensure_object(dict)
        ctx.obj.update(mirror=kw.get("mirror"), store=kw.get("store"))
        if ctx.invoked_subcommand is None:
            leaf.callback(**kw)  # type: ignore[misc]

    return click.Group(
        name,
        params=leaf.params,
        callback=group_callback,
        invoke_without_command=True,
        help=leaf.help,
        short_help=leaf.short_help,
        commands=children,
    )
