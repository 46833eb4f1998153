"""``kematangan score``, ``explain``, ``report`` and ``template``: a spreadsheet of
groups in, results, explanations and reports out.

The scoring, reading and explaining code is imported inside each command, so
registering these commands costs ``kematangan --help`` nothing.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kematangan.cli.options import (
    AssessedOnOpt,
    EngineOpt,
    InputArg,
    LangOpt,
    LimitOpt,
    MapOpt,
    MappingOpt,
    RulesetOpt,
    SheetOpt,
    StrictOpt,
    assessed_on,
    fail,
    fail_error,
    limits_of,
    read_problem,
    scorer_for,
    sheet_ref,
    strict_exit,
    user_mapping,
)
from kematangan.cli.output import writing
from kematangan.errors import KematanganError, suggest

if TYPE_CHECKING:
    from kematangan.io import Table, UserMapping
    from kematangan.scoring import BatchResult, Scorer

__all__ = ["explain", "read_scored", "report", "score", "template"]

def read_scored(path: Path, scorer: Scorer, sheet: str | None, date: str | None,
                limit: list[str] | None, mapping: UserMapping | None,
                lang: str) -> tuple[Table, BatchResult]:
    """Read ``path`` and score its groups, the reader's problems and the scorer's
    in one list; exit 1 with one message when it cannot be read."""
    from kematangan.io import read_table
    from kematangan.scorefile import score_table

    limits = limits_of(limit)
    try:
        table = read_table(path, scorer.ruleset, sheet=sheet_ref(sheet),
                           limits=limits, mapping=mapping)
    except KematanganError as err:
        fail_error(err, lang)
    except OSError as err:
        fail(read_problem(path, err))
    dated = assessed_on(date)
    table = replace(table, mapping=table.mapping.supplying(scorer.ruleset, dated))
    return table, score_table(scorer, table, assessed_on=dated)


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
        "columns, summary, ruleset), .csv, .jsonl or .parquet (the other sheets as "
        "files beside it). Default: INPUT.scored.xlsx next to the input.")] = None,
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
    map: MapOpt = None,
    mapping: MappingOpt = None,
    strict: StrictOpt = False,
    engine: EngineOpt = "stream",
    workers: Annotated[int | None, typer.Option(
        help="With --engine dask: how many worker processes the local Dask cluster "
        "starts (one thread each). Default: one per CPU.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        metavar="ADDRESS", help="With --engine dask: use the running Dask scheduler "
        "at ADDRESS (e.g. tcp://10.0.0.5:8786) instead of starting a local cluster; "
        "default: the DASK_SCHEDULER_ADDRESS environment variable.")] = None,
    keep: Annotated[list[str] | None, typer.Option(
        "--keep", metavar="COLUMN", help="With --engine dask: an input column to "
        "carry into the results (e.g. a row id or district); repeat for more.")]
    = None,
) -> None:
    """Score every group of INPUT; write every row back with its results or why.

    Prints how the columns were read first, then which rows are groups. With
    --engine dask, INPUT is Parquet (a file, a folder of partitions or a glob) and
    the results are a folder of Parquet files."""
    if engine == "dask":
        _score_dask(input, ruleset, output, lang, top_reasons, workers, scheduler,
                    keep or [], strict, given={
                        "--sheet": sheet, "--model": model, "--assessed-on": assessed,
                        "--limit": limit, "--map": map, "--mapping": mapping})
        return
    for name, value in (("--workers", workers), ("--scheduler", scheduler),
                        ("--keep", keep)):
        if value is not None:
            fail(f"{name} is for --engine dask; fix: add --engine dask (Parquet "
                 f"input) or leave out {name}", code=2)
    from kematangan.cli.progress import row_progress
    from kematangan.io import OUTPUT_SUFFIXES
    from kematangan.io.counting import count_rows
    from kematangan.model import MaturityModel
    from kematangan.scorefile import mapping_lines, rows_lines, score_file, score_lines

    target = output or input.with_name(f"{input.stem}.scored.xlsx")
    limits = limits_of(limit)
    given = user_mapping(map, mapping)
    scorer = scorer_for(ruleset)
    fitted = None
    if model is not None:
        try:
            fitted = MaturityModel.load(model, scorer.ruleset)
        except (KematanganError, OSError, ValueError) as err:
            fail(f"cannot use model {model}: {err}")
    inputs = [input] if model is None else [input, model]
    total = count_rows(input, sheet=sheet_ref(sheet), limits=limits)
    with writing(target, suffixes=OUTPUT_SUFFIXES, inputs=inputs), \
            row_progress(total) as advance:
        try:
            summary = score_file(input, scorer, target, sheet=sheet_ref(sheet),
                                 lang=lang, top_reasons=top_reasons, model=fitted,
                                 progress=advance, assessed_on=assessed_on(assessed),
                                 limits=limits, escape_formulas=escape_formulas,
                                 mapping=given)
        except KematanganError as err:
            fail_error(err, lang)
    rs = scorer.ruleset
    assert summary.mapping is not None
    for line in [*mapping_lines(summary.mapping, rs, lang),
                 *rows_lines(summary.rows, summary.skipped, summary.no_id, lang,
                             summary.repeated, counts=summary),
                 *score_lines(summary, rs, lang)]:
        typer.echo(line)
    if strict:
        strict_exit(len(summary.mapping.unmatched), len(summary.mapping.missing),
                    summary.problems, lang)


def _score_dask(input: Path, ruleset: str, output: Path | None, lang: str,
                top_reasons: int, workers: int | None, scheduler: str | None,
                keep: list[str], strict: bool, given: dict[str, object]) -> None:
    """``score --engine dask``: refuse the options it cannot honour, then score."""
    from kematangan.cli.dask_score import score_on_dask
    from kematangan.scorefile import rows_lines, score_lines

    unused = [name for name, value in given.items() if value]
    if unused:
        fail(f"--engine dask does not take {', '.join(unused)}: it reads Parquet "
             "columns named by field id; fix: leave them out, or score with the "
             "default engine", code=2)
    if workers is not None and workers < 1:
        fail(f"--workers must be 1 or more, not {workers}", code=2)
    scorer = scorer_for(ruleset)
    summary, absent = score_on_dask(input, scorer, output, workers=workers,
                            scheduler=scheduler, keep=keep,
                            top_reasons=top_reasons, lang=lang)
    for line in [*rows_lines(summary.rows, {}, [], lang),
                 *score_lines(summary, scorer.ruleset, lang, where="column")]:
        typer.echo(line)
    if strict:
        strict_exit(0, len(absent), summary.problems, lang)


def _pick(batch: BatchResult, input: Path, group: str | None, row: int | None,
          lang: str) -> range:
    """The records ``--group`` and ``--row`` choose; a group id on two rows asks
    for ``--row``."""
    numbers = batch.row_numbers.tolist()
    if row is not None:
        if row not in numbers:
            fail(f"baris {row} dari {input} bukan kelompok yang dinilai" if lang ==
                  "id" else f"row {row} of {input} is not a scored group")
        at = numbers.index(row)
        return range(at, at + 1)
    if group is None:
        return range(len(batch))
    ids = [] if batch.group_ids is None else batch.group_ids.tolist()
    found = [i for i, g in enumerate(ids) if g == group]
    if not found:
        close = suggest(group, [str(i) for i in ids if i is not None])
        hint = f" (did you mean {close!r}?)" if close else ""
        fail(f"no group {group!r} in {input}{hint}")
    if len(found) > 1:
        rows = ", ".join(str(numbers[i]) for i in found)
        fail(f"kode kelompok {group!r} ada di beberapa baris ({rows}); pilih satu "
              f"dengan --row" if lang == "id" else
              f"group {group!r} is on several rows ({rows}); choose one with --row")
    return range(found[0], found[0] + 1)


def explain(
    inputs: Annotated[list[Path], typer.Argument(
        help="Group records (as for score); with --history, records of one or "
        "more periods each.")],
    ruleset: RulesetOpt,
    group: Annotated[str | None, typer.Option(
        help="Only the group with this id (default: every group).")] = None,
    row: Annotated[int | None, typer.Option(
        "--row", help="Only the group on this sheet row (a group without an id, "
        "or one of two rows with the same id).")] = None,
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
    map: MapOpt = None,
    mapping: MappingOpt = None,
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
    given = user_mapping(map, mapping)
    scorer = scorer_for(ruleset)
    _, batch = read_scored(input, scorer, sheet, assessed, limit, given, lang)
    rows = _pick(batch, input, group, row, lang)
    explanations = [explain_result(batch.assessment(i), scorer,
                                   row=int(batch.row_numbers[i])) for i in rows]
    if format == "json":
        text = json.dumps([e.model_dump(mode="json") for e in explanations],
                          ensure_ascii=False, indent=2)
    elif format == "html":
        if len(explanations) != 1:
            fail("--format html explains one group: add --group ID or --row N (or "
                 "use 'kematangan report' for all groups)")
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
    map: MapOpt = None,
    mapping: MappingOpt = None,
) -> None:
    """Write a self-contained HTML portfolio report for every group in INPUT.

    It ends with how the columns were read and the rows that are not groups."""
    from kematangan.explain import portfolio_report_html
    from kematangan.scorefile import report_sections
    from kematangan.scorefile.sheets import skipped_rows

    given = user_mapping(map, mapping)
    scorer = scorer_for(ruleset)
    table, batch = read_scored(input, scorer, sheet, assessed, limit, given, lang)
    appendix = report_sections(table.mapping, scorer.ruleset,
                               skipped_rows([table.skipped]), lang)
    _emit(portfolio_report_html(batch, scorer, lang, k=top_reasons,
                                appendix=appendix), output, input)


def template(
    ruleset: RulesetOpt,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="The .xlsx template to write.")] = Path(
            "template.xlsx"),
    lang: LangOpt = "id",
    write_mapping: Annotated[Path | None, typer.Option(
        "--write-mapping", metavar="FILE",
        help="Also write a YAML mapping file listing every field, for you to fill "
        "in with the headers of your own sheet (then use it with --mapping).")]
    = None,
) -> None:
    """Write an empty spreadsheet with the ruleset's headers, units, allowed values
    (as drop-down lists) and a filled example row."""
    from kematangan.io import write_template
    from kematangan.scorefile import write_mapping_file

    scorer = scorer_for(ruleset)
    try:
        with writing(output, suffixes={".xlsx"}):
            path = write_template(output, scorer.ruleset, lang=lang)
    except KematanganError as err:
        fail(str(err))
    typer.echo(f"template: {path}")
    if write_mapping is not None:
        with writing(write_mapping, option="--write-mapping",
                     suffixes={".yaml", ".yml"}):
            written = write_mapping_file(write_mapping, scorer.ruleset, None,
                                         source=output.name, lang=lang)
        typer.echo(f"mapping: {written}")
