"""What reading a table gives: parsed columns, where each row came from, the column
mapping, the problems, and the rows that are not groups.

A :class:`Table` is columnar: one numpy array per matched ruleset field, already in the
form the scorer takes, so scoring a file never builds a Python object per cell.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.io.mapping import ColumnMapping
from kematangan.io.rows import SkippedRows
from kematangan.problems import Problem

__all__ = ["Table", "concat_tables"]


@dataclass(frozen=True, slots=True)
class Table:
    """A table read against a ruleset: its groups, and the rows that are not.

    Attributes
    ----------
    columns
        Field id to values, in ruleset field order, for the fields found in the
        input. number/integer: float64 with NaN for missing; boolean: float64 1.0,
        0.0 or NaN; category: object array of ``str`` or ``None``; date:
        ``datetime64[D]`` with NaT.
    group_ids
        The group key of each row (``str`` or ``None``), or ``None`` when the input
        has no group-id column.
    row_numbers
        The 1-based source row of each group: the spreadsheet row, the CSV record,
        the JSON Lines line, the JSON array position.
    passthrough
        Every input column in input order, keyed by its name in the mapping, with
        the original cell values, so output can repeat them. A header written twice
        gets `` (2)``; a blank header is named by its position (``column F``).
    mapping
        What every column was taken for, and every field's column (see
        :class:`~kematangan.io.mapping.ColumnMapping`), with the header row.
    issues
        Every problem of a group row (its ``row``) or of the whole file (``row``
        ``None``): unusable cells (errors) and values the reader had to guess or
        change (notes). How columns are written (decimal commas...) is in
        ``mapping.conventions``, not here.
    skipped
        The rows below the headers that are not groups (blank, totals, the
        column-numbering row, a signature block...), with why and their cells.
    sheet
        The sheet read, for workbooks.
    header_row
        The 1-based row holding the headers (0 for JSON, JSON Lines and Parquet).
    """

    columns: dict[str, npt.NDArray[Any]]
    group_ids: npt.NDArray[np.object_] | None
    row_numbers: npt.NDArray[np.int64]
    passthrough: dict[str, npt.NDArray[np.object_]]
    mapping: ColumnMapping
    issues: list[Problem]
    skipped: SkippedRows = dataclasses.field(default_factory=SkippedRows.none)
    sheet: str | None = None
    header_row: int = 0

    def __len__(self) -> int:
        return int(self.row_numbers.shape[0])

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``error``."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def notes(self) -> list[Problem]:
        """The problems of severity ``note``."""
        return [i for i in self.issues if i.severity == "note"]

    @property
    def header_map(self) -> dict[str, str]:
        """Column name to the field it feeds (the group-id column to the ruleset's
        ``group_id.field``)."""
        return self.mapping.header_map

    @property
    def unmatched_headers(self) -> dict[str, str | None]:
        """Columns that match no field, each with the field it most likely means
        when exactly one is close."""
        return {c.header: c.candidates[0] if len(c.candidates) == 1 else None
                for c in self.mapping.unmatched if c.how != "no_header"}

    @property
    def duplicate_headers(self) -> dict[str, list[str]]:
        """Field id to every column that matched it, when more than one did; the
        first is read."""
        out: dict[str, list[str]] = {}
        have = self.mapping.column_of
        for c in self.mapping.columns:
            if c.how == "duplicate" and c.field is not None:
                out.setdefault(c.field, [have[c.field]] if c.field in have
                               else []).append(c.header)
        return out

    @property
    def missing_fields(self) -> tuple[str, ...]:
        """Ruleset fields that no input column feeds."""
        return self.mapping.missing


def _concat_objects(
    parts: Sequence[npt.NDArray[np.object_] | None], lengths: Sequence[int]
) -> npt.NDArray[np.object_]:
    out = np.empty(sum(lengths), dtype=object)
    at = 0
    for part, n in zip(parts, lengths, strict=True):
        if part is not None:
            out[at:at + n] = part
        at += n
    return out


def _empty_like(dtype: np.dtype[Any], n: int) -> npt.NDArray[Any]:
    if dtype.kind == "f":
        return np.full(n, np.nan)
    if dtype.kind == "M":
        return np.full(n, np.datetime64("NaT"), dtype=dtype)
    return np.full(n, None, dtype=object)


def concat_tables(tables: Sequence[Table]) -> Table:
    """Join tables read from consecutive chunks of one input into one table.

    A column present in only some chunks (a JSON key that appears late) is missing
    in the others; the mappings are merged (see
    :meth:`~kematangan.io.mapping.ColumnMapping.merge`).

    Examples
    --------
    >>> import numpy as np
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.io.headers import HeaderMatcher
    >>> mapping = HeaderMatcher(load_ruleset("ppmk-ksm")).match(["Jumlah anggota"])
    >>> def chunk(rows):
    ...     return Table({"members": np.array([5.0] * len(rows))}, None,
    ...                  np.array(rows), {"Jumlah anggota": np.array(
    ...                      [5] * len(rows), dtype=object)}, mapping, [])
    >>> len(concat_tables([chunk([2, 3]), chunk([4])]))
    3
    """
    if not tables:
        raise ValueError("concat_tables needs at least one table")
    if len(tables) == 1:
        return tables[0]
    first = tables[0]
    lengths = [len(t) for t in tables]

    field_order: list[str] = []
    dtypes: dict[str, np.dtype[Any]] = {}
    for t in tables:
        for name, arr in t.columns.items():
            if name not in dtypes:
                field_order.append(name)
                dtypes[name] = arr.dtype
    columns: dict[str, npt.NDArray[Any]] = {}
    for name in field_order:
        pieces = [
            t.columns[name] if name in t.columns else _empty_like(dtypes[name], k)
            for t, k in zip(tables, lengths, strict=True)
        ]
        columns[name] = np.concatenate(pieces)

    has_ids = any(t.group_ids is not None for t in tables)
    group_ids = (
        _concat_objects([t.group_ids for t in tables], lengths) if has_ids else None
    )

    headers: list[str] = []
    for t in tables:
        headers.extend(h for h in t.passthrough if h not in headers)
    passthrough = {
        h: _concat_objects([t.passthrough.get(h) for t in tables], lengths)
        for h in headers
    }

    mapping = first.mapping
    for t in tables[1:]:
        mapping = mapping.merge(t.mapping)

    return Table(
        columns=columns,
        group_ids=group_ids,
        row_numbers=np.concatenate([t.row_numbers for t in tables]).astype(np.int64),
        passthrough=passthrough,
        mapping=mapping,
        issues=[i for t in tables for i in t.issues],
        skipped=SkippedRows.concat([t.skipped for t in tables]),
        sheet=first.sheet,
        header_row=first.header_row,
    )
