"""What the user says the columns are: ``--map "Header=field"`` and mapping files.

A mapping file is YAML or a sheet (.xlsx, .xls, .ods, .csv, .tsv) of two columns.
YAML gives ``columns`` (header as written in the data: field id) and/or ``fields``
(field id: header)::

    ruleset: ppmk-ksm
    columns:
      "Rapat 3 bln terakhir": meetings_last_3_months
      "Kelurahan": abaikan
    fields:
      market_access: "Pasar tetap"

A sheet has the header in its first column and the field id in its second (a first
row naming them, ``kolom``/``column`` and ``data``/``field``, is skipped). The field
``abaikan``, ``ignore`` or ``-`` ignores a column on purpose; an empty one is left
to the matcher (a file written by ``kematangan check`` has those for the user to fill
in). A field that is not in the ruleset is an error with a suggestion, and so is a
header that is not in the data (checked once the data's headers are known).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kematangan.criteria.ruleset import Ruleset
from kematangan.criteria.source import read_yaml
from kematangan.errors import InputError, suggest
from kematangan.io.headers import cell_text, header_key
from kematangan.io.limits import DEFAULT_LIMITS
from kematangan.problems import Problem

__all__ = ["IGNORE_WORDS", "UserMapping", "mapping_file_text"]

IGNORE_WORDS = frozenset({"abaikan", "ignore", "-", "none", "tidak dipakai"})
"""Field names that mean "ignore this column"."""

_HEAD_WORDS = frozenset({"kolom", "column", "judul", "header", "judulkolom",
                         "judul kolom"})
_MAX_MAPPING_BYTES = 1 << 20


def _bad(file: str, detail: str) -> InputError:
    return InputError.of(Problem("mapping_bad_file", {"file": file,
                                                      "detail": detail}))


@dataclass(frozen=True)
class UserMapping:
    """Header (as written in the data) to field id, or ``None`` to ignore it.

    Examples
    --------
    >>> m = UserMapping.from_options(["Rapat 3 bln terakhir=meetings_last_3_months",
    ...                               "Kelurahan=abaikan"])
    >>> m.columns
    {'Rapat 3 bln terakhir': 'meetings_last_3_months', 'Kelurahan': None}
    """

    columns: dict[str, str | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.columns)

    @classmethod
    def from_options(cls, values: Iterable[str]) -> UserMapping:
        """Read ``--map`` values, each ``Header=field``.

        Raises
        ------
        InputError
            For a value without ``=``.
        """
        out: dict[str, str | None] = {}
        for value in values:
            header, sep, target = value.rpartition("=")
            if not sep or not header.strip():
                raise InputError.of(Problem("mapping_bad_option", {"text": value}))
            _put(out, header, target)
        return cls(out)

    @classmethod
    def load(cls, path: str | Path) -> UserMapping:
        """Read a mapping file (YAML, or a two-column sheet).

        Raises
        ------
        InputError
            When the file cannot be read or is not a mapping.
        """
        source = Path(path)
        if source.suffix.lower() in (".yaml", ".yml"):
            return cls(_from_yaml(source))
        return cls(_from_sheet(source))

    def updated(self, other: UserMapping) -> UserMapping:
        """This mapping with ``other``'s entries added (``other`` wins)."""
        return UserMapping({**self.columns, **other.columns})

    def check(self, ruleset: Ruleset) -> None:
        """Raise :class:`InputError` when an entry names a field the ruleset does
        not have, or two headers name one field."""
        known = [ruleset.group_id.field, *(f.id for f in ruleset.fields)]
        seen: dict[str, str] = {}
        for header, field_id in self.columns.items():
            if field_id is None:
                continue
            if field_id not in known:
                close = suggest(field_id, known)
                params = {"column": header, "field": field_id}
                raise InputError.of(
                    Problem("mapping_unknown_field_close",
                            {**params, "suggestion": close}) if close else
                    Problem("mapping_unknown_field", params))
            if field_id in seen:
                raise InputError.of(Problem("mapping_field_twice", {
                    "field": field_id, "columns": [seen[field_id], header]}))
            seen[field_id] = header

    def check_columns(self, headers: Sequence[str]) -> None:
        """Raise :class:`InputError` when an entry names a header the data does
        not have (matched ignoring case, spaces and punctuation)."""
        keys = {header_key(h) for h in headers}
        for header in self.columns:
            if header_key(header) not in keys:
                close = suggest(header, [h for h in headers if h])
                raise InputError.of(
                    Problem("mapping_unknown_column_close", {
                        "column": header, "suggestion": close}) if close else
                    Problem("mapping_unknown_column", {
                        "column": header, "headers": [h for h in headers if h]}))


def _put(out: dict[str, str | None], header: Any, target: Any) -> None:
    """Add one entry; an empty target is left to the matcher."""
    text = cell_text(header)
    value = cell_text(target)
    if not text or not value:
        return
    out[text] = None if value.lower() in IGNORE_WORDS else value


def _from_yaml(path: Path) -> dict[str, str | None]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _bad(path.name, exc.strerror or str(exc)) from None
    if len(data) > _MAX_MAPPING_BYTES:
        raise _bad(path.name, f"more than {_MAX_MAPPING_BYTES} bytes")
    found, problems = read_yaml(data, path.name)
    if found is None or problems:
        raise _bad(path.name, "; ".join(p.text("en") for p in problems) or "empty")
    doc = found.data
    if not isinstance(doc, Mapping) or not ({"columns", "fields"} & set(doc)):
        raise _bad(path.name, "it has no 'columns' or 'fields' section")
    out: dict[str, str | None] = {}
    columns, fields = doc.get("columns") or {}, doc.get("fields") or {}
    if not isinstance(columns, Mapping) or not isinstance(fields, Mapping):
        raise _bad(path.name, "'columns' and 'fields' must be mappings")
    for header, target in columns.items():
        _put(out, header, target)
    for field_id, header in fields.items():
        if cell_text(header):
            _put(out, header, field_id)
    return out


def _from_sheet(path: Path) -> dict[str, str | None]:
    from kematangan.io.sources import CsvSource, sniff_encoding
    from kematangan.io.workbook import Workbook

    rows: list[list[Any]] = []
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            encoding, _ = sniff_encoding(path)
            delimiter = "\t" if suffix == ".tsv" else _delimiter(path, encoding)
            rows = [r for _, r in CsvSource(path, encoding, delimiter,
                                            DEFAULT_LIMITS).rows()]
        else:
            with Workbook(path, DEFAULT_LIMITS) as book:
                if not book.sheet_names:
                    raise _bad(path.name, "it has no sheets")
                rows = [r for _, r in book.sheet(book.sheet_names[0]).rows()]
    except InputError:
        raise
    except OSError as exc:
        raise _bad(path.name, exc.strerror or str(exc)) from None
    out: dict[str, str | None] = {}
    for n, row in enumerate(rows):
        cells = [cell_text(v) for v in row[:2]] + ["", ""]
        if n == 0 and cells[0].lower() in _HEAD_WORDS:
            continue
        _put(out, cells[0], cells[1])
    return out


def _delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, errors="replace") as fh:
        head = fh.readline()
    return max((",", ";", "\t"), key=head.count)


def mapping_file_text(ruleset: Ruleset, entries: Sequence[tuple[str, str, str]],
                      missing: Sequence[tuple[str, str]], *, source: str,
                      lang: str = "id") -> str:
    """A YAML mapping file for the user to complete.

    ``entries`` are ``(header, field or "", comment)`` per column, written under
    ``columns``; ``missing`` are ``(field, label)`` of fields without a column,
    written under ``fields`` with an empty header to fill in.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> text = mapping_file_text(load_ruleset("ppmk-ksm"),
    ...                          [("Rapat 3 bln", "", "mirip: meetings_last_3_months")],
    ...                          [], source="rekap.xlsx")
    >>> "columns:" in text and '"Rapat 3 bln": ""' in text
    True
    """
    ignore = "abaikan" if lang == "id" else "ignore"
    if lang == "id":
        head = [f"# Pemetaan kolom {source} untuk ruleset {ruleset.id} "
                f"({ruleset.title.get(lang)})",
                "# Setiap baris: \"judul kolom di berkas\": id data. Isi yang masih "
                "kosong;",
                f"# tulis {ignore} untuk kolom yang bukan data ruleset. Pakai dengan:",
                f"#   kematangan score {source} -r {ruleset.id} --mapping BERKAS_INI"]
    else:
        head = [f"# Column mapping of {source} for ruleset {ruleset.id} "
                f"({ruleset.title.get(lang)})",
                "# Each line: \"header in the file\": field id. Fill in the empty "
                "ones;",
                f"# write {ignore} for a column that is not ruleset data. Use it with:",
                f"#   kematangan score {source} -r {ruleset.id} --mapping THIS_FILE"]
    lines = [*head, f"ruleset: {ruleset.id}"]
    if entries:
        lines.append("columns:")
        for header, field_id, comment in entries:
            value = ignore if field_id == "-" else field_id
            note = f"  # {comment}" if comment else ""
            lines.append(f"  {json.dumps(header, ensure_ascii=False)}: "
                         f"{json.dumps(value, ensure_ascii=False)}{note}")
    if missing:
        lines.append("fields:")
        for field_id, label in missing:
            lines.append(f"  {field_id}: \"\"  # {label}")
    return "\n".join(lines) + "\n"
