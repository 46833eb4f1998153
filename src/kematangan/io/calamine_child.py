"""The helper process that reads an .xls, .xlsb or .ods workbook with python-calamine.

It is run as a script (``python -I calamine_child.py FILE REQUEST``), never imported
by the reader, and imports nothing from kematangan, so it starts fast. Its memory is
capped before python-calamine is loaded: a workbook that makes calamine allocate
too much kills this process, not the program reading the file
(see :mod:`~kematangan.io.sandbox`).

``REQUEST`` is JSON: ``{"memory": BYTES, "max_cell_chars": N}`` plus either
``"sheet": NAME`` (stream that sheet) or nothing (describe the workbook). Output is
one JSON document per line: ``{"sheets": [[name, state, is_worksheet], ...]}`` for a
description; ``[row, [[column, value], ...]]`` for each row that has a value (1-based
rows, 0-based columns), then ``{"end": true}``; or ``{"error": KIND, "detail": TEXT}``.
Values that JSON has no type for are objects: ``{"date": ISO}``, ``{"datetime": ISO}``,
``{"time": ISO}``, ``{"seconds": N}``, and ``{"long": [TEXT, LENGTH]}`` for text cut
to ``max_cell_chars``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # not on Windows: the process is still apart
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


def _encoder(max_chars: int) -> Any:
    def cell(v: Any) -> Any:
        if isinstance(v, str):
            return {"long": [v[:max_chars], len(v)]} if len(v) > max_chars else v
        if isinstance(v, dt.datetime):
            return {"datetime": v.isoformat()}
        if isinstance(v, dt.date):
            return {"date": v.isoformat()}
        if isinstance(v, dt.time):
            return {"time": v.isoformat()}
        if isinstance(v, dt.timedelta):
            return {"seconds": v.total_seconds()}
        return v
    return cell


def _state(meta: Any, pc: Any) -> str:
    visible = meta.visible
    if visible == pc.SheetVisibleEnum.Visible:
        return "visible"
    if visible == pc.SheetVisibleEnum.Hidden:
        return "hidden"
    return "veryHidden"


def _open(path: str, pc: Any) -> Any:
    try:
        return pc.CalamineWorkbook.from_path(path)
    except pc.PasswordError:
        raise
    except (pc.CalamineError, OSError, ValueError):
        with open(path, "rb") as fh:  # a workbook whose suffix hides its format
            return pc.CalamineWorkbook.from_filelike(fh)


def main(argv: list[str]) -> int:
    """Answer one request (see the module docstring); the exit code is 0."""
    path, request = argv[0], json.loads(argv[1])
    _limit_memory(int(request["memory"]))
    out = sys.stdout
    try:
        import python_calamine as pc
    except ImportError as exc:
        out.write(json.dumps({"error": "missing", "detail": str(exc)}) + "\n")
        return 0
    try:
        book = _open(path, pc)
        if "sheet" not in request:
            sheets = [[m.name, _state(m, pc), m.typ == pc.SheetTypeEnum.WorkSheet]
                      for m in book.sheets_metadata]
            out.write(json.dumps({"sheets": sheets}) + "\n")
            return 0
        sheet = book.get_sheet_by_name(request["sheet"])
        start = sheet.start
        first = start[1] if start is not None else 0
        cell = _encoder(int(request["max_cell_chars"]))
        dumps = json.JSONEncoder(default=None, allow_nan=True).encode
        for index, row in enumerate(sheet.iter_rows(), start=1):
            cells = [[first + j, cell(v)] for j, v in enumerate(row) if v != ""]
            if cells:
                out.write(dumps([index, cells]) + "\n")
        out.write('{"end": true}\n')
    except pc.PasswordError as exc:
        out.write(json.dumps({"error": "password", "detail": str(exc)}) + "\n")
    except MemoryError:
        out.write(json.dumps({"error": "memory", "detail": ""}) + "\n")
    except Exception as exc:
        out.write(json.dumps({"error": "damaged",
                              "detail": f"{type(exc).__name__}: {exc}"[:500]}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
