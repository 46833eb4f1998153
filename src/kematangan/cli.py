"""The ``kematangan`` command line.

Exit codes: 0 success; 1 input or ruleset errors (a message, no traceback);
2 usage errors (unknown option, missing argument).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from kematangan.cli_model import model_app
from kematangan.criteria import list_rulesets, load_ruleset, validate_ruleset
from kematangan.criteria.schema import ruleset_json_schema_text
from kematangan.errors import KematanganError
from kematangan.scoring import Scorer, run_cases

__all__ = ["app", "cli_reference", "main"]

app = typer.Typer(
    name="kematangan",
    help="Score community-group maturity and exit readiness with declarative "
    "rulesets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rulesets_app = typer.Typer(help="List, show, validate and test rulesets.",
                           no_args_is_help=True)
app.add_typer(rulesets_app, name="rulesets")
app.add_typer(model_app, name="model")

RulesetOpt = Annotated[str, typer.Option(
    "--ruleset", "-r", help="A bundled ruleset id (see 'rulesets list') or a YAML "
    "file.")]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _scorer(ruleset: str) -> Scorer:
    try:
        return Scorer(ruleset)
    except KematanganError as err:
        _fail(str(err))


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        _fail(f"cannot read {path}: {err.strerror}")
    for n, line in enumerate(lines, 1):
        if not line.strip():
            _fail(f"{path}, line {n}: blank line; remove it (one JSON object per line)")
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            _fail(f"{path}, line {n}: not valid JSON ({err.msg}); fix the line")
        if not isinstance(row, dict):
            _fail(f"{path}, line {n}: expected a JSON object of field values")
        rows.append(row)
    if not rows:
        _fail(f"{path} has no records")
    return rows


@app.command()
def score(
    input: Annotated[Path, typer.Argument(help="Group records as JSON lines (one "
                                          "object of field values per line).")],
    ruleset: RulesetOpt,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Where to write one result per line (JSON lines). "
        "Default: INPUT.scored.jsonl next to the input.")] = None,
) -> None:
    """Score every record of INPUT and write the results next to it."""
    if input.suffix.lower() not in (".jsonl", ".ndjson"):
        _fail(f"{input}: this version reads JSON lines (.jsonl); spreadsheet input "
              "is not available yet")
    scorer = _scorer(ruleset)
    batch = scorer.score_batch(_read_jsonl(input))
    target = output or input.with_name(f"{input.stem}.scored.jsonl")
    with target.open("w", encoding="utf-8") as fp:
        batch.to_jsonl(fp)
    summary = batch.summary()
    typer.echo(f"{summary['records']} groups scored with {scorer.ruleset.id} "
               f"{scorer.ruleset.version} (hash {scorer.ruleset.content_hash[:12]})")
    typer.echo("  stage: " + ", ".join(f"{k} {v}" for k, v in
                                       summary["stage"].items()))
    if scorer.plan.class_ids:
        typer.echo("  class: " + ", ".join(f"{k} {v}" for k, v in
                                           summary["class"].items()))
    if scorer.plan.exit_stage >= 0:
        typer.echo(f"  exit-ready: {summary['exit_ready']}")
    typer.echo(f"  records with unusable values: {summary['records_with_issues']} "
               "(listed under 'issues' in each result)")
    typer.echo(f"results: {target}")


@rulesets_app.command("list")
def rulesets_list() -> None:
    """List the bundled rulesets."""
    for info in list_rulesets():
        typer.echo(f"{info.id:24} {info.version:8} {info.title_en}")


@rulesets_app.command("show")
def rulesets_show(
    ruleset: Annotated[str, typer.Argument(help="Bundled id or YAML file.")],
    lang: Annotated[str, typer.Option(help="id or en")] = "id",
) -> None:
    """Show a ruleset's stages, criteria and classes as a readable table."""
    try:
        rs = load_ruleset(ruleset)
    except KematanganError as err:
        _fail(str(err))
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
            typer.echo(f"  [{mark}] {c.id:32} {c.label.get(lang)}")
    if rs.classes:
        typer.echo("")
        for k in rs.classes:
            typer.echo(f"  class {k.id:20} {k.interval!s:14} {k.label.get(lang)}")


@rulesets_app.command("validate")
def rulesets_validate(
    path: Annotated[Path, typer.Argument(help="A ruleset YAML file.")],
) -> None:
    """Check a ruleset file; print every problem with its line (exit 1 if any)."""
    if not path.is_file():
        _fail(f"no such file: {path}")
    ruleset, problems = validate_ruleset(path.read_text(encoding="utf-8"),
                                         str(path))
    for p in problems:
        typer.echo(str(p), err=True)
    if problems or ruleset is None:
        _fail(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {path}")
    typer.echo(f"ok: {ruleset.id} {ruleset.version}, {len(ruleset.criteria)} "
               f"criteria, hash {ruleset.content_hash[:12]}")


@rulesets_app.command("test")
def rulesets_test(
    ruleset: Annotated[str, typer.Argument(help="Bundled id or YAML file.")],
) -> None:
    """Run a ruleset's embedded test cases (exit 1 if one fails)."""
    scorer = _scorer(ruleset)
    failures = run_cases(scorer)
    for f in failures:
        typer.echo(f"FAIL {f}", err=True)
    total = len(scorer.ruleset.tests)
    if failures:
        _fail(f"{len(failures)} of {total} cases failed")
    typer.echo(f"{total} passed, 0 failed")


@rulesets_app.command("schema")
def rulesets_schema() -> None:
    """Print the JSON Schema of the ruleset file format."""
    sys.stdout.write(ruleset_json_schema_text())


def main() -> None:
    """Entry point of the ``kematangan`` command."""
    app()


def cli_reference() -> str:
    """The Markdown reference of every command's ``--help`` (for ``docs/``)."""
    from typer.testing import CliRunner

    env = {"COLUMNS": "88", "NO_COLOR": "1", "TERM": "dumb"}
    out = ["# Command line reference", "",
           "<!-- generated by `python -m kematangan.docgen`; do not edit -->", "",
           "Exit codes: 0 success; 1 input or ruleset errors (one message, no "
           "traceback); 2 usage errors.", ""]

    def walk(typer_app: typer.Typer, path: list[str]) -> None:
        result = CliRunner().invoke(app, [*path[1:], "--help"], env=env)
        text = "\n".join(line.rstrip() for line in result.output.splitlines())
        out.extend([f"## `{' '.join(path)}`", "", "```text", text.strip("\n"),
                    "```", ""])
        for cmd in typer_app.registered_commands:
            name = cmd.name or (cmd.callback.__name__.replace("_", "-")
                                if cmd.callback else "")
            res = CliRunner().invoke(app, [*path[1:], name, "--help"], env=env)
            text = "\n".join(line.rstrip() for line in res.output.splitlines())
            out.extend([f"## `{' '.join([*path, name])}`", "", "```text",
                        text.strip("\n"), "```", ""])
        for group in typer_app.registered_groups:
            if group.typer_instance is not None and group.name:
                walk(group.typer_instance, [*path, group.name])

    walk(app, ["kematangan"])
    return "\n".join(out)
