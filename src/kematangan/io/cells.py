"""What every cell reader shares: the outcome of reading one cell, text clean-up, and
the tokens that mean "missing" or "a formula failed".

A reader turns one distinct cell value into a :class:`Reading`: the parsed value, and,
when the reader had to change the value's form or could not use it, a code, a
severity and the parameters of its texts (in :mod:`kematangan.catalogue.reader`). Readers are called once per *distinct* value of a
column, so they can afford to be careful.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from kematangan.catalogue import render
from kematangan.problems import Severity

__all__ = [
    "DASHES",
    "EXCEL_ERRORS",
    "MISSING_WORDS",
    "UNREADABLE",
    "Reading",
    "SourceIssue",
    "UnreadableRow",
    "clean_text",
    "column_letter",
    "dash_missing",
    "excel_error",
    "extra_cells",
    "shortened",
    "show",
    "too_long",
]


class Reading(NamedTuple):
    """The outcome of reading one cell value.

    ``value`` is ``None`` when the cell is missing or unusable. ``code`` is empty
    for a value read as written; otherwise it names the note or error (its texts
    are in :mod:`kematangan.catalogue.reader`), written from ``params``.
    """

    value: Any
    code: str = ""
    severity: Severity | None = None
    params: dict[str, Any] = {}  # noqa: RUF012 - never mutated

    def problem(self, lang: str = "en") -> str:
        """What happened to the cell, in ``lang``."""
        return render(self.code, self.params, lang)[0]

    def fix(self, lang: str = "en") -> str:
        """What to do about it, in ``lang``."""
        return render(self.code, self.params, lang)[1]


class SourceIssue(NamedTuple):
    """A problem a raw reader found in one row or cell, before the header is known:
    ``col`` is the 0-based position of the cell in the row (``None`` for the whole
    row). The table reader turns it into a :class:`~kematangan.problems.Problem`
    named by the column's header."""

    row: int | None
    col: int | None
    value: str
    code: str
    severity: Severity
    params: dict[str, Any]

    def problem(self, lang: str = "en") -> str:
        """What is wrong with the row or cell, in ``lang``."""
        return render(self.code, self.params, lang)[0]


class UnreadableRow(list[Any]):
    """A row the raw reader could not parse: it has no cells, yet it is a data row
    (the reader reported why), never a blank row to skip."""


UNREADABLE = UnreadableRow()


def too_long(row: int, col: int, size: int, limit: int) -> SourceIssue:
    """A cell longer than the limit ``max_cell_chars``, cut to it."""
    return SourceIssue(row, col, "", "cell_too_long", "error",
                       {"size": size, "limit": limit})


def extra_cells(row: int, col: int, width: int | None, limit: int) -> SourceIssue:
    """Cells right of the headed columns (``width``), or, before the header is
    known, right of the limit ``max_columns``; they are not read."""
    if width is not None:
        return SourceIssue(row, None, "", "extra_cells", "error",
                           {"width": width, "column": col + 1})
    return SourceIssue(row, None, "", "too_many_columns", "error",
                       {"column": col + 1, "limit": limit})


MISSING = Reading(None)

MISSING_WORDS = frozenset(
    {"", "n/a", "na", "n.a", "n.a.", "null", "none", "nan", "?", "tidak diketahui",
     "tdk diketahui", "tak diketahui"}
)
"""Texts that say plainly "no value"; read as missing without a note."""

DASHES = frozenset({"-", "--", "---", "\u2013", "\u2014", "\u2015", "\u2212"})
"""A dash alone is read as missing, with a note: some people write it for zero."""

EXCEL_ERRORS = frozenset(
    {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
     "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#BUSY!", "#CONNECT!",
     "#UNKNOWN!", "#N/A!"}
)
"""The error values a failed Excel or LibreOffice formula leaves in a cell."""

def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index.

    Examples
    --------
    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u200b\ufeff]+")


def clean_text(text: str) -> str:
    """Trim a cell's text and turn every kind of space (non-breaking, narrow,
    zero-width) into one plain space.

    Examples
    --------
    >>> clean_text("\\u00a0 12\\u00a0500 \\t")
    '12 500'
    """
    if text.isascii():
        return " ".join(text.split())
    return _SPACES.sub(" ", text).strip()


def show(value: object) -> str:
    """A cell value as text for a message: whole floats lose their ``.0``.

    Examples
    --------
    >>> show(5.0), show(0.25), show(None), show(dt.date(2024, 3, 5))
    ('5', '0.25', '', '2024-03-05')
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def shortened(text: str, limit: int = 60) -> str:
    """A cell's text for a message, shortened if long (the problem's value keeps
    it whole).

    Examples
    --------
    >>> shortened("dua"), shortened("9" * 100)
    ('dua', '9999999999999999999999999999999999999999... (100)')
    """
    if len(text) <= limit:
        return text
    return f"{text[:40]}... ({len(text)})"


def dash_missing(text: str) -> Reading:
    """A lone dash: missing, with a note that says how to write zero."""
    return Reading(None, "dash_missing", "note", {"text": text})


def excel_error(text: str) -> Reading:
    """A formula error value: unusable."""
    return Reading(None, "excel_error", "error", {"text": text})
