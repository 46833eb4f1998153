"""Whole-column readings of text columns whose every cell is plain.

A delimited text file gives every cell as text, and most columns of a district's
sheet hold nothing unusual: ``12``, ``450,36``, ``2024-03-05``, blanks. Reading such
a column cell by cell in Python costs most of a file's read time, so these readers
look at a whole column at once, as the bytes of its cells joined by line breaks, and
check and convert it with numpy. When any cell is not plain they return ``None`` and
the column is read cell by cell (:func:`~kematangan.io.values.parse_column`), so
every note and error is exactly what the cell-by-cell reader gives; a property test
(``tests/io/test_plaincolumns.py``) holds the two to the same values and problems.

Only ASCII text is taken (``\\d`` in the cell readers' patterns also matches other
scripts' digits, which are left to them), and only numbers of at most
:data:`MAX_DIGITS` digits, which a float holds exactly: their value is the whole
number of their digits divided by a power of ten, and both are exact floats, so the
division gives the same correctly rounded float as ``float("450.36")``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["MAX_DIGITS", "MAX_KEY_BYTES", "Lines", "PlainNumbers", "plain_iso_dates",
           "plain_numbers"]

MAX_DIGITS = 15
"""Digits a plain number may have (below 2**53, so every step is exact)."""

MAX_KEY_BYTES = 32
"""Cells at most this long are told apart in bulk (:meth:`Lines.factorize`)."""

_NUMBER_BYTES = b"0123456789\n,.-"
_DATE_BYTES = b"0123456789\n-"
_NL, _COMMA, _POINT, _MINUS, _ZERO = 10, 44, 46, 45, 48
_POWERS = np.array([float(10**k) for k in range(MAX_DIGITS + 1)])


@dataclass(frozen=True)
class Lines:
    """The cells of a text column as one byte string: cell ``i`` runs from
    ``starts[i]`` to ``ends[i]`` (exclusive) and ``cell[p]`` is the cell of byte
    ``p``."""

    data: bytes
    codes: npt.NDArray[np.uint8]
    starts: npt.NDArray[np.intp]
    ends: npt.NDArray[np.intp]
    cell: npt.NDArray[np.int32]

    @classmethod
    def of(cls, text: str, count: int) -> Lines | None:
        """The ``count`` cells joined by line breaks in ``text``, when they are
        ASCII without a line break or NUL of their own; else ``None``.

        Examples
        --------
        >>> lines = Lines.of("12\\n\\n3,5", 3)
        >>> lines.starts.tolist(), lines.ends.tolist(), lines.cell.tolist()
        ([0, 3, 4], [2, 3, 7], [0, 0, 1, 2, 2, 2, 2])
        >>> Lines.of("a\\nb", 1) is None
        True
        """
        if not text.isascii() or "\0" in text or count > 2**31 - 1:
            return None
        data = text.encode("ascii")
        codes = np.frombuffer(data, dtype=np.uint8)
        is_break = codes == _NL
        breaks = np.flatnonzero(is_break)
        if len(breaks) != count - 1:
            return None
        starts = np.concatenate([[0], breaks + 1]).astype(np.intp)
        ends = np.concatenate([breaks, [len(data)]]).astype(np.intp)
        return cls(data, codes, starts, ends, np.cumsum(is_break, dtype=np.int32))

    def factorize(self) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None:
        """The distinct cells, as the position of each one's first cell, in order,
        and for each cell the index of its text among them; ``None`` for cells
        longer than :data:`MAX_KEY_BYTES`.

        Examples
        --------
        >>> first, codes = Lines.of("ya\\ntidak\\nya\\n", 4).factorize()
        >>> first.tolist(), codes.tolist()
        ([0, 1, 3], [0, 1, 0, 2])
        """
        count = len(self.starts)
        width = int((self.ends - self.starts).max())
        if width > MAX_KEY_BYTES:
            return None
        # Each cell's bytes, padded with NUL (which no cell holds), as one key.
        size = 8 if width <= 8 else width
        padded = np.zeros((count, size), dtype=np.uint8)
        at = np.flatnonzero(self.codes != _NL)
        cell = self.cell[at]
        padded[cell, at - self.starts[cell]] = self.codes[at]
        keys = padded.view(np.uint64 if size == 8 else f"S{size}").ravel()
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        return first[order].astype(np.intp), rank[inverse].astype(np.intp)

    def only(self, allowed: bytes) -> bool:
        """Whether every byte is one of ``allowed`` (which holds the line break)."""
        return not self.data.translate(None, allowed)


@dataclass(frozen=True)
class PlainNumbers:
    """A column of plain numbers read at once: the values, which separators it
    shows (``"comma"``, ``"point"``), and how many cells have a decimal comma and
    the first of them."""

    values: npt.NDArray[np.float64]
    seen: frozenset[str]
    commas: int
    first_comma: int | None


def plain_numbers(lines: Lines, integer: bool) -> PlainNumbers | None:
    """Read the cells as numbers, when every cell is blank (NaN) or a plain number
    (``12``, ``-3``, ``12,5``, ``0.25``) whose separator cannot be a thousands
    separator; for an ``integer`` field, only whole numbers without a separator.

    Examples
    --------
    >>> r = plain_numbers(Lines.of("12\\n\\n3,5\\n-4,25", 4), integer=False)
    >>> r.values.tolist(), sorted(r.seen), r.commas, r.first_comma
    ([12.0, nan, 3.5, -4.25], ['comma'], 2, 2)
    >>> plain_numbers(Lines.of("1.234", 1), integer=False) is None  # thousands?
    True
    >>> plain_numbers(Lines.of("12 orang", 1), integer=False) is None
    True
    """
    if not lines.only(_NUMBER_BYTES):
        return None
    a, starts, ends = lines.codes, lines.starts, lines.ends
    size = len(a)
    digit = (a >= _ZERO) & (a <= _ZERO + 9)
    minus = np.flatnonzero(a == _MINUS)
    if len(minus):
        # Only first in a cell, and followed by a digit.
        if not np.isin(minus, starts).all() or minus[-1] + 1 >= size \
                or not digit[minus + 1].all():
            return None
    seps = np.flatnonzero((a == _COMMA) | (a == _POINT))
    sep_at = np.full(len(starts), -1, dtype=np.intp)
    if len(seps):
        if integer or seps[0] == 0 or seps[-1] + 1 >= size or not (
                digit[seps - 1].all() and digit[seps + 1].all()):
            return None
        sep_lines = lines.cell[seps]
        if len(sep_lines) > 1 and not (np.diff(sep_lines) > 0).all():
            return None  # two separators in one cell
        sep_at[sep_lines] = seps
    signed = np.zeros(len(starts), dtype=bool)
    signed[lines.cell[minus]] = True
    has_sep = sep_at >= 0
    if ((ends - starts) - signed - has_sep > MAX_DIGITS).any():
        return None
    first = starts + signed
    whole = np.where(has_sep, sep_at - first, ends - first)
    frac = np.where(has_sep, ends - sep_at - 1, 0)
    leading = a[np.minimum(first, size - 1)] if size else np.zeros(1, np.uint8)
    if (has_sep & (frac == 3) & (whole <= 3) & (leading != _ZERO)).any():
        return None  # `1.234` could be a thousands separator: per cell
    at = np.flatnonzero(digit)
    cell = lines.cell[at]
    power = ends[cell] - 1 - at - (sep_at[cell] > at)
    whole_number = np.bincount(cell, weights=(a[at] - _ZERO) * _POWERS[power],
                               minlength=len(starts))
    values = whole_number / _POWERS[frac]
    values[signed] = -values[signed]
    values[ends == starts] = np.nan
    commas = seps[a[seps] == _COMMA]
    seen = frozenset(k for k, n in (("comma", len(commas)),
                                    ("point", len(seps) - len(commas))) if n)
    first_comma = int(lines.cell[commas[0]]) if len(commas) else None
    return PlainNumbers(values, seen, len(commas), first_comma)


def plain_iso_dates(lines: Lines) -> npt.NDArray[np.datetime64] | None:
    """Read the cells as dates, when every cell is blank (NaT) or a valid ISO date
    ``yyyy-mm-dd`` from year 1.

    Examples
    --------
    >>> plain_iso_dates(Lines.of("2024-03-05\\n", 2))
    array(['2024-03-05',        'NaT'], dtype='datetime64[D]')
    >>> plain_iso_dates(Lines.of("2024-02-30", 1)), plain_iso_dates(Lines.of("5/3/24", 1))
    (None, None)
    """
    if not lines.only(_DATE_BYTES):
        return None
    a, starts, ends = lines.codes, lines.starts, lines.ends
    size = ends - starts
    filled = starts[size == 10]
    if len(filled) + int((size == 0).sum()) != len(starts):
        return None
    if not ((a[filled + 4] == _MINUS) & (a[filled + 7] == _MINUS)).all():
        return None
    digits = np.array([0, 1, 2, 3, 5, 6, 8, 9])
    if (a[filled[:, None] + digits] == _MINUS).any():
        return None
    if (a[filled[:, None] + np.arange(4)] == _ZERO).all(axis=1).any():
        return None  # year 0
    try:
        return np.array(lines.data.decode("ascii").split("\n"), dtype="M8[D]")
    except ValueError:
        return None
