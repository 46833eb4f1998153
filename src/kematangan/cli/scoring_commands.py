"""``kematangan score``, ``explain``, ``report`` and ``template``: a spreadsheet of
groups in, results, explanations and reports out.

The scoring, reading and explaining code is imported inside each command, so
registering these commands costs ``kematangan --help`` nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kematangan.cli.options import (
    AssessedOnOpt,
    LangOpt,
    RulesetOpt,
    SheetOpt,
    assessed_on,
    fail,
    read_problem,
    scorer_for,
    sheet_ref,
)
from kematangan.cli.output import writing
from kematangan.errors import KematanganError, suggest

if TYPE_CHECKING:
    from kematangan.io import Limits
    from kematangan.scoring import BatchResult, Scorer

__all__ = ["explain", "report", "score", "template"]

InputArg = Annotated[Path, typer.Argument(
    help="Group records: .xlsx, .xls, .ods, .csv, .tsv, .json, .jsonl or .parquet, "
    "one row per group.")]
LimitOpt = Annotated[list[str] | None, typer.Option(
    "--limit", metavar="NAME=VALUE",
    help="Change a limit of what the reader accepts, e.g. max_cell_chars=100000 or "
    "max_file_bytes=2GiB; repeat for more. Limits and defaults: docs/security.md.")]


def _limits(values: list[str] | None) -> Limits | None:
    from kematangan.io import parse_limits

    if not values:
        return None
    try:
        return parse_limits(values)
    except KematanganError as err:
        raise typer.BadParameter(str(err), param_hint="--limit") from None


def _read(path: Path, scorer: Scorer, sheet: str | None, date: str | None,
          limit: list[str] | None = None) -> BatchResult:
    from kematangan.io import read_table

    limits = _limits(limit)
    try:
        table = read_table(path, scorer.ruleset, sheet=sheet_ref(sheet),
                           limits=limits)
    except KematanganError as err:
        fail(str(err))
    except OSError as err:
        fail(read_problem(path, err))
    return scorer.score_batch(table.columns, group_ids=table.group_ids,
                              row_numbers=table.row_numbers,
                              assessed_on=assessed_on(date))


def _emit(text: str, output: Path | None, input: Path) -> None:
    if output is None:
        typer.echo(text)
        return
    with writing(output, inputs=[input]):
        output.write_text(text if text.endswith("\n") else text + "\n",
                          encoding="utf-8")
    typer.echo(f"written: {output}")


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
    assessed: AssessedOnOpt = None,
    limit: LimitOpt = None,
    escape_formulas: Annotated[bool, typer.Option(
        "--escape-formulas/--no-escape-formulas",
        help="In .csv/.tsv output, put a ' before text that starts with = + - @ "
        "(which a spreadsheet would run as a formula). Turn off only for programs "
        "that read the file.")] = True,
) -> None:
    """Score every row of INPUT; write every row back with its results."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from kematangan.io import OUTPUT_SUFFIXES
    from kematangan.model import MaturityModel
    from kematangan.scorefile import score_file

    target = output or input.with_name(f"{input.stem}.scored.xlsx")
    limits = _limits(limit)
    scorer = scorer_for(ruleset)
    fitted = None
    if model is not None:
        try:
            fitted = MaturityModel.load(model, scorer.ruleset)
        except (KematanganError, OSError, ValueError) as err:
            fail(f"cannot use model {model}: {err}")
    console = Console(stderr=True)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                        console=console, transient=True,
                        disable=not console.is_terminal)
    inputs = [input] if model is None else [input, model]
    with writing(target, suffixes=OUTPUT_SUFFIXES, inputs=inputs), progress as bar:
        task = bar.add_task("scoring", total=None)
        done = 0

        def advance(rows: int) -> None:
            nonlocal done
            done += rows
            bar.update(task, description=f"scored {done:,} rows")

        try:
            summary = score_file(input, scorer, target, sheet=sheet_ref(sheet),
                                 lang=lang, top_reasons=top_reasons, model=fitted,
                                 progress=advance, assessed_on=assessed_on(assessed),
                                 limits=limits, escape_formulas=escape_formulas)
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


def explain(
    inputs: Annotated[list[Path], typer.Argument(
        help="Group records (as for score); with --history, records of one or "
        "more periods each.")],
    ruleset: RulesetOpt,
    group: Annotated[str | None, typer.Option(
        help="Only the group with this id (default: every group).")] = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", help="text, md, json or html.")] = "text",
    lang: LangOpt = "id",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of the screen.")] = None,
    sheet: SheetOpt = None,
    assessed: AssessedOnOpt = None,
    limit: LimitOpt = None,
    history: Annotated[bool, typer.Option(
        "--history", help="Tell each group's story over the periods of the "
        "input(s) (see 'kematangan trend'): text, md or json.")] = False,
) -> None:
    """Explain each group's result: what holds it back and the next steps."""
    from kematangan.explain import explain as explain_result
    from kematangan.explain import render_html, render_markdown, render_text

    if history:
        from kematangan.cli.trend_commands import explain_history

        if assessed is not None:
            fail("--assessed-on dates one file; with --history each row's period "
                 "or assessment date dates it", code=2)
        explain_history(inputs, ruleset, group, format, lang, output, sheet, limit)
        return
    if len(inputs) > 1:
        fail("explain reads one file; add --history to read several periods",
             code=2)
    input = inputs[0]
    if format not in ("text", "md", "json", "html"):
        raise typer.BadParameter("use text, md, json or html", param_hint="--format")
    scorer = scorer_for(ruleset)
    batch = _read(input, scorer, sheet, assessed, limit)
    rows = range(len(batch))
    if group is not None:
        ids = [] if batch.group_ids is None else batch.group_ids.tolist()
        if group not in ids:
            close = suggest(group, [str(i) for i in ids if i is not None])
            hint = f" (did you mean {close!r}?)" if close else ""
            fail(f"no group {group!r} in {input}{hint}")
        rows = range(ids.index(group), ids.index(group) + 1)
    explanations = [explain_result(batch.assessment(i), scorer) for i in rows]
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
    _emit(text, output, input)


def report(
    input: InputArg,
    ruleset: RulesetOpt,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="The HTML report to write.")],
    lang: LangOpt = "id",
    top_reasons: Annotated[int, typer.Option(min=1)] = 3,
    sheet: SheetOpt = None,
    assessed: AssessedOnOpt = None,
    limit: LimitOpt = None,
) -> None:
    """Write a self-contained HTML portfolio report for every group in INPUT."""
    from kematangan.explain import portfolio_report_html

    scorer = scorer_for(ruleset)
    batch = _read(input, scorer, sheet, assessed, limit)
    _emit(portfolio_report_html(batch, scorer, lang, k=top_reasons), output, input)


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
        with writing(output, suffixes={".xlsx"}):
            path = write_template(output, scorer.ruleset, lang=lang)
    except KematanganError as err:
        fail(str(err))
    typer.echo(f"template: {path}")
