"""Rows below the headers that are not groups, and how they are told apart.

District recap sheets carry more than groups: a row numbering the columns
``(1) (2) (3)``, blank rows, a ``JUMLAH`` or ``RATA-RATA`` row, the header repeated
on each printed page, the template's example row, and under the table a place and
date, ``Mengetahui,``, titles and signature names. Each such row is recognised by
:class:`RowSorter`, is not scored, and still comes out, in order, with why
(:class:`SkippedRows`, texts ``row_*`` in :mod:`kematangan.catalogue.reader`).

The rules, in order (the first that fits):

* **blank**: every cell is empty;
* **header**: three or more of the header row's texts, and they are most of the
  row (the header repeated after a page break, or the merged row above it);
* **numbering**: three or more cells, most of the row, each a small number
  (``1``, ``(2)``, ``[3]``), increasing from left to right;
* **total**: the first text of the row starts with JUMLAH, TOTAL, SUB TOTAL,
  RATA-RATA, RATA2, AVERAGE or GRAND TOTAL, followed by nothing or by a place
  (``Jumlah Kel. Sukamaju``, ``TOTAL KSM``);
* **example**: the group id is the template's example (``CONTOH-01``, ``EXAMPLE-01``);
* **footer**: a row of at most four texts, one of them a footer mark (a place and a
  date ``Sukamaju, 30 September 2024``, ``Mengetahui``, ``Menyetujui``,
  ``Dibuat oleh``, ``Ttd``, ``NIP``, a name or dots in brackets, ``Keterangan:``),
  and every row after it that does not look like a group (a group id and values in
  at least a third of the field columns, or two of them).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.catalogue import render

__all__ = ["RowSorter", "SkippedRows"]

_TOTAL = re.compile(r"(sub[\s-]*)?(jumlah|total|rata[\s-]*rata|rata2|average|"
                    r"mean|grand\s*total)\b", re.IGNORECASE)
_TOTAL_WORDS = frozenset({
    "keseluruhan", "seluruh", "seluruhnya", "akhir", "umum", "semua", "all", "ksm",
    "kub", "kelompok", "group", "groups", "poktan", "nilai", "skor"})
_PLACE_WORDS = frozenset({"kel", "kec", "kelurahan", "kecamatan", "desa", "kab",
                          "kabupaten", "kota", "rw", "bkm", "lkm", "wilayah"})
_NUMBERING = re.compile(r"[(\[]?\s?(\d{1,6})\s?[)\]]?\.?")
_MONTHS = (r"(?:januari|februari|pebruari|maret|april|mei|juni|juli|agustus|"
           r"september|oktober|nopember|november|desember|jan|feb|mar|apr|jun|"
           r"jul|agu|ags|sep|sept|okt|nov|nop|des)\.?")
_FOOTER = re.compile(
    r"(mengetahui|menyetujui|disetujui|dibuat\s+oleh|disusun\s+oleh|"
    r"diperiksa\s+oleh|dilaporkan\s+oleh|pelapor|ttd\.?|t\.t\.d|tanda\s+tangan|"
    r"nip\b|nik\b|nrp\b|keterangan\s*:|ket\s*[:.]|catatan\s*:|sumber\s*:|"
    r"note\s*:)", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r"[A-Za-z][A-Za-z .'-]{1,40},\s*(?:\d{1,2}\s+" + _MONTHS + r"\s+\d{4}|"
    + _MONTHS + r"\s+\d{4}|[.…_][.…_ ]*\d{4}|\d{1,2}\s+[.…_][.…_ ]*\d{4}|"
    r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\s*", re.IGNORECASE)
_SIGNATURE = re.compile(r"\([A-Za-z .,'…_-]*\)|[.…_]{5,}")
_MARK_CHARS = 120
"""Only texts this short can be a totals, numbering or footer mark (and no
pattern is ever run on a long cell)."""
_EXAMPLE_IDS = frozenset({"contoh01", "example01", "contoh", "example"})
_FOOTER_TEXTS = 4


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_NOT_KEY = re.compile(r"[^0-9a-z]+")
_TOTAL_STARTS = frozenset({"su", "ju", "to", "ra", "av", "me", "gr"})
"""How the words a totals mark starts with begin (:data:`_TOTAL`)."""
_FOOTER_STARTS = frozenset({"me", "di", "pe", "tt", "t.", "ta", "ni", "nr", "no",
                            "ke", "ca", "su"})
"""How the words of :data:`_FOOTER` begin."""


def _key(text: str) -> str:
    return _NOT_KEY.sub("", text.lower())


def _cannot_start(text: str, starts: frozenset[str]) -> bool:
    """Whether ``text`` surely does not begin with one of ``starts`` (two letters)
    under case-insensitive matching: its first two letters are ASCII and none of
    them (a letter outside ASCII may fold onto one, so it is left to the
    pattern)."""
    head = text[:2]
    return len(head) == 2 and head.isascii() and head.lower() not in starts


@dataclass(frozen=True)
class SkippedRows:
    """Rows that are not groups: their numbers, why (a ``row_*`` code and its
    parameters), and their cells by column name."""

    numbers: npt.NDArray[np.int64]
    codes: tuple[str, ...]
    params: tuple[dict[str, Any], ...]
    cells: dict[str, npt.NDArray[np.object_]]

    @classmethod
    def none(cls) -> SkippedRows:
        """No rows skipped."""
        return cls(np.zeros(0, dtype=np.int64), (), (), {})

    def __len__(self) -> int:
        return int(self.numbers.shape[0])

    def why(self, i: int, lang: str = "id") -> str:
        """Why row ``i`` (0-based among the skipped) is not a group, in ``lang``."""
        return render(self.codes[i], self.params[i], lang)[0]

    def counts(self) -> dict[str, int]:
        """How many rows of each kind, in order of first appearance."""
        out: dict[str, int] = {}
        for code in self.codes:
            out[code] = out.get(code, 0) + 1
        return out

    @classmethod
    def concat(cls, parts: Sequence[SkippedRows]) -> SkippedRows:
        """The skipped rows of consecutive chunks, in order."""
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls.none()
        if len(parts) == 1:
            return parts[0]
        names: list[str] = []
        for p in parts:
            names.extend(n for n in p.cells if n not in names)
        cells = {}
        for name in names:
            pieces = [p.cells[name] if name in p.cells
                      else np.full(len(p), None, dtype=object) for p in parts]
            cells[name] = np.concatenate(pieces)
        return cls(np.concatenate([p.numbers for p in parts]),
                   tuple(c for p in parts for c in p.codes),
                   tuple(x for p in parts for x in p.params), cells)


class RowSorter:
    """Tells group rows from the rows that are not groups, row by row, in order
    (a footer, once seen, goes on to the end unless a group row follows).

    ``names`` are the table's column names and ``fields`` the field each feeds
    (``group`` is the group-id field); ``header`` the header row's texts.

    Examples
    --------
    >>> s = RowSorter(["No", "Nama KSM", "Anggota", "Rapat"],
    ...               [None, "group_id", "members", "meetings"], "group_id",
    ...               ["No", "Nama KSM", "Anggota", "Rapat"])
    >>> [s.sort(r) for r in [["(1)", "(2)", "(3)", "(4)"], [1, "KSM Mawar", 12, 3],
    ...  [None, "JUMLAH", 12, 3], [None, "Sukamaju, 30 September 2024"],
    ...  [None, "Ketua BKM", None, "Fasilitator"], [None, "( Budi )"]]]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('row_numbering', {'text': '(1) (2) (3) (4)'}), None,
     ('row_total', {'text': 'JUMLAH'}),
     ('row_footer', {'text': 'Sukamaju, 30 September 2024'}),
     ('row_footer', {'text': 'Ketua BKM'}), ('row_footer', {'text': '( Budi )'})]
    """

    def __init__(self, names: Sequence[str], fields: Sequence[str | None],
                 group: str, header: Sequence[Any]) -> None:
        self.width = len(names)
        self.group_at = next((j for j, f in enumerate(fields) if f == group), None)
        self.field_at = [j for j, f in enumerate(fields)
                         if f is not None and f != group]
        self.header_keys = {_key(_text(h)) for h in header} - {""}
        self.group_header = (_key(_text(header[self.group_at]))
                             if self.group_at is not None and self.group_at < len(
                                 header) else "")
        self.in_footer = False

    def _plain_group(self, row: Sequence[Any]) -> bool:
        """Whether ``row`` is surely a group, seen from its first cells only (most
        rows are): a group id that is no mark, and nothing but numbers left of it.
        A header repeated on a later page has the header's text in the group-id
        column, a totals row its word there or left of it, a numbering row a
        number, the template's example its id."""
        at = self.group_at
        if at is None or at >= len(row) or self.in_footer:
            return False
        gid = _text(row[at])
        if not gid or len(gid) > _MARK_CHARS or _is_number(gid) or _is_total(gid) \
                or _is_footer_mark(gid):
            return False
        key = _key(gid)
        if key == self.group_header or key in _EXAMPLE_IDS:
            return False
        return all(not t or _is_number(t) for t in map(_text, row[:at]))

    def sort(self, row: Sequence[Any]) -> tuple[str, dict[str, Any]] | None:
        """``(code, params)`` when ``row`` is not a group, else ``None``."""
        if self._plain_group(row):
            return None
        texts = [_text(v) for v in row]
        filled = [t for t in texts if t]
        if not filled:
            return "row_blank", {}
        if self.header_keys and len(filled) >= 2:
            same = sum(_key(t) in self.header_keys for t in filled)
            if same >= min(3, len(self.header_keys)) and same * 2 >= len(filled):
                self.in_footer = False
                return "row_header", {"text": " | ".join(filled[:3])}
        numbering = self._numbering(texts)
        if numbering:
            return "row_numbering", {"text": numbering}
        first = next((t for t in filled if not _is_number(t)), "")
        if _is_total(first):
            return "row_total", {"text": first[:60]}
        if self.group_at is not None and self.group_at < len(texts) and \
                _key(texts[self.group_at]) in _EXAMPLE_IDS:
            return "row_example", {"text": texts[self.group_at]}
        if self.in_footer and not self._looks_like_group(texts):
            return "row_footer", {"text": filled[0][:60]}
        if len(filled) <= _FOOTER_TEXTS and any(_is_footer_mark(t) for t in filled):
            self.in_footer = True
            return "row_footer", {"text": filled[0][:60]}
        self.in_footer = False
        return None

    def _numbering(self, texts: list[str]) -> str:
        numbers: list[tuple[int, int]] = []
        bracketed = 0
        for j, t in enumerate(texts):
            if not t:
                continue
            m = _NUMBERING.fullmatch(t) if len(t) <= 9 else None
            if m is None:
                return ""
            numbers.append((j, int(m.group(1))))
            bracketed += t[0] in "(["
        if len(numbers) < 3 or len(numbers) * 2 < self.width:
            return ""
        steps = list(itertools.pairwise(numbers))
        if not all(b > a for (_, a), (_, b) in steps):
            return ""
        in_step = all(b - a == q - p for (p, a), (q, b) in steps)
        if not in_step and bracketed < len(numbers):
            return ""
        shown = " ".join(texts[j] for j, _ in numbers[:4])
        return shown + (" ..." if len(numbers) > 4 else "")

    def _looks_like_group(self, texts: list[str]) -> bool:
        has_id = self.group_at is not None and self.group_at < len(texts) and \
            bool(texts[self.group_at])
        values = sum(1 for j in self.field_at if j < len(texts) and texts[j])
        return has_id and values >= max(2, len(self.field_at) / 3)


def _is_number(text: str) -> bool:
    if len(text) <= 6 and text.isascii() and text.isdigit():
        return True  # the common case of _NUMBERING, without the pattern
    return len(text) <= 9 and _NUMBERING.fullmatch(text) is not None


def _is_total(text: str) -> bool:
    """A totals mark: the word, then nothing, or words that say over what
    (``Jumlah KSM``, ``TOTAL Kel. Sukamaju``, ``Sub total 2``)."""
    if len(text) > _MARK_CHARS or _cannot_start(text, _TOTAL_STARTS):
        return False
    m = _TOTAL.match(text)
    if m is None:
        return False
    rest = re.findall(r"[a-z0-9]+", text[m.end():].lower())
    for word in rest:
        if word in _PLACE_WORDS:
            return True  # the place named after it is free text
        if word not in _TOTAL_WORDS and not word.isdigit():
            return False
    return True


def _is_footer_mark(text: str) -> bool:
    if len(text) > _MARK_CHARS:
        return False
    text = text.strip()
    if "," not in text and text[:1] not in "(._\u2026" and _cannot_start(
            text, _FOOTER_STARTS):
        return False  # none of the patterns can match
    return bool(_FOOTER.match(text) or _PLACE_DATE.fullmatch(text)
                or _SIGNATURE.fullmatch(text))
