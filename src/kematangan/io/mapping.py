"""The column mapping: for every input column, what it was taken for and how; for
every ruleset field, its column or that it has none.

One :class:`ColumnMapping` is made per table read; every output shows the same one
(the terminal summary, the ``columns`` sheet, JSON, the HTML report), so what the
user reads about a column is the same everywhere.

Each column is in exactly one state:

``mapped``
    it feeds a field; ``how`` says why: ``id``, ``label`` or ``alias`` (the
    header is that name, ignoring case, spaces, punctuation and a unit in
    brackets), ``path`` (a KoboToolbox ``group/field`` or ODK ``group-field``
    path whose last part is such a name), ``normalised`` (the same words as a
    name, abbreviations written out, in any order), ``user`` (a ``--map`` or a
    mapping file said so) or ``fuzzy`` (a guess from similar words, taken only
    when no other field is close: always reported).
``ignored``
    on purpose: ``number`` (a row-number column: No, Nomor), ``notes``
    (Keterangan, Catatan), ``form`` (a survey tool's own column: ``_uuid``,
    ``_submission_time``), ``user`` (the mapping said ignore), ``duplicate`` (a
    second column for a field already read) or ``empty`` (no header and no
    value).
``unmatched``
    it matches no field; ``candidates`` lists the fields it looks like (one is a
    suggestion; several: it is ambiguous, and none is chosen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from kematangan.criteria.meaning import field_uses, unknown_without
from kematangan.criteria.ruleset import Ruleset
from kematangan.io.cells import column_letter
from kematangan.problems import Problem

__all__ = ["ColumnMapping", "ColumnMatch", "Status"]

Status = Literal["mapped", "ignored", "unmatched"]


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    """One input column: its header, where it is, and what it was taken for."""

    header: str
    """The column's name in the output: its header as written, `` (2)`` added to a
    repeated one, ``column F`` for a blank one."""
    status: Status
    field: str | None = None
    """The field it feeds (``mapped``), or reads as a duplicate (``ignored``)."""
    how: str = ""
    """Why (see the module docstring); empty for an unmatched column with a
    header."""
    position: int | None = None
    """The 0-based sheet column, for sheets and delimited text."""
    name: str = ""
    """The ruleset name the header matched (a label or alias), if any."""
    candidates: tuple[str, ...] = ()
    """Fields an unmatched column looks like, closest first."""

    @property
    def letter(self) -> str:
        """The spreadsheet column letter, or ``""`` for records."""
        return "" if self.position is None else column_letter(self.position)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of the column."""
        out: dict[str, Any] = {"header": self.header, "status": self.status}
        if self.position is not None:
            out["column"] = self.letter
        for name in ("field", "how", "name"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.candidates:
            out["candidates"] = list(self.candidates)
        return out


@dataclass(frozen=True)
class ColumnMapping:
    """Every input column's match and every field's column (see the module
    docstring).

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.io.headers import HeaderMatcher
    >>> m = HeaderMatcher(load_ruleset("ppmk-ksm")).match(
    ...     ["No", "Kode KSM", "Jml angg.", "Pasar tetap", "Kelurahan"])
    >>> [(c.header, c.status, c.how) for c in m.columns]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('No', 'ignored', 'number'), ('Kode KSM', 'mapped', 'alias'),
     ('Jml angg.', 'mapped', 'normalised'), ('Pasar tetap', 'mapped', 'fuzzy'),
     ('Kelurahan', 'unmatched', '')]
    >>> m.column_of["market_access"], "members" in m.missing, "partnerships" in m.missing
    ('Pasar tetap', False, True)
    """

    columns: tuple[ColumnMatch, ...]
    field_ids: tuple[str, ...]
    group_field: str
    header_row: int = 0
    """The 1-based row the headers were read from (0 for records)."""
    header_rows: tuple[int, ...] = ()
    """Rows above it whose texts named blank header cells (merged headers)."""
    conventions: tuple[Problem, ...] = field(default=())
    """How columns are written (decimal commas, day-first dates...): notes once
    per column and kind, with a count, that are not problems of a row."""
    supplied: tuple[str, ...] = ()
    """Fields without a column whose value is given another way (the assessment
    date by ``--assessed-on``): not missing."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every column's name, in input order."""
        return tuple(c.header for c in self.columns)

    @property
    def fields(self) -> tuple[str | None, ...]:
        """The field each column feeds, or ``None``."""
        return tuple(c.field if c.status == "mapped" else None for c in self.columns)

    @property
    def column_of(self) -> dict[str, str]:
        """Field id (and the group id field) to the column that feeds it."""
        return {c.field: c.header for c in self.columns
                if c.status == "mapped" and c.field is not None}

    @property
    def header_map(self) -> dict[str, str]:
        """Column to the field it feeds."""
        return {c.header: c.field for c in self.columns
                if c.status == "mapped" and c.field is not None}

    @property
    def matched(self) -> int:
        """How many distinct fields (and the group id) have a column."""
        return len(self.column_of)

    def matched_fields(self, group_field: str | None = None) -> int:
        """How many distinct ruleset fields, not counting the group id, match."""
        return len(set(self.column_of) - {group_field or self.group_field})

    @property
    def missing(self) -> tuple[str, ...]:
        """Ruleset fields no column feeds, in ruleset order."""
        have = self.column_of
        return tuple(f for f in self.field_ids
                     if f not in have and f not in self.supplied)

    @property
    def group_missing(self) -> bool:
        """Whether no column holds the group id (groups are named by row)."""
        return self.group_field not in self.column_of

    def with_status(self, status: Status) -> list[ColumnMatch]:
        """The columns in ``status``."""
        return [c for c in self.columns if c.status == status]

    @property
    def unmatched(self) -> list[ColumnMatch]:
        """The columns that match no field (with their candidates)."""
        return self.with_status("unmatched")

    @property
    def guessed(self) -> list[ColumnMatch]:
        """The columns matched by a guess from similar words."""
        return [c for c in self.columns if c.how == "fuzzy"]

    def merge(self, other: ColumnMapping) -> ColumnMapping:
        """This mapping with what a later chunk found: a column without a header is
        unmatched once any chunk has a value in it; conventions add up."""
        if other is self:
            return self
        filled = {c.header for c in other.columns if c.how == "no_header"}
        cols = tuple(c if c.header not in filled or c.how != "empty" else replace(
            c, status="unmatched", how="no_header") for c in self.columns)
        return replace(self, columns=cols, conventions=merge_conventions(
            [*self.conventions, *other.conventions]),
            supplied=tuple(dict.fromkeys([*self.supplied, *other.supplied])))

    def supplying(self, ruleset: Ruleset, assessed_on: object | None
                  ) -> ColumnMapping:
        """This mapping with the assessment date counted as given when
        ``assessed_on`` dates the rows and no column holds it."""
        dated = [f.id for f in ruleset.fields if f.role == "assessment_date"]
        if assessed_on is None or not dated or dated[0] in self.column_of:
            return self
        return replace(self, supplied=tuple(dict.fromkeys([*self.supplied,
                                                           dated[0]])))

    def problems(self, ruleset: Ruleset) -> list[Problem]:
        """The mapping's problems: each unmatched, ambiguous and guessed column,
        each field read twice, and each missing field with what it leaves unknown
        (the criteria, and the stages whose gates they are)."""
        labels = {f.id: f.label.model_dump() for f in ruleset.fields}
        labels[self.group_field] = ruleset.group_id.label.model_dump()
        out: list[Problem] = []
        seen_dup: set[str] = set()
        for c in self.columns:
            if c.status == "unmatched" and c.how != "empty":
                out.append(_unmatched(c, labels))
            elif c.how == "fuzzy" and c.field is not None:
                out.append(Problem("fuzzy_column", {
                    "column": c.header, "field": c.field,
                    "label": labels.get(c.field, c.field)}, "note",
                    column=c.header, field=c.field))
            elif c.how == "duplicate" and c.field and c.field not in seen_dup:
                seen_dup.add(c.field)
                dups = [c.header] + [d.header for d in self.columns
                                     if d.field == c.field and d.how == "duplicate"
                                     and d.header != c.header]
                first = self.column_of.get(c.field, "")
                headers = [first, *dups] if first else dups
                out.append(Problem("duplicate_header", {
                    "field": c.field, "headers": headers, "count": len(headers)},
                    "note", column=c.header, field=c.field))
        crit_labels = {c.id: c.label.model_dump() for c in ruleset.criteria}
        stage_labels = {s.id: s.label.model_dump() for s in ruleset.stages}
        uses = field_uses(ruleset)
        left = self.left_unknown(ruleset)
        dated = {f.id for f in ruleset.fields if f.role == "assessment_date"}
        for f in self.missing:
            params: dict[str, Any] = {"field": f, "label": labels[f]}
            criteria, stages = left[f]
            if not criteria:
                covered = uses[f].unknown
                if covered:  # read through coalesce(): another column stands in
                    params["criteria"] = [crit_labels[c] for c in covered]
                out.append(Problem("missing_field_covered" if covered
                                   else "missing_field_unused", params, "note",
                                   field=f))
                continue
            params["criteria"] = [crit_labels[c] for c in criteria]
            code = "missing_field"
            if f in dated:
                code = "missing_assessment_date"
            elif stages:
                code = "missing_gate_field"
                params["stages"] = [stage_labels[s] for s in stages]
            out.append(Problem(code, params, "error", field=f))
        return out

    def left_unknown(self, ruleset: Ruleset
                     ) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """For each missing field, the criteria it leaves unknown for every group
        given the columns that are there, and the stages whose gates those are.
        A field read only through ``coalesce`` beside a field that has a column
        leaves nothing unknown."""
        uses = field_uses(ruleset)
        unknown = unknown_without(ruleset, {*self.column_of, *self.supplied})
        gates = {c.id: c.stage for c in ruleset.criteria
                 if c.gate and c.stage is not None}
        out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for f in self.missing:
            crits = tuple(c for c in uses[f].unknown if c in unknown)
            out[f] = (crits, tuple(dict.fromkeys(gates[c] for c in crits
                                                 if c in gates)))
        return out

    def gate_fields_missing(self, ruleset: Ruleset) -> list[str]:
        """Missing fields that leave some stage's gates unknown for every group."""
        left = self.left_unknown(ruleset)
        return [f for f in self.missing if left[f][1]]

    def to_dict(self, ruleset: Ruleset, lang: str = "id") -> dict[str, Any]:
        """The mapping as JSON: columns, fields (with their column or none), the
        header row, conventions and problems (texts in ``lang``)."""
        have = self.column_of
        return {
            "header_row": self.header_row,
            "columns": [c.to_dict() for c in self.columns],
            "fields": [{"field": f, "column": have.get(f)}
                       | ({"supplied": True} if f in self.supplied else {})
                       for f in (self.group_field, *self.field_ids)],
            "conventions": [p.to_dict(lang) for p in self.conventions],
            "problems": [p.to_dict(lang) for p in self.problems(ruleset)],
        }


def _unmatched(c: ColumnMatch, labels: dict[str, Any]) -> Problem:
    if len(c.candidates) > 1:
        return Problem("ambiguous_column", {
            "column": c.header, "candidates": [
                {lang: f"{f} ({_label_text(labels.get(f), lang)})"
                 for lang in ("id", "en")} for f in c.candidates]},
            "note", column=c.header)
    if c.candidates:
        f = c.candidates[0]
        return Problem("unmatched_column_close", {
            "column": c.header, "suggestion": f, "label": labels.get(f, f)},
            "note", column=c.header)
    return Problem("unmatched_column", {"column": c.header}, "note",
                   column=c.header)


def _label_text(label: Any, lang: str) -> str:
    if isinstance(label, dict):
        return str(label.get(lang) or label.get("id") or "")
    return str(label or "")


def merge_conventions(found: Sequence[Problem]) -> tuple[Problem, ...]:
    """Conventions of the same column and kind folded into one, counts added."""
    out: dict[tuple[str | None, str], Problem] = {}
    for p in found:
        key = (p.column, p.code)
        have = out.get(key)
        out[key] = p if have is None else replace(have, count=have.count + p.count)
    return tuple(out.values())
