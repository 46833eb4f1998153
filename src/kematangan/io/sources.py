"""Tell how to read a file, and read delimited text (CSV, TSV) row by row.

Two shapes come out of the raw readers:

* *grid* sources (workbooks: :mod:`~kematangan.io.workbook`; delimited text: here)
  yield ``(row_number, cells)`` for every row from the top, title rows included;
  the header row is found later. Problems of a row or cell go to the source's
  ``issues`` list before the row is yielded.
* *record* sources (JSON, JSON Lines, Parquet: :mod:`~kematangan.io.records`) yield
  chunks of columns keyed by name.

Every reader streams, so memory does not grow with the length of the file, and
every limit of :class:`~kematangan.io.limits.Limits` is checked as early as it can
be: the file's size before anything is read. A record the reader cannot parse (a
line too long, quotes that do not close within the field limit) becomes that row's
error; the other rows are read.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from kematangan.errors import InputError
from kematangan.io.cells import UNREADABLE, SourceIssue, too_long
from kematangan.io.limits import Limits, limit_error
from kematangan.io.workbook import OLE_MAGIC, ZIP_MAGIC
from kematangan.problems import Problem

__all__ = [
    "DELIMITERS",
    "TOO_LONG_LINE",
    "CsvSource",
    "bounded_lines",
    "consistency",
    "detect_kind",
    "read_error",
    "sniff_encoding",
    "split_head",
    "text_head",
]

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})

_SNIFF_BYTES = 1 << 20
TOO_LONG_LINE = "\ue000kematangan: line too long\ue000"
"""What :func:`bounded_lines` puts in place of a line that is too long."""


def detect_kind(path: Path, limits: Limits) -> str:
    """The reader for ``path``: ``workbook``, ``text``, ``json``, ``jsonl`` or
    ``parquet``, by content where the content is telling and by suffix otherwise.

    Raises
    ------
    InputError
        When the file is missing, is a folder, is empty, is larger than the limit
        ``max_file_bytes``, or is binary where text is expected.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"file not found: {path}",
                         fix="check the path and the file name") from None
    except OSError as exc:
        raise read_error(path, exc) from None
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a file",
                         fix="give the path of a data file inside it")
    if size == 0:
        raise InputError(f"{path.name} is empty (0 bytes)",
                         fix="export the data again; the file has no content")
    if size > limits.max_file_bytes:
        raise limit_error(limits, "max_file_bytes",
                          f"{path.name!r} ({size:,} bytes)")
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise read_error(path, exc) from None
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        return "workbook"
    if head.startswith(b"PAR1"):
        return "parquet"
    if suffix in WORKBOOK_SUFFIXES:
        return "workbook"
    kind = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".parquet": "parquet"}.get(suffix)
    if kind is None and suffix in TEXT_SUFFIXES:
        kind = "text"
    if kind is None:
        raise InputError(
            f"cannot tell how to read {path.name!r} (suffix {suffix or 'none'!r})",
            fix="use .xlsx, .xls, .ods, .csv, .tsv, .json, .jsonl or .parquet",
        )
    if kind != "parquet" and b"\x00" in head and not head.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            f"{path.name!r} is a binary file, not text (it holds NUL bytes)",
            fix="check the file: a compressed or damaged export? Export the data "
            "again as CSV UTF-8 or .xlsx")
    return kind


def read_error(path: Path, exc: OSError) -> InputError:
    """The error for a file the system does not let us read."""
    return InputError(f"cannot read {path}: {exc.strerror or exc}",
                      fix="close it in other programs (Excel?) and check that you "
                      "may read it")


def sniff_encoding(path: Path) -> tuple[str, Problem | None]:
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
    return encoding, Problem("encoding", {"encoding": encoding}, "note", value="")


DELIMITERS = (",", ";", "\t", "|")


def bounded_lines(fh: IO[str], limit: int) -> Iterator[str]:
    """The lines of a text file, each at most ``limit`` characters: a longer line is
    read past in pieces and comes out as a marker line (see :func:`text_head`), so
    one line can never hold more than ``limit`` characters in memory."""
    while line := fh.readline(limit + 1):
        if len(line) > limit and line[-1] not in "\r\n":
            while (more := fh.readline(limit + 1)) and more[-1] not in "\r\n":
                pass
            line = TOO_LONG_LINE + "\n"
        yield line


def text_head(path: Path, encoding: str, limits: Limits, count: int = 64) -> str:
    """The first ``count`` lines of a text file (for sniffing), each bounded."""
    lines: list[str] = []
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        for line in bounded_lines(fh, limits.max_record_chars):
            lines.append(line)
            if len(lines) >= count:
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


class CsvSource:
    """The records of a delimited text file, numbered from 1.

    A record that cannot be parsed (a stray quote, a quote that never closes) comes
    out as an unreadable row with an error in :attr:`issues`; so does a line longer
    than ``max_record_chars``. A cell longer
    than ``max_cell_chars`` is cut, with an error. In a file not in UTF-8, each row
    holding a letter outside ASCII gets a note: its letters were guessed.
    """

    def __init__(self, path: Path, encoding: str, delimiter: str,
                 limits: Limits) -> None:
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self.limits = limits
        self.issues: list[SourceIssue] = []
        self.width: int | None = None
        if limits.max_cell_chars > csv.field_size_limit():
            # csv's limit is process-wide; it is only ever raised, to ours.
            csv.field_size_limit(limits.max_cell_chars)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Every record, numbered from 1."""
        guessed = not self.encoding.startswith(("utf-8", "utf-16"))
        max_chars = self.limits.max_cell_chars
        issues = self.issues
        with self.path.open(encoding=self.encoding, newline="") as fh:
            # strict: a stray or unclosed quote is that record's error, not text
            # quietly changed or rows quietly merged into one cell.
            reader = csv.reader(bounded_lines(fh, self.limits.max_record_chars),
                                delimiter=self.delimiter, strict=True)
            number = 0
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    number += 1
                    issues.append(self._unreadable(number, str(exc)))
                    yield number, UNREADABLE
                    continue
                except UnicodeDecodeError as exc:
                    raise InputError(
                        f"{self.path.name!r} has bytes that are not {self.encoding}: "
                        f"{exc}", row=number + 1,
                        fix="save the file as 'CSV UTF-8' and read it again",
                    ) from None
                number += 1
                if row and row[0] == TOO_LONG_LINE:
                    issues.append(limit_issue(number, self.limits))
                    yield number, UNREADABLE
                    continue
                if sum(map(len, row)) > max_chars:
                    for j, cell in enumerate(row):
                        if len(cell) > max_chars:
                            issues.append(too_long(number, j, len(cell), max_chars))
                            row[j] = cell[:max_chars]
                if guessed and not "".join(row).isascii():
                    issues.append(self._guessed(number, row))
                yield number, row

    def _unreadable(self, number: int, why: str) -> SourceIssue:
        return SourceIssue(number, None, "", "bad_row", "error", {"detail": why})

    def _guessed(self, number: int, row: list[str]) -> SourceIssue:
        col = next(j for j, c in enumerate(row) if not c.isascii())
        return SourceIssue(number, col, row[col][:80], "not_utf8", "note",
                           {"encoding": self.encoding})


def limit_issue(number: int, limits: Limits) -> SourceIssue:
    """The error for a line longer than ``max_record_chars``."""
    return SourceIssue(number, None, "", "line_too_long", "error",
                       {"limit": limits.max_record_chars})
