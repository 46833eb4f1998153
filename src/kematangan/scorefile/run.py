"""Score a whole file: read in chunks, score, explain, write; memory stays bounded.

This is what ``kematangan score`` runs. Every input row below the headers comes out,
in input order, with its sheet row number: a group with its results, a row that is
not a group (blank, totals, signatures...) with why it was not scored. The
``errors`` sheet lists every problem at its row, the ``columns`` sheet how every
column was read, the ``summary`` sheet the counts, and the ``ruleset`` sheet which
ruleset (and hash) produced it; all in the language asked for.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.io import Limits, ResultWriter, Table, UserMapping, iter_tables
from kematangan.model import MaturityModel
from kematangan.scorefile.columns import OUTCOME_NAMES, outcome_header, sheet_columns
from kematangan.scorefile.sheets import (
    columns_sheet,
    empty_like,
    errors_sheet,
    score_table,
)
from kematangan.scorefile.summary import FileSummary
from kematangan.scorefile.words import word
from kematangan.scoring import BatchResult, Scorer

__all__ = ["file_columns", "rows_in_order", "score_file"]

_OUTCOME_COLOURS = {"met": "good", "not_met": "bad", "unknown": "unknown",
                    "not_applicable": "none"}


def file_columns(scorer: Scorer, table: Table, batch: BatchResult, *,
                 lang: str = "id", top_reasons: int = 3,
                 model: MaturityModel | None = None) -> dict[str, npt.NDArray[Any]]:
    """The output rows of one chunk (see :func:`rows_in_order`) with the readable
    result columns of :func:`~kematangan.scorefile.sheet_columns`."""
    return rows_in_order(table, sheet_columns(scorer, batch, lang=lang,
                                              top_reasons=top_reasons, model=model),
                         lang)


def rows_in_order(table: Table, results: dict[str, npt.NDArray[Any]],
                  lang: str = "id") -> dict[str, npt.NDArray[Any]]:
    """Every row of a chunk in sheet order: its groups with their ``results`` (one
    value per group) and the rows that are not groups, with why. The sheet row
    comes first, then the input's columns, why a row was not scored, and the
    results.

    An input column with a result's name keeps its values; the result is written
    as ``NAME (hasil)``.
    """
    skipped = table.skipped
    row_name = word("row", lang)
    if row_name in table.passthrough:
        row_name = word("sheet_row", lang)
    note_name = word("row_note", lang)
    groups: dict[str, Any] = {row_name: table.row_numbers}
    others: dict[str, Any] = {row_name: skipped.numbers}
    for name, cells in table.passthrough.items():
        groups[name] = cells
        others[name] = skipped.cells.get(name, np.full(len(skipped), None,
                                                       dtype=object))
    groups[note_name] = np.full(len(table), None, dtype=object)
    stop = word("not_scored", lang)
    others[note_name] = np.array([f"{stop}: {skipped.why(i, lang)}"
                                  for i in range(len(skipped))], dtype=object)
    suffix = "hasil" if lang == "id" else "result"
    for name, col in results.items():
        key = name if name not in groups else f"{name} ({suffix})"
        groups[key] = col
        others[key] = empty_like(col, len(skipped))
    if not len(skipped):
        return groups
    order = np.argsort(np.concatenate([table.row_numbers, skipped.numbers]),
                       kind="stable")
    out: dict[str, npt.NDArray[Any]] = {}
    for name, col in groups.items():
        a, b = np.asarray(col), np.asarray(others[name])
        if a.dtype != b.dtype and not (a.dtype.kind == b.dtype.kind == "f"):
            a, b = a.astype(object), b.astype(object)
        out[name] = np.concatenate([a, b])[order]
    return out


def score_file(
    source: str | os.PathLike[str],
    scorer: Scorer,
    target: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    lang: str = "id",
    top_reasons: int = 3,
    model: MaturityModel | None = None,
    chunk_rows: int | None = None,
    progress: Callable[[int], None] | None = None,
    timings: dict[str, float] | None = None,
    assessed_on: datetime.date | None = None,
    limits: Limits | None = None,
    escape_formulas: bool = True,
    mapping: UserMapping | None = None,
) -> FileSummary:
    """Score every group of ``source`` and write ``target`` (.xlsx, .csv, .jsonl,
    .parquet): results, then errors, columns, summary and ruleset sheets (files
    beside it for the formats without sheets), worded in ``lang``.

    ``mapping`` says what some columns are (``--map``, ``--mapping``).
    ``assessed_on`` is the assessment date of rows that have none (see
    :meth:`~kematangan.scoring.Scorer.score`). ``timings``, when given, receives
    the seconds spent reading and parsing (``read``), scoring and explaining
    (``score``) and writing (``write``). ``limits`` bound what the reader accepts
    (:class:`~kematangan.io.Limits`); ``escape_formulas=False`` writes CSV/TSV text
    that starts like a formula unchanged (see :func:`~kematangan.io.write_table`).

    Raises
    ------
    InputError
        When the input cannot be read at all, the mapping names a field or column
        that does not exist, or the output cannot be written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from kematangan import Scorer
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "ksm.csv").write_text("Kode KSM;Jumlah anggota\\nA;12\\nB;-1\\n"
    ...                                ";\\nJUMLAH;11\\n")
    >>> s = score_file(d / "ksm.csv", Scorer("ppmk-ksm"), d / "out.csv")
    >>> s.rows, s.errors, s.skipped, [p.name for p in s.written][:2]
    (2, 1, {'row_blank': [4], 'row_total': [5]}, ['out.csv', 'out.errors.csv'])
    """
    rs = scorer.ruleset
    summary = FileSummary(rs.id, rs.version, rs.content_hash)
    spent = {"read": 0.0, "score": 0.0, "write": 0.0}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        spent[name] += now - clock
        clock = now

    outcome_words = {word(k, lang): _OUTCOME_COLOURS[k] for k in OUTCOME_NAMES}
    with ResultWriter(target, escape_formulas=escape_formulas) as writer:
        errors = None
        for table in iter_tables(source, rs, sheet=sheet, chunk_rows=chunk_rows,
                                 limits=limits, mapping=mapping):
            lap("read")
            table = replace(table, mapping=table.mapping.supplying(rs, assessed_on))
            batch = score_table(scorer, table, assessed_on=assessed_on)
            summary.add(batch, table)
            cols = file_columns(scorer, table, batch, lang=lang,
                                top_reasons=top_reasons, model=model)
            lap("score")
            writer.write(cols)
            if errors is None:
                errors = writer.stream("errors")
            errors.write(errors_sheet(batch.issues, lang))
            lap("write")
            if progress is not None:
                progress(len(table) + len(table.skipped))
        if errors is None:
            writer.stream("errors").write(errors_sheet([], lang))
        assert summary.mapping is not None
        writer.add_sheet("columns", columns_sheet(summary.mapping, rs, lang))
        writer.add_sheet("summary", summary.as_columns(rs, lang))
        writer.add_sheet("ruleset", {
            word("item", lang): [word(k, lang) for k in ("ruleset", "version", "hash",
                                                         "title", "source")],
            word("amount", lang): [rs.id, rs.version, rs.content_hash,
                                   rs.title.get(lang),
                                   "; ".join(s.title for s in rs.sources)]})
        for c in rs.criteria:
            writer.colour(outcome_header(c.label.get(lang), c.id), outcome_words)
    lap("write")  # closing the writer finishes the file
    summary.written = list(writer.written)
    if timings is not None:
        timings.update(spent)
    return summary
