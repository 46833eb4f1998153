"""Turn the rows of a grid source (a sheet, a CSV file) into chunks of rows.

Below the header row, every row is a group row, unless a
:class:`~kematangan.io.rows.RowSorter` finds it is not one (blank, a totals row, a
signature block...): those are kept apart, in order, with why. Blank rows after the
last non-blank row are not rows of the table. A row the source could not parse is a
group row with no values (the source said why). The problems a source found in a
cell are named by the cell's header here, once the header is known; in a column no
field reads they are notes, since nothing is read from it; in a row that is not a
group they are dropped, since nothing is read from it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from kematangan.io.cells import SourceIssue, UnreadableRow, column_letter
from kematangan.io.headers import cell_text
from kematangan.io.limits import Limits, limit_error
from kematangan.io.rows import RowSorter
from kematangan.problems import Problem

__all__ = ["GridChunk", "GridSource", "Layout", "columns_of", "grid_chunks",
           "is_blank", "leading_blank_columns"]

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
    """Group rows transposed into columns, with their row numbers, their problems,
    the rows that are unreadable (no group-id note for those), and the rows that
    are not groups (number, code and parameters of why, cells)."""

    columns: list[npt.NDArray[np.object_]]
    numbers: list[int]
    issues: list[Problem]
    empty_rows: set[int]
    skipped: list[tuple[int, str, dict[str, Any], Row]]


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


def _issue(found: SourceIssue, layout: Layout) -> Problem:
    """A source's problem named by its column's header."""
    if found.col is None:
        return Problem(found.code, found.params, found.severity, row=found.row,
                       value=found.value)
    at = found.col - layout.offset
    if 0 <= at < layout.width:
        name, field = layout.names[at], layout.fields[at]
    else:
        name, field = f"column {column_letter(found.col)}", None
    severity = found.severity if field is not None else "note"
    return Problem(found.code, found.params, severity, row=found.row, column=name,
                   field=field, value=found.value)


class _Buffer:
    """Collects rows until a chunk is full: group rows, and the others apart."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[Row] = []
        self.numbers: list[int] = []
        self.issues: list[Problem] = []
        self.empty: set[int] = set()
        self.skipped: list[tuple[int, str, dict[str, Any], Row]] = []
        self.skipped_numbers: set[int] = set()

    def __len__(self) -> int:
        return len(self.rows) + len(self.skipped)

    def add(self, number: int, row: Row) -> None:
        self.rows.append(row)
        self.numbers.append(number)

    def skip(self, number: int, row: Row, code: str, params: dict[str, Any]) -> None:
        self.skipped.append((number, code, params, row))
        self.skipped_numbers.add(number)

    def take(self) -> GridChunk:
        out = GridChunk(columns_of(self.rows, self.width), self.numbers, self.issues,
                        self.empty, self.skipped)
        self.rows, self.numbers, self.issues, self.empty = [], [], [], set()
        self.skipped, self.skipped_numbers = [], set()
        return out


def columns_of(rows: Sequence[Row], width: int) -> list[npt.NDArray[np.object_]]:
    """Rows of ``width`` cells as columns: views of one array of the cells, filled
    in row order (the order the cells were made in, so memory is read in order,
    several times faster than gathering each column from every row).

    Examples
    --------
    >>> [c.tolist() for c in columns_of([["a", 1], ["b", None]], 2)]
    [['a', 'b'], [1, None]]
    >>> [c.tolist() for c in columns_of([], 2)]
    [[], []]
    """
    if sum(map(len, rows)) != len(rows) * width:
        raise ValueError("rows of the grid differ in width")
    cells = np.fromiter(itertools.chain.from_iterable(rows), dtype=object,
                        count=len(rows) * width).reshape(len(rows), width)
    return [cells[:, j] for j in range(width)]


def _fit(number: int, row: Row, width: int, issues: list[Problem]) -> Row:
    if len(row) < width:
        return list(row) + [None] * (width - len(row))
    extra = row[width:]
    if len(extra) > extra.count("") + extra.count(None):
        at = next((j for j, v in enumerate(extra) if not is_blank([v])), None)
        if at is not None:
            issues.append(Problem(
                "extra_cells", {"width": width, "column": width + at + 1}, "error",
                row=number, value=cell_text(extra[at])[:80]))
    return row[:width]


def grid_chunks(rows: Iterator[tuple[int, Row]], source: GridSource, layout: Layout,
                sorter: RowSorter, chunk_rows: int, limits: Limits
                ) -> Iterator[GridChunk]:
    """Chunks of the rows after the header, with their problems.

    The source's problems about rows above the data (title rows, the header) are
    dropped, and so are those of rows that are not groups; the others go into the
    chunk that holds their row.
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
            if f.row is not None and (f.row <= layout.header_row
                                      or f.row in buf.skipped_numbers):
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
                found.append(SourceIssue(number, None, "", "left_of_table", "error",
                                         {"column": column_letter(offset)}))
            row = row[offset:]
        if not unreadable and is_blank(row):
            pending.append(number)
            continue
        count += len(pending) + 1
        if count > limits.max_rows:
            raise limit_error(limits, "max_rows",
                              f"the input has {count:,} data rows (at least), which")
        # Blank rows followed by more rows come out; trailing ones do not.
        for b in pending:
            buf.skip(b, blank_row, "row_blank", {})
            if len(buf) >= chunk_rows:
                flush(b)
                yield buf.take()
                emitted = True
        pending.clear()
        if unreadable:
            buf.add(number, blank_row)
            buf.empty.add(number)
        else:
            extra: list[Problem] = []
            if len(row) != width:
                row = _fit(number, row, width, extra)
            why = sorter.sort(row)
            if why is None:
                buf.add(number, row)
                buf.issues.extend(extra)
            else:
                buf.skip(number, row, *why)
        if len(buf) >= chunk_rows:
            flush(number)
            yield buf.take()
            emitted = True
    last = max(buf.numbers[-1] if buf.numbers else 0,
               buf.skipped[-1][0] if buf.skipped else 0) or layout.header_row
    flush(last)
    if found:
        # Problems of rows past the last row (trailing blank rows) still say what
        # the file holds.
        buf.issues.extend(_issue(f, layout) for f in found
                          if f.row is None or f.row > layout.header_row)
        found.clear()
    if len(buf) or buf.issues or not emitted:
        yield buf.take()
