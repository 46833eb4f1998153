"""Open a workbook of any kind (.xlsx, .xlsm, .xls, .xlsb, .ods) and stream its sheets.

.xlsx and .xlsm are read by :mod:`~kematangan.io.xlsxstream` (expat, in this
process, bounded memory); .xls, .xlsb and .ods by python-calamine in a helper process
(:mod:`~kematangan.io.sandbox`), so no workbook can crash the program reading it.
The format is told by the file's content, whatever its suffix. Whatever goes wrong
opening a file becomes one :class:`~kematangan.errors.InputError` that says what to
do.
"""

from __future__ import annotations

from pathlib import Path

from kematangan.errors import InputError, suggest
from kematangan.io.limits import Limits
from kematangan.io.sandbox import SandboxBook, SandboxSheet
from kematangan.io.xlsxpackage import Package, SheetInfo, zip_kind
from kematangan.io.xlsxstream import XlsxSheet

__all__ = ["OLE_MAGIC", "ZIP_MAGIC", "Workbook"]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_SNIFF_BYTES = 1 << 20
_ORDER = {"visible": 0, "hidden": 1, "veryHidden": 2}


def password_error(path: Path) -> InputError:
    """The error for an encrypted workbook."""
    return InputError(
        f"{path.name!r} is password-protected, so it cannot be read",
        fix="open it in Excel, remove the password (File > Info > Protect Workbook > "
        "Encrypt with Password, then clear it), and save a copy",
    )


class Workbook:
    """An open workbook. Use as a context manager.

    :attr:`sheet_names` are in workbook order; :attr:`search_order` puts visible
    sheets first, then hidden, then very hidden ones. :meth:`sheet` opens one sheet
    for streaming.
    """

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self._package: Package | None = None
        self._sandbox: SandboxBook | None = None
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
        if head.startswith(OLE_MAGIC) and _ENCRYPTED_MARK in head:
            raise password_error(path)
        if head.startswith(ZIP_MAGIC) and zip_kind(path, limits) == "xlsx":
            self._package = Package(path, limits)
            sheets = self._package.sheets
        else:
            self._sandbox = SandboxBook(path, limits)
            sheets = self._sandbox.sheets
        self._sheets = {s.name: s for s in sheets}
        self.sheet_names: list[str] = [s.name for s in sheets]
        self.search_order: list[str] = [
            s.name for s in sorted(sheets, key=lambda s: _ORDER.get(s.state, 2))]

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._package is not None:
            self._package.close()

    def state(self, name: str) -> str:
        """``visible``, ``hidden`` or ``veryHidden``."""
        return self._sheets[name].state

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

    def sheet(self, name: str) -> XlsxSheet | SandboxSheet:
        """Sheet ``name``, ready to stream with ``.rows()``."""
        info: SheetInfo = self._sheets[name]
        if self._package is not None:
            return XlsxSheet(self._package, info)
        assert self._sandbox is not None
        return self._sandbox.sheet(info)
