"""How field staff write headers, as words: abbreviations, word order, plurals, and
a fuzzy match that is taken only when it is unambiguous.

A header is split into words (letters and digits apart: ``3bln`` is ``3 bln``);
abbreviations are written out (``jml`` is ``jumlah``, ``bln`` is ``bulan``); small
words (``yang``, ``dan``, ``of``) are dropped; English plurals and Indonesian
repeated words lose their ending (``members``, ``anggota-anggota``, ``kader2``);
common Indonesian affixes are cut (``dibentuk`` and ``pembentukan`` are both
``bentuk``); the order of the words does not count. Two texts with the same words
so written have the same *normal form*.

The fuzzy match weighs each word by how rare it is among the ruleset's field names
(a word only one field uses, such as ``rapat`` or ``ruk``, says more than ``bulan``),
and words that many sheets use for other things (``nama``, ``kode``, ``jumlah``) say
little. It compares a header with every name of every field (weighted Dice
similarity) and takes a field only when it is clearly closer than any other.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["ABBREVIATIONS", "FuzzyIndex", "NameWords", "normal_form", "without_notes",
           "words"]

ABBREVIATIONS: dict[str, str] = {
    "bln": "bulan", "bl": "bulan", "jml": "jumlah", "jmlh": "jumlah",
    "jlh": "jumlah", "jum": "jumlah", "tgl": "tanggal", "tg": "tanggal",
    "adm": "administrasi", "admin": "administrasi", "adminitrasi": "administrasi",
    "yg": "yang", "dr": "dari", "dgn": "dengan", "dg": "dengan", "utk": "untuk",
    "dlm": "dalam", "pd": "pada", "thn": "tahun", "th": "tahun", "kel": "kelurahan",
    "kec": "kecamatan", "kab": "kabupaten", "ds": "desa", "angg": "anggota",
    "agt": "anggota", "pertumb": "pertumbuhan", "pertumbhn": "pertumbuhan",
    "sdh": "sudah", "blm": "belum", "tdk": "tidak", "tak": "tidak", "ket": "keterangan",
    "keg": "kegiatan", "kunj": "kunjungan", "ptm": "pertemuan", "pert": "pertemuan",
    "pelat": "pelatihan", "pelath": "pelatihan", "org": "orang", "mgg": "minggu",
    "hr": "hari", "pinj": "pinjaman", "angs": "angsuran", "mdl": "modal",
    "ush": "usaha", "trakhir": "terakhir", "trkhr": "terakhir", "akhr": "akhir",
    "no": "nomor", "nmr": "nomor", "thp": "tahap", "kls": "kelas",
    "prosen": "persen", "pct": "persen",
}
"""Abbreviations of Indonesian field staff, written out before matching."""

_SMALL = frozenset({
    "yang", "dan", "dengan", "di", "ke", "dari", "dalam", "untuk", "secara", "oleh",
    "pada", "atau", "serta", "para", "the", "of", "in", "and", "a", "an", "to", "by",
    "for", "with", "or", "per", "is", "has", "its",
})
"""Words that carry no meaning for matching."""

GENERIC = frozenset({
    "nama", "kode", "nomor", "jumlah", "data", "kelompok", "ksm", "kub", "total",
    "tahun", "bulan", "tanggal", "number", "name", "code", "group", "count",
    "keterangan", "status", "id",
})
"""Words sheets use for many things: a match on them alone says little."""

_PREFIXES = ("meng", "meny", "mem", "men", "peng", "peny", "pem", "pen", "per",
             "ber", "ter", "me", "pe", "di", "ke", "se")
_SUFFIXES = ("nya", "an")
_MIN_STEM = 4
_SPLIT = re.compile(r"[0-9]+|[a-z]+")
_REPEAT_TWO = re.compile(r"^([a-z]{3,})2$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode(
    ).lower()


def _stem(word: str) -> str:
    """A light stem: an English plural ``s`` dropped, then one Indonesian suffix
    and one prefix cut, when enough is left. Not a true stem, but the same word
    always gets the same one."""
    if word.isdigit() or len(word) <= _MIN_STEM:
        return word
    if word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM + 1:
            word = word[: -len(suffix)]
            break
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            word = word[len(prefix):]
            break
    return word


def words(text: str) -> tuple[str, ...]:
    """The meaningful words of ``text``, abbreviations written out and stemmed, in
    order (repeats removed).

    Examples
    --------
    >>> words("Jml. Angg. (org)")
    ('jumlah', 'anggota', 'orang')
    >>> words("Rapat 3bln terakhir"), words("anggota-anggota")
    (('rapat', '3', 'bulan', 'akhir'), ('anggota',))
    >>> words("Dibentuk lewat rembug warga"), words("Pembentukan partisipatif")
    (('bentuk', 'lewat', 'rembug', 'warga'), ('bentuk', 'partisipatif'))
    """
    out: dict[str, None] = {}  # ordered, and linear however many words
    for raw in re.split(r"[^0-9a-z]+", _fold(text)):
        m = _REPEAT_TWO.match(raw)
        pieces = [m.group(1)] if m else _SPLIT.findall(raw)
        for piece in pieces:
            word = ABBREVIATIONS.get(piece, piece)
            if word not in _SMALL:
                out.setdefault(_stem(word))
    return tuple(out)


def normal_form(text: str) -> str:
    """The words of ``text`` in a fixed order: texts with the same words in any
    order, case, punctuation or abbreviation have the same normal form.

    Examples
    --------
    >>> normal_form("Buku adm. tertib") == normal_form("Tertib buku administrasi")
    True
    >>> normal_form("Members (number)") == normal_form("number of member")
    True
    """
    return " ".join(sorted(words(text)))


@dataclass(frozen=True, slots=True)
class NameWords:
    """One name of a field (a label, an alias, its id) as words."""

    field: str
    name: str
    words: frozenset[str]


class FuzzyIndex:
    """Weighted word similarity between a header and every field's names.

    Examples
    --------
    >>> index = FuzzyIndex([("meetings", "Jumlah pertemuan 3 bulan terakhir"),
    ...                     ("meetings", "rapat 3 bulan"),
    ...                     ("visits", "Jumlah kunjungan pendamping 3 bulan terakhir"),
    ...                     ("market", "Memiliki akses pasar tetap")])
    >>> index.best("Rapat 3 bln terakhir")
    ('meetings', ())
    >>> index.best("Pasar tetap")
    ('market', ())
    >>> index.best("Catatan pendamping")
    (None, ('visits',))
    """

    THRESHOLD = 0.4
    """The least similarity (0 to 1) a fuzzy match needs."""
    MARGIN = 0.8
    """Another field as close as this share of the best one makes it ambiguous."""
    LISTED = 0.5
    """Candidates listed for an unmatched header: those at least this share as
    close as the closest."""
    COVERAGE = 0.6
    """The least share of a header's weight the matched name must account for: a
    header with words no field knows (``Jenis usaha``) is about something else."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self.names = [NameWords(f, n, frozenset(words(n))) for f, n in names]
        fields_of: dict[str, set[str]] = {}
        self._names_of: dict[str, list[int]] = {}
        for i, nw in enumerate(self.names):
            for w in nw.words:
                fields_of.setdefault(w, set()).add(nw.field)
                self._names_of.setdefault(w, []).append(i)
        self._vocabulary = sorted(self._names_of)
        n_fields = len({nw.field for nw in self.names}) or 1
        self.unknown_weight = math.log(n_fields + 1) + 1.0
        self.weights = {
            w: 0.5 if w in GENERIC else math.log((n_fields + 1) / len(fs))
            for w, fs in fields_of.items()}

    def weight(self, word: str) -> float:
        """How much a shared ``word`` says (rare words more)."""
        return self.weights.get(word, self.unknown_weight)

    def _sharing(self, header: frozenset[str]) -> list[NameWords]:
        """The names with a word of ``header`` (or a word it begins), found by word
        rather than by trying every name."""
        found: set[int] = set()
        for w in header:
            found.update(self._names_of.get(w, ()))
            if len(w) >= 4 and not w.isdigit():
                at = bisect.bisect_left(self._vocabulary, w)
                while at < len(self._vocabulary) and self._vocabulary[at].startswith(w):
                    found.update(self._names_of[self._vocabulary[at]])
                    at += 1
        return [self.names[i] for i in sorted(found)]

    def _shared(self, header: frozenset[str], name: frozenset[str]) -> set[str]:
        """Header words found in the name, a short header word standing for a
        longer name word it begins (``pertumb`` for ``pertumbuhan``)."""
        shared = set(header & name)
        for w in header - name:
            if len(w) >= 4 and not w.isdigit() and any(
                    n.startswith(w) for n in name):
                shared.add(w)
        return shared

    def scores(self, header: str, allowed: Sequence[str] | None = None
               ) -> dict[str, tuple[float, float]]:
        """Each field's best ``(similarity, coverage)`` with ``header`` (fields in
        ``allowed`` only, when given), for fields sharing a word that is neither a
        number nor :data:`GENERIC`. Similarity is the weighted Dice of the words; coverage the
        share of the header's weight its closest name accounts for."""
        hw = frozenset(words(without_notes(header)) or words(header))
        if not hw:
            return {}
        h_weight = sum(self.weight(w) for w in hw)
        out: dict[str, tuple[float, float]] = {}
        keep = None if allowed is None else set(allowed)
        for nw in self._sharing(hw):
            if keep is not None and nw.field not in keep:
                continue
            shared = self._shared(hw, nw.words)
            if not any(w not in GENERIC and not w.isdigit() for w in shared):
                continue  # a number or a common word alone says nothing
            n_weight = sum(self.weight(w) for w in nw.words)
            common = sum(self.weight(w) for w in shared)
            found = (2 * common / (h_weight + n_weight), common / h_weight)
            if found > out.get(nw.field, (0.0, 0.0)):
                out[nw.field] = found
        return out

    def best(self, header: str, allowed: Sequence[str] | None = None
             ) -> tuple[str | None, tuple[str, ...]]:
        """``(field, ())`` when one field is close enough, accounts for most of the
        header, and is clearly closest; else ``(None, candidates)``: the fields
        that share words with ``header`` and are nearly as close as the closest,
        closest first (none chosen)."""
        found = self.scores(header, allowed)
        if not found:
            return None, ()
        ranked = sorted(found, key=lambda f: (-found[f][0], f))
        top, cover = found[ranked[0]]
        rivals = [f for f in ranked[1:] if found[f][0] >= top * self.MARGIN]
        if top >= self.THRESHOLD and cover >= self.COVERAGE and not rivals:
            return ranked[0], ()
        return None, tuple(f for f in ranked[:4] if found[f][0] >= top * self.LISTED)


def without_notes(text: str) -> str:
    """``text`` without its parts in brackets (units, notes), wherever they are.

    Examples
    --------
    >>> without_notes("Buku administrasi (anggota dan keuangan) tertib")
    'Buku administrasi   tertib'
    """
    return re.sub(r"[(\[][^()\[\]]*[)\]]", " ", text)
