"""Read the rows of an .xlsx sheet one at a time, in bounded memory and linear time.

The sheet's XML is decompressed and parsed as a stream by expat
(:mod:`~kematangan.io.xmlsafe`: no document types, no entities), so memory holds the
shared-strings table and one block of rows, whatever the sheet's size or shape. No
native library reads the sheet, so no cell can make one allocate its whole grid.

Cells come out as spreadsheet readers give them: text as ``str``, numbers as
``float``, dates (numbers in a date format, and ISO date cells) as
``datetime.date``/``datetime.datetime``/``datetime.time``, booleans as ``bool``,
blanks as ``""``, and formula errors as their text (``#N/A``). A cell the reader
cannot use is ``None`` with an error on its row (:attr:`XlsxSheet.issues`); so is a
formula saved without its result. A file that breaks the format's own rules (a row
numbered past 1,048,576, rows out of order) or a limit (a jump of more than
:attr:`~kematangan.io.limits.Limits.max_row_gap` empty rows) is refused with an
:class:`~kematangan.errors.InputError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

from kematangan.errors import InputError
from kematangan.io.cells import SourceIssue, extra_cells, too_long
from kematangan.io.limits import limit_error
from kematangan.io.xlsxpackage import SAVE_AGAIN, Package, SheetInfo
from kematangan.io.xmlsafe import DoctypeRefused, parse_error, parser

__all__ = ["MAX_SHEET_COLUMNS", "MAX_SHEET_ROWS", "XlsxSheet", "column_index"]

MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
_LAST_SERIAL = 2_958_466  # 10000-01-01
_DIGITS = "0123456789"


def column_index(letters: str) -> int | None:
    """The 0-based column of a reference's letters, or ``None`` if they are not a
    spreadsheet column (A to XFD).

    Examples
    --------
    >>> column_index("A"), column_index("AB"), column_index("xfd"), column_index("XFE")
    (0, 27, 16383, None)
    """
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        return None
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1 if n <= MAX_SHEET_COLUMNS else None


def _float(raw: str) -> float | None:
    """A number cell's value, strictly: what Excel writes, no ``nan``, ``inf`` or
    ``1_000`` that Python's ``float`` would also take."""
    if "_" in raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value - value == 0 else None


class XlsxSheet:
    """The rows of one sheet of an open :class:`~kematangan.io.xlsxpackage.Package`.

    :attr:`issues` receives the problems of each row before the row is yielded.
    :attr:`width`, once set (to the number of header cells), stops rows from being
    widened for a stray cell far to the right: such a cell is reported, not kept.
    """

    def __init__(self, package: Package, info: SheetInfo) -> None:
        self.package = package
        self.info = info
        self.limits = package.limits
        self.issues: list[SourceIssue] = []
        self.width: int | None = None

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Every row from row 1, numbered as in the sheet; rows the XML leaves out
        come out as empty lists."""
        part = self.info.part
        if part is None:
            return
        self._shared = self.package.shared_strings()
        self._dates = self.package.date_styles()
        self._epoch = self.package.epoch()
        self._plain_1900 = not self.package.date1904
        limits = self.limits
        max_chars = limits.max_cell_chars
        max_columns = min(limits.max_columns, MAX_SHEET_COLUMNS)
        issues = self.issues
        value_of = self._value
        done: list[tuple[int, list[Any]]] = []
        text: list[str] = []
        columns: dict[str, int] = {}
        row: list[Any] = []
        cell: dict[str, str] = {}
        number = 0
        cut = 0  # characters of the cell's text dropped past max_cell_chars
        has_v = has_f = in_is = in_row = False
        in_rph = 0
        extra = 0  # cells of the row past the width
        limit = max_columns  # the width, once known
        collect = text.append

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal cell, cut, has_v, has_f, in_is, in_rph, number, in_row, extra
            nonlocal limit
            if ":" in name:
                name = name.rsplit(":", 1)[1]
            if name == "c":
                cell = attrs
                text.clear()
                cut = 0
                has_v = has_f = False
            elif name == "v":
                has_v = True
                p.CharacterDataHandler = collect
            elif name == "t":
                if in_is and not in_rph:
                    p.CharacterDataHandler = collect
            elif name == "row":
                number = self._row_number(attrs.get("r"), number)
                row.clear()
                in_row = True
                extra = 0
                limit = self.width or max_columns
            elif name == "f":
                has_f = True
            elif name == "is":
                has_v = in_is = True
            elif name == "rPh":
                in_rph += 1

        def end(name: str) -> None:
            nonlocal in_is, in_rph, in_row, extra
            if ":" in name:
                name = name.rsplit(":", 1)[1]
            if name == "c":
                if not in_row:
                    raise self._damaged("a cell is outside any row")
                ref = cell.get("r")
                if ref is None:
                    col = len(row)
                else:
                    letters = ref.rstrip(_DIGITS)
                    found = columns.get(letters)
                    if found is None:
                        found = column_index(letters)
                        if found is None:
                            issues.append(SourceIssue(
                                number, None, ref[:20], "bad_cell_ref", "error",
                                {"text": ref[:20]}))
                            return
                        columns[letters] = found
                    col = found
                if col >= limit:
                    extra += 1
                    if extra == 1:
                        issues.append(extra_cells(number, col, self.width, max_columns))
                    return
                if len(text) > 1:
                    raw = "".join(text)
                    if cut or len(raw) > max_chars:
                        issues.append(too_long(number, col, len(raw) + cut, max_chars))
                        raw = raw[:max_chars]
                elif text:
                    raw = text[0]
                    if len(raw) > max_chars:
                        issues.append(too_long(number, col, len(raw), max_chars))
                        raw = raw[:max_chars]
                else:
                    raw = ""
                kind = cell.get("t")
                if kind == "inlineStr" or kind == "str":
                    value: Any = raw
                elif kind is None and raw and "s" not in cell:
                    # A plain number: most cells of most sheets.
                    value = _float(raw)
                    if value is None:
                        self._bad(number, col, raw, "number")
                else:
                    value = value_of(cell, kind, raw, number, col)
                if has_f and not has_v:
                    issues.append(_no_result(number, col))
                n = len(row)
                if col == n:
                    row.append(value)
                elif col > n:
                    row.extend([""] * (col - n))
                    row.append(value)
                else:
                    row[col] = value
                    issues.append(SourceIssue(number, col, "", "duplicate_cell",
                                              "error", {}))
            elif name == "v" or name == "t":
                p.CharacterDataHandler = None
            elif name == "row":
                done.append((number, row[:]))
                in_row = False
            elif name == "is":
                in_is = False
            elif name == "rPh":
                in_rph -= 1

        p = parser()
        p.buffer_size = 1 << 16
        p.StartElementHandler = start
        p.EndElementHandler = end
        last = 0
        with self.package.open(part) as data:
            try:
                for block in data:
                    p.Parse(block, False)
                    if len(text) > 1 and sum(map(len, text)) > max_chars:
                        # One cell's text goes on past this block: keep memory
                        # bounded, remembering how much was dropped.
                        whole = "".join(text)
                        cut += len(whole) - max_chars
                        text[:] = [whole[:max_chars]]
                    for at, cells in done:
                        for missing in range(last + 1, at):
                            yield missing, []
                        yield at, cells
                        last = at
                    done.clear()
                p.Parse(b"", True)
            except (DoctypeRefused, expat.ExpatError) as exc:
                raise parse_error(exc, part, self.package.file, SAVE_AGAIN) from None
        for at, cells in done:
            for missing in range(last + 1, at):
                yield missing, []
            yield at, cells
            last = at

    def _row_number(self, r: str | None, last: int) -> int:
        if r is None:
            number = last + 1
        elif r.isascii() and r.isdigit() and len(r) < 12:
            number = int(r)
        else:
            raise self._damaged(f"a row is numbered {r[:20]!r}")
        if number > MAX_SHEET_ROWS:
            raise self._damaged(f"a row is numbered {number:,}, past the last row a "
                                f"sheet can have ({MAX_SHEET_ROWS:,})")
        if number <= last:
            raise self._damaged(f"row {number:,} comes after row {last:,}")
        if number - last - 1 > self.limits.max_row_gap:
            raise limit_error(
                self.limits, "max_row_gap",
                f"sheet {self.info.name!r} of {self.package.file!r} has "
                f"{number - last - 1:,} empty rows before row {number:,}, which")
        return number

    def _damaged(self, why: str) -> InputError:
        return InputError(
            f"cannot read sheet {self.info.name!r} of {self.package.file!r}: {why}; "
            "the file is damaged or was not written by a spreadsheet program",
            fix=SAVE_AGAIN)

    def _value(self, cell: dict[str, str], kind: str | None, raw: str, number: int,
               col: int) -> Any:
        if kind is None or kind == "n":
            if not raw:
                return ""
            value = _float(raw)
            if value is None:
                self._bad(number, col, raw, "number")
                return None
            style = cell.get("s")
            if style is not None and self._dates:
                is_date = self._dates.get(int(style)) if style.isdigit() and \
                    len(style) < 10 else None
                if is_date is not None and 0 <= value < _LAST_SERIAL:
                    return _serial(value, is_date, self._epoch, self._plain_1900)
            return value
        if kind == "s":
            index = raw.strip()
            shared = self._shared
            if index.isascii() and index.isdigit() and int(index) < len(shared):
                text = shared[int(index)]
                limit = self.limits.max_cell_chars
                if len(text) > limit:
                    self.issues.append(too_long(number, col, len(text), limit))
                    return text[:limit]
                return text
            if not index:
                return ""
            self._bad(number, col, raw, "shared")
            return None
        if kind in ("str", "inlineStr", "e"):
            return raw
        if kind == "b":
            if raw in ("1", "true"):
                return True
            if raw in ("0", "false"):
                return False
            if raw:
                self._bad(number, col, raw, "boolean")
            return None if raw else ""
        if kind == "d":
            try:
                when = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
            except ValueError:
                self._bad(number, col, raw, "date")
                return None
            return when.date() if when.time() == dt.time() else when
        self._bad(number, col, kind, "type")
        return None

    def _bad(self, number: int, col: int, raw: str, expected: str) -> None:
        self.issues.append(SourceIssue(
            number, col, raw[:80], "bad_cell", "error",
            {"text": raw[:40], "expected": _EXPECTED[expected]}))


_EXPECTED = {
    "number": {"id": "sebuah angka", "en": "a number"},
    "shared": {"id": "nomor teks di tabel teks bersama", "en": "an entry of the "
               "shared-strings table"},
    "boolean": {"id": "TRUE atau FALSE", "en": "TRUE or FALSE"},
    "date": {"id": "tanggal ISO", "en": "an ISO date"},
    "type": {"id": "jenis sel yang dikenal", "en": "a known cell type"},
}
"""What a cell should have held, for the ``bad_cell`` problem."""


def _no_result(number: int, col: int) -> SourceIssue:
    return SourceIssue(number, col, "", "formula_without_value", "error", {})


def _serial(value: float, is_date: bool, epoch: dt.datetime, plain_1900: bool) -> Any:
    days = value if not plain_1900 or value >= 61 else value + 1
    # Excel keeps times to the millisecond; rounding there drops float noise.
    when = epoch + dt.timedelta(milliseconds=round(days * 86_400_000))
    if not is_date:
        return when.time()
    if when.time() == dt.time():
        return when.date()
    return when

