"""``kematangan rollup``: score member groups, roll them up to a parent column and,
with a parent-level ruleset, score the parents too.

The scoring and roll-up code is imported inside the command, so registering it
costs ``kematangan --help`` nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kematangan.cli.options import (
    LangOpt,
    RulesetOpt,
    SheetOpt,
    fail,
    scorer_for,
    sheet_ref,
)
from kematangan.cli.output import writing
from kematangan.errors import KematanganError

__all__ = ["rollup"]


def rollup(
    input: Annotated[Path, typer.Argument(
        help="Member groups (one row per group, e.g. KSM) with a column naming "
        "each group's parent: .xlsx, .xls, .ods, .csv, .tsv, .json, .jsonl or "
        ".parquet.")],
    ruleset: RulesetOpt,
    by: Annotated[str, typer.Option(
        help="The column naming each group's parent, e.g. bkm_id, kelurahan, "
        "kecamatan, gapoktan. With --parent-ruleset, the parent ruleset's id "
        "field also matches its aliases (Kode BKM, LKM, ...).")],
    parent_ruleset: Annotated[str | None, typer.Option(
        help="A parent-level ruleset (bundled id or YAML file) with a 'members' "
        "section, e.g. bkm-lkm: scores each parent on its own data and on its "
        "member groups' aggregates.")] = None,
    parent_data: Annotated[Path | None, typer.Option(
        help="The parents' own data, one row per parent (needs "
        "--parent-ruleset).")] = None,
    aggregate: Annotated[list[str] | None, typer.Option(
        "--aggregate", "-a", help="More aggregates for the parents sheet, e.g. "
        "share.not_met.repayment_current or sum.arrears_instalments (repeatable; "
        "see docs/rollup.md).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Output file: .xlsx (sheets groups, parents, errors, "
        "summary), .csv, .jsonl or .parquet (the other sheets as files beside it). "
        "Default: INPUT.rollup.xlsx next to the input.")] = None,
    sheet: SheetOpt = None,
    parent_sheet: Annotated[str | None, typer.Option(
        help="Sheet of --parent-data (name or 0-based index).")] = None,
    lang: LangOpt = "id",
    top_reasons: Annotated[int, typer.Option(
        help="How many reasons to list per group and per parent.", min=0)] = 3,
) -> None:
    """Score every group in INPUT, roll the results up by a parent column (counts
    and shares per stage and class, with upper bounds where data is missing) and,
    with --parent-ruleset, score each parent and name the member groups that hold
    it back."""
    from kematangan.criteria.members import parse_aggregate
    from kematangan.io import OUTPUT_SUFFIXES
    from kematangan.rollup import ParentScorer, member_names, rollup_file

    if parent_data is not None and parent_ruleset is None:
        raise typer.BadParameter("--parent-data needs --parent-ruleset",
                                 param_hint="--parent-data")
    target = output or input.with_name(f"{input.stem}.rollup.xlsx")
    scorer = scorer_for(ruleset)
    for name in aggregate or []:
        try:
            parse_aggregate(name, member_names(scorer.plan))
        except KematanganError as err:
            raise typer.BadParameter("; ".join(
                str(p) for p in getattr(err, "problems", [err])),
                param_hint="--aggregate") from None
    parent = None
    if parent_ruleset is not None:
        try:
            parent = ParentScorer(parent_ruleset, scorer)
        except KematanganError as err:
            fail(str(err))
    inputs = [input] if parent_data is None else [input, parent_data]
    with writing(target, suffixes=OUTPUT_SUFFIXES, inputs=inputs):
        try:
            summary = rollup_file(
                input, scorer, target, by=by, parent=parent,
                parent_data=parent_data, aggregates=aggregate or [],
                sheet=sheet_ref(sheet), parent_sheet=sheet_ref(parent_sheet),
                lang=lang, top_reasons=top_reasons)
        except KematanganError as err:
            fail(str(err))
    rs = scorer.ruleset
    typer.echo(f"{summary.groups} groups scored with {rs.id} {rs.version} "
               f"(hash {rs.content_hash[:12]}), rolled up by {by!r} into "
               f"{summary.parents} parents")
    if summary.without_parent:
        typer.echo(f"  groups without a parent id: {summary.without_parent} (in the "
                   "last row of the parents sheet and on the errors sheet)")
    if parent is not None:
        prs = parent.scorer.ruleset
        typer.echo(f"  parents scored with {prs.id} {prs.version} "
                   f"(hash {prs.content_hash[:12]})")
        if summary.stage:
            typer.echo("  parent stage: " + ", ".join(
                f"{k} {v}" for k, v in summary.stage.items()))
        if parent.scorer.plan.exit_stage >= 0:
            typer.echo(f"  exit-ready parents: {summary.exit_ready}")
    typer.echo(f"  values that could not be used: {summary.errors}; notes: "
               f"{summary.notes} (see the errors sheet)")
    typer.echo("results: " + ", ".join(str(p) for p in summary.written))
