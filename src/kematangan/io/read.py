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

Rows: every row below the headers is a group, or a row that is not one (blank, the
column-numbering row, a totals row, a repeated header, the template's example, a
signature block: see :mod:`~kematangan.io.rows`), kept in ``Table.skipped`` with
why. Blank rows after the last row are left out, as are title rows above the header
row. A header cell left blank under a merged header is named from the rows just
above it.

Columns: every column is mapped to a field, ignored on purpose, or unmatched, and
every field has its column or none (:class:`~kematangan.io.mapping.ColumnMapping`).
``mapping`` says what some columns are, before any guess
(:class:`~kematangan.io.usermap.UserMapping`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError, KematanganError
from kematangan.io.grid import (
    GridSource,
    Layout,
    grid_chunks,
    is_blank,
    leading_blank_columns,
)
from kematangan.io.headers import HeaderMatcher, cell_text, find_header_row
from kematangan.io.limits import DEFAULT_LIMITS, Limits, limit_error
from kematangan.io.mapping import ColumnMapping, merge_conventions
from kematangan.io.parquet_dataset import is_dataset
from kematangan.io.records import (
    CELLS_PER_CHUNK,
    RecordChunk,
    json_records,
    jsonl_records,
    parquet_chunks,
    parquet_dataset_chunks,
)
from kematangan.io.rows import RowSorter, SkippedRows
from kematangan.io.seen import SeenIds
from kematangan.io.sources import (
    DELIMITERS,
    CsvSource,
    consistency,
    detect_kind,
    read_error,
    sniff_encoding,
    split_head,
    text_head,
)
from kematangan.io.table import Table, concat_tables
from kematangan.io.usermap import UserMapping
from kematangan.io.values import CONVENTIONS, ColumnState, parse_column, parse_group_ids
from kematangan.io.workbook import Workbook
from kematangan.problems import Problem

__all__ = ["DEFAULT_CHUNK_ROWS", "HEADER_SCAN_ROWS", "iter_tables", "read_table"]

DEFAULT_CHUNK_ROWS = 50_000
"""Rows per chunk when none is given: about 100 MB of cells at 40 columns."""

HEADER_SCAN_ROWS = 20
"""How many rows from the top are searched for the header row."""

HEADER_ABOVE = 2
"""How many rows above the header row may name its blank cells (merged headers)."""

Row = Sequence[Any]
UserMap = UserMapping | Mapping[str, str | None] | None


def read_table(
    path: str | PathLike[str],
    ruleset: Ruleset,
    *,
    sheet: str | int | None = None,
    chunk_rows: int | None = None,
    limits: Limits | None = None,
    mapping: UserMap = None,
) -> Table:
    """Read a whole table of group records, parsed for ``ruleset``.

    Parameters
    ----------
    path
        An .xlsx, .xlsm, .xls, .xlsb, .ods, .csv, .tsv, .txt, .json, .jsonl or
        .parquet file. Workbooks and Parquet are recognised by their content
        whatever their suffix.
    ruleset
        The ruleset whose fields the columns are matched to.
    sheet
        For workbooks: a sheet name or 0-based index. By default the first visible
        sheet whose headers match the ruleset (a hidden sheet is read only when no
        visible one matches, with a note).
    chunk_rows
        Rows parsed at a time (default :data:`DEFAULT_CHUNK_ROWS`, fewer for very
        wide tables); it bounds the memory used while parsing, not the size of the
        result.
    limits
        What the reader accepts (default :data:`~kematangan.io.limits.DEFAULT_LIMITS`);
        see :class:`~kematangan.io.limits.Limits` and ``docs/security.md``.
    mapping
        What some columns are: header (as written) to field id, or ``None`` to
        ignore it; a :class:`~kematangan.io.usermap.UserMapping` read from
        ``--map`` options or a mapping file, or a plain dict.

    Raises
    ------
    InputError
        When the file cannot be read at all: missing, empty, damaged,
        password-protected, beyond a limit, or without any header that matches the
        ruleset; or when ``mapping`` names a field or column that does not exist.
        Any other failure while reading is turned into an
        :class:`~kematangan.errors.InputError` too.

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
    [(3, 'separator_as_thousands', 'note'), (3, 'not_a_number', 'error')]
    >>> t.mapping.column_of["arrears_instalments"]
    'Tunggakan'
    """
    return concat_tables(list(iter_tables(path, ruleset, sheet=sheet,
                                          chunk_rows=chunk_rows, limits=limits,
                                          mapping=mapping)))


def iter_tables(
    path: str | PathLike[str],
    ruleset: Ruleset,
    *,
    sheet: str | int | None = None,
    chunk_rows: int | None = None,
    limits: Limits | None = None,
    mapping: UserMap = None,
) -> Iterator[Table]:
    """Read a table in chunks of at most ``chunk_rows`` rows (memory bounded).

    Takes the same arguments as :func:`read_table`. The first chunk carries the
    file-level problems; every chunk carries its own row problems, and a mapping
    (the same columns; a later chunk may find values in a column without a
    header). An input with a header row and no data gives one empty table.
    """
    rows_per_chunk = DEFAULT_CHUNK_ROWS if chunk_rows is None else int(chunk_rows)
    if rows_per_chunk < 1:
        raise ValueError(f"chunk_rows must be at least 1, not {chunk_rows}")
    source = Path(path)
    user = mapping if isinstance(mapping, UserMapping) else UserMapping(
        dict(mapping or {}))
    user.check(ruleset)
    try:
        yield from _tables(source, ruleset, sheet, rows_per_chunk,
                           limits or DEFAULT_LIMITS, user)
    except KematanganError:
        raise
    except OSError as exc:
        raise read_error(source, exc) from None
    except RecursionError:
        raise InputError(f"{source.name!r} is nested too deep to read",
                         fix="export the data again as .xlsx or .csv") from None
    except MemoryError:
        raise InputError(f"reading {source.name!r} ran out of memory",
                         fix="split the file, or read it on a machine with more "
                         "memory") from None
    except Exception as exc:
        raise InputError(
            f"cannot read {source.name!r}: the reader failed unexpectedly "
            f"({type(exc).__name__}: {exc})",
            fix="check the file opens in a spreadsheet program and export it again; "
            "if it does, this is a bug in kematangan: please report it with the file",
        ) from exc


def _tables(source: Path, ruleset: Ruleset, sheet: str | int | None,
            chunk_rows: int, limits: Limits, user: UserMapping) -> Iterator[Table]:
    matcher = HeaderMatcher(ruleset, user.columns)
    if is_dataset(source):
        # A folder of Parquet files (partitions) or a glob of them: one table.
        yield from _record_tables(source, ruleset, matcher, parquet_dataset_chunks(
            source, chunk_rows, limits), limits)
        return
    kind = detect_kind(source, limits)
    if kind == "workbook":
        yield from _workbook_tables(source, ruleset, matcher, sheet, chunk_rows,
                                    limits)
    elif kind == "text":
        yield from _text_tables(source, ruleset, matcher, chunk_rows, limits)
    else:
        reader = {"json": json_records, "jsonl": jsonl_records,
                  "parquet": parquet_chunks}[kind]
        yield from _record_tables(source, ruleset, matcher,
                                  reader(source, chunk_rows, limits), limits)


# --- assembling a table from columns ---------------------------------------------


class _Assembler:
    """Turns chunks of raw columns into tables, keeping per-column state and the
    group ids seen (a repeated id names the row it was first on)."""

    def __init__(self, ruleset: Ruleset, sheet: str | None, header_row: int) -> None:
        self.ruleset = ruleset
        self.states: dict[str, ColumnState] = {f.id: ColumnState() for f in
                                               ruleset.fields}
        self.sheet = sheet
        self.header_row = header_row
        self.seen_ids = SeenIds()

    def table(
        self,
        mapping: ColumnMapping,
        columns: Sequence[Sequence[Any]] | Sequence[npt.NDArray[np.object_]],
        row_numbers: Sequence[int],
        issues: list[Problem],
        empty_rows: set[int] | None = None,
        skipped: Sequence[tuple[int, str, dict[str, Any], Row]] = (),
    ) -> Table:
        rows = np.asarray(row_numbers, dtype=np.int64)
        where = {f: j for j, f in enumerate(mapping.fields) if f is not None}
        parsed: dict[str, npt.NDArray[Any]] = {}
        found: list[Problem] = list(issues)
        conventions: list[Problem] = []
        for spec in self.ruleset.fields:
            j = where.get(spec.id)
            if j is None:
                continue
            values, col_problems = parse_column(
                _cells(columns[j]), spec, column=mapping.names[j], rows=rows,
                state=self.states[spec.id],
            )
            parsed[spec.id] = values
            for p in col_problems:
                (conventions if p.code in CONVENTIONS else found).append(p)
        gj = where.get(self.ruleset.group_id.field)
        group_ids = None
        if gj is not None:
            group_ids = parse_group_ids(_cells(columns[gj]))
            found.extend(self._id_notes(group_ids, rows, mapping.names[gj],
                                        empty_rows or set()))
        passthrough: dict[str, npt.NDArray[np.object_]] = {}
        for name, col in zip(mapping.names, columns, strict=True):
            if isinstance(col, np.ndarray) and col.dtype == object:
                passthrough[name] = col
                continue
            arr = np.empty(len(rows), dtype=object)
            arr[:] = col
            passthrough[name] = arr
        found.sort(key=lambda i: (i.row or 0))
        mapping = replace(mapping, header_row=mapping.header_row or self.header_row,
                          columns=_filled(mapping, passthrough),
                          conventions=merge_conventions(conventions))
        return Table(
            columns=parsed,
            group_ids=group_ids,
            row_numbers=rows,
            passthrough=passthrough,
            mapping=mapping,
            issues=found,
            skipped=_skipped(mapping.names, skipped),
            sheet=self.sheet,
            header_row=self.header_row,
        )

    def _id_notes(self, ids: npt.NDArray[np.object_], rows: npt.NDArray[np.int64],
                  column: str, empty_rows: set[int]) -> list[Problem]:
        out = []
        field = self.ruleset.group_id.field
        pairs = [(gid, row) for gid, row in zip(ids.tolist(), rows.tolist(),
                                                strict=True)]
        named = [(gid, row) for gid, row in pairs if gid is not None]
        firsts = iter(self.seen_ids.first_rows([g for g, _ in named],
                                               [r for _, r in named]))
        for gid, row in pairs:
            if gid is None:
                if row not in empty_rows:
                    out.append(Problem("blank_group_id", {}, "note", row=row,
                                       column=column, field=field, value=""))
                continue
            first = next(firsts)
            if first is not None:
                out.append(Problem("duplicate_group_id", {
                    "group_id": gid, "first_row": first}, "note", row=row,
                    column=column, field=field, value=gid))
        return out


def _cells(column: Sequence[Any] | npt.NDArray[np.object_]) -> Sequence[Any]:
    """A column as a list (a grid's columns are array views: a list is faster to
    go through cell by cell)."""
    return column.tolist() if isinstance(column, np.ndarray) else column


def _filled(mapping: ColumnMapping, cells: dict[str, npt.NDArray[np.object_]]
            ) -> tuple[Any, ...]:
    """The columns, a column without a header unmatched when it has a value."""
    out = []
    for c in mapping.columns:
        if c.how == "empty" and any(not is_blank([v]) for v in cells[c.header]):
            c = replace(c, status="unmatched", how="no_header")
        out.append(c)
    return tuple(out)


def _skipped(names: Sequence[str],
             rows: Sequence[tuple[int, str, dict[str, Any], Row]]) -> SkippedRows:
    if not rows:
        return SkippedRows.none()
    cells: dict[str, npt.NDArray[np.object_]] = {}
    for j, name in enumerate(names):
        arr = np.empty(len(rows), dtype=object)
        arr[:] = [r[3][j] if j < len(r[3]) else None for r in rows]
        cells[name] = arr
    return SkippedRows(np.array([r[0] for r in rows], dtype=np.int64),
                       tuple(r[1] for r in rows), tuple(r[2] for r in rows), cells)


def _no_headers(where: str, rows: Sequence[Row], matcher: HeaderMatcher,
                ruleset: Ruleset) -> InputError:
    seen = [cell_text(v)[:80] for r in rows[:HEADER_SCAN_ROWS] for v in r[:200]]
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


def _grid_tables(
    source: GridSource,
    rows: Iterator[tuple[int, Row]],
    head: list[tuple[int, Row]],
    found: tuple[int, ColumnMapping],
    ruleset: Ruleset,
    matcher: HeaderMatcher,
    sheet: str | None,
    chunk_rows: int,
    file_issues: list[Problem],
    limits: Limits,
) -> Iterator[Table]:
    index, _ = found
    header_row, header = head[index]
    offset = leading_blank_columns(header, [r for _, r in head])
    # A column merged down from the row above has its text only there.
    width = max(_filled_width(r) for r in [header, *(r for _, r in _block(
        head, index))]) - offset
    if width > limits.max_columns:
        raise limit_error(limits, "max_columns",
                          f"the header row (row {header_row}) has {width:,} columns, "
                          "which")
    texts, above = _merged_header(head, index, offset, width)
    match = matcher.match(texts, first_column=offset)
    UserMapping(_user_of(matcher)).check_columns([cell_text(t) for t in texts])
    match = replace(match, header_row=header_row, header_rows=tuple(above))
    source.width = offset + width
    layout = Layout(header_row, offset, match.names, match.fields)
    sorter = RowSorter(match.names, match.fields, matcher.group_field, texts)
    assembler = _Assembler(ruleset, sheet, header_row)
    data = itertools.chain(head[index + 1:], rows)
    per_chunk = max(1, min(chunk_rows, CELLS_PER_CHUNK // max(1, width)))
    for n, chunk in enumerate(grid_chunks(data, source, layout, sorter, per_chunk,
                                          limits)):
        extra = file_issues + chunk.issues if n == 0 else chunk.issues
        yield assembler.table(match, chunk.columns, chunk.numbers, extra,
                              chunk.empty_rows, chunk.skipped)


def _user_of(matcher: HeaderMatcher) -> dict[str, str | None]:
    return {header: field for header, field in matcher.user.values()}


def _block(head: list[tuple[int, Row]], index: int) -> list[tuple[int, Row]]:
    """The rows right above the header row that are not blank (at most
    :data:`HEADER_ABOVE`), nearest first: a merged header's upper rows."""
    out: list[tuple[int, Row]] = []
    for k in range(index - 1, max(-1, index - 1 - HEADER_ABOVE), -1):
        if is_blank(head[k][1]):
            break
        out.append(head[k])
    return out


def _filled_width(row: Row) -> int:
    """The row's length without its blank cells at the end."""
    n = len(row)
    while n and is_blank([row[n - 1]]):
        n -= 1
    return n


def _merged_header(head: list[tuple[int, Row]], index: int, offset: int,
                   width: int) -> tuple[list[Any], list[int]]:
    """The header row's cells, each blank one named by the nearest text above it in
    the (at most :data:`HEADER_ABOVE`) rows right above that are not blank: a cell
    merged down from a header row above (``No``, ``Nama KSM`` over two rows)."""
    cells = list(head[index][1][offset:offset + width])
    cells += [None] * (width - len(cells))
    used: list[int] = []
    block = _block(head, index)
    for j, value in enumerate(cells):
        if cell_text(value):
            continue
        for number, row in block:
            text = cell_text(row[offset + j]) if offset + j < len(row) else ""
            if text:
                cells[j] = text
                if number not in used:
                    used.append(number)
                break
    return cells, sorted(used)


def _peek(rows: Iterator[tuple[int, Row]]) -> list[tuple[int, Row]]:
    return list(itertools.islice(rows, HEADER_SCAN_ROWS))


def _workbook_tables(
    path: Path, ruleset: Ruleset, matcher: HeaderMatcher,
    sheet: str | int | None, chunk_rows: int, limits: Limits,
) -> Iterator[Table]:
    with Workbook(path, limits) as book:
        names = [book.resolve(sheet)] if sheet is not None else book.search_order
        if not names:
            raise InputError(f"{path.name!r} has no sheets",
                             fix="open it in a spreadsheet program and save it again")
        tried: list[tuple[str, list[tuple[int, Row]]]] = []
        for name in names:
            stream = book.sheet(name)
            rows = stream.rows()
            try:
                head = _peek(rows)
                found = find_header_row([r for _, r in head], matcher,
                                        limits.max_columns)
                if found is not None and found[1].matched_fields(matcher.group_field):
                    notes = [] if sheet is not None else _hidden(book.state(name), name)
                    yield from _grid_tables(stream, rows, head, found, ruleset,
                                            matcher, name, chunk_rows, notes, limits)
                    return
            finally:
                rows.close()  # type: ignore[attr-defined]
            tried.append((name, head))
        if all(not any(not is_blank(r) for _, r in head) for _, head in tried):
            which = f"sheet {names[0]!r}" if sheet is not None else "any sheet"
            raise InputError(f"{path.name!r} has no data in {which}",
                             fix="check that you chose the right file and sheet")
        where = (f"sheet {names[0]!r} of {path.name!r}" if len(tried) == 1
                 else f"any sheet of {path.name!r} ("
                 + ", ".join(repr(n) for n, _ in tried) + ")")
        raise _no_headers(where, [r for _, h in tried for _, r in h], matcher,
                          ruleset)


def _hidden(state: str, name: str) -> list[Problem]:
    if state == "visible":
        return []
    code = "very_hidden_sheet" if state == "veryHidden" else "hidden_sheet"
    return [Problem(code, {"sheet": name}, "note", value=name)]


def _text_tables(path: Path, ruleset: Ruleset, matcher: HeaderMatcher,
                 chunk_rows: int, limits: Limits) -> Iterator[Table]:
    encoding, note = sniff_encoding(path)
    text = text_head(path, encoding, limits)
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
        found = find_header_row(rows[:HEADER_SCAN_ROWS], matcher,
                                limits.max_columns)
        matched = found[1].matched_fields(matcher.group_field) if found else 0
        count, width = consistency(rows)
        score = (matched, count, width, -rank)
        if best is None or score > best[0]:
            best = (score, delimiter)
    assert best is not None
    source = CsvSource(path, encoding, best[1], limits)
    rows_iter = source.rows()
    head = _peek(rows_iter)
    found = find_header_row([r for _, r in head], matcher, limits.max_columns)
    if found is None or not found[1].matched_fields(matcher.group_field):
        raise _no_headers(repr(path.name), [r for _, r in head], matcher, ruleset)
    yield from _grid_tables(source, rows_iter, head, found, ruleset, matcher, None,
                            chunk_rows, [note] if note else [], limits)


# --- records: JSON, JSON Lines, Parquet -------------------------------------------


def _record_tables(path: Path, ruleset: Ruleset, matcher: HeaderMatcher,
                   chunks: Iterator[RecordChunk], limits: Limits) -> Iterator[Table]:
    assembler = _Assembler(ruleset, None, 0)
    first = True
    count = 0
    for chunk in chunks:
        count += len(chunk.row_numbers)
        if count > limits.max_rows:
            raise limit_error(limits, "max_rows",
                              f"{path.name!r} has {count:,} records (at least), which")
        match = matcher.match(chunk.keys, first_column=None)
        issues = list(chunk.issues)
        if first:
            if not chunk.keys:
                bad = next((i for i in chunk.issues if i.severity == "error"), None)
                if bad is not None:
                    raise InputError(f"no record of {path.name!r} can be read (item "
                                     f"{bad.row}: {bad.problem()})", fix=bad.fix())
                raise InputError(f"{path.name!r} has no records",
                                 fix="export the data again with at least one group")
            if not match.matched_fields(matcher.group_field):
                raise _no_headers(repr(path.name), [chunk.keys], matcher, ruleset)
            UserMapping(_user_of(matcher)).check_columns(chunk.keys)
            first = False
        yield assembler.table(match, chunk.columns, chunk.row_numbers, issues,
                              set(chunk.unreadable))
