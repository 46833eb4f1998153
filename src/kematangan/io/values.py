"""Parse a column of raw cells into the scorer's input form for its field type.

Each distinct cell value is read once (:mod:`~kematangan.io.numbers`,
:mod:`~kematangan.io.dates`, and the yes/no and category readers here), so a column
of 100,000 cells with a few hundred distinct values costs a few hundred reads and one
pass to spread the results. Errors are reported per cell; notes once per column and
kind, with the first cell and a count.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from kematangan.criteria.ruleset import FieldSpec
from kematangan.errors import suggest
from kematangan.io.cells import (
    DASHES,
    EXCEL_ERRORS,
    MISSING,
    MISSING_WORDS,
    Reading,
    clean_text,
    dash_missing,
    excel_error,
    shortened,
    show,
)
from kematangan.io.dates import DateOrder, date_order_evidence, read_date
from kematangan.io.headers import header_key
from kematangan.io.numbers import Decimal, decimal_evidence, read_number, split_number
from kematangan.io.plaincolumns import Lines, plain_iso_dates, plain_numbers
from kematangan.problems import Problem

__all__ = [
    "CONVENTIONS",
    "ColumnState",
    "parse_column",
    "parse_group_ids",
    "read_boolean",
    "read_category",
]

_NAT = np.iinfo(np.int64).min

CONVENTIONS = frozenset({
    "decimal_comma", "thousands_separator", "currency", "percent_fraction",
    "percent_dropped", "excel_serial", "date_day_first", "date_month_first",
    "compact_date", "category_case",
})
"""Codes of notes that say how a column is written (``12,5`` with a decimal comma,
``Rp 1.250.000``, ``05/03/2024`` day first, ``95%``): the way Indonesian sheets are
written, not a problem of a row. They are reported once per column, with a count,
beside the column mapping, never counted as a row's problem. Every other note says
the reader guessed or changed a value (``20 orang`` read as 20, ``-`` read as
missing) and is a problem of its row."""

TRUE_WORDS = frozenset(
    {"ya", "iya", "y", "yes", "true", "benar", "ada", "sudah", "1", "v", "\u2713",
     "\u2714"}
)
FALSE_WORDS = frozenset(
    {"tidak", "tdk", "tak", "no", "n", "false", "salah", "tidak ada", "tdk ada",
     "belum", "0", "\u2717", "\u2718"}
)


@dataclass
class ColumnState:
    """What the earlier chunks of a column decided, kept for the chunks after it.

    Once a column shows its decimal separator or date order, later chunks read their
    ambiguous values the same way, so chunked and whole reads agree.
    """

    decimal: Decimal | None = None
    decimal_conflict: bool = False
    date_order: DateOrder | None = None
    date_conflict: bool = False


def read_boolean(value: object, spec: FieldSpec) -> Reading:
    """Read one cell of a yes/no field as 1.0 or 0.0.

    Examples
    --------
    >>> from kematangan.criteria.ruleset import FieldSpec
    >>> f = FieldSpec.model_validate({"id": "b", "type": "boolean", "label": "B"})
    >>> [read_boolean(v, f).value for v in ["Ya", "tidak ada", 1.0, "BENAR", None]]
    [1.0, 0.0, 1.0, 1.0, None]
    >>> read_boolean("t", f).code
    't_as_false'
    """
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return Reading(1.0 if value else 0.0)
    if isinstance(value, int | float):
        if value != value:  # NaN
            return MISSING
        if value in (0, 1):
            return Reading(float(value))
        return _not_boolean(show(value), spec)
    if not isinstance(value, str):
        return _not_boolean(show(value), spec)
    text = clean_text(value)
    word = text.lower()
    if word in MISSING_WORDS:
        return MISSING
    if word == "t":
        return Reading(0.0, "t_as_false", "note", {"text": text})
    if word in TRUE_WORDS:
        return Reading(1.0)
    if word in FALSE_WORDS:
        return Reading(0.0)
    if text in DASHES:
        return dash_missing(text)
    if text.upper() in EXCEL_ERRORS:
        return excel_error(text)
    parts = split_number(text)
    if parts is not None and not any(parts[2:]):
        try:
            number = float(parts[1].replace(",", "."))
        except ValueError:
            number = math.nan
        if number in (0.0, 1.0) and not parts[0]:
            return Reading(number)
    return _not_boolean(text, spec)


def _not_boolean(text: str, spec: FieldSpec) -> Reading:
    return Reading(None, "not_boolean", "error",
                   {"text": shortened(text), "label": spec.label.model_dump()})


class _CategoryReader:
    def __init__(self, spec: FieldSpec) -> None:
        self.spec = spec
        self.allowed = tuple(spec.categories or ())
        self.exact = frozenset(self.allowed)
        self.by_key = {header_key(c): c for c in self.allowed}

    def __call__(self, value: object) -> Reading:
        if value is None:
            return MISSING
        if isinstance(value, float) and value != value:
            return MISSING
        text = clean_text(show(value)) if not isinstance(value, str) else \
            clean_text(value)
        if text in self.exact:
            return Reading(text)
        if text.lower() in MISSING_WORDS:
            return MISSING
        if text in DASHES:
            return dash_missing(text)
        if text.upper() in EXCEL_ERRORS:
            return excel_error(text)
        found = self.by_key.get(header_key(text))
        if found is not None:
            return Reading(found, "category_case", "note",
                           {"text": shortened(text), "found": found})
        close = suggest(text, self.allowed)
        params = {"text": shortened(text), "allowed": list(self.allowed)}
        if close:
            return Reading(None, "unknown_category_close", "error",
                           {**params, "suggestion": close})
        return Reading(None, "unknown_category", "error", params)


def read_category(value: object, spec: FieldSpec) -> Reading:
    """Read one cell of a category field.

    Examples
    --------
    >>> from kematangan.criteria.ruleset import FieldSpec
    >>> f = FieldSpec.model_validate({"id": "c", "type": "category", "label": "C",
    ...                               "categories": ["pemula", "lanjut"]})
    >>> read_category(" Lanjut", f)[:2]
    ('lanjut', 'category_case')
    >>> read_category("lanjt", f).problem()
    "'lanjt' is not one of the allowed values (did you mean 'lanjut'?); read as missing"
    """
    return _CategoryReader(spec)(value)


def _key(value: object) -> Hashable:
    # 1, 1.0 and True are equal as dict keys; keep a yes/no value apart from a number.
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, list | dict | set):
        return ("text", repr(value))
    return value


def _update_state(state: ColumnState, spec: FieldSpec, seen: set[str]) -> None:
    """Fold what one chunk shows (decimal separators or date orders) into ``state``.

    A column settles on a convention when everything seen so far agrees; once two
    conventions have been seen it stays undecided.
    """
    if spec.type == "date":
        if state.date_order is not None:
            seen = seen | {state.date_order}
        if len(seen) == 1 and not state.date_conflict:
            state.date_order = "dmy" if "dmy" in seen else "mdy"
        elif len(seen) > 1:
            state.date_order, state.date_conflict = None, True
        return
    if state.decimal is not None:
        seen = seen | {state.decimal}
    if len(seen) == 1 and not state.decimal_conflict:
        state.decimal = "point" if "point" in seen else "comma"
    elif len(seen) > 1:
        state.decimal, state.decimal_conflict = None, True


_SIMPLE_NUMBER = re.compile(r"^ *([+-]?)(\d+)(?:([.,])(\d+))? *$")


def _fast_numbers(
    distinct: Sequence[object], spec: FieldSpec, parsed: list[Any],
    noted: dict[int, str], seen: set[str],
) -> list[int]:
    """Read the plain numbers among a column's distinct values into ``parsed``
    without building a :class:`Reading`: spreadsheet numbers, blanks, and text such
    as ``12``, ``-3``, ``12.5`` or ``12,5`` whose separator cannot be a thousands
    separator. Return the positions of the others.
    """
    integer = spec.type == "integer"
    nan = math.nan
    slow: list[int] = []
    match = _SIMPLE_NUMBER.match
    for i, v in enumerate(distinct):
        t = type(v)
        if t is float or t is int:
            f = float(cast(float, v))
            if f != f:
                parsed[i] = nan
            elif math.isinf(f) or (integer and not f.is_integer()):
                slow.append(i)
            else:
                parsed[i] = f
            continue
        if t is str:
            text = cast(str, v)
            m = match(text)
            if m is None:
                if not text or text.isspace():
                    parsed[i] = nan
                else:
                    slow.append(i)
                continue
            sign, whole, sep, frac = m.groups()
            if len(whole) > 300:
                slow.append(i)  # more digits than a float holds
                continue
            if sep is None:
                parsed[i] = float(sign + whole)
                continue
            if (len(frac) == 3 and len(whole) <= 3 and whole[0] != "0") or (
                integer and frac.strip("0")
            ):
                slow.append(i)  # could be a thousands separator, or not whole
                continue
            parsed[i] = float(f"{sign}{whole}.{frac}")
            if sep == ",":
                noted[i] = "decimal_comma"
                seen.add("comma")
            else:
                seen.add("point")
            continue
        if v is None:
            parsed[i] = nan
        else:
            slow.append(i)
    return slow


def _slow_evidence(values: Sequence[object], spec: FieldSpec, seen: set[str]) -> None:
    for v in values:
        if spec.type == "date":
            order = date_order_evidence(v)
            if order is not None:
                seen.add(order)
        elif isinstance(v, str):
            parts = split_number(clean_text(v))
            if parts is not None:
                found = decimal_evidence(parts[1])
                if found is not None:
                    seen.add(found)


def _reader(spec: FieldSpec, state: ColumnState) -> Callable[[object], Reading]:
    if spec.type in ("number", "integer"):
        return lambda v: read_number(v, spec, state.decimal)
    if spec.type == "boolean":
        return lambda v: read_boolean(v, spec)
    if spec.type == "date":
        return lambda v: read_date(v, spec, state.date_order)
    return _CategoryReader(spec)


def _factorize(
    values: Sequence[object], with_bools: bool
) -> tuple[list[object], npt.NDArray[np.intp]]:
    """The distinct values of a column (first occurrence first) and, for each cell,
    the position of its value among them."""
    index: dict[Hashable, int] = {}
    add = index.setdefault
    if not with_bools:
        codes = [add(v, len(index)) for v in values]
        return list(index), np.array(codes, dtype=np.intp)
    distinct: list[object] = []
    codes = []
    for v in values:
        k = _key(v)
        code = add(k, len(index))
        if code == len(distinct):
            distinct.append(v)
        codes.append(code)
    return distinct, np.array(codes, dtype=np.intp)


def parse_column(
    values: Sequence[object],
    spec: FieldSpec,
    *,
    column: str,
    rows: npt.NDArray[np.int64],
    state: ColumnState | None = None,
    bulk: bool = True,
) -> tuple[npt.NDArray[Any], list[Problem]]:
    """Parse one column of raw cells for ``spec``; return the array and its
    problems.

    ``rows`` are the source row numbers of ``values`` (for problems); ``state``
    carries what earlier chunks of the same column decided. Errors and notes are
    reported per cell; notes in :data:`CONVENTIONS` once per kind, at the first
    cell, with a count. With ``bulk`` (the default) a text column whose cells are
    all plain is read at once (:mod:`~kematangan.io.plaincolumns`); without, every
    distinct cell is read on its own: the results are the same (tested), only
    slower.

    Examples
    --------
    >>> import numpy as np
    >>> from kematangan.criteria import load_ruleset
    >>> spec = load_ruleset("ppmk-ksm").field("members")
    >>> values, found = parse_column(["12", "1.250", "", "dua"], spec,
    ...                              column="Anggota", rows=np.arange(2, 6))
    >>> values
    array([  12., 1250.,   nan,   nan])
    >>> [(p.row, p.code, p.severity) for p in found]
    [(3, 'separator_as_thousands', 'note'), (5, 'not_a_number', 'error')]
    """
    state = state if state is not None else ColumnState()
    numeric = spec.type in ("number", "integer")
    text = _joined(values) if bulk else None
    types = set(map(type, values))
    lines = Lines.of(text, len(values)) if text is not None and types == {str} \
        else None
    if lines is not None and (numeric or spec.type == "date"):
        plain = _plain_column(lines, values, spec, column, rows, state)
        if plain is not None:
            return plain
    if numeric and types and types <= {float, int}:
        out = np.array(values, dtype=np.float64)
        whole = spec.type == "number" or bool(
            np.all(np.isnan(out) | (out == np.round(out)))
        )
        if whole and not np.isinf(out).any():
            return out, []

    found = lines.factorize() if lines is not None else None
    if found is not None:
        distinct, codes = [values[i] for i in found[0].tolist()], found[1]
    else:
        distinct, codes = _factorize(values, bool in types)
    missing: Any = None if spec.type == "category" else (
        _NAT if spec.type == "date" else math.nan)
    parsed: list[Any] = [missing] * len(distinct)
    noted: dict[int, str] = {}
    seen: set[str] = set()
    slow = (_fast_numbers(distinct, spec, parsed, noted, seen) if numeric
            else range(len(distinct)))
    if numeric or spec.type == "date":
        _slow_evidence([distinct[i] for i in slow], spec, seen)
        _update_state(state, spec, seen)
    read = _reader(spec, state)
    flags: dict[int, Reading] = {}
    for i in slow:
        r = read(distinct[i])
        if r.value is not None:
            parsed[i] = r.value
        if r.severity is not None:
            flags[i] = r

    if spec.type == "category":
        table = np.empty(len(parsed), dtype=object)
        table[:] = parsed
        out = table[codes]
    elif spec.type == "date":
        out = np.array(parsed, dtype=np.int64)[codes].view("M8[D]")
    else:
        out = np.array(parsed, dtype=np.float64)[codes]

    if not flags and not noted:
        return out, []
    return out, _issues(codes, distinct, flags, noted, spec, column, rows, read)


def _joined(values: Sequence[object]) -> str | None:
    """The cells joined by line breaks, when they are all text (the first pass
    over a column's cells: one that is not text stops it early)."""
    try:
        return "\n".join(values)  # type: ignore[arg-type]
    except TypeError:
        return None


def _plain_column(
    lines: Lines, values: Sequence[object], spec: FieldSpec, column: str,
    rows: npt.NDArray[np.int64], state: ColumnState,
) -> tuple[npt.NDArray[Any], list[Problem]] | None:
    """A text column (``values``, as ``lines``) read at once when every cell is
    plain (:mod:`~kematangan.io.plaincolumns`), with what reading it cell by cell
    says: the separators it shows folded into ``state``, and the decimal comma's
    note at its first cell, with the count. ``None`` when some cell is not plain."""
    if spec.type == "date":
        dates = plain_iso_dates(lines)
        return None if dates is None else (dates, [])
    found = plain_numbers(lines, spec.type == "integer")
    if found is None:
        return None
    _update_state(state, spec, set(found.seen))
    if found.first_comma is None:
        return found.values, []
    at = found.first_comma
    value = values[at]
    r = read_number(value, spec, state.decimal)
    return found.values, [Problem("decimal_comma", r.params, "note", row=int(rows[at]),
                                  column=column, field=spec.id, value=show(value),
                                  count=found.commas)]


def _issues(
    codes: npt.NDArray[np.intp],
    distinct: Sequence[object],
    flags: dict[int, Reading],
    noted: dict[int, str],
    spec: FieldSpec,
    column: str,
    rows: npt.NDArray[np.int64],
    read: Callable[[object], Reading],
) -> list[Problem]:
    """A problem for every cell whose reading has one; conventions once per kind,
    at the first cell, with a count.

    ``flags`` are the readings that carry a code; ``noted`` are the plain decimal
    commas read on the fast path, whose note is written from the first.
    """
    found: list[Problem] = []
    each = [i for i, r in flags.items() if r.code not in CONVENTIONS]
    if each:
        for at in np.flatnonzero(np.isin(codes, each)).tolist():
            value = distinct[codes[at]]
            r = flags[int(codes[at])]
            assert r.severity is not None
            found.append(Problem(r.code, r.params, r.severity, row=int(rows[at]),
                                 column=column, field=spec.id, value=show(value)))
    kinds = {i: r.code for i, r in flags.items() if r.code in CONVENTIONS}
    kinds.update(noted)
    if kinds:
        counts = np.bincount(codes, minlength=len(distinct))
        _, first_at = np.unique(codes, return_index=True)
        by_kind: dict[str, tuple[int, int]] = {}
        for i, kind in kinds.items():
            total, at = by_kind.get(kind, (0, len(codes)))
            by_kind[kind] = (total + int(counts[i]), min(at, int(first_at[i])))
        for kind, (total, at) in by_kind.items():
            value = distinct[codes[at]]
            r = flags.get(int(codes[at])) or read(value)
            found.append(Problem(kind, r.params, "note", row=int(rows[at]),
                                 column=column, field=spec.id, value=show(value),
                                 count=total))
    found.sort(key=lambda x: x.row or 0)
    return found


def parse_group_ids(values: Sequence[object]) -> npt.NDArray[np.object_]:
    """Group keys as text; whole numbers lose their ``.0``; blanks are ``None``.

    Examples
    --------
    >>> parse_group_ids(["KSM-01", 12.0, " ", None]).tolist()
    ['KSM-01', '12', None, None]
    """
    out = np.empty(len(values), dtype=object)
    out[:] = [_group_id(v) for v in values]
    return out


def _group_id(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    text = clean_text(show(value)) if not isinstance(value, str) else \
        clean_text(value)
    return text or None
