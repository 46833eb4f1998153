"""Turn the rows of a grid source (a sheet, a CSV file) into chunks of data rows.

Below the header row, every row is a data row, blank rows between data rows included
(each noted); blank rows after the last data row are not. A row the source could not
parse is a data row with no values (the source said why). The problems a source
found in a cell are named by the cell's header here, once the header is known; in a
column no field reads they are notes, since nothing is read from it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from kematangan.io.cells import SourceIssue, UnreadableRow
from kematangan.io.headers import cell_text, column_letter
from kematangan.io.limits import Limits, limit_error
from kematangan.io.table import Issue

__all__ = ["GridChunk", "GridSource", "Layout", "grid_chunks", "is_blank",
           "leading_blank_columns"]

Row = Sequence[Any]


class GridSource(Protocol):
    """What a grid source offers: its rows, the problems it found in them, and a
    width past which it stops widening rows."""

    issues: list[SourceIssue]
    width: int | None

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Every row from the top, numbered from 1."""
        ...


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the table sits in the grid: its header row, how many empty columns
    left of it are dropped (``offset``), and each column's header and field."""

    header_row: int
    offset: int
    names: tuple[str, ...]
    fields: tuple[str | None, ...]

    @property
    def width(self) -> int:
        """Columns of the table."""
        return len(self.names)


class GridChunk(NamedTuple):
    """Data rows transposed into columns, with their row numbers, their issues, and
    the rows that are blank or unreadable (no group-id note for those)."""

    columns: list[Sequence[Any]]
    numbers: list[int]
    issues: list[Issue]
    empty_rows: set[int]


def is_blank(row: Row) -> bool:
    """Whether every cell of ``row`` is empty or only spaces."""
    for v in row:
        if v is None or v == "":
            continue
        if isinstance(v, str) and not v.strip():
            continue
        return False
    return True


def leading_blank_columns(header: Row, rows: Sequence[Row]) -> int:
    """How many columns left of the table are empty in the header row and in every
    row of ``rows`` (the rows read so far): those are not part of the table."""
    n = 0
    while n < len(header) and is_blank([header[n]]) and all(
            n >= len(r) or is_blank([r[n]]) for r in rows):
        n += 1
    return n


def _blank_note(first: int, count: int) -> Issue:
    return Issue(
        first, None, "", "the row is blank; kept as a row with every value missing",
        "delete the row if it is not a group", "note", code="blank_row", count=count,
    )


def _issue(found: SourceIssue, layout: Layout) -> Issue:
    """A source's problem as an issue named by its column's header."""
    if found.col is None:
        return Issue(found.row, None, found.value, found.problem, found.fix,
                     found.severity, code=found.code)
    at = found.col - layout.offset
    if 0 <= at < layout.width:
        name, field = layout.names[at], layout.fields[at]
    else:
        name, field = f"column {column_letter(found.col)}", None
    severity = found.severity if field is not None else "note"
    return Issue(found.row, name, found.value, found.problem, found.fix, severity,
                 field=field, code=found.code)


class _Buffer:
    """Collects data rows until a chunk is full; counts the blank ones for a note."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[Row] = []
        self.numbers: list[int] = []
        self.issues: list[Issue] = []
        self.empty: set[int] = set()
        self.blank_first = 0
        self.blank_count = 0

    def add(self, number: int, row: Row, blank: bool = False) -> None:
        if blank:
            self.blank_first = self.blank_first or number
            self.blank_count += 1
            self.empty.add(number)
        self.rows.append(row)
        self.numbers.append(number)

    def take(self) -> GridChunk:
        columns: list[Sequence[Any]] = (
            list(zip(*self.rows, strict=True)) if self.rows
            else [[] for _ in range(self.width)]
        )
        issues = self.issues
        if self.blank_count:
            issues.append(_blank_note(self.blank_first, self.blank_count))
        out = GridChunk(columns, self.numbers, issues, self.empty)
        self.rows, self.numbers, self.issues, self.empty = [], [], [], set()
        self.blank_first = self.blank_count = 0
        return out


def _fit(number: int, row: Row, width: int, issues: list[Issue]) -> Row:
    if len(row) < width:
        return list(row) + [None] * (width - len(row))
    extra = row[width:]
    if len(extra) > extra.count("") + extra.count(None):
        sample = next((v for v in extra if not is_blank([v])), None)
        if sample is not None:
            issues.append(Issue(
                number, None, cell_text(sample)[:80],
                f"the row has {len(extra)} more cell(s) than there are headers; "
                "they are not read",
                "give the extra cells a header, or remove them (a stray delimiter?)",
                "error", code="extra_cells",
            ))
    return row[:width]


def grid_chunks(rows: Iterator[tuple[int, Row]], source: GridSource, layout: Layout,
                chunk_rows: int, limits: Limits) -> Iterator[GridChunk]:
    """Chunks of data rows (the rows after the header), with their issues.

    The source's issues about rows above the data (title rows, the header) are
    dropped; the others go into the chunk that holds their row.
    """
    width, offset = layout.width, layout.offset
    buf = _Buffer(width)
    blank_row: Row = [None] * width
    pending: list[int] = []
    emitted = False
    count = 0
    found = source.issues

    def flush(upto: int) -> None:
        keep = []
        for f in found:
            if f.row is not None and f.row <= layout.header_row:
                continue
            if f.row is not None and f.row > upto:
                keep.append(f)
            else:
                buf.issues.append(_issue(f, layout))
        found[:] = keep

    for number, row in rows:
        unreadable = type(row) is UnreadableRow
        if offset and not unreadable:
            if not is_blank(row[:offset]):
                found.append(SourceIssue(
                    number, None, "", "left_of_table", "error",
                    f"the row has a value left of the table (the headers start in "
                    f"column {column_letter(offset)}); it is not read",
                    "move the value into a column with a header"))
            row = row[offset:]
        if not unreadable and is_blank(row):
            pending.append(number)
            continue
        count += len(pending) + 1
        if count > limits.max_rows:
            raise limit_error(limits, "max_rows",
                              f"the input has {count:,} data rows (at least), which")
        # Blank rows followed by data are data rows; trailing ones are not.
        for b in pending:
            buf.add(b, blank_row, blank=True)
            if len(buf.rows) >= chunk_rows:
                flush(b)
                yield buf.take()
                emitted = True
        pending.clear()
        if unreadable:
            buf.add(number, blank_row)
            buf.empty.add(number)
        else:
            if len(row) != width:
                row = _fit(number, row, width, buf.issues)
            buf.add(number, row)
        if len(buf.rows) >= chunk_rows:
            flush(number)
            yield buf.take()
            emitted = True
    flush(buf.numbers[-1] if buf.numbers else layout.header_row)
    if found:
        # Problems of rows past the last data row (trailing blank rows) still say
        # what the file holds.
        buf.issues.extend(_issue(f, layout) for f in found
                          if f.row is None or f.row > layout.header_row)
        found.clear()
    if buf.rows or buf.issues or not emitted:
        yield buf.take()
