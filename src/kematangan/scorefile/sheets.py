"""The sheets written beside the results, in the user's language: ``errors`` (every
problem, tied to its row), ``columns`` (the column mapping) and the same mapping
and rows-not-scored as report sections.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from kematangan.catalogue import render
from kematangan.criteria.ruleset import Ruleset
from kematangan.explain.document import Block, Heading, Para, TableBlock
from kematangan.io import ColumnMapping, SkippedRows, Table
from kematangan.io.cells import show
from kematangan.problems import Problem
from kematangan.scorefile.words import word
from kematangan.scoring import BatchResult, Scorer

__all__ = ["ERROR_COLUMNS", "columns_sheet", "empty_like", "errors_sheet",
           "problem_counts", "report_sections", "row_ranges", "score_table",
           "skipped_rows"]

ERROR_COLUMNS = ("row", "column", "field", "value", "severity", "code", "problem",
                 "fix")


def score_table(scorer: Scorer, table: Table, **options: Any) -> BatchResult:
    """Score the groups of ``table``, with the reader's problems and the scorer's
    in one list, each named by the cell as the user typed it (``options`` go to
    :meth:`~kematangan.Scorer.score_batch`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from kematangan import Scorer
    >>> from kematangan.io import read_table
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ksm.csv"
    >>> _ = p.write_text("Kode KSM;Jumlah anggota\\nA;-1\\nB;dua\\n")
    >>> scorer = Scorer("ppmk-ksm")
    >>> batch = score_table(scorer, read_table(p, scorer.ruleset))
    >>> [(x.row, x.column, x.code) for x in batch.issues]
    [(2, 'Jumlah anggota', 'below_minimum'), (3, 'Jumlah anggota', 'not_a_number')]
    """
    batch = scorer.score_batch(table.columns, group_ids=table.group_ids,
                               row_numbers=table.row_numbers, **options)
    header_of = table.mapping.column_of
    index = {r: i for i, r in enumerate(table.row_numbers.tolist())}
    named = []
    for p in batch.issues:
        column = p.column or header_of.get(p.field or "")
        value = p.value
        if p.row is not None and column in table.passthrough:
            value = show(table.passthrough[column][index[p.row]])  # as typed
        named.append(replace(p, column=column, value=value))
    merged = sorted([*table.issues, *named], key=lambda p: (p.row or 0))
    return replace(batch, issues=tuple(merged))


def errors_sheet(problems: Iterable[Problem], lang: str = "id"
                 ) -> dict[str, list[Any]]:
    """Problems as the columns of an ``errors`` sheet, headed and worded in
    ``lang``.

    Examples
    --------
    >>> cols = errors_sheet([Problem("not_a_number", {"text": "dua", "label": "x",
    ...                      "example": 12}, row=3, column="Anggota", value="dua")])
    >>> cols["Baris"], cols["Masalah"]
    ([3], ["'dua' bukan angka; dibaca kosong"])
    """
    rows: dict[str, list[Any]] = {word(k, lang): [] for k in ERROR_COLUMNS}
    texts: dict[tuple[str, str], tuple[str, str]] = {}
    for p in problems:
        # Many rows share a problem (a value out of bounds everywhere): its texts
        # are written once.
        said = (p.code, repr(sorted(p.params.items())))
        found = texts.get(said)
        if found is None:
            found = texts[said] = render(p.code, p.params, lang)
        problem, fix = found
        for key, value in zip(ERROR_COLUMNS, (
                p.row, p.column, p.field, None if p.value is None else str(p.value),
                word(p.severity, lang), p.code, problem, fix), strict=True):
            rows[word(key, lang)].append(value)
    return rows


def columns_sheet(mapping: ColumnMapping, ruleset: Ruleset, lang: str = "id"
                  ) -> dict[str, list[Any]]:
    """The column mapping as a sheet: every input column (its letter, header,
    status, field, how, and what was found about it), then every field without a
    column with what that leaves unknown."""
    labels = {f.id: f.label.get(lang) for f in ruleset.fields}
    labels[ruleset.group_id.field] = ruleset.group_id.label.get(lang)
    remarks: dict[str, list[str]] = {}
    missing: dict[str, str] = {}
    for p in mapping.problems(ruleset):
        if p.column is not None:
            remarks.setdefault(p.column, []).append(p.problem(lang))
        elif p.field is not None:
            missing[p.field] = p.problem(lang)
    for p in mapping.conventions:
        if p.column is not None:
            remarks.setdefault(p.column, []).append(
                f"{word('read_as', lang)}: {p.problem(lang)} ({p.count}x)")
    keys = ("letter", "header", "status", "field", "label", "how", "remark")
    out: dict[str, list[Any]] = {word(k, lang): [] for k in keys}

    def add(*values: Any) -> None:
        for key, value in zip(keys, values, strict=True):
            out[word(key, lang)].append(value)

    for c in mapping.columns:
        add(c.letter or None, c.header, word(c.status, lang), c.field,
            labels.get(c.field or ""), word(c.how, lang) if c.how else None,
            "; ".join(remarks.get(c.header, [])) or None)
    for f in mapping.missing:
        add(None, None, word("missing", lang), f, labels[f], None, missing.get(f))
    return out


def row_ranges(rows: Sequence[int]) -> str:
    """Row numbers as short ranges.

    Examples
    --------
    >>> row_ranges([6, 9, 17, 19, 20, 21, 22])
    '6, 9, 17, 19-22'
    """
    out: list[str] = []
    start = prev = None
    for r in [*sorted(rows), None]:
        if r is not None and prev is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            out.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = r
    return ", ".join(out)


def skipped_rows(skipped: Sequence[SkippedRows]) -> dict[str, list[int]]:
    """Row numbers of the rows that are not groups, by why (code)."""
    out: dict[str, list[int]] = {}
    for part in skipped:
        for number, code in zip(part.numbers.tolist(), part.codes, strict=True):
            out.setdefault(code, []).append(number)
    return out


def report_sections(mapping: ColumnMapping, ruleset: Ruleset,
                    skipped: dict[str, list[int]], lang: str = "id") -> list[Block]:
    """The mapping and the rows that are not groups, as sections of the HTML
    portfolio report."""
    sheet = columns_sheet(mapping, ruleset, lang)
    header = list(sheet)
    rows = [["" if v is None else str(v) for v in values]
            for values in zip(*sheet.values(), strict=True)]
    blocks: list[Block] = [Heading(2, word("columns_title", lang), "columns")]
    if mapping.header_row:
        blocks.append(Para(f"{word('header_row', lang).capitalize()}: "
                           f"{mapping.header_row}"))
    blocks.append(TableBlock(header, rows))
    blocks.append(Heading(2, word("rows_skipped", lang).capitalize(), "rows"))
    if skipped:
        blocks.append(TableBlock(
            [word("why", lang), word("rows_word", lang)],
            [[word(code, lang), row_ranges(rows)] for code, rows in skipped.items()]))
    else:
        blocks.append(Para(word("none", lang)))
    return blocks


def problem_counts(problems: Sequence[Problem]) -> tuple[int, int, int]:
    """(errors, notes, groups with a problem) of a list of problems."""
    errors = sum(1 for p in problems if p.severity == "error")
    rows = {p.row for p in problems if p.row is not None}
    return errors, len(problems) - errors, len(rows)


def empty_like(values: Any, n: int) -> Any:
    """``n`` missing values of the kind of ``values`` (for rows not scored)."""
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        return np.full(n, np.nan)
    if arr.dtype.kind == "M":
        return np.full(n, np.datetime64("NaT"), dtype=arr.dtype)
    return np.full(n, None, dtype=object)
