"""Find the cells of an .xlsx sheet that hold a formula error (``#N/A``, ``#DIV/0!``).

python-calamine gives such cells as empty strings, so without this a failed formula
would be read as a blank cell, silently. The sheet's XML is streamed and only the
blocks that contain an error cell (``t="e"``) are searched, so a sheet without errors
costs one decompression pass.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

__all__ = ["error_cells", "sheet_part"]

_BLOCK = 1 << 23
_ERROR_CELL = re.compile(
    rb'<c\b(?=[^>]*\bt="e")[^>]*\br="([A-Z]+)(\d+)"[^>]*>(?:(?!</c>).)*?<v>([^<]*)</v>',
    re.DOTALL,
)
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def sheet_part(z: zipfile.ZipFile, sheet: str) -> str | None:
    """The path inside the package of the XML of sheet ``sheet``."""
    workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", _NS)}
    for node in workbook.iterfind("m:sheets/m:sheet", _NS):
        if node.get("name") == sheet:
            ref = target.get(node.get(f"{{{_NS['r']}}}id"))
            if ref is None:
                return None
            if ref.startswith("/"):
                return ref.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", ref))
    return None


def error_cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """``(row, column) -> error text`` for the error cells of ``sheet``; rows are
    1-based, columns 0-based. Empty when the file is not an xlsx package or the
    sheet cannot be found (the caller reads the sheet anyway)."""
    found: dict[tuple[int, int], str] = {}
    try:
        with zipfile.ZipFile(path) as z:
            part = sheet_part(z, sheet)
            if part is None:
                return found
            with z.open(part) as fh:
                tail = b""
                while block := fh.read(_BLOCK):
                    data = tail + block
                    # Keep the unfinished last cell for the next block.
                    cut = data.rfind(b"<c ")
                    cut = cut if cut > 0 else len(data)
                    head, tail = data[:cut], data[cut:]
                    if b't="e"' in head:
                        for m in _ERROR_CELL.finditer(head):
                            found[(int(m.group(2)), _column(m.group(1)))] = (
                                m.group(3).decode("utf-8", "replace"))
                if tail and b't="e"' in tail:
                    for m in _ERROR_CELL.finditer(tail):
                        found[(int(m.group(2)), _column(m.group(1)))] = (
                            m.group(3).decode("utf-8", "replace"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return {}
    return found
