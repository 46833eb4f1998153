"""``kematangan trend`` and ``kematangan explain --history``: records of many periods
in, groups' histories out.

The reading, scoring and reporting code is imported inside each command, so
registering them costs ``kematangan --help`` nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from kematangan.cli.options import (
    LangOpt,
    LimitOpt,
    SheetOpt,
    fail,
    read_problem,
    sheet_ref,
)
from kematangan.cli.output import writing
from kematangan.errors import KematanganError, suggest

if TYPE_CHECKING:
    from kematangan.io import Limits
    from kematangan.trajectory import Trajectories

__all__ = ["explain_history", "trend"]

FilesArg = Annotated[list[Path], typer.Argument(
    help="Records of one or more periods each (.xlsx, .csv, ...): a Periode "
    "column (2024Q3, 2024-09, 2024), a Tanggal penilaian column, or the period in "
    "the file name.")]
RulesetsOpt = Annotated[list[str], typer.Option(
    "--ruleset", "-r", help="A bundled ruleset id or a YAML file; repeat for "
    "several versions of one instrument. Bundled rulesets of the same family "
    "score the dates the given ones do not cover.")]
CadenceOpt = Annotated[str | None, typer.Option(
    help="month, quarter or year. Default: the ruleset's history.cadence, else the "
    "longest period written, else quarter.")]


def _cadence(value: str | None) -> Literal["month", "quarter", "year"] | None:
    if value in (None, "month", "quarter", "year"):
        return value  # type: ignore[return-value]
    raise typer.BadParameter("use month, quarter or year", param_hint="--cadence")


def _limits(values: list[str] | None) -> Limits | None:
    from kematangan.io import parse_limits

    try:
        return parse_limits(values) if values else None
    except KematanganError as err:
        raise typer.BadParameter(str(err), param_hint="--limit") from None


def _read(files: list[Path], rulesets: list[str], sheet: str | None,
          cadence: str | None, limit: list[str] | None) -> Trajectories:
    from kematangan.trendfile import read_histories

    try:
        t, _ = read_histories(files, rulesets, sheet=sheet_ref(sheet),
                              cadence=_cadence(cadence), limits=_limits(limit))
    except KematanganError as err:
        fail(str(err))
    except OSError as err:
        fail(read_problem(Path(err.filename or files[0]), err))
    return t


def trend(
    files: FilesArg,
    ruleset: RulesetsOpt,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The workbook: per-group history, groups, "
        "transitions, stagnating and regressing groups, cohorts, problems "
        "(.xlsx; .csv, .jsonl or .parquet write each sheet beside it). Default: "
        "FILE.trend.xlsx next to the first file.")] = None,
    report: Annotated[Path | None, typer.Option(
        help="The HTML report. Default: FILE.trend.html next to the first file.")]
    = None,
    lang: LangOpt = "id",
    sheet: SheetOpt = None,
    cadence: CadenceOpt = None,
    from_period: Annotated[str | None, typer.Option(
        "--from", help="Transitions from this period (default: the first).")] = None,
    to_period: Annotated[str | None, typer.Option(
        "--to", help="Transitions to this period (default: the latest).")] = None,
    limit: LimitOpt = None,
) -> None:
    """Score each group's history over the periods of FILES: stage and class per
    period, regressions and why, gaps, stagnation, exit on a track record."""
    from kematangan.io import OUTPUT_SUFFIXES
    from kematangan.trendfile import trend_file

    first = files[0]
    target = output or first.with_name(f"{first.stem}.trend.xlsx")
    page = report or first.with_name(f"{first.stem}.trend.html")
    limits = _limits(limit)
    if target.resolve() == page.resolve():
        fail(f"cannot write {page}: it is also the workbook; fix: choose another "
             "--report", code=2)
    with writing(target, suffixes=OUTPUT_SUFFIXES, inputs=files), writing(
            page, option="--report", suffixes={".html", ".htm"}, inputs=files):
        try:
            summary = trend_file(files, ruleset, target, report=page, lang=lang,
                                 sheet=sheet_ref(sheet), cadence=_cadence(cadence),
                                 from_period=from_period, to_period=to_period,
                                 limits=limits)
        except KematanganError as err:
            fail(str(err))
    f = summary.figures
    periods = f["periods"]
    span = f"{periods[0]} to {periods[-1]}" if periods else "none"
    typer.echo(f"{f['groups']} groups, {f['assessments']} assessments over "
               f"{len(periods)} periods ({span}, {f['cadence']}) with "
               f"{', '.join(f['rulesets'])}")
    typer.echo(f"  regressions: {f['regressions']}; stagnating now: "
               f"{f['stagnating']}; exit-ready on the track record: "
               f"{f['exit_ready']}; groups with periods missing: "
               f"{f['groups_with_gaps']}")
    typer.echo(f"  rows not placed in a history: {f['rows_not_placed']}; problems: "
               f"{summary.problems} (see the problems sheet)")
    for note in summary.notes:
        typer.echo(f"  note: {note}")
    typer.echo("written: " + ", ".join(str(p) for p in summary.written))


def explain_history(files: list[Path], ruleset: str, group: str | None,
                    format: str, lang: str, output: Path | None,
                    sheet: str | None, limit: list[str] | None = None) -> None:
    """``explain --history``: each group's story (or one group's, ``--group``)."""
    from kematangan.explain import history_story, story_lines

    if format not in ("text", "md", "json"):
        raise typer.BadParameter("with --history use text, md or json",
                                 param_hint="--format")
    t = _read(files, [ruleset], sheet, None, limit)
    ids = [str(g) for g in t.groups.tolist()]
    if group is not None and group not in ids:
        close = suggest(group, ids)
        hint = f" (did you mean {close!r}?)" if close else ""
        fail(f"no group {group!r} in the data{hint}")
    chosen = [group] if group is not None else ids
    if format == "json":
        import dataclasses

        text = json.dumps([dataclasses.asdict(t.history(g)) for g in chosen],
                          ensure_ascii=False, indent=2, default=_plain)
    elif format == "md":
        text = "\n\n".join(_markdown(story_lines(t, g, lang)) for g in chosen)
    else:
        text = "\n".join(history_story(t, g, lang) for g in chosen)
    if output is None:
        typer.echo(text.rstrip("\n"))
        return
    with writing(output, inputs=files):
        output.write_text(text if text.endswith("\n") else text + "\n",
                          encoding="utf-8")
    typer.echo(f"written: {output}")


def _plain(value: object) -> object:
    """Texts (``{"id": ..., "en": ...}``) and anything else JSON cannot hold."""
    dump = getattr(value, "model_dump", None)
    return dump() if callable(dump) else str(value)


def _markdown(lines: list[str]) -> str:
    return "\n".join([f"## {lines[0]}", "", *(f"- {line}" for line in lines[1:])])
