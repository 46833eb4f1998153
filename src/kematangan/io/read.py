"""Read a table of group records (xlsx, xls, ods, csv, tsv, json, jsonl, parquet)
against a ruleset.

:func:`iter_tables` yields the input in chunks of at most ``chunk_rows`` rows, each a
:class:`~kematangan.io.table.Table`, so memory stays bounded however long the file
is; :func:`read_table` is the same chunks joined. A column's number or date
convention (decimal comma or point, day or month first) is settled by the first
chunk that shows one and carried to later chunks; an ambiguous value (``1.234``) in
a chunk before any evidence is judged on that chunk alone, so a column that shows
its convention only after ``chunk_rows`` rows can read differently with a smaller
chunk size.

Rows: every data row of the input becomes one row of the table, blank rows between
data rows included (each reported with a note). Blank rows after the last data row
are not data rows and are left out, as are title rows above the header row.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError
from kematangan.io.headers import HeaderMatch, HeaderMatcher, cell_text, find_header_row
from kematangan.io.sources import (
    DELIMITERS,
    RecordChunk,
    Workbook,
    consistency,
    csv_rows,
    detect_kind,
    json_records,
    jsonl_records,
    parquet_chunks,
    sniff_encoding,
    split_head,
    text_head,
)
from kematangan.io.table import Issue, Table, concat_tables
from kematangan.io.values import ColumnState, parse_column, parse_group_ids

__all__ = ["DEFAULT_CHUNK_ROWS", "HEADER_SCAN_ROWS", "iter_tables", "read_table"]

DEFAULT_CHUNK_ROWS = 50_000
"""Rows per chunk when none is given: about 100 MB of cells at 40 columns."""

HEADER_SCAN_ROWS = 20
"""How many rows from the top are searched for the header row."""

Row = Sequence[Any]


def read_table(
    path: str | PathLike[str],
    ruleset: Ruleset,
    *,
    sheet: str | int | None = None,
    chunk_rows: int | None = None,
) -> Table:
    """Read a whole table of group records, parsed for ``ruleset``.

    Parameters
    ----------
    path
        An .xlsx, .xlsm, .xls, .ods, .csv, .tsv, .txt, .json, .jsonl or .parquet
        file. Workbooks and Parquet are recognised by their content whatever their
        suffix.
    ruleset
        The ruleset whose fields the columns are matched to.
    sheet
        For workbooks: a sheet name or 0-based index. By default the first visible
        sheet whose headers match the ruleset.
    chunk_rows
        Rows parsed at a time (default :data:`DEFAULT_CHUNK_ROWS`); it bounds the
        memory used while parsing, not the size of the result.

    Raises
    ------
    InputError
        When the file cannot be read at all: missing, empty, damaged,
        password-protected, or without any header that matches the ruleset.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from kematangan.criteria import load_ruleset
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ksm.csv"
    >>> _ = p.write_text("Kode KSM;Jumlah anggota;Tunggakan\\nKSM-01;12;0\\n"
    ...                  "KSM-02;1.250;ya\\n", encoding="utf-8")
    >>> t = read_table(p, load_ruleset("ppmk-ksm"))
    >>> t.columns["members"], t.group_ids.tolist(), t.row_numbers.tolist()
    (array([  12., 1250.]), ['KSM-01', 'KSM-02'], [2, 3])
    >>> [(i.row, i.code, i.severity) for i in t.issues]
    [(3, 'ambiguous_separator', 'note'), (3, 'not_a_number', 'error')]
    """
    return concat_tables(
        list(iter_tables(path, ruleset, sheet=sheet, chunk_rows=chunk_rows))
    )


def iter_tables(
    path: str | PathLike[str],
    ruleset: Ruleset,
    *,
    sheet: str | int | None = None,
    chunk_rows: int | None = None,
) -> Iterator[Table]:
    """Read a table in chunks of at most ``chunk_rows`` rows (memory bounded).

    Takes the same arguments as :func:`read_table`. The first chunk carries the
    file-level and header issues; every chunk carries its own row issues. An input
    with a header row and no data gives one empty table.
    """
    rows_per_chunk = DEFAULT_CHUNK_ROWS if chunk_rows is None else int(chunk_rows)
    if rows_per_chunk < 1:
        raise ValueError(f"chunk_rows must be at least 1, not {chunk_rows}")
    source = Path(path)
    kind = detect_kind(source)
    matcher = HeaderMatcher(ruleset)
    if kind == "workbook":
        yield from _workbook_tables(source, ruleset, matcher, sheet, rows_per_chunk)
    elif kind == "text":
        yield from _text_tables(source, ruleset, matcher, rows_per_chunk)
    else:
        reader = {"json": json_records, "jsonl": jsonl_records,
                  "parquet": parquet_chunks}[kind]
        yield from _record_tables(source, ruleset, matcher,
                                  reader(source, rows_per_chunk))


# --- assembling a table from columns ---------------------------------------------


class _Assembler:
    """Turns chunks of raw columns into tables, keeping per-column state."""

    def __init__(self, ruleset: Ruleset, sheet: str | None, header_row: int) -> None:
        self.ruleset = ruleset
        self.states: dict[str, ColumnState] = {f.id: ColumnState() for f in
                                               ruleset.fields}
        self.sheet = sheet
        self.header_row = header_row

    def table(
        self,
        match: HeaderMatch,
        columns: Sequence[Sequence[Any]],
        row_numbers: Sequence[int],
        issues: list[Issue],
    ) -> Table:
        rows = np.asarray(row_numbers, dtype=np.int64)
        where = {f: j for j, f in enumerate(match.fields) if f is not None}
        parsed: dict[str, npt.NDArray[Any]] = {}
        found: list[Issue] = list(issues)
        for spec in self.ruleset.fields:
            j = where.get(spec.id)
            if j is None:
                continue
            values, col_issues = parse_column(
                columns[j], spec, column=match.names[j], rows=rows,
                state=self.states[spec.id],
            )
            parsed[spec.id] = values
            found.extend(col_issues)
        gj = where.get(self.ruleset.group_id.field)
        group_ids = parse_group_ids(columns[gj]) if gj is not None else None
        passthrough: dict[str, npt.NDArray[np.object_]] = {}
        for name, col in zip(match.names, columns, strict=True):
            arr = np.empty(len(rows), dtype=object)
            arr[:] = col
            passthrough[name] = arr
        found.sort(key=lambda i: (i.row or 0))
        return Table(
            columns=parsed,
            group_ids=group_ids,
            row_numbers=rows,
            passthrough=passthrough,
            header_map={match.names[j]: f for f, j in where.items()},
            issues=found,
            unmatched_headers=dict(match.unmatched),
            duplicate_headers={k: list(v) for k, v in match.duplicates.items()},
            missing_fields=match.missing,
            sheet=self.sheet,
            header_row=self.header_row,
        )


def _header_issues(match: HeaderMatch, row: int | None,
                   ruleset: Ruleset) -> list[Issue]:
    out = []
    for header, field_id in match.unmatched.items():
        if field_id is None:
            continue
        label = _label(ruleset, field_id)
        out.append(Issue(
            row, header, header,
            f"the header matches no field; did you mean {field_id!r} ({label})?",
            f"rename the column to {label!r} if it holds {field_id}; otherwise it "
            "is passed through unread",
            "note", field=field_id, code="unmatched_header",
        ))
    for field_id, headers in match.duplicates.items():
        out.append(Issue(
            row, headers[1], headers[1],
            f"{len(headers)} columns match field {field_id!r} "
            f"({', '.join(repr(h) for h in headers)}); the first is read and the "
            "others are passed through",
            "delete or rename the extra columns", "note", field=field_id,
            code="duplicate_header",
        ))
    return out


def _label(ruleset: Ruleset, field_id: str) -> str:
    if field_id == ruleset.group_id.field:
        return ruleset.group_id.label.get()
    return ruleset.field(field_id).label.get()


def _no_headers(where: str, rows: Sequence[Row], matcher: HeaderMatcher,
                ruleset: Ruleset) -> InputError:
    seen = [cell_text(v) for r in rows[:HEADER_SCAN_ROWS] for v in r]
    seen = [s for s in dict.fromkeys(seen) if s][:8]
    hints = []
    for s in seen:
        field_id = matcher.suggest_field(s)
        if field_id is not None:
            hints.append(f"{s!r} looks like {field_id!r}")
    found = ("; texts found: " + ", ".join(repr(s) for s in seen)) if seen else ""
    hint = (" (" + "; ".join(hints) + ")") if hints else ""
    return InputError(
        f"no column header in the first {HEADER_SCAN_ROWS} rows of {where} matches "
        f"a field of ruleset {ruleset.id!r}{found}{hint}",
        fix="name the columns as the ruleset does, e.g. "
        f"{matcher.expected_headers()}; `kematangan template` writes a sheet with "
        "every header",
    )


# --- grids: workbooks and delimited text ------------------------------------------


def _is_blank(row: Row) -> bool:
    for v in row:
        if v is None or v == "":
            continue
        if isinstance(v, str) and not v.strip():
            continue
        return False
    return True


def _blank_note(first: int, count: int) -> Issue:
    return Issue(
        first, None, "", "the row is blank; kept as a row with every value missing",
        "delete the row if it is not a group", "note", code="blank_row", count=count,
    )


class _ChunkBuffer:
    """Collects data rows until a chunk is full; counts the blank ones for a note."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[Row] = []
        self.numbers: list[int] = []
        self.issues: list[Issue] = []
        self.blank_first = 0
        self.blank_count = 0

    def add(self, number: int, row: Row, blank: bool = False) -> None:
        if blank:
            self.blank_first = self.blank_first or number
            self.blank_count += 1
        self.rows.append(row)
        self.numbers.append(number)

    def take(self) -> tuple[list[Sequence[Any]], list[int], list[Issue]]:
        columns: list[Sequence[Any]] = (
            list(zip(*self.rows, strict=True)) if self.rows
            else [[] for _ in range(self.width)]
        )
        issues = self.issues
        if self.blank_count:
            issues.append(_blank_note(self.blank_first, self.blank_count))
        out = (columns, self.numbers, issues)
        self.rows, self.numbers, self.issues = [], [], []
        self.blank_first = self.blank_count = 0
        return out


def _fit(number: int, row: Row, width: int, issues: list[Issue]) -> Row:
    if len(row) < width:
        return list(row) + [None] * (width - len(row))
    extra = [v for v in row[width:] if not _is_blank([v])]
    if extra:
        issues.append(Issue(
            number, None, cell_text(extra[0]),
            f"the row has {len(row) - width} more cell(s) than there are headers; "
            "they are not read",
            "give the extra cells a header, or remove them (a stray delimiter?)",
            "error", code="extra_cells",
        ))
    return row[:width]


def _grid_chunks(
    rows: Iterator[tuple[int, Row]], width: int, chunk_rows: int
) -> Iterator[tuple[list[Sequence[Any]], list[int], list[Issue]]]:
    """Chunks of data rows, transposed into columns, with their row issues."""
    buf = _ChunkBuffer(width)
    blank_row: Row = [None] * width
    pending: list[int] = []
    emitted = False
    for number, row in rows:
        if _is_blank(row):
            pending.append(number)
            continue
        # Blank rows followed by data are data rows; trailing ones are not.
        for b in pending:
            buf.add(b, blank_row, blank=True)
            if len(buf.rows) >= chunk_rows:
                yield buf.take()
                emitted = True
        pending.clear()
        if len(row) != width:
            row = _fit(number, row, width, buf.issues)
        buf.add(number, row)
        if len(buf.rows) >= chunk_rows:
            yield buf.take()
            emitted = True
    if buf.rows or buf.issues or not emitted:
        yield buf.take()


def _grid_tables(
    rows: Iterator[tuple[int, Row]],
    head: list[tuple[int, Row]],
    found: tuple[int, HeaderMatch],
    ruleset: Ruleset,
    matcher: HeaderMatcher,
    sheet: str | None,
    chunk_rows: int,
    file_issues: list[Issue],
) -> Iterator[Table]:
    index, match = found
    header_row = head[index][0]
    width = len(match.names)
    assembler = _Assembler(ruleset, sheet, header_row)
    first_issues = file_issues + _header_issues(match, header_row, ruleset)
    data = itertools.chain(head[index + 1:], rows)
    for n, (columns, numbers, issues) in enumerate(
        _grid_chunks(data, width, chunk_rows)
    ):
        extra = first_issues + issues if n == 0 else issues
        yield assembler.table(match, columns, numbers, extra)


def _peek(rows: Iterator[tuple[int, Row]]) -> list[tuple[int, Row]]:
    return list(itertools.islice(rows, HEADER_SCAN_ROWS))


def _workbook_tables(
    path: Path, ruleset: Ruleset, matcher: HeaderMatcher,
    sheet: str | int | None, chunk_rows: int,
) -> Iterator[Table]:
    with Workbook(path) as book:
        names = [book.resolve(sheet)] if sheet is not None else book.search_order
        if not names:
            raise InputError(f"{path.name!r} has no sheets",
                             fix="open it in a spreadsheet program and save it again")
        tried: list[tuple[str, list[tuple[int, Row]]]] = []
        for name in names:
            rows = book.rows(name)
            head = _peek(rows)
            found = find_header_row([r for _, r in head], matcher)
            if found is not None and found[1].matched_fields(matcher.group_field):
                offset = book.first_column
                if offset:
                    found = (found[0], _shift(matcher, head[found[0]][1], offset))
                yield from _grid_tables(rows, head, found, ruleset, matcher, name,
                                        chunk_rows, [])
                return
            tried.append((name, head))
        if all(not any(not _is_blank(r) for _, r in head) for _, head in tried):
            which = f"sheet {names[0]!r}" if sheet is not None else "any sheet"
            raise InputError(f"{path.name!r} has no data in {which}",
                             fix="check that you chose the right file and sheet")
        where = (f"sheet {names[0]!r} of {path.name!r}" if len(tried) == 1
                 else f"any sheet of {path.name!r} ("
                 + ", ".join(repr(n) for n, _ in tried) + ")")
        raise _no_headers(where, [r for _, h in tried for _, r in h], matcher,
                          ruleset)


def _shift(matcher: HeaderMatcher, header: Row, offset: int) -> HeaderMatch:
    """Re-match a header row whose first cell is not in column A, so blank headers
    are named by their real column letter."""
    return matcher.match(list(header), first_column=offset)


def _text_tables(path: Path, ruleset: Ruleset, matcher: HeaderMatcher,
                 chunk_rows: int) -> Iterator[Table]:
    encoding, note = sniff_encoding(path)
    text = text_head(path, encoding)
    if not text.strip():
        raise InputError(f"{path.name!r} has no data (only blank lines)",
                         fix="export the data again")
    order = list(DELIMITERS)
    if path.suffix.lower() == ".tsv":
        order.remove("\t")
        order.insert(0, "\t")
    best: tuple[tuple[int, int, int, int], str] | None = None
    for rank, delimiter in enumerate(order):
        rows = split_head(text, delimiter)
        found = find_header_row(rows[:HEADER_SCAN_ROWS], matcher)
        matched = found[1].matched_fields(matcher.group_field) if found else 0
        count, width = consistency(rows)
        score = (matched, count, width, -rank)
        if best is None or score > best[0]:
            best = (score, delimiter)
    assert best is not None
    delimiter = best[1]
    rows_iter = csv_rows(path, encoding, delimiter)
    head = _peek(rows_iter)
    found = find_header_row([r for _, r in head], matcher)
    if found is None or not found[1].matched_fields(matcher.group_field):
        raise _no_headers(repr(path.name), [r for _, r in head], matcher, ruleset)
    yield from _grid_tables(rows_iter, head, found, ruleset, matcher, None,
                            chunk_rows, [note] if note else [])


# --- records: JSON, JSON Lines, Parquet -------------------------------------------


def _record_tables(path: Path, ruleset: Ruleset, matcher: HeaderMatcher,
                   chunks: Iterator[RecordChunk]) -> Iterator[Table]:
    assembler = _Assembler(ruleset, None, 0)
    first = True
    for chunk in chunks:
        match = matcher.match(chunk.keys)
        issues = list(chunk.issues)
        if first:
            if not chunk.keys:
                raise InputError(f"{path.name!r} has no records",
                                 fix="export the data again with at least one group")
            if not match.matched_fields(matcher.group_field):
                raise _no_headers(repr(path.name), [chunk.keys], matcher, ruleset)
            issues = _header_issues(match, None, ruleset) + issues
            first = False
        yield assembler.table(match, chunk.columns, chunk.row_numbers, issues)
