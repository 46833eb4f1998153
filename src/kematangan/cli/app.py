"""The ``kematangan`` command line.

Exit codes: 0 success; 1 input or ruleset errors (a message, no traceback);
2 usage errors (unknown option, missing argument).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from kematangan.cli.model_commands import model_app
from kematangan.cli.options import RulesetOpt, fail, scorer_for
from kematangan.criteria import list_rulesets, load_ruleset, validate_ruleset
from kematangan.criteria.schema import ruleset_json_schema_text
from kematangan.errors import KematanganError, suggest
from kematangan.model import MaturityModel
from kematangan.scoring import BatchResult, Scorer, run_cases

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





LangOpt = Annotated[str, typer.Option(help="Language of labels and texts: id "
                                     "(Indonesian) or en.")]
SheetOpt = Annotated[str | None, typer.Option(
    help="Sheet name or 0-based index (workbooks). Default: the first sheet whose "
    "headers match the ruleset.")]
InputArg = Annotated[Path, typer.Argument(
    help="Group records: .xlsx, .xls, .ods, .csv, .tsv, .json, .jsonl or .parquet, "
    "one row per group.")]


def _lang(lang: str) -> str:
    if lang not in ("id", "en"):
        raise typer.BadParameter("use 'id' or 'en'", param_hint="--lang")
    return lang


def _sheet(sheet: str | None) -> str | int | None:
    return int(sheet) if sheet is not None and sheet.isdigit() else sheet


def _read(path: Path, scorer: Scorer, sheet: str | None) -> BatchResult:
    from kematangan.io import read_table

    try:
        table = read_table(path, scorer.ruleset, sheet=_sheet(sheet))
    except KematanganError as err:
        fail(str(err))
    return scorer.score_batch(table.columns, group_ids=table.group_ids,
                              row_numbers=table.row_numbers)


@app.command()
def score(
    input: InputArg,
    ruleset: RulesetOpt,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Results file: .xlsx (sheets results, errors, "
        "summary, ruleset), .csv, .jsonl or .parquet (the other sheets as files "
        "beside it). Default: INPUT.scored.xlsx next to the input.")] = None,
    sheet: SheetOpt = None,
    lang: LangOpt = "id",
    top_reasons: Annotated[int, typer.Option(
        help="How many reasons to list per group.", min=0)] = 3,
    model: Annotated[Path | None, typer.Option(
        help="A model saved by 'kematangan model fit': adds its probability "
        "beside the rules' result.")] = None,
) -> None:
    """Score every row of INPUT; write every row back with its results."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from kematangan.scorefile import score_file

    lang = _lang(lang)
    scorer = scorer_for(ruleset)
    fitted = None
    if model is not None:
        try:
            fitted = MaturityModel.load(model, scorer.ruleset)
        except (KematanganError, OSError, ValueError) as err:
            fail(f"cannot use model {model}: {err}")
    target = output or input.with_name(f"{input.stem}.scored.xlsx")
    if target.resolve() == input.resolve():
        fail("the output would overwrite the input; choose another --output")
    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                  console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task("scoring", total=None)
        done = 0

        def advance(rows: int) -> None:
            nonlocal done
            done += rows
            bar.update(task, description=f"scored {done:,} rows")

        try:
            summary = score_file(input, scorer, target, sheet=_sheet(sheet),
                                 lang=lang, top_reasons=top_reasons, model=fitted,
                                 progress=advance)
        except KematanganError as err:
            fail(str(err))
    rs = scorer.ruleset
    typer.echo(f"{summary.rows} groups scored with {rs.id} {rs.version} "
               f"(hash {rs.content_hash[:12]})")
    if scorer.plan.stage_ids:
        typer.echo("  stage: " + ", ".join(f"{k} {v}" for k, v in
                                           summary.stage.items())
                   + f" (missing data leaves {summary.stage_undetermined} "
                   "undetermined: shown at the stage reached for certain)")
    if scorer.plan.class_ids:
        typer.echo("  class: " + ", ".join(f"{k} {v}" for k, v in
                                           summary.class_.items())
                   + f" ({summary.class_undetermined} undetermined)")
    if scorer.plan.exit_stage >= 0:
        typer.echo(f"  exit-ready: {summary.exit_ready}")
    typer.echo(f"  values that could not be used: {summary.errors}; values read "
               f"with a note: {summary.notes} (see the errors sheet)")
    typer.echo("results: " + ", ".join(str(p) for p in summary.written))


@app.command("explain")
def explain_cmd(
    input: InputArg,
    ruleset: RulesetOpt,
    group: Annotated[str | None, typer.Option(
        help="Only the group with this id (default: every group).")] = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", help="text, md, json or html.")] = "text",
    lang: LangOpt = "id",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of the screen.")] = None,
    sheet: SheetOpt = None,
) -> None:
    """Explain each group's result: what holds it back and the next steps."""
    from kematangan.explain import explain, render_html, render_markdown, render_text

    lang = _lang(lang)
    if format not in ("text", "md", "json", "html"):
        raise typer.BadParameter("use text, md, json or html", param_hint="--format")
    scorer = scorer_for(ruleset)
    batch = _read(input, scorer, sheet)
    rows = range(len(batch))
    if group is not None:
        ids = [] if batch.group_ids is None else batch.group_ids.tolist()
        rows = range(0)
        if group in ids:
            rows = range(ids.index(group), ids.index(group) + 1)
        else:
            close = suggest(group, [str(i) for i in ids if i is not None])
            hint = f" (did you mean {close!r}?)" if close else ""
            fail(f"no group {group!r} in {input}{hint}")
    explanations = [explain(batch.assessment(i), scorer) for i in rows]
    if format == "json":
        text = json.dumps([e.model_dump(mode="json") for e in explanations],
                          ensure_ascii=False, indent=2)
    elif format == "html":
        if len(explanations) != 1:
            fail("--format html explains one group: add --group ID (or use "
                  "'kematangan report' for all groups)")
        text = render_html(explanations[0], lang)
    else:
        render = render_markdown if format == "md" else render_text
        text = "\n\n".join(render(e, lang) for e in explanations)
    _emit(text, output)


@app.command()
def report(
    input: InputArg,
    ruleset: RulesetOpt,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="The HTML report to write.")],
    lang: LangOpt = "id",
    top_reasons: Annotated[int, typer.Option(min=1)] = 3,
    sheet: SheetOpt = None,
) -> None:
    """Write a self-contained HTML portfolio report for every group in INPUT."""
    from kematangan.explain import portfolio_report_html

    lang = _lang(lang)
    scorer = scorer_for(ruleset)
    batch = _read(input, scorer, sheet)
    _emit(portfolio_report_html(batch, scorer, lang, k=top_reasons), output)


@app.command()
def template(
    ruleset: RulesetOpt,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="The .xlsx template to write.")] = Path(
            "template.xlsx"),
    lang: LangOpt = "id",
) -> None:
    """Write an empty spreadsheet with the ruleset's headers, units, allowed values
    (as drop-down lists) and a filled example row."""
    from kematangan.io import write_template

    scorer = scorer_for(ruleset)
    try:
        path = write_template(output, scorer.ruleset, lang=_lang(lang))
    except KematanganError as err:
        fail(str(err))
    typer.echo(f"template: {path}")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text)
        return
    try:
        output.write_text(text if text.endswith("\n") else text + "\n",
                          encoding="utf-8")
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror}")
    typer.echo(f"written: {output}")


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
        fail(str(err))
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
        fail(f"no such file: {path}")
    ruleset, problems = validate_ruleset(path.read_text(encoding="utf-8"),
                                         str(path))
    for p in problems:
        typer.echo(str(p), err=True)
    if problems or ruleset is None:
        fail(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {path}")
    typer.echo(f"ok: {ruleset.id} {ruleset.version}, {len(ruleset.criteria)} "
               f"criteria, hash {ruleset.content_hash[:12]}")


@rulesets_app.command("test")
def rulesets_test(
    ruleset: Annotated[str, typer.Argument(help="Bundled id or YAML file.")],
) -> None:
    """Run a ruleset's embedded test cases (exit 1 if one fails)."""
    scorer = scorer_for(ruleset)
    failures = run_cases(scorer)
    for f in failures:
        typer.echo(f"FAIL {f}", err=True)
    total = len(scorer.ruleset.tests)
    if failures:
        fail(f"{len(failures)} of {total} cases failed")
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
