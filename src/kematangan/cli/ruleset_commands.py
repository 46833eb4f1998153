"""``kematangan rulesets``: list, show, validate and test rulesets, and print the
file format's JSON Schema."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kematangan.cli.options import LangOpt, fail, scorer_for
from kematangan.errors import KematanganError

__all__ = ["rulesets_app"]

rulesets_app = typer.Typer(name="rulesets",
                           help="List, show, validate and test rulesets.",
                           no_args_is_help=True)

RulesetArg = Annotated[str, typer.Argument(help="Bundled id or YAML file.")]


@rulesets_app.command("list")
def list_bundled() -> None:
    """List the bundled rulesets."""
    from kematangan.criteria import list_rulesets

    for info in list_rulesets():
        typer.echo(f"{info.id:24} {info.version:8} {info.title_en}")


@rulesets_app.command("show")
def show(ruleset: RulesetArg, lang: LangOpt = "id") -> None:
    """Show a ruleset's stages, criteria (with their conditions and points),
    classes, data checks and unconfirmed assumptions as readable text."""
    from kematangan.criteria import load_ruleset
    from kematangan.criteria.meaning import criterion_max_points
    from kematangan.explain.conditions import describe_condition, unconfirmed_notes
    from kematangan.explain.facts import context
    from kematangan.explain.wording import fmt_number, word

    try:
        rs = load_ruleset(ruleset)
    except KematanganError as err:
        fail(str(err))
    ctx = context(rs)
    typer.echo(f"{rs.id} {rs.version}: {rs.title.get(lang)}")
    for stage in [*rs.stages, None]:
        crits = [c for c in rs.criteria
                 if (c.stage == stage.id if stage else c.stage is None)]
        if not crits:
            continue
        typer.echo(f"\n{stage.label.get(lang) if stage else '-'} "
                   f"({stage.id if stage else 'no stage'})")
        for c in crits:
            mark = "gate" if c.gate else "    "
            points = fmt_number(criterion_max_points(rs, c), lang)
            typer.echo(f"  [{mark}] {c.id:32} {c.label.get(lang)} "
                       f"({points} {word('points_word', lang)})")
            typer.echo(f"         {describe_condition(ctx, c).get(lang)}")
    if rs.classes:
        typer.echo("")
        for k in rs.classes:
            typer.echo(f"  class {k.id:20} {k.interval!s:14} {k.label.get(lang)}")
    if rs.checks:
        typer.echo(f"\n{word('checks', lang)}")
        for check in rs.checks:
            typer.echo(f"  {check.id}: {check.message.get(lang)}")
    notes = unconfirmed_notes(ctx)
    if notes:
        typer.echo(f"\n{word('unconfirmed_heading', lang)}")
        for note in notes:
            typer.echo(f"  - {note.get(lang)}")


@rulesets_app.command("validate")
def validate(
    path: Annotated[Path, typer.Argument(help="A ruleset YAML file.")],
) -> None:
    """Check a ruleset file; print every problem with its line (exit 1 if any)."""
    from kematangan.criteria import load_ruleset
    from kematangan.errors import RulesetError

    if not path.is_file():
        fail(f"no such file: {path}")
    # The loader reads the bytes itself: it checks the size before reading and
    # reports a byte that is not UTF-8 with its line.
    try:
        ruleset = load_ruleset(path)
    except RulesetError as err:
        for p in err.problems:
            typer.echo(str(p), err=True)
        n = len(err.problems)
        fail(f"{n} problem{'s' if n != 1 else ''} in {path}")
    typer.echo(f"ok: {ruleset.id} {ruleset.version}, {len(ruleset.criteria)} "
               f"criteria, hash {ruleset.content_hash[:12]}")


@rulesets_app.command("test")
def run_tests(ruleset: RulesetArg) -> None:
    """Run a ruleset's embedded test cases, records and histories (exit 1 if one
    fails)."""
    from kematangan.scoring import run_cases
    from kematangan.trajectory import run_history_cases

    scorer = scorer_for(ruleset)
    failures = run_cases(scorer) + run_history_cases(scorer.ruleset)
    for f in failures:
        typer.echo(f"FAIL {f}", err=True)
    h = scorer.ruleset.history
    total = len(scorer.ruleset.tests) + (len(h.tests) if h else 0)
    if failures:
        fail(f"{len(failures)} of {total} cases failed")
    typer.echo(f"{total} passed, 0 failed")


@rulesets_app.command("schema")
def print_schema() -> None:
    """Print the JSON Schema of the ruleset file format."""
    from kematangan.criteria.schema import ruleset_json_schema_text

    sys.stdout.write(ruleset_json_schema_text())
