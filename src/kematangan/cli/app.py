"""The ``kematangan`` command: the typer app, its top-level options and the
command tree.

Exit codes: 0 success; 1 input or ruleset errors (one message, no traceback);
2 usage errors (unknown option, missing argument) and output problems (a folder
that does not exist, a file open in Excel, no permission, a full disk).
"""

from __future__ import annotations

from typing import Annotated

import typer

from kematangan.cli import (
    check_command,
    rollup_commands,
    scoring_commands,
    trend_commands,
)
from kematangan.cli.model_commands import model_app
from kematangan.cli.ruleset_commands import rulesets_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="kematangan",
    help="Score community-group maturity and exit readiness with declarative "
    "rulesets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        # The installed distribution's version (tests check that it is
        # kematangan.__version__); cli does not import the package's surface.
        typer.echo(f"kematangan {version('kematangan')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option(
        "--version", help="Print the version and exit.", is_eager=True,
        callback=_print_version)] = False,
) -> None:
    pass  # the options act through their callbacks


app.command()(scoring_commands.score)
app.command()(check_command.check)
app.command()(scoring_commands.explain)
app.command()(scoring_commands.report)
app.command()(scoring_commands.template)
app.command()(rollup_commands.rollup)
app.command()(trend_commands.trend)
app.add_typer(rulesets_app, name="rulesets")
app.add_typer(model_app, name="model")


def main() -> None:
    """Entry point of the ``kematangan`` command."""
    app()
