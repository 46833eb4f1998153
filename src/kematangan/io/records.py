"""Read records: JSON (a list of objects), JSON Lines and Parquet, in chunks of columns.

One bad record never costs the others: a JSON Lines line or a JSON list item that is
not an object, is not valid JSON, is longer than ``max_record_chars`` or nested
deeper than ``max_json_depth`` comes out as a row with no values and an error, and
reading goes on with the next. What JSON allows but a spreadsheet would not show is
noted on its row: ``NaN`` (read as missing) and a key given twice (the last is read).
A column count past ``max_columns`` or a JSON list that never closes ends reading
with an :class:`~kematangan.errors.InputError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kematangan.errors import InputError
from kematangan.io.limits import Limits, limit_error
from kematangan.io.sources import TOO_LONG_LINE, bounded_lines, sniff_encoding
from kematangan.problems import Problem

__all__ = [
    "CELLS_PER_CHUNK",
    "RecordChunk",
    "json_records",
    "jsonl_records",
    "parquet_chunks",
    "parquet_dataset_chunks",
]

CELLS_PER_CHUNK = 2_000_000
"""Cells per chunk at most, whatever ``chunk_rows`` says: a table of many columns is
read in fewer rows at a time, so memory stays bounded."""

_BLOCK = 1 << 20
_OUTSIDE = re.compile(r'[\[\]{}",]')
_IN_STRING = re.compile(r'["\\]')
_RECORD_KEYS = ("results", "data", "records", "rows", "items", "value")


@dataclass
class RecordChunk:
    """Consecutive records as columns: ``keys[i]`` holds ``columns[i]``."""

    keys: list[str]
    columns: list[list[Any]]
    row_numbers: list[int]
    issues: list[Problem] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)
    """Rows whose record could not be read (they have no values and an error)."""


def _flat(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def _bad(row: int, value: str, code: str, **params: Any) -> Problem:
    return Problem(code, params, "error", row=row, value=value[:80])


class _Records:
    """Collects records into chunks; checks each record as it comes.

    With ``keys`` given (found by a first pass over the file), every chunk has
    those columns, so a key that first appears late in a file does not change the
    columns between chunks. Without, only the keys are collected (that first pass).
    """

    def __init__(self, path: Path, chunk_rows: int, limits: Limits,
                 keys: list[str] | None = None) -> None:
        self.path = path
        self.limits = limits
        self.chunk_rows = chunk_rows
        self.keys_only = keys is None
        self.keys: list[str] = list(keys or [])
        self._known: set[str] = set(self.keys)
        self.records: list[dict[str, Any]] = []
        self.rows: list[int] = []
        self.issues: list[Problem] = []
        self.unreadable: list[int] = []
        self.nan = False
        self.duplicates: list[str] = []
        self.decoder = json.JSONDecoder(parse_constant=self._constant,
                                        object_pairs_hook=self._pairs)

    def _constant(self, name: str) -> float:
        if name == "NaN":
            self.nan = True
        return float(name)

    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.duplicates.append(key)
                seen.add(key)
        return out

    def decode(self, text: str, row: int) -> None:
        """Decode one JSON Lines line and add it."""
        self.nan, self.duplicates = False, []
        try:
            item = self.decoder.decode(text)
        except json.JSONDecodeError as exc:
            self.add_bad(_bad(row, text.strip(), "bad_json", detail=exc.msg))
            return
        except RecursionError:
            self.add_bad(self.too_deep(row, text))
            return
        except ValueError as exc:  # an integer of more digits than Python reads
            self.add_bad(_bad(row, text.strip(), "bad_json", detail=str(exc)))
            return
        self.add(item, row, text)

    def too_deep(self, row: int, text: str) -> Problem:
        """The error for a record nested deeper than ``max_json_depth``."""
        return _bad(row, text.strip(), "too_deep", limit=self.limits.max_json_depth)

    def add_bad(self, issue: Problem) -> None:
        """Add a row with no values, for a record that could not be read."""
        if self.keys_only:
            return
        self.issues.append(issue)
        self.records.append({})
        self.rows.append(issue.row or 0)
        self.unreadable.append(issue.row or 0)

    def add(self, item: Any, row: int, text: str | None) -> None:
        """Add a decoded record; ``text`` is its JSON, for quick checks and
        messages, when known."""
        if not isinstance(item, dict):
            self.add_bad(_bad(row, (text or "").strip(), "not_an_object",
                              type=type(item).__name__))
            return
        limits = self.limits
        if self.keys_only:
            self._add_keys(item)
            return
        if (text is None or text.count("[") + text.count("{") > limits.max_json_depth
                ) and _depth(item, limits.max_json_depth) > limits.max_json_depth:
            self.add_bad(self.too_deep(row, text or ""))
            return
        if text is None or len(text) > limits.max_cell_chars:
            self._cut(item, row)
        if self.nan:
            for key, value in item.items():
                if isinstance(value, float) and value != value:
                    self.issues.append(Problem("json_nan", {}, "note", row=row,
                                               column=key, value="NaN"))
        for key in dict.fromkeys(self.duplicates):
            self.issues.append(Problem("duplicate_key", {}, "note", row=row,
                                       column=key, value=""))
        self.records.append(item)
        self.rows.append(row)

    def _add_keys(self, item: dict[str, Any]) -> None:
        for k in item:
            if k not in self._known:
                self._known.add(k)
                self.keys.append(k)
                if len(self.keys) > self.limits.max_columns:
                    raise limit_error(self.limits, "max_columns",
                                      f"{self.path.name!r} has {len(self.keys):,} "
                                      "keys (at least), which")

    def _cut(self, item: dict[str, Any], row: int) -> None:
        limit = self.limits.max_cell_chars
        for key, value in item.items():
            if isinstance(value, dict | list):
                value = item[key] = _flat(value)
            if isinstance(value, str) and len(value) > limit:
                item[key] = value[:limit]
                self.issues.append(_long_value(row, key, len(value), limit))

    def full(self) -> bool:
        """Whether the records so far make a chunk."""
        if self.keys_only:
            return False
        n = len(self.records)
        return n >= self.chunk_rows or n * max(1, len(self.keys)) >= CELLS_PER_CHUNK

    def take(self) -> RecordChunk:
        """The records so far as a chunk; starts a new one."""
        keys = list(self.keys)
        records = self.records
        columns = [[_flat(rec.get(k)) for rec in records] for k in keys]
        chunk = RecordChunk(keys, columns, self.rows, self.issues, self.unreadable)
        self.records, self.rows, self.issues, self.unreadable = [], [], [], []
        return chunk


def _depth(value: Any, limit: int) -> int:
    """How deep ``value`` nests (a scalar is 0, ``{}`` is 1), counted up to just
    past ``limit``, without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict | list):
            if d > deepest:
                deepest = d
                if deepest > limit:
                    return deepest
            stack.extend((x, d + 1) for x in (v.values() if isinstance(v, dict)
                                              else v))
    return deepest


def jsonl_records(path: Path, chunk_rows: int, limits: Limits
                  ) -> Iterator[RecordChunk]:
    """Chunks of a JSON Lines file; a line that is not a JSON object is kept as a
    row with no values and an error, so the rows out match the lines in. A first
    pass finds every key (see :class:`_Records`)."""
    encoding, note = sniff_encoding(path)
    scan = _Records(path, chunk_rows, limits)
    for _ in _jsonl(path, encoding, scan):
        pass
    records = _Records(path, chunk_rows, limits, scan.keys)
    if note is not None:
        records.issues.append(note)
    yield from _jsonl(path, encoding, records)
    if records.records or not records.keys:
        yield records.take()


def _jsonl(path: Path, encoding: str, records: _Records) -> Iterator[RecordChunk]:
    limits = records.limits
    with path.open(encoding=encoding, newline="") as fh:
        for number, line in enumerate(bounded_lines(fh, limits.max_record_chars),
                                      start=1):
            if line.startswith(TOO_LONG_LINE):
                records.add_bad(_bad(number, "", "line_too_long",
                                     limit=limits.max_record_chars))
            elif line.strip():
                records.decode(line, number)
            if records.full():
                yield records.take()


class _ValueEnd:
    """Finds where one JSON value ends in text fed piece by piece, in linear time
    (used to step over a record that cannot be decoded)."""

    def __init__(self) -> None:
        self.depth = 0
        self.in_string = False
        self.escaped = False

    def feed(self, text: str, i: int) -> int | None:
        """The index just past the value in ``text``, or ``None`` if it goes on
        into the next piece."""
        n = len(text)
        while i < n:
            if self.escaped:
                self.escaped = False
                i += 1
            elif self.in_string:
                m = _IN_STRING.search(text, i)
                if m is None:
                    return None
                i = m.end()
                if m.group() == "\\":
                    self.escaped = True
                else:
                    self.in_string = False
                    if self.depth == 0:
                        return i
            else:
                m = _OUTSIDE.search(text, i)
                if m is None:
                    return None
                ch = m.group()
                if self.depth == 0 and ch in ",]":
                    return m.start()
                i = m.end()
                if ch == '"':
                    self.in_string = True
                elif ch in "[{":
                    self.depth += 1
                elif ch in "]}":
                    self.depth -= 1
                    if self.depth <= 0:
                        return i
        return None


class _JsonList:
    """The items of a JSON list, decoded one at a time from a buffer."""

    def __init__(self, path: Path, records: _Records, limits: Limits) -> None:
        self.path = path
        self.records = records
        self.limits = limits

    def read(self) -> Iterator[None]:
        """Add each item to the records; yield after each."""
        encoding, _ = sniff_encoding(self.path)
        with self.path.open(encoding=encoding) as fh:
            buf = fh.read(_BLOCK)
            pos = len(buf) - len(buf.lstrip())
            if buf[pos:pos + 1] != "[":
                yield from self._object(fh, buf)
                return
            yield from self._items(fh, buf, pos + 1)

    def _object(self, fh: Any, buf: str) -> Iterator[None]:
        """Records inside a JSON object, as the KoboToolbox API gives them
        (``{"count": 2, "results": [...]}``). The object is decoded whole (its size
        is bounded by ``max_file_bytes``)."""
        try:
            document = self.records.decoder.decode(buf + fh.read())
            self.records.duplicates = []  # found anywhere: not one record's
        except RecursionError:
            raise InputError(
                f"{self.path.name!r} is nested too deep to read as one JSON object",
                fix="export the data as a list of records or as JSON Lines (.jsonl)",
            ) from None
        except ValueError as exc:
            if isinstance(exc, json.JSONDecodeError):
                raise
            raise InputError(f"{self.path.name!r} cannot be read as JSON: {exc}",
                             fix="export the data again") from None
        if isinstance(document, dict):
            found = next((document[k] for k in _RECORD_KEYS
                          if isinstance(document.get(k), list)), None)
            lists = [v for v in document.values() if isinstance(v, list)]
            if found is None and len(lists) == 1:
                found = lists[0]
            if found is not None:
                for number, item in enumerate(found, start=1):
                    self.records.add(item, number, None)
                    yield None
                return
        raise InputError(
            f"{self.path.name!r} is JSON but not a list of records",
            fix="export the data as a list of objects: [{\"kode ksm\": \"KSM-01\", "
            "...}], or as JSON Lines (.jsonl)",
        )

    def _items(self, fh: Any, buf: str, pos: int) -> Iterator[None]:
        decoder = self.records.decoder
        limit = self.limits.max_record_chars
        eof = False
        number = 0
        while True:
            while True:
                while pos < len(buf) and buf[pos] in " \t\r\n,":
                    pos += 1
                if pos < len(buf) or eof:
                    break
                buf, pos = fh.read(_BLOCK), 0
                eof = not buf
            if pos >= len(buf):
                raise self._unclosed(number)
            if buf[pos] == "]":
                return
            self.records.nan, self.records.duplicates = False, []
            why = ""
            try:
                item, end = decoder.raw_decode(buf, pos)
            except RecursionError:
                why = "deep"
            except json.JSONDecodeError as exc:
                finder = _ValueEnd()
                if finder.feed(buf, pos) is not None or eof or len(buf) - pos > limit:
                    why = exc.msg
                else:
                    more = fh.read(_BLOCK)
                    eof = not more
                    buf, pos = buf[pos:] + more, 0
                    continue
            except ValueError as exc:
                why = str(exc)
            else:
                if end == len(buf) and not eof:
                    # A number at the end of the buffer may go on in the next block.
                    more = fh.read(_BLOCK)
                    if more:
                        buf, pos = buf[pos:] + more, 0
                        continue
                    eof = True
                number += 1
                if end - pos > limit:
                    self.records.add_bad(self._long(number))
                else:
                    self.records.add(item, number, buf[pos:end])
                pos = end
                yield None
                continue
            number += 1
            sample = buf[pos:pos + 80]
            buf, pos, eof = self._skip(fh, buf, pos, eof, number)
            if why == "deep":
                self.records.add_bad(self.records.too_deep(number, sample))
            else:
                self.records.add_bad(_bad(number, sample, "bad_json", detail=why))
            yield None

    def _skip(self, fh: Any, buf: str, pos: int, eof: bool, number: int
              ) -> tuple[str, int, bool]:
        """Step over the item at ``pos``, reading on as far as it goes."""
        finder = _ValueEnd()
        end = finder.feed(buf, pos)
        while end is None:
            if eof:
                raise self._unclosed(number - 1)
            buf = fh.read(_BLOCK)
            eof = not buf
            end = finder.feed(buf, 0)
        return buf, end, eof

    def _long(self, number: int) -> Problem:
        return _bad(number, "", "line_too_long", limit=self.limits.max_record_chars)

    def _unclosed(self, number: int) -> InputError:
        return InputError(
            f"{self.path.name!r} is not valid JSON after item {number}: the list is "
            "not closed with ']' (the file is cut off?)",
            fix="check the file is complete; export it again if it was cut off")


def json_records(path: Path, chunk_rows: int, limits: Limits
                 ) -> Iterator[RecordChunk]:
    """Chunks of a JSON file holding a list of objects (decoded incrementally; a
    first pass finds every key, see :class:`_Records`)."""
    try:
        scan = _Records(path, chunk_rows, limits)
        for _ in _JsonList(path, scan, limits).read():
            pass
        records = _Records(path, chunk_rows, limits, scan.keys)
        for _ in _JsonList(path, records, limits).read():
            if records.full():
                yield records.take()
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path.name!r} is not valid JSON: {exc.msg} (line {exc.lineno}, column "
            f"{exc.colno})",
            fix="check the file is complete; export it again if it was cut off",
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name!r} is not text: {exc}",
                         fix="export the data again as UTF-8 JSON") from None
    if records.records or not records.keys:
        yield records.take()


def parquet_chunks(path: Path, chunk_rows: int, limits: Limits
                   ) -> Iterator[RecordChunk]:
    """Chunks of a Parquet file, one record batch at a time (needs pyarrow).

    The file's own description is checked first: its columns against
    ``max_columns``, its rows against ``max_rows``, and each row group's
    uncompressed size against ``max_unzipped_bytes``.
    """
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
        meta = pf.metadata
        names = list(pf.schema_arrow.names)
        groups = [meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)]
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(f"cannot read {path.name!r} as Parquet: {exc}",
                         fix="check the file is complete; export it again") from None
    _check_footers(limits, path.name, len(names), meta.num_rows,
                   max(groups, default=0), path.name)
    width = max(1, len(names))
    batch_rows = max(1, min(chunk_rows, CELLS_PER_CHUNK // width))
    try:
        yield from _batch_chunks(pf.iter_batches(batch_size=batch_rows), names,
                                 limits, path.name)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"cannot read {path.name!r} as Parquet: {exc}",
                         fix="check the file is complete; export it again") from None


def parquet_dataset_chunks(source: Path | str, chunk_rows: int, limits: Limits
                           ) -> Iterator[RecordChunk]:
    """Chunks of a folder of Parquet files (read recursively; hive-style
    ``key=value`` folders become columns) or of the files a glob matches, in path
    order, numbered as one table. Columns, rows and each row group's uncompressed
    size are checked against ``max_columns``, ``max_rows`` and
    ``max_unzipped_bytes`` from the files' footers first, as for one file."""
    from kematangan.io.parquet_dataset import open_parquet

    probe = open_parquet(source, batch_rows=1)
    names = list(probe.schema.names)
    largest, held_by = 0, str(source)
    for fragment in probe.dataset.get_fragments():  # each file's footer, no data
        meta = fragment.metadata
        for i in range(meta.num_row_groups):
            if meta.row_group(i).total_byte_size > largest:
                largest, held_by = meta.row_group(i).total_byte_size, fragment.path
    _check_footers(limits, str(source), len(names), probe.num_rows, largest, held_by)
    batch_rows = max(1, min(chunk_rows, CELLS_PER_CHUNK // max(1, len(names))))
    dataset = open_parquet(source, batch_rows=batch_rows)
    yield from _batch_chunks(iter(dataset), names, limits, str(source))


def _check_footers(limits: Limits, label: str, columns: int, rows: int,
                   largest_group: int, group_file: str) -> None:
    """Refuse Parquet input whose footers (read before any row) pass a limit: its
    columns, its rows, or its largest row group's uncompressed size (in
    ``group_file``)."""
    if columns > limits.max_columns:
        raise limit_error(limits, "max_columns", f"{label!r} ({columns:,} columns)")
    if rows > limits.max_rows:
        raise limit_error(limits, "max_rows", f"{label!r} ({rows:,} rows)")
    if largest_group > limits.max_unzipped_bytes:
        raise limit_error(limits, "max_unzipped_bytes",
                          f"a row group of {group_file!r} ({largest_group:,} bytes "
                          "uncompressed)")


def _batch_chunks(batches: Iterator[Any], names: list[str], limits: Limits,
                  label: str) -> Iterator[RecordChunk]:
    """Arrow record batches as chunks of Python values, rows numbered from 1."""
    import pyarrow as pa
    import pyarrow.compute as pc

    start = 1
    emitted = False
    try:
        for batch in batches:
            columns = []
            issues: list[Problem] = []
            for name, col in zip(names, batch.columns, strict=True):
                if pa.types.is_decimal(col.type):
                    col = col.cast(pa.float64())
                values = col.to_pylist()
                if pa.types.is_nested(col.type):
                    values = [_flat(v) for v in values]
                elif pa.types.is_string(col.type) or pa.types.is_large_string(
                        col.type):
                    longest = pc.max(pc.utf8_length(col)).as_py()
                    if longest is not None and longest > limits.max_cell_chars:
                        _cut_column(values, name, start, limits, issues)
                columns.append(values)
            n = batch.num_rows
            yield RecordChunk(names, columns, list(range(start, start + n)), issues)
            start += n
            emitted = True
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"cannot read {label!r} as Parquet after row "
                         f"{start - 1:,}: {exc}",
                         fix="check the file is complete; export it again") from None
    if not emitted:
        yield RecordChunk(names, [[] for _ in names], [])


def _cut_column(values: list[Any], name: str, start: int, limits: Limits,
                issues: list[Problem]) -> None:
    limit = limits.max_cell_chars
    for i, v in enumerate(values):
        if isinstance(v, str) and len(v) > limit:
            values[i] = v[:limit]
            issues.append(_long_value(start + i, name, len(v), limit))


def _long_value(row: int, key: str, size: int, limit: int) -> Problem:
    return Problem("cell_too_long", {"size": size, "limit": limit}, "error", row=row,
                   column=key, value="")
