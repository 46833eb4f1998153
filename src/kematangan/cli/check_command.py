"""``kematangan check``: a dry run of scoring a file.

It reads, maps and validates the file as ``kematangan score`` would, and prints the
column mapping, the rows it will treat as groups and those it will not, and the
data problems, without scoring or writing results. Exit codes: 0 when every stage
can be judged; 1 when a field some stage's gates need has no column (or, with
``--strict``, when any column is unmatched, any field has no column or any value
has a problem); 2 for usage and output problems.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kematangan.cli.options import (
    AssessedOnOpt,
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
from kematangan.errors import KematanganError

__all__ = ["check"]


def check(
    input: InputArg,
    ruleset: RulesetOpt,
    sheet: SheetOpt = None,
    lang: LangOpt = "id",
    format: Annotated[str, typer.Option(
        "--format", "-f", help="text or json.")] = "text",
    map: MapOpt = None,
    mapping: MappingOpt = None,
    write_mapping: Annotated[Path | None, typer.Option(
        "--write-mapping", metavar="FILE",
        help="Write a YAML mapping file of INPUT's columns, for you to complete "
        "and pass back with --mapping.")] = None,
    strict: StrictOpt = False,
    limit: LimitOpt = None,
    assessed: AssessedOnOpt = None,
) -> None:
    """Check INPUT before scoring: how its columns are read, its rows, its problems.

    Nothing is scored or written (but --write-mapping). Exits 1 when a field that
    a stage's requirements need has no column."""
    from kematangan.scorefile import check_file, write_mapping_file

    if format not in ("text", "json"):
        raise typer.BadParameter("use text or json", param_hint="--format")
    limits = limits_of(limit)
    given = user_mapping(map, mapping)
    scorer = scorer_for(ruleset)
    rs = scorer.ruleset
    try:
        found = check_file(input, scorer, sheet=sheet_ref(sheet), limits=limits,
                           mapping=given, assessed_on=assessed_on(assessed))
    except KematanganError as err:
        fail_error(err, lang)
    except OSError as err:
        fail(read_problem(input, err))
    if format == "json":
        typer.echo(json.dumps(found.to_dict(rs, lang), ensure_ascii=False, indent=2))
    else:
        for line in found.lines(rs, lang):
            typer.echo(line)
    if write_mapping is not None:
        with writing(write_mapping, option="--write-mapping",
                     suffixes={".yaml", ".yml"}, inputs=[input]):
            write_mapping_file(write_mapping, rs, found.mapping, source=input.name,
                               lang=lang)
        typer.echo(("pemetaan ditulis: {p}; lengkapi, lalu pakai --mapping {p}"
                    if lang == "id" else "mapping written: {p}; complete it, then "
                    "use --mapping {p}").format(p=write_mapping), err=format == "json")
    gates = found.gate_fields_missing(rs)
    if gates:
        fail(("tidak ada kolom untuk data yang dibutuhkan syarat tahap: {f}" if lang ==
              "id" else "no column for fields that stage requirements need: {f}"
              ).format(f=", ".join(gates)))
    if strict:
        strict_exit(len(found.mapping.unmatched), len(found.mapping.missing),
                    len(found.problems), lang)
