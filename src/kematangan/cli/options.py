"""What the ``kematangan`` commands share: the ruleset option, failing with a
message (exit code 1, no traceback) and building a scorer."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer

from kematangan.errors import KematanganError
from kematangan.scoring import Scorer

__all__ = ["RulesetOpt", "fail", "scorer_for"]

RulesetOpt = Annotated[str, typer.Option(
    "--ruleset", "-r", help="A bundled ruleset id (see 'rulesets list') or a YAML "
    "file.")]


def fail(message: str) -> NoReturn:
    """Print ``error: message`` to stderr and exit with code 1."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def scorer_for(ruleset: str) -> Scorer:
    """The scorer for a ruleset id or file, or exit 1 with the ruleset's problems."""
    try:
        return Scorer(ruleset)
    except KematanganError as err:
        fail(str(err))
