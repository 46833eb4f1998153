"""An XML parser that is safe on hostile input: expat with document types refused.

Spreadsheet XML never needs a document type declaration, and a declaration is what
entity expansion bombs ("billion laughs") and external entities (reading local files
or URLs) need, so any ``<!DOCTYPE`` ends parsing with an error. Without one, the only
entities are the five predefined ones and character references. Parsing is
incremental: a part is fed to the parser in blocks, so memory does not grow with its
size, and the number of bytes fed is counted against a limit.

Examples
--------
>>> import io
>>> seen = []
>>> p = parser()
>>> p.StartElementHandler = lambda name, attrs: seen.append(name)
>>> for block in blocks(io.BytesIO(b"<a><b/></a>"), 100, "x.xml", "max_unzipped_bytes"):
...     _ = p.Parse(block, False)
>>> seen
['a', 'b']
>>> parser().Parse(b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', True)
Traceback (most recent call last):
    ...
kematangan.io.xmlsafe.DoctypeRefused: a document type declaration
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, NoReturn
from xml.parsers import expat

from kematangan.errors import InputError
from kematangan.io.limits import DEFAULT_LIMITS, Limits, limit_error

__all__ = ["BLOCK_BYTES", "DoctypeRefused", "blocks", "parse_error", "parser"]

BLOCK_BYTES = 1 << 20
"""Bytes fed to the parser at a time."""


class DoctypeRefused(Exception):
    """Raised from inside the parser when a document type declaration starts."""

    def __init__(self) -> None:
        super().__init__("a document type declaration")


def _refuse(*_: object) -> NoReturn:
    raise DoctypeRefused


def parser(namespaces: bool = False) -> expat.XMLParserType:
    """A new expat parser that refuses document types and external entities.

    With ``namespaces``, element and attribute names are ``uri}local``; without,
    they are as written (``x:c``), which is faster.
    """
    p = expat.ParserCreate(namespace_separator="}" if namespaces else None)
    p.StartDoctypeDeclHandler = _refuse
    p.EntityDeclHandler = _refuse
    p.ExternalEntityRefHandler = _refuse
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.buffer_text = True
    return p


def blocks(stream: IO[bytes], limit: int, part: str, limit_name: str,
           limits: Limits = DEFAULT_LIMITS) -> Iterator[bytes]:
    """The bytes of ``stream`` in blocks; an error once more than ``limit`` bytes
    (limit ``limit_name``) have been read."""
    total = 0
    while block := stream.read(BLOCK_BYTES):
        total += len(block)
        if total > limit:
            raise limit_error(limits, limit_name,
                              f"part {part} (more than {limit:,} bytes uncompressed)")
        yield block


def parse_error(exc: Exception, part: str, file: str, fix: str) -> InputError:
    """The error for a part that is not well-formed XML (or declares a document
    type)."""
    if isinstance(exc, DoctypeRefused):
        return InputError(
            f"{file!r}: part {part} declares an XML document type, which spreadsheet "
            "files never need and which can hide entity bombs; it is not read",
            fix=fix,
        )
    where = ""
    if isinstance(exc, expat.ExpatError):
        where = f" at line {exc.lineno}, column {exc.offset + 1}"
        detail = expat.ErrorString(exc.code)
    else:
        detail = str(exc)
    return InputError(f"{file!r}: part {part} is not well-formed XML{where} "
                      f"({detail})", fix=fix)
