"""Roll up a whole file: read the member groups, score them, group them by a parent
column, score the parents, and write both levels.

This is what ``kematangan rollup`` runs. The output has a ``groups`` sheet (every
input row, in input order, with its results, as ``kematangan score`` writes them),
a ``parents`` sheet (one row per parent, with a last row for groups without a
parent id when there are any), an ``errors`` sheet (every value that could not be
used, and every problem joining the levels) and a ``summary`` sheet.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.catalogue import render
from kematangan.criteria.members import parse_aggregate
from kematangan.criteria.ruleset import GroupIdSpec
from kematangan.errors import InputError, suggest
from kematangan.io import Table, header_key, read_table, write_table
from kematangan.problems import Problem
from kematangan.rollup.aggregate import RollUp, member_names, roll_up
from kematangan.rollup.held import held_back_texts
from kematangan.rollup.parents import ParentResult, ParentScorer
from kematangan.scorefile import result_columns, rows_in_order
from kematangan.scoring import BatchResult, Scorer

__all__ = ["RollupSummary", "find_column", "rollup_file"]

_ERROR_COLUMNS = ("file", "row", "column", "field", "value", "severity", "code",
                  "count", "problem", "fix")


@dataclass
class RollupSummary:
    """What rolling a file up gave: groups, parents, parents per stage and class,
    and the number of problems."""

    groups: int = 0
    parents: int = 0
    without_parent: int = 0
    stage: dict[str, int] = field(default_factory=dict)
    class_: dict[str, int] = field(default_factory=dict)
    exit_ready: int = 0
    errors: int = 0
    notes: int = 0
    written: list[Path] = field(default_factory=list)


def find_column(headers: Sequence[str], by: str, spec: GroupIdSpec | None = None
                ) -> str:
    """The input header ``--by`` names: the header itself, the same letters and
    digits ignoring case and punctuation, or, when ``by`` is the parent ruleset's
    group id field (``spec``), its label or one of its aliases.

    Raises
    ------
    InputError
        When no header matches; the message suggests the closest one.

    Examples
    --------
    >>> find_column(["Kode KSM", "Kode BKM"], "kode_bkm")
    'Kode BKM'
    >>> find_column(["Kode KSM", "LKM"], "bkm_id",
    ...             GroupIdSpec(field="bkm_id", aliases=["BKM", "LKM"]))
    'LKM'
    >>> find_column(["Kode KSM", "Kode BKM"], "bkm")
    Traceback (most recent call last):
    ...
    kematangan.errors.InputError: no parent column 'bkm' in the file (did you mean 'Kode BKM'?) (fix: write --by 'Kode BKM')
    """
    if by in headers:
        return by
    names = {header_key(by)}
    if spec is not None and by == spec.field:
        names |= {header_key(a) for a in [*spec.aliases, spec.label.id,
                                          spec.label.en or ""] if a}
    for h in headers:
        if header_key(h) in names:
            return h
    key = header_key(by)
    inside = [h for h in headers if key and key in header_key(h)]
    close = inside[0] if len(inside) == 1 else suggest(by, list(headers))
    code, params = ("parent_column_missing_close", {
        "column": by, "suggestion": close}) if close else (
        "parent_column_missing", {"column": by, "headers": list(headers)})
    problem, fix = render(code, params, "en")
    raise InputError(problem, fix=fix)


def rollup_file(source: str | os.PathLike[str], scorer: Scorer,
                target: str | os.PathLike[str], *, by: str,
                parent: ParentScorer | None = None,
                parent_data: str | os.PathLike[str] | None = None,
                aggregates: Sequence[str] = (), sheet: str | int | None = None,
                parent_sheet: str | int | None = None, lang: str = "id",
                top_reasons: int = 3) -> RollupSummary:
    """Score the groups in ``source``, roll them up by column ``by`` and write
    ``target`` (see the module docstring); with ``parent``, score the parents too,
    with their own data from ``parent_data`` when given.

    ``aggregates`` names more aggregates for the parents sheet (e.g.
    ``share.not_met.repayment_current``); each is checked before any file is read.

    Raises
    ------
    InputError
        When a file cannot be read, ``by`` names no column, or the parent data
        repeats a parent.
    RulesetError
        When an aggregate name is wrong.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from kematangan import Scorer
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "ksm.csv").write_text("Kode KSM,BKM,Jumlah anggota\\n"
    ...                                "A,B1,12\\nB,B1,3\\nC,,7\\n")
    >>> s = rollup_file(d / "ksm.csv", Scorer("ppmk-ksm"), d / "out.xlsx", by="BKM")
    >>> s.groups, s.parents, s.without_parent
    (3, 1, 1)
    """
    names = member_names(scorer.plan)
    for name in aggregates:
        parse_aggregate(name, names)
    table = read_table(source, scorer.ruleset, sheet=sheet)
    header = find_column(list(table.passthrough), by,
                         parent.scorer.ruleset.group_id if parent else None)
    batch = scorer.score_batch(table.columns, group_ids=table.group_ids,
                               row_numbers=table.row_numbers)
    up = roll_up(batch, table.passthrough[header], column=header)
    # Every row comes out, in order: groups with their results, the rows that are
    # not groups (blank, totals, signatures) with why.
    groups = rows_in_order(table, result_columns(scorer, batch, lang=lang,
                                                 top_reasons=top_reasons), lang)
    errors = _problems(Path(source).name, table.issues, table, lang)
    errors += _problems(Path(source).name, [*batch.issues, *up.issues], table, lang)
    summary = RollupSummary(groups=len(batch), without_parent=up.blank)
    if parent is None:
        parents = up.columns(aggregates)
        summary.parents = len(up) - bool(up.blank)
    else:
        pdata = _read_parent_data(parent, parent_data, parent_sheet)
        result = parent.score(up, None if pdata is None else pdata.columns,
                              ids=None if pdata is None else pdata.group_ids,
                              rows=None if pdata is None else pdata.row_numbers)
        parents = _parent_columns(result, up, aggregates, lang, top_reasons)
        if pdata is not None:
            name = Path(parent_data or "").name
            errors += _problems(name, pdata.issues, pdata, lang)
            errors += _problems(name, _at_data_rows(result), pdata, lang)
        errors += _problems("", result.issues, None, lang)
        _count_parents(summary, result.batch)
    summary.errors = sum(int(e["count"]) for e in errors if e["severity"] == "error")
    summary.notes = sum(int(e["count"]) for e in errors if e["severity"] == "note")
    summary.written = write_table(target, groups, sheet_name="groups", sheets={
        "parents": parents,
        "errors": {k: [e[k] for e in errors] for k in _ERROR_COLUMNS},
        "summary": _summary_sheet(summary, scorer, parent)})
    return summary


def _read_parent_data(parent: ParentScorer, path: str | os.PathLike[str] | None,
                      sheet: str | int | None) -> Table | None:
    if path is None:
        return None
    rs = parent.scorer.ruleset
    table = read_table(path, rs, sheet=sheet)
    if table.group_ids is None:
        label = rs.group_id.label.get("id")
        problem, fix = render("parent_data_no_id", {"label": label}, "en")
        raise InputError(f"{path}: {problem}", fix=fix)
    return table


def _parent_columns(result: ParentResult, up: RollUp, aggregates: Sequence[str],
                    lang: str, top_reasons: int) -> dict[str, npt.NDArray[Any]]:
    """One row per parent of ``result``, then the roll-up's no-parent row."""
    rolled = up.columns([*(a.name for a in result.aggregates.values()), *aggregates])
    index = result.rollup_index
    if up.blank:
        index = np.append(index, len(up) - 1)
    n = len(index)
    cols: dict[str, npt.NDArray[Any]] = {up.column: np.append(
        result.parent_ids, [None] * bool(up.blank)).astype(object)}
    cols["members"] = np.where(index >= 0, up.members[np.maximum(index, 0)], 0)
    scored = result_columns(result.scorer, result.batch, lang=lang,
                            top_reasons=top_reasons)
    outcomes = {k: v for k, v in scored.items() if k.startswith("outcome.")}
    for name, col in [*((k, v) for k, v in scored.items() if k not in outcomes),
                      ("held_back_by", held_back_texts(result, lang))]:
        cols[name] = _pad(col, n)
    for f in result.scorer.plan.fields:
        name = f.id if f.id not in cols else f"field.{f.id}"
        agg = result.aggregates.get(f.id)
        if agg is None:
            cols[name] = _pad(np.array(result.batch.value(f.id), dtype=object), n)
        else:  # as member data settles it: blank when open (even when settled)
            value = up.value(agg)
            cols[name] = _pad(np.where(result.rollup_index >= 0, value[np.maximum(
                result.rollup_index, 0)], np.nan), n)
    for name, col in rolled.items():
        if name in (up.column, "members"):
            continue
        taken = col[np.maximum(index, 0)]
        if col.dtype.kind in "iu":
            taken = taken.astype(object)
        taken[index < 0] = None if taken.dtype == object else np.nan
        cols[name] = taken
    cols.update({k: _pad(v, n) for k, v in outcomes.items()})
    return cols


def _pad(col: npt.NDArray[Any], n: int) -> npt.NDArray[Any]:
    """``col`` with missing values added up to ``n`` rows (the no-parent row)."""
    if len(col) == n:
        return col
    fill: Any = np.nan if col.dtype.kind == "f" else None
    out = np.full(n, fill, dtype=np.float64 if col.dtype.kind == "f" else object)
    out[:len(col)] = col
    return out


def _at_data_rows(result: ParentResult) -> list[Problem]:
    """The parents' own values that could not be used, at their parent data row."""
    rows = result.data_rows
    return [replace(p, row=int(rows[p.row - 1]) or None) if p.row else p
            for p in result.batch.issues]


def _problems(file: str, problems: Sequence[Problem], table: Table | None,
              lang: str) -> list[dict[str, Any]]:
    header_of = {} if table is None else {
        fid: header for header, fid in table.header_map.items()}
    return [{"file": file or None, "row": p.row,
             "column": p.column or header_of.get(p.field or ""), "field": p.field,
             "value": None if p.value is None else str(p.value),
             "severity": p.severity, "code": p.code, "count": p.count,
             "problem": p.problem(lang), "fix": p.fix(lang)} for p in problems]


def _count_parents(summary: RollupSummary, batch: BatchResult) -> None:
    s = batch.summary()
    summary.parents = s["records"]
    summary.stage = s["stage"]
    summary.class_ = s["class"]
    summary.exit_ready = s["exit_ready"]


def _summary_sheet(s: RollupSummary, scorer: Scorer, parent: ParentScorer | None
                   ) -> dict[str, list[Any]]:
    items: list[tuple[str, Any]] = []
    for level, rs in (("groups", scorer.ruleset),
                      ("parents", parent.scorer.ruleset if parent else None)):
        if rs is not None:
            items += [(f"{level} ruleset", rs.id), (f"{level} ruleset version",
                                                     rs.version),
                      (f"{level} ruleset hash", rs.content_hash)]
    items += [("groups", s.groups), ("parents", s.parents),
              ("groups without a parent id", s.without_parent)]
    items += [(f"parents at stage: {k}", v) for k, v in s.stage.items()]
    items += [(f"parents in class: {k}", v) for k, v in s.class_.items()]
    if parent is not None and parent.scorer.plan.exit_stage >= 0:
        items.append(("exit-ready parents", s.exit_ready))
    items += [("values not used (errors)", s.errors),
              ("values read with a note", s.notes)]
    return {"item": [k for k, _ in items], "value": [v for _, v in items]}
