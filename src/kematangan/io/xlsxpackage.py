"""Open an .xlsx package safely: check the zip, then read its workbook, sheet list,
styles and shared strings.

Every part is checked before it is read: its declared uncompressed size against
:attr:`~kematangan.io.limits.Limits.max_unzipped_bytes` (and the shared strings
against :attr:`~kematangan.io.limits.Limits.max_shared_strings_bytes`), and the bytes
actually decompressed against the same limit, so a zip bomb is refused before it
expands. Parts are found the way the format says, through the package's
relationships, so a workbook saved by any program is read; XML is parsed with
:mod:`~kematangan.io.xmlsafe` (no document types, no entities).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from kematangan.errors import InputError
from kematangan.io.limits import Limits, limit_error
from kematangan.io.xmlsafe import DoctypeRefused, blocks, parse_error, parser

__all__ = [
    "MAX_DIRECTORY_BYTES",
    "SAVE_AGAIN",
    "Package",
    "SheetInfo",
    "is_date_format",
    "zip_kind",
]

SAVE_AGAIN = "open it in Excel or LibreOffice and save it again as .xlsx or .csv"

MAX_DIRECTORY_BYTES = 16 << 20
"""Size of a zip's list of parts (its central directory) a workbook may have: a real
one lists tens to a few thousand parts in well under a megabyte, and reading the
list costs memory for each."""

_DATE_BUILTIN = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_TIME_ONLY_BUILTIN = frozenset({18, 19, 20, 21, 45, 46, 47})
_UNZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, RuntimeError,
                 NotImplementedError, zlib.error)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """A sheet of the workbook: its name, its XML part (``None`` when it is not a
    worksheet, a chart sheet for instance) and whether it is ``visible``,
    ``hidden`` or ``veryHidden``."""

    name: str
    part: str | None
    state: str


def _directory_size(path: Path) -> int:
    """The size of the zip's central directory as its end record declares it (0 if
    none is found), read before :mod:`zipfile` builds an object per part."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - (1 << 16) - 22))
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return 0
    found: int = struct.unpack_from("<I", tail, at + 12)[0]
    if found == 0xFFFFFFFF:
        zip64 = tail.rfind(b"PK\x06\x06", 0, at)
        if zip64 >= 0 and zip64 + 48 <= len(tail):
            found = struct.unpack_from("<Q", tail, zip64 + 40)[0]
    return found


def _damaged(file: str, why: str) -> InputError:
    return InputError(f"cannot read {file!r} as a spreadsheet: {why}", fix=SAVE_AGAIN)


def _open_zip(path: Path) -> zipfile.ZipFile:
    listed = _directory_size(path)
    if listed > MAX_DIRECTORY_BYTES:
        raise _damaged(path.name, f"its list of parts takes {listed:,} bytes, where a "
                       f"workbook's takes well under {MAX_DIRECTORY_BYTES:,}")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError,
            EOFError, struct.error, zlib.error) as exc:
        raise _damaged(path.name, f"the zip is damaged ({exc})") from None


def zip_kind(path: Path, limits: Limits) -> str:
    """Which workbook a zip holds: ``xlsx`` (also .xlsm), ``xlsb`` or ``ods``.

    For .xlsb and .ods, which calamine reads whole, every part's declared size is
    checked against ``max_unzipped_bytes`` here.
    """
    with _open_zip(path) as z:
        infos = z.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.bin" in names:
            kind = "xlsb"
        elif "content.xml" in names:
            kind = "ods"
        else:
            return "xlsx"
    for info in infos:
        if info.file_size > limits.max_unzipped_bytes:
            raise limit_error(limits, "max_unzipped_bytes",
                              f"part {info.filename} of {path.name!r} "
                              f"({info.file_size:,} bytes uncompressed)")
    return kind


def is_date_format(code: str) -> bool | None:
    """Whether a number format shows a date (``True``), only a time of day
    (``False``) or neither (``None``). Quoted text, ``[...]`` sections and escaped
    characters are skipped; one pass, so a long format costs linear time.

    Examples
    --------
    >>> is_date_format("dd/mm/yyyy"), is_date_format("hh:mm"), is_date_format("0.00")
    (True, False, None)
    >>> is_date_format('"day "0'), is_date_format("[Red]0"), is_date_format("General")
    (None, None, None)
    """
    bare: list[str] = []
    i, n = 0, len(code)
    while i < n:
        ch = code[i]
        if ch == '"':
            end = code.find('"', i + 1)
            i = n if end < 0 else end + 1
        elif ch == "[":
            end = code.find("]", i + 1)
            i = n if end < 0 else end + 1
        elif ch in "\\_*":
            i += 2  # an escaped character, or a padding/fill character
        else:
            bare.append(ch)
            i += 1
    text = "".join(bare).lower()
    if "general" in text or not any(ch in text for ch in "dmyhs"):
        return None
    return any(ch in text for ch in "dy") or "mmm" in text


class Package:
    """An open .xlsx (or .xlsm) package. Use as a context manager."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.file = path.name
        self.limits = limits
        self.zip = _open_zip(path)
        self._names = set(self.zip.namelist())
        try:
            self._open_workbook()
        except BaseException:
            self.zip.close()
            raise

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the zip."""
        self.zip.close()

    def damaged(self, why: str) -> InputError:
        """The error for a package that cannot be read."""
        return _damaged(self.file, why)

    # --- parts -------------------------------------------------------------------

    def has(self, part: str) -> bool:
        """Whether the package holds ``part``."""
        return part in self._names

    @contextmanager
    def open(self, part: str, limit_name: str = "max_unzipped_bytes"
             ) -> Iterator[Iterator[bytes]]:
        """The bytes of ``part`` in blocks, checked against limit ``limit_name``."""
        limit = getattr(self.limits, limit_name)
        try:
            info = self.zip.getinfo(part)
        except KeyError:
            raise self.damaged(f"part {part} is missing") from None
        if info.file_size > limit:
            raise limit_error(self.limits, limit_name,
                              f"part {part} of {self.file!r} ({info.file_size:,} bytes "
                              "uncompressed)")
        try:
            fh = self.zip.open(info)
        except _UNZIP_ERRORS as exc:
            raise self.damaged(f"part {part} cannot be decompressed ({exc})") from None
        with fh:
            yield self._checked(fh, limit, part, limit_name)

    def _checked(self, fh: IO[bytes], limit: int, part: str,
                 limit_name: str) -> Iterator[bytes]:
        try:
            yield from blocks(fh, limit, f"{part} of {self.file!r}", limit_name,
                              self.limits)
        except _UNZIP_ERRORS as exc:
            raise self.damaged(f"part {part} cannot be decompressed ({exc})") from None

    def parse(self, part: str, start: Callable[[str, dict[str, str]], None],
              end: Callable[[str], None] | None = None,
              text: Callable[[str], None] | None = None,
              limit_name: str = "max_unzipped_bytes", namespaces: bool = True
              ) -> None:
        """Parse a whole part; with ``namespaces`` names are ``uri}local``,
        without they are as written."""
        p = parser(namespaces)
        p.StartElementHandler = start
        if end is not None:
            p.EndElementHandler = end
        if text is not None:
            p.CharacterDataHandler = text
        with self.open(part, limit_name) as data:
            try:
                for block in data:
                    p.Parse(block, False)
                p.Parse(b"", True)
            except (DoctypeRefused, expat.ExpatError) as exc:
                raise parse_error(exc, part, self.file, SAVE_AGAIN) from None

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type's last word, target part) for ``part``."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        out: dict[str, tuple[str, str]] = {}
        if not self.has(rels):
            return out

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag.endswith("}Relationship") and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                if target.startswith("/"):
                    full = target.lstrip("/")
                else:
                    full = posixpath.normpath(posixpath.join(folder, target))
                kind = attrs.get("Type", "").rsplit("/", 1)[-1]
                out[attrs.get("Id", "")] = (kind, full)

        self.parse(rels, start)
        return out

    def _open_workbook(self) -> None:
        book = next((t for k, t in self._relationships("").values()
                     if k == "officeDocument" and self.has(t)), "xl/workbook.xml")
        if not self.has(book):
            raise self.damaged("it has no workbook part (is it a Word or other "
                               "Office file?)")
        rels = self._relationships(book)
        self.sheets: list[SheetInfo] = []
        self.date1904 = False

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = tag.rsplit("}", 1)[-1]
            if local == "sheet":
                rid = attrs.get(f"{_REL}}}id") or attrs.get(f"{_STRICT_REL}}}id", "")
                kind, target = rels.get(rid, ("", ""))
                part = target if kind == "worksheet" and self.has(target) else None
                self.sheets.append(SheetInfo(attrs.get("name", ""), part,
                                             attrs.get("state", "visible")))
            elif local == "workbookPr":
                self.date1904 = attrs.get("date1904", "0").lower() in ("1", "true")

        self.parse(book, start)
        by_kind = {kind: target for kind, target in rels.values()}
        self.shared_part = by_kind.get("sharedStrings")
        self.styles_part = by_kind.get("styles")
        if self.shared_part is not None and not self.has(self.shared_part):
            self.shared_part = None
        if self.styles_part is not None and not self.has(self.styles_part):
            self.styles_part = None

    # --- what a sheet needs -----------------------------------------------------

    def epoch(self) -> dt.datetime:
        """Day zero of the workbook's date serials."""
        return dt.datetime(1904, 1, 1) if self.date1904 else dt.datetime(1899, 12, 30)

    def date_styles(self) -> dict[int, bool]:
        """Cell style index -> whether it shows a date (``True``) or a time of
        day (``False``), for the styles whose number format is a date or time."""
        if self.styles_part is None:
            return {}
        custom: dict[int, str] = {}
        formats: list[int] = []
        depth = {"cellXfs": 0}

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = tag.rsplit("}", 1)[-1]
            if local == "numFmt":
                fid = _int(attrs.get("numFmtId"))
                if fid is not None:
                    custom[fid] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                depth["cellXfs"] += 1
            elif local == "xf" and depth["cellXfs"]:
                formats.append(_int(attrs.get("numFmtId")) or 0)

        def end(tag: str) -> None:
            if tag.endswith("}cellXfs"):
                depth["cellXfs"] -= 1

        self.parse(self.styles_part, start, end)
        out: dict[int, bool] = {}
        for index, fmt in enumerate(formats):
            if fmt in _DATE_BUILTIN:
                out[index] = fmt not in _TIME_ONLY_BUILTIN
            elif fmt in custom:
                kind = is_date_format(custom[fmt])
                if kind is not None:
                    out[index] = kind
        return out

    def shared_strings(self) -> list[str]:
        """The shared-strings table (phonetic guides left out)."""
        if self.shared_part is None:
            return []
        out: list[str] = []
        parts: list[str] = []
        depth = {"t": 0, "rph": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            local = name.rsplit(":", 1)[-1]
            if local == "si":
                parts.clear()
            elif local == "t":
                depth["t"] += 1
            elif local == "rPh":
                depth["rph"] += 1

        def end(name: str) -> None:
            local = name.rsplit(":", 1)[-1]
            if local == "si":
                out.append("".join(parts))
            elif local == "t":
                depth["t"] -= 1
            elif local == "rPh":
                depth["rph"] -= 1

        def text(data: str) -> None:
            if depth["t"] > 0 and not depth["rph"]:
                parts.append(data)

        self.parse(self.shared_part, start, end, text,
                   limit_name="max_shared_strings_bytes", namespaces=False)
        return out


def _int(text: Any) -> int | None:
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) < 10:
        return int(text)
    return None
