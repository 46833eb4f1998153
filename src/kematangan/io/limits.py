"""Limits on what a reader accepts, checked before the work they bound starts.

A file from outside (a spreadsheet sent by e-mail, an upload to an MIS) may be made to
exhaust memory or time: a small zip that expands to gigabytes, a sheet whose only
cell is in its last row and column, a JSON record nested 100,000 deep. Each such
dimension has a limit with a default that fits any real data set of this domain; a
file beyond one is refused with an :class:`~kematangan.errors.InputError` (or, for
one cell or one record, an error on its row) that names the limit and says how to
raise it: ``limits=Limits(max_cell_chars=100_000)`` in Python, ``--limit
max_cell_chars=100000`` on the command line.

Examples
--------
>>> Limits().max_cell_chars
32767
>>> Limits().replace(max_cell_chars=100_000).max_cell_chars
100000
>>> parse_limits(["max_file_bytes=2GiB", "max_json_depth=100"]).max_file_bytes
2147483648
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from kematangan.errors import InputError, suggest

__all__ = [
    "DEFAULT_LIMITS",
    "LIMIT_HELP",
    "Limits",
    "limit_error",
    "parse_limits",
    "raise_fix",
]

_KIB, _MIB, _GIB = 1 << 10, 1 << 20, 1 << 30


@dataclass(frozen=True, slots=True)
class Limits:
    """What a reader accepts. Every field has a default; raise one with
    :meth:`replace` (Python) or ``--limit NAME=VALUE`` (command line).

    Attributes
    ----------
    max_file_bytes
        Size of the input file (default 1 GiB).
    max_unzipped_bytes
        Uncompressed size of one part of a workbook package read (a sheet's XML,
        the workbook, styles; default 1 GiB). Checked against the size the package
        declares and against the bytes actually decompressed.
    max_shared_strings_bytes
        Uncompressed size of an .xlsx workbook's shared-strings table, which is held
        in memory while a sheet is read (default 128 MiB).
    max_rows
        Data rows in one input (default 10,000,000).
    max_row_gap
        Empty rows between two rows of a sheet (default 100,000): a cell far below
        the data would otherwise add that many blank rows.
    max_columns
        Columns of a table: cells in a header row, keys across JSON records,
        Parquet columns (default 16,384, the most a spreadsheet can have).
    max_cell_chars
        Characters in one cell (default 32,767, the most an Excel cell holds).
        A longer cell is an error on its row and is cut to this length.
    max_record_chars
        Characters of one JSON record or JSON Lines line (default 4 MiB). A longer
        record is an error on its row.
    max_json_depth
        Nesting of arrays and objects in one JSON record, the record itself being
        level 1 (default 64). A deeper record is an error on its row.
    reader_memory_bytes
        Memory allowed to the helper process that reads .xls, .xlsb and .ods
        workbooks (default 2 GiB; Linux only).
    reader_seconds
        Time allowed to that helper process (default 300 s).
    """

    max_file_bytes: int = _GIB
    max_unzipped_bytes: int = _GIB
    max_shared_strings_bytes: int = 128 * _MIB
    max_rows: int = 10_000_000
    max_row_gap: int = 100_000
    max_columns: int = 16_384
    max_cell_chars: int = 32_767
    max_record_chars: int = 4 * _MIB
    max_json_depth: int = 64
    reader_memory_bytes: int = 2 * _GIB
    reader_seconds: float = 300.0

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or \
                    not value > 0:
                raise ValueError(f"limit {f.name} must be a positive number, not "
                                 f"{value!r}")

    def replace(self, **changes: float) -> Limits:
        """A copy with some limits changed."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


DEFAULT_LIMITS = Limits()
"""The limits used when none are given."""

LIMIT_HELP: dict[str, str] = {
    "max_file_bytes": "size of the input file",
    "max_unzipped_bytes": "uncompressed size of one part of a workbook",
    "max_shared_strings_bytes": "uncompressed size of an .xlsx shared-strings table",
    "max_rows": "data rows in one input",
    "max_row_gap": "empty rows between two rows of a sheet",
    "max_columns": "columns of a table",
    "max_cell_chars": "characters in one cell",
    "max_record_chars": "characters in one JSON record or JSON Lines line",
    "max_json_depth": "nesting depth of one JSON record",
    "reader_memory_bytes": "memory of the helper process reading .xls/.xlsb/.ods",
    "reader_seconds": "seconds allowed to the helper process reading .xls/.xlsb/.ods",
}
"""What each limit bounds, for messages and help texts."""


def limit_error(limits: Limits, name: str, found: str, *, row: int | None = None,
                column: str | None = None) -> InputError:
    """The error for input beyond limit ``name``; ``found`` says what was found
    (``"a cell of 40,000 characters"``).

    Examples
    --------
    >>> print(limit_error(Limits(), "max_json_depth", "a record nested 70 deep"))
    a record nested 70 deep is more than the limit max_json_depth = 64 (nesting depth \
of one JSON record) (fix: check the file is the right one; if it is, raise the limit: \
limits=Limits(max_json_depth=...) in Python, --limit max_json_depth=... on the \
command line)
    """
    value = getattr(limits, name)
    shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    return InputError(
        f"{found} is more than the limit {name} = {shown} ({LIMIT_HELP[name]})",
        row=row, column=column, fix=raise_fix(name),
    )


def raise_fix(name: str) -> str:
    """How to raise limit ``name``."""
    return (f"check the file is the right one; if it is, raise the limit: "
            f"limits=Limits({name}=...) in Python, --limit {name}=... on the command "
            "line")


_UNITS = {"": 1, "b": 1, "k": _KIB, "kb": _KIB, "kib": _KIB, "m": _MIB, "mb": _MIB,
          "mib": _MIB, "g": _GIB, "gb": _GIB, "gib": _GIB}


def _number(name: str, text: str, integer: bool) -> float:
    s = text.strip().lower().replace("_", "").replace(",", "")
    digits = s.rstrip("kmgib")
    unit = s[len(digits):]
    if unit not in _UNITS or not digits:
        raise ValueError
    value = float(digits) * _UNITS[unit]
    if integer:
        if not value.is_integer():
            raise ValueError
        return int(value)
    return value


def parse_limits(items: Iterable[str], base: Limits = DEFAULT_LIMITS) -> Limits:
    """Limits from ``NAME=VALUE`` texts (the command line's ``--limit``). Sizes may
    end in KiB, MiB or GiB (``2GiB``).

    Raises
    ------
    InputError
        For an unknown name or a value that is not a positive number.
    """
    kinds = {f.name: f.type for f in dataclasses.fields(Limits)}
    changes: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or name not in kinds:
            close = suggest(name, kinds)
            hint = f" (did you mean {close!r}?)" if close else ""
            raise InputError(
                f"unknown limit {item!r}{hint}",
                fix="write NAME=VALUE with one of: " + ", ".join(kinds),
            )
        try:
            changes[name] = _number(name, text, kinds[name] in ("int", int))
            if changes[name] <= 0:
                raise ValueError
        except (ValueError, OverflowError):
            raise InputError(f"limit {name} must be a positive number, not {text!r}",
                             fix=f"write e.g. {name}={getattr(DEFAULT_LIMITS, name)}"
                             ) from None
    return base.replace(**changes)
