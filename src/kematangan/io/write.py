"""Write result tables: .xlsx (several sheets), .csv, .tsv, .jsonl and .parquet.

A result table is an ordered mapping of column name to a list or numpy array, all of
one length. Missing values are NaN (float arrays), NaT (dates) or ``None``; they are
written as empty cells, empty CSV fields and JSON/Parquet nulls.

:class:`ResultWriter` takes the main table in chunks, so a long input can be read,
scored and written chunk by chunk with bounded memory. Workbooks are written with
xlsxwriter in constant-memory mode: each row goes to a temporary file as it is
written. Text is always written as text, never as a formula or a link, so a cell
such as ``=1+1`` in the input comes out as typed. Formats without sheets (CSV,
JSON Lines, Parquet) write each extra sheet to a file beside the main one,
``results.errors.csv`` next to ``results.csv``.

CSV and TSV have no types: a spreadsheet program opening one runs any field that
starts like a formula (``=HYPERLINK(...)``, ``@SUM(...)``, ``+cmd|...``). So text that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a
single quote in front (as OWASP recommends), which makes a spreadsheet show it as
text; numbers, negative ones included, are written as they are. Pass
``escape_formulas=False`` for a program that reads the file and wants the text
unchanged. Lines end in CRLF (RFC 4180), so a cell holding a carriage return is
quoted and cannot start a line of its own.

A table that cannot be written in the format asked for (too many columns or too
long a cell for .xlsx) raises :class:`~kematangan.errors.InputError`; a problem with
the file system (a missing folder, a full disk, a file open in Excel) raises the
:class:`OSError` met, naming the file (the command line turns it into one message
and deletes the half-written output).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.errors import InputError
from kematangan.io.sinks import (
    Columns,
    CsvSink,
    JsonlSink,
    ParquetSink,
    Sink,
    as_array,
    escape_formula,
    native,
    value_text,
)

__all__ = ["COLOURS", "OUTPUT_SUFFIXES", "ResultWriter", "SheetStream",
           "escape_formula", "write_table"]

OUTPUT_SUFFIXES = frozenset({".xlsx", ".csv", ".tsv", ".jsonl", ".parquet"})

XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_COLUMNS = 16_384
XLSX_MAX_CHARS = 32_767
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


COLOURS: dict[str, dict[str, str]] = {
    "good": {"bg_color": "#C6EFCE", "font_color": "#006100"},
    "bad": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "unknown": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
    "none": {"bg_color": "#EDEDED", "font_color": "#595959"},
}
"""Cell colours of :meth:`ResultWriter.colour` (Excel's own good, bad, neutral)."""


def write_table(
    path: str | PathLike[str],
    columns: Columns,
    *,
    sheets: Mapping[str, Columns] | None = None,
    sheet_name: str = "results",
    escape_formulas: bool = True,
) -> list[Path]:
    """Write a result table, and any extra named sheets, to ``path``.

    The format follows the suffix: .xlsx, .csv, .tsv, .jsonl or .parquet (Parquet
    needs pyarrow). Returns the files written: one for .xlsx, one per sheet
    otherwise. ``escape_formulas`` (CSV and TSV only): see the module docstring.

    Examples
    --------
    >>> import numpy as np, pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "hasil.csv"
    >>> written = write_table(out, {"kode": ["KSM-01", "KSM-02"],
    ...                             "skor": np.array([49.0, np.nan])},
    ...                       sheets={"errors": {"row": [3], "problem": ["x"]}})
    >>> [p.name for p in written]
    ['hasil.csv', 'hasil.errors.csv']
    >>> print(out.read_text(), end="")
    kode,skor
    KSM-01,49
    KSM-02,
    """
    with ResultWriter(path, sheet_name=sheet_name,
                      escape_formulas=escape_formulas) as writer:
        writer.write(columns)
        for name, extra in (sheets or {}).items():
            writer.add_sheet(name, extra)
    return writer.written


# --- the writer -------------------------------------------------------------------


class ResultWriter:
    """Write a result table in chunks, plus extra sheets, to one output.

    Use as a context manager: call :meth:`write` for each chunk of the main table
    (same columns each time) and :meth:`add_sheet` for each extra sheet; the files
    are complete when the ``with`` block ends.

    Examples
    --------
    >>> import numpy as np, pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "hasil.jsonl"
    >>> with ResultWriter(out) as w:
    ...     w.write({"kode": ["KSM-01"], "skor": np.array([49.0])})
    ...     w.write({"kode": ["KSM-02"], "skor": np.array([np.nan])})
    >>> print(out.read_text(), end="")
    {"kode": "KSM-01", "skor": 49.0}
    {"kode": "KSM-02", "skor": null}
    """

    def __init__(self, path: str | PathLike[str], *, sheet_name: str = "results",
                 encoding: str = "utf-8", escape_formulas: bool = True) -> None:
        self.path = Path(path)
        self.escape_formulas = escape_formulas
        self.suffix = self.path.suffix.lower()
        if self.suffix not in OUTPUT_SUFFIXES:
            raise InputError(
                f"cannot write {self.suffix or 'a file without a suffix'!r}",
                fix="name the output .xlsx, .csv, .tsv, .jsonl or .parquet",
            )
        self.sheet_name = sheet_name
        self.encoding = encoding
        self.written: list[Path] = []
        self._main: Sink | None = None
        self._streams: list[Sink] = []
        self._colours: dict[str, dict[str, str]] = {}
        self._sheet_names: set[str] = set()
        self._book: Any = None
        if self.suffix == ".xlsx":
            import xlsxwriter

            self._book = xlsxwriter.Workbook(
                str(self.path),
                {"constant_memory": True, "strings_to_numbers": False,
                 "strings_to_formulas": False, "strings_to_urls": False},
            )
            self._date_format = self._book.add_format({"num_format": "yyyy-mm-dd"})
            self._datetime_format = self._book.add_format(
                {"num_format": "yyyy-mm-dd hh:mm:ss"})
            self._header_format = self._book.add_format({"bold": True})

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abandon()

    def write(self, columns: Columns) -> None:
        """Append a chunk of rows to the main table."""
        if self._main is None:
            self._main = self._open(self.sheet_name, list(columns), self.path)
        self._main.write(columns)

    def add_sheet(self, name: str, columns: Columns) -> None:
        """Write a whole extra sheet (an extra file beside a CSV, JSON Lines or
        Parquet output)."""
        if self._main is None:
            self._main = self._open(self.sheet_name, [], self.path)
        target = self.path.with_name(f"{self.path.stem}.{name}{self.path.suffix}")
        sink = self._open(name, list(columns), target)
        sink.write(columns)
        sink.close()

    def stream(self, name: str) -> SheetStream:
        """Open an extra sheet to write in chunks, like the main table (an extra
        file beside a CSV, JSON Lines or Parquet output); it is finished with the
        writer. Open it after the main table's first chunk, so the main table is
        the first sheet."""
        if self._main is None:
            self._main = self._open(self.sheet_name, [], self.path)
        target = self.path.with_name(f"{self.path.stem}.{name}{self.path.suffix}")
        sink = self._open(name, [], target)
        self._streams.append(sink)
        return SheetStream(sink)

    def colour(self, column: str, colours: Mapping[str, str]) -> None:
        """Colour the cells of a main-table column by their text (.xlsx only):
        ``colours`` maps a text to a key of :data:`COLOURS`."""
        self._colours[column] = dict(colours)

    def close(self) -> None:
        """Finish every file (each one, even when finishing another fails; the
        first failure is raised)."""
        if self._main is None:
            self._main = self._open(self.sheet_name, [], self.path)
        if isinstance(self._main, _XlsxSink):
            self._main.colour(self._colours)
        book, self._book = self._book, None
        first: BaseException | None = None
        for finish in (self._main.close, *(s.close for s in self._streams),
                       book.close if book is not None else None):
            if finish is None:
                continue
            try:
                finish()
            except BaseException as exc:  # finish the others, then raise it
                first = first or exc
        self._streams = []
        if first is not None:
            raise first

    def abandon(self) -> None:
        """Stop writing after a failure: close what is open, quietly (the failure
        being raised is the one to report)."""
        main, self._main = self._main, None
        book, self._book = self._book, None
        streams, self._streams = self._streams, []
        for finish in (main.close if main is not None else None,
                       *(s.close for s in streams),
                       book.close if book is not None else None):
            if finish is not None:
                try:
                    finish()
                except Exception:  # the failure being raised is the one to report
                    pass

    def _open(self, name: str, headers: list[str], target: Path) -> Sink:
        if self.suffix == ".xlsx":
            sheet = self._book.add_worksheet(self._unique_sheet_name(name))
            if target == self.path and self.path not in self.written:
                self.written.append(self.path)
            return _XlsxSink(self, sheet, headers)
        self.written.append(target)
        if self.suffix in (".csv", ".tsv"):
            return CsvSink(target, headers, self.encoding,
                            "\t" if self.suffix == ".tsv" else ",",
                            self.escape_formulas)
        if self.suffix == ".jsonl":
            return JsonlSink(target, headers)
        return ParquetSink(target, headers)

    def _unique_sheet_name(self, name: str) -> str:
        base = _BAD_SHEET_CHARS.sub("_", name).strip("'")[:31] or "sheet"
        candidate, n = base, 1
        while candidate.lower() in self._sheet_names:
            n += 1
            candidate = f"{base[:28]} {n}"
        self._sheet_names.add(candidate.lower())
        return candidate


class SheetStream:
    """An extra sheet written in chunks (see :meth:`ResultWriter.stream`)."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink

    def write(self, columns: Columns) -> None:
        """Append a chunk of rows (the same columns each time)."""
        self._sink.write(columns)


class _XlsxSink(Sink):
    def __init__(self, owner: ResultWriter, sheet: Any, headers: list[str]) -> None:
        self.headers = headers
        self._owner = owner
        self._sheet = sheet
        self._row = 0

    def _start(self) -> None:
        ws = self._sheet
        if len(self.headers) > XLSX_MAX_COLUMNS:
            raise InputError(
                f"{len(self.headers):,} columns do not fit in one .xlsx sheet "
                f"({XLSX_MAX_COLUMNS:,} at most)", fix="write .csv or .parquet instead")
        for j, name in enumerate(self.headers):
            ws.set_column(j, j, min(max(10, len(name) + 2), 50))
            ws.write_string(0, j, name, self._owner._header_format)
        if self.headers:
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, XLSX_MAX_ROWS - 1, len(self.headers) - 1)
        self._row = 1

    def write(self, columns: Columns) -> None:
        n = self._check(columns)
        if self._row == 0:
            self._start()
        if self._row + n > XLSX_MAX_ROWS:
            raise InputError(
                f"{n + self._row - 1} rows do not fit in one .xlsx sheet "
                f"({XLSX_MAX_ROWS - 1} data rows at most)",
                fix="write .csv or .parquet instead",
            )
        writers = [self._cell_writer(as_array(v)) for v in columns.values()]
        lists = [native(as_array(v)) for v in columns.values()]
        row = self._row
        for values in zip(*lists, strict=True):
            for j, v in enumerate(values):
                if v is not None:
                    writers[j](row, j, v)
            row += 1
        self._row = row

    def close(self) -> None:
        if self._row == 0:
            self._start()

    def colour(self, colours: Mapping[str, Mapping[str, str]]) -> None:
        """Conditional formats colouring each named column's cells by text."""
        if self._row <= 1:
            return
        formats: dict[str, Any] = {}
        for column, by_text in colours.items():
            if column not in self.headers:
                continue
            j = self.headers.index(column)
            for text, key in by_text.items():
                if key not in formats:
                    formats[key] = self._owner._book.add_format(COLOURS[key])
                self._sheet.conditional_format(1, j, self._row - 1, j, {
                    "type": "cell", "criteria": "==",
                    "value": '"' + text.replace('"', '""') + '"',
                    "format": formats[key]})

    def _cell_writer(self, arr: npt.NDArray[Any]) -> Callable[[int, int, Any], Any]:
        ws = self._sheet
        kind = arr.dtype.kind
        if kind in "iu" or (kind == "f" and not np.isinf(arr).any()):
            return ws.write_number  # type: ignore[no-any-return]
        if kind == "b":
            return ws.write_boolean  # type: ignore[no-any-return]
        if kind == "M":
            fmt = (self._owner._date_format if arr.dtype == np.dtype("M8[D]")
                   else self._owner._datetime_format)
            return lambda r, c, v: ws.write_datetime(r, c, v, fmt)
        return self._write_any

    def _write_any(self, r: int, c: int, v: Any) -> None:
        ws = self._sheet
        if isinstance(v, str):
            if len(v) > XLSX_MAX_CHARS:
                raise InputError(
                    f"a cell of {len(v):,} characters does not fit in .xlsx "
                    f"({XLSX_MAX_CHARS:,} at most)", row=r + 1,
                    column=self.headers[c] if c < len(self.headers) else None,
                    fix="write .csv or .parquet instead, or keep the limit "
                    "max_cell_chars at its default")
            if v:
                ws.write_string(r, c, v)
        elif isinstance(v, bool):
            ws.write_boolean(r, c, v)
        elif isinstance(v, int | float):
            if math.isfinite(v):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, repr(v))
        elif isinstance(v, dt.datetime):
            ws.write_datetime(r, c, v, self._owner._datetime_format)
        elif isinstance(v, dt.date):
            ws.write_datetime(r, c, v, self._owner._date_format)
        else:
            ws.write_string(r, c, value_text(v))
