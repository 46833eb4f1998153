"""Check a file before scoring it: what ``kematangan check`` runs.

It reads the whole file, maps its columns and validates its values (the same reader
and the same checks as scoring), and says what it found: the column mapping, the
rows it will treat as groups and those it will not, and every data problem. Nothing
is written, except, when asked, a mapping file for the user to complete.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kematangan.criteria.ruleset import Ruleset
from kematangan.io import (
    ColumnMapping,
    Limits,
    UserMapping,
    iter_tables,
    mapping_file_text,
)
from kematangan.problems import Problem
from kematangan.scorefile.sheets import problem_counts, score_table, skipped_rows
from kematangan.scorefile.summary import mapping_lines, repeated_ids, rows_lines
from kematangan.scorefile.words import HOW, counted, word
from kematangan.scoring import Scorer

__all__ = ["FileCheck", "check_file", "write_mapping_file"]

_SHOWN = 30
"""Problems listed in the terminal (all are in the JSON)."""


@dataclass
class FileCheck:
    """What a dry run found (see the module docstring)."""

    source: str
    mapping: ColumnMapping
    groups: int = 0
    no_id: list[int] = field(default_factory=list)
    """Rows scored without a group id (named by their row)."""
    skipped: dict[str, list[int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sheet: str | None = None

    def gate_fields_missing(self, ruleset: Ruleset) -> list[str]:
        """Fields some stage's gates need that have no column."""
        return self.mapping.gate_fields_missing(ruleset)

    def blocking(self, ruleset: Ruleset) -> bool:
        """Whether scoring would leave a stage's requirements unjudged for every
        group (a gate's field has no column): ``kematangan check`` exits 1."""
        return bool(self.gate_fields_missing(ruleset))

    def strict_failures(self) -> bool:
        """Whether anything would fail ``--strict``: an unmatched column, a missing
        field or a data problem."""
        return bool(self.mapping.unmatched or self.mapping.missing or self.problems)

    def lines(self, ruleset: Ruleset, lang: str = "id") -> list[str]:
        """The check for the terminal: the mapping, the rows, the problems."""
        out = mapping_lines(self.mapping, ruleset, lang)
        out += rows_lines(self.groups, self.skipped, self.no_id, lang,
                          repeated_ids(self.problems))
        errors, notes, groups = problem_counts(self.problems)
        head = ("Masalah data: {n} ({e}, {c}) pada {g}" if lang == "id" else
                "Data problems: {n} ({e}, {c}) in {g}")
        out.append(head.format(n=len(self.problems),
                               e=counted(errors, "value_noun", lang),
                               c=counted(notes, "note_noun", lang),
                               g=counted(groups, "group_noun", lang)))
        for p in self.problems[:_SHOWN]:
            out.append(f"  - {p.text(lang)}")
        if len(self.problems) > _SHOWN:
            more = len(self.problems) - _SHOWN
            out.append(f"  ... {more} " + ("lagi (semuanya di --format json)"
                                            if lang == "id" else
                                            "more (all of them with --format json)"))
        return out

    def to_dict(self, ruleset: Ruleset, lang: str = "id") -> dict[str, Any]:
        """The check as JSON (texts in ``lang``)."""
        return {
            "file": self.source, "sheet": self.sheet,
            "ruleset": {"id": ruleset.id, "version": ruleset.version,
                        "hash": ruleset.content_hash},
            "mapping": self.mapping.to_dict(ruleset, lang),
            "groups": self.groups,
            "rows_without_group_id": self.no_id,
            "rows_not_groups": [{"why": code, "rows": rows}
                                for code, rows in self.skipped.items()],
            "problems": [p.to_dict(lang) for p in self.problems],
            "gate_fields_missing": self.gate_fields_missing(ruleset),
        }


def check_file(source: str | os.PathLike[str], scorer: Scorer, *,
               sheet: str | int | None = None, limits: Limits | None = None,
               mapping: UserMapping | None = None, chunk_rows: int | None = None,
               assessed_on: datetime.date | None = None) -> FileCheck:
    """Read, map and validate ``source`` (see the module docstring).
    ``assessed_on`` dates the rows that have no assessment date, as in
    :func:`~kematangan.scorefile.score_file`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from kematangan import Scorer
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ksm.csv"
    >>> _ = p.write_text("No;Kode KSM;Jml angg.;Rapat 3 bln\\n(1);(2);(3);(4)\\n"
    ...                  "1;A;12;3\\n2;B;dua;1\\nJUMLAH;;12;4\\n")
    >>> scorer = Scorer("ppmk-ksm")
    >>> found = check_file(p, scorer)
    >>> found.groups, found.skipped, [x.code for x in found.problems]
    (2, {'row_numbering': [2], 'row_total': [5]}, ['not_a_number'])
    >>> found.mapping.column_of["meetings_last_3_months"], found.blocking(scorer.ruleset)
    ('Rapat 3 bln', True)
    """
    rs = scorer.ruleset
    found: FileCheck | None = None
    for table in iter_tables(source, rs, sheet=sheet, chunk_rows=chunk_rows,
                             limits=limits, mapping=mapping):
        table = replace(table, mapping=table.mapping.supplying(rs, assessed_on))
        batch = score_table(scorer, table, assessed_on=assessed_on)
        if found is None:
            found = FileCheck(Path(source).name, table.mapping, sheet=table.sheet)
        else:
            found.mapping = found.mapping.merge(table.mapping)
        found.groups += len(table)
        found.problems += batch.issues
        found.no_id += [p.row for p in table.issues
                        if p.code == "blank_group_id" and p.row is not None]
        if table.group_ids is None:
            found.no_id += table.row_numbers.tolist()
        for code, rows in skipped_rows([table.skipped]).items():
            found.skipped.setdefault(code, []).extend(rows)
    assert found is not None  # the reader yields at least one table
    return found


def write_mapping_file(path: str | os.PathLike[str], ruleset: Ruleset,
                       mapping: ColumnMapping | None, *, source: str,
                       lang: str = "id") -> Path:
    """Write a YAML mapping file for the user to complete: every column of
    ``mapping`` with its field (or ``abaikan``, or empty when none was found, with
    the fields it looks like), and every field without a column; with no mapping
    (``kematangan template``), every field with an empty header to fill in.
    """
    labels = {ruleset.group_id.field: ruleset.group_id.label.get(lang)}
    labels.update({f.id: f.label.get(lang) for f in ruleset.fields})
    entries: list[tuple[str, str, str]] = []
    missing: list[tuple[str, str]]
    if mapping is None:
        missing = [(f, labels[f]) for f in labels]
    else:
        for c in mapping.columns:
            if c.how == "empty":
                continue
            how = HOW[c.how][lang == "en"] if c.how in HOW else ""
            if c.status == "mapped" and c.field is not None:
                entries.append((c.header, c.field, f"{labels[c.field]} ({how})"))
            elif c.status == "ignored":
                entries.append((c.header, "-", how))
            else:
                like = ", ".join(f"{f} ({labels.get(f, f)})" for f in c.candidates)
                note = (("mirip: " if lang == "id" else "looks like: ") + like
                        if like else word("unmatched", lang))
                entries.append((c.header, "", note))
        missing = [(f, labels[f]) for f in mapping.missing]
    out = Path(path)
    out.write_text(mapping_file_text(ruleset, entries, missing, source=source,
                                     lang=lang), encoding="utf-8")
    return out
