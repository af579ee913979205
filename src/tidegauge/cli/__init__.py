"""The ``tidegauge`` command line: a thin layer over :class:`tidegauge.Tidegauge`.

Indicator commands (``regimes``, ``liquidity``, ``realrate``...) are generated from the indicator
registry (:mod:`tidegauge.cli.indicators`); the others (``update``, ``series``, ``export``,
``report``, ``serve``, ``calc``) are registered by name in :data:`COMMANDS`. A command's module is
imported only when invoked, so that ``tidegauge series list`` does not pay for pandas or the
HTTP stack.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from ..errors import TidegaugeError
from ._common import LANG_KEY, ascii_numbers

COMMANDS: dict[str, str] = {
    "update": "tidegauge.cli.update:update_cmd",
    "series": "tidegauge.cli.series:series_group",
    "export": "tidegauge.cli.export:export_cmd",
    "calc": "tidegauge.cli.calc:calc_group",
    "report": "tidegauge.cli.report:report_cmd",
    "serve": "tidegauge.cli.serve:serve_cmd",
    "watch": "tidegauge.cli.watch:watch_cmd",
    "alerts": "tidegauge.cli.watch:alerts_group",
}
"""Commands that are not indicators: name → ``module:attribute`` of its click command."""


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        from .indicators import command_names

        return sorted({*super().list_commands(ctx), *self.lazy, *command_names()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, attr = self.lazy[cmd_name].split(":")
            cmd: click.Command = getattr(importlib.import_module(module), attr)
            return ascii_numbers(cmd)
        from .indicators import build

        built = build(cmd_name)
        return ascii_numbers(built) if built is not None else super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        # A TidegaugeError becomes a one-line ClickException, so that ``cli`` run in-process
        # (CliRunner) behaves like the console script: one line on stderr, the error's exit code.
        try:
            return super().invoke(ctx)
        except TidegaugeError as exc:
            raise UserFacingError(exc, ctx.meta.get(LANG_KEY)) from None


class UserFacingError(click.ClickException):
    """A :class:`TidegaugeError` shown as one line (``Error: ...``) with its exit code."""

    def __init__(self, error: TidegaugeError, lang: str | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.lang = lang
        self.exit_code = error.exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        from ._common import error_line

        click.echo(error_line(self.error, self.lang), err=True)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tidegauge")
def cli() -> None:
    """tidegauge — the tide of central-bank money: QE/QT, liquidity, real rates, asset prices.

    Data comes from FRED (or a local mirror with --mirror DIR) and is kept in an embedded store.
    """


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr and a non-zero exit code."""
    try:
        cli.main(args=argv, prog_name="tidegauge", standalone_mode=False)
    except TidegaugeError as exc:
        from ._common import error_line

        click.echo(error_line(exc), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(0)
