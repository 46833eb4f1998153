"""Model files on disk: written as plain JSON, read within limits.

Reading a model file refuses, before parsing, anything that is not a regular file,
larger than ``max_bytes`` (default :data:`MAX_MODEL_BYTES`), not UTF-8, or JSON
nested deeper than :data:`MAX_DEPTH`; then it parses the JSON, refusing an object
with a key given twice. Each failure is a :class:`~kematangan.errors.ModelError`
naming the file. What the JSON must hold is checked afterwards, field by field
(:mod:`kematangan.model.schema`).
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import numpy as np

from kematangan.errors import ModelError
from kematangan.problems import Problem

__all__ = ["MAX_DEPTH", "MAX_MODEL_BYTES", "json_depth", "read_model_file",
           "write_model_file"]

MAX_MODEL_BYTES = 8 * 1024 * 1024
"""The largest model file read by default (8 MiB). A model's size grows with its
features and, for isotonic calibration, its thresholds: a model of the ``ppmk-ksm``
ruleset is about 9 kB, an isotonic one fitted on 20,000 groups 13 kB."""

MAX_DEPTH = 32
"""The deepest JSON nesting read. A model file is 3 levels deep."""

# Escapes first (so that an escaped quote cannot end a string), then strings, so
# the brackets left are structural. Neither pattern can backtrack: each is one
# loop over characters it cannot give back.
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_STRING = re.compile(rb'"[^"]*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_CHUNK = 1 << 16


def write_model_file(document: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write a model document as JSON (refusing NaN and infinity); return the path.

    Examples
    --------
    >>> import tempfile
    >>> path = write_model_file({"format": "kematangan-model"},
    ...                         Path(tempfile.mkdtemp()) / "m.json")
    >>> read_model_file(path)
    {'format': 'kematangan-model'}
    """
    out = Path(path)
    out.write_text(json.dumps(document, indent=1, allow_nan=False) + "\n",
                   encoding="utf-8")
    return out


def read_model_file(path: str | os.PathLike[str], *,
                    max_bytes: int = MAX_MODEL_BYTES) -> Any:
    """The parsed JSON of a model file, read within the limits above.

    Raises
    ------
    ModelError
        When the file cannot be read, is too large, is not UTF-8, is nested too
        deeply or is not JSON (with the line and column).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "m.json"
    >>> _ = path.write_text('{"coef": [1, 2,', encoding="utf-8")
    >>> read_model_file(path)
    Traceback (most recent call last):
    ...
    kematangan.errors.ModelError: ...m.json: not valid JSON: Expecting value (line 1, column 16) (fix: the file is damaged or cut short: fit the model again with 'kematangan model fit' and do not edit the file)
    """
    source = str(path)

    def fail(code: str, **params: Any) -> ModelError:
        return ModelError([Problem(code, params, file=source)])

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise fail("model_not_a_file")
        if info.st_size > max_bytes:
            raise fail("model_file_too_large", size=info.st_size, limit=max_bytes)
        with open(path, "rb") as fp:
            raw = fp.read(max_bytes + 1)
    except OSError as err:
        raise fail("model_unreadable", reason=err.strerror or str(err)) from err
    if len(raw) > max_bytes:  # the file grew since stat
        raise fail("model_file_too_large", size=len(raw), limit=max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail("model_not_utf8") from err
    # JSON cannot nest deeper than it has opening brackets: most files need no scan.
    if (raw.count(b"[") + raw.count(b"{") > MAX_DEPTH
            and json_depth(raw) > MAX_DEPTH):
        raise fail("model_too_deep", limit=MAX_DEPTH)
    try:
        return json.loads(text, object_pairs_hook=_object, parse_int=_int)
    except _DuplicateKeyError as err:
        raise fail("model_duplicate_key", key=err.key) from err
    except json.JSONDecodeError as err:
        raise fail("model_invalid_json", reason=err.msg, line=err.lineno,
                   column=err.colno) from err


def json_depth(raw: bytes) -> int:
    """How deeply the brackets of JSON text nest, in time linear in its length.

    It counts ``[``/``{`` and ``]``/``}`` outside strings, so it is exact for valid
    JSON and, for invalid JSON, at least as deep as a parser gets before failing.

    Examples
    --------
    >>> json_depth(b'{"a": [[1], "]]]"], "b": "\\\\"[["}')
    3
    """
    brackets = _STRING.sub(b"", _ESCAPE.sub(b"", raw)).translate(None, _NOT_BRACKETS)
    steps = np.frombuffer(brackets, dtype=np.uint8)
    level = deepest = 0
    for start in range(0, len(steps), _CHUNK):
        part = steps[start:start + _CHUNK]
        levels = level + np.cumsum(np.where((part == ord("[")) | (part == ord("{")),
                                            1, -1))
        deepest = max(deepest, int(levels.max()))
        level = int(levels[-1])
    return deepest


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return out


def _int(text: str) -> int | float:
    # Python refuses to convert integers of more than 4,300 digits (a ValueError
    # in the middle of parsing); no model number has 20, and as a float such an
    # integer is infinite, which the field checks then name.
    return int(text) if len(text) <= 20 else float(text)
