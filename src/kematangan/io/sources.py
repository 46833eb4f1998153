"""Raw readers, one per kind of file: they yield cells as the file holds them.

Two shapes come out:

* *grid* sources (workbooks, CSV/TSV) yield ``(row_number, cells)`` for every row
  from the top of the sheet, title rows included; the header row is found later.
* *record* sources (JSON, JSON Lines, Parquet) yield chunks of columns keyed by
  name.

Every reader streams, so memory does not grow with the length of the file, with one
exception: python-calamine loads a workbook sheet whole (about 75 bytes a cell).
That is fine up to :data:`~kematangan.io.xlsxstream.STREAM_ABOVE_BYTES` of sheet XML
(about 140,000 rows of 40 columns); larger .xlsx sheets are streamed by
:mod:`~kematangan.io.xlsxstream` instead. Large .xls and .ods sheets are still
loaded whole. Whatever goes wrong opening a file becomes one
:class:`~kematangan.errors.InputError` that says what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kematangan.errors import InputError, suggest
from kematangan.io import xlsxstream
from kematangan.io.table import Issue
from kematangan.io.xlsxerrors import error_cells
from kematangan.io.xlsxstream import sheet_xml_size

__all__ = [
    "DELIMITERS",
    "GRID_SUFFIXES",
    "RECORD_SUFFIXES",
    "RecordChunk",
    "Workbook",
    "consistency",
    "csv_rows",
    "detect_kind",
    "json_records",
    "jsonl_records",
    "parquet_chunks",
    "sniff_encoding",
    "split_head",
    "text_head",
]

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
GRID_SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES
RECORD_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson", ".parquet"})

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_SNIFF_BYTES = 1 << 20

_SAVE_AGAIN = "open it in Excel or LibreOffice and save it again as .xlsx or .csv"


def _display(path: Path) -> str:
    return path.name


def detect_kind(path: Path) -> str:
    """The reader for ``path``: ``workbook``, ``text``, ``json``, ``jsonl`` or
    ``parquet``, by content where the content is telling and by suffix otherwise.

    Raises
    ------
    InputError
        When the file is missing, is a folder, or is empty.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"file not found: {path}",
                         fix="check the path and the file name") from None
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a file",
                         fix="give the path of a data file inside it")
    if size == 0:
        raise InputError(f"{_display(path)} is empty (0 bytes)",
                         fix="export the data again; the file has no content")
    with path.open("rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC):
        return "workbook"
    if head.startswith(b"PAR1"):
        return "parquet"
    if suffix in WORKBOOK_SUFFIXES:
        return "workbook"
    if suffix == ".json":
        return "json"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".parquet":
        return "parquet"
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise InputError(
        f"cannot tell how to read {_display(path)!r} (suffix {suffix or 'none'!r})",
        fix="use .xlsx, .xls, .ods, .csv, .tsv, .json, .jsonl or .parquet",
    )


# --- workbooks ------------------------------------------------------------------


class Workbook:
    """An open workbook (xlsx, xls, ods) read with python-calamine.

    Use as a context manager; :meth:`rows` yields ``(row_number, cells)`` with
    1-based spreadsheet row numbers, and :attr:`first_column` is the 0-based
    column of the first cell of each row.
    """

    def __init__(self, path: Path) -> None:
        import python_calamine as pc

        self.path = path
        self._stack = ExitStack()
        self._pc = pc
        try:
            self._book = pc.CalamineWorkbook.from_path(path)
        except pc.PasswordError:
            raise _password_error(path) from None
        except (pc.CalamineError, OSError, ValueError) as first:
            self._book = self._by_content(path, first)
        self._stack.callback(self._book.close)
        meta = self._book.sheets_metadata
        visible = [m.name for m in meta if m.visible == pc.SheetVisibleEnum.Visible]
        hidden = [m.name for m in meta if m.name not in visible]
        with path.open("rb") as fh:
            self._zipped = fh.read(4) == _ZIP_MAGIC and path.suffix.lower() != ".ods"
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self.search_order: list[str] = visible + hidden
        self.first_column = 0

    def _by_content(self, path: Path, first: Exception) -> Any:
        """Open a workbook whose suffix does not say its format (an .xls saved
        as .xlsx), or explain why it cannot be opened."""
        pc = self._pc
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
        if head.startswith(_OLE_MAGIC) and _ENCRYPTED_MARK in head:
            raise _password_error(path)
        fh = self._stack.enter_context(path.open("rb"))
        try:
            return pc.CalamineWorkbook.from_filelike(fh)
        except pc.PasswordError:
            raise _password_error(path) from None
        except (pc.CalamineError, OSError, ValueError):
            self._stack.close()
        raise InputError(
            f"cannot read {_display(path)!r} as a spreadsheet: the file is damaged or "
            f"is not a workbook ({first})",
            fix=_SAVE_AGAIN,
        )

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def resolve(self, sheet: str | int) -> str:
        """The name of sheet ``sheet`` (a name, or a 0-based index)."""
        names = self.sheet_names
        if isinstance(sheet, int):
            if -len(names) <= sheet < len(names):
                return names[sheet]
            raise InputError(
                f"the workbook has {len(names)} sheet(s); there is no sheet index "
                f"{sheet}",
                fix=f"give a sheet index from 0 to {len(names) - 1} or a name: "
                + ", ".join(repr(n) for n in names),
            )
        if sheet in names:
            return sheet
        folded = {n.strip().lower(): n for n in names}
        if sheet.strip().lower() in folded:
            return folded[sheet.strip().lower()]
        close = suggest(sheet, names)
        hint = f" (did you mean {close!r}?)" if close else ""
        raise InputError(
            f"the workbook has no sheet named {sheet!r}{hint}",
            fix="use one of: " + ", ".join(repr(n) for n in names),
        )

    def rows(self, name: str) -> Iterator[tuple[int, list[Any]]]:
        """Every row of sheet ``name`` from row 1, as python-calamine gives it.

        A very large xlsx sheet is streamed instead (see
        :mod:`~kematangan.io.xlsxstream`), so memory does not grow with its length.
        """
        pc = self._pc
        size = sheet_xml_size(self.path, name) if self._zipped else 0
        if size > xlsxstream.STREAM_ABOVE_BYTES:
            self.first_column = 0
            yield from xlsxstream.stream_rows(self.path, name)
            return
        try:
            sheet = self._book.get_sheet_by_name(name)
        except pc.PasswordError:
            raise _password_error(self.path) from None
        except (pc.CalamineError, ValueError) as exc:
            raise InputError(
                f"cannot read sheet {name!r} of {_display(self.path)!r}: {exc}",
                fix=_SAVE_AGAIN,
            ) from None
        start = sheet.start
        first = self.first_column = start[1] if start is not None else 0
        by_row: dict[int, list[tuple[int, str]]] = {}
        if self._zipped:
            for (r, c), text in error_cells(self.path, name).items():
                by_row.setdefault(r, []).append((c - first, text))
        for index, row in enumerate(sheet.iter_rows()):
            number = index + 1
            if number in by_row:
                # python-calamine gives a formula error as "": put the error back so
                # it is reported, not read as a blank cell.
                for c, text in by_row[number]:
                    if 0 <= c < len(row) and row[c] == "":
                        row[c] = text
            yield number, row


def _password_error(path: Path) -> InputError:
    return InputError(
        f"{_display(path)!r} is password-protected, so it cannot be read",
        fix="open it in Excel, remove the password (File > Info > Protect Workbook > "
        "Encrypt with Password, then clear it), and save a copy",
    )


# --- CSV and TSV ----------------------------------------------------------------


def sniff_encoding(path: Path) -> tuple[str, Issue | None]:
    """The text encoding of ``path``: a byte-order mark if there is one, else UTF-8
    if every byte decodes as UTF-8, else Windows-1252 (with a note).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes("Kode;Catatan\\nK1;di balai RW\\x92\\n".encode("latin-1"))
    >>> sniff_encoding(p)[0]
    'cp1252'
    """
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig", None
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16", None
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := fh.read(_SNIFF_BYTES):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            pass
        else:
            return "utf-8", None
        fh.seek(0)
        try:
            while block := fh.read(_SNIFF_BYTES):
                block.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            encoding = "latin-1"
    return encoding, Issue(
        None, None, "", f"the file is not UTF-8; read as {encoding} (Windows "
        "Western European), so letters outside English may be wrong",
        "save the file as 'CSV UTF-8' and read it again", "note",
        code="encoding",
    )


DELIMITERS = (",", ";", "\t", "|")


def text_head(path: Path, encoding: str, limit: int = 64) -> str:
    """The first ``limit`` lines of a text file (for sniffing)."""
    lines: list[str] = []
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        for line in fh:
            lines.append(line)
            if len(lines) >= limit:
                break
    return "".join(lines)


def split_head(text: str, delimiter: str) -> list[list[str]]:
    """Rows of sniffing text split with ``delimiter`` (never raises)."""
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        return []


def consistency(rows: Sequence[Sequence[str]]) -> tuple[int, int]:
    """How regular ``rows`` look: how many rows share the commonest width, and that
    width; a delimiter that splits nothing scores zero."""
    widths: dict[int, int] = {}
    for r in rows:
        if any(c.strip() for c in r):
            widths[len(r)] = widths.get(len(r), 0) + 1
    if not widths:
        return 0, 0
    width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
    return (count, width) if width > 1 else (0, 0)


def csv_rows(
    path: Path, encoding: str, delimiter: str
) -> Iterator[tuple[int, list[Any]]]:
    """Every record of a delimited text file, numbered from 1."""
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        number = 0
        try:
            for number, row in enumerate(reader, start=1):
                yield number, row
        except csv.Error as exc:
            raise InputError(
                f"{_display(path)!r} is not readable as delimited text: {exc}",
                row=number + 1,
                fix="check that the file is CSV text (not a workbook saved with a .csv "
                "name) and that quotes are closed",
            ) from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{_display(path)!r} has bytes that are not {encoding}: {exc}",
                row=number + 1, fix="save the file as 'CSV UTF-8' and read it again",
            ) from None


# --- records: JSON, JSON Lines, Parquet ------------------------------------------


@dataclass
class RecordChunk:
    """Consecutive records as columns: ``keys[i]`` holds ``columns[i]``."""

    keys: list[str]
    columns: list[list[Any]]
    row_numbers: list[int]
    issues: list[Issue] = field(default_factory=list)


def _flat(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


class _KeyOrder:
    """The keys seen so far, in order of first appearance across chunks."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self._known: set[str] = set()

    def chunk(self, records: list[dict[str, Any]], rows: list[int],
              issues: list[Issue]) -> RecordChunk:
        for rec in records:
            for k in rec:
                if k not in self._known:
                    self._known.add(k)
                    self.keys.append(k)
        keys = list(self.keys)
        columns = [[_flat(rec.get(k)) for rec in records] for k in keys]
        return RecordChunk(keys, columns, rows, issues)


def _not_object(path: Path, row: int, item: Any) -> InputError:
    return InputError(
        f"{_display(path)!r}: item {row} is a {type(item).__name__}, not an object "
        "with one key per column",
        row=row,
        fix="export the data as a list of records: [{\"kode ksm\": \"KSM-01\", ...}]",
    )


def jsonl_records(path: Path, chunk_rows: int) -> Iterator[RecordChunk]:
    """Chunks of a JSON Lines file; a line that is not a JSON object is kept as a
    row with no values and an error, so the rows out match the lines in."""
    order = _KeyOrder()
    records: list[dict[str, Any]] = []
    rows: list[int] = []
    issues: list[Issue] = []
    encoding, note = sniff_encoding(path)
    if note is not None:
        issues.append(note)
    with path.open(encoding=encoding) as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                item = None
                issues.append(Issue(
                    number, None, line.strip()[:80],
                    f"the line is not valid JSON ({exc.msg}); its values are missing",
                    "write one JSON object per line", "error", code="bad_json",
                ))
            if item is not None and not isinstance(item, dict):
                issues.append(Issue(
                    number, None, line.strip()[:80],
                    "the line is not a JSON object; its values are missing",
                    "write one JSON object per line", "error", code="bad_json",
                ))
                item = None
            records.append(item or {})
            rows.append(number)
            if len(records) >= chunk_rows:
                yield order.chunk(records, rows, issues)
                records, rows, issues = [], [], []
    if records or not order.keys:
        yield order.chunk(records, rows, issues)


def _json_items(path: Path) -> Iterator[Any]:
    """The items of a JSON array, decoded one at a time from a buffer."""
    decoder = json.JSONDecoder()
    encoding, _ = sniff_encoding(path)
    with path.open(encoding=encoding) as fh:
        buf = fh.read(_SNIFF_BYTES)
        pos = len(buf) - len(buf.lstrip())
        if buf[pos:pos + 1] != "[":
            fh.seek(0)
            yield from _json_object_items(path, json.loads(fh.read()))
            return
        pos += 1
        eof = False
        while True:
            while True:
                while pos < len(buf) and buf[pos] in " \t\r\n,":
                    pos += 1
                if pos < len(buf) or eof:
                    break
                buf, pos = fh.read(_SNIFF_BYTES), 0
                eof = not buf
            if pos >= len(buf):
                raise json.JSONDecodeError("the list is not closed with ']'", buf, pos)
            if buf[pos] == "]":
                return
            try:
                item, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError:
                if eof:
                    raise
                more = fh.read(_SNIFF_BYTES)
                eof = not more
                buf, pos = buf[pos:] + more, 0
                continue
            if end == len(buf) and not eof:
                # A number at the end of the buffer may continue in the next block.
                more = fh.read(_SNIFF_BYTES)
                if more:
                    buf, pos = buf[pos:] + more, 0
                    continue
                eof = True
            yield item
            pos = end


_RECORD_KEYS = ("results", "data", "records", "rows", "items", "value")


def _json_object_items(path: Path, document: Any) -> Iterator[Any]:
    """Records inside a JSON object, as the KoboToolbox API gives them
    (``{"count": 2, "results": [...]}``)."""
    if isinstance(document, dict):
        for key in _RECORD_KEYS:
            if isinstance(document.get(key), list):
                yield from document[key]
                return
        lists = [k for k, v in document.items() if isinstance(v, list)]
        if len(lists) == 1:
            yield from document[lists[0]]
            return
    raise InputError(
        f"{_display(path)!r} is JSON but not a list of records",
        fix="export the data as a list of objects: [{\"kode ksm\": \"KSM-01\", ...}], "
        "or as JSON Lines (.jsonl)",
    )


def json_records(path: Path, chunk_rows: int) -> Iterator[RecordChunk]:
    """Chunks of a JSON file holding a list of objects (decoded incrementally)."""
    order = _KeyOrder()
    records: list[dict[str, Any]] = []
    rows: list[int] = []
    number = 0
    try:
        for number, item in enumerate(_json_items(path), start=1):
            if not isinstance(item, dict):
                raise _not_object(path, number, item)
            records.append(item)
            rows.append(number)
            if len(records) >= chunk_rows:
                yield order.chunk(records, rows, [])
                records, rows = [], []
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{_display(path)!r} is not valid JSON after item {number}: {exc.msg} "
            f"(line {exc.lineno}, column {exc.colno} of the block being read)",
            fix="check the file is complete; export it again if it was cut off",
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{_display(path)!r} is not text: {exc}",
                         fix="export the data again as UTF-8 JSON") from None
    if records or not order.keys:
        yield order.chunk(records, rows, [])


def parquet_chunks(path: Path, chunk_rows: int) -> Iterator[RecordChunk]:
    """Chunks of a Parquet file, one record batch at a time (needs pyarrow)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "reading Parquet needs pyarrow, which is not installed",
            fix="pip install 'kematangan[parquet]'",
        ) from None
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"cannot read {_display(path)!r} as Parquet: {exc}",
                         fix="check the file is complete; export it again") from None
    names = list(pf.schema_arrow.names)
    start = 1
    emitted = False
    for batch in pf.iter_batches(batch_size=chunk_rows):
        columns = []
        for col in batch.columns:
            if pa.types.is_decimal(col.type):
                col = col.cast(pa.float64())
            columns.append(col.to_pylist())
        n = batch.num_rows
        yield RecordChunk(names, columns, list(range(start, start + n)))
        start += n
        emitted = True
    if not emitted:
        yield RecordChunk(names, [[] for _ in names], [])
