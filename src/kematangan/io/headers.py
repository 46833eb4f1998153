"""Match input headers to ruleset fields, and find the header row under title rows.

In order, a header matches a field when

1. the user said so (``--map``, a mapping file);
2. its *key* equals the key of the field's id, its Indonesian or English label, or
   one of its aliases. The key ignores case, accents, spaces and punctuation, so
   ``"Jml. Anggota"``, ``"jml_anggota"`` and ``"JML ANGGOTA"`` are the same header.
   Headers exported by survey tools carry their group path: KoboToolbox writes
   ``group/field`` and ODK ``group-field``; when the whole header does not match,
   its last segment is tried. A trailing unit in brackets (``"Tunggakan (kali)"``)
   is ignored when the header does not match with it;
3. it has the same words as one of those names, abbreviations written out, in any
   order (:func:`~kematangan.io.matching.normal_form`): ``"Jml angg."``;
4. a number, notes or survey-tool column is ignored on purpose;
5. only then, and only when no other field is close, a fuzzy guess from similar
   words (:class:`~kematangan.io.matching.FuzzyIndex`), always reported.

What each column became is a :class:`~kematangan.io.mapping.ColumnMapping`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace

from kematangan.criteria.ruleset import Ruleset
from kematangan.io.cells import column_letter
from kematangan.io.mapping import ColumnMapping, ColumnMatch
from kematangan.io.matching import FuzzyIndex, normal_form, without_notes, words

__all__ = [
    "HeaderMatcher",
    "cell_text",
    "column_letter",
    "find_header_row",
    "header_key",
    "without_unit",
]

GUESS_CELLS = 1_000
"""Cells of a row looked at when guessing which row holds the headers (a header row
matched only by guesses is a facilitator's own; none is this wide)."""

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


_NUMBER_WORDS = frozenset({"nomor", "urut", "nomorurut"})
_NOTE_WORDS = frozenset({"keterangan", "catatan", "note", "remark", "komentar",
                         "comment", "notes", "remarks"})
_NUMBER_STEMS = frozenset(words(" ".join(_NUMBER_WORDS)))
_NOTE_STEMS = frozenset(words(" ".join(_NOTE_WORDS)))
_FORM_COLUMNS = frozenset({
    "start", "end", "today", "deviceid", "subscriberid", "simserial",
    "phonenumber", "username", "instanceid", "version", "uuid", "submissiontime",
    "validationstatus", "submittedby", "index", "tags", "status", "notes", "id",
    "parentindex", "parenttablename", "xformid", "formversion", "audit",
})


def _ignored(text: str) -> str:
    """Why a header that matches no field is ignored on purpose, or ``""``."""
    if text.startswith(("_", "meta/", "meta-", "formhub/")) and \
            header_key(text).removeprefix("meta").removeprefix("formhub") in \
            _FORM_COLUMNS | {""}:
        return "form"
    if text.strip() in ("#", "No", "No.", "NO", "NO.", "no", "no.", "N0"):
        return "number"
    found = set(words(without_unit(text) or text))
    if found and found <= _NUMBER_STEMS:
        return "number"
    if found and found <= _NOTE_STEMS:
        return "notes"
    return ""


class HeaderMatcher:
    """Map header texts to the ruleset's field ids (and the group-id field).

    ``user`` is what the user said columns are (header as written to a field id,
    or ``None`` to ignore the column); it comes before any other match.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> m = HeaderMatcher(load_ruleset("ppmk-ksm"))
    >>> m.field_for("JML. ANGGOTA"), m.field_for("grp_kelompok/tunggakan")
    ('members', 'arrears_instalments')
    >>> m.field_for("Kode KSM"), m.field_for("Kelurahan") is None
    ('group_id', True)
    >>> m.field_for("Anggota, jumlah (org)")
    'members'
    """

    TIERS = ("id", "label", "alias")

    def __init__(self, ruleset: Ruleset,
                 user: Mapping[str, str | None] | None = None) -> None:
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
        self._by_key: dict[str, tuple[str, str, str]] = {}
        normal: dict[str, dict[str, str]] = {}
        names: list[tuple[str, str]] = []
        for tier_name, tier in zip(self.TIERS, tiers, strict=True):
            for field_id, name in tier:
                key = header_key(name)
                if key and key not in self._by_key:
                    self._by_key[key] = (field_id, tier_name, name)
                shown = name.replace("_", " ") if tier_name == "id" else name
                names.append((field_id, shown))
                for variant in {shown, without_notes(shown)}:
                    form = normal_form(variant)
                    if form:
                        normal.setdefault(form, {}).setdefault(field_id, name)
        # A normal form two fields share names neither.
        self._by_normal = {form: next(iter(found.items()))
                           for form, found in normal.items() if len(found) == 1}
        self._names = names
        self._fuzzy: FuzzyIndex | None = None
        self.user = {header_key(h): (h, f) for h, f in (user or {}).items()}

    @property
    def fuzzy(self) -> FuzzyIndex:
        """The word-similarity index of every field's names (built when first
        needed)."""
        if self._fuzzy is None:
            self._fuzzy = FuzzyIndex(self._names)
        return self._fuzzy

    def exact(self, header: str) -> tuple[str, str, str] | None:
        """``(field, how, name)`` when ``header`` is a field's id, label or alias
        (``how`` is that tier, or ``path`` for the last part of a survey path)."""
        text = header.strip()
        if not text:
            return None
        for n, candidate in enumerate(self._candidates(text)):
            found = self._by_key.get(header_key(candidate))
            if found is not None:
                field_id, tier, name = found
                return field_id, (tier if n < 2 else "path"), name
        return None

    def normalised(self, header: str) -> tuple[str, str] | None:
        """``(field, name)`` when ``header`` has the same words as exactly one
        field's name (see :func:`~kematangan.io.matching.normal_form`)."""
        for candidate in self._candidates(header.strip()):
            found = self._by_normal.get(normal_form(candidate))
            if found is not None:
                return found
        return None

    def field_for(self, header: str) -> str | None:
        """The field id ``header`` names (exactly or with the same words), or
        ``None``; no user mapping and no fuzzy guess."""
        found = self.exact(header)
        if found is not None:
            return found[0]
        same = self.normalised(header)
        return same[0] if same is not None else None

    @staticmethod
    def _candidates(text: str) -> list[str]:
        out = [text]
        bare = without_unit(text)
        out.append(bare if bare and bare != text else text)
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
        return self._by_key[close[0]][0] if close else None

    def user_field(self, header: str) -> tuple[bool, str | None]:
        """``(True, field or None)`` when the user mapped ``header``."""
        found = self.user.get(header_key(header)) if header.strip() else None
        return (False, None) if found is None else (True, found[1])

    def match(self, headers: Sequence[object], first_column: int | None = 0,
              suggestions: bool = True) -> ColumnMapping:
        """Match a header row (see :class:`~kematangan.io.mapping.ColumnMapping`).

        ``first_column`` is the 0-based sheet column of ``headers[0]`` (``None``
        for record keys, which have no position). ``suggestions=False`` is for
        scanning rows for the header row: it counts matches only (no guesses, no
        suggestions, nothing ignored, and words compared in the first
        :data:`GUESS_CELLS` cells only, so a hostile row costs bounded work).
        """
        names: list[str] = []
        texts: list[str] = []
        seen_names: dict[str, int] = {}
        for index, raw in enumerate(headers):
            text = cell_text(raw)
            at = None if first_column is None else first_column + index
            name = text or f"column {column_letter(at if at is not None else index)}"
            n = seen_names.get(name, 0) + 1
            seen_names[name] = n
            names.append(f"{name} ({n})" if n > 1 else name)
            texts.append(text)
        found: list[ColumnMatch | None] = [None] * len(names)
        taken: set[str] = set()
        for j, text in enumerate(texts):  # the user's word comes first
            given, field_id = self.user_field(text)
            if given:
                found[j] = ColumnMatch(names[j], "mapped" if field_id else "ignored",
                                       field_id, "user")
                if field_id:
                    taken.add(field_id)
        for j, text in enumerate(texts):
            if found[j] is not None:
                continue
            if not text:
                found[j] = ColumnMatch(names[j], "ignored", how="empty")
                continue
            hit = self.exact(text)
            how, field_id, name = ("", None, "")
            if hit is not None:
                field_id, how, name = hit
            elif suggestions or j < GUESS_CELLS:  # scanning: bounded work per row
                same = self.normalised(text)
                if same is not None:
                    (field_id, name), how = same, "normalised"
            if field_id is not None:
                if field_id in taken:
                    found[j] = ColumnMatch(names[j], "ignored", field_id, "duplicate",
                                           name=name)
                else:
                    taken.add(field_id)
                    found[j] = ColumnMatch(names[j], "mapped", field_id, how,
                                           name=name)
            elif suggestions and (reason := _ignored(text)):
                found[j] = ColumnMatch(names[j], "ignored", how=reason)
        if suggestions:
            self._guess(texts, names, found, taken)
        cols = tuple(
            replace(c if c is not None else ColumnMatch(names[j], "unmatched"),
                    position=None if first_column is None else first_column + j)
            for j, c in enumerate(found))
        return ColumnMapping(cols, self.field_ids, self.group_field)

    def _guess(self, texts: list[str], names: list[str],
               found: list[ColumnMatch | None], taken: set[str]) -> None:
        """Fuzzy matches for the columns left, among the fields left; a field two
        columns guess at is given to neither."""
        free = [f for f in (self.group_field, *self.field_ids) if f not in taken]
        guesses: dict[int, str] = {}
        for j, c in enumerate(found):
            if c is not None:
                continue
            best, candidates = self.fuzzy.best(texts[j], free)
            if best is not None:
                guesses[j] = best
            else:
                close = candidates or tuple(
                    f for f in [self.suggest_field(texts[j])] if f is not None)
                found[j] = ColumnMatch(names[j], "unmatched", candidates=close)
        counts: dict[str, int] = {}
        for f in guesses.values():
            counts[f] = counts.get(f, 0) + 1
        for j, f in guesses.items():
            if counts[f] > 1:
                found[j] = ColumnMatch(names[j], "unmatched", candidates=(f,))
            else:
                found[j] = ColumnMatch(names[j], "mapped", f, "fuzzy")

    def expected_headers(self, limit: int = 6) -> str:
        """A few header names the ruleset accepts, for error messages."""
        shown = [self.group_field, *self.field_ids][:limit]
        more = len(self.field_ids) + 1 - len(shown)
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def find_header_row(
    rows: Sequence[Sequence[object]], matcher: HeaderMatcher,
    max_cells: int = 16_384,
) -> tuple[int, ColumnMapping] | None:
    """The index of the row that matches the most fields, and its match (without
    did-you-mean suggestions). Only the first ``max_cells`` cells of a row are
    looked at: a header row is no wider than the limit ``max_columns``.

    Title rows, notes and blank rows above the headers match fewer fields, so they
    lose; on a tie the upper row wins. Guesses from similar words count only when
    no row has a field otherwise (a sheet headed in the facilitator's own words).
    ``None`` when no row matches any field.
    """
    best = _best_row(rows, matcher, max_cells, guesses=False)
    if best is None or not best[1].matched_fields():
        return _best_row(rows, matcher, min(max_cells, GUESS_CELLS),
                         guesses=True) or best
    return best


def _best_row(rows: Sequence[Sequence[object]], matcher: HeaderMatcher,
              max_cells: int, guesses: bool) -> tuple[int, ColumnMapping] | None:
    best: tuple[int, ColumnMapping] | None = None
    for index, row in enumerate(rows):
        texts = [cell_text(v) for v in row[:max_cells]]
        if not any(texts):
            continue
        match = matcher.match(texts, suggestions=guesses)
        if match.matched and (best is None or match.matched > best[1].matched):
            best = (index, match)
    return best
