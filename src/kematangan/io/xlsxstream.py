"""Read the rows of a large .xlsx sheet one at a time, in bounded memory.

python-calamine holds a whole sheet in memory (about 75 bytes a cell), which passes
1 GB near 300,000 rows of 40 columns. Above :data:`STREAM_ABOVE_BYTES` of sheet XML
the reader switches to this module: the sheet's XML is decompressed and parsed as a
stream (expat), so memory holds the shared-strings table and one row, whatever the
sheet's length. It is slower per cell than calamine, so small sheets keep calamine.

Cells come out as calamine gives them: text as ``str``, numbers as ``float``, dates
(numbers in a date format) as ``datetime.date`` or ``datetime.datetime``, booleans as
``bool``, blanks as ``""``, and formula errors as their text (``#N/A``).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from kematangan.io.xlsxerrors import sheet_part

__all__ = ["STREAM_ABOVE_BYTES", "sheet_xml_size", "stream_rows"]

STREAM_ABOVE_BYTES = 256 * 1024 * 1024
"""Sheets whose XML is larger than this (uncompressed) are streamed."""

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_BLOCK = 1 << 22
_DATE_BUILTIN = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_TIME_ONLY_BUILTIN = frozenset({18, 19, 20, 21, 45, 46, 47})
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def sheet_xml_size(path: Path, sheet: str) -> int:
    """The uncompressed size of ``sheet``'s XML in an xlsx package (0 if unknown)."""
    try:
        with zipfile.ZipFile(path) as z:
            part = sheet_part(z, sheet)
            return z.getinfo(part).file_size if part else 0
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return 0


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    try:
        fh = z.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    out: list[str] = []
    parts: list[str] = []
    depth_t = 0
    in_rph = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth_t, in_rph
        local = name.rsplit("}", 1)[-1]
        if local == "si":
            parts.clear()
        elif local == "t" and not in_rph:
            depth_t += 1
        elif local == "rPh":
            in_rph += 1

    def end(name: str) -> None:
        nonlocal depth_t, in_rph
        local = name.rsplit("}", 1)[-1]
        if local == "si":
            out.append("".join(parts))
        elif local == "t" and depth_t and not in_rph:
            depth_t -= 1
        elif local == "rPh":
            in_rph -= 1

    def text(data: str) -> None:
        if depth_t:
            parts.append(data)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with fh:
        parser.ParseFile(fh)
    return out


def _is_date_format(code: str) -> bool:
    bare = _QUOTED.sub("", code).lower()
    return any(ch in bare for ch in "dmyhs") and "general" not in bare


def _date_styles(z: zipfile.ZipFile) -> dict[int, bool]:
    """Style index -> whether it shows a date (True) or a time of day (False)."""
    try:
        root = ElementTree.fromstring(z.read("xl/styles.xml"))
    except KeyError:
        return {}
    ns = {"m": _MAIN}
    custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "")
              for n in root.iterfind("m:numFmts/m:numFmt", ns)}
    out: dict[int, bool] = {}
    for index, xf in enumerate(root.iterfind("m:cellXfs/m:xf", ns)):
        fmt = int(xf.get("numFmtId", "0"))
        if fmt in _DATE_BUILTIN:
            out[index] = fmt not in _TIME_ONLY_BUILTIN
        elif fmt in custom and _is_date_format(custom[fmt]):
            bare = _QUOTED.sub("", custom[fmt]).lower()
            out[index] = any(ch in bare for ch in "dy") or "mmm" in bare
    return out


def _column(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + (ord(ch) - 64)
        else:
            break
    return n - 1


def _serial(value: float, is_date: bool) -> Any:
    when = _EXCEL_EPOCH + dt.timedelta(days=value if value >= 61 else value + 1)
    if not is_date:
        return when.time()
    if when.time() == dt.time():
        return when.date()
    return when


def stream_rows(path: Path, sheet: str) -> Iterator[tuple[int, list[Any]]]:
    """Every row of ``sheet`` from row 1, numbered as in the sheet; rows the XML
    leaves out (empty rows) come out as empty lists."""
    with zipfile.ZipFile(path) as z:
        part = sheet_part(z, sheet)
        if part is None:
            return
        shared = _shared_strings(z)
        dates = _date_styles(z)
        done: list[tuple[int, list[Any]]] = []
        state: dict[str, Any] = {"row": [], "number": 0, "cell": {}}
        text: list[str] = []
        collect = text.append

        # Sheets use the main namespace as the default one, so element names come
        # without a prefix; a writer that prefixes them (x:c) is handled by _local.
        def start(name: str, attrs: dict[str, str]) -> None:
            if ":" in name:
                name = _local(name)
            if name == "c":
                state["cell"] = attrs
                text.clear()
            elif name == "v" or name == "t":
                parser.CharacterDataHandler = collect
            elif name == "row":
                state["row"] = []
                r = attrs.get("r")
                state["number"] = int(r) if r else state["number"] + 1

        def end(name: str) -> None:
            if ":" in name:
                name = _local(name)
            if name == "c":
                row = state["row"]
                cell = state["cell"]
                ref = cell.get("r")
                col = _column(ref) if ref else len(row)
                if col > len(row):
                    row.extend([""] * (col - len(row)))
                row.append(_value(cell, "".join(text), shared, dates))
            elif name == "v" or name == "t":
                parser.CharacterDataHandler = None
            elif name == "row":
                done.append((state["number"], state["row"]))

        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        last = 0
        with z.open(part) as fh:
            while block := fh.read(_BLOCK):
                parser.Parse(block, False)
                for number, cells in done:
                    for missing in range(last + 1, number):
                        yield missing, []
                    yield number, cells
                    last = number
                done.clear()
            parser.Parse(b"", True)
        for number, cells in done:
            for missing in range(last + 1, number):
                yield missing, []
            yield number, cells
            last = number


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _value(cell: dict[str, Any], raw: str, shared: list[str],
           dates: dict[int, bool]) -> Any:
    kind = cell.get("t", "n")
    if kind == "s":
        return shared[int(raw)] if raw else ""
    if kind in ("str", "inlineStr"):
        return raw
    if kind == "b":
        return raw == "1"
    if kind == "e":
        return raw
    if not raw:
        return ""
    number = float(raw)
    style = cell.get("s")
    if style is not None:
        is_date = dates.get(int(style))
        if is_date is not None:
            return _serial(number, is_date)
    return number
