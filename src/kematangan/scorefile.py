"""Score a whole file: read in chunks, score, explain, write; memory stays bounded.

This is what ``kematangan score`` runs. Every input row comes out, in input order,
followed by its results; every value that could not be used is listed on the errors
sheet with its spreadsheet row, column, value, problem and fix.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.explain import batch_reasons
from kematangan.io import (
    Issue,
    Limits,
    ResultWriter,
    Table,
    issue_columns,
    iter_tables,
)
from kematangan.model import MaturityModel
from kematangan.scoring import BatchResult, Scorer

__all__ = ["FileSummary", "result_columns", "score_file"]


@dataclass
class FileSummary:
    """What scoring a file gave: counts per stage and class, exit-ready groups,
    and the number of values that could not be used."""

    ruleset_id: str
    version: str
    content_hash: str
    rows: int = 0
    stage: dict[str, int] = field(default_factory=dict)
    class_: dict[str, int] = field(default_factory=dict)
    stage_undetermined: int = 0
    class_undetermined: int = 0
    exit_ready: int = 0
    errors: int = 0
    notes: int = 0
    written: list[Path] = field(default_factory=list)

    def add(self, batch: BatchResult) -> None:
        """Count one scored chunk."""
        s = batch.summary()
        self.rows += s["records"]
        for k, v in s["stage"].items():
            self.stage[k] = self.stage.get(k, 0) + v
        for k, v in s["class"].items():
            self.class_[k] = self.class_.get(k, 0) + v
        self.stage_undetermined += s["stage_undetermined"]
        self.class_undetermined += s["class_undetermined"]
        self.exit_ready += s["exit_ready"]

    def as_columns(self) -> dict[str, list[Any]]:
        """The summary as a two-column sheet."""
        keys: list[str] = ["ruleset", "version", "hash", "rows"]
        vals: list[Any] = [self.ruleset_id, self.version, self.content_hash,
                           self.rows]
        keys += [f"stage: {k}" for k in self.stage]
        vals += list(self.stage.values())
        keys += [f"class: {k}" for k in self.class_]
        vals += list(self.class_.values())
        keys += ["stage undetermined (missing data)",
                 "class undetermined (missing data)", "exit-ready",
                 "values not used (errors)", "values read with a note"]
        vals += [self.stage_undetermined, self.class_undetermined, self.exit_ready,
                 self.errors, self.notes]
        return {"item": keys, "value": vals}


def _labels(ids: tuple[str, ...], labels: dict[str, str],
            names: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    table = {i: labels[i] for i in ids}
    return np.array([table.get(x) if x is not None else None for x in names],
                    dtype=object)


def result_columns(scorer: Scorer, batch: BatchResult, *, lang: str = "id",
                   top_reasons: int = 3, model: MaturityModel | None = None
                   ) -> dict[str, npt.NDArray[Any]]:
    """The result columns written after the input columns, one value per record.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> scorer = Scorer("ppmk-ksm")
    >>> cols = result_columns(scorer, scorer.score_batch([{"members": 3}]))
    >>> list(cols)[:4], cols["reason_1"].tolist()
    (['stage', 'stage_label', 'stage_upper', 'class'], ['enough_members'])
    """
    rs = scorer.ruleset
    stage_labels = {s.id: s.label.get(lang) for s in rs.stages}
    class_labels = {k.id: k.label.get(lang) for k in rs.classes}
    base = batch.columns(outcomes=False)
    cols: dict[str, npt.NDArray[Any]] = {
        "stage": base["stage"],
        "stage_label": _labels(scorer.plan.stage_ids, stage_labels, base["stage"]),
        "stage_upper": base["stage_upper"],
        "class": base["class"],
        "class_label": _labels(scorer.plan.class_ids, class_labels, base["class"]),
        "class_upper": base["class_upper"],
        "score": base["score"],
        "score_upper": base["score_upper"],
        "max_score": batch.max_score,
        "exit_ready": base["exit_ready"],
        "issues": base["issues"],
    }
    if model is not None:
        cols["model_probability"] = model.predict_proba(batch)[:, 1]
    if top_reasons > 0:
        cols.update(batch_reasons(batch, top_reasons))
    for c in scorer.plan.criteria:
        cols[f"outcome.{c.id}"] = batch.outcome(c.id)
    return cols


def _scorer_issues(table: Table, batch: BatchResult) -> list[Issue]:
    header_of = {fid: header for header, fid in table.header_map.items()}
    index = {r: i for i, r in enumerate(table.row_numbers.tolist())}
    out = []
    for issue in batch.issues:
        field = issue.field or ""
        header = header_of.get(field, field)
        value = "" if issue.value is None else str(issue.value)
        if issue.row is not None:
            cells = table.passthrough.get(header)
            if cells is not None:  # the cell as the user typed it
                value = str(cells[index[issue.row]])
        out.append(Issue(issue.row, header, value, issue.problem("en"),
                         issue.fix("en"), "error", field=issue.field,
                         code=issue.code))
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
) -> FileSummary:
    """Score every row of ``source`` and write ``target`` (.xlsx, .csv, .jsonl,
    .parquet): results, then errors, summary and ruleset sheets (beside files for
    the formats without sheets).

    ``assessed_on`` is the assessment date of rows that have none (see
    :meth:`~kematangan.scoring.Scorer.score`). ``timings``, when given, receives the seconds spent reading and parsing
    (``read``), scoring and explaining (``score``) and writing (``write``).
    ``limits`` bound what the reader accepts (:class:`~kematangan.io.Limits`);
    ``escape_formulas=False`` writes CSV/TSV text that starts like a formula
    unchanged (see :func:`~kematangan.io.write_table`).

    Raises
    ------
    InputError
        When the input cannot be read at all or the output cannot be written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from kematangan import Scorer
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "ksm.csv").write_text("Kode KSM;Jumlah anggota\\nA;12\\nB;-1\\n")
    >>> s = score_file(d / "ksm.csv", Scorer("ppmk-ksm"), d / "out.csv")
    >>> s.rows, s.errors, [p.name for p in s.written][:2]
    (2, 1, ['out.csv', 'out.errors.csv'])
    """
    rs = scorer.ruleset
    summary = FileSummary(rs.id, rs.version, rs.content_hash)
    issues: list[Issue] = []
    spent = {"read": 0.0, "score": 0.0, "write": 0.0}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        spent[name] += now - clock
        clock = now

    with ResultWriter(target, escape_formulas=escape_formulas) as writer:
        for table in iter_tables(source, rs, sheet=sheet, chunk_rows=chunk_rows,
                                 limits=limits):
            lap("read")
            batch = scorer.score_batch(table.columns, group_ids=table.group_ids,
                                       row_numbers=table.row_numbers,
                                       assessed_on=assessed_on)
            cols: dict[str, Any] = dict(table.passthrough)
            for name, col in result_columns(scorer, batch, lang=lang,
                                            top_reasons=top_reasons,
                                            model=model).items():
                # An input column with a result's name keeps its own values.
                cols[name if name not in cols else f"result.{name}"] = col
            issues += table.issues
            issues += _scorer_issues(table, batch)
            summary.add(batch)
            lap("score")
            writer.write(cols)
            lap("write")
            if progress is not None:
                progress(len(table))
        summary.errors = sum(i.count for i in issues if i.severity == "error")
        summary.notes = sum(i.count for i in issues if i.severity == "note")
        writer.add_sheet("errors", issue_columns(
            sorted(issues, key=lambda i: (i.row or 0, i.column or ""))))
        writer.add_sheet("summary", summary.as_columns())
        writer.add_sheet("ruleset", {
            "item": ["id", "version", "hash", "title", "source"],
            "value": [rs.id, rs.version, rs.content_hash, rs.title.get(lang),
                      "; ".join(s.title for s in rs.sources)]})
    lap("write")  # closing the writer finishes the file
    summary.written = list(writer.written)
    if timings is not None:
        timings.update(spent)
    return summary
