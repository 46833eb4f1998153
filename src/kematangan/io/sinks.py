"""How each output format wants its values, and the sinks that write CSV, TSV,
JSON Lines and Parquet (the .xlsx sink is in :mod:`~kematangan.io.write`).

See :mod:`~kematangan.io.write` for what is written and why text that starts like a
formula gets a quote in CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from kematangan.errors import InputError

__all__ = ["Columns", "CsvSink", "JsonlSink", "ParquetSink", "Sink", "as_array",
           "escape_formula", "escaped", "json_value", "length", "native",
           "text_column", "value_text"]

Columns = Mapping[str, Sequence[Any] | npt.NDArray[Any]]
"""Column name to values; every column the same length."""

_FORMULA_START = frozenset("=+-@\t\r")


def length(columns: Columns) -> int:
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in columns.items())
        raise ValueError(f"columns differ in length: {sizes}")
    return lengths.pop() if lengths else 0


def as_array(values: Sequence[Any] | npt.NDArray[Any]) -> npt.NDArray[Any]:
    if isinstance(values, np.ndarray):
        return values
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def native(arr: npt.NDArray[Any]) -> list[Any]:
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


def number_text(v: float) -> str:
    """A float as text that reads back exactly and cannot be taken for a number
    with a thousands separator: ``123.456`` is written ``123.4560``."""
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    text = repr(v)
    return text + "0" if _THOUSANDS_SHAPED.match(text) else text


def value_text(v: Any) -> str:
    """One value as CSV text."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "" if v != v else number_text(v)
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


def escaped(values: list[str]) -> list[str]:
    start = _FORMULA_START
    return [escape_formula(v) if v and v[0] in start else v for v in values]


def text_column(arr: npt.NDArray[Any], escape: bool = False) -> list[str]:
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
        return [value_text(v) for v in arr.tolist()]
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
        return escaped(values) if escape else values
    texts: list[str]
    if types <= {str, type(None)}:
        texts = ["" if v is None else v for v in values]
    else:
        texts = [value_text(v) if not isinstance(v, str) else v for v in values]
        if escape:
            return [escape_formula(v) if isinstance(w, str) else v
                    for v, w in zip(texts, values, strict=True)]
    return escaped(texts) if escape else texts


def json_value(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    return v



class Sink:
    headers: list[str]

    def write(self, columns: Columns) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def _check(self, columns: Columns) -> int:
        n = length(columns)
        if list(columns) != self.headers:
            if not self.headers:
                self.headers = list(columns)
            else:
                raise ValueError(
                    "every chunk must have the same columns in the same order; got "
                    f"{list(columns)} after {self.headers}"
                )
        return n


class CsvSink(Sink):
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
        self._writer.writerow(escaped(names) if self._escape else names)
        self._header_done = True

    def write(self, columns: Columns) -> None:
        self._check(columns)
        if not self._header_done:
            self._header()
        texts = [text_column(as_array(v), self._escape) for v in columns.values()]
        self._writer.writerows(zip(*texts, strict=True))

    def close(self) -> None:
        if not self._header_done and self.headers:
            self._header()
        self._fh.close()


class JsonlSink(Sink):
    def __init__(self, path: Path, headers: list[str]) -> None:
        self.headers = headers
        self._fh: IO[str] = path.open("w", encoding="utf-8", newline="\n")

    def write(self, columns: Columns) -> None:
        self._check(columns)
        names = list(columns)
        lists = [[json_value(v) for v in native(as_array(c))]
                 for c in columns.values()]
        dumps = json.dumps
        self._fh.writelines(
            dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n"
            for row in zip(*lists, strict=True)
        )

    def close(self) -> None:
        self._fh.close()


class ParquetSink(Sink):
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

        arr = as_array(values)
        kind = arr.dtype.kind
        if kind == "f":
            return pa.array(arr, from_pandas=True)
        if kind in "iubM":
            return pa.array(arr)
        # Object columns (original cells, texts) are written as text: their cells
        # may mix numbers and words, and every chunk must keep one type.
        values = native(arr)
        if set(map(type, values)) <= {str, type(None)}:
            import pyarrow.compute as pc

            text = pa.array(values, type=pa.string())
            return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        return pa.array([None if v is None or v == "" else value_text(v)
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


