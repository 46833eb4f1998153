"""What reading a table gives: parsed columns, where each row came from, and issues.

A :class:`Table` is columnar: one numpy array per matched ruleset field, already in the
form the scorer takes, so scoring a file never builds a Python object per cell.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__all__ = ["ROW_NOTES", "Issue", "Severity", "Table", "concat_tables",
           "issue_columns"]

Severity = Literal["error", "note"]
"""``error``: the value is unusable and is read as missing. ``note``: the value was
read, but its form was changed (``"12,5"`` read as 12.5) and the reader says how."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One thing the reader had to do or could not do with the input.

    ``row`` is the 1-based row of the source (the spreadsheet row, the CSV record,
    the JSON Lines line, the JSON array position), or ``None`` for an issue about a
    whole column or file. Errors are reported once per cell. Notes on the form of
    a value are reported once per column and kind: ``row`` and ``value`` are the
    first cell it happened to and ``count`` says how many cells it stands for. Notes
    whose code is in :data:`ROW_NOTES` say something the reader had to assume about
    their own row, and are reported once per row.

    Examples
    --------
    >>> issue = Issue(4, "Jumlah anggota", "12,5", "read as 12.5 (decimal comma)",
    ...               "none needed", "note", field="members", code="decimal_comma")
    >>> issue.to_dict()["code"]
    'decimal_comma'
    >>> print(issue)
    row 4, column 'Jumlah anggota': read as 12.5 (decimal comma) (note)
    """

    row: int | None
    column: str | None
    value: str
    problem: str
    fix: str
    severity: Severity
    field: str | None = None
    code: str = ""
    count: int = 1

    def to_dict(self) -> dict[str, Any]:
        """The issue as a JSON-ready mapping."""
        return dataclasses.asdict(self)

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where) + ": " if where else ""
        more = f", {self.count} cells" if self.count > 1 else ""
        return f"{prefix}{self.problem} ({self.severity}{more})"


@dataclass(frozen=True, slots=True)
class Table:
    """A table read against a ruleset.

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
        The 1-based source row of each data row (see :class:`Issue`).
    passthrough
        Every input column in input order, keyed by its header as written, with the
        original cell values, so output can repeat them. A header written twice gets
        `` (2)``; a blank header is named by its position (``column F``).
    header_map
        Input header (as in ``passthrough``) to the field id it was matched to; the
        group-id column maps to the ruleset's ``group_id.field``.
    issues
        Everything the reader changed or could not use; see :class:`Issue`.
    unmatched_headers
        Input headers that match no field, each with the field id it most likely
        means (a did-you-mean suggestion) or ``None``.
    duplicate_headers
        Field id to every header that matched it, when more than one did; the first
        is used and the others are passed through.
    missing_fields
        Ruleset fields that no input column matched.
    sheet
        The sheet read, for workbooks.
    header_row
        The 1-based row holding the headers (0 for JSON, JSON Lines and Parquet).
    """

    columns: dict[str, npt.NDArray[Any]]
    group_ids: npt.NDArray[np.object_] | None
    row_numbers: npt.NDArray[np.int64]
    passthrough: dict[str, npt.NDArray[np.object_]]
    header_map: dict[str, str]
    issues: list[Issue]
    unmatched_headers: dict[str, str | None]
    duplicate_headers: dict[str, list[str]]
    missing_fields: tuple[str, ...] = ()
    sheet: str | None = None
    header_row: int = 0

    def __len__(self) -> int:
        return int(self.row_numbers.shape[0])

    @property
    def errors(self) -> list[Issue]:
        """The issues of severity ``error``."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def notes(self) -> list[Issue]:
        """The issues of severity ``note``."""
        return [i for i in self.issues if i.severity == "note"]


ROW_NOTES = frozenset({
    "not_utf8", "blank_group_id", "json_nan", "duplicate_key",
    "formula_without_value", "cell_too_long", "bad_cell", "duplicate_cell",
    "extra_cells", "too_many_columns", "left_of_table",
})
"""Codes of notes kept one per row: each says which row a quiet substitution
touched (letters read in a guessed encoding, a blank group id, JSON ``NaN`` read as
missing...), so they are never folded into one note with a count."""

ISSUE_COLUMNS = ("row", "column", "field", "value", "severity", "code", "count",
                 "problem", "fix")


def issue_columns(issues: Sequence[Issue]) -> dict[str, list[Any]]:
    """Issues as columns, ready for :func:`~kematangan.io.write.write_table`
    (an ``errors`` sheet).

    Examples
    --------
    >>> cols = issue_columns([Issue(3, "Anggota", "dua", "not a number", "write 2",
    ...                             "error", field="members", code="not_a_number")])
    >>> cols["row"], cols["code"]
    ([3], ['not_a_number'])
    """
    return {name: [getattr(i, name) for i in issues] for name in ISSUE_COLUMNS}


def _merge_notes(issues: Iterable[Issue]) -> list[Issue]:
    """Fold notes of the same column and kind into one, adding up their counts."""
    out: list[Issue] = []
    seen: dict[tuple[str | None, str | None, str], int] = {}
    for issue in issues:
        if issue.severity != "note" or not issue.code or issue.code in ROW_NOTES:
            out.append(issue)
            continue
        key = (issue.column, issue.field, issue.code)
        at = seen.get(key)
        if at is None:
            seen[key] = len(out)
            out.append(issue)
        else:
            first = out[at]
            out[at] = dataclasses.replace(first, count=first.count + issue.count)
    return out


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
    in the others. Notes of the same column and kind are merged.

    Examples
    --------
    >>> import numpy as np
    >>> def chunk(rows):
    ...     return Table({"members": np.array([5.0] * len(rows))}, None,
    ...                  np.array(rows), {"n": np.array([5] * len(rows), dtype=object)},
    ...                  {"n": "members"}, [], {}, {})
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

    header_map: dict[str, str] = {}
    unmatched: dict[str, str | None] = {}
    duplicates: dict[str, list[str]] = {}
    for t in tables:
        header_map.update(t.header_map)
        unmatched.update(t.unmatched_headers)
        for key, names in t.duplicate_headers.items():
            known = duplicates.setdefault(key, [])
            known.extend(x for x in names if x not in known)
    for h in header_map:
        unmatched.pop(h, None)
    found = set(columns)
    missing = tuple(f for f in first.missing_fields if f not in found)

    return Table(
        columns=columns,
        group_ids=group_ids,
        row_numbers=np.concatenate([t.row_numbers for t in tables]).astype(np.int64),
        passthrough=passthrough,
        header_map=header_map,
        issues=_merge_notes(i for t in tables for i in t.issues),
        unmatched_headers=unmatched,
        duplicate_headers=duplicates,
        missing_fields=missing,
        sheet=first.sheet,
        header_row=first.header_row,
    )
