"""How many rows an input holds, when that is known without reading it: for a
progress bar's total.

Parquet files say it in their footers; an .xlsx sheet may say how far it reaches in
its ``<dimension>`` element, near the start of the sheet. CSV, JSON and the other
workbooks say nothing short of reading them whole, so their count is ``None``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kematangan.errors import KematanganError
from kematangan.io.limits import DEFAULT_LIMITS, Limits
from kematangan.io.parquet_dataset import is_dataset, open_parquet
from kematangan.io.sources import detect_kind

__all__ = ["count_rows"]

_HEAD_BYTES = 64 << 10
"""How much of a sheet's XML is searched for its dimension (it comes before the
cells; formatting can put a few kilobytes before it)."""

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]{1,3}(\d+)"
                        rb"(?::[A-Z]{1,3}(\d+))?\"")


def count_rows(source: str | os.PathLike[str], *, sheet: str | int | None = None,
               limits: Limits | None = None) -> int | None:
    """The rows of ``source`` as its metadata states them, or ``None`` when that
    would take reading the file.

    For Parquet, the rows of the file (from its footer), or of every file of a
    folder or glob. For .xlsx, the last row of
    the sheet's declared dimension (header and title rows included, so at most a few
    more than the rows read), for sheet ``sheet`` or, without one, the workbook's
    only sheet. Never raises for a file that cannot be counted: the reader reports
    what is wrong with it.

    Examples
    --------
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> folder = getfixture("tmp_path")
    >>> pq.write_table(pa.table({"members": [3, 9, 12]}), folder / "ksm.parquet")
    >>> count_rows(folder / "ksm.parquet")
    3
    >>> _ = (folder / "ksm.csv").write_text("members\\n3\\n9\\n")
    >>> count_rows(folder / "ksm.csv") is None
    True
    """
    path = Path(source)
    try:
        kind = "parquet" if is_dataset(path) else detect_kind(path,
                                                                limits or DEFAULT_LIMITS)
        if kind == "parquet":  # a file, or a folder or glob of them: their footers
            return open_parquet(path).num_rows
        if kind == "workbook":
            return _sheet_rows(path, sheet, limits or DEFAULT_LIMITS)
    except (KematanganError, OSError, ValueError, ImportError):
        return None
    return None


def _sheet_rows(path: Path, sheet: str | int | None, limits: Limits) -> int | None:
    from kematangan.io.xlsxpackage import Package, zip_kind

    if zip_kind(path, limits) != "xlsx":
        return None
    with Package(path, limits) as package:
        sheets = [s for s in package.sheets if s.part is not None]
        if sheet is None:
            chosen = sheets[0] if len(sheets) == 1 else None
        elif isinstance(sheet, int):
            chosen = sheets[sheet] if -len(sheets) <= sheet < len(sheets) else None
        else:
            chosen = next((s for s in sheets if s.name == sheet), None)
        if chosen is None or chosen.part is None:
            return None
        head = b""
        with package.open(chosen.part) as blocks:
            for block in blocks:
                head += block
                if len(head) >= _HEAD_BYTES or b"<sheetData" in head:
                    break
    found = _DIMENSION.search(head)
    if found is None:
        return None
    return int(found.group(2) or found.group(1))
