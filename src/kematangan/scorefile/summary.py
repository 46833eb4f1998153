"""What scoring (or checking) a file found, counted once, and said the same way in
the terminal, the ``summary`` sheet and the HTML report.

Counts are of groups only: rows that are not groups are listed apart. Problems are
each counted once, on their row (or the file): the total in the terminal, on the
summary sheet and in the report is the number of lines of the ``errors`` sheet, and
the ``Masalah data`` column of the results adds up to those with a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kematangan.criteria.ruleset import Ruleset
from kematangan.io import ColumnMapping, Table
from kematangan.problems import Problem
from kematangan.scorefile.sheets import problem_counts, row_ranges, skipped_rows
from kematangan.scorefile.words import counted, word
from kematangan.scoring import BatchResult

__all__ = ["KEPT_ROWS", "SHOWN_ROWS", "FileSummary", "mapping_lines", "repeated_ids", "rows_lines",
           "score_lines"]


SHOWN_ROWS = 20
"""Row numbers (or repeated ids) listed per line in the terminal; the rest are
counted ("... and N more") and kept, up to :data:`KEPT_ROWS`, for the files."""

KEPT_ROWS = 1_000
"""How many row numbers a summary keeps per list (rows without a group id, repeated
ids, rows that are not groups of one kind); the counts stay exact, so a file of
millions of rows does not hold millions of row numbers."""


def _keep(kept: list[Any], found: Iterable[Any]) -> None:
    """Extend ``kept`` with ``found`` up to :data:`KEPT_ROWS` items."""
    room = KEPT_ROWS - len(kept)
    if room > 0:
        kept.extend(list(found)[:room])


@dataclass
class FileSummary:
    """What scoring a file gave: counts per stage and class, exit-ready groups,
    the problems, the column mapping and the rows that are not groups.

    The lists of row numbers keep the first :data:`KEPT_ROWS` of each kind; the
    ``*_count`` fields count them all.
    """

    ruleset_id: str
    version: str
    content_hash: str
    rows: int = 0
    """Groups scored."""
    stage: dict[str, int] = field(default_factory=dict)
    class_: dict[str, int] = field(default_factory=dict)
    stage_undetermined: int = 0
    class_undetermined: int = 0
    exit_ready: int = 0
    errors: int = 0
    notes: int = 0
    groups_with_problems: int = 0
    skipped: dict[str, list[int]] = field(default_factory=dict)
    """Rows that are not groups, by why (a ``row_*`` code)."""
    skipped_count: dict[str, int] = field(default_factory=dict)
    no_id: list[int] = field(default_factory=list)
    """Rows scored without a group id (named by their row number)."""
    no_id_count: int = 0
    repeated: list[tuple[str, int, int]] = field(default_factory=list)
    """Group ids on two rows: (id, first row, this row)."""
    repeated_count: int = 0
    mapping: ColumnMapping | None = None
    sheet: str | None = None
    written: list[Path] = field(default_factory=list)

    @property
    def problems(self) -> int:
        """Every problem, counted once (errors and notes)."""
        return self.errors + self.notes

    def add(self, batch: BatchResult, table: Table | None = None) -> None:
        """Count one scored chunk (and, with its table, its mapping and the rows
        that are not groups)."""
        s = batch.summary()
        self.rows += s["records"]
        for k, v in s["stage"].items():
            self.stage[k] = self.stage.get(k, 0) + v
        for k, v in s["class"].items():
            self.class_[k] = self.class_.get(k, 0) + v
        self.stage_undetermined += s["stage_undetermined"]
        self.class_undetermined += s["class_undetermined"]
        self.exit_ready += s["exit_ready"]
        errors, notes, groups = problem_counts(batch.issues)
        self.errors += errors
        self.notes += notes
        self.groups_with_problems += groups
        if table is not None:
            no_id = [p.row for p in table.issues
                     if p.code == "blank_group_id" and p.row is not None]
            self.no_id_count += len(no_id)
            _keep(self.no_id, no_id)
            repeated = repeated_ids(table.issues)
            self.repeated_count += len(repeated)
            _keep(self.repeated, repeated)
            for code, rows in skipped_rows([table.skipped]).items():
                self.skipped_count[code] = self.skipped_count.get(code, 0) + len(rows)
                _keep(self.skipped.setdefault(code, []), rows)
            self.mapping = (table.mapping if self.mapping is None
                            else self.mapping.merge(table.mapping))
            self.sheet = table.sheet

    def as_columns(self, ruleset: Ruleset, lang: str = "id"
                   ) -> dict[str, list[Any]]:
        """The summary as a two-column sheet in ``lang``."""
        items: list[tuple[str, Any]] = [
            (word("ruleset", lang), self.ruleset_id),
            (word("version", lang), self.version),
            (word("hash", lang), self.content_hash)]
        if self.sheet:
            items.append((word("sheet", lang), self.sheet))
        if self.mapping is not None and self.mapping.header_row:
            items.append((word("header_row", lang), self.mapping.header_row))
        items.append((word("groups", lang), self.rows))
        items.append((word("rows_skipped", lang), sum(self.skipped_count.values())))
        items += [(f"  {word(code, lang)}", n)
                  for code, n in self.skipped_count.items()]
        stages = {s.id: s.label.get(lang) for s in ruleset.stages}
        classes = {k.id: k.label.get(lang) for k in ruleset.classes}
        if ruleset.stages:
            items += [(word("stage_of", lang).format(name=stages.get(k, word(
                "no_stage", lang))), v) for k, v in self.stage.items()]
            items.append((word("stage_undetermined", lang), self.stage_undetermined))
        if ruleset.classes:
            items += [(word("class_of", lang).format(name=classes.get(k, word(
                "no_class", lang))), v) for k, v in self.class_.items()]
            items.append((word("class_undetermined", lang), self.class_undetermined))
        if ruleset.exit is not None:
            items.append((word("exit_ready_count", lang), self.exit_ready))
        items += [(word("problems_total", lang), self.problems),
                  (word("errors_count", lang), self.errors),
                  (word("notes_count", lang), self.notes),
                  (word("groups_with_problems", lang), self.groups_with_problems)]
        if self.mapping is not None:
            m = self.mapping
            items += [
                (word("columns_mapped", lang), len(m.with_status("mapped"))),
                (word("guessed", lang), len(m.guessed)),
                (word("columns_ignored", lang), len(m.with_status("ignored"))),
                (word("columns_unmatched", lang), len(m.unmatched)),
                (word("fields_missing", lang), len(m.missing))]
        return {word("item", lang): [k for k, _ in items],
                word("amount", lang): [v for _, v in items]}


_TEXT = {
    "id": {
        "header": "Judul kolom dibaca dari baris {row}{above}.",
        "above": " (dengan judul gabungan dari baris {rows})",
        "unmatched": "Kolom yang TIDAK dibaca ({n}):",
        "missing": "Data ruleset TANPA kolom ({n}):",
        "guessed": "Kolom yang DITEBAK dari kata yang mirip ({n}); periksa:",
        "mapped": "Kolom dipakai: {n} ({guessed} tebakan); diabaikan: {ignored}",
        "groups": "{n} baris dinilai sebagai kelompok",
        "not_groups": "{n} baris bukan kelompok dan tidak dinilai:",
        "no_id": "tanpa kode kelompok (disebut dengan nomor baris): {rows}",
        "repeated": "kode kelompok yang berulang (kedua baris dinilai): {ids}",
        "gid_missing": "Tidak ada kolom kode kelompok: setiap kelompok disebut "
                       "dengan nomor barisnya.",
        "scored": "{n} kelompok dinilai dengan {id} {version} (hash {hash})",
        "stage": "  tahap: {counts}",
        "stage_open": " ({n} belum pasti karena data kosong: ditampilkan di tahap "
                      "yang pasti tercapai)",
        "class": "  kelas: {counts}",
        "class_open": " ({n} belum pasti karena data kosong)",
        "exit": "  siap dilepas: {n}",
        "problems": "  masalah data: {n} ({errors}, {notes}) pada {groups}; lihat "
                    "lembar errors",
        "problems_column": "  masalah data: {n} ({errors}, {notes}) pada {groups}; "
                           "lihat kolom problems",
        "results": "hasil: {files}",
        "more": " ... dan {n} lainnya",
    },
    "en": {
        "header": "Headers read from row {row}{above}.",
        "above": " (with merged headers from row {rows})",
        "unmatched": "Columns NOT read ({n}):",
        "missing": "Ruleset fields WITHOUT a column ({n}):",
        "guessed": "Columns GUESSED from similar words ({n}); check them:",
        "mapped": "Columns mapped: {n} ({guessed} guessed); ignored: {ignored}",
        "groups": "{n} rows scored as groups",
        "not_groups": "{n} rows are not groups and are not scored:",
        "no_id": "without a group id (named by their row): {rows}",
        "repeated": "group ids on more than one row (each row scored): {ids}",
        "gid_missing": "No group-id column: each group is named by its row.",
        "scored": "{n} groups scored with {id} {version} (hash {hash})",
        "stage": "  stage: {counts}",
        "stage_open": " ({n} undetermined because of missing data: shown at the "
                      "stage reached for certain)",
        "class": "  class: {counts}",
        "class_open": " ({n} undetermined because of missing data)",
        "exit": "  exit-ready: {n}",
        "problems": "  data problems: {n} ({errors}, {notes}) in {groups}; see the "
                    "errors sheet",
        "problems_column": "  data problems: {n} ({errors}, {notes}) in {groups}; "
                           "see the problems column",
        "results": "results: {files}",
        "more": " ... and {n} more",
    },
}


def _t(key: str, lang: str) -> str:
    return _TEXT["en" if lang == "en" else "id"][key]


def mapping_lines(mapping: ColumnMapping, ruleset: Ruleset, lang: str = "id"
                  ) -> list[str]:
    """The column mapping for the terminal: the unmatched columns and the missing
    fields first (with what each leaves unknown), then the guesses, then a count
    of the rest."""
    lines: list[str] = []
    if mapping.header_row:
        above = (_t("above", lang).format(rows=row_ranges(mapping.header_rows))
                 if mapping.header_rows else "")
        lines.append(_t("header", lang).format(row=mapping.header_row, above=above))
    problems = mapping.problems(ruleset)
    by_column = {p.column: p for p in problems if p.column is not None}
    unmatched = [c for c in mapping.unmatched]
    if unmatched:
        lines.append(_t("unmatched", lang).format(n=len(unmatched)))
        for c in unmatched:
            where = f"[{c.letter}] " if c.letter else ""
            p = by_column.get(c.header)
            lines.append(f"  - {where}" + (p.problem(lang) if p else repr(c.header)))
    missing = sorted((p for p in problems if p.column is None and p.field is not None),
                     key=lambda p: p.severity != "error")  # what is unknown first
    if missing:
        lines.append(_t("missing", lang).format(n=len(missing)))
        lines += [f"  - {p.problem(lang)}" for p in missing]
    if mapping.group_missing:
        lines.append(_t("gid_missing", lang))
    guessed = mapping.guessed
    if guessed:
        lines.append(_t("guessed", lang).format(n=len(guessed)))
        lines += [f"  - {by_column[c.header].problem(lang)}" for c in guessed
                  if c.header in by_column]
    ignored = [c.header for c in mapping.with_status("ignored") if c.how != "empty"]
    lines.append(_t("mapped", lang).format(
        n=len(mapping.with_status("mapped")), guessed=len(guessed),
        ignored=", ".join(repr(h) for h in ignored) or word("none", lang)))
    return lines


def _rows_word(n: int, lang: str) -> str:
    return counted(n, "row_noun", lang).split(" ", 1)[1]


def repeated_ids(problems: Sequence[Problem]) -> list[tuple[str, int, int]]:
    """(group id, first row, later row) of every repeated group id noted."""
    return [(str(p.params["group_id"]), int(p.params["first_row"]), p.row)
            for p in problems if p.code == "duplicate_group_id" and p.row is not None]


def rows_lines(groups: int, skipped: dict[str, list[int]], no_id: list[int],
               lang: str = "id", repeated: Sequence[tuple[str, int, int]] = (),
               counts: FileSummary | None = None) -> list[str]:
    """How the rows below the headers were taken: groups (those without an id,
    and ids on two rows), and the others by why, with their row numbers.

    ``counts``, a summary whose lists keep only their first rows, gives the full
    counts; the rows not listed are said as "... and N more".

    Examples
    --------
    >>> print("\\n".join(rows_lines(3, {"row_blank": [4, 5]}, [2], "en")))
    3 rows scored as groups
      without a group id (named by their row): 2
    2 rows are not groups and are not scored:
      - blank rows: rows 4-5
    """
    def more(listed: int, total: int) -> str:
        return _t("more", lang).format(n=total - listed) if total > listed else ""

    lines = [_t("groups", lang).format(n=groups)]
    no_id, repeated = no_id[:SHOWN_ROWS], repeated[:SHOWN_ROWS]
    if no_id:
        n = counts.no_id_count if counts else len(no_id)
        lines.append(f"  {_t('no_id', lang).format(rows=row_ranges(no_id))}"
                     + more(len(no_id), n))
    if repeated:
        n = counts.repeated_count if counts else len(repeated)
        ids = "; ".join(f"{gid!r} ({word('row', lang).lower()} {first}, {row})"
                        for gid, first, row in repeated)
        lines.append(f"  {_t('repeated', lang).format(ids=ids)}"
                     + more(len(repeated), n))
    totals: Mapping[str, int] = (counts.skipped_count if counts else
                                 {code: len(rows) for code, rows in skipped.items()})
    total = sum(totals.values())
    if total:
        lines.append(_t("not_groups", lang).format(n=total))
        lines += [f"  - {word(code, lang)}: {_rows_word(totals[code], lang)} "
                  f"{row_ranges(rows[:SHOWN_ROWS])}"
                  + more(len(rows[:SHOWN_ROWS]), totals[code])
                  for code, rows in skipped.items()]
    return lines


def score_lines(summary: FileSummary, ruleset: Ruleset, lang: str = "id",
                where: str = "sheet") -> list[str]:
    """The counts of a scored file for the terminal: groups per stage and class
    (by label), exit-ready groups, the problems, and the files written. The
    problems are listed on the errors sheet (``where="sheet"``) or in the results'
    ``problems`` column (``"column"``)."""
    lines = [_t("scored", lang).format(n=summary.rows, id=ruleset.id,
                                       version=ruleset.version,
                                       hash=summary.content_hash[:12])]
    stages = {s.id: s.label.get(lang) for s in ruleset.stages}
    classes = {k.id: k.label.get(lang) for k in ruleset.classes}
    if ruleset.stages:
        counts = ", ".join(f"{stages.get(k, word('no_stage', lang))} {v}"
                           for k, v in summary.stage.items())
        open_ = (_t("stage_open", lang).format(n=summary.stage_undetermined)
                 if summary.stage_undetermined else "")
        lines.append(_t("stage", lang).format(counts=counts) + open_)
    if ruleset.classes:
        counts = ", ".join(f"{classes.get(k, word('no_class', lang))} {v}"
                           for k, v in summary.class_.items())
        open_ = (_t("class_open", lang).format(n=summary.class_undetermined)
                 if summary.class_undetermined else "")
        lines.append(_t("class", lang).format(counts=counts) + open_)
    if ruleset.exit is not None:
        lines.append(_t("exit", lang).format(n=summary.exit_ready))
    lines.append(_t("problems" if where == "sheet" else "problems_column",
                    lang).format(
        n=summary.problems, errors=counted(summary.errors, "value_noun", lang),
        notes=counted(summary.notes, "note_noun", lang),
        groups=counted(summary.groups_with_problems, "group_noun", lang)))
    if summary.written:
        lines.append(_t("results", lang).format(
            files=", ".join(str(p) for p in summary.written)))
    return lines
