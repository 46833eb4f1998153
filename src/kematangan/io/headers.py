"""Match input headers to ruleset fields, and find the header row under title rows.

A header matches a field when its *key* equals the key of the field's id, its
Indonesian or English label, or one of its aliases. The key ignores case, accents,
spaces and punctuation, so ``"Jml. Anggota"``, ``"jml_anggota"`` and ``"JML ANGGOTA"``
are the same header. Headers exported by survey tools carry their group path:
KoboToolbox writes ``group/field`` and ODK ``group-field``; when the whole header does
not match, its last segment is tried. A trailing unit in brackets
(``"Tunggakan (kali)"``) is ignored when the header does not match with it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from kematangan.criteria.ruleset import Ruleset

__all__ = [
    "HeaderMatch",
    "HeaderMatcher",
    "cell_text",
    "column_letter",
    "find_header_row",
    "header_key",
    "without_unit",
]

SUGGEST_CUTOFF = 0.8
"""How alike (difflib ratio of header keys) a header must be to a field's name to be
suggested as a misspelling of it."""

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def without_unit(text: str) -> str:
    """``text`` without a trailing part in brackets (a unit), if it ends in one.

    One pass from the end (a regular expression for this backtracks on long runs
    of spaces, quadratically).

    Examples
    --------
    >>> without_unit("Tunggakan (kali) "), without_unit("Modal [Rp]")
    ('Tunggakan', 'Modal')
    >>> without_unit("a (b) (c)"), without_unit("(x(y)"), without_unit("no unit")
    ('a (b)', '(x', 'no unit')
    """
    end = text.rstrip()
    if not end or end[-1] not in ")]":
        return text
    start = max(end.rfind("(", 0, len(end) - 1), end.rfind("[", 0, len(end) - 1))
    if start < 0:
        return text
    inner = end[start + 1:-1]
    if "(" in inner or ")" in inner or "[" in inner or "]" in inner:
        return text
    return end[:start].rstrip()


def header_key(text: str) -> str:
    """The matching key of a header: lowercase ASCII letters and digits only.

    Examples
    --------
    >>> header_key("Jml. Anggota ")
    'jmlanggota'
    >>> header_key("Pertemuan_3_bulan_TERAKHIR")
    'pertemuan3bulanterakhir'
    >>> header_key("Kelompok Tani Sejahtera (Désa)")
    'kelompoktanisejahteradesa'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub("", folded.lower())


def cell_text(value: object) -> str:
    """A cell as header text: whole floats lose their ``.0``, ``None`` is empty.

    Examples
    --------
    >>> cell_text(2024.0), cell_text(None), cell_text(" Anggota ")
    ('2024', '', 'Anggota')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index.

    Examples
    --------
    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """How the headers of one header row map onto a ruleset.

    ``names`` are the unique column names (blank headers named ``column F``,
    repeated ones suffixed `` (2)``); ``fields[i]`` is the field id column ``i``
    feeds, or ``None``.
    """

    names: tuple[str, ...]
    fields: tuple[str | None, ...]
    unmatched: dict[str, str | None]
    duplicates: dict[str, list[str]]
    missing: tuple[str, ...]

    @property
    def matched(self) -> int:
        """How many distinct fields (and the group id) the headers match."""
        return len({f for f in self.fields if f is not None})

    def matched_fields(self, group_field: str) -> int:
        """How many distinct ruleset fields, not counting the group id, match."""
        return len({f for f in self.fields if f is not None and f != group_field})


class HeaderMatcher:
    """Map header texts to the ruleset's field ids (and the group-id field).

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> m = HeaderMatcher(load_ruleset("ppmk-ksm"))
    >>> m.field_for("JML. ANGGOTA"), m.field_for("grp_kelompok/tunggakan")
    ('members', 'arrears_instalments')
    >>> m.field_for("Kode KSM"), m.field_for("Kelurahan") is None
    ('group_id', True)
    """

    def __init__(self, ruleset: Ruleset) -> None:
        self.group_field = ruleset.group_id.field
        self.field_ids: tuple[str, ...] = tuple(f.id for f in ruleset.fields)
        # Ids first, then labels, then aliases: when two fields claim the same key
        # the more specific name wins.
        tiers: list[list[tuple[str, str]]] = [[], [], []]
        gid = ruleset.group_id
        tiers[0].append((gid.field, gid.field))
        tiers[1].extend((gid.field, t) for t in (gid.label.id, gid.label.en) if t)
        tiers[2].extend((gid.field, a) for a in gid.aliases)
        for f in ruleset.fields:
            tiers[0].append((f.id, f.id))
            tiers[1].extend((f.id, t) for t in (f.label.id, f.label.en) if t)
            tiers[2].extend((f.id, a) for a in f.aliases)
        self._by_key: dict[str, str] = {}
        self._names: dict[str, str] = {}
        for tier in tiers:
            for field_id, name in tier:
                key = header_key(name)
                if key and key not in self._by_key:
                    self._by_key[key] = field_id
                    self._names[key] = name

    def field_for(self, header: str) -> str | None:
        """The field id ``header`` names, or ``None``."""
        text = header.strip()
        if not text:
            return None
        for candidate in self._candidates(text):
            found = self._by_key.get(header_key(candidate))
            if found is not None:
                return found
        return None

    @staticmethod
    def _candidates(text: str) -> list[str]:
        out = [text]
        bare = without_unit(text)
        if bare and bare != text:
            out.append(bare)
        for sep in ("/", "-", ":"):
            if sep in bare:
                out.append(bare.rsplit(sep, 1)[1])
        return out

    def suggest_field(self, header: str) -> str | None:
        """The field id ``header`` most likely means, if one is close."""
        key = header_key(without_unit(header) or header)
        if not key:
            return None
        # Stricter than errors.suggest: a table has many columns that are meant to
        # match nothing (Kelurahan, Catatan), and "kelurahan" is 0.67 like
        # "pelatihan".
        close = difflib.get_close_matches(key, list(self._by_key), n=1,
                                          cutoff=SUGGEST_CUTOFF)
        return self._by_key[close[0]] if close else None

    def match(self, headers: Sequence[object], first_column: int = 0,
              suggestions: bool = True) -> HeaderMatch:
        """Match a header row; the first column matching a field feeds it.

        ``first_column`` is the 0-based sheet column of ``headers[0]``, used to name
        blank headers by their column letter. ``suggestions=False`` skips the
        did-you-mean search for unmatched headers (used while scanning for the
        header row).
        """
        names: list[str] = []
        fields: list[str | None] = []
        seen_names: dict[str, int] = {}
        used: dict[str, list[str]] = {}
        unmatched: dict[str, str | None] = {}
        for index, raw in enumerate(headers):
            text = cell_text(raw)
            name = text or f"column {column_letter(first_column + index)}"
            n = seen_names.get(name, 0) + 1
            seen_names[name] = n
            if n > 1:
                name = f"{name} ({n})"
            names.append(name)
            field = self.field_for(text) if text else None
            if field is not None:
                used.setdefault(field, []).append(name)
                fields.append(field if len(used[field]) == 1 else None)
            else:
                fields.append(None)
                if text:
                    unmatched[name] = self.suggest_field(text) if suggestions else None
        duplicates = {f: hs for f, hs in used.items() if len(hs) > 1}
        for names_of_field in duplicates.values():
            for extra in names_of_field[1:]:
                unmatched.pop(extra, None)
        missing = tuple(f for f in self.field_ids if f not in used)
        return HeaderMatch(tuple(names), tuple(fields), unmatched, duplicates, missing)

    def expected_headers(self, limit: int = 6) -> str:
        """A few header names the ruleset accepts, for error messages."""
        shown = [self.group_field, *self.field_ids][:limit]
        more = len(self.field_ids) + 1 - len(shown)
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def find_header_row(
    rows: Sequence[Sequence[object]], matcher: HeaderMatcher,
    max_cells: int = 16_384,
) -> tuple[int, HeaderMatch] | None:
    """The index of the row that matches the most fields, and its match (without
    did-you-mean suggestions). Only the first ``max_cells`` cells of a row are
    looked at: a header row is no wider than the limit ``max_columns``.

    Title rows, notes and blank rows above the headers match fewer fields, so they
    lose; on a tie the upper row wins. ``None`` when no row matches any field.
    """
    best: tuple[int, HeaderMatch] | None = None
    for index, row in enumerate(rows):
        texts = [cell_text(v) for v in row[:max_cells]]
        if not any(texts):
            continue
        match = matcher.match(texts, suggestions=False)
        if match.matched and (best is None or match.matched > best[1].matched):
            best = (index, match)
    return best
