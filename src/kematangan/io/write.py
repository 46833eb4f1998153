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

import csv
import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from kematangan.errors import InputError

__all__ = ["OUTPUT_SUFFIXES", "ResultWriter", "escape_formula", "write_table"]

OUTPUT_SUFFIXES = frozenset({".xlsx", ".csv", ".tsv", ".jsonl", ".parquet"})

XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_COLUMNS = 16_384
XLSX_MAX_CHARS = 32_767
_FORMULA_START = frozenset("=+-@\t\r")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

Columns = Mapping[str, Sequence[Any] | npt.NDArray[Any]]
"""Column name to values; every column the same length."""


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


# --- values as each format wants them ---------------------------------------------


def _length(columns: Columns) -> int:
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in columns.items())
        raise ValueError(f"columns differ in length: {sizes}")
    return lengths.pop() if lengths else 0


def _as_array(values: Sequence[Any] | npt.NDArray[Any]) -> npt.NDArray[Any]:
    if isinstance(values, np.ndarray):
        return values
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def _native(arr: npt.NDArray[Any]) -> list[Any]:
    """Python values with ``None`` for every kind of missing."""
    kind = arr.dtype.kind
    if kind == "f":
        return [None if v != v else v for v in arr.tolist()]
    if kind == "M":
        unit = "M8[D]" if arr.dtype == np.dtype("M8[D]") else "M8[us]"
        dates: list[Any] = arr.astype(unit).astype(object).tolist()
        return dates
    if kind in "iub":
        return arr.tolist()  # type: ignore[no-any-return]
    return [None if (v is None or (isinstance(v, float) and v != v)) else v
            for v in arr.tolist()]


_THOUSANDS_SHAPED = re.compile(r"^-?[1-9]\d{0,2}\.\d{3}$")


def _number_text(v: float) -> str:
    """A float as text that reads back exactly and cannot be taken for a number
    with a thousands separator: ``123.456`` is written ``123.4560``."""
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    text = repr(v)
    return text + "0" if _THOUSANDS_SHAPED.match(text) else text


def _text(v: Any) -> str:
    """One value as CSV text."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "" if v != v else _number_text(v)
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    return str(v)


def escape_formula(text: str) -> str:
    """``text`` as a CSV field a spreadsheet will not run: a single quote in front
    of text that starts like a formula; numbers and dashes are left as they are.

    Examples
    --------
    >>> print(escape_formula('=HYPERLINK("http://x","klik")'))
    '=HYPERLINK("http://x","klik")
    >>> escape_formula("@SUM(1)"), escape_formula("-2+3"), escape_formula("\\tx")
    ("'@SUM(1)", "'-2+3", "'\\tx")
    >>> escape_formula("-12,5"), escape_formula("+62 812"), escape_formula("-")
    ('-12,5', "'+62 812", '-')
    """
    if not text or text[0] not in _FORMULA_START:
        return text
    body = text[1:].removesuffix("%")
    if text[0] in "+-" and body[:1].isdigit() and body.isascii() and \
            body.replace(".", "").replace(",", "").isdigit():
        return text  # a number: -12, +5, -1.234,5, -12%
    if not text.strip("-"):
        return text  # a dash or a line of dashes, as some write "none"
    return "'" + text


def _escaped(values: list[str]) -> list[str]:
    start = _FORMULA_START
    return [escape_formula(v) if v and v[0] in start else v for v in values]


def _text_column(arr: npt.NDArray[Any], escape: bool = False) -> list[str]:
    kind = arr.dtype.kind
    if kind == "f":
        finite = np.isfinite(arr)
        if bool(np.all(arr[finite] == np.round(arr[finite]))) and (
            not finite.any() or float(np.max(np.abs(arr[finite]))) < 1e15
        ):
            out = np.where(finite, arr, 0).astype(np.int64).astype(str).astype(object)
            out[np.isnan(arr)] = ""
            if not finite.all():
                out[np.isinf(arr)] = [repr(v) for v in arr[np.isinf(arr)].tolist()]
            return out.tolist()  # type: ignore[no-any-return]
        return [_text(v) for v in arr.tolist()]
    if kind == "M":
        as_text = np.datetime_as_string(arr).astype(object)
        as_text[np.isnat(arr)] = ""
        return as_text.tolist()  # type: ignore[no-any-return]
    if kind == "b":
        return ["true" if v else "false" for v in arr.tolist()]
    if kind in "iu":
        return arr.astype(str).tolist()  # type: ignore[no-any-return]
    values: list[Any] = arr.tolist()
    types = set(map(type, values))
    if types == {str}:
        # text passed through from the input: nothing to convert
        return _escaped(values) if escape else values
    texts: list[str]
    if types <= {str, type(None)}:
        texts = ["" if v is None else v for v in values]
    else:
        texts = [_text(v) if not isinstance(v, str) else v for v in values]
        if escape:
            return [escape_formula(v) if isinstance(w, str) else v
                    for v, w in zip(texts, values, strict=True)]
    return _escaped(texts) if escape else texts


def _json_value(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    return v


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
        self._main: _Sink | None = None
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

    def close(self) -> None:
        """Finish every file."""
        if self._main is None:
            self._main = self._open(self.sheet_name, [], self.path)
        self._main.close()
        if self._book is not None:
            book, self._book = self._book, None
            book.close()

    def abandon(self) -> None:
        """Stop writing after a failure: close what is open, quietly (the failure
        being raised is the one to report)."""
        main, self._main = self._main, None
        book, self._book = self._book, None
        for finish in (main.close if main is not None else None,
                       book.close if book is not None else None):
            if finish is not None:
                try:
                    finish()
                except Exception:  # the failure being raised is the one to report
                    pass

    def _open(self, name: str, headers: list[str], target: Path) -> _Sink:
        if self.suffix == ".xlsx":
            sheet = self._book.add_worksheet(self._unique_sheet_name(name))
            if target == self.path and self.path not in self.written:
                self.written.append(self.path)
            return _XlsxSink(self, sheet, headers)
        self.written.append(target)
        if self.suffix in (".csv", ".tsv"):
            return _CsvSink(target, headers, self.encoding,
                            "\t" if self.suffix == ".tsv" else ",",
                            self.escape_formulas)
        if self.suffix == ".jsonl":
            return _JsonlSink(target, headers)
        return _ParquetSink(target, headers)

    def _unique_sheet_name(self, name: str) -> str:
        base = _BAD_SHEET_CHARS.sub("_", name).strip("'")[:31] or "sheet"
        candidate, n = base, 1
        while candidate.lower() in self._sheet_names:
            n += 1
            candidate = f"{base[:28]} {n}"
        self._sheet_names.add(candidate.lower())
        return candidate


class _Sink:
    headers: list[str]

    def write(self, columns: Columns) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def _check(self, columns: Columns) -> int:
        n = _length(columns)
        if list(columns) != self.headers:
            if not self.headers:
                self.headers = list(columns)
            else:
                raise ValueError(
                    "every chunk must have the same columns in the same order; got "
                    f"{list(columns)} after {self.headers}"
                )
        return n


class _CsvSink(_Sink):
    def __init__(self, path: Path, headers: list[str], encoding: str,
                 delimiter: str, escape: bool) -> None:
        self.headers = headers
        self._escape = escape
        self._fh: IO[str] = path.open("w", encoding=encoding, newline="")
        self._writer = csv.writer(self._fh, delimiter=delimiter,
                                  lineterminator="\r\n")
        self._header_done = False

    def _header(self) -> None:
        names = [str(h) for h in self.headers]
        self._writer.writerow(_escaped(names) if self._escape else names)
        self._header_done = True

    def write(self, columns: Columns) -> None:
        self._check(columns)
        if not self._header_done:
            self._header()
        texts = [_text_column(_as_array(v), self._escape) for v in columns.values()]
        self._writer.writerows(zip(*texts, strict=True))

    def close(self) -> None:
        if not self._header_done and self.headers:
            self._header()
        self._fh.close()


class _JsonlSink(_Sink):
    def __init__(self, path: Path, headers: list[str]) -> None:
        self.headers = headers
        self._fh: IO[str] = path.open("w", encoding="utf-8", newline="\n")

    def write(self, columns: Columns) -> None:
        self._check(columns)
        names = list(columns)
        lists = [[_json_value(v) for v in _native(_as_array(c))]
                 for c in columns.values()]
        dumps = json.dumps
        self._fh.writelines(
            dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n"
            for row in zip(*lists, strict=True)
        )

    def close(self) -> None:
        self._fh.close()


class _ParquetSink(_Sink):
    def __init__(self, path: Path, headers: list[str]) -> None:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError("writing Parquet needs pyarrow, which is not installed",
                             fix="pip install 'kematangan[parquet]'") from None
        self.headers = headers
        self.path = path
        self._writer: Any = None
        self._schema: Any = None

    def _array(self, values: Sequence[Any] | npt.NDArray[Any]) -> Any:
        import pyarrow as pa

        arr = _as_array(values)
        kind = arr.dtype.kind
        if kind == "f":
            return pa.array(arr, from_pandas=True)
        if kind in "iubM":
            return pa.array(arr)
        # Object columns (original cells, texts) are written as text: their cells
        # may mix numbers and words, and every chunk must keep one type.
        values = _native(arr)
        if set(map(type, values)) <= {str, type(None)}:
            import pyarrow.compute as pc

            text = pa.array(values, type=pa.string())
            return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        return pa.array([None if v is None or v == "" else _text(v)
                         for v in values], type=pa.string())

    def write(self, columns: Columns) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._check(columns)
        table = pa.table({k: self._array(v) for k, v in columns.items()})
        if self._writer is None:
            self._schema = table.schema
            self._writer = pq.ParquetWriter(self.path, self._schema)
        else:
            table = table.cast(self._schema)
        self._writer.write_table(table)

    def close(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:
            schema = pa.schema([(h, pa.string()) for h in self.headers])
            self._writer = pq.ParquetWriter(self.path, schema)
        self._writer.close()


class _XlsxSink(_Sink):
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
        writers = [self._cell_writer(_as_array(v)) for v in columns.values()]
        lists = [_native(_as_array(v)) for v in columns.values()]
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
            ws.write_string(r, c, _text(v))
