"""Read .xls, .xlsb and .ods workbooks with python-calamine in a helper process.

python-calamine (Rust) allocates a sheet's whole grid, and the size of that grid, the
shared-strings table and other tables comes from numbers the file declares. A file of
a few hundred bytes can declare a grid of billions of cells, and when an allocation
fails Rust aborts the process: a program that imported kematangan would die with it.
These formats cannot be checked soundly without reading them as calamine does, so
calamine reads them in a separate process (:mod:`~kematangan.io.calamine_child`)
whose memory is capped at :attr:`~kematangan.io.limits.Limits.reader_memory_bytes`
and whose time is capped at :attr:`~kematangan.io.limits.Limits.reader_seconds`.
If it dies, the reader raises an :class:`~kematangan.errors.InputError`; the
program reading the file goes on. (.xlsx is read without calamine: see
:mod:`~kematangan.io.xlsxstream`.)

Rows come back as JSON lines, only the cells that hold a value, so a sparse sheet
costs what its values cost.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kematangan.errors import InputError
from kematangan.io.cells import SourceIssue, extra_cells, too_long
from kematangan.io.limits import Limits, limit_error
from kematangan.io.xlsxpackage import SAVE_AGAIN, SheetInfo

__all__ = ["SandboxBook", "SandboxSheet"]

_CHILD = Path(__file__).with_name("calamine_child.py")


def _decode(obj: dict[str, Any]) -> Any:
    if "date" in obj:
        return dt.date.fromisoformat(obj["date"])
    if "datetime" in obj:
        return dt.datetime.fromisoformat(obj["datetime"])
    if "time" in obj:
        return dt.time.fromisoformat(obj["time"])
    if "seconds" in obj:
        return dt.timedelta(seconds=obj["seconds"])
    if "long" in obj:
        return _Long(obj["long"][0], obj["long"][1])
    return obj


class _Long:
    """A text cell the helper cut to ``max_cell_chars``."""

    def __init__(self, text: str, size: int) -> None:
        self.text = text
        self.size = size


class _Child:
    """One run of the helper process, killed when its time is up."""

    def __init__(self, path: Path, request: dict[str, Any], limits: Limits) -> None:
        self.limits = limits
        self.file = path.name
        self.stderr: IO[bytes] = tempfile.TemporaryFile()
        request = {"memory": limits.reader_memory_bytes,
                   "max_cell_chars": limits.max_cell_chars, **request}
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", str(_CHILD), str(path), json.dumps(request)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.stderr,
            )
        except (OSError, ValueError, subprocess.SubprocessError) as exc:
            self.stderr.close()
            raise InputError(
                f"reading {self.file!r} needs a helper process, which could not start "
                f"({exc})", fix="save the workbook as .xlsx or .csv and read that",
            ) from None
        self.timed_out = False
        self.timer = threading.Timer(limits.reader_seconds, self._kill)
        self.timer.daemon = True
        self.timer.start()

    def _kill(self) -> None:
        self.timed_out = True
        self.proc.kill()

    def lines(self) -> Iterator[Any]:
        """The decoded lines the helper writes, until it ends or fails."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                item = json.loads(line, object_hook=_decode)
            except ValueError:
                break
            if isinstance(item, dict) and "error" in item:
                self.close()
                raise self._error(item)
            yield item
            if isinstance(item, dict) and item.get("end") is True:
                return
        self.close()
        raise self._died()

    def close(self) -> None:
        """Stop the helper (if it still runs) and free what it holds."""
        self.timer.cancel()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.stderr.close()

    def _error(self, item: dict[str, Any]) -> InputError:
        kind, detail = item.get("error"), str(item.get("detail", ""))
        if kind == "password":
            return InputError(
                f"{self.file!r} is password-protected, so it cannot be read",
                fix="open it in Excel, remove the password (File > Info > Protect "
                "Workbook > Encrypt with Password, then clear it), and save a copy")
        if kind == "missing":
            return InputError(f"reading {self.file!r} needs python-calamine: {detail}",
                              fix="pip install python-calamine")
        if kind == "memory":
            return self._memory()
        return InputError(
            f"cannot read {self.file!r} as a spreadsheet: the file is damaged or is "
            f"not a workbook ({detail})", fix=SAVE_AGAIN)

    def _memory(self) -> InputError:
        return limit_error(self.limits, "reader_memory_bytes",
                           f"reading {self.file!r} needed memory that")

    def _died(self) -> InputError:
        code = self.proc.returncode
        if self.timed_out:
            return limit_error(self.limits, "reader_seconds",
                               f"reading {self.file!r} took time that")
        if code is not None and code < 0:
            # Out of memory ends a Rust allocation in abort (SIGABRT) and a Python
            # one in SIGKILL or SIGSEGV: each means the cap was reached or the
            # file made the reader fail.
            return InputError(
                f"reading {self.file!r} stopped the spreadsheet reader (signal "
                f"{-code}): the file is damaged, or it declares a grid or table "
                f"larger than the limit reader_memory_bytes = "
                f"{self.limits.reader_memory_bytes:,} allows",
                fix="save the workbook as .xlsx or .csv and read that; if it is "
                "right and very large, raise the limit: --limit reader_memory_bytes="
                "... (limits=Limits(reader_memory_bytes=...) in Python)")
        return InputError(
            f"the spreadsheet reader stopped while reading {self.file!r} (exit code "
            f"{code})", fix=SAVE_AGAIN)


class SandboxBook:
    """A workbook read by calamine in a helper process: :attr:`sheets` lists its
    sheets, :meth:`sheet` opens one for reading."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        child = _Child(path, {}, limits)
        try:
            first = next(child.lines())
        finally:
            child.close()
        self.sheets = [SheetInfo(str(name), str(name) if worksheet else None,
                                 str(state))
                       for name, state, worksheet in first["sheets"]]

    def sheet(self, info: SheetInfo) -> SandboxSheet:
        """One sheet, ready to stream."""
        return SandboxSheet(self, info)


class SandboxSheet:
    """The rows of one sheet read by the helper. Like
    :class:`~kematangan.io.xlsxstream.XlsxSheet`, problems of a row go to
    :attr:`issues` before the row is yielded, and :attr:`width` stops rows from
    being widened by stray cells far to the right."""

    def __init__(self, book: SandboxBook, info: SheetInfo) -> None:
        self.book = book
        self.info = info
        self.limits = book.limits
        self.issues: list[SourceIssue] = []
        self.width: int | None = None

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Every row from row 1; rows without values are empty lists."""
        if self.info.part is None:
            return
        path = self.book.path
        child = _Child(path, {"sheet": self.info.name}, self.limits)
        last = 0
        max_gap = self.limits.max_row_gap
        try:
            for item in child.lines():
                if isinstance(item, dict):
                    break
                number, cells = item
                if number - last - 1 > max_gap:
                    raise limit_error(
                        self.limits, "max_row_gap",
                        f"sheet {self.info.name!r} of {path.name!r} has "
                        f"{number - last - 1:,} empty rows before row {number:,}, "
                        "which")
                for missing in range(last + 1, number):
                    yield missing, []
                yield number, self._row(number, cells)
                last = number
        finally:
            child.close()

    def _row(self, number: int, cells: list[list[Any]]) -> list[Any]:
        limit = self.width or self.limits.max_columns
        row: list[Any] = []
        for col, value in cells:
            if col >= limit:
                self.issues.append(extra_cells(number, col, self.width,
                                               self.limits.max_columns))
                break
            if isinstance(value, _Long):
                self.issues.append(too_long(number, col, value.size,
                                            self.limits.max_cell_chars))
                value = value.text
            if col > len(row):
                row.extend([""] * (col - len(row)))
            row.append(value)
        return row
